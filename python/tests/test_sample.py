"""rlct.sample: numpy arrays of the stated model's shape, deterministic by
seed, drawn at the truth with the stated noise; rlct.model and rlct.llc."""

import random
from fractions import Fraction as F

import numpy as np
import pytest

import rlct


def test_shapes_for_random_rrr():
    rng = random.Random(5)
    for _ in range(5):
        m, n, h = rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 3)
        r = rng.randint(0, min(m, n, h))
        mod = rlct.model("rrr", inputs=m, outputs=n, hidden=h, rank=r)
        rows = rng.randint(1, 300)
        X, Y = rlct.sample(mod, rows, seed=rng.randint(0, 1000))
        assert X.shape == (rows, m) and Y.shape == (rows, n)
        assert X.dtype == np.float64 and Y.dtype == np.float64
        assert np.isfinite(X).all() and np.isfinite(Y).all()


def test_deterministic_by_seed():
    mod = rlct.model("rrr(3,3,2,1)")
    X1, Y1 = rlct.sample(mod, 50, seed=9)
    X2, Y2 = rlct.sample(mod.program, 50, seed=9)
    X3, _ = rlct.sample(mod, 50, seed=10)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


def test_data_follow_the_truth_and_the_noise():
    # rrr(3,3,2,1) with noise 1: Y = C0 X + N(0, I) with C0 of rank 1. OLS
    # on n rows recovers C0 (error ~ 1/sqrt(n)) and residual variance 1
    # (standard error sqrt(2/(n·N))); tolerances are 5 standard errors.
    mod = rlct.model("rrr(3,3,2,1)")
    n = 20000
    X, Y = rlct.sample(mod, n, seed=1)
    assert abs(X.var() - 1.0) < 5 * np.sqrt(2.0 / X.size)
    C, *_ = np.linalg.lstsq(X, Y, rcond=None)
    resid = Y - X @ C
    assert abs(resid.var() - 1.0) < 5 * np.sqrt(2.0 / resid.size)
    sv = np.linalg.svd(C, compute_uv=False)
    assert sv[0] > 0.5 and (sv[1:] < 5 * 3 / np.sqrt(n)).all()


def test_model_objects():
    mod = rlct.model("rrr", inputs=3, outputs=3, hidden=2, rank=1)
    assert mod.name == "rrr(3,3,2,1)"
    assert (mod.lambda_, mod.multiplicity) == (F(7, 2), 2)
    assert "Aoyagi" in mod.citation
    assert mod.as_dict()["program"] == mod.program
    d = rlct.model("dln", widths=[2, 2, 2], rank=0)
    assert isinstance(d.lambda_, F)
    nc = rlct.model("nc", k=[1, 2])
    assert nc.lambda_ == F(1, 4)
    arr = rlct.model("arrangement", forms=[[1, 0], [0, 1], [1, 1]])
    assert arr.lambda_ == rlct.exact(arr.program).lambda_
    assert {f["family"] for f in rlct.families()} >= {"rrr", "dln", "nc", "arrangement"}


def test_llc_against_closed_form():
    out = rlct.llc(family="nc(1,1)", seed=3, chains=2, draws=300, burn_in=300)
    assert out["closed_form"]["lambda"] == "1/2"
    assert np.isfinite(out["lambda"]) and out["stderr"] > 0


def test_llc_settings_are_checked():
    with pytest.raises(ValueError):
        rlct.llc(family="nc(1,1)", bogus=3)
