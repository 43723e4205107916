"""Time evolution of the environment branches (spec §2.5, §4).

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

import math
from typing import Any, Callable, Iterator, Protocol, Sequence

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray
from scipy.special import jv

from qdarwin._checks import as_array, check_finite
from qdarwin._threads import blas_threads
from qdarwin.thermal.memory import check_memory
from qdarwin.thermal.models import BroadcastSetup, ChaoticIsing, SKEnvironment
from qdarwin.thermal.sector import dihedral_sector

METHODS = ("auto", "sector", "full", "expm", "dense")
#: Largest full-space dimension for ``method="dense"``.
DENSE_MAX_DIM = 4096
#: Default largest sector dimension diagonalised densely (N = 14: 687; N = 16: 2250).
SECTOR_DENSE_MAX = 1000
#: Chebyshev truncation: drop terms with |J_k(a dt)| below this (k > a dt).
CHEB_TOL = 1e-16
#: Largest a*dt per Chebyshev step (longer intervals are split).
_CHEB_MAX_X = 2000.0

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


def _cheb_coefficients(x: float) -> NDArray[np.float64]:
    """Bessel coefficients J_k(x), truncated after the last |J_k| >= CHEB_TOL with k > x."""
    kmax = int(x + 12.0 * max(x, 1.0) ** (1.0 / 3.0) + 40)
    coef = jv(np.arange(kmax + 1), x)
    big = np.flatnonzero(np.abs(coef) >= CHEB_TOL)
    last = int(big[-1]) if big.size else 0
    return coef[: max(last, 1) + 1]


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
    out = np.array(psi, dtype=np.complex128, copy=True)
    if dt == 0.0:
        return out
    a = 0.5 * (emax - emin)
    b = 0.5 * (emax + emin)
    n_sub = max(1, math.ceil(a * dt / _CHEB_MAX_X))
    h = dt / n_sub
    coef = _cheb_coefficients(a * h)
    phase = np.exp(-1j * b * h)
    inv_a = 1.0 / a

    def scaled(v: NDArray[np.complex128]) -> NDArray[np.complex128]:
        w = apply(v)
        w -= b * v
        w *= inv_a
        return w

    for _ in range(n_sub):
        t_prev = out
        acc = coef[0] * t_prev
        t_cur = scaled(t_prev)
        acc += (-2j * coef[1]) * t_cur
        fac = -2j
        for k in range(2, coef.size):
            t_next = scaled(t_cur)
            t_next *= 2.0
            t_next -= t_prev
            fac *= -1j
            acc += (fac * coef[k]) * t_next
            t_prev, t_cur = t_cur, t_next
        acc *= phase
        out = acc
    return out


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


class _Propagator(Protocol):
    """Evolves a block of vectors from time t to t' > t (in its own representation)."""

    def start(self, psi0: NDArray[np.complex128]) -> None: ...

    def advance(self, t: float) -> NDArray[np.complex128]: ...


def _eigh(mat: NDArray[Any]) -> tuple[NDArray[np.float64], NDArray[Any]]:
    with blas_threads():
        return np.linalg.eigh(mat)


class _DenseProp:
    """Exact propagation from an eigendecomposition; states kept as (d, n) rows."""

    def __init__(self, mat: NDArray[Any]) -> None:
        self.evals, self.evecs = _eigh(mat)

    def start(self, psi0: NDArray[np.complex128]) -> None:
        with blas_threads():
            self.c0 = psi0 @ self.evecs.conj()

    def advance(self, t: float) -> NDArray[np.complex128]:
        with blas_threads():
            return (self.c0 * np.exp(-1j * self.evals * t)) @ self.evecs.T


class _ChebProp:
    """Incremental Chebyshev propagation with an ``apply`` on (d, n) row blocks."""

    def __init__(self, apply: ApplyFn, emin: float, emax: float) -> None:
        self.apply, self.emin, self.emax = apply, emin, emax

    def start(self, psi0: NDArray[np.complex128]) -> None:
        self.psi, self.t = psi0.copy(), 0.0

    def advance(self, t: float) -> NDArray[np.complex128]:
        if t > self.t:
            self.psi = chebyshev_propagate(self.apply, self.psi, t - self.t, emin=self.emin, emax=self.emax)
            self.t = t
        return self.psi


class _ExpmProp:
    """Incremental :func:`scipy.sparse.linalg.expm_multiply` with a CSR Hamiltonian."""

    def __init__(self, mat: Any) -> None:
        self.minus_i_h = (-1j * mat).tocsr()

    def start(self, psi0: NDArray[np.complex128]) -> None:
        self.psi, self.t = psi0.T.copy(), 0.0

    def advance(self, t: float) -> NDArray[np.complex128]:
        if t > self.t:
            self.psi = spla.expm_multiply(self.minus_i_h * (t - self.t), self.psi)
            self.t = t
        return self.psi.T


def _gershgorin(mat: Any) -> tuple[float, float]:
    """Gershgorin interval of a sparse Hermitian matrix."""
    diag = mat.diagonal().real
    radius = np.asarray(abs(mat).sum(axis=1)).ravel() - np.abs(diag)
    return float(np.min(diag - radius)), float(np.max(diag + radius))


#: Relative margin added on each side of Lanczos spectral bounds.
LANCZOS_MARGIN = 0.02
#: Below this dimension Chebyshev uses the (safe, looser) Gershgorin / norm bounds directly.
_LANCZOS_MIN_DIM = 400


def _tight_bounds(matvec: ApplyFn, dim: int, dtype: Any, fallback: tuple[float, float]) -> tuple[float, float]:
    """Extreme eigenvalues by Lanczos (ARPACK), widened by 2 % of the width on each side.

    Ritz values lie inside the spectrum, so the margin is what makes the interval safe; the
    result is clipped to the guaranteed ``fallback`` interval, which is also used for small
    dimensions or if ARPACK does not converge.
    """
    if dim < _LANCZOS_MIN_DIM:
        return fallback
    op = spla.LinearOperator((dim, dim), matvec=matvec, dtype=dtype)
    v0 = np.random.default_rng(7).standard_normal(dim).astype(dtype)
    try:
        with blas_threads():
            lo = float(spla.eigsh(op, k=1, which="SA", tol=1e-6, v0=v0, return_eigenvectors=False)[0])
            hi = float(spla.eigsh(op, k=1, which="LA", tol=1e-6, v0=v0, return_eigenvectors=False)[0])
    except (spla.ArpackNoConvergence, spla.ArpackError):
        return fallback
    margin = LANCZOS_MARGIN * (hi - lo) + 1e-8 * max(abs(lo), abs(hi), 1.0)
    return max(lo - margin, fallback[0]), min(hi + margin, fallback[1])


def _chebyshev_real(matvec: ApplyFn, psi: NDArray[np.complex128], dt: float, emin: float,
                    emax: float) -> NDArray[np.complex128]:
    """Chebyshev propagation of complex states (dim, d) with a REAL symmetric operator.

    The recurrence runs on the real block [Re psi, Im psi]; even and odd orders are
    accumulated separately ((-i)^k is real for even k, imaginary for odd k).
    """
    a = 0.5 * (emax - emin)
    b = 0.5 * (emax + emin)
    n_sub = max(1, math.ceil(a * dt / _CHEB_MAX_X))
    h = dt / n_sub
    coef = _cheb_coefficients(a * h)
    sign = np.array([1.0, 1.0, -1.0, -1.0])  # (-i)^k = sign[k%4] * (1 or -i)
    inv_a = 1.0 / a
    d = psi.shape[1]
    out = psi
    for _ in range(n_sub):
        x0 = np.concatenate([out.real, out.imag], axis=1)
        even = coef[0] * x0
        t_prev = x0
        t_cur = matvec(x0)
        t_cur -= b * x0
        t_cur *= inv_a
        odd = (2.0 * coef[1]) * t_cur
        for k in range(2, coef.size):
            t_next = matvec(t_cur)
            t_next -= b * t_cur
            t_next *= 2.0 * inv_a
            t_next -= t_prev
            c = 2.0 * coef[k] * sign[k % 4]
            if k % 2:
                odd += c * t_next
            else:
                even += c * t_next
            t_prev, t_cur = t_cur, t_next
        # result = even - i*odd applied to (Re + i Im)
        res = np.empty_like(out)
        res.real = even[:, :d] + odd[:, d:]
        res.imag = even[:, d:] - odd[:, :d]
        res *= np.exp(-1j * b * h)
        out = res
    return out


class _RealChebProp:
    """Incremental real-arithmetic Chebyshev propagation in the symmetric sector."""

    def __init__(self, mat: Any) -> None:
        self.mat = mat.tocsr()
        fallback = _gershgorin(self.mat)
        self.emin, self.emax = _tight_bounds(lambda v: self.mat @ v, self.mat.shape[0], np.float64, fallback)

    def start(self, psi0: NDArray[np.complex128]) -> None:
        self.psi, self.t = np.ascontiguousarray(psi0.T), 0.0

    def advance(self, t: float) -> NDArray[np.complex128]:
        if t > self.t:
            self.psi = _chebyshev_real(lambda v: self.mat @ v, self.psi, t - self.t, self.emin, self.emax)
            self.t = t
        return self.psi.T


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
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    branches, uniform = _branches_from(env, setup_or_branches, method, memory_limit)
    resolved = _resolve_method(env, method, uniform, branches)
    check_memory(env.n_sites, branches.shape[0], 0, method=resolved, limit=memory_limit)
    return _iterate(env, branches, t_arr, resolved, progress, sector_dense_max)


def _iterate(env: Env, branches: NDArray[np.complex128], t_arr: NDArray[np.float64], method: str,
             progress: Progress | None, sector_dense_max: int) -> Iterator[tuple[float, NDArray[np.complex128]]]:
    lift: Callable[[NDArray[np.complex128]], NDArray[np.complex128]]
    prop: _Propagator
    if method == "sector":
        sector = dihedral_sector(env.n_sites)
        c0 = sector.project(branches)
        h_sec = sector.hamiltonian(env)
        if sector.dim <= sector_dense_max:
            prop = _DenseProp(h_sec.toarray())
        else:
            prop = _RealChebProp(h_sec)
        prop.start(c0)
        lift = sector._lift
    else:
        if method == "full":
            fallback = spectral_bounds(env)
            dtype = np.float64 if isinstance(env, ChaoticIsing) else np.complex128
            emin, emax = _tight_bounds(env._apply, env.dim, dtype, fallback)
            prop = _ChebProp(env._apply, emin, emax)
        elif method == "expm":
            prop = _ExpmProp(env.to_sparse())
        else:
            prop = _DenseProp(env.to_sparse().toarray())
        prop.start(branches)

        def lift(x: NDArray[np.complex128]) -> NDArray[np.complex128]:
            return np.array(x, copy=True)

    total = t_arr.size
    for i, t in enumerate(t_arr):
        state = lift(prop.advance(float(t)))
        if progress is not None:
            progress(i + 1, total, "evolve")
        yield float(t), state


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
    t_in = _validate_times(times)
    d = setup_or_branches.d if isinstance(setup_or_branches, BroadcastSetup) else \
        max(1, int(np.prod(np.shape(setup_or_branches)[:-1])))
    from qdarwin.thermal.memory import check_bytes

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
]
