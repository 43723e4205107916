"""Gram-route kernels of the system-fraction mutual information I(S:F) (thermal pillar).

The global state is ``sum_k sqrt(p_k) |k> (x) |psi_k>`` with ``branches[k] = psi_k`` (each
normalised, shape ``(d, 2**N)``, site 0 the most significant bit). ``I(S:F)`` is computed
from Gram matrices of the reshaped, probability-weighted branches ``B_k = sqrt(p_k) M_k``;
no partial trace of the global state is taken and the smaller side of every Gram product is
diagonalised (docs/thermal.md). Entropies are in bits unless ``base`` says otherwise.

On a ring with dihedral-symmetric branch states the interval ``[0, m)`` is mapped to itself
by the reflection ``j -> m-1-j (mod N)``, which reverses the bits of the fraction and of its
complement separately. The reduced states then split into even and odd blocks of half the
size, which makes the Gram product 4x and the eigendecomposition ~4x cheaper
(``reflection=None`` detects this; the split is exact). Gram products use BLAS ``herk``
(``syrk`` for real states) on zero-copy views. :mod:`qdarwin.thermal.information` re-exports
the public names.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_int, check_real_scalar, validate_probabilities, validate_subsystems
from .._threads import blas_threads
from ._gram import (
    _entropy,
    _interval_spectra,
    _is_reflection_invariant,
    _split_spectra,
    _system_entropy_weighted,
    _Workspace,
)

__all__ = ["system_entropy", "interval_mutual_information", "mi_curve"]

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
    evaluated by the Gram route for any site list (order irrelevant).

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
    only m < N/2 is computed, I(N/2) = S(S) for even N and I(N - m) = 2 S(S) - I(m).
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
