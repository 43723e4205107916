"""The Gram matrix G, the generator matrix C and the Helmert basis (``docs/dephasing.md``).

A data set (Gamma, omega) comes from some diagonal Hamiltonian and diagonal Lindblad operators
if and only if ``G >= 0`` (positive semidefinite), equivalently ``Q^T C Q >= 0``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._checks import check_int
from .model import MAX_BYTES, validate_frequencies, validate_rates

MAX_HELMERT = int((MAX_BYTES / 8) ** 0.5)  #: largest n for :func:`helmert_basis` (16384)


def helmert_basis(n: int) -> NDArray[np.float64]:
    """Real ``(n, n-1)`` matrix with orthonormal columns spanning the sum-zero vectors of R^n.

    Column ``j-1`` (j = 1 ... n-1) has ``1/sqrt(j(j+1))`` in rows ``0 ... j-1``,
    ``-j/sqrt(j(j+1))`` in row ``j`` and zeros below.

    Examples
    --------
    >>> q = helmert_basis(3)
    >>> bool(np.allclose(q.T @ q, np.eye(2))), bool(np.allclose(q.sum(axis=0), 0))
    (True, True)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n: need an integer >= 2, got {n!r:.40}")
    check_int(n, "n", maximum=MAX_HELMERT)  # an (n, n-1) float64 array within MAX_BYTES
    q = np.zeros((n, n - 1))
    for j in range(1, n):
        c = 1.0 / np.sqrt(j * (j + 1))
        q[:j, j - 1] = c
        q[j, j - 1] = -j * c
    return q


def _generator_kernel(gamma: NDArray[np.float64], omega: NDArray[np.float64] | None) -> NDArray[np.complex128]:
    if omega is None:
        return (-gamma).astype(np.complex128)
    return -(gamma + 1j * omega)


def generator_matrix(gamma: Any, omega: Any = None) -> NDArray[np.complex128]:
    """The Hermitian generator matrix ``C_mn = -(Gamma_mn + i omega_mn)`` (``C_nn = 0``).

    Physical data are exactly those for which C is conditionally positive semidefinite
    (``x^+ C x >= 0`` whenever ``sum x = 0``).

    Examples
    --------
    >>> complex(generator_matrix([[0, 1.0], [1.0, 0]], [[0, 0.5], [-0.5, 0]])[0, 1])
    (-1-0.5j)
    """
    g = validate_rates(gamma, allow_negative=True)
    om = None if omega is None else validate_frequencies(omega, g.shape[0])
    return _generator_kernel(g, om)


def _gram_kernel(c: NDArray[np.complex128], ref: int = 0) -> NDArray[np.complex128]:
    """``G = T^T C T`` with columns ``e_n - e_ref`` (n != ref); batched over leading axes."""
    n = c.shape[-1]
    others = [k for k in range(n) if k != ref]
    cr = c[..., others, :][..., :, others]
    col = c[..., others, ref]  # C_m,ref
    row = c[..., ref, others]  # C_ref,n
    return cr - col[..., :, None] - row[..., None, :] + c[..., ref, ref][..., None, None]


def gram_matrix(gamma: Any, omega: Any = None, ref: int = 0) -> NDArray[np.complex128]:
    """Gram matrix of the data relative to reference level ``ref`` (see docs/dephasing.md).

    Parameters
    ----------
    gamma : array_like, shape (N, N)
        Dephasing rates.
    omega : array_like, shape (N, N), optional
        Total frequencies, or shifts in any gauge (only loop sums enter). ``None``: Phi = 0.
    ref : int
        Reference level (default 0). ``G[i, j]`` refers to the i-th and j-th level other than ``ref``.

    Returns
    -------
    ndarray, shape (N-1, N-1), complex
        ``G_mm = 2 Gamma_rm``, ``G_mn = Gamma_rm + Gamma_rn - Gamma_mn - i Phi_mn`` with
        ``Phi_mn = omega_rm + omega_mn + omega_nr``; for operators ``G = B B^+``, ``B = W[others] - W[ref]``.

    Examples
    --------
    >>> G = gram_matrix([[0, 1, 2], [1, 0, 1.5], [2, 1.5, 0]], [[0, 0, 0], [0, 0, 0.5], [0, -0.5, 0]])
    >>> G.round(12).tolist()
    [[(2+0j), (1.5-0.5j)], [(1.5+0.5j), (4+0j)]]
    """
    g = validate_rates(gamma, allow_negative=True)
    n = g.shape[0]
    om = None if omega is None else validate_frequencies(omega, n)
    if isinstance(ref, bool) or not isinstance(ref, (int, np.integer)) or not 0 <= int(ref) < n:
        raise ValueError(f"ref: reference level must be an integer in [0, {n}), got {ref!r}")
    return _gram_kernel(_generator_kernel(g, om), int(ref))


__all__ = ["gram_matrix", "generator_matrix", "helmert_basis"]
