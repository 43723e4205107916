"""Figure recipes and claims: the contract every reproduced figure follows.

A :class:`FigureRecipe` has ``params(full) -> Params`` (a frozen dataclass, published values
by default, smaller sizes when ``full`` is false), ``compute(params, progress) -> result``,
``plot(result) -> matplotlib Figure`` (or ``None`` for a claims-only recipe) and
``claims(result) -> list[Claim]``. Claims compare a number the paper quotes (or an independent
reference computation, see the theory pages of the documentation) with the value computed through
the public API; they are never hard-coded results, and each can fail on a wrong computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .._typing import Progress as _ProgressProtocol

#: ``progress(done, total, description)`` (the :class:`qdarwin._typing.Progress` protocol); may be ``None``.
Progress = Optional[_ProgressProtocol]


#: The papers the recipes reproduce, as cited in the claims table's source column.
PAPERS = {
    "spins": "Zwolak, Riedel & Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578",
    "thermal": "Cao & Nussinov, arXiv:2603.15743",
    "dephasing": "Oi & Schirmer, Fundamental Speed Limits on Quantum Coherence and Correlation Decay",
}
_SHORT = {
    "spins": "Zwolak, Riedel & Zurek 2016 (arXiv:1512.07578)",
    "thermal": "Cao & Nussinov (arXiv:2603.15743)",
    "dephasing": "Oi & Schirmer (speed limits on coherence decay)",
}


def cite(pillar: str, where: str = "", page: str = "") -> str:
    """Source text of a claim: the paper of ``pillar`` at ``where`` (e.g. "Fig. 5") and/or a docs page.

    ``page`` is a page of the documentation (e.g. ``"theory-spins.md#reference-values"``) for
    numbers the paper does not print (independent reference computations, errata).

    Examples
    --------
    >>> cite("spins", "Fig. 5")
    'Zwolak, Riedel & Zurek 2016 (arXiv:1512.07578), Fig. 5'
    >>> cite("dephasing", page="theory-dephasing.md#errata")
    'docs/theory-dephasing.md#errata'
    """
    parts = []
    if where:
        parts.append(f"{_SHORT[pillar]}, {where}")
    if page:
        parts.append(f"docs/{page}")
    return "; ".join(parts) or _SHORT[pillar]


@dataclass(frozen=True)
class Claim:
    """One checked statement: a quoted number (or fact) and the value computed now.

    ``criterion`` says in words and symbols exactly what decides ``passed`` (every claim has
    one); ``note`` flags a pass that needs explanation, e.g. a value outside a quoted interval
    that passes only because the interval is compared at its quoted precision.
    """

    key: str  #: short id, e.g. "spins/fig2/equator-max-a"
    quantity: str  #: what is compared, human readable
    expected: Any  #: the number the paper quotes (or a textual expectation)
    computed: Any  #: what qdarwin computes
    passed: bool
    tolerance: str = ""  #: e.g. "abs 1e-9", "rel 1%"
    source: str = ""  #: where the expectation comes from (paper and figure, or a docs page)
    criterion: str = ""  #: the test that decides ``passed``, e.g. "|computed - expected| <= 1e-9"
    note: str = ""  #: e.g. "outside the quoted [0.81, 0.86]; inside only at the quoted precision"

    @property
    def status(self) -> str:
        """``"FAIL"``, ``"PASS"`` or ``"PASS*"`` (passes, with a ``note`` to read)."""
        if not self.passed:
            return "FAIL"
        return "PASS*" if self.note else "PASS"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "quantity": self.quantity,
            "expected": self.expected,
            "computed": self.computed,
            "passed": bool(self.passed),
            "status": self.status,
            "tolerance": self.tolerance,
            "criterion": self.criterion,
            "note": self.note,
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
    """A numeric claim that passes when ``|computed - expected| <= atol + rtol |expected|``.

    A NaN computed value fails; infinities pass only when equal.
    """
    comp = float(computed)
    exp = float(expected)
    if math.isinf(exp) or math.isinf(comp):
        ok = exp == comp
    else:
        ok = bool(abs(comp - exp) <= atol + rtol * abs(exp))
    tol = " + ".join(t for t in ([f"abs {atol:g}"] if atol else []) + ([f"rel {rtol:g}"] if rtol else [])) or "exact"
    if atol or rtol:
        bound = " + ".join(([f"{atol:g}"] if atol else []) + ([f"{rtol:g} |expected|"] if rtol else []))
        crit = f"|computed - expected| <= {bound}"
    else:
        crit = "computed == expected"
    return Claim(key, quantity, exp, comp, ok, tol, source, crit)


def claim_range(key: str, quantity: str, lo: float, hi: float, computed: float, *, source: str = "") -> Claim:
    """A numeric claim that passes when ``lo <= computed <= hi`` (NaN fails)."""
    comp = float(computed)
    return Claim(key, quantity, f"[{lo:g}, {hi:g}]", comp, bool(lo <= comp <= hi), "range", source,
                 f"{lo:g} <= computed <= {hi:g}")


def claim_quoted_range(
    key: str,
    quantity: str,
    lo: float,
    hi: float,
    computed: float,
    *,
    decimals: int,
    source: str = "",
) -> Claim:
    """Range claim for an interval quoted with ``decimals`` digits, compared at that precision.

    The interval is widened by half a unit of its last quoted digit (a value that rounds into the
    quoted interval passes; a quoted bound of exactly 0 stays 0). A value outside the quoted
    interval that passes only thanks to the widening is marked ``PASS*`` with a note.

    Examples
    --------
    >>> claim_quoted_range("k", "q", 0.81, 0.86, 0.8062, decimals=2).status
    'PASS*'
    >>> claim_quoted_range("k", "q", 0.81, 0.86, 0.83, decimals=2).status
    'PASS'
    >>> claim_quoted_range("k", "q", 0.81, 0.86, 0.80, decimals=2).status
    'FAIL'
    """
    half = 0.5 * 10.0 ** (-decimals)
    quoted = f"{lo:.{decimals}f}" if lo == hi else f"[{lo:.{decimals}f}, {hi:.{decimals}f}]"
    lo_w = lo if lo == 0 else lo - half
    hi_w = hi + half
    w = decimals + 1
    widened = f"[{lo_w:.{w}f}, {hi_w:.{w}f}]"
    comp = float(computed)
    ok = bool(lo_w <= comp <= hi_w)
    note = ""
    if ok and not lo <= comp <= hi:
        note = (f"outside the quoted interval {quoted}; passes only because the interval is compared at its "
                f"quoted precision {widened} (half a unit of the last digit)")
    return Claim(key, quantity, f"{quoted} (quoted)", comp, ok, f"range at quoted precision {widened}", source,
                 f"{lo_w:.{w}f} <= computed <= {hi_w:.{w}f}", note)


def claim_true(
    key: str,
    quantity: str,
    expected: str,
    ok: bool,
    computed: Any = None,
    *,
    criterion: str,
    source: str = "",
) -> Claim:
    """A qualitative claim (e.g. 'monotone in m') with a computed witness.

    ``criterion`` states exactly what is tested on the computed data (it is shown in the
    claims table), e.g. ``"all(diff(I_late[0:N/2+1]) > 0)"``.
    """
    if not criterion:
        raise ValueError(f"claim {key!r}: criterion must say what is checked")
    return Claim(key, quantity, expected, computed if computed is not None else bool(ok), bool(ok), "criterion",
                 source, criterion)


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


__all__ = [
    "PAPERS",
    "Claim",
    "FigureRecipe",
    "Progress",
    "cite",
    "claim_close",
    "claim_quoted_range",
    "claim_range",
    "claim_true",
]
