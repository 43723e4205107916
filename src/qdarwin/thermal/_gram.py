"""Gram-matrix kernels of the thermal pillar's mutual information (private; Cao & Nussinov, arXiv:2603.15743).

Spectra of rho_F and rho_SF from weighted branch blocks of shape (d, a, b), BLAS herk/syrk on
zero-copy Fortran views, and the exact even/odd split under the interval reflection used on
rings (see ``qdarwin.thermal.information`` for the public functions).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.linalg
from numpy.typing import NDArray
from scipy.linalg import blas

from ..info.entropy import entropy_from_eigenvalues

def _gram(x: NDArray[Any], rows: bool) -> NDArray[Any]:
    """Upper triangle of ``x x^H`` (rows=True) or ``x^H x`` (rows=False), possibly conjugated.

    ``x`` is C-contiguous; it is passed to BLAS as its Fortran view ``x.T`` (no copy), so the
    result is the complex conjugate of the requested Gram matrix -- same spectrum.
    """
    xt = x.T
    if np.iscomplexobj(x):
        return blas.zherk(1.0, xt, trans=2 if rows else 0)
    return blas.dsyrk(1.0, xt, trans=1 if rows else 0)


def _eigvals_upper(g: NDArray[Any]) -> NDArray[np.float64]:
    """Eigenvalues of a Hermitian matrix stored in its upper triangle (Fortran order)."""
    if g.shape[0] == 1:
        return np.array([float(np.real(g[0, 0]))])
    return scipy.linalg.eigh(g, lower=False, eigvals_only=True, overwrite_a=True, check_finite=False, driver="evd")


def _split_spectra(mat: NDArray[Any]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Non-zero spectra of rho_A and rho_SA for weighted branch blocks ``mat`` of shape (d, a, b).

    Every Gram matrix is built on its smaller side: ``rho_SA = V V^H`` with ``V`` the vertical
    stack (d a, b) or ``V^H V = sum_k M_k^H M_k`` (b, b); ``rho_A = sum_k M_k M_k^H`` (a, a),
    the diagonal blocks of ``V V^H`` when that was formed, or ``W^H W`` with
    ``W = [M_0 | M_1 | ...]`` when ``d b < a``.
    """
    d, a, b = mat.shape
    v = mat.reshape(d * a, b)
    if d * a <= b:
        k = _gram(v, rows=True)
        ev_sa = None
        if d == 1:
            rho_a = k.copy(order="F")
        else:
            rho_a = np.zeros((a, a), dtype=k.dtype, order="F")
            for j in range(d):
                rho_a += k[j * a : (j + 1) * a, j * a : (j + 1) * a]
        ev_sa = _eigvals_upper(k)
        return _eigvals_upper(rho_a), ev_sa
    ev_sa = _eigvals_upper(_gram(v, rows=False))
    if a <= d * b:
        rho_a = np.zeros((a, a), dtype=mat.dtype, order="F")
        for j in range(d):
            rho_a += _gram(mat[j], rows=True)
        return _eigvals_upper(rho_a), ev_sa
    w = np.ascontiguousarray(mat.transpose(1, 0, 2)).reshape(a, d * b)
    return _eigvals_upper(_gram(w, rows=False)), ev_sa


def _bit_reverse_range(lo: int, hi: int, n_bits: int) -> NDArray[np.int64]:
    """Bit reversal (``n_bits`` bits) of every integer in [lo, hi)."""
    x = np.arange(lo, hi, dtype=np.int64)
    rev = np.zeros_like(x)
    tmp = np.empty_like(x)
    for bit in range(n_bits):
        np.right_shift(x, bit, out=tmp)
        tmp &= 1
        tmp <<= n_bits - 1 - bit
        rev |= tmp
    return rev


def _bit_reverse(n_bits: int) -> NDArray[np.int64]:
    return _bit_reverse_range(0, 1 << n_bits, n_bits)


def _reflection_indices(n_bits: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Palindromes, and pairs lo < hi = reverse(lo), of ``n_bits``-bit strings."""
    rev = _bit_reverse(n_bits)
    x = np.arange(1 << n_bits, dtype=np.int64)
    return x[rev == x], x[x < rev], rev[x < rev]


class _Workspace:
    """Reusable flat buffers, so repeated interval splits do not fault in fresh pages."""

    def __init__(self) -> None:
        self._bufs: dict[str, NDArray[Any]] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: Any) -> NDArray[Any]:
        size = int(np.prod(shape))
        buf = self._bufs.get(name)
        if buf is None or buf.dtype != np.dtype(dtype) or buf.size < size:
            buf = np.empty(size, dtype=dtype)
            self._bufs[name] = buf
        return buf[:size].reshape(shape)


def _reflection_blocks(
    mat: NDArray[Any], m: int, n: int, work: _Workspace | None = None
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Factors of the even and odd blocks of (d, 2^m, 2^(N-m)) under the interval reflection.

    The reflection reverses the bits of the row (fraction) index and of the column (complement)
    index. For invariant states the even rows ``(M[lo] + M[hi]) / sqrt2`` (and palindromes) are
    symmetric in the column index and the odd rows antisymmetric, so their Gram matrices are
    reproduced by the compact factors ``[X[:, pal], sqrt2 X[:, lo]]`` and ``sqrt2 X[:, lo]``
    (row and column scalings combined below).
    """
    work = work if work is not None else _Workspace()
    d, a, b = mat.shape
    pal, lo, hi = _reflection_indices(m)
    cpal, clo, _ = _reflection_indices(n - m)
    cidx = np.concatenate([cpal, clo])
    n_pal, n_lo, nc_pal = pal.size, lo.size, cpal.size
    odd_rows = work.get("odd_rows", (n_lo, b), mat.dtype)
    hi_rows = work.get("hi_rows", (n_lo, b), mat.dtype)
    even_rows = work.get("even_rows", (n_pal + n_lo, b), mat.dtype)
    even = work.get("even", (d, n_pal + n_lo, cidx.size), mat.dtype)
    odd = work.get("odd", (d, n_lo, clo.size), mat.dtype)
    for k in range(d):
        np.take(mat[k], pal, axis=0, out=even_rows[:n_pal], mode="clip")
        np.take(mat[k], lo, axis=0, out=odd_rows, mode="clip")
        np.take(mat[k], hi, axis=0, out=hi_rows, mode="clip")
        np.add(odd_rows, hi_rows, out=even_rows[n_pal:])
        np.subtract(odd_rows, hi_rows, out=odd_rows)
        np.take(even_rows, cidx, axis=1, out=even[k], mode="clip")
        np.take(odd_rows, clo, axis=1, out=odd[k], mode="clip")
    # even pair rows (lo+hi)/sqrt2 and odd rows (lo-hi)/sqrt2; paired columns weigh sqrt2
    even[:, n_pal:, :nc_pal] *= 1.0 / math.sqrt(2.0)
    even[:, :n_pal, nc_pal:] *= math.sqrt(2.0)
    return even, odd


def _is_reflection_invariant(b: NDArray[Any], n: int) -> bool:
    """psi_k equals its site-reversed copy for every branch (2-norm of the difference <= 1e-10)."""
    d = b.shape[0]
    rev = b.reshape((d,) + (2,) * n).transpose([0] + list(range(n, 0, -1))).reshape(d, -1)
    return bool(np.linalg.norm(rev - b) <= 1e-10)


def _interval_spectra(
    mat: NDArray[Any], m: int, n: int, split: bool, work: _Workspace | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if split and 1 <= m < n:
        parts = [_split_spectra(blk) for blk in _reflection_blocks(mat, m, n, work) if blk.shape[1] and blk.shape[2]]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return _split_spectra(mat)


def _entropy(evals: NDArray[np.float64], base: float) -> float:
    return float(entropy_from_eigenvalues(np.clip(evals, 0.0, None), base=base))


def _system_entropy_weighted(b: NDArray[Any], base: float) -> float:
    g = _gram(b, rows=True)  # conj(G), G_jk = sqrt(p_j p_k) <psi_k|psi_j>; upper triangle
    return _entropy(_eigvals_upper(g), base)
