"""Estimators through Python: deterministic by seed whatever the thread
count, and consistent with the exact answer within their standard error."""

import rlct

SMALL = dict(runs=4, live=40, depth=12.0, exact_timeout=10.0)


def test_estimate_is_deterministic_by_seed_and_threads():
    a = rlct.estimate("x^2*y^4", seed=5, threads=1, **SMALL)
    b = rlct.estimate("x^2*y^4", seed=5, threads=2, **SMALL)
    c = rlct.estimate("x^2*y^4", seed=6, threads=1, **SMALL)
    assert a == b
    assert a["estimates"]["volume"]["lambda"] != c["estimates"]["volume"]["lambda"]


def test_volume_estimate_within_its_error_of_exact():
    # λ(x²y⁴) = 1/4, m = 1. The estimate must lie within 4 reported
    # standard errors (the repository's own |z| <= 4 criterion).
    est = rlct.estimate("x^2*y^4", seed=1, runs=8, live=100)["estimates"]["volume"]
    exact = rlct.exact("x^2*y^4")
    assert abs(est["lambda"] - float(exact.lambda_)) <= 4 * est["stderr"]


def test_analyze_returns_cli_shape():
    a = rlct.analyze("x^2 + y^2", seed=2, runs=4, live=50, sgld_chains=2, sgld_draws=5000)
    assert set(a) >= {"exact", "estimates", "verdict"}
    assert a["exact"]["lambda"] == "1"
    assert a["verdict"]["verdict"] in ("agree", "disagree", "inconclusive")
