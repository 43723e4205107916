"""Quantum Chernoff information (QCB exponent), in nats.

``Q(c) = tr(rho^c sigma^(1-c))`` and ``xi = -ln min_{0<=c<=1} Q(c)``, computed in the log domain
from the two eigendecompositions (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; see docs/spins-api.md): robust for qudits,
rank-deficient states (zero eigenvalues are exact zeros) and orthogonal supports (``xi = inf``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp

from .._checks import as_density_matrix, as_real_array

ZERO_EIG_RTOL = 1e-13


class ChernoffResult(NamedTuple):
    """Quantum Chernoff information ``xi`` (nats) and the optimal exponent ``c_opt``."""

    xi: float
    c_opt: float


def _log_q_terms(rho: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    a, va = np.linalg.eigh(rho)
    b, vb = np.linalg.eigh(sigma)
    a = np.where(a > ZERO_EIG_RTOL * max(a.max(), 0.0), a, 0.0)
    b = np.where(b > ZERO_EIG_RTOL * max(b.max(), 0.0), b, 0.0)
    w = np.abs(va.conj().T @ vb) ** 2
    ia, jb = np.nonzero((a[:, None] > 0) & (b[None, :] > 0) & (w > 0))
    if ia.size == 0:
        return None
    return np.log(w[ia, jb]), np.log(a[ia]), np.log(b[jb])


def chernoff_overlap(rho: Any, sigma: Any, c: Any) -> Any:
    """The Chernoff overlap ``Q(c) = tr(rho^c sigma^(1-c))`` for ``c`` in [0, 1] (vectorised in ``c``).

    End points are the one-sided limits (``rho^0`` is the support projector). Averages of
    ``Q_k(c)`` over many pairs at a common ``c`` give the environment-typical Chernoff
    information (log of the mean).

    Examples
    --------
    >>> import numpy as np
    >>> round(float(chernoff_overlap(np.diag([1.0, 0]), np.full((2, 2), 0.5), 0.5)), 12)
    0.5
    """
    r = as_density_matrix(rho, "rho")
    s = as_density_matrix(sigma, "sigma")
    if r.shape != s.shape:
        raise ValueError(f"rho and sigma must have the same shape, got {r.shape} and {s.shape}")
    cc = as_real_array(c, "c")
    if np.any(cc < 0) or np.any(cc > 1):
        raise ValueError("c must lie in [0, 1]")
    terms = _log_q_terms(r, s)
    if terms is None:
        return np.zeros_like(cc) if cc.ndim else 0.0
    lw, la, lb = terms
    out = np.exp(logsumexp(lw[None, :] + np.outer(cc.ravel(), la) + np.outer(1.0 - cc.ravel(), lb), axis=1))
    return out.reshape(cc.shape) if cc.ndim else float(out[0])


def chernoff_information(rho: Any, sigma: Any, *, xatol: float = 1e-12) -> ChernoffResult:
    """Quantum Chernoff information between two density matrices (nats).

    Parameters
    ----------
    rho, sigma : array_like (d, d) or qutip.Qobj
        Density matrices of equal dimension (validated).
    xatol : float
        Absolute tolerance of the bounded Brent minimisation in ``c``.

    Returns
    -------
    ChernoffResult
        ``(xi, c_opt)``; ``xi = inf`` (``c_opt = nan``) for orthogonal supports, 0 for identical
        states.

    Notes
    -----
    :math:`\\ln Q(c) = \\operatorname{logsumexp}_{ij}[\\ln W_{ij} + c\\ln a_i + (1-c)\\ln b_j]`
    with :math:`W_{ij} = |\\langle a_i|b_j\\rangle|^2`, convex in ``c``; the end points are the
    one-sided limits (support projectors).

    Examples
    --------
    >>> import numpy as np
    >>> xi, c = chernoff_information(np.diag([1.0, 0]), np.full((2, 2), 0.5))
    >>> round(xi, 12)  # -ln <0|sigma|0> = ln 2
    0.69314718056
    """
    r = as_density_matrix(rho, "rho")
    s = as_density_matrix(sigma, "sigma")
    if r.shape != s.shape:
        raise ValueError(f"rho and sigma must have the same shape, got {r.shape} and {s.shape}")
    terms = _log_q_terms(r, s)
    if terms is None:
        return ChernoffResult(float("inf"), float("nan"))
    lw, la, lb = terms

    def log_q(c: float) -> float:
        return float(logsumexp(lw + c * la + (1.0 - c) * lb))

    res = minimize_scalar(log_q, bounds=(0.0, 1.0), method="bounded", options={"xatol": xatol})
    cands = [(log_q(0.0), 0.0), (log_q(1.0), 1.0), (float(res.fun), float(res.x))]
    val, c_opt = min(cands)
    return ChernoffResult(max(-val, 0.0), c_opt)


__all__ = ["chernoff_information", "chernoff_overlap", "ChernoffResult"]
