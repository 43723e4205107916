"""Sweep declarations: a registered function plus a grid of named axes (and a seed axis).

A :class:`Sweep` is built in Python or read from TOML (:func:`load_sweep`) and validated in
full by :func:`validate_sweep` before any task is submitted: unknown function, unknown or
missing parameter (checked against the function's signature), empty axis, values of the wrong
type and oversized grids all give ONE ``ValueError`` that lists every problem found.

TOML layout (see ``examples/sweeps/``)::

    function = "spins.random_coupling_redundancy"
    out = "results/sweeps/spins_redundancy"    # optional; the CLI's --out wins
    seeds = 4                                   # seeds 0..3, or a list [3, 7], optional

    [grid]                                      # axes, outermost first
    n_env = [50, 100, 200]
    delta = {start = 0.05, stop = 0.2, num = 4} # linspace; add log = true for geomspace

    [fixed]                                     # parameters held fixed
    t_max = 5.0
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import math
import os
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .registry import resolve

MAX_POINTS = 1_000_000
SEED_AXIS = "seed"
_SCALAR = (bool, int, float, str)


@dataclasses.dataclass(frozen=True)
class Sweep:
    """A sweep: ``function`` evaluated on the product of the ``grid`` axes (and ``seeds``).

    Parameters
    ----------
    function : str
        Registry name (``qdarwin.sweep.available_functions()``) or ``"module:function"``.
    grid : mapping of str to sequence
        Named axes, outermost first; each a non-empty sequence of scalars.
    fixed : mapping of str to value, optional
        Parameters passed unchanged to every point.
    seeds : int or sequence of int, optional
        ``n`` means seeds ``0 .. n-1``; a sequence is used as given. Adds the innermost axis
        ``seed``; the function must take a ``seed`` parameter.

    Examples
    --------
    >>> s = Sweep("demo.random_walk", grid={"drift": [0.0, 1.0]}, fixed={"n_steps": 3}, seeds=2)
    >>> s.dims, s.n_points
    (('drift', 'seed'), 4)
    >>> s.points()[1]
    {'n_steps': 3, 'drift': 0.0, 'seed': 1}
    """

    function: str
    grid: Mapping[str, Sequence[Any]]
    fixed: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    seeds: int | Sequence[int] | None = None

    @property
    def seed_values(self) -> tuple[int, ...] | None:
        """The seed axis values (None without a seed axis)."""
        if self.seeds is None:
            return None
        if isinstance(self.seeds, (int, np.integer)) and not isinstance(self.seeds, bool):
            return tuple(range(int(self.seeds)))
        return tuple(int(s) for s in self.seeds)  # type: ignore[union-attr]

    @property
    def axes(self) -> dict[str, tuple[Any, ...]]:
        """All axes including ``seed``, outermost first."""
        out = {name: tuple(values) for name, values in self.grid.items()}
        if self.seed_values is not None:
            out[SEED_AXIS] = self.seed_values
        return out

    @property
    def dims(self) -> tuple[str, ...]:
        """Axis names, outermost first (``seed`` last)."""
        return tuple(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values per axis (from the config alone: no seed list is built)."""
        n_seeds = _seed_count(self.seeds)
        return tuple(len(v) for v in self.grid.values()) + ((n_seeds,) if self.seeds is not None and n_seeds is not None else ())

    @property
    def n_points(self) -> int:
        """Number of grid points (tasks)."""
        return math.prod(self.shape)

    def points(self) -> list[dict[str, Any]]:
        """Parameter dict of every point (fixed params first), in C order of the axes."""
        axes = self.axes
        return [{**dict(self.fixed), **dict(zip(axes, combo))} for combo in itertools.product(*axes.values())]

    def to_spec(self) -> dict[str, Any]:
        """JSON-ready description (stored in the results directory's manifest)."""
        return {
            "function": self.function,
            "grid": {k: list(v) for k, v in self.grid.items()},
            "fixed": dict(self.fixed),
            "seeds": None if self.seed_values is None else list(self.seed_values),
        }

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> "Sweep":
        """Inverse of :meth:`to_spec` (also accepts the TOML mapping, see :func:`sweep_from_mapping`)."""
        return sweep_from_mapping(spec)[0]


def _expand_axis(name: str, value: Any, problems: list[str]) -> list[Any]:
    if isinstance(value, Mapping):
        allowed = {"start", "stop", "num", "log", "values"}
        bad = sorted(set(value) - allowed)
        if bad:
            problems.append(f"grid axis {name!r}: unknown range key(s) {bad} (use start, stop, num, log)")
            return []
        if "values" in value:
            return _expand_axis(name, value["values"], problems)
        missing = [k for k in ("start", "stop", "num") if k not in value]
        if missing:
            problems.append(f"grid axis {name!r}: range needs start, stop and num (missing {missing})")
            return []
        start, stop, num = value["start"], value["stop"], value["num"]
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in (start, stop)):
            problems.append(f"grid axis {name!r}: start and stop must be finite numbers")
            return []
        if not isinstance(num, int) or isinstance(num, bool) or num < 0:
            problems.append(f"grid axis {name!r}: num must be a non-negative integer, got {num!r}")
            return []
        if num > MAX_POINTS:  # refused from the shape, before any list is built
            problems.append(f"grid axis {name!r}: num = {num} points is more than the limit {MAX_POINTS} for a whole sweep")
            return []
        if value.get("log", False):
            if start <= 0 or stop <= 0:
                problems.append(f"grid axis {name!r}: a log range needs start > 0 and stop > 0")
                return []
            return [float(x) for x in np.geomspace(start, stop, num)]
        return [float(x) for x in np.linspace(start, stop, num)]
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        problems.append(f"grid axis {name!r} must be a list of values or a range table, got {type(value).__name__}")
        return []
    return list(np.asarray(value).tolist()) if isinstance(value, np.ndarray) else list(value)


def sweep_from_mapping(data: Mapping[str, Any]) -> tuple[Sweep, str | None]:
    """Build a :class:`Sweep` (and the optional ``out`` directory) from a TOML/JSON mapping.

    Only the structure is checked here; call :func:`validate_sweep` for the full check.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"a sweep config must be a table, got {type(data).__name__}")
    problems: list[str] = []
    allowed = {"function", "grid", "fixed", "seeds", "out", "description"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        problems.append(f"unknown top-level key(s) {unknown} (allowed: {sorted(allowed)})")
    function = data.get("function")
    if not isinstance(function, str) or not function:
        problems.append("missing 'function' (the name of a registered sweep function)")
    grid_in = data.get("grid", {})
    if not isinstance(grid_in, Mapping):
        problems.append("'grid' must be a table of axes")
        grid_in = {}
    grid = {str(k): _expand_axis(str(k), v, problems) for k, v in grid_in.items()}
    fixed = data.get("fixed", {})
    if not isinstance(fixed, Mapping):
        problems.append("'fixed' must be a table of parameters")
        fixed = {}
    seeds = data.get("seeds")
    out = data.get("out")
    if out is not None and not isinstance(out, str):
        problems.append("'out' must be a string (a directory)")
    if problems:
        raise ValueError("invalid sweep config: " + "; ".join(problems))
    return Sweep(function=str(function), grid=grid, fixed=dict(fixed), seeds=seeds), out


def load_sweep(path: str | os.PathLike[str]) -> tuple[Sweep, str | None]:
    """Read a sweep from a TOML file; returns ``(sweep, out)`` (``out`` may be None)."""
    from ..io import load_toml

    data = load_toml(path)
    try:
        return sweep_from_mapping(data)
    except ValueError as exc:
        raise ValueError(f"{Path(path)}: {exc}") from None


# --------------------------------------------------------------------------- validation
def _annotation_kinds(annotation: Any) -> set[str] | None:
    """Scalar kinds a parameter annotation admits ({'int','float','str','bool','none','list'}), or None if unknown."""
    if annotation is inspect.Parameter.empty:
        return None
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    kinds: set[str] = set()
    for part in str(text).replace("Optional[", "").replace("]", "").split("|"):
        part = part.strip()
        if part in ("int", "float", "str", "bool"):
            kinds.add(part)
        elif part == "None":
            kinds.add("none")
        elif part.startswith(("list", "tuple", "Sequence")):
            kinds.add("list")
        else:
            return None
    return kinds or None


def _kind(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def _coerce(name: str, value: Any, kinds: set[str] | None, where: str, problems: list[str]) -> Any:
    """Check ``value`` against the admitted kinds; ints become floats for float parameters."""
    kind = _kind(value)
    if kind == "float" and not math.isfinite(float(value)):
        problems.append(f"{where} {name!r}: value {value!r} is not finite")
        return value
    if kinds is None:
        if kind in ("int", "float", "str", "bool", "none"):
            return value
        if kind == "list":
            return [_coerce(name, v, None, where, problems) for v in value]
        problems.append(f"{where} {name!r}: unsupported value type {kind}")
        return value
    if kind in kinds:
        return float(value) if kind == "float" else (int(value) if kind == "int" else value)
    if kind == "int" and "float" in kinds:
        return float(value)
    expected = " or ".join(sorted(kinds))
    problems.append(f"{where} {name!r}: expected {expected}, got {value!r} ({kind})")
    return value


def _seed_count(seeds: Any) -> int | None:
    """Length of the seed axis from the config value alone (None: no axis or not a valid value)."""
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        return max(int(seeds), 0)
    if isinstance(seeds, (list, tuple)):
        return len(seeds)
    return None


def validate_sweep(sweep: Sweep, *, max_points: int = MAX_POINTS) -> tuple[Sweep, Callable[..., Any]]:
    """Check a sweep completely; return the normalised sweep and the resolved function.

    Raises
    ------
    ValueError
        One error listing every problem: unknown function (with the available names), a
        parameter the function does not take, a required parameter not given, an empty axis,
        a parameter both on the grid and fixed, a value of the wrong type (per the function's
        annotations; ints are accepted and converted for float parameters), a seed axis on a
        function without ``seed``, or more than ``max_points`` points.
    """
    fn = resolve(sweep.function)
    problems: list[str] = []
    sig = inspect.signature(fn)
    params = {n: p for n, p in sig.parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    takes_kwargs = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
    grid = {str(k): list(v) for k, v in sweep.grid.items()}
    fixed = dict(sweep.fixed)
    given = list(grid) + list(fixed)
    for name in sorted(set(grid) & set(fixed)):
        problems.append(f"parameter {name!r} is both a grid axis and fixed")
    if SEED_AXIS in grid or SEED_AXIS in fixed:
        if sweep.seeds is not None:
            problems.append("use either 'seeds' or a 'seed' axis/parameter, not both")
    unknown = sorted(n for n in given if n not in params and not takes_kwargs)
    if unknown:
        problems.append(f"unknown parameter(s) {unknown} for {sweep.function} (it takes: {sorted(params)})")
    seed_values: list[int] | None = None
    # refuse oversized grids from the shape alone, before any point or seed list is built
    n_seeds = _seed_count(sweep.seeds)
    n_shape = math.prod(len(v) for v in grid.values()) * (n_seeds or 1)
    if n_shape > max_points:
        raise ValueError(
            f"invalid sweep ({sweep.function}): the grid has {n_shape} points "
            f"({' x '.join([*(f'{k}[{len(v)}]' for k, v in grid.items()), *([f'seed[{n_seeds}]'] if n_seeds else [])])}), "
            f"more than the limit {max_points}"
        )
    if sweep.seeds is not None:
        seeds = sweep.seeds
        if isinstance(seeds, bool) or not (isinstance(seeds, (int, np.integer)) or (isinstance(seeds, (list, tuple)) and all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in seeds))):
            problems.append(f"'seeds' must be a positive integer or a list of integers, got {seeds!r}")
        else:
            seed_values = list(range(int(seeds))) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
            if not seed_values:
                problems.append("'seeds' gives an empty seed axis")
            elif len(set(seed_values)) != len(seed_values):
                problems.append("'seeds' has repeated values")
            elif any(s < 0 for s in seed_values):
                problems.append("seeds must be non-negative")
        if SEED_AXIS not in params and not takes_kwargs:
            problems.append(f"{sweep.function} takes no 'seed' parameter, so 'seeds' cannot be used")
    provided = set(given) | ({SEED_AXIS} if sweep.seeds is not None else set())
    required = sorted(n for n, p in params.items() if p.default is inspect.Parameter.empty and n not in provided)
    if required:
        problems.append(f"missing required parameter(s) {required} for {sweep.function}")
    norm_grid: dict[str, list[Any]] = {}
    for name, values in grid.items():
        if len(values) == 0:
            problems.append(f"grid axis {name!r} is empty")
            continue
        kinds = _annotation_kinds(params[name].annotation) if name in params else None
        vals = []
        for v in values:
            if _kind(v) == "list":
                problems.append(f"grid axis {name!r}: values must be scalars, got a list {v!r}")
                continue
            vals.append(_coerce(name, v, kinds, "grid axis", problems))
        if len({repr(v) for v in vals}) != len(vals):
            problems.append(f"grid axis {name!r} has repeated values")
        if len({_kind(v) for v in vals}) > 1:
            problems.append(f"grid axis {name!r} mixes value types {sorted({_kind(v) for v in vals})}")
        norm_grid[name] = vals
    norm_fixed = {}
    for name, v in fixed.items():
        kinds = _annotation_kinds(params[name].annotation) if name in params else None
        norm_fixed[name] = _coerce(name, v, kinds, "fixed parameter", problems)
    if not problems:
        n = math.prod(len(v) for v in norm_grid.values()) * (len(seed_values) if seed_values else 1)
        if n > max_points:
            problems.append(f"the grid has {n} points, more than the limit {max_points}")
    if problems:
        raise ValueError(f"invalid sweep ({sweep.function}): " + "; ".join(problems))
    return Sweep(function=sweep.function, grid=norm_grid, fixed=norm_fixed, seeds=None if seed_values is None else tuple(seed_values)), fn


__all__ = ["Sweep", "sweep_from_mapping", "load_sweep", "validate_sweep", "MAX_POINTS", "SEED_AXIS"]
