"""I(S:F) of broadcast branch states: Holevo, reduced states, t = 0 closed form, trajectories.

The Gram-route kernels (:func:`system_entropy`, :func:`interval_mutual_information`,
:func:`mi_curve`) live in :mod:`qdarwin.thermal.gram_mi` and are re-exported here. This
module adds the Holevo quantity of a fraction, single-branch reduced states, the closed form
at t = 0 and I(S:F_m) along a trajectory (:func:`iter_mi_curves`, :func:`mi_dataset`).
Entropies are in bits unless ``base`` says otherwise; times in units of 1/J
(Cao & Nussinov, arXiv:2603.15743; docs/thermal.md).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_int, validate_probabilities, validate_subsystems
from .._threads import blas_threads
from ..info.entropy import entropy_from_eigenvalues, shannon_entropy
from .gram_mi import (
    _MAX_REDUCED_SITES,
    _fraction_matrix,
    _prepare,
    interval_mutual_information,
    mi_curve,
    system_entropy,
)
from ._gram import (
    _entropy,
    _eigvals_upper,
    _gram,
    _split_spectra,
    _Workspace,
)
from ._common import LATE_WINDOW
from .models import BroadcastSetup, ChaoticIsing, SKEnvironment

__all__ = [
    "system_entropy",
    "interval_mutual_information",
    "mi_curve",
    "holevo",
    "reduced_branch_states",
    "t0_mi_curve",
    "iter_mi_curves",
    "mi_dataset",
    "build_mi_dataset",
    "largest_gram_m",
]

Env = ChaoticIsing | SKEnvironment


def reduced_branch_states(branches: ArrayLike, sites: Sequence[int]) -> NDArray[np.complex128]:
    """Single-branch reduced states rho_F^(k) = tr_{E minus F} |psi_k><psi_k| (sites in the given order).

    Parameters
    ----------
    branches : array_like, shape (d, 2**N)
        Normalised branch states.
    sites : sequence of int
        Distinct sites, at most 14; the first listed site is the most significant factor.

    Returns
    -------
    ndarray, shape (d, 2**m, 2**m), complex

    Examples
    --------
    >>> import numpy as np
    >>> reduced_branch_states(np.eye(4)[[1]], [1]).real.tolist()
    [[[0.0, 0.0], [0.0, 1.0]]]
    """
    psi = as_array(branches, "branches")
    d = psi.shape[0] if psi.ndim == 2 else 0
    b, _, n = _prepare(psi, np.full(d, 1.0 / d) if d else [1.0])
    f = validate_subsystems(list(sites), n, "sites")
    if len(f) > _MAX_REDUCED_SITES:
        raise ValueError(f"sites: at most {_MAX_REDUCED_SITES} sites for dense reduced states, got {len(f)}")
    mat = _fraction_matrix(b, n, f) * math.sqrt(d)
    mat = mat.astype(np.complex128, copy=False)
    return np.einsum("kab,kcb->kac", mat, mat.conj())


def holevo(
    branches: ArrayLike, probs: ArrayLike, sites: Sequence[int], *, base: float = 2.0
) -> float:
    """Holevo quantity chi of the fraction F: S(sum_k p_k rho_F^(k)) - sum_k p_k S(rho_F^(k)).

    Uses the smaller Gram side of each branch, so F may be large.

    Examples
    --------
    >>> import numpy as np
    >>> ghz = np.zeros((2, 8)); ghz[0, 0] = ghz[1, 7] = 1.0
    >>> round(holevo(ghz, [0.5, 0.5], [1]), 9)
    1.0
    """
    b, p, n = _prepare(branches, probs, base)
    f = validate_subsystems(list(sites), n, "sites")
    if not f:
        return 0.0
    with blas_threads():
        mat = _fraction_matrix(b, n, f)
        ev_f, _ = _split_spectra(mat)
        s_mix = _entropy(ev_f, base)
        s_cond = 0.0
        for k in np.flatnonzero(p > 0):
            single = mat[k] / math.sqrt(p[k])
            a, c = single.shape
            g = _gram(np.ascontiguousarray(single), rows=a <= c)
            s_cond += p[k] * _entropy(_eigvals_upper(g), base)
    return float(s_mix - s_cond)


def t0_mi_curve(setup: Any, n_sites: int, *, base: float = 2.0) -> NDArray[np.float64]:
    """Closed-form I(S:F_m), m = 0 ... N, for the product branches u_k^{(x) N} at t = 0.

    The non-zero spectrum of rho_F equals that of ``G(m)_jk = sqrt(p_j p_k) <u_k|u_j>^m``, so
    ``I(m) = S[G(N)] + S[G(m)] - S[G(N - m)]``.

    Parameters
    ----------
    setup : BroadcastSetup
        Any object with ``probs`` (d,) and ``single_qubit_states() -> (d, 2)``.
    n_sites : int
        Number of environment qubits N >= 1.

    Returns
    -------
    ndarray, shape (N + 1,)

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> s = SimpleNamespace(probs=np.array([0.5, 0.5]),
    ...                     single_qubit_states=lambda: np.array([[1, 1], [1, -1]]) / np.sqrt(2))
    >>> t0_mi_curve(s, 3).round(9).tolist()
    [0.0, 1.0, 1.0, 2.0]
    """
    n = check_int(n_sites, "n_sites", minimum=1)
    p = validate_probabilities(setup.probs, "probs")
    u = np.asarray(setup.single_qubit_states(), dtype=np.complex128)
    if u.shape != (p.size, 2):
        raise ValueError(f"setup: expected single-qubit states of shape ({p.size}, 2), got {u.shape}")
    u = u / np.linalg.norm(u, axis=1, keepdims=True)
    ov = u.conj() @ u.T  # ov[k, j] = <u_k|u_j>
    sq = np.sqrt(np.outer(p, p))
    ms = np.arange(n + 1)
    g = sq[None] * np.power(ov.T[None], ms[:, None, None])  # G(m)_jk
    g = 0.5 * (g + np.conj(np.swapaxes(g, -1, -2)))
    s = np.asarray(entropy_from_eigenvalues(np.clip(np.linalg.eigvalsh(g), 0.0, None), base=base))
    return s[n] + s - s[::-1]


# ----------------------------------------------------------------------------- trajectories
def _evolution() -> Any:
    from . import evolution

    return evolution


def largest_gram_m(n_sites: int, ring: bool, m_max: int | None = None) -> int:
    """Fraction size m* whose Gram matrix (side d 2^m*) bounds the memory of an I(S:F) curve.

    Ring curves compute m < N/2 only; without the ring shortcuts every m is computed but each
    Gram matrix is built on its smaller side, so m* never exceeds N // 2. Used with
    :func:`qdarwin.thermal.memory.check_memory`.

    Examples
    --------
    >>> largest_gram_m(20, True), largest_gram_m(20, False), largest_gram_m(20, True, 4)
    (9, 10, 4)
    """
    top = (n_sites - 1) // 2 if ring else n_sites // 2
    return top if m_max is None else min(top, int(m_max))


def iter_mi_curves(
    env: Env,
    setup: BroadcastSetup,
    times: ArrayLike,
    *,
    method: str = "auto",
    progress: Callable[..., None] | None = None,
    base: float = 2.0,
    m_max: int | None = None,
    threads: int | None | str = "default",
    memory_limit: Any = None,
) -> Iterator[tuple[float, NDArray[np.float64]]]:
    """Yield ``(t, I_curve)`` with I(S:F_m), m = 0 ... N, as the branches evolve under ``env``.

    The branches are evolved incrementally (``qdarwin.thermal.evolution.iter_branch_states``,
    times in ascending order) and each curve is computed on the fly, so no trajectory is
    stored. On a uniform ring the shortcuts of :func:`mi_curve` (m < N/2 only, reflection
    split) are used; otherwise every m is computed.

    Parameters
    ----------
    env : ChaoticIsing or SKEnvironment
        Environment Hamiltonian.
    setup : BroadcastSetup
        Broadcast set-up (axes, probabilities, theta).
    times : array_like
        Times t >= 0 (units 1/J).
    method : str
        Evolution method (``"auto"``, ``"sector"``, ``"full"``, ``"expm"``, ``"dense"``).
    progress : callable, optional
        ``progress(done, total, description)`` after each time point.
    base, m_max, threads
        As in :func:`mi_curve`.
    memory_limit : int or str, optional
        Byte limit for the memory guard (default: 80 % of physical memory).

    Yields
    ------
    t : float
    curve : ndarray, shape (N + 1,)
        I(S:F_m) in bits (``base=2``).

    Raises
    ------
    MemoryLimitError
        Before any allocation, if the run (evolution and the largest Gram matrix) would not fit.

    Examples
    --------
    >>> from qdarwin.thermal.models import ChaoticIsing, BroadcastSetup
    >>> s = BroadcastSetup([[0, 1, 0], [0, -1, 0]])
    >>> [(t, c.round(6).tolist()) for t, c in iter_mi_curves(ChaoticIsing(4), s, [0.0])]
    [(0.0, [0.0, 1.0, 1.0, 1.0, 2.0])]
    """
    from .memory import check_memory

    methods = _evolution().METHODS
    if method not in methods:
        raise ValueError(f"method must be one of {methods}, got {method!r}")
    ts = np.atleast_1d(np.asarray(times, dtype=float))
    ring = bool(getattr(env, "is_uniform_ring", False))
    n = int(env.n_sites)
    probs = setup.probs
    m_star = largest_gram_m(n, ring, m_max)
    mem_method = "sector" if ring and method in ("auto", "sector") else ("full" if method == "auto" else method)
    check_memory(n, int(np.size(probs)), m_star, method=mem_method, limit=memory_limit)
    # uniform product branches on a uniform ring stay invariant under the dihedral group
    uniform = ring and hasattr(setup, "initial_branches")
    total = int(ts.size)
    work = _Workspace()
    for i, (t, psi) in enumerate(_evolution().iter_branch_states(env, setup, ts, method=method, memory_limit=memory_limit)):
        curve = mi_curve(psi, probs, ring=ring, base=base, m_max=m_max, threads=threads, assume_symmetric=uniform, work=work)
        if progress is not None:
            progress(i + 1, total, f"t = {t:.4g}")
        yield float(t), curve


def mi_dataset(
    env: Env,
    setup: BroadcastSetup,
    times: ArrayLike,
    *,
    method: str = "auto",
    progress: Callable[..., None] | None = None,
    base: float = 2.0,
    m_max: int | None = None,
    window: Sequence[float] = LATE_WINDOW,
) -> Any:
    """Labelled I(S:F_m) over time as an ``xarray.Dataset``.

    Variables: ``I(time, m)`` [bit], ``S_S``, ``plateau`` (H(p)), ``energy_density(branch)``;
    attributes hold the model and broadcast parameters, ``method`` and the late-time window.

    Examples
    --------
    >>> from qdarwin.thermal.models import ChaoticIsing, BroadcastSetup
    >>> ds = mi_dataset(ChaoticIsing(4), BroadcastSetup([[0, 1, 0], [0, -1, 0]]), [0.0, 1.0])
    >>> ds["I"].shape, float(ds["plateau"])
    ((2, 5), 1.0)
    """
    import xarray as xr

    ts = np.atleast_1d(np.asarray(times, dtype=float))
    rows = {t: c for t, c in iter_mi_curves(env, setup, ts, method=method, progress=progress, base=base, m_max=m_max)}
    return build_mi_dataset(env, setup, ts, np.stack([rows[float(t)] for t in ts]), method=method, base=base, window=window, xr=xr)


def _initial_branch_summary(env: Env, setup: BroadcastSetup, base: float) -> tuple[NDArray[np.float64], float]:
    """Energy densities e_k and S(S) of the initial branches without forming 2^N vectors.

    Product branches u_k^(x)N: ``<psi_l|psi_k> = <u_l|u_k>^N`` gives the Gram matrix
    ``G_kl = sqrt(p_k p_l) <psi_l|psi_k>`` of S(S), and the Ising chain's closed form gives
    ``e_k`` (:func:`qdarwin.thermal.energy.energy_densities`); other environments use the vectors.
    """
    from .energy import energy_densities

    n = int(env.n_sites)
    probs = np.asarray(setup.probs, dtype=float)
    u = np.asarray(setup.single_qubit_states(), dtype=np.complex128)
    overlap = (u @ u.conj().T) ** n  # overlap[k, l] = <u_l|u_k>^N
    gram = np.sqrt(np.outer(probs, probs)) * overlap
    s_s = _entropy(np.asarray(np.linalg.eigvalsh(0.5 * (gram + gram.conj().T)), dtype=np.float64), base)  # d x d: no BLAS threads needed
    return np.asarray(energy_densities(env, setup), dtype=np.float64), s_s


def build_mi_dataset(
    env: Env,
    setup: BroadcastSetup,
    times: ArrayLike,
    curves: ArrayLike,
    *,
    method: str = "auto",
    base: float = 2.0,
    window: Sequence[float] = LATE_WINDOW,
    xr: Any = None,
) -> Any:
    """Assemble the I(S:F_m) Dataset from precomputed curves (shape (T, N + 1)); used by :func:`qdarwin.thermal.run.run_mi`."""
    if xr is None:
        import xarray as xr
    ts = np.atleast_1d(np.asarray(times, dtype=float))
    arr = np.asarray(curves, dtype=float)
    n = int(env.n_sites)
    probs = np.asarray(setup.probs, dtype=float)
    energies, s_s = _initial_branch_summary(env, setup, base)
    unit = "bit" if base == 2 else f"log base {base:g}"
    attrs = {
        "units": unit,
        "N": n,
        "boundary": str(getattr(env, "boundary", "periodic")),
        "hx": float(getattr(env, "hx", np.nan)),
        "hz": float(getattr(env, "hz", np.nan)),
        "J": float(getattr(env, "J", np.nan)),
        "theta": float(setup.theta),
        "axes": np.asarray(setup.axes, dtype=float).ravel().tolist(),
        "probs": probs.tolist(),
        "method": method,
        "time_window": [float(w) for w in window],
    }
    ds = xr.Dataset(
        {
            "I": (("time", "m"), arr, {"units": unit, "long_name": "I(S:F_m), F_m = [0, m)"}),
            "S_S": ((), s_s, {"units": unit}),
            "plateau": ((), shannon_entropy(probs, base=base), {"units": unit, "long_name": "H(p)"}),
            "energy_density": (("branch",), energies, {"long_name": "e_k = <H_E>/N", "units": "J per site"}),
        },
        coords={"time": ("time", ts, {"units": "1/J", "long_name": "time t"}), "m": np.arange(n + 1),
                "branch": np.arange(probs.size)},
        attrs=attrs,
    )
    return ds
