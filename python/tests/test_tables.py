"""rlct.sweep and rlct.validate return the CLI's JSON Lines rows."""

import json
import subprocess
from fractions import Fraction as F

import rlct

PROGRAM = "x^(2*$a)*y^(2*$b)"


def test_sweep_rows_match_the_formula_and_the_cli(rlct_bin):
    rows = rlct.sweep(PROGRAM, {"a": (1, 3), "b": (1, 2)}, expect="min(1/(2*a), 1/(2*b))")
    assert len(rows) == 6
    for r in rows:
        a, b = (dict(r["parameters"])[k] for k in ("a", "b"))
        lam = min(F(1, 2 * a), F(1, 2 * b))
        assert F(r["lambda"]) == lam and r["matches"] is True and r["status"] == "exact"
        assert r["multiplicity"] == (2 if a == b else 1)
    cli = subprocess.run([rlct_bin, "sweep", "-e", PROGRAM, "--range", "a=1..3", "--range", "b=1..2", "--expect",
                          "min(1/(2*a), 1/(2*b))", "--format", "jsonl"], capture_output=True, text=True, check=True)
    assert rows == [json.loads(l) for l in cli.stdout.splitlines()]


def test_sweep_shards_partition_the_members():
    whole = rlct.sweep(PROGRAM, {"a": (1, 3), "b": (1, 3)})
    parts = [rlct.sweep(PROGRAM, {"a": (1, 3), "b": (1, 3)}, shard=f"{i}/4") for i in range(4)]
    assert sorted(map(json.dumps, whole)) == sorted(json.dumps(r) for p in parts for r in p)
    assert [len(p) for p in parts] == [3, 2, 2, 2]


def test_validate_rows_are_deterministic_and_equal_the_cli(rlct_bin):
    kw = dict(presets=["tuned"], seed=4, chains=2, draws=100, burn_in=100, n=2000)
    a = rlct.validate(["nc(1,2)"], threads=1, **kw)
    b = rlct.validate(["nc(1,2)"], threads=2, **kw)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert strip(a) == strip(b) and len(a) == 1
    assert a[0]["model"] == "nc(1,2)" and a[0]["lambda"] == "1/4"
    cli = subprocess.run([rlct_bin, "validate", "--families", "nc(1,2)", "--presets", "tuned", "--seed", "4",
                          "--set", "chains=2", "draws=100", "burn_in=100", "n=2000", "--format", "jsonl"],
                         capture_output=True, text=True, check=True)
    assert strip(a) == strip([json.loads(l) for l in cli.stdout.splitlines()])
