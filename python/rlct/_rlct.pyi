"""Type stubs of the compiled half of rlct (``rlct._rlct``). Use the
functions of :mod:`rlct`; these return the CLI's JSON text."""

from typing import Any, List, Optional, Sequence, Tuple

__version__: str

class InputError(ValueError):
    """Invalid program text; ``str(e)`` is the CLI's caret rendering."""

    line: int
    column: int
    message: str
    label: str

class LimitError(RuntimeError):
    """A time or size limit was reached before any result existed."""

class EstimatorError(RuntimeError):
    """The estimator gave up on valid input."""

def exact(
    program: str,
    budget: Optional[int] = None,
    time_limit: Optional[float] = None,
    charts: Optional[str] = None,
    no_theorems: bool = False,
) -> str: ...
def estimate(program: str, **settings: Any) -> str: ...
def analyze(program: str, **settings: Any) -> str: ...
def model(name: Optional[str] = None, forms: Optional[str] = None, mult: Optional[Sequence[int]] = None) -> str: ...
def model_list() -> str: ...
def sample(
    n: int, seed: int, program: Optional[str] = None, family: Optional[str] = None
) -> Tuple[List[float], List[float], int, int, int, List[str]]: ...
def llc(
    program: Optional[str] = None,
    family: Optional[str] = None,
    preset: str = "tuned",
    seed: int = 0,
    overrides: Optional[Sequence[Tuple[str, str]]] = None,
    threads: Optional[int] = None,
    traces: bool = False,
) -> str: ...
def answer_key(families: Optional[Sequence[str]] = None, time_limit: Optional[float] = None) -> str: ...
def score(text: str, name: str = "<estimates>", key: Optional[str] = None) -> str: ...
def sweep(
    program: str,
    ranges: Sequence[str],
    expect: Optional[str] = None,
    shard: Optional[str] = None,
    estimate: Optional[str] = None,
    seed: int = 0,
    runs: int = 8,
    live: int = 100,
    preset: str = "tuned",
    overrides: Optional[Sequence[Tuple[str, str]]] = None,
    threads: Optional[int] = None,
) -> str: ...
def validate(
    families: Optional[Sequence[str]] = None,
    presets: Optional[Sequence[str]] = None,
    grid: Optional[Sequence[str]] = None,
    set: Optional[Sequence[str]] = None,
    seed: int = 0,
    shard: Optional[str] = None,
    threads: Optional[int] = None,
) -> str: ...
