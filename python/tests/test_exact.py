"""rlct.exact: the Python object equals the CLI's JSON; exact rationals are
Fractions; the closed forms of the families agree with the engine."""

import json
import random
import subprocess
from fractions import Fraction as F

import pytest

import rlct


def test_done_when_line():
    r = rlct.exact("x^2*y^2")
    assert (r.lambda_, r.multiplicity, r.status) == (F(1, 2), 2, "exact")
    assert r.lower == r.upper == r.lambda_
    assert isinstance(r.certificate, dict) and r.certificate
    assert r.method == r.as_dict()["method"]


def test_as_dict_equals_cli_json_on_examples(examples, rlct_bin):
    for path in examples:
        cli = json.loads(subprocess.run([rlct_bin, "exact", str(path), "--json"], check=True,
                                        capture_output=True, text=True).stdout)
        ours = rlct.exact(path.read_text()).as_dict()
        assert ours == cli, path.name


def test_random_monomials_against_closed_form():
    # K = Π x_i^(2 k_i) with prior exponents h_i: λ = min (h_i+1)/(2k_i),
    # m = how many attain it (docs/theory.md §1, normal crossings).
    rng = random.Random(7)
    for _ in range(12):
        d = rng.randint(1, 4)
        k = [rng.randint(1, 4) for _ in range(d)]
        h = [rng.randint(0, 2) for _ in range(d)]
        names = [f"w{i}" for i in range(d)]
        prog = "param {};\nK = {};\n".format(
            ", ".join(names), "*".join(f"{n}^{2 * e}" for n, e in zip(names, k))
        )
        if any(h):
            prog += "prior {};\n".format("*".join(f"{n}^{e}" for n, e in zip(names, h) if e))
        ratios = [F(hi + 1, 2 * ki) for hi, ki in zip(h, k)]
        lam = min(ratios)
        r = rlct.exact(prog)
        assert r.status == "exact", prog
        assert r.lambda_ == lam, prog
        assert r.multiplicity == ratios.count(lam), prog


def test_bound_has_fraction_interval():
    # A tiny chart budget on a degenerate case: either exact, or a proven
    # interval with lower <= upper, both Fractions.
    r = rlct.exact("(x^2 - y^3)^2 + z^4", budget=1)
    assert isinstance(r.lower, F) and isinstance(r.upper, F)
    assert r.lower <= r.upper
    assert r.status in ("exact", "bound")


def test_options_are_checked():
    with pytest.raises(ValueError):
        rlct.exact("x^2", charts="diagonal")
    with pytest.raises(ValueError):
        rlct.exact("x^2", time_limit=-1)
    with pytest.raises(TypeError):
        rlct.exact(b"x^2")


def test_rrr_closed_form_equals_engine():
    # Random reduced-rank regressions with M, N, H <= 3: the model's closed
    # form (Aoyagi & Watanabe 2005) against the exact engine on its program.
    rng = random.Random(11)
    for _ in range(6):
        m, n, h = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
        r = rng.randint(0, min(m, n, h))
        mod = rlct.model("rrr", inputs=m, outputs=n, hidden=h, rank=r)
        res = rlct.exact(mod.program)
        assert res.status == "exact", mod
        assert res.lambda_ == mod.lambda_, mod
        if mod.multiplicity is not None:
            assert res.multiplicity == mod.multiplicity, mod
