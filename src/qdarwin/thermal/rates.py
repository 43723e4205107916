"""Rate functions, exponents and redundancy numbers (Cao & Nussinov, arXiv:2603.15743).

All rate functions, scaled cumulant generating functions (SCGF), exponents and decay rates are
in **nats per site**; energies and energy densities in units of J.

* SCGF ``lambda_k(beta) = (1/m) ln sum_a P_k(a) exp(beta E_a)`` (log-sum-exp).
* Legendre rate ``I_k(e) = sup_{|beta| <= beta_max} [beta e - lambda_k(beta)]`` (convex, 0 at mu_k).
* Crossing exponent ``kappa = min_e max(I_j, I_k)`` at the crossing e* found by root finding.
* Chernoff exponent ``C = -(1/m) min_{s in [0,1]} ln sum_a P_j^(1-s) P_k^s``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize_scalar
from scipy.special import logsumexp

from .._checks import (
    check_finite,
    check_real_scalar,
    validate_probabilities,
)
from .energy import FractionEnergyLaw
from .redundancy import DecayFit, RedundancyNumber, decay_rate, redundancy_number

#: Default bound on the inverse temperature in the Legendre transform.
BETA_MAX = 20.0
#: Branch means closer than this are treated as degenerate (no crossing exponent).
MEAN_TOL = 1e-12


def _check_law(law: Any) -> FractionEnergyLaw:
    if not isinstance(law, FractionEnergyLaw):
        raise ValueError(f"law: expected a FractionEnergyLaw, got {type(law).__name__}")
    return law


def _log_probs(law: FractionEnergyLaw) -> NDArray[np.float64]:
    with np.errstate(divide="ignore"):
        return np.log(law.probs)


def scgf(law: FractionEnergyLaw, beta: ArrayLike) -> NDArray[np.float64]:
    """Scaled cumulant generating function of each branch law.

    Parameters
    ----------
    law : FractionEnergyLaw
    beta : array_like
        Tilting parameters (inverse energy units), any shape ``B``.

    Returns
    -------
    ndarray, shape (d,) + B
        ``lambda_k(beta) = (1/m) ln sum_a P_k(a) exp(beta E_a)`` in nats per site.

    Examples
    --------
    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([-1.0, 1.0], [[0.5, 0.5]], 1)
    >>> round(float(scgf(law, 1.0)[0]), 12) == round(math.log(math.cosh(1.0)), 12)
    True
    """
    law = _check_law(law)
    b = np.asarray(beta, dtype=np.float64)
    check_finite(b, "beta")
    logp = _log_probs(law)  # (d, L)
    expo = logp[:, None, :] + b.reshape(-1)[None, :, None] * law.energies[None, None, :]
    out = logsumexp(expo, axis=-1) / law.m
    return out.reshape((law.d,) + b.shape)


def _tilted_mean_density(
    logp: NDArray[np.float64], energies: NDArray[np.float64], beta: NDArray[np.float64], m: int
) -> NDArray[np.float64]:
    """lambda'(beta) = <E>_beta / m for one branch, vectorised over beta."""
    expo = logp[None, :] + beta[:, None] * energies[None, :]
    expo -= expo.max(axis=1, keepdims=True)
    w = np.exp(expo)
    return (w @ energies) / w.sum(axis=1) / m


def _rate_one_branch(
    logp: NDArray[np.float64],
    energies: NDArray[np.float64],
    m: int,
    e: NDArray[np.float64],
    beta_max: float,
) -> NDArray[np.float64]:
    """Legendre transform by vectorised bisection on the monotone derivative lambda'(beta) = e."""
    lo = np.full(e.shape, -beta_max)
    hi = np.full(e.shape, beta_max)
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        below = _tilted_mean_density(logp, energies, mid, m) < e
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    beta = 0.5 * (lo + hi)
    lam = logsumexp(logp[None, :] + beta[:, None] * energies[None, :], axis=1) / m
    return beta * e - lam


def rate_function(
    law: FractionEnergyLaw, e: ArrayLike, *, beta_max: float = BETA_MAX
) -> NDArray[np.float64]:
    """Legendre–Fenchel rate function of each branch energy law (primary estimator).

    Parameters
    ----------
    law : FractionEnergyLaw
    e : array_like
        Energy densities (energy per site), any shape ``B``.
    beta_max : float
        Bound on ``|beta|`` in the supremum (default 20).

    Returns
    -------
    ndarray, shape (d,) + B
        ``I_k(e) = sup_{|beta| <= beta_max} [beta e - lambda_k(beta)]`` in nats per site;
        convex in e, zero at the branch mean density. Outside the support the value grows
        linearly with slope ``beta_max``.

    Notes
    -----
    ``beta e - lambda(beta)`` is concave, its maximiser solves ``lambda'(beta) = e`` (the
    tilted mean density, monotone in beta); it is found by bisection to machine precision,
    vectorised over e, and clipped to ``[-beta_max, beta_max]``.

    Examples
    --------
    Symmetric +-1 law on one site: ``I(e) = ((1+e) ln(1+e) + (1-e) ln(1-e)) / 2``.

    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([-1.0, 1.0], [[0.5, 0.5]], 1)
    >>> exact = 0.5 * (1.5 * math.log(1.5) + 0.5 * math.log(0.5))
    >>> abs(float(rate_function(law, 0.5)[0]) - exact) < 1e-12
    True
    """
    law = _check_law(law)
    bmax = _check_beta_max(beta_max)
    x = np.asarray(e, dtype=np.float64)
    check_finite(x, "e")
    flat = x.reshape(-1)
    logp = _log_probs(law)
    out = np.stack(
        [_rate_one_branch(logp[k], law.energies, law.m, flat, bmax) for k in range(law.d)]
    )
    return out.reshape((law.d,) + x.shape)


def gaussian_rate(e: ArrayLike, mean: ArrayLike, var: ArrayLike) -> NDArray[np.float64]:
    """Gaussian approximation ``(e - mean)^2 / (2 var)`` (nats per site), broadcast over inputs.

    Examples
    --------
    >>> float(gaussian_rate(1.0, 0.0, 2.0))
    0.25
    """
    v = np.asarray(var, dtype=np.float64)
    if np.any(v <= 0):
        raise ValueError("var: variance densities must be positive")
    return (np.asarray(e, dtype=np.float64) - np.asarray(mean, dtype=np.float64)) ** 2 / (2.0 * v)


def smeared_rate_function(
    law: FractionEnergyLaw, e: ArrayLike, *, width: float = 0.5
) -> NDArray[np.float64]:
    """Gaussian-smeared diagnostic rate ``-(1/m) ln rho^w(m e)``, shifted to minimum 0.

    ``rho^w(E) = sum_a P(a) N(E; E_a, w^2)``; the shift is over the given grid ``e``.
    Returns shape ``(d,) + e.shape`` in nats per site.

    Examples
    --------
    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([0.0], [[1.0]], 1)
    >>> smeared_rate_function(law, [0.0, 0.5], width=0.5).round(12).tolist()
    [[0.0, 0.5]]
    """
    law = _check_law(law)
    w = check_real_scalar(width, "width")
    if w <= 0:
        raise ValueError(f"width must be positive, got {w}")
    x = np.asarray(e, dtype=np.float64)
    check_finite(x, "e")
    big_e = law.m * x.reshape(-1)
    logp = _log_probs(law)
    expo = logp[:, None, :] - (big_e[None, :, None] - law.energies[None, None, :]) ** 2 / (
        2 * w * w
    )
    rate = -logsumexp(expo, axis=-1) / law.m
    rate -= rate.min(axis=1, keepdims=True)
    return rate.reshape((law.d,) + x.shape)


class CrossingResult(NamedTuple):
    """Crossing exponent kappa* (nats per site), crossing density e* and the pair (j, k)."""

    kappa: float
    e_star: float
    pair: tuple[int, int]


class ChernoffExponent(NamedTuple):
    """Classical Chernoff exponent C (nats per site), optimal s and the pair (j, k)."""

    exponent: float
    s: float
    pair: tuple[int, int]


def _pairs(law: FractionEnergyLaw, probs: ArrayLike | None) -> list[tuple[int, int]]:
    active = np.arange(law.d)
    if probs is not None:
        p = validate_probabilities(probs, "probs")
        if p.size != law.d:
            raise ValueError(f"probs: expected {law.d} branch probabilities, got {p.size}")
        active = np.nonzero(p > 0)[0]
    mu = law.mean_density
    return [
        (int(j), int(k))
        for j, k in itertools.combinations(active, 2)
        if abs(mu[j] - mu[k]) > MEAN_TOL
    ]


def _check_beta_max(beta_max: float) -> float:
    """beta_max: a positive finite bound (a negative bound would flip the Legendre transform)."""
    bmax = check_real_scalar(beta_max, "beta_max")
    if not bmax > 0:
        raise ValueError(f"beta_max must be positive, got {bmax}")
    return bmax


def pair_crossing(
    law: FractionEnergyLaw, j: int, k: int, *, beta_max: float = BETA_MAX
) -> tuple[float, float]:
    """Crossing ``(kappa_jk, e*)`` of the rate functions of branches j and k.

    ``e*`` solves ``I_j(e) = I_k(e)`` between the two means (Brent's method, xtol 1e-13) and
    ``kappa_jk = I_j(e*) = min_e max(I_j, I_k)``.

    Examples
    --------
    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([-1.0, 1.0], [[0.25, 0.75], [0.75, 0.25]], 1)
    >>> kappa, e_star = pair_crossing(law, 0, 1)
    >>> abs(kappa - math.log(2 / math.sqrt(3))) < 1e-9, abs(e_star) < 1e-9
    (True, True)
    """
    law = _check_law(law)
    beta_max = _check_beta_max(beta_max)
    logp = _log_probs(law)
    mu_j, mu_k = float(law.mean_density[j]), float(law.mean_density[k])
    if abs(mu_j - mu_k) <= MEAN_TOL:
        raise ValueError(f"branches {j} and {k} have equal mean densities: no crossing exponent")

    def diff(x: float) -> float:
        arr = np.array([x])
        return float(
            _rate_one_branch(logp[j], law.energies, law.m, arr, beta_max)[0]
            - _rate_one_branch(logp[k], law.energies, law.m, arr, beta_max)[0]
        )

    lo, hi = min(mu_j, mu_k), max(mu_j, mu_k)
    f_lo, f_hi = diff(lo), diff(hi)
    if f_lo == 0.0:
        e_star = lo
    elif f_hi == 0.0:
        e_star = hi
    else:
        e_star = float(brentq(diff, lo, hi, xtol=1e-13, rtol=4 * np.finfo(float).eps, maxiter=200))
    kappa = float(_rate_one_branch(logp[j], law.energies, law.m, np.array([e_star]), beta_max)[0])
    return kappa, e_star


def crossing_exponent(
    law: FractionEnergyLaw, *, probs: ArrayLike | None = None, beta_max: float = BETA_MAX
) -> CrossingResult:
    """kappa*_m: the smallest crossing exponent over branch pairs with distinct means.

    Parameters
    ----------
    law : FractionEnergyLaw
    probs : array_like, optional
        System probabilities; branches with ``p_k = 0`` are dropped from the pairs.
    beta_max : float
        Legendre bound (default 20).

    Returns
    -------
    CrossingResult
        ``(kappa, e_star, pair)``; ``kappa = inf``, ``e_star = nan``, ``pair = (-1, -1)`` when
        no pair has distinct mean densities (fully degenerate: no exponential bound).

    Examples
    --------
    Two Gaussian-like laws: +-1 with means +-0.5 on one site cross at e* = 0.

    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([-1.0, 1.0], [[0.25, 0.75], [0.75, 0.25]], 1)
    >>> res = crossing_exponent(law)
    >>> abs(res.e_star) < 1e-9, abs(res.kappa - math.log(2 / math.sqrt(3))) < 1e-9
    (True, True)
    """
    law = _check_law(law)
    beta_max = _check_beta_max(beta_max)
    best = CrossingResult(math.inf, math.nan, (-1, -1))
    for j, k in _pairs(law, probs):
        kappa, e_star = pair_crossing(law, j, k, beta_max=beta_max)
        if kappa < best.kappa:
            best = CrossingResult(kappa, e_star, (j, k))
    return best


def pair_chernoff(law: FractionEnergyLaw, j: int, k: int) -> tuple[float, float]:
    """Classical Chernoff exponent ``(C_jk, s*)`` of two branch laws, per site (nats).

    Examples
    --------
    Disjoint supports are perfectly distinguishable:

    >>> from qdarwin.thermal.energy import make_energy_law
    >>> pair_chernoff(make_energy_law([0.0, 1.0], [[1.0, 0.0], [0.0, 1.0]], 1), 0, 1)
    (inf, 0.5)
    """
    law = _check_law(law)
    logp = _log_probs(law)
    both = np.isfinite(logp[j]) & np.isfinite(logp[k])
    if not np.any(both):
        return math.inf, 0.5
    lj, lk = logp[j][both], logp[k][both]

    def log_sum(s: float) -> float:
        return float(logsumexp((1.0 - s) * lj + s * lk))

    res = minimize_scalar(log_sum, bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-10})
    s_opt, val = float(res.x), float(res.fun)
    for end in (0.0, 1.0):  # endpoints (supports may differ: sum < 1 there)
        v_end = log_sum(end)
        if v_end < val:
            s_opt, val = end, v_end
    return -val / law.m, s_opt


def chernoff_exponent(
    law: FractionEnergyLaw, *, probs: ArrayLike | None = None
) -> ChernoffExponent:
    """Smallest classical Chernoff exponent over branch pairs with distinct means.

    ``C_jk = -(1/m) min_{s in [0,1]} ln sum_a P_j(a)^(1-s) P_k(a)^s`` (nats per site),
    computed on the merged levels. Returns ``(inf, nan, (-1, -1))`` without such a pair.

    Examples
    --------
    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([-1.0, 1.0], [[0.25, 0.75], [0.75, 0.25]], 1)
    >>> res = chernoff_exponent(law)
    >>> abs(res.exponent - math.log(2 / math.sqrt(3))) < 1e-9, round(res.s, 6)
    (True, 0.5)
    """
    law = _check_law(law)
    best = ChernoffExponent(math.inf, math.nan, (-1, -1))
    for j, k in _pairs(law, probs):
        c, s = pair_chernoff(law, j, k)
        if c < best.exponent:
            best = ChernoffExponent(c, s, (j, k))
    return best



__all__ = [
    "BETA_MAX",
    "ChernoffExponent",
    "CrossingResult",
    "DecayFit",
    "RedundancyNumber",
    "chernoff_exponent",
    "crossing_exponent",
    "decay_rate",
    "gaussian_rate",
    "pair_chernoff",
    "pair_crossing",
    "rate_function",
    "redundancy_number",
    "scgf",
    "smeared_rate_function",
]
