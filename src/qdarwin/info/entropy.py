"""Entropies: von Neumann, Shannon, binary and two-level (bits by default).

Conventions: ``base=2`` gives bits (the default everywhere in qdarwin), ``base=numpy.e``
gives nats; ``0 log 0 = 0``. Eigenvalues below ``cutoff`` (default 1e-14) are dropped.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, as_real_array, check_real_scalar, validate_probabilities, validate_state

EIG_CUTOFF = 1e-14


def _log(x: NDArray[np.float64], base: float) -> NDArray[np.float64]:
    return np.log(x) / math.log(base)


def _check_base(base: float) -> float:
    b = check_real_scalar(base, "base")
    if b <= 0 or b == 1:
        raise ValueError(f"base must be positive and != 1, got {b}")
    return b


def entropy_from_eigenvalues(eigenvalues: ArrayLike, *, base: float = 2.0, cutoff: float = EIG_CUTOFF) -> Any:
    """Entropy ``-sum l log l`` of a spectrum; batched over leading axes.

    Negative eigenvalues (round-off) are clipped to 0 and values below ``cutoff`` dropped.
    Unnormalised (sub-normalised, e.g. ``p_i`` times a conditional spectrum) spectra are *not*
    renormalised; eigenvalues above 1 (+1e-6) are no spectrum of a (sub-)normalised state and
    raise ``ValueError``.

    Parameters
    ----------
    eigenvalues : array_like, shape (..., d)
    base : float
        Logarithm base (2: bits, the default; ``numpy.e``: nats).
    cutoff : float
        Eigenvalues ``<= cutoff`` contribute 0.

    Returns
    -------
    float or ndarray of shape (...)

    Examples
    --------
    >>> entropy_from_eigenvalues([0.5, 0.5])
    1.0
    """
    b = _check_base(base)
    lam = as_real_array(eigenvalues, "eigenvalues")
    if lam.size and float(np.max(lam)) > 1.0 + 1e-6:
        raise ValueError(
            f"eigenvalues: {float(np.max(lam)):.6g} > 1 is not an eigenvalue of a density matrix "
            "(normalise the spectrum first)"
        )
    safe = np.where(lam > cutoff, lam, 1.0)
    terms = np.where(lam > cutoff, -lam * np.log(safe), 0.0)
    out = terms.sum(axis=-1) / math.log(b)
    return float(out) if np.ndim(out) == 0 else out


def von_neumann_entropy(rho: Any, *, base: float = 2.0, check: bool = True) -> float:
    """Von Neumann entropy ``S(rho) = -tr rho log rho`` (bits by default).

    Parameters
    ----------
    rho : array_like (d, d) or (d,), or qutip.Qobj
        Density matrix, or a normalised ket (a pure state: entropy 0). Validated when
        ``check`` is true (finite, Hermitian, trace 1, positive semidefinite).
    base : float
        Logarithm base; 2 gives bits.

    Examples
    --------
    >>> round(von_neumann_entropy([[0.5, 0], [0, 0.5]]), 12)
    1.0
    >>> von_neumann_entropy([0.6, 0.8])
    0.0
    """
    if check:
        arr, is_ket = validate_state(rho, "rho")
    else:
        arr = np.asarray(as_array(rho, "rho"), dtype=complex)
        is_ket = arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] != 1)
    if is_ket:
        _check_base(base)
        return 0.0
    return float(entropy_from_eigenvalues(np.linalg.eigvalsh(0.5 * (arr + arr.conj().T)), base=base))


def entropy_of_factor(w: NDArray[Any], *, base: float = 2.0) -> float:
    """Entropy of ``rho = W W^dag`` without forming the larger Gram matrix.

    The non-zero spectrum of ``W W^dag`` equals that of ``W^dag W``; the smaller of the two is
    diagonalised. ``W`` of shape (a, b) need not be square; ``tr W W^dag`` should be 1.

    Examples
    --------
    >>> import numpy as np
    >>> round(entropy_of_factor(np.eye(4) / 2), 12)
    2.0
    """
    w = as_array(w, "w")
    if w.ndim != 2:
        raise ValueError(f"w: expected a matrix (a, b), got shape {tuple(w.shape)}")
    if not np.all(np.isfinite(w)):
        raise ValueError("w: contains NaN or infinite entries")
    a, b = w.shape
    g = w @ w.conj().T if a <= b else w.conj().T @ w
    g = 0.5 * (g + g.conj().T)
    return float(entropy_from_eigenvalues(np.linalg.eigvalsh(g), base=base))


def shannon_entropy(p: ArrayLike, *, base: float = 2.0, check: bool = True) -> float:
    """Shannon entropy of a probability vector (bits by default).

    Examples
    --------
    >>> shannon_entropy([0.25, 0.25, 0.5])
    1.5
    """
    arr = validate_probabilities(p) if check else np.asarray(p, dtype=float)
    return float(entropy_from_eigenvalues(arr, base=base, cutoff=0.0))


def binary_entropy(p: ArrayLike, *, base: float = 2.0) -> Any:
    """Binary entropy ``H2(p) = -p log p - (1-p) log(1-p)``, vectorised, bits by default.

    Raises
    ------
    ValueError
        If any ``p`` lies outside [0, 1].

    Examples
    --------
    >>> binary_entropy(0.5)
    1.0
    """
    b = _check_base(base)
    arr = as_real_array(p, "p")
    if np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(f"p must be in [0, 1], got {float(arr.min() if np.any(arr < 0) else arr.max()):.6g}")
    # -p ln p - q ln q with ln q = log1p(-p) (and symmetrically), so tiny p or q keep full relative accuracy
    small = arr <= 0.5
    x = np.where(small, arr, 1.0 - arr)  # the smaller probability, computed exactly when it is p
    with np.errstate(divide="ignore", invalid="ignore"):
        x_log_x = np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)
        h = -x_log_x - (1.0 - x) * np.log1p(-x)
    out = np.maximum(h / math.log(b), 0.0)
    return float(out) if np.ndim(out) == 0 else out


def two_level_entropy(p: ArrayLike, coherence_abs: ArrayLike, *, base: float = 2.0) -> Any:
    """Entropy ``h(p, r_c)`` of a qubit state with populations (p, 1-p) and coherence modulus r_c.

    Eigenvalues are ``(1 +- r)/2`` with ``r = sqrt((2p-1)^2 + 4 r_c^2)``. A physical state has
    ``r_c^2 <= p (1 - p)`` (``r <= 1``); ``r`` up to ``1 + 1e-9`` (round-off) is set to 1,
    larger values are refused. Vectorised over broadcastable ``p`` and ``coherence_abs``.

    Raises
    ------
    ValueError
        ``p`` outside [0, 1], ``coherence_abs`` negative, complex or non-finite, or a coherence
        too large for the populations (``r_c^2 > p (1 - p)``: not a density matrix).

    Examples
    --------
    >>> two_level_entropy(0.5, 0.0)
    1.0
    >>> two_level_entropy(0.5, 0.5)
    0.0
    """
    pa = as_real_array(p, "p")
    ca = as_real_array(coherence_abs, "coherence_abs")
    if np.any(pa < 0) or np.any(pa > 1):
        raise ValueError(f"p must be in [0, 1], got {float(pa.min() if np.any(pa < 0) else pa.max()):.6g}")
    if np.any(ca < 0):
        raise ValueError(f"coherence_abs is a modulus and must be >= 0, got {float(ca.min()):.6g}")
    try:
        pa, ca = np.broadcast_arrays(pa, ca)
    except ValueError:
        raise ValueError(f"p and coherence_abs: shapes {pa.shape} and {ca.shape} do not broadcast") from None
    # r^2 = 1 - 4 (p q - r_c^2), evaluated from the determinant so that pure states give r = 1 exactly
    with np.errstate(over="ignore"):  # a huge coherence gives r = inf, refused below
        det = pa * (1.0 - pa) - ca**2
        r = np.sqrt(np.maximum(1.0 - 4.0 * det, 0.0))
    if np.any(r > 1.0 + 1e-9):
        k = int(np.argmax(r))
        raise ValueError(
            "coherence_abs too large for the populations (needs coherence_abs^2 <= p (1 - p)): "
            f"p = {float(pa.flat[k]):.6g}, coherence_abs = {float(ca.flat[k]):.6g}"
        )
    return binary_entropy((1.0 + np.minimum(r, 1.0)) / 2.0, base=base)


__all__ = [
    "entropy_from_eigenvalues",
    "von_neumann_entropy",
    "entropy_of_factor",
    "shannon_entropy",
    "binary_entropy",
    "two_level_entropy",
]
