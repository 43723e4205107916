"""Canonical dephasing operators (``docs/dephasing.md``).

Every set of diagonal Lindblad operators is gauge-equivalent (unitary mixing with zero padding,
identity shifts with a Hamiltonian correction) to exactly one canonical set: row 0 zero,
column-echelon form, real positive leads, no zero columns. Three algorithms are provided and
agree to ~1e-12: Householder elimination (Algorithm A, default), the corrected paper Algorithm 1
(pairwise 2x2 unitaries, ``method="givens"``) and the echelon Cholesky of G (Algorithm B).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._checks import as_array, check_finite, check_tolerance
from .methods import CanonicalMethod, Householder, canonical_method
from ._scaling import pow2_scale, pow4_scale, unscale
from .model import validate_operators


@dataclass(frozen=True)
class CanonicalForm:
    """Canonical operators ``V`` (N, r), Hamiltonian correction ``dH`` (N,) and rank ``r``.

    In the canonical gauge the Hamiltonian is ``lam + dH``; ``dH[m] = Delta omega_m0(W)``.
    """

    V: NDArray[np.complex128]
    dH: NDArray[np.float64]
    rank: int

    @property
    def leads(self) -> tuple[int, ...]:
        """Level of the first non-zero entry of each canonical operator."""
        return tuple(int(np.flatnonzero(self.V[:, j])[0]) for j in range(self.rank))

    def lower_triangular(self) -> NDArray[np.complex128]:
        """The ``(N, N-1)`` layout: column c holds the operator with lead at level c+1 (or zeros)."""
        n = self.V.shape[0]
        out = np.zeros((n, n - 1), dtype=np.complex128)
        for j, p in enumerate(self.leads):
            out[:, p - 1] = self.V[:, j]
        return out


def _householder_kernel(w: NDArray[np.complex128], rtol: float) -> tuple[NDArray[np.complex128], int]:
    v = w - w[0, :]
    n, kk = v.shape
    tol = rtol * float(np.linalg.norm(v))
    k = 0
    for r in range(1, n):
        if k == kk:
            break
        x = v[r, k:].copy()
        nx = float(np.linalg.norm(x))
        if nx <= tol:
            v[r, k:] = 0.0
            continue
        # Householder P = I - 2 u u^+ with P x^T = alpha e1, alpha = -exp(i arg x0) |x|;
        # then x conj(P) = alpha e1^T, so U = conj(P); a phase on column k makes the lead +|x|.
        y = x.copy()
        alpha = -np.exp(1j * np.angle(y[0])) * nx if y[0] != 0 else -nx
        u = y.copy()
        u[0] -= alpha
        nu = float(np.linalg.norm(u))
        if nu > 0:
            u /= nu
            # V[:, k:] <- V[:, k:] conj(P) = V - 2 (V conj(u)) u^T
            blk = v[:, k:]
            blk -= 2.0 * np.outer(blk @ u.conj(), u)
        lead = v[r, k]
        if lead != 0:
            v[:, k] *= np.conj(lead) / abs(lead)
        v[r, k] = nx
        v[r, k + 1:] = 0.0
        k += 1
    return v[:, :k], k


def _givens_kernel(w: NDArray[np.complex128], rtol: float) -> tuple[NDArray[np.complex128], int]:
    """The paper's Algorithm 1 with lines 14-15 as a simultaneous update and a tolerance."""
    v = w - w[0, :]
    n, kk = v.shape
    tol = rtol * float(np.linalg.norm(v))
    k = 0
    for r in range(1, n):
        if k == kk:
            break
        nz = np.flatnonzero(np.abs(v[r, k:]) > tol) + k
        small = np.setdiff1d(np.arange(k, kk), nz)
        v[r, small] = 0.0
        if nz.size == 0:
            continue
        i1 = int(nz[0])
        for i2 in nz[1:]:
            a1, a2 = v[r, i1], v[r, i2]
            r1, r2 = abs(a1), abs(a2)
            p1, p2 = np.exp(1j * np.angle(a1)), np.exp(1j * np.angle(a2))
            nc = np.hypot(r1, r2)
            c1, c2 = v[:, i1].copy(), v[:, i2].copy()  # simultaneous update (erratum 4)
            v[:, i1] = (r1 * p2 * c1 + r2 * p1 * c2) / nc
            v[:, i2] = (r2 * np.conj(p1) * c1 - r1 * np.conj(p2) * c2) / nc
            v[r, i2] = 0.0
        if i1 != k:
            v[:, [k, i1]] = v[:, [i1, k]]
        lead = v[r, k]
        v[:, k] *= np.conj(lead) / abs(lead)  # phase correction (erratum 3)
        v[r, k] = abs(lead)
        k += 1
    return v[:, :k], k


def canonical_form(
    w: Any, rtol: float = 1e-10, *, method: CanonicalMethod | Literal["householder", "givens"] = "householder"
) -> CanonicalForm:
    """Canonical dephasing operators of ``W`` (docs/dephasing.md, Algorithm A).

    Parameters
    ----------
    w : array_like, shape (N, K) or (N,)
        Dephasing operators (column k = diagonal of ``V_k``), complex allowed, K >= 0.
    rtol : float
        Relative tolerance: pivots with norm <= ``rtol * ||W - W[0]||_F`` count as zero.
    method : Householder(), Givens(), or "householder" / "givens"
        Householder elimination (backward stable, default) or the corrected paper Algorithm 1
        (see :mod:`qdarwin.dephasing.methods`).

    Returns
    -------
    CanonicalForm
        ``V`` (N, r) with ``V[0] = 0``, column-echelon, real positive leads; ``dH`` with
        ``dH[m] = sum_k Im(a_0k a_mk^*)``; ``rank`` r = rank G.

    Examples
    --------
    >>> cf = canonical_form([[0.5, 0.2j], [1 + 0.5j, -0.3], [0, 0.8 + 0.1j]])
    >>> cf.rank, round(float(cf.V[1, 0].real), 12), cf.dH.round(12).tolist()
    (2, 0.793725393319, [0.0, -0.31, 0.16])
    """
    wv = validate_operators(w)
    tol = check_tolerance(rtol)
    how = canonical_method(method)
    f = pow2_scale(wv)
    if f != 1.0:  # extreme magnitudes: exact power-of-2 rescaling (V scales with W, dH with W^2)
        cf = canonical_form(wv / f, tol, method=how)
        return CanonicalForm(unscale(cf.V, f, "the canonical operators"), unscale(cf.dH, f, "the Hamiltonian correction", power=2), cf.rank)
    m = wv @ wv.conj().T
    dh = -m[:, 0].imag.copy()
    dh[0] = 0.0
    if wv.shape[1] == 0:
        return CanonicalForm(np.zeros((wv.shape[0], 0), dtype=np.complex128), dh, 0)
    kern = _householder_kernel if isinstance(how, Householder) else _givens_kernel
    v, r = kern(wv.copy(), tol)
    return CanonicalForm(np.ascontiguousarray(v), dh, r)


def _echelon_kernel(g: NDArray[np.complex128], rtol: float) -> NDArray[np.complex128]:
    n = g.shape[0]
    tol = rtol * float(np.max(np.abs(np.diagonal(g)))) if n else 0.0
    lmat = np.zeros((n, n), dtype=np.complex128)
    k = 0
    for i in range(n):
        s = float(g[i, i].real) - float(np.sum(np.abs(lmat[i, :k]) ** 2))
        if s > tol:
            piv = np.sqrt(s)
            lmat[i, k] = piv
            if i + 1 < n:
                lmat[i + 1:, k] = (g[i + 1:, i] - lmat[i + 1:, :k] @ lmat[i, :k].conj()) / piv
            k += 1
    return lmat[:, :k]


def echelon_cholesky(g: Any, rtol: float = 1e-10) -> NDArray[np.complex128]:
    """Column-echelon Cholesky factor ``L`` (n, r) of a Hermitian PSD matrix, ``G = L L^+`` (Algorithm B).

    Zero Schur pivots (<= ``rtol * max|G_ii|``) create no column, so later leads move down.
    Divides by pivots: prefer :func:`canonical_form` when operators are available. Negative
    pivots (unphysical G) are treated like zero pivots; check physicality first.

    Examples
    --------
    >>> echelon_cholesky([[4.0, 2.0], [2.0, 2.0]]).real.round(12).tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    arr = as_array(g, "G")
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"G: expected a square matrix (n, n), got shape {tuple(arr.shape)}")
    arr = arr.astype(np.complex128)
    check_finite(arr, "G")
    if np.max(np.abs(arr - arr.conj().T), initial=0.0) > 1e-9 * max(1.0, float(np.max(np.abs(arr), initial=0.0))):
        raise ValueError("G: must be Hermitian")
    tol = check_tolerance(rtol)
    f = pow4_scale(arr)  # G / f is exact and sqrt(f) is exact: L(G) = sqrt(f) L(G / f)
    scaled = (arr / f).astype(np.complex128)
    lmat = _echelon_kernel(0.5 * (scaled + scaled.conj().T), tol)
    return unscale(lmat, math.sqrt(f), "the Cholesky factor")


__all__ = ["CanonicalForm", "canonical_form", "echelon_cholesky"]
