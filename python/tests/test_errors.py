"""Bad input raises rlct.InputError (a ValueError) with the line and column
of the offending text and the CLI's caret message."""

import random
import string

import pytest

import rlct


def test_input_error_is_value_error_with_location():
    with pytest.raises(rlct.InputError) as info:
        rlct.exact("param x;\nK = x^2 + z;\n")
    e = info.value
    assert isinstance(e, ValueError)
    assert (e.line, e.column) == (2, 11)
    assert "^" in str(e) and ":2:11" in str(e)
    assert "z" in e.message


def test_unknown_identifier_located_anywhere():
    # The class: an undeclared name placed at a random line and column of a
    # valid program is reported exactly there.
    rng = random.Random(3)
    for _ in range(20):
        nlines = rng.randint(0, 4)
        lines = ["param x, y;"] + ["# " + "".join(rng.choices(string.ascii_lowercase, k=rng.randint(0, 8)))
                                   for _ in range(nlines)]
        pad = " " * rng.randint(0, 6)
        lines.append(f"K = {pad}x^2 + y^2 + qq*x;")
        prog = "\n".join(lines) + "\n"
        with pytest.raises(rlct.InputError) as info:
            rlct.exact(prog)
        col = len(f"K = {pad}x^2 + y^2 + ") + 1
        assert (info.value.line, info.value.column) == (len(lines), col), prog


@pytest.mark.parametrize("fn", [rlct.exact, rlct.estimate, rlct.analyze])
def test_every_entry_point_raises_input_error(fn):
    with pytest.raises(rlct.InputError) as info:
        fn("param x;\nK = x^^2;")
    assert info.value.line == 2


def test_sample_needs_a_model():
    with pytest.raises(ValueError):
        rlct.sample("x^2*y^2", 10, 0)


def test_unknown_family_and_keywords():
    with pytest.raises(ValueError):
        rlct.model("rrr(3,3)")
    with pytest.raises(TypeError):
        rlct.model("rrr", inputs=3, outputs=3)
    with pytest.raises(TypeError):
        rlct.estimate("x^2", bogus=1)
    with pytest.raises(ValueError):
        rlct.estimate("x^2", method="magic")
