"""Fragment entropies from the factor tensor (private kernel of the general analysis).

For a fragment ``F`` of the environment the kernel returns ``a = S(F)``, ``b = S(SF)`` and
``c_i = S(F|i)`` (entropy of the pointer-conditioned state ``rho_{F|i}``), each computed from
a Gram matrix on the smaller side of the relevant bipartition of ``T`` (``T`` includes the
purifying axis of a mixed state, so ``S(A) = S(rest)`` is never assumed for mixed states).
From these ``I(S:F) = H_S + a - b`` and ``chi(Pi_S:F) = a - sum_i p_i c_i``. For pure global
states ``S(F) = S(S Fbar)``, ``S(SF) = S(Fbar)`` and ``S(F|i) = S(Fbar|i)``, so one fragment
gives its complement for free (see :func:`complement_values`).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from scipy.linalg.blas import dsyrk, zherk

from ..info.entropy import entropy_from_eigenvalues
from ._state import Prepared

#: Bytes per complex128 entry.
_C16 = 16


def _gram(a: NDArray[Any], rows: bool) -> NDArray[Any]:
    """A Hermitian matrix with the spectrum of ``a a^dag`` (rows) or ``a^dag a``; upper triangle only.

    BLAS ``herk``/``syrk`` (half the work of a product) on the Fortran view ``a.T`` of the
    C-ordered ``a``; the result is the complex conjugate of the Gram matrix, which has the
    same (real) eigenvalues. Read it with ``eigvalsh(..., UPLO="U")``.
    """
    at = a.T
    if np.iscomplexobj(a):
        return zherk(1.0, at, trans=2 if rows else 0)
    return dsyrk(1.0, at, trans=1 if rows else 0)


def _ent(mats: NDArray[Any], base: float) -> NDArray[np.float64]:
    """Entropies of a stack of (unnormalised, trace-t) Gram matrices (upper triangles): ``-sum l log(l)``."""
    lam = np.linalg.eigvalsh(mats, UPLO="U")
    return np.asarray(entropy_from_eigenvalues(lam, base=base), dtype=np.float64).reshape(mats.shape[:-2])


def _cond_ent(g: NDArray[np.complex128], p: NDArray[np.float64], base: float) -> NDArray[np.float64]:
    """``S(F|i)`` from the unnormalised conditional Grams ``g[i]`` (trace ``p_i``); 0 where ``p_i = 0``."""
    safe = np.where(p > 0, p, 1.0)
    lam = np.linalg.eigvalsh(g, UPLO="U") / safe[:, None]
    out = np.asarray(entropy_from_eigenvalues(lam, base=base), dtype=np.float64).reshape(p.shape)
    return np.where(p > 0, out, 0.0)


def split(prep: Prepared, frag: Sequence[int]) -> tuple[NDArray[np.complex128], int, int, int]:
    """``X`` of shape (d_S, d_F, d_Fbar * r) for the fragment ``frag`` (env positions 0..N-1)."""
    n = prep.n_env
    inside = set(frag)
    rest = [k for k in range(n) if k not in inside]
    perm = [0] + [1 + k for k in frag] + [1 + k for k in rest] + [n + 1]
    d_f = math.prod(prep.env_dims[k] for k in frag)
    d_rest = math.prod(prep.env_dims[k] for k in rest) * prep.rank
    x = np.transpose(prep.T, perm).reshape(prep.d_s, d_f, d_rest)
    return x, prep.d_s, d_f, d_rest


def fragment_terms(prep: Prepared, frag: Sequence[int]) -> tuple[float, float, NDArray[np.float64]]:
    """``(S(F), S(SF), [S(F|i)]_i)`` in units of ``prep.base``."""
    base = prep.base
    x, d_s, d_f, d_rest = split(prep, frag)
    y = x.reshape(d_s * d_f, d_rest)
    if d_s * d_f <= d_rest:
        k = _gram(y, rows=True)
        b = float(_ent(k, base))
        g = np.einsum("iaib->iab", k.reshape(d_s, d_f, d_s, d_f))
        a = float(_ent(g.sum(axis=0), base))
        c = _cond_ent(g, prep.p, base)
        return a, b, c
    b = float(_ent(_gram(y, rows=False), base))
    if d_f <= d_rest:  # conditional Grams on the F side; they sum to rho_F
        g = np.stack([_gram(x[i], rows=True) for i in range(d_s)])
        return float(_ent(g.sum(axis=0), base)), b, _cond_ent(g, prep.p, base)
    g = np.stack([_gram(x[i], rows=False) for i in range(d_s)])
    if d_f <= d_s * d_rest:
        rho_f = np.tensordot(x, x.conj(), axes=([0, 2], [0, 2]))
    else:
        z = np.transpose(x, (1, 0, 2)).reshape(d_f, d_s * d_rest)
        rho_f = z.conj().T @ z
    return float(_ent(rho_f, base)), b, _cond_ent(g, prep.p, base)


def values(prep: Prepared, a: float, b: float, c: NDArray[np.float64]) -> tuple[float, float]:
    """``(I, chi)`` of the fragment from its terms."""
    return prep.H_S + a - b, a - float(prep.p @ c)


def complement_values(prep: Prepared, a: float, b: float, c: NDArray[np.float64]) -> tuple[float, float]:
    """``(I, chi)`` of the complementary fragment ``Fbar`` (pure global states only)."""
    return prep.H_S + b - a, b - float(prep.p @ c)


def peak_bytes(prep: Prepared, m: int) -> int:
    """Working memory of one fragment of size ``m`` (largest over local-dimension orderings).

    The transposed copy of ``T`` plus the largest Gram matrices (complex128); uses the
    ``m`` largest local dimensions so that mixed dimensions are bounded from above.
    """
    dims = sorted(prep.env_dims, reverse=True)
    d_f = math.prod(dims[:m])
    d_e = math.prod(prep.env_dims)
    d_rest = max(d_e // max(d_f, 1), 1) * prep.rank
    total = prep.d_s * d_e * prep.rank
    side_sf = min(prep.d_s * d_f, d_rest)
    side_f = min(d_f, prep.d_s * d_rest)
    side_c = min(d_f, d_rest)
    grams = side_sf**2 + side_f**2 + prep.d_s * side_c**2
    return _C16 * (2 * total + 2 * grams)
