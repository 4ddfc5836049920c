"""rlct: real log canonical thresholds (learning coefficients) of polynomial losses.

The functions mirror the command line (``rlct exact``, ``estimate``,
``analyze``, ``model``, ``llc``) and return what its ``--json`` forms print,
as Python objects; exact rationals are :class:`fractions.Fraction`.

>>> import rlct
>>> r = rlct.exact("x^2*y^2")
>>> (r.lambda_, r.multiplicity, r.status)
(Fraction(1, 2), 2, 'exact')

Invalid program text raises :class:`InputError` (a ``ValueError``) with
``.line`` and ``.column``. Long calls release the GIL and stop on Ctrl-C.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _rlct
from ._rlct import EstimatorError, InputError, LimitError

__all__ = [
    "EstimatorError",
    "ExactResult",
    "InputError",
    "LimitError",
    "Model",
    "analyze",
    "answer_key",
    "estimate",
    "exact",
    "families",
    "llc",
    "model",
    "sample",
    "score",
    "sweep",
    "validate",
]

__version__ = _rlct.__version__


class ExactResult:
    """The exact engine's answer: ``rlct exact --json`` as an object.

    ``lambda_``, ``lower`` and ``upper`` are :class:`fractions.Fraction`;
    ``status`` is ``"exact"`` (then ``lower == lambda_ == upper``) or
    ``"bound"`` (proven ``lower <= λ <= upper``; ``lambda_`` and
    ``multiplicity`` are then the engine's best pair, not a claim).
    """

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]):
        self._d = d

    @property
    def lambda_(self) -> Fraction:
        """λ (exact when ``status == "exact"``)."""
        return Fraction(self._d["lambda"])

    @property
    def lower(self) -> Fraction:
        """Proven lower bound of λ."""
        return Fraction(self._d["lower"])

    @property
    def upper(self) -> Fraction:
        """Proven upper bound of λ."""
        return Fraction(self._d["upper"])

    @property
    def multiplicity(self) -> int:
        """The multiplicity m."""
        return int(self._d["multiplicity"])

    @property
    def status(self) -> str:
        """``"exact"`` or ``"bound"``."""
        return str(self._d["status"])

    @property
    def method(self) -> str:
        """Which theorem or engine settled the answer."""
        return str(self._d["method"])

    @property
    def variables(self) -> List[str]:
        """The problem's variable names."""
        return list(self._d.get("variables", []))

    @property
    def certificate(self) -> Dict[str, Any]:
        """The certificate (Newton faces, charts, theorem), as printed by ``--json``."""
        return json.loads(json.dumps(self._d.get("certificate", {})))

    def as_dict(self) -> Dict[str, Any]:
        """The object ``rlct exact --json`` prints (a fresh copy)."""
        return json.loads(json.dumps(self._d))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExactResult) and self._d == other._d

    def __repr__(self) -> str:
        if self.status == "exact":
            return f"ExactResult(lambda_={self.lambda_}, multiplicity={self.multiplicity}, status='exact', method={self.method!r})"
        return (
            f"ExactResult({self.lower} <= λ <= {self.upper}, status={self.status!r}, method={self.method!r})"
        )


def exact(
    program: str,
    *,
    budget: Optional[int] = None,
    time_limit: Optional[float] = None,
    charts: Optional[str] = None,
    no_theorems: bool = False,
) -> ExactResult:
    """Exact λ and m of ``program`` with a certificate, or proven bounds (``rlct exact``).

    ``budget`` caps the charts of the blow-up search, ``time_limit`` (seconds,
    default 45) ends it in proven bounds, ``charts`` is ``"coordinate"`` or
    ``"toric"``, ``no_theorems`` resolves matrix chains by blow-ups instead of
    Aoyagi's theorem.
    """
    _check_program(program)
    text = _rlct.exact(program, budget, time_limit, charts, no_theorems)
    return ExactResult(json.loads(text))


def estimate(program: str, **settings: Any) -> Dict[str, Any]:
    """Monte Carlo estimates of λ (``rlct estimate --json``), as a dict.

    Settings are the CLI's flags with ``_`` for ``-``: ``method`` (``"volume"``,
    ``"sgld"``, ``"all"``, ``"llc"``), ``seed``, ``threads``, ``runs``, ``live``,
    ``depth``, ``steps``, ``max_evals``, ``time_limit``, ``multiplicity``,
    ``exact_timeout``, ``sgld_n``, ``sgld_chains``, ``sgld_draws``, ``sgld_step``.
    Results are identical for a seed whatever ``threads`` is (without ``time_limit``).
    """
    _check_program(program)
    return json.loads(_rlct.estimate(program, **settings))


def analyze(program: str, **settings: Any) -> Dict[str, Any]:
    """Exact answer, estimates and verdict (``rlct analyze --json``), as a dict.

    ``result["verdict"]["verdict"]`` is ``"agree"``, ``"disagree"`` or
    ``"inconclusive"``; settings as for :func:`estimate`.
    """
    _check_program(program)
    return json.loads(_rlct.analyze(program, **settings))


class Model:
    """A textbook family (``rlct model``): its program text and closed form."""

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]):
        self._d = d

    @property
    def name(self) -> str:
        """Short name such as ``rrr(3,3,2,1)``."""
        return str(self._d["family"])

    @property
    def program(self) -> str:
        """The program text (parses back to the same problem)."""
        return str(self._d["program"])

    @property
    def lambda_(self) -> Fraction:
        """The closed-form λ."""
        return Fraction(self._d["lambda"])

    @property
    def multiplicity(self) -> Optional[int]:
        """The closed-form m, or None when the source does not give it."""
        m = self._d.get("multiplicity")
        return None if m is None else int(m)

    @property
    def citation(self) -> str:
        """Where the closed form comes from."""
        return str(self._d["source"])

    @property
    def variables(self) -> List[str]:
        """The parameters' names."""
        return list(self._d["variables"])

    def as_dict(self) -> Dict[str, Any]:
        """The object ``rlct model ... --json`` prints."""
        return json.loads(json.dumps(self._d))

    def __repr__(self) -> str:
        return f"Model({self.name!r}, lambda_={self.lambda_}, multiplicity={self.multiplicity})"


def _ints(v: Union[int, Sequence[int]]) -> List[int]:
    if isinstance(v, int):
        return [v]
    return [int(x) for x in v]


def model(family: str, **params: Any) -> Model:
    """A textbook family with its closed form (``rlct model``).

    ``model("rrr", inputs=3, outputs=3, hidden=2, rank=1)``,
    ``model("dln", widths=[3, 2, 4], rank=0)``, ``model("nc", k=[1, 2], prior=[0, 0])``,
    ``model("arrangement", forms=[[1, 0], [0, 1], [1, 1]], mult=[1, 1, 1])``, or a
    short name as printed by ``rlct model`` and used by ``--family``:
    ``model("rrr(3,3,2,1)")``.
    """
    def take(*names: str, **defaults: Any) -> List[Any]:
        out = []
        for n in names:
            if n in params:
                out.append(params.pop(n))
            elif n in defaults:
                out.append(defaults[n])
            else:
                raise TypeError(f"model({family!r}) needs {n}=")
        if params:
            raise TypeError(f"model({family!r}) got unexpected keyword arguments {sorted(params)}")
        return out

    if "(" in family:
        take()
        return Model(json.loads(_rlct.model(family)))
    if family == "rrr":
        m, n, h, r = take("inputs", "outputs", "hidden", "rank", rank=0)
        name = f"rrr({int(m)},{int(n)},{int(h)},{int(r)})"
    elif family == "dln":
        widths, r = take("widths", "rank", rank=0)
        name = "dln({},{})".format("-".join(str(w) for w in _ints(widths)), int(r))
    elif family == "nc":
        k, prior = take("k", "prior", prior=None)
        k = _ints(k)
        h = _ints(prior) if prior is not None else [0] * len(k)
        name = "nc({};h={})".format(",".join(map(str, k)), ",".join(map(str, h)))
    elif family == "arrangement":
        forms, mult = take("forms", "mult", mult=None)
        text = ";".join(",".join(str(c) for c in row) for row in forms)
        return Model(json.loads(_rlct.model(None, text, None if mult is None else _ints(mult))))
    else:
        raise ValueError(f"unknown family {family!r} (expected rrr, dln, nc or arrangement)")
    return Model(json.loads(_rlct.model(name)))


def families() -> List[Dict[str, str]]:
    """The families (``rlct model list --json``)."""
    return json.loads(_rlct.model_list())


def _source(source: Union[str, Model]) -> str:
    if isinstance(source, Model):
        return source.program
    _check_program(source)
    return source


def sample(source: Union[str, Model], n: int, seed: int = 0) -> Tuple["numpy.ndarray", "numpy.ndarray"]:  # noqa: F821
    """Draws ``n`` samples from a stated regression model at its truth.

    ``source`` is a program with ``input``/``output``/``truth`` statements or a
    :class:`Model`. Returns ``X`` of shape ``(n, inputs)`` and ``Y`` of shape
    ``(n, outputs)`` as float64 numpy arrays: the data set that
    ``rlct llc --n n --seed seed`` estimates on, so any estimator can run on
    data whose λ is known.
    """
    import numpy as np

    x, y, rows, k, outputs, _names = _rlct.sample(int(n), int(seed), _source(source))
    return (
        np.asarray(x, dtype=np.float64).reshape(rows, k),
        np.asarray(y, dtype=np.float64).reshape(rows, outputs),
    )


def llc(
    source: Union[str, Model, None] = None,
    *,
    family: Optional[str] = None,
    preset: str = "tuned",
    seed: int = 0,
    threads: Optional[int] = None,
    traces: bool = False,
    **overrides: Any,
) -> Dict[str, Any]:
    """Data-driven minibatch SGLD LLC estimate (``rlct llc --json``), as a dict.

    ``source`` is a program or a :class:`Model` (or give ``family="rrr(3,3,2,1)"``,
    which adds the closed form and the relative error). ``overrides`` are the
    settings of ``--set``: ``n``, ``batch``, ``eps``, ``gamma``, ``nbeta``, ``chains``,
    ``burn_in``, ``draws``, ``thin``, ``sampler``, ``adapt``, ``cv``.
    """
    program = None
    if isinstance(source, Model) and family is None:
        if "(" in source.name and not source.name.startswith("arrangement"):
            family = source.name
        else:
            program = source.program
    elif source is not None:
        program = _source(source)
    pairs = [(str(k), _setting_text(v)) for k, v in overrides.items()]
    return json.loads(_rlct.llc(program, family, preset, int(seed), pairs, threads, bool(traces)))


def answer_key(families: Optional[Sequence[str]] = None, *, time_limit: Optional[float] = None) -> List[Dict[str, Any]]:
    """The answer key (``rlct answer-key``): one dict per family.

    Each row has ``version``, ``family``, ``parameters``, ``program``, ``lambda``
    (a rational as text; ``Fraction(row["lambda"])``), ``multiplicity``,
    ``status``, ``method``, ``closed_form_lambda``, ``closed_form_multiplicity``,
    ``citation`` and ``certificate_digest``. ``families`` restricts the key to the
    named families (``"rrr(3,3,2,1)"``, ``"dln(2-2-2,0)"``, ``"nc(1,2)"``, or an
    arrangement as the key spells it).
    """
    names = None if families is None else [str(f) for f in families]
    return json.loads(_rlct.answer_key(names, time_limit))


def score(estimates: Any, *, key: Optional[Sequence[Dict[str, Any]]] = None) -> Dict[str, Any]:
    """Scores λ estimates against the answer key (``rlct score --json``).

    ``estimates`` is a list of dicts (``family``, ``lambda_hat``, optionally
    ``stderr`` and ``estimator``) or the path of a JSON Lines file of them.
    Returns ``{"version", "rows", "summary"}``: per row the key's λ and m, the
    relative error and ``z = (λ̂ − λ)/stderr``. ``key`` (rows of
    :func:`answer_key`) avoids re-solving families already in it.
    """
    import os

    if isinstance(estimates, (str, os.PathLike)):
        with open(estimates, encoding="utf-8") as f:
            text, name = f.read(), str(estimates)
    else:
        text, name = "".join(json.dumps(e) + "\n" for e in estimates), "<estimates>"
    key_text = None if key is None else "".join(json.dumps(r) + "\n" for r in key)
    return json.loads(_rlct.score(text, name, key_text))


def sweep(
    program: str,
    ranges: Dict[str, Tuple[int, int]],
    *,
    expect: Optional[str] = None,
    shard: Optional[str] = None,
    estimate: Optional[str] = None,
    seed: int = 0,
    runs: int = 8,
    live: int = 100,
    preset: str = "tuned",
    threads: Optional[int] = None,
    **overrides: Any,
) -> List[Dict[str, Any]]:
    """Exact λ, m over a family with integer parameters (``rlct sweep --format jsonl``).

    ``ranges`` maps each ``$name`` of the program to an inclusive ``(lo, hi)``;
    ``expect`` is a formula for λ (rows then carry ``expected`` and ``matches``,
    mismatches first); ``estimate`` (``"volume"`` or ``"llc"``) adds a Monte Carlo
    estimate per member; ``shard`` is ``"i/n"`` or ``"auto"``.
    """
    _check_program(program)
    specs = [f"{k}={int(lo)}..{int(hi)}" for k, (lo, hi) in ranges.items()]
    pairs = [(str(k), _setting_text(v)) for k, v in overrides.items()]
    return json.loads(
        _rlct.sweep(program, specs, expect, shard, estimate, int(seed), int(runs), int(live), preset, pairs, threads)
    )


def validate(
    families: Optional[Sequence[str]] = None,
    *,
    presets: Sequence[str] = ("devinterp", "tuned"),
    grid: Optional[Dict[str, Sequence[Any]]] = None,
    seed: int = 0,
    shard: Optional[str] = None,
    threads: Optional[int] = None,
    **overrides: Any,
) -> List[Dict[str, Any]]:
    """LLC estimator presets against exact λ (``rlct validate --format jsonl``).

    ``families`` defaults to the validation suite; ``grid`` maps a setting to the
    values to sweep (``{"eps": [1e-5, 1e-4]}``); ``overrides`` apply to every
    configuration (``chains=2, draws=500``).
    """
    grid_specs = [f"{k}=" + ",".join(_setting_text(v) for v in vals) for k, vals in (grid or {}).items()]
    set_specs = [f"{k}={_setting_text(v)}" for k, v in overrides.items()]
    fams = None if families is None else [str(f) for f in families]
    return json.loads(_rlct.validate(fams, list(presets), grid_specs, set_specs, int(seed), shard, threads))


def _setting_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "none"
    return str(v)


def _check_program(program: Any) -> None:
    if not isinstance(program, str):
        raise TypeError(f"a program is a str, got {type(program).__name__}")
