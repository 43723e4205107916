"""Figure recipes and claims: the contract every reproduced figure follows.

A :class:`FigureRecipe` has ``params(full) -> Params`` (a frozen dataclass, published values
by default, smaller sizes when ``full`` is false), ``compute(params, progress) -> result``,
``plot(result) -> matplotlib Figure`` (or ``None`` for a claims-only recipe) and
``claims(result) -> list[Claim]``. Claims compare a number the specification quotes with the
value computed through the public API; they are never hard-coded results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .._typing import Progress as _ProgressProtocol

#: ``progress(done, total, description)`` (the :class:`qdarwin._typing.Progress` protocol); may be ``None``.
Progress = Optional[_ProgressProtocol]


@dataclass(frozen=True)
class Claim:
    """One checked statement: a quoted number (or fact) and the value computed now."""

    key: str  #: short id, e.g. "spins/fig2/equator-max-a"
    quantity: str  #: what is compared, human readable
    expected: Any  #: the number the spec quotes (or a textual expectation)
    computed: Any  #: what qdarwin computes
    passed: bool
    tolerance: str = ""  #: e.g. "abs 1e-9", "rel 1%"
    source: str = ""  #: where the expectation comes from, e.g. "spin-environments.md §8 Fig. 2"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "quantity": self.quantity,
            "expected": self.expected,
            "computed": self.computed,
            "passed": bool(self.passed),
            "tolerance": self.tolerance,
            "source": self.source,
        }


def claim_close(
    key: str,
    quantity: str,
    expected: float,
    computed: float,
    *,
    atol: float = 0.0,
    rtol: float = 0.0,
    source: str = "",
) -> Claim:
    """A numeric claim that passes when ``|computed - expected| <= atol + rtol |expected|``."""
    comp = float(computed)
    exp = float(expected)
    if math.isinf(exp) or math.isinf(comp):
        ok = exp == comp
    else:
        ok = bool(abs(comp - exp) <= atol + rtol * abs(exp))
    tol = " + ".join(t for t in ([f"abs {atol:g}"] if atol else []) + ([f"rel {rtol:g}"] if rtol else [])) or "exact"
    return Claim(key, quantity, exp, comp, ok, tol, source)


def claim_range(key: str, quantity: str, lo: float, hi: float, computed: float, *, source: str = "") -> Claim:
    """A numeric claim that passes when ``lo <= computed <= hi``."""
    comp = float(computed)
    return Claim(key, quantity, f"[{lo:g}, {hi:g}]", comp, bool(lo <= comp <= hi), "range", source)


def claim_true(key: str, quantity: str, expected: str, ok: bool, computed: Any = None, *, source: str = "") -> Claim:
    """A qualitative claim (e.g. 'monotone in m') with a computed witness."""
    return Claim(key, quantity, expected, computed if computed is not None else bool(ok), bool(ok), "", source)


@dataclass(frozen=True)
class FigureRecipe:
    """How to reproduce one figure (or one claims table) of a paper."""

    name: str  #: file stem, e.g. "fig2_chernoff_sphere"
    pillar: str  #: "spins", "thermal" or "dephasing"
    title: str
    params: Callable[[bool], Any]
    compute: Callable[[Any, Progress], Any]
    plot: Optional[Callable[[Any], Any]] = None
    claims: Callable[[Any], list[Claim]] = field(default=lambda result: [])
    full_only: bool = False  #: run by ``reproduce --full`` only (long computations)


__all__ = ["Claim", "FigureRecipe", "Progress", "claim_close", "claim_range", "claim_true"]
