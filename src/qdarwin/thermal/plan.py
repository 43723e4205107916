"""Planning an I(S:F) run: which Gram route, peak memory and operation count, before computing.

Two routes compute the same curves (see docs/thermal.md):

* ``"dense"`` -- the branch states are lifted to 2^N vectors and reshaped per fraction
  (:func:`qdarwin.thermal.information.mi_curve`); memory model
  :func:`qdarwin.thermal.memory.memory_breakdown`;
* ``"lean"`` -- dihedral-sector coefficients only, column blocks lifted on the fly
  (:func:`qdarwin.thermal.lean.lean_mi_curve`); uniform rings with product branches.

``route="auto"`` takes the dense route when it fits the memory limit and the lean route
otherwise. The lean model is the largest of its phases (bytes, before the safety factor 1.3
and the 0.2 GiB interpreter overhead; D = number of orbits, d branches, C = ``12 (N + 1) D``
the sector Hamiltonian in CSR, V = ``16 d D`` one block of branch coefficients):

* orbit map ``O = 4 * 2^N + 40 D`` (:func:`qdarwin.thermal.sector.orbit_map_bytes`), held
  throughout;
* Hamiltonian build ``O + 28 (N + 1) D`` (row, column and value lists, then the CSR);
* evolution: short vectors (``3 V <= 128 MiB``, windowed Chebyshev series) ``O + 3 C + 4 V``
  plus the series buffers ``min(128 MiB, 32 V) + min(128 MiB, 512 V)`` (the matrix, its
  rescaled copy and the transient of the rescaling); long vectors (step by step) ``O + C + 10 V``;
* Gram phase, per fraction size: what the evolution keeps (``2 C`` plus the buffers, or
  ``C + 4 V``) + ``4 V`` (coefficients, amplitudes) + ``4 * 16 (d R)^2`` (the two Gram
  matrices, the float64 copy and the eigensolver workspace) + ``4 * block_bytes`` (one lifted
  column block), ``R = 2^(m-1) + 2^(ceil(m/2) - 1)`` for the largest m.

The model is checked against traced peaks in tests/thermal/test_lean.py and against the
measured peak RSS of N = 24-28 runs in docs/thermal-scale.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from .._checks import check_int
from .lean import BLOCK_BYTES, gram_flops
from .memory import (
    MAX_N,
    OVERHEAD_BYTES,
    SAFETY_FACTOR,
    MemoryLimitError,
    _fmt,
    _resolve_limit,
    estimate_memory,
)
from ._chebyshev import ACC_BUDGET, KC_MAX, MAX_WINDOW
from .sector import orbit_map_bytes, sector_dim_bound

__all__ = ["ROUTES", "RunPlan", "lean_memory", "lean_phases", "lean_worker_bytes", "plan_run", "largest_lean_n", "require_fit"]

Route = Literal["auto", "dense", "lean"]
ROUTES = ("auto", "dense", "lean")


def _gram_side(ms: int) -> int:
    """R = 2^(m-1) + 2^(ceil(m/2) - 1): side of the even reflection block per branch (0 for m = 0)."""
    return 2 ** (ms - 1) + 2 ** (math.ceil(ms / 2) - 1) if ms > 0 else 0


def _largest_m(n: int, m_max: int | None) -> int:
    top = (n - 1) // 2
    return top if m_max is None else min(top, m_max)


def lean_phases(n_sites: int, d: int = 2, m_max: int | None = None, *,
                block_bytes: int = BLOCK_BYTES) -> dict[str, int]:
    """Modelled raw peak bytes of each phase of the lean route (see the module docstring).

    Examples
    --------
    >>> sorted(lean_phases(20))
    ['build', 'evolution', 'gram']
    """
    n = check_int(n_sites, "n_sites (N)", minimum=3)
    if n > MAX_N:
        raise ValueError(f"n_sites (N) must be <= {MAX_N}, got {n}")
    dd = check_int(d, "d", minimum=1)
    block = check_int(block_bytes, "block_bytes", minimum=1)
    dim = sector_dim_bound(n)
    ms = _largest_m(n, None if m_max is None else check_int(m_max, "m_max", minimum=0))
    base = orbit_map_bytes(n)
    csr = 12 * (n + 1) * dim
    vec = 16 * dd * dim
    if 3 * vec <= ACC_BUDGET:  # windowed series: matrix + rescaled copy kept, buffers kept
        buffers = min(ACC_BUDGET, KC_MAX * vec) + min(ACC_BUDGET, 2 * MAX_WINDOW * vec)
        evolution = base + 3 * csr + 4 * vec + buffers
        kept = 2 * csr + buffers
    else:  # step by step
        evolution = base + csr + 10 * vec
        kept = csr + 4 * vec
    r = _gram_side(ms)
    gram = base + kept + 4 * vec + (4 * 16 * (dd * r) ** 2 + 4 * block if ms > 0 else 0)
    return {"build": base + 28 * (n + 1) * dim, "evolution": evolution, "gram": gram}


def lean_worker_bytes(n_sites: int, d: int = 2, m_max: int | None = None, *,
                      block_bytes: int = BLOCK_BYTES) -> int:
    """Raw peak bytes of one Dask worker of a distributed lean run (before the safety factor).

    A worker holds its own orbit map ``O``, the scattered amplitudes ``V``, its two partial
    Gram matrices ``2 * 16 (d R)^2`` and one lifted column block ``4 * block_bytes``.

    Examples
    --------
    >>> lean_worker_bytes(28, 2, 12) < lean_phases(28, 2, 12)["gram"]
    True
    """
    n = check_int(n_sites, "n_sites (N)", minimum=3)
    dd = check_int(d, "d", minimum=1)
    ms = _largest_m(n, None if m_max is None else check_int(m_max, "m_max", minimum=0))
    r = _gram_side(ms)
    return orbit_map_bytes(n) + 16 * dd * sector_dim_bound(n) + 2 * 16 * (dd * r) ** 2 + 4 * int(block_bytes)


def lean_memory(n_sites: int, d: int = 2, m_max: int | None = None, *, block_bytes: int = BLOCK_BYTES) -> int:
    """Estimated peak bytes of the lean route: largest phase of :func:`lean_phases` x 1.3 + 0.2 GiB.

    Examples
    --------
    >>> lean_memory(28, 2, 12) < 20 * 2**30
    True
    """
    raw = max(lean_phases(n_sites, d, m_max, block_bytes=block_bytes).values())
    return int(SAFETY_FACTOR * raw) + OVERHEAD_BYTES


def _evolution_flops(n: int, d: int, t_max: float) -> int:
    """Chebyshev cost: (half spectral width x t_max + 50) products with the sector CSR."""
    half_width = 1.5 * n  # |J| + |h_z| + |h_x| ~ 2.9 for the default chain, Gershgorin / 2
    terms = half_width * t_max + 50
    return int(terms * 4 * (n + 1) * sector_dim_bound(n) * d)


@dataclass(frozen=True)
class RunPlan:
    """What an I(S:F) run will do (``qdarwin thermal run --dry-run``).

    Attributes
    ----------
    route : {"dense", "lean"}
        Gram route chosen.
    method : str
        Evolution method.
    peak_bytes : int
        Estimated peak memory of the chosen route.
    dense_bytes, lean_bytes : int or None
        Estimates of both routes (None where a route does not apply).
    flops : int
        Estimated floating-point operations (evolution + Gram products + eigenvalues).
    limit : int
        Memory limit in force.
    fits : bool
        ``peak_bytes <= limit``.
    """

    route: str
    method: str
    n_sites: int
    d: int
    m_max: int
    n_times: int
    peak_bytes: int
    dense_bytes: int
    lean_bytes: int | None
    flops: int
    limit: int
    fits: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON-ready)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def plan_run(
    n_sites: int,
    d: int = 2,
    *,
    m_max: int | None = None,
    times: Any = (0.0,),
    method: str = "sector",
    route: str = "auto",
    ring: bool = True,
    product_branches: bool = True,
    limit: Any = None,
) -> RunPlan:
    """Choose the Gram route and estimate memory and work; nothing is allocated (fast at any N).

    Parameters
    ----------
    n_sites, d : int
        Environment size N and number of branches.
    m_max : int, optional
        Largest fraction size computed directly.
    times : sequence of float
        Requested times (their number and largest value set the work).
    method : str
        Evolution method of the dense route ("sector", "full", "expm", "dense").
    route : {"auto", "dense", "lean"}
        Requested route; "auto" takes the dense route if it fits, else the lean one.
    ring, product_branches : bool
        The lean route needs a uniform ring and product (preset) branches.
    limit : int or str, optional
        Memory limit (default: :func:`qdarwin.thermal.memory.memory_limit`).

    Returns
    -------
    RunPlan
        ``fits`` is False when no allowed route fits (callers raise MemoryLimitError).

    Examples
    --------
    >>> p = plan_run(28, 2, m_max=12, times=[30.0], limit="24GB")
    >>> p.route, p.fits
    ('lean', True)
    """
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}, got {route!r}")
    n = check_int(n_sites, "n_sites (N)", minimum=1)
    dd = check_int(d, "d", minimum=1)
    mm = None if m_max is None else check_int(m_max, "m_max", minimum=0)
    ts = [float(t) for t in times]
    lim = _resolve_limit(limit)
    lean_ok = ring and product_branches and method in ("auto", "sector") and 3 <= n <= MAX_N
    if route == "lean" and not lean_ok:
        raise ValueError('route "lean" needs a uniform ring (boundary="periodic"), preset product branches and method sector/auto')
    top = (n - 1) // 2 if ring else n // 2
    m_star = top if mm is None else min(top, mm)
    dense = estimate_memory(min(n, MAX_N), dd, m_star, method="sector" if (ring and method == "auto") else
                            ("full" if method == "auto" else method)) if n <= MAX_N else 2**63
    lean = lean_memory(n, dd, mm) if lean_ok else None
    if route == "dense" or (route == "auto" and (dense <= lim or lean is None)):
        chosen, peak = "dense", dense
    else:
        chosen, peak = "lean", (lean if lean is not None else dense)
    t_max = max(ts) if ts else 0.0
    n_eff = min(n, MAX_N)
    flops = _evolution_flops(n_eff, dd, t_max) + len(ts) * sum(gram_flops(n_eff, dd, m) for m in range(1, m_star + 1))
    return RunPlan(
        route=chosen, method=method, n_sites=n, d=dd, m_max=m_star, n_times=len(ts), peak_bytes=int(peak),
        dense_bytes=int(dense), lean_bytes=lean, flops=int(flops), limit=lim, fits=peak <= lim,
    )


def largest_lean_n(d: int = 2, m_max: int | None = None, *, limit: Any = None) -> int:
    """Largest N whose lean-route estimate fits in ``limit`` (0 if none).

    Examples
    --------
    >>> largest_lean_n(2, 12, limit="20GiB") >= 28
    True
    """
    lim = _resolve_limit(limit)
    best = 0
    for n in range(3, MAX_N + 1):
        if lean_memory(n, d, m_max) <= lim:
            best = n
        else:
            break
    return best


def require_fit(plan: RunPlan, *, advice: str = "raise the limit (QDARWIN_MEMORY_LIMIT, memory_limit=) or cap m_max") -> RunPlan:
    """Return ``plan`` or raise :class:`MemoryLimitError` naming the largest feasible N."""
    if plan.fits:
        return plan
    if plan.lean_bytes is not None:
        n_max = max(largest_lean_n(plan.d, plan.m_max, limit=plan.limit), 0)
    else:
        from .memory import largest_feasible_n

        n_max = largest_feasible_n(plan.d, plan.m_max, method=plan.method if plan.method != "auto" else "full",
                                   limit=plan.limit)
    raise MemoryLimitError(
        f"N = {plan.n_sites} with d = {plan.d} (route {plan.route!r}, I(S:F) up to m = {plan.m_max}) needs about "
        f"{_fmt(plan.peak_bytes)}, above the memory limit of {_fmt(plan.limit)}; largest feasible N is {n_max} ({advice})"
    )
