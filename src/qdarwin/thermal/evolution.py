"""Time evolution of the environment branches (Cao & Nussinov, arXiv:2603.15743).

:math:`\\psi_k(t) = e^{-iH_E t}\\psi_k(0)` for every branch k, evolved incrementally between the
requested times (sorted ascending). Methods (all agree to ||d psi|| <= 1e-10):

* ``"sector"`` -- dihedral-symmetric sector of a uniform ring (uniform branch states): dense
  eigendecomposition for sector dimension <= ``sector_dense_max`` (N <= 14 by default), else
  Chebyshev expansion on the sparse real sector matrix;
* ``"full"`` -- matrix-free Chebyshev expansion in the full 2^N space;
* ``"expm"`` -- :func:`scipy.sparse.linalg.expm_multiply` with the CSR Hamiltonian;
* ``"dense"`` -- full-space eigendecomposition (2^N <= 4096);
* ``"auto"`` -- ``"sector"`` when applicable, else ``"full"``.

Branch states are yielded normalised and *without* the factor sqrt(p_k), shape ``(d, 2**N)``.
Eigendecompositions run with one BLAS thread (:func:`qdarwin._threads.blas_threads`).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Sequence

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from qdarwin._checks import as_array, check_finite, check_int
from qdarwin._threads import blas_threads
from qdarwin.thermal._chebyshev import chebyshev_step, chebyshev_times, gershgorin, tight_bounds
from qdarwin.thermal.memory import check_bytes, check_memory
from qdarwin.thermal.models import BroadcastSetup, ChaoticIsing, SKEnvironment
from qdarwin.thermal.sector import dihedral_sector

METHODS = ("auto", "sector", "full", "expm", "dense")
#: Largest full-space dimension for ``method="dense"``.
DENSE_MAX_DIM = 4096
#: Default largest sector dimension diagonalised densely (N = 14: 687; N = 16: 2250).
SECTOR_DENSE_MAX = 1000

Progress = Callable[[int, int, str], None]
Env = ChaoticIsing | SKEnvironment
ApplyFn = Callable[[NDArray[np.complex128]], NDArray[np.complex128]]


# ----------------------------------------------------------------------------- kernels


def spectral_bounds(env: Env) -> tuple[float, float]:
    """Interval (E_min, E_max) containing the spectrum of the environment Hamiltonian.

    Ising chain: Gershgorin discs, [min diag - N|h_x|, max diag + N|h_x|] with the diagonal
    extremes taken over all basis states. SK model: +-N^{-1/2} sum |J_{ij}^{ab}|.

    Examples
    --------
    >>> lo, hi = spectral_bounds(ChaoticIsing(3, J=1.0, hx=0.5, hz=0.0))
    >>> (lo, hi)
    (-2.5, 4.5)
    """
    if isinstance(env, ChaoticIsing):
        diag = env.diagonal()
        r = env.n_sites * abs(env.hx)
        return float(diag.min()) - r, float(diag.max()) + r
    if isinstance(env, SKEnvironment):
        b = env.norm_bound()
        return -b, b
    raise ValueError(f"env must be a ChaoticIsing or SKEnvironment, got {type(env).__name__}")


def chebyshev_propagate(apply: ApplyFn, psi: NDArray[np.complex128], dt: float, *, emin: float,
                        emax: float) -> NDArray[np.complex128]:
    """exp(-i H dt) psi by a Chebyshev expansion.

    :math:`e^{-iHdt} = e^{-ib\\,dt}\\sum_k (2-\\delta_{k0})(-i)^k J_k(a\\,dt)\\,T_k((H-b)/a)`
    with a = (E_max - E_min)/2, b = (E_max + E_min)/2; terms with |J_k| < 1e-16 (k > a dt)
    are dropped. ``apply`` maps an array shaped like ``psi`` to H psi; [emin, emax] must
    contain the spectrum.

    Examples
    --------
    >>> h = np.diag([1.0, -1.0])
    >>> out = chebyshev_propagate(lambda v: h @ v, np.array([1.0, 0.0], complex), 0.3, emin=-1, emax=1)
    >>> bool(abs(out[0] - np.exp(-0.3j)) < 1e-14)
    True
    """
    if not emax > emin:
        raise ValueError(f"need emax > emin, got [{emin}, {emax}]")
    dt = float(dt)
    if dt < 0:
        raise ValueError(f"dt must be >= 0, got {dt}")
    return chebyshev_step(apply, np.asarray(psi), dt, emin, emax)


# ----------------------------------------------------------------------------- inputs


def _validate_times(times: Any) -> NDArray[np.float64]:
    arr = as_array(times, "times")
    if np.iscomplexobj(arr):
        raise ValueError("times must be real numbers")
    arr = np.atleast_1d(arr).astype(np.float64)
    if arr.ndim != 1:
        raise ValueError(f"times: expected a 1-D array, got shape {arr.shape}")
    check_finite(arr, "times")
    if np.any(arr < 0):
        raise ValueError(f"times must be >= 0, got min {arr.min()}")
    return arr


def _check_env(env: Any) -> Env:
    if not isinstance(env, (ChaoticIsing, SKEnvironment)):
        raise ValueError(f"env must be a ChaoticIsing or SKEnvironment, got {type(env).__name__}")
    return env


def _branches_from(env: Env, setup_or_branches: Any, method: str, limit: Any) -> tuple[NDArray[np.complex128], bool]:
    """Initial branches and whether they are known to be uniform product states."""
    n = env.n_sites
    if isinstance(setup_or_branches, BroadcastSetup):
        check_memory(n, setup_or_branches.d, 0, method="sector" if method in ("auto", "sector") else method,
                     limit=limit)
        return setup_or_branches.initial_branches(n), True
    arr = as_array(setup_or_branches, "branches")
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != env.dim:
        raise ValueError(f"branches: expected shape (d, 2**N) = (d, {env.dim}), got {tuple(arr.shape)}")
    arr = arr.astype(np.complex128, copy=True)
    check_finite(arr, "branches")
    norms = np.linalg.norm(arr, axis=1)
    if np.any(np.abs(norms - 1.0) > 1e-8):
        raise ValueError(f"branches: every branch state must be normalised, got norms {np.round(norms, 12).tolist()}")
    return arr, False


def _resolve_method(env: Env, method: str, uniform: bool, branches: NDArray[np.complex128]) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    ring = isinstance(env, ChaoticIsing) and env.is_uniform_ring
    if method == "sector" and not ring:
        raise ValueError('method="sector" needs a ChaoticIsing ring (boundary="periodic"); use method="full"')
    if method == "dense" and env.dim > DENSE_MAX_DIM:
        raise ValueError(f'method="dense" is limited to 2**N <= {DENSE_MAX_DIM} (N <= 12); use "sector" or "full"')
    if method != "auto":
        return method
    if not ring:
        return "full"
    if uniform:
        return "sector"
    try:
        dihedral_sector(env.n_sites).project(branches)
    except ValueError:
        return "full"
    return "sector"


# ----------------------------------------------------------------------------- propagators


def _eigh(mat: NDArray[Any]) -> tuple[NDArray[np.float64], NDArray[Any]]:
    with blas_threads():
        return np.linalg.eigh(mat)


def _dense_states(mat: NDArray[Any], psi0: NDArray[np.complex128], times: NDArray[np.float64],
                  ) -> Iterator[NDArray[np.complex128]]:
    """Exact propagation from an eigendecomposition; states are rows of psi0."""
    evals, evecs = _eigh(mat)
    with blas_threads():
        c0 = psi0 @ evecs.conj()
    for t in times:
        with blas_threads():
            state = (c0 * np.exp(-1j * evals * t)) @ evecs.T
        yield state  # outside the BLAS limit: the consumer runs while the generator is suspended


def _expm_states(mat: Any, psi0: NDArray[np.complex128], times: NDArray[np.float64],
                 ) -> Iterator[NDArray[np.complex128]]:
    """Incremental :func:`scipy.sparse.linalg.expm_multiply` between successive times."""
    minus_i_h = (-1j * mat).tocsr()
    psi, t_now = psi0.T.copy(), 0.0
    for t in times:
        if t > t_now:
            psi = spla.expm_multiply(minus_i_h * (t - t_now), psi)
            t_now = float(t)
        yield psi.T.copy()


# ----------------------------------------------------------------------------- public API


def iter_branch_states(
    env: Env,
    setup_or_branches: BroadcastSetup | Any,
    times: Sequence[float] | NDArray[np.float64],
    *,
    method: str = "auto",
    progress: Progress | None = None,
    memory_limit: Any = None,
    sector_dense_max: int = SECTOR_DENSE_MAX,
) -> Iterator[tuple[float, NDArray[np.complex128]]]:
    """Yield ``(t, branches)`` with psi_k(t) for each requested time, in ascending order.

    Parameters
    ----------
    env : ChaoticIsing or SKEnvironment
        Environment Hamiltonian H_E (energy units; times in 1/J).
    setup_or_branches : BroadcastSetup or array_like, shape ``(d, 2**N)``
        Broadcasting set-up (branches u_k^{(x)N}) or explicit normalised branch states.
    times : sequence of float
        Times t >= 0 (sorted internally; duplicates are yielded once each).
    method : {"auto", "sector", "full", "expm", "dense"}, keyword-only
        Propagation method (see module docstring).
    progress : callable, optional
        ``progress(done, total, "evolve")`` after each yielded time.
    memory_limit : int or str, optional
        Byte limit for the memory guard (default :func:`~qdarwin.thermal.memory.memory_limit`).
    sector_dense_max : int
        Largest sector dimension diagonalised densely (else Chebyshev).

    Yields
    ------
    t : float
    branches : ndarray, shape ``(d, 2**N)``, complex128
        Normalised branch states (without sqrt(p_k)); a fresh array at every time.

    Raises
    ------
    ValueError
        Bad times or method, branch states not normalised, ``method="sector"`` for states
        outside the symmetric sector (suggests ``method="full"``).
    MemoryLimitError
        The run would exceed the memory limit (raised before allocating).

    Examples
    --------
    >>> env, s = ChaoticIsing(6), BroadcastSetup([[0, 1, 0], [0, -1, 0]])
    >>> [(t, round(float(env.energy(b[0])), 9)) for t, b in iter_branch_states(env, s, [0.0, 1.0])]
    [(0.0, 5.427050983), (1.0, 5.427050983)]
    """
    env = _check_env(env)
    t_arr = np.sort(_validate_times(times))
    sector_dense_max = check_int(sector_dense_max, "sector_dense_max", minimum=0)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    branches, uniform = _branches_from(env, setup_or_branches, method, memory_limit)
    resolved = _resolve_method(env, method, uniform, branches)
    check_memory(env.n_sites, branches.shape[0], 0, method=resolved, limit=memory_limit)
    return _iterate(env, branches, t_arr, resolved, progress, sector_dense_max)


def _real_matvec(mat: Any) -> Callable[[NDArray[Any]], NDArray[Any]]:
    """``v -> mat @ v`` for a real sparse ``mat``; complex v is multiplied as its interleaved
    real view, so SciPy never makes a complex copy of the matrix entries (16 bytes per entry)."""

    def apply(v: NDArray[Any]) -> NDArray[Any]:
        if not np.iscomplexobj(v):
            return np.asarray(mat @ v)
        vc = np.ascontiguousarray(v, dtype=np.complex128)
        flat = vc.view(np.float64).reshape(vc.shape[0], -1)
        return np.ascontiguousarray(mat @ flat).view(np.complex128).reshape(vc.shape)

    return apply


def _sector_states(env: ChaoticIsing, c0: NDArray[np.complex128], t_arr: NDArray[np.float64],
                   sector_dense_max: int) -> Iterator[NDArray[np.complex128]]:
    """Sector coefficients (d, D) at the times ``t_arr`` (dense eigenbasis or Chebyshev)."""
    sector = dihedral_sector(env.n_sites)
    h_sec = sector.hamiltonian(env)
    if sector.dim <= sector_dense_max:
        return _dense_states(h_sec.toarray(), c0, t_arr)
    mat = h_sec.tocsr()
    del h_sec
    apply = _real_matvec(mat)
    emin, emax = tight_bounds(apply, sector.dim, np.float64, gershgorin(mat))
    cols = chebyshev_times(apply, np.ascontiguousarray(c0.T), t_arr, emin, emax, real=True, axis=1, matrix=mat)
    return (c.T for c in cols)


def iter_sector_coefficients(
    env: ChaoticIsing,
    setup: BroadcastSetup,
    times: Sequence[float] | NDArray[np.float64],
    *,
    sector_dense_max: int = SECTOR_DENSE_MAX,
) -> Iterator[tuple[float, NDArray[np.complex128]]]:
    """Yield ``(t, c)`` with the dihedral-sector coefficients c[k, r] of psi_k(t), times ascending.

    The memory-lean counterpart of :func:`iter_branch_states` for a uniform ring: the initial
    coefficients are computed in closed form from the product branches and no 2^N vector is
    formed (the caller checks the memory, see :func:`qdarwin.thermal.memory.plan_run`).

    Examples
    --------
    >>> env, s = ChaoticIsing(6), BroadcastSetup([[0, 1, 0], [0, -1, 0]])
    >>> [(t, c.shape) for t, c in iter_sector_coefficients(env, s, [0.0, 1.0])]
    [(0.0, (2, 13)), (1.0, (2, 13))]
    """
    from qdarwin.thermal.lean import sector_product_coefficients

    if not (isinstance(env, ChaoticIsing) and env.is_uniform_ring):
        raise ValueError('the sector coefficients need a ChaoticIsing ring (boundary="periodic")')
    if not isinstance(setup, BroadcastSetup):
        raise ValueError(f"setup must be a BroadcastSetup, got {type(setup).__name__}")
    t_arr = np.sort(_validate_times(times))
    sector_dense_max = check_int(sector_dense_max, "sector_dense_max", minimum=0)
    c0 = sector_product_coefficients(setup, dihedral_sector(env.n_sites))
    for t, c in zip(t_arr, _sector_states(env, c0, t_arr, sector_dense_max)):
        yield float(t), np.asarray(c)


def _identity(x: NDArray[np.complex128]) -> NDArray[np.complex128]:
    return x


def _iterate(env: Env, branches: NDArray[np.complex128], t_arr: NDArray[np.float64], method: str,
             progress: Progress | None, sector_dense_max: int) -> Iterator[tuple[float, NDArray[np.complex128]]]:
    states: Iterator[NDArray[np.complex128]]
    lift: Callable[[NDArray[np.complex128]], NDArray[np.complex128]] = _identity
    if method == "sector":
        assert isinstance(env, ChaoticIsing)  # _resolve_method allows "sector" on Ising rings only
        sector = dihedral_sector(env.n_sites)
        c0 = sector.project(branches)
        del branches  # the full-space copies are not needed in the sector
        lift = sector._lift
        states = _sector_states(env, c0, t_arr, sector_dense_max)
    elif method == "full":
        real = isinstance(env, ChaoticIsing)
        emin, emax = tight_bounds(env._apply, env.dim, np.float64 if real else np.complex128, spectral_bounds(env))
        states = chebyshev_times(env._apply, branches, t_arr, emin, emax, real=real, axis=0)
    elif method == "expm":
        states = _expm_states(env.to_sparse(), branches, t_arr)
    else:
        states = _dense_states(env.to_sparse().toarray(), branches, t_arr)
    total = t_arr.size
    for i, (t, state) in enumerate(zip(t_arr, states)):
        out = lift(state)
        if progress is not None:
            progress(i + 1, total, "evolve")
        yield float(t), out


def evolve_branches(
    env: Env,
    setup_or_branches: BroadcastSetup | Any,
    times: Sequence[float] | NDArray[np.float64],
    *,
    method: str = "auto",
    progress: Progress | None = None,
    memory_limit: Any = None,
    sector_dense_max: int = SECTOR_DENSE_MAX,
) -> NDArray[np.complex128]:
    """Branch states at all requested times, shape ``(T, d, 2**N)`` in the order of ``times``.

    Convenience wrapper of :func:`iter_branch_states` for small N (stores every state).

    Examples
    --------
    >>> out = evolve_branches(ChaoticIsing(4), BroadcastSetup([[1, 0, 0], [-1, 0, 0]]), [2.0, 0.0])
    >>> out.shape
    (2, 2, 16)
    """
    env = _check_env(env)
    t_in = _validate_times(times)
    d = setup_or_branches.d if isinstance(setup_or_branches, BroadcastSetup) else \
        max(1, int(np.prod(np.shape(setup_or_branches)[:-1])))
    check_bytes(16 * d * env.dim * (t_in.size + 4), f"{t_in.size} stored time steps", limit=memory_limit)
    order = np.argsort(t_in, kind="stable")
    out = np.empty((t_in.size, d, env.dim), dtype=np.complex128)
    it = iter_branch_states(env, setup_or_branches, t_in, method=method, progress=progress,
                            memory_limit=memory_limit, sector_dense_max=sector_dense_max)
    for pos, (_, state) in zip(order, it):
        out[pos] = state
    return out


__all__ = [
    "METHODS",
    "DENSE_MAX_DIM",
    "SECTOR_DENSE_MAX",
    "spectral_bounds",
    "chebyshev_propagate",
    "iter_branch_states",
    "evolve_branches",
    "iter_sector_coefficients",
]
