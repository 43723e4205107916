"""Memory model and guard of the thermal pillar (see docs/thermal.md, "Memory").

Large runs are refused *before* any large allocation with :class:`MemoryLimitError`, whose
message states the bytes needed, the limit in force and the largest feasible N.

Memory model (complex128, d branches, largest computed fraction m = m*), in bytes:

* branch vectors ``16 d 2^N`` and the stacked copy of the Gram step ``16 d 2^N`` (if m* > 0);
* transposition buffer ``16 2^N``;
* symmetric-sector maps ``16 2^N`` plus a transient ``40 2^N`` while orbits are built
  (method ``"sector"``);
* Gram matrix ``16 (d 2^{m*})^2``;
* full-space propagation: Ising diagonal ``8 2^N`` and Chebyshev/Krylov work vectors
  ``5 * 16 d 2^N``; CSR matrix ``20 (N + 1) 2^N`` for ``"expm"``; two dense
  ``16 4^N`` matrices for ``"dense"``.

The estimate is the sum times a safety factor 1.3 plus 0.2 GiB for the interpreter
(N = 20 / 22 / 24 give a raw model of 0.15 / 0.59 / 2.4 GiB for method "sector"). The
memory-lean route for ring-symmetric branches has its own model in
:mod:`qdarwin.thermal.plan`.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any, Callable, NamedTuple

from qdarwin._checks import check_int

SAFETY_FACTOR = 1.3
OVERHEAD_BYTES = int(0.2 * 2**30)
_METHODS = ("sector", "full", "expm", "dense")
#: Largest N the model accepts (2^N amplitudes; far beyond any memory).
MAX_N = 62
#: Largest number of branches the model accepts.
MAX_D = 2**20
#: Largest accepted memory limit (1 EiB).
MAX_LIMIT = 2**60
_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


class MemoryLimitError(MemoryError):
    """A run would need more memory than the limit (raised before allocating)."""


class MemoryBreakdown(NamedTuple):
    """Components of the memory model, in bytes (before safety factor and overhead)."""

    branches: int
    gram_stack: int
    transpose: int
    sector_maps: int
    sector_transient: int
    gram: int
    propagator: int

    @property
    def raw(self) -> int:
        """Sum of the components."""
        return int(sum(self))

    @property
    def total(self) -> int:
        """Estimate used by the guard: ``1.3 * raw + 0.2 GiB``."""
        return int(SAFETY_FACTOR * self.raw) + OVERHEAD_BYTES


def _default_m_star(n_sites: int) -> int:
    """Largest m < N/2 (the largest fraction computed on a ring)."""
    return max((n_sites + 1) // 2 - 1, 0)


def _check_method(method: str) -> str:
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    return method


def memory_breakdown(n_sites: int, d: int = 2, m_star: int | None = None, *, method: str = "sector") -> MemoryBreakdown:
    """Components of the memory model (bytes) for N sites, d branches and largest fraction m*.

    ``m_star=None`` uses the largest m < N/2; ``m_star=0`` models evolution only (no Gram step).

    Examples
    --------
    >>> round(memory_breakdown(22).raw / 2**30, 3)
    0.594
    """
    n = check_int(n_sites, "n_sites (N)", minimum=1)
    if n > MAX_N:
        raise ValueError(f"n_sites (N) must be <= {MAX_N} (2^N amplitudes), got {n}")
    dd = check_int(d, "d", minimum=1)
    if dd > MAX_D:
        raise ValueError(f"d must be <= {MAX_D} branches, got {dd}")
    _check_method(method)
    ms = _default_m_star(n) if m_star is None else check_int(m_star, "m_star", minimum=0)
    if ms > n:
        raise ValueError(f"m_star must be <= N = {n}, got {ms}")
    vec = 16 * 2**n
    sector = method == "sector"
    if method == "full":
        prop = 8 * 2**n + 5 * dd * vec
    elif method == "expm":
        prop = 8 * 2**n + 5 * dd * vec + 20 * (n + 1) * 2**n
    elif method == "dense":
        prop = 2 * 16 * 4**n + 2 * dd * vec
    else:
        prop = 0
    return MemoryBreakdown(
        branches=dd * vec,
        gram_stack=dd * vec if ms > 0 else 0,
        transpose=vec,
        sector_maps=vec if sector else 0,
        sector_transient=40 * 2**n if sector else 0,
        gram=16 * (dd * 2**ms) ** 2 if ms > 0 else 0,
        propagator=prop,
    )


def estimate_memory(n_sites: int, d: int = 2, m_star: int | None = None, *, method: str = "sector") -> int:
    """Estimated peak memory in bytes (memory model x 1.3 + 0.2 GiB, see docs/thermal-dynamics.md).

    Parameters
    ----------
    n_sites : int
        Environment size N.
    d : int
        Number of branches.
    m_star : int, optional
        Largest fraction size whose Gram matrix is formed (default: largest m < N/2;
        0: evolution only).
    method : {"sector", "full", "expm", "dense"}
        Evolution method.

    Examples
    --------
    >>> estimate_memory(20) < 2**30
    True
    """
    return memory_breakdown(n_sites, d, m_star, method=method).total


def parse_bytes(text: str | int | float, name: str = "memory limit") -> int:
    """Parse a byte count: an integer, or a number with unit (``"8GB"``, ``"512MiB"``).

    Limits must be positive, finite and at most 1 EiB (``MAX_LIMIT``); ``name`` is used in
    the error message.

    Examples
    --------
    >>> parse_bytes("1.5GiB") == 3 * 2**29
    True
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, float) and not math.isfinite(text):
            raise ValueError(f"{name} must be a finite number of bytes, got {text}")
        if text <= 0:
            raise ValueError(f"{name} must be positive, got {text}")
        if text > MAX_LIMIT:
            raise ValueError(f"{name} must be at most {MAX_LIMIT} bytes (1 EiB)")
        return int(text)
    s = str(text).strip().lower().replace(" ", "")
    m = re.fullmatch(r"([0-9]*\.?[0-9]+(?:e[0-9]+)?)([a-z]*)", s)
    if not m or m.group(2) not in _UNITS:
        raise ValueError(f"{name}: cannot parse {text!r} (use bytes or e.g. '8GB', '512MiB')")
    val = float(m.group(1)) * _UNITS[m.group(2)]
    if not math.isfinite(val) or val > MAX_LIMIT:
        raise ValueError(f"{name} must be at most 1 EiB, got {text!r}")
    if int(val) <= 0:
        raise ValueError(f"{name} must be positive, got {text!r}")
    return int(val)


def physical_memory() -> int:
    """Physical memory of this machine in bytes (16 GiB if it cannot be determined)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 16 * 2**30


def memory_limit() -> int:
    """Memory limit in bytes: ``QDARWIN_MEMORY_LIMIT`` (bytes or "8GB") else 80 % of physical memory.

    Examples
    --------
    >>> memory_limit() > 0
    True
    """
    env = os.environ.get("QDARWIN_MEMORY_LIMIT", "").strip()
    if env:
        return parse_bytes(env)
    return int(0.8 * physical_memory())


def _resolve_limit(limit: Any) -> int:
    return memory_limit() if limit is None else parse_bytes(limit)


def largest_feasible_n(d: int = 2, m_star_rule: Callable[[int], int | None] | int | None = None, *,
                       method: str = "sector", limit: Any = None) -> int:
    """Largest N whose estimate fits in ``limit`` (0 if none).

    ``m_star_rule``: None (largest m < N/2), an int cap (min(cap, largest m < N/2)) or a
    callable N -> m*.

    Examples
    --------
    >>> largest_feasible_n(2, limit="1GiB")
    22
    """
    lim = _resolve_limit(limit)
    _check_method(method)
    best = 0
    for n in range(1, MAX_N + 1):
        if callable(m_star_rule):
            ms = m_star_rule(n)
        elif m_star_rule is None:
            ms = None
        else:
            ms = min(check_int(m_star_rule, "m_star_rule", minimum=0), _default_m_star(n))
        if estimate_memory(n, d, ms, method=method) <= lim:
            best = n
        else:
            break
    return best


def _fmt(nbytes: int) -> str:
    return f"{nbytes} bytes ({nbytes / 2**30:.3g} GiB)"


def check_memory(n_sites: int, d: int = 2, m_star: int | None = None, *, method: str = "sector",
                 limit: Any = None, advice: str = "raise the limit with QDARWIN_MEMORY_LIMIT or memory_limit=, or cap m*") -> int:
    """Raise :class:`MemoryLimitError` if the estimate exceeds the limit; return the estimate.

    ``advice`` ends the message (the CLI names its own options there). N beyond ``MAX_N``
    is refused at once, without evaluating 2^N.

    Examples
    --------
    >>> check_memory(12) < 2**30
    True
    """
    lim = _resolve_limit(limit)
    n_req = check_int(n_sites, "n_sites (N)", minimum=1)
    if n_req > MAX_N:
        n_max = largest_feasible_n(d, m_star if m_star is not None else None, method=method, limit=lim)
        raise MemoryLimitError(
            f"N = {n_req} needs more than 2^{MAX_N} bytes (2^N amplitudes), above the memory limit of {_fmt(lim)}; "
            f"largest feasible N is {n_max}"
        )
    need = estimate_memory(n_req, d, m_star, method=method)
    if need > lim:
        n_max = largest_feasible_n(d, m_star if m_star is not None else None, method=method, limit=lim)
        work = "evolution only" if m_star == 0 else ("I(S:F) up to the largest m < N/2" if m_star is None else f"I(S:F) up to m* = {m_star}")
        raise MemoryLimitError(
            f"N = {n_sites} with d = {d} (method {method!r}, {work}) needs about {_fmt(need)}, above the memory "
            f"limit of {_fmt(lim)}; largest feasible N is {n_max} ({advice})"
        )
    return need


def check_bytes(nbytes: int, what: str, *, limit: Any = None) -> None:
    """Refuse a single allocation of ``nbytes`` that exceeds the limit."""
    lim = _resolve_limit(limit)
    if nbytes > lim:
        raise MemoryLimitError(f"{what} needs about {_fmt(int(nbytes))}, above the memory limit of {_fmt(lim)}")


__all__ = [
    "MemoryLimitError",
    "MemoryBreakdown",
    "memory_breakdown",
    "estimate_memory",
    "parse_bytes",
    "memory_limit",
    "largest_feasible_n",
    "check_memory",
    "check_bytes",
    "MAX_N",
    "MAX_LIMIT",
]
