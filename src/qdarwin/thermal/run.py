"""One I(S:F_m)-over-time run of the thermal pillar, resumable, with its summary.

:func:`run_mi` evolves the broadcast branches under the environment Hamiltonian and records
``I(S:F_m)`` (bits) at each requested time with the Gram route chosen by
:func:`qdarwin.thermal.plan.plan_run` (dense 2^N vectors, or the memory-lean sector route,
optionally on a Dask cluster). Finished time points go to an optional checkpoint ``store``
(any object with the interface of ``qdarwin.io.store.PointStore``: ``key_for``, ``has``,
``get``, ``put``), so a killed run resumes; the core never imports I/O.
:func:`summarize_mi` reduces the result to the late-time curve and the redundancy number
(Cao & Nussinov, arXiv:2603.15743; docs/thermal.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Protocol, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import check_int, check_real_scalar
from .._typing import FloatArray, Progress
from ._common import LATE_WINDOW
from .evolution import METHODS, SECTOR_DENSE_MAX, iter_sector_coefficients
from .information import build_mi_dataset, iter_mi_curves
from .lean import PRECISIONS, lean_mi_curve
from .models import BroadcastSetup, ChaoticIsing, SKEnvironment
from .plan import ROUTES, RunPlan, plan_run, require_fit

__all__ = ["Evolution", "as_evolution", "CheckpointStore", "plan_mi", "run_mi", "iter_run_curves",
           "late_curve", "summarize_mi"]



@dataclass(frozen=True)
class Evolution:
    """How a run evolves the branches and computes I(S:F).

    Parameters
    ----------
    method : {"auto", "sector", "full", "expm", "dense"}
        Propagation method (see :mod:`qdarwin.thermal.evolution`).
    route : {"auto", "dense", "lean"}
        Gram route (see :mod:`qdarwin.thermal.plan`); "auto" takes the lean route where it
        applies and needs less memory, or where the dense one does not fit.
    precision : {"double", "single"}
        Accumulation precision of the lean route (eigenvalues always in float64).
    sector_dense_max : int
        Largest sector dimension propagated by dense diagonalisation.

    Examples
    --------
    >>> Evolution("sector", route="lean").route
    'lean'
    """

    method: str = "auto"
    route: str = "auto"
    precision: str = "double"
    sector_dense_max: int = SECTOR_DENSE_MAX

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.route not in ROUTES:
            raise ValueError(f"route must be one of {ROUTES}, got {self.route!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        if self.precision == "single" and self.route == "dense":
            raise ValueError('precision "single" needs the lean route (route "lean" or "auto")')
        object.__setattr__(self, "sector_dense_max", check_int(self.sector_dense_max, "sector_dense_max", minimum=0))


def as_evolution(method: str | Evolution) -> Evolution:
    """Accept an :class:`Evolution` or a method name such as ``"sector"`` (shorthand).

    Examples
    --------
    >>> as_evolution("full")
    Evolution(method='full', route='auto', precision='double', sector_dense_max=1000)
    """
    if isinstance(method, Evolution):
        return method
    if isinstance(method, str):
        return Evolution(method)
    raise ValueError(f"method must be a method name or an Evolution, got {type(method).__name__}")


class CheckpointStore(Protocol):
    """The checkpoint interface of ``qdarwin.io.store.PointStore`` used by :func:`run_mi`."""

    def key_for(self, params: dict[str, Any]) -> str: ...
    def has(self, key: str) -> bool: ...
    def get(self, key: str) -> Any: ...
    def put(self, key: str, ds: Any, params: dict[str, Any]) -> None: ...


Env = ChaoticIsing | SKEnvironment


def _is_ring(env: Env) -> bool:
    return isinstance(env, ChaoticIsing) and env.is_uniform_ring


def plan_mi(env: Env, setup: BroadcastSetup, times: ArrayLike, *, method: str | Evolution = "auto",
            m_max: int | None = None, memory_limit: Any = None) -> RunPlan:
    """The :class:`~qdarwin.thermal.plan.RunPlan` of :func:`run_mi` (route, peak bytes, flops).

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> plan_mi(ChaoticIsing(28), redundant(), [30.0], m_max=12, memory_limit="24GB").route
    'lean'
    """
    evo = as_evolution(method)
    ring = _is_ring(env)
    ts = np.atleast_1d(np.asarray(times, dtype=float))
    base_method = "sector" if ring and evo.method == "auto" else ("full" if evo.method == "auto" else evo.method)
    plan = plan_run(env.n_sites, setup.d, m_max=m_max, times=ts.tolist(), method=base_method, route=evo.route,
                    ring=ring, product_branches=isinstance(setup, BroadcastSetup), limit=memory_limit)
    prefer_lean = evo.precision == "single" or (plan.lean_bytes is not None and plan.lean_bytes < plan.dense_bytes)
    if evo.route == "auto" and plan.route == "dense" and plan.lean_bytes is not None and prefer_lean:
        plan = plan_run(env.n_sites, setup.d, m_max=m_max, times=ts.tolist(), method=base_method, route="lean",
                        ring=ring, limit=memory_limit)
    if evo.precision == "single" and plan.route != "lean":
        raise ValueError('precision "single" needs the lean route (a uniform ring with a preset set-up)')
    return plan


def iter_run_curves(
    env: Env,
    setup: BroadcastSetup,
    times: ArrayLike,
    *,
    method: str | Evolution = "auto",
    m_max: int | None = None,
    base: float = 2.0,
    threads: int | None | str = "default",
    memory_limit: Any = None,
    client: Any = None,
    progress: Progress | None = None,
) -> Iterator[tuple[float, FloatArray]]:
    """Yield ``(t, I_curve)`` (bits) on the planned route; MemoryLimitError before allocating.

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> [c.round(6).tolist() for _, c in iter_run_curves(ChaoticIsing(4), redundant(), [0.0])]
    [[0.0, 1.0, 1.0, 1.0, 2.0]]
    """
    evo = as_evolution(method)
    ts = np.sort(np.atleast_1d(np.asarray(times, dtype=float)))
    plan = require_fit(plan_mi(env, setup, ts, method=evo, m_max=m_max, memory_limit=memory_limit))
    if plan.route == "dense":
        if client is not None:
            raise ValueError("a Dask client needs the lean route (a uniform ring with a preset set-up)")
        yield from iter_mi_curves(env, setup, ts, method=evo.method, progress=progress, base=base, m_max=m_max,
                                  threads=threads, memory_limit=memory_limit)
        return
    assert isinstance(env, ChaoticIsing)
    total = int(ts.size)
    for i, (t, c) in enumerate(iter_sector_coefficients(env, setup, ts, sector_dense_max=evo.sector_dense_max)):
        curve = lean_mi_curve(c, setup.probs, env.n_sites, base=base, m_max=m_max, precision=evo.precision,
                              client=client, threads=threads)
        if progress is not None:
            progress(i + 1, total, f"t = {t:.4g}")
        yield t, curve


def _physics(env: Env, setup: BroadcastSetup, m_max: int | None, evo: Evolution) -> dict[str, Any]:
    out: dict[str, Any] = {
        "N": env.n_sites, "J": getattr(env, "J", None), "hx": getattr(env, "hx", None), "hz": getattr(env, "hz", None),
        "boundary": getattr(env, "boundary", None), "theta": setup.theta, "axes": setup.axes.tolist(),
        "probs": setup.probs.tolist(), "m_max": m_max,
    }
    if evo.precision != "double":
        out["precision"] = evo.precision
    return out


def run_mi(
    env: Env,
    setup: BroadcastSetup,
    times: ArrayLike,
    *,
    method: str | Evolution = "auto",
    m_max: int | None = None,
    base: float = 2.0,
    threads: int | None | str = "default",
    memory_limit: Any = None,
    client: Any = None,
    store: CheckpointStore | None = None,
    progress: Progress | None = None,
) -> Any:
    """I(S:F_m) over time as an ``xarray.Dataset``, resuming from ``store`` when given.

    Parameters
    ----------
    env : ChaoticIsing or SKEnvironment
        Environment Hamiltonian (times in 1/J).
    setup : BroadcastSetup
        Broadcast set-up.
    times : array_like
        Times t >= 0 (sorted and de-duplicated).
    method : str or Evolution
        Evolution method and Gram route (a method name is a shorthand for ``Evolution(name)``).
    m_max : int, optional
        Largest fraction size computed directly.
    base : float
        Logarithm base (2: bits).
    threads : int, None or "default"
        BLAS threads of the Gram step.
    memory_limit : int or str, optional
        Memory limit for the guard (default 80 % of physical memory).
    client : distributed.Client, optional
        Dask client for the lean route's column blocks.
    store : PointStore-like, optional
        Checkpoint store: finished times are read back, new ones written as they finish.
    progress : callable, optional
        ``progress(done, total, description)`` per computed time.

    Returns
    -------
    xarray.Dataset
        ``I(time, m)`` [bit] with ``S_S``, ``plateau`` (H(p)), ``energy_density(branch)``;
        attributes ``computed`` and ``reused`` count the time points.

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> ds = run_mi(ChaoticIsing(6), redundant(), [0.0, 1.0])
    >>> ds["I"].shape, ds.attrs["route"]
    ((2, 7), 'dense')
    """
    evo = as_evolution(method)
    grid = sorted({float(t) for t in np.atleast_1d(np.asarray(times, dtype=float))})
    for t in grid:
        if not np.isfinite(t) or t < 0:
            raise ValueError(f"times must be finite and >= 0, got {t}")
    check_real_scalar(base, "base")
    plan = require_fit(plan_mi(env, setup, grid, method=evo, m_max=m_max, memory_limit=memory_limit))
    physics = _physics(env, setup, m_max, evo)
    keys = {t: store.key_for({**physics, "time": t}) for t in grid} if store is not None else {}
    done: dict[float, NDArray[np.float64]] = {}
    if store is not None:
        for t in grid:
            if store.has(keys[t]):
                done[t] = np.asarray(store.get(keys[t])["I"].values, dtype=float)
    todo = [t for t in grid if t not in done]
    if todo:
        import xarray as xr

        for t, curve in iter_run_curves(env, setup, todo, method=evo, m_max=m_max, base=base, threads=threads,
                                        memory_limit=memory_limit, client=client, progress=progress):
            done[t] = curve
            if store is not None:
                point = xr.Dataset({"I": (("m",), curve, {"units": "bit"})}, coords={"m": np.arange(env.n_sites + 1)})
                store.put(keys[t], point, {**physics, "time": t})
    curves = np.stack([done[t] for t in grid])
    ds = build_mi_dataset(env, setup, grid, curves, method=evo.method, base=base, window=LATE_WINDOW)
    ds.attrs.update({"route": plan.route, "precision": evo.precision, "computed": len(todo),
                     "reused": len(grid) - len(todo)})
    return ds


def late_curve(ds: Any, window: Sequence[float] = LATE_WINDOW) -> tuple[FloatArray, str, list[float]]:
    """Late-time I(S:F_m) of a run: the mean over the grid times inside the late window.

    Times of the grid within [min(window), max(window)] are averaged (all of the window's
    times when they are on the grid); with none in that range the last time is used. Returns
    the curve, a label that says what was averaged, and the times used.

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> ds = run_mi(ChaoticIsing(6), redundant(), [0.0, 22.0, 31.0, 50.0])
    >>> late_curve(ds)[1]
    'late-window mean over t = 22, 31 (grid times in [20, 40])'
    """
    times = np.asarray(ds["time"].values, dtype=float)
    lo, hi = float(min(window)), float(max(window))
    exact = [t for t in window if np.any(np.isclose(times, t))]
    inside = [float(t) for t in times if lo - 1e-9 <= t <= hi + 1e-9]
    if len(exact) == len(window) or (exact and len(exact) == len(inside)):
        used = [float(times[np.argmin(np.abs(times - t))]) for t in exact]
        label = f"late-window mean over t = {', '.join(f'{t:g}' for t in exact)}"
    elif inside:
        used = inside
        label = f"late-window mean over t = {', '.join(f'{t:.4g}' for t in inside)} (grid times in [{lo:g}, {hi:g}])"
    else:
        used = [float(times[-1])]
        label = f"last time t = {times[-1]:g} (no grid time in the late window [{lo:g}, {hi:g}])"
    idx = [int(np.argmin(np.abs(times - t))) for t in used]
    late = np.asarray(ds["I"].isel(time=idx).mean("time").values, dtype=float)
    return late, label, used


def summarize_mi(ds: Any, delta: float = 0.5, window: Sequence[float] = LATE_WINDOW) -> dict[str, Any]:
    """Late-time curve, S(S), H(p) and the redundancy number m_delta, N_delta of a run (bits).

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> ds = run_mi(ChaoticIsing(6), redundant(), [0.0])
    >>> s = summarize_mi(ds)
    >>> s["H_p"], s["m_delta"], s["N_delta_floor"]
    (1.0, 1.0, 6)
    """
    from .rates import redundancy_number

    d_tol = check_real_scalar(delta, "delta")
    if not 0 < d_tol < 1:
        raise ValueError(f"delta must lie in the open interval (0, 1), got {d_tol}")
    late, label, _ = late_curve(ds, window)
    info: dict[str, Any] = {
        "late_curve": label,
        "I_late": late.tolist(),
        "S_S": float(ds["S_S"]),
        "H_p": float(ds["plateau"]),
    }
    n = int(ds.attrs["N"])
    if np.all(np.isfinite(late)) and info["H_p"] > 0:
        r = redundancy_number(late, info["H_p"], d_tol, n)
        info.update({"delta": d_tol, "m_delta": r.m_delta, "N_delta": r.n_delta, "N_delta_floor": r.n_floor})
    return info
