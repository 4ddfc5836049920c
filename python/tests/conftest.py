"""Shared fixtures: the repository's examples and the CLI binary (for the
tests that compare the Python objects with the CLI's JSON)."""

import os
import pathlib
import shutil

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def examples():
    files = sorted((REPO / "examples").glob("*.rlct"))
    assert files, f"no examples under {REPO / 'examples'}"
    return files


@pytest.fixture(scope="session")
def rlct_bin():
    """The `rlct` binary: $RLCT_BIN (required to exist when set, as in CI),
    else target/release or target/debug of the checkout, else PATH."""
    env = os.environ.get("RLCT_BIN")
    if env:
        assert os.access(env, os.X_OK), f"RLCT_BIN={env} is not an executable"
        return env
    for p in (REPO / "target" / "release" / "rlct", REPO / "target" / "debug" / "rlct"):
        if p.exists():
            return str(p)
    found = shutil.which("rlct")
    if found:
        return found
    pytest.skip("no rlct binary: build it with `cargo build --release` or set RLCT_BIN")
