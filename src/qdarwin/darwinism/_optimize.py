"""Classical correlation ``J(S:F)`` maximised over rank-one projective measurements on S (private).

``J(S:F) = S(F) - min_{u} sum_k q_k S(rho_{F|k})`` with ``q_k = <u_k| rho_S |u_k>``; the one-way
quantum discord is ``I(S:F) - J(S:F)`` (Ollivier and Zurek, Phys. Rev. Lett. 88, 017901 (2002),
arXiv:quant-ph/0105072; Henderson and Vedral, J. Phys. A 34, 6899 (2001),
arXiv:quant-ph/0105028). Qubit systems: the measurement axis runs over the Bloch sphere
(coarse grid, then Nelder-Mead). Qudits: ``U = U_0 exp(iH)`` over Hermitian ``H`` (BFGS from
the pointer basis, the computational basis and a few random starts).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import expm
from scipy.optimize import minimize

from ..info.entropy import entropy_from_eigenvalues
from ._kernel import split
from ._state import Prepared

_GRID = 48  #: Fibonacci-sphere starting directions for a qubit system
_REFINE = 3  #: best grid points refined by Nelder-Mead
_QUDIT_RANDOM_STARTS = 4


def measured_state(prep: Prepared, frag: Sequence[int]) -> NDArray[np.complex128]:
    """``rho_{S A}`` reshaped to (d_S, d_A, d_S, d_A), in the pointer basis of S.

    ``A = F``; for pure global states the smaller of ``F`` and its complement is used, since
    the post-measurement environment states are pure and ``S(F|k) = S(Fbar|k)``.
    """
    frag = list(frag)
    if prep.pure:
        rest = [k for k in range(prep.n_env) if k not in set(frag)]
        if math.prod(prep.env_dims[k] for k in rest) < math.prod(prep.env_dims[k] for k in frag):
            frag = rest
    x, d_s, d_a, d_rest = split(prep, frag)
    y = x.reshape(d_s * d_a, d_rest)
    return (y @ y.conj().T).reshape(d_s, d_a, d_s, d_a)


def _conditional_cost(r: NDArray[np.complex128], u: NDArray[np.complex128], base: float) -> float:
    """``sum_k q_k S(rho_{A|k})`` for the measurement basis ``u`` (columns)."""
    sig = np.einsum("ik,iajb,jk->kab", u.conj(), r, u)
    lam = np.linalg.eigvalsh(sig)
    q = np.clip(lam.sum(axis=1), 0.0, None)
    h_un = np.asarray(entropy_from_eigenvalues(lam, base=base))  # -sum l log l, unnormalised
    safe = np.where(q > 0, q, 1.0)
    return float(np.sum(h_un) + np.sum(np.where(q > 0, q * np.log(safe), 0.0)) / math.log(base))


def _qubit_basis(theta: float, phi: float) -> NDArray[np.complex128]:
    c, s, e = math.cos(theta / 2), math.sin(theta / 2), np.exp(1j * phi)
    return np.array([[c, s], [e * s, -e * c]], dtype=np.complex128)


def _fibonacci(n: int) -> list[tuple[float, float]]:
    pts = [(0.0, 0.0), (math.pi / 2, 0.0), (math.pi / 2, math.pi / 2)]
    golden = math.pi * (3.0 - math.sqrt(5.0))
    for k in range(n):
        z = 1.0 - (k + 0.5) / n  # upper hemisphere suffices: u and -u give the same measurement
        pts.append((math.acos(z), (golden * k) % (2 * math.pi)))
    return pts


def min_conditional_entropy(
    prep: Prepared, r: NDArray[np.complex128], *, rng: np.random.Generator
) -> float:
    """Minimum over rank-one projective measurements of ``sum_k q_k S(rho_{A|k})``."""
    base = prep.base
    u0 = np.eye(prep.d_s, dtype=np.complex128)  # r is in the pointer basis
    if prep.d_s == 2:

        def f2(x: NDArray[np.float64]) -> float:
            return _conditional_cost(r, _qubit_basis(float(x[0]), float(x[1])), base)

        grid = sorted(_fibonacci(_GRID), key=lambda tp: f2(np.array(tp)))[:_REFINE]
        best = min(f2(np.array(tp)) for tp in grid)
        for tp in grid:
            res = minimize(f2, np.array(tp), method="Nelder-Mead",
                           options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 4000})
            best = min(best, float(res.fun))
        return best
    d = prep.d_s
    iu = np.triu_indices(d, 1)

    def herm(x: NDArray[np.float64]) -> NDArray[np.complex128]:
        h = np.zeros((d, d), dtype=np.complex128)
        n_off = iu[0].size
        h[iu] = x[:n_off] + 1j * x[n_off: 2 * n_off]
        h = h + h.conj().T
        h[np.diag_indices(d)] = x[2 * n_off:]
        return h

    def fd(x: NDArray[np.float64], start: NDArray[np.complex128]) -> float:
        return _conditional_cost(r, start @ expm(1j * herm(x)), base)

    starts: list[NDArray[np.complex128]] = [u0, prep.pointer.conj().T]  # pointer basis, and the computational basis
    for _ in range(_QUDIT_RANDOM_STARTS):
        z = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
        qm, _ = np.linalg.qr(z)
        starts.append(np.asarray(qm, dtype=np.complex128))
    best = math.inf
    for st_u in starts:
        res = minimize(fd, np.zeros(d * d), args=(st_u,), method="BFGS", options={"gtol": 1e-10})
        best = min(best, float(res.fun), fd(np.zeros(d * d), st_u))
    return best
