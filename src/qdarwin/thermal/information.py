"""System-fraction mutual information for broadcast branch states (spec §3, Gram route).

The global state is ``sum_k sqrt(p_k) |k> (x) |psi_k>`` with ``branches[k] = psi_k`` (each
normalised, shape ``(d, 2**N)``, site 0 the most significant bit). ``I(S:F)`` is computed
from Gram matrices of the reshaped, probability-weighted branches ``B_k = sqrt(p_k) M_k``;
no partial trace of the global state is taken and the smaller side of every Gram product is
diagonalised.
Entropies are in bits unless ``base`` says otherwise.

Performance notes (§14): on a ring with dihedral-symmetric branch states the interval
``[0, m)`` is mapped to itself by the reflection ``j -> m-1-j (mod N)``, which reverses the
bits of the fraction and of its complement separately. The reduced states then split into
even and odd blocks of half the size, which makes the Gram product 4x and the
eigendecomposition ~4x cheaper (``reflection=None`` detects this; the split is exact).
Gram products use BLAS ``herk`` (``syrk`` for real states) on zero-copy views.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_int, check_real_scalar, validate_probabilities, validate_subsystems
from .._threads import blas_threads
from ..info.entropy import entropy_from_eigenvalues, shannon_entropy
from ._gram import (
    _entropy,
    _eigvals_upper,
    _gram,
    _interval_spectra,
    _is_reflection_invariant,
    _split_spectra,
    _system_entropy_weighted,
    _Workspace,
)

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

NORM_ATOL = 1e-8
_SPLIT_MIN_SITES = 6  # below this fraction size the reflection split costs more than it saves
_MAX_REDUCED_SITES = 14


# ----------------------------------------------------------------------------- validation
def _prepare(branches: Any, probs: Any, base: float = 2.0) -> tuple[NDArray[Any], NDArray[np.float64], int]:
    """Validate branches/probabilities once; return the weighted stack ``B`` (d, 2^N), p, N."""
    psi = as_array(branches, "branches")
    if psi.ndim != 2:
        raise ValueError(f"branches: expected shape (d, 2**N), got {psi.shape}")
    d, dim = psi.shape
    n = dim.bit_length() - 1
    if dim < 2 or dim != 1 << n:
        raise ValueError(f"branches: the state dimension must be 2**N with N >= 1, got {dim}")
    p = validate_probabilities(probs, "probs")
    if p.size != d:
        raise ValueError(f"probs: got {p.size} probabilities for {d} branches")
    if np.iscomplexobj(psi):
        psi = psi.astype(np.complex128, copy=False)
    else:
        psi = psi.astype(np.float64, copy=False)
    if not np.all(np.isfinite(psi)):
        raise ValueError("branches: entries must be finite")
    norms = np.linalg.norm(psi, axis=1)
    bad = np.flatnonzero(np.abs(norms - 1.0) > NORM_ATOL)
    if bad.size:
        k = int(bad[0])
        raise ValueError(f"branches: branch {k} is not normalised (norm {norms[k]:.12g})")
    b = check_real_scalar(base, "base")
    if b <= 0 or b == 1:
        raise ValueError(f"base must be positive and != 1, got {b}")
    weighted = np.ascontiguousarray(psi * np.sqrt(p)[:, None].astype(psi.dtype))
    return weighted, p, n


def _fraction_matrix(b: NDArray[Any], n: int, sites: Sequence[int]) -> NDArray[Any]:
    """Reshape the weighted stack to (d, 2^m, 2^(N-m)) with the sites of F first (a view if F = [0, m))."""
    d = b.shape[0]
    m = len(sites)
    if list(sites) == list(range(m)):
        return b.reshape(d, 1 << m, 1 << (n - m))
    rest = [j for j in range(n) if j not in set(sites)]
    perm = [0] + [1 + s for s in sites] + [1 + r for r in rest]
    return np.ascontiguousarray(b.reshape((d,) + (2,) * n).transpose(perm)).reshape(d, 1 << m, 1 << (n - m))


# ----------------------------------------------------------------------------- public API
def system_entropy(branches: ArrayLike, probs: ArrayLike, *, base: float = 2.0) -> float:
    """Von Neumann entropy S(S) of the system (bits by default), time independent.

    Computed from the d x d Gram matrix ``G_jk = sqrt(p_j p_k) <psi_k|psi_j>``.

    Parameters
    ----------
    branches : array_like, shape (d, 2**N)
        Normalised branch states psi_k (without sqrt(p_k)).
    probs : array_like, shape (d,)
        Branch probabilities p_k (sum 1).
    base : float
        Logarithm base (2: bits).

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> round(system_entropy(np.eye(4)[:2], [0.5, 0.5]), 9)
    1.0
    """
    b, _, _ = _prepare(branches, probs, base)
    return _system_entropy_weighted(b, base)


def interval_mutual_information(
    branches: ArrayLike,
    probs: ArrayLike,
    sites: Sequence[int],
    *,
    base: float = 2.0,
    threads: int | None | str = "default",
) -> float:
    """Mutual information I(S:F) between the system and the environment sites ``sites``.

    ``I(S:F) = S(S) + S(F) - S(SF)`` with ``S(SF) = S(E minus F)`` (pure global state),
    evaluated by the Gram route of spec §3 for any site list (order irrelevant).

    Parameters
    ----------
    branches : array_like, shape (d, 2**N)
        Normalised branch states psi_k.
    probs : array_like, shape (d,)
        Branch probabilities.
    sites : sequence of int
        Distinct environment sites in [0, N); may be empty (I = 0) or all sites (I = 2 S(S)).
    base : float
        Logarithm base (2: bits).
    threads : int, None or "default"
        BLAS threads for the Gram products and eigensolvers (see ``qdarwin._threads``).

    Returns
    -------
    float
        I(S:F) in bits (``base=2``).

    Examples
    --------
    >>> import numpy as np
    >>> ghz = np.zeros((2, 8)); ghz[0, 0] = ghz[1, 7] = 1.0
    >>> round(interval_mutual_information(ghz, [0.5, 0.5], [0, 2]), 9)
    1.0
    """
    b, _, n = _prepare(branches, probs, base)
    f = validate_subsystems(list(sites), n, "sites")
    with blas_threads(threads):
        s_s = _system_entropy_weighted(b, base)
        m = len(f)
        if m == 0:
            return 0.0
        if m == n:
            return 2.0 * s_s
        ev_f, ev_sf = _split_spectra(_fraction_matrix(b, n, f))
        return s_s + _entropy(ev_f, base) - _entropy(ev_sf, base)


def _is_translation_invariant(b: NDArray[Any], n: int) -> bool:
    d = b.shape[0]
    shifted = b.reshape(d, 2, 1 << (n - 1)).transpose(0, 2, 1).reshape(d, -1)
    return bool(np.linalg.norm(shifted - b) <= 1e-9)


def mi_curve(
    branches: ArrayLike,
    probs: ArrayLike,
    *,
    ring: bool = True,
    base: float = 2.0,
    m_max: int | None = None,
    reflection: bool | None = None,
    threads: int | None | str = "default",
    assume_symmetric: bool = False,
    work: _Workspace | None = None,
) -> NDArray[np.float64]:
    """I(S:F_m) for the intervals F_m = [0, m), m = 0 ... N (bits by default).

    With ``ring=True`` the branch states must be translation invariant on a ring (checked):
    only m < N/2 is computed, I(N/2) = S(S) for even N and I(N - m) = 2 S(S) - I(m) (§3).
    With ``ring=False`` every m is computed directly.

    Parameters
    ----------
    branches : array_like, shape (d, 2**N)
        Normalised branch states.
    probs : array_like, shape (d,)
        Branch probabilities.
    ring : bool
        Use the translation-invariance shortcuts.
    base : float
        Logarithm base (2: bits).
    m_max : int, optional
        Largest m computed directly (caps memory and time); entries that are neither computed
        nor implied by the identities are NaN.
    reflection : bool or None
        Use the exact even/odd block split under the reflection j -> m-1-j (mod N) of the
        interval, available for ``ring=True`` with reflection-symmetric states (e.g. every
        preset on the uniform ring). None: use it when the states are symmetric (checked
        once) and m >= 6, where it pays off; True: require it for every m (ValueError if
        the states are not symmetric); False: never.
    threads : int, None or "default"
        BLAS threads (default: ``qdarwin._threads.default_blas_threads()``).
    assume_symmetric : bool
        Skip the translation and reflection checks (each a full pass over the states): the
        caller guarantees dihedral-invariant branches, e.g. presets evolved on a uniform ring
        (used by :func:`iter_mi_curves`). Only meaningful with ``ring=True``.
    work : optional
        Private scratch buffers reused between calls (``iter_mi_curves`` passes one per run).

    Returns
    -------
    ndarray, shape (N + 1,)

    Raises
    ------
    ValueError
        For invalid input, ``ring=True`` with states that are not translation invariant, or
        ``reflection=True`` with states that are not reflection symmetric on a ring.

    Examples
    --------
    >>> import numpy as np
    >>> plus, minus = np.ones(2) / np.sqrt(2), np.array([1.0, -1.0]) / np.sqrt(2)
    >>> kron = lambda u: np.kron(np.kron(u, u), np.kron(u, u))
    >>> mi_curve(np.stack([kron(plus), kron(minus)]), [0.5, 0.5]).round(9).tolist()
    [0.0, 1.0, 1.0, 1.0, 2.0]
    """
    b, _, n = _prepare(branches, probs, base)
    top = n if m_max is None else check_int(m_max, "m_max", minimum=0)
    trusted = ring and assume_symmetric
    if ring and not trusted and not _is_translation_invariant(b, n):
        raise ValueError("branches: the states are not translation invariant on the ring; pass ring=False")
    symmetric = ring and reflection is not False and (trusted or _is_reflection_invariant(b, n))
    if reflection and not symmetric:
        raise ValueError("branches: reflection=True needs ring=True and reflection-symmetric states; use reflection=None")
    min_split = 1 if reflection else _SPLIT_MIN_SITES
    if work is None:
        work = _Workspace()
    with blas_threads(threads):
        return _curve(b, n, ring=ring, split_from=min_split if symmetric else n, top=top, base=base, work=work)


def _curve(
    b: NDArray[Any], n: int, *, ring: bool, split_from: int, top: int, base: float, work: _Workspace
) -> NDArray[np.float64]:
    """I(S:F_m) curve from the weighted stack ``b``; reflection split for m >= split_from."""
    out = np.full(n + 1, np.nan)
    s_s = _system_entropy_weighted(b, base)
    out[0], out[n] = 0.0, 2.0 * s_s
    ms = [m for m in range(1, n) if m <= top and (not ring or 2 * m < n)]
    for m in ms:
        mat = b.reshape(b.shape[0], 1 << m, 1 << (n - m))
        ev_f, ev_sf = _interval_spectra(mat, m, n, m >= split_from, work)
        out[m] = s_s + _entropy(ev_f, base) - _entropy(ev_sf, base)
    if ring:
        if n % 2 == 0:
            out[n // 2] = s_s
        for m in ms:
            out[n - m] = 2.0 * s_s - out[m]
    return out


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
    """Holevo quantity chi of the fraction F: S(sum_k p_k rho_F^(k)) - sum_k p_k S(rho_F^(k)) (§5.4).

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
    """Closed-form I(S:F_m), m = 0 ... N, for the product branches u_k^{(x) N} at t = 0 (§3).

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
    env: Any,
    setup: Any,
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
    env: Any,
    setup: Any,
    times: ArrayLike,
    *,
    method: str = "auto",
    progress: Callable[..., None] | None = None,
    base: float = 2.0,
    m_max: int | None = None,
    window: Sequence[float] = (20.0, 25.0, 30.0, 35.0, 40.0),
) -> Any:
    """Labelled I(S:F_m) over time as an ``xarray.Dataset`` (spec §10).

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


def build_mi_dataset(
    env: Any,
    setup: Any,
    times: ArrayLike,
    curves: ArrayLike,
    *,
    method: str = "auto",
    base: float = 2.0,
    window: Sequence[float] = (20.0, 25.0, 30.0, 35.0, 40.0),
    xr: Any = None,
) -> Any:
    """Assemble the §10 Dataset from precomputed curves (shape (T, N + 1)); used by the CLI."""
    if xr is None:
        import xarray as xr
    ts = np.atleast_1d(np.asarray(times, dtype=float))
    arr = np.asarray(curves, dtype=float)
    n = int(env.n_sites)
    psi0 = np.asarray(setup.initial_branches(n))
    probs = np.asarray(setup.probs, dtype=float)
    energies = np.array([float(np.real(env.energy(v))) / n for v in psi0])
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
            "S_S": ((), system_entropy(psi0, probs, base=base), {"units": unit}),
            "plateau": ((), shannon_entropy(probs, base=base), {"units": unit, "long_name": "H(p)"}),
            "energy_density": (("branch",), energies, {"long_name": "e_k = <H_E>/N"}),
        },
        coords={"time": ts, "m": np.arange(n + 1), "branch": np.arange(probs.size)},
        attrs=attrs,
    )
    return ds
