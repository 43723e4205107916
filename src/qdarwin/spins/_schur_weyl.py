"""Schur-Weyl building blocks for identical qubits: multiplicities, spin-j matrices, Sym^n.

Conventions (docs/spins-symmetric.md): ``(C^2)^{(x) m} = (+)_j V_j (x) C^{d_j}`` with
``2j in {m, m-2, ..., m mod 2}``. The symmetric power ``Sym^n(A)`` acts on the normalised
symmetric (Dicke) states ``e_k``, ``k = 0..n`` = number of down factors, ``e_k <-> |j, j-k>``,
``j = n/2``; spin matrices follow the Condon-Shortley convention (``J_+`` real, positive).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import eigh_tridiagonal
from scipy.special import gammaln

from .._checks import as_array, check_int, check_shape

#: Largest ``m`` for which :func:`schur_weyl_multiplicities` returns finite floats.
MAX_MULTIPLICITY_M = 1020


MAX_SPIN = 5000  #: largest j for dense spin matrices ((2j+1)^2 complex entries, 1.6 GB at j = 5000)


def _half_integer(j: Any, name: str = "j") -> NDArray[np.float64]:
    arr = np.asarray(as_array(j, name), dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 2.0**53) or np.any(2 * arr != np.round(2 * arr)):
        raise ValueError(f"{name} must be a non-negative integer or half-integer (at most 2**53), got {j!r}")
    return arr


def schur_weyl_multiplicities(m: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Total-spin sectors ``2j`` and multiplicities ``d_j`` of ``m`` qubits.

    Parameters
    ----------
    m : int
        Number of qubits, ``0 <= m <= 1020`` (larger ``d_j`` overflow a float; use
        :func:`log_multiplicity`).

    Returns
    -------
    two_j : ndarray of int, shape (m//2 + 1,)
        ``2j = m, m-2, ..., m mod 2`` (descending).
    d_j : ndarray of float
        ``d_j = C(m, m/2-j) - C(m, m/2-j-1)``; exact integers while below 2**53.

    Notes
    -----
    :math:`\\sum_j d_j (2j+1) = 2^m`.

    Examples
    --------
    >>> two_j, d = schur_weyl_multiplicities(4)
    >>> two_j.tolist(), d.tolist()
    ([4, 2, 0], [1.0, 3.0, 2.0])
    """
    mm = check_int(m, "m", minimum=0)
    if mm > MAX_MULTIPLICITY_M:
        raise ValueError(
            f"m = {mm} too large for float multiplicities (max {MAX_MULTIPLICITY_M}); "
            "use log_multiplicity"
        )
    two_j = np.arange(mm, -1, -2, dtype=np.int64)
    ks = (mm - two_j) // 2
    d = [math.comb(mm, int(k)) - (math.comb(mm, int(k) - 1) if k >= 1 else 0) for k in ks]
    return two_j, np.array([float(x) for x in d])


def log_multiplicity(m: int, j: ArrayLike) -> Any:
    """Natural log of the Schur-Weyl multiplicity ``d_j`` of ``m`` qubits (overflow-free).

    ``ln d_j = ln(2j+1) - ln(m/2+j+1) + lnG(m+1) - lnG(m/2-j+1) - lnG(m/2+j+1)``.

    Parameters
    ----------
    m : int
        Number of qubits (>= 0).
    j : float or array_like
        Total spin, ``0 <= j <= m/2`` with ``m/2 - j`` a non-negative integer.

    Returns
    -------
    float or ndarray
        ``ln d_j`` (nats).

    Examples
    --------
    >>> round(float(np.exp(log_multiplicity(4, 1))), 9)
    3.0
    """
    mm = check_int(m, "m", minimum=0, maximum=2**53)  # m/2 - j exact in float64
    jj = _half_integer(j)
    k = mm / 2.0 - jj
    if np.any(k < 0) or np.any(k != np.round(k)):
        raise ValueError(
            f"j must satisfy 0 <= j <= m/2 with m/2 - j an integer (m = {mm}), got {j!r}"
        )
    out = (
        np.log(2 * jj + 1)
        - np.log(mm / 2.0 + jj + 1)
        + gammaln(mm + 1.0)
        - gammaln(k + 1.0)
        - gammaln(mm / 2.0 + jj + 1.0)
    )
    return float(out) if np.ndim(out) == 0 else out


def spin_matrices(
    j: float,
) -> tuple[NDArray[np.complex128], NDArray[np.complex128], NDArray[np.complex128]]:
    """Spin-j matrices ``(J_x, J_y, J_z)`` in the basis ``m_z = j, j-1, ..., -j``.

    ``J_z = diag(m_z)``, ``<m_z+1|J_+|m_z> = sqrt(j(j+1) - m_z(m_z+1))`` (real, positive),
    ``J_x = (J_+ + J_-)/2``, ``J_y = (J_+ - J_-)/(2i)``; spin units (``J = sigma/2`` for j = 1/2).

    Examples
    --------
    >>> jx, jy, jz = spin_matrices(0.5)
    >>> (2 * jx).real.tolist(), (2 * jz).real.tolist()
    ([[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, -1.0]])
    """
    jj = float(_half_integer(j))
    if jj > MAX_SPIN:
        raise ValueError(f"j = {jj:g} is too large: spin matrices of size 2j+1 are built for j <= {MAX_SPIN}")
    n = int(round(2 * jj))
    mz = jj - np.arange(n + 1)
    jplus = np.diag(_jx_offdiagonal(n) * 2.0, k=1).astype(complex)
    jx = 0.5 * (jplus + jplus.conj().T)
    jy = (jplus - jplus.conj().T) / 2j
    jz = np.diag(mz).astype(complex)
    return jx, jy, jz


def _jx_offdiagonal(n: int) -> NDArray[np.float64]:
    """Super-diagonal of ``J_x`` for spin ``n/2``: ``sqrt((i+1)(n-i))/2``, i = 0..n-1."""
    i = np.arange(n, dtype=np.float64)
    return 0.5 * np.sqrt((i + 1.0) * (n - i))


def sym_power(A: ArrayLike, n: int) -> NDArray[np.complex128]:
    """Symmetric power ``Sym^n(A)`` of a 2x2 matrix by the polynomial formula.

    ``[Sym^n(A)]_{lk} = sqrt(C(n,k)/C(n,l))
    sum_i C(n-k,i) C(k,l-i) a^{n-k-i} c^i b^{k-l+i} d^{l-i}``
    for ``A = [[a, b], [c, d]]`` (any complex matrix). Accurate for moderate ``n``
    (alternating sums lose digits for large ``n``; :func:`sym_power_su2` is the stable route
    for unitaries).

    Parameters
    ----------
    A : array_like, shape (2, 2)
    n : int
        Power, ``0 <= n <= 200``.

    Returns
    -------
    ndarray, shape (n+1, n+1), complex

    Examples
    --------
    >>> (sym_power([[1, 2], [3, 4]], 2).real.round(9) + 0.0).tolist()
    [[1.0, 2.828427125, 4.0], [4.242640687, 10.0, 11.313708499], [9.0, 16.970562748, 16.0]]
    """
    arr = np.asarray(as_array(A, "A"), dtype=np.complex128)
    check_shape(arr, "A", "(2, 2)")
    if not np.all(np.isfinite(arr)):
        raise ValueError("A: contains NaN or infinite entries")
    nn = check_int(n, "n", minimum=0)
    if nn > 200:
        raise ValueError(f"n = {nn} too large for the polynomial formula (max 200)")
    a, b, c, d = arr[0, 0], arr[0, 1], arr[1, 0], arr[1, 1]
    binom = [
        np.array([math.comb(r, i) for i in range(r + 1)], dtype=np.float64) for r in range(nn + 1)
    ]
    out = np.empty((nn + 1, nn + 1), dtype=np.complex128)
    for k in range(nn + 1):
        i1 = np.arange(nn - k + 1)
        i2 = np.arange(k + 1)
        poly1 = binom[nn - k] * a ** (nn - k - i1) * c**i1  # (a x + c y)^{n-k}, coefficient of y^i
        poly2 = binom[k] * b ** (k - i2) * d**i2  # (b x + d y)^k
        out[:, k] = np.convolve(poly1, poly2)
    norm = np.sqrt(binom[nn])
    return out * norm[None, :] / norm[:, None]


def _small_d_from_eig(
    beta: float, mu: NDArray[np.float64], vecs: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Real Wigner matrix ``d(beta) = exp(-i beta J_y)`` from the eigensystem of ``J_x``.

    Uses ``J_y = R J_x R^dag`` with ``R = exp(-i pi/2 J_z)``, so ``exp(-i beta J_y) =
    R P diag(exp(-i beta mu)) P^T R^dag``; the result is real up to round-off.
    """
    n = mu.size - 1
    x = (vecs * np.exp(-1j * beta * mu)[None, :]) @ vecs.T
    k = np.arange(n + 1)
    phase = (-1j) ** (
        (k[None, :] - k[:, None]) % 4
    )  # R_r R_s^* = exp(-i pi/2 (m_r - m_s)), m_r - m_s = s - r
    return (phase * x).real


def jx_eigensystem(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Eigenvalues and real orthogonal eigenvectors of ``J_x`` for spin ``n/2`` (tridiagonal)."""
    if n == 0:
        return np.zeros(1), np.ones((1, 1))
    mu, vecs = eigh_tridiagonal(np.zeros(n + 1), _jx_offdiagonal(n))
    return mu, vecs


def su2_euler_zyz(G: NDArray[np.complex128]) -> tuple[complex, float, float, float]:
    """Write a 2x2 unitary as ``phase * Rz(alpha) Ry(beta) Rz(gamma)``, ``R = exp(-i ang sigma/2)``.

    Returns ``(phase, alpha, beta, gamma)`` with ``phase**2 = det G``.
    """
    det = complex(np.linalg.det(G))
    phase = np.exp(0.5j * np.angle(det))
    g = G / phase
    x, y = g[0, 0], g[1, 0]
    beta = 2.0 * math.atan2(abs(y), abs(x))
    s = -np.angle(x) if abs(x) > 0 else 0.0  # (alpha + gamma)/2
    dlt = np.angle(y) if abs(y) > 0 else 0.0  # (alpha - gamma)/2
    return complex(phase), float(s + dlt), beta, float(s - dlt)


def sym_power_su2(G: ArrayLike, n: int) -> NDArray[np.complex128]:
    """Stable ``Sym^n(G)`` of a 2x2 unitary via Euler angles and spin-n/2 exponentials.

    ``G = e^{i phi0} Rz(alpha) Ry(beta) Rz(gamma)`` gives ``Sym^n(G) = e^{i n phi0}
    exp(-i alpha J_z) d(beta) exp(-i gamma J_z)``; ``d(beta) = exp(-i beta J_y)`` from the
    eigensystem of the tridiagonal ``J_x``. Unitary to machine precision for any ``n``.

    Parameters
    ----------
    G : array_like, shape (2, 2)
        A unitary matrix (checked within 1e-10).
    n : int
        Power (>= 0).

    Returns
    -------
    ndarray, shape (n+1, n+1), complex

    Examples
    --------
    >>> import numpy as np
    >>> u = np.array([[0, -1], [1, 0]], dtype=complex)  # Ry(pi)
    >>> (np.round(sym_power_su2(u, 2).real, 9) + 0.0).tolist()
    [[0.0, 0.0, 1.0], [0.0, -1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    arr = np.asarray(as_array(G, "G"), dtype=np.complex128)
    check_shape(arr, "G", "(2, 2)")
    if not np.all(np.isfinite(arr)) or np.max(np.abs(arr.conj().T @ arr - np.eye(2))) > 1e-10:
        raise ValueError("G must be a 2x2 unitary matrix")
    nn = check_int(n, "n", minimum=0)
    phase, alpha, beta, gamma = su2_euler_zyz(arr)
    mu, vecs = jx_eigensystem(nn)
    mz = nn / 2.0 - np.arange(nn + 1)
    dmat = _small_d_from_eig(beta, mu, vecs)
    return (
        (phase**nn) * np.exp(-1j * alpha * mz)[:, None] * dmat * np.exp(-1j * gamma * mz)[None, :]
    )


__all__ = [
    "schur_weyl_multiplicities",
    "log_multiplicity",
    "spin_matrices",
    "sym_power",
    "sym_power_su2",
]
