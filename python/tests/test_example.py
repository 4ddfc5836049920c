"""python/examples/score_numpy_sgld.py keeps running end to end (short
chains; its accuracy is discussed in its docstring, not asserted)."""

import json
import pathlib
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "score_numpy_sgld.py"


def test_numpy_sgld_example_scores_four_rows():
    out = subprocess.run([sys.executable, str(EXAMPLE), "--steps", "200", "--n", "20000"], check=True,
                         capture_output=True, text=True, timeout=300).stdout
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["rows"] == 4 and summary["with_z"] == 4
    assert len([l for l in out.splitlines() if l.startswith("rrr(")]) == 4
