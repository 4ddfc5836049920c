"""The answer key against closed forms computed here, independently of the
Rust code, and the scorer on synthetic estimates with known errors."""

import json
import random
from fractions import Fraction as F

import pytest

import rlct


def rrr_closed_form(M, N, H, r):
    """Aoyagi & Watanabe 2005, Theorem 1 (reduced-rank regression)."""
    if M + H < N + r:
        return F(H * M - H * r + N * r, 2), 1
    if N + H < M + r:
        return F(H * N - H * r + M * r, 2), 1
    if M + N < H + r:
        return F(M * N, 2), 1
    s = 2 * (H + r) * (M + N) - (M - N) ** 2 - (H + r) ** 2
    if (M + N + H + r) % 2 == 0:
        return F(s, 8), 1
    return F(s + 1, 8), 2


@pytest.fixture(scope="module")
def key():
    return rlct.answer_key()


def test_key_covers_every_rrr_rank_stratum(key):
    rrr = {r["family"] for r in key if r["family"].startswith("rrr(")}
    want = {f"rrr({m},{n},{h},{r})" for m in range(1, 4) for n in range(1, 4) for h in range(1, 4)
            for r in range(0, min(m, n, h) + 1)}
    assert rrr == want
    kinds = {r["family"].split("(")[0] for r in key}
    assert kinds == {"rrr", "dln", "nc", "arrangement"}


def test_rrr_rows_equal_the_theorem(key):
    for row in key:
        if not row["family"].startswith("rrr("):
            continue
        p = row["parameters"]
        lam, m = rrr_closed_form(p["inputs"], p["outputs"], p["hidden"], p["rank"])
        assert row["version"] == "rlct-answer-key/1"
        assert row["status"] == "exact", row["family"]
        assert (F(row["lambda"]), row["multiplicity"]) == (lam, m), row["family"]


def test_nc_rows_equal_the_normal_crossing_formula(key):
    for row in (r for r in key if r["family"].startswith("nc(")):
        k, h = row["parameters"]["k"], row["parameters"]["prior"]
        ratios = [F(hj + 1, 2 * kj) for kj, hj in zip(k, h)]
        lam = min(ratios)
        assert row["status"] == "exact"
        assert (F(row["lambda"]), row["multiplicity"]) == (lam, ratios.count(lam)), row["family"]


def test_every_exact_row_agrees_with_its_closed_form_and_program(key):
    rng = random.Random(2)
    for row in key:
        if row["status"] == "exact":
            assert F(row["lambda"]) == F(row["closed_form_lambda"]), row["family"]
            if row["closed_form_multiplicity"] is not None:
                assert row["multiplicity"] == row["closed_form_multiplicity"], row["family"]
        assert len(row["certificate_digest"]) == 16
    # The program of a random sample of rows gives the row's pair again.
    for row in rng.sample(key, 8):
        r = rlct.exact(row["program"])
        assert (str(r.lambda_), r.multiplicity, r.status) == (row["lambda"], row["multiplicity"], row["status"])


def test_named_families_and_bad_names():
    rows = rlct.answer_key(["rrr(3,3,2,1)", "arrangement(1,0/0,1/1,1;s=1,1,1)"])
    assert [r["family"] for r in rows] == ["rrr(3,3,2,1)", "arrangement(1,0/0,1/1,1;s=1,1,1)"]
    assert F(rows[0]["lambda"]) == F(7, 2)
    with pytest.raises(ValueError):
        rlct.answer_key(["rrr(3,3)"])


def test_score_on_synthetic_estimates(tmp_path):
    # Estimates with known relative errors δ and standard errors s: the
    # scorer must return exactly δ and z = λδ/s, and the summary their means.
    rng = random.Random(4)
    key = rlct.answer_key(["rrr(3,3,2,1)", "rrr(2,2,2,0)", "nc(1,2)", "dln(2-2-2,0)"])
    ests, truth = [], []
    for row in key:
        lam = float(F(row["lambda"]))
        delta, s = rng.uniform(-0.2, 0.2), rng.uniform(0.01, 0.1)
        ests.append({"family": row["family"], "lambda_hat": lam * (1 + delta), "stderr": s, "estimator": "toy"})
        truth.append((delta, lam * delta / s))
    out = rlct.score(ests, key=key)
    assert out["version"] == "rlct-answer-key/1"
    for r, (delta, z) in zip(out["rows"], truth):
        assert r["relative_error"] == pytest.approx(delta, rel=1e-12, abs=1e-12)
        assert r["z"] == pytest.approx(z, rel=1e-9)
    assert out["summary"]["rows"] == 4
    assert out["summary"]["mean_relative_error"] == pytest.approx(sum(d for d, _ in truth) / 4)
    # The same from a file, and without a key (solved on demand).
    path = tmp_path / "est.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in ests))
    assert rlct.score(str(path)) == out


def test_score_locates_bad_lines(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"family": "nc(1,2)", "lambda_hat": 0.25}\n{"family": "nc(1,2)", "lambda_hat": }\n')
    with pytest.raises(rlct.InputError) as info:
        rlct.score(str(path))
    assert info.value.line == 2
    with pytest.raises(rlct.InputError):
        rlct.score([{"family": "nope(1)", "lambda_hat": 1.0}])


def test_small_key_rows_against_the_volume_estimator(key):
    # Monte Carlo cross-check of the key's exact rows that have no closed-form
    # multiplicity (the arrangements) and of a few small ones with priors:
    # nested-sampling volume scaling (m from the engine) within 4 of its
    # reported standard errors, the standard error below 2 % of λ.
    picked = [r for r in key if r["family"].startswith("arrangement")]
    picked += [r for r in key if r["family"] in ("nc(1,2;h=0,1)", "rrr(2,1,1,1)")]
    assert len(picked) >= 8
    for r in picked:
        lam = float(F(r["lambda"]))
        v = rlct.estimate(r["program"], seed=3)["estimates"]["volume"]
        assert v["multiplicity"] == r["multiplicity"] and v["multiplicity_source"] == "exact"
        assert v["stderr"] < 0.02 * lam, r["family"]
        assert abs(v["lambda"] - lam) <= 4 * v["stderr"], (r["family"], v["lambda"], v["stderr"])
