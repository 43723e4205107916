"""Annealed (N -> infinity) fragment averages over i.i.d. couplings and the Gaussian-regime exact redundancy.

Deficits in **bits** (``base=2``), fragment sizes F in spins, redundancy per spin ``R/N = 1/F``
(Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from .._checks import as_real_array, validate_delta, check_log_base, check_probability
from ..info.entropy import binary_entropy
from .exact import LN2, _check_xs, _coeffs, _tail, threshold_overlap
from .redundancy import _check_tau

MomentsLike = Callable[[NDArray[np.float64]], NDArray[np.float64]] | ArrayLike


def _moment_array(moments: MomentsLike, K: int) -> NDArray[np.float64]:
    k = np.arange(1, K + 1, dtype=float)
    if callable(moments):
        mu = as_real_array(moments(k), "moments(k)")
        if mu.shape != k.shape:
            raise ValueError(f"moments(k) must return shape {k.shape}, got {mu.shape}")
    else:
        mu = as_real_array(moments, "moments")
        if mu.ndim != 1 or mu.size < 1:
            raise ValueError("moments: expected a 1-D array mu_k, k = 1..K")
        mu = mu[:K]
    if np.any(mu < 0) or np.any(mu > 1 + 1e-12):
        raise ValueError("moments mu_k = <x^k> must be in [0, 1]")
    return np.minimum(mu, 1.0)


def annealed_deficit(moments: MomentsLike, p: float, F: ArrayLike, *, base: float = 2.0) -> Any:
    """Annealed (N -> infinity) fragment deficit ``<D>(F) = (1/ln 2) sum_k c_k mu_k^F`` (bits).

    Parameters
    ----------
    moments : array_like (mu_1..mu_K) or callable ``mu(k) -> array``
        Moments ``mu_k = <x^k>`` of ``x = |gamma|^2`` over the coupling distribution (a callable
        is evaluated at k = 1..4096).
    p : float in [0, 1]
    F : float or array_like
        Real fragment size(s) >= 0.
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).

    Examples
    --------
    >>> round(annealed_deficit([0.0] * 10, 0.5, 1.0), 12)  # perfect records
    0.0
    """
    pv = check_probability(p)
    to_base = check_log_base(base)
    ff = as_real_array(F, "F")
    if np.any(ff < 0):
        raise ValueError("F must be >= 0")
    mu = _moment_array(
        moments, 4096 if callable(moments) else len(np.atleast_1d(np.asarray(moments)))
    )
    if pv in (0.0, 1.0):
        return 0.0 if ff.ndim == 0 else np.zeros(ff.shape)
    c = _coeffs(pv, np.arange(1, mu.size + 1, dtype=float))
    with np.errstate(divide="ignore"):
        lmu = np.log(mu)
    val = np.exp(np.multiply.outer(ff, lmu)) @ c / LN2
    if to_base != 1.0:
        val = val * to_base
    return float(val) if np.ndim(val) == 0 else val


def annealed_redundancy(
    moment_fn_or_samples: MomentsLike, p: float, delta: float
) -> tuple[float, float]:
    """Annealed N -> infinity redundancy per spin ``R/N = 1/F`` solving ``<D>(F) = delta H2(p)``.

    Parameters
    ----------
    moment_fn_or_samples : callable or array_like
        Either ``mu(k) -> <x^k>`` (vectorised in k) or samples of ``x = |gamma|^2``.
    p : float in (0, 1)
    delta : float in (0, 1)

    Returns
    -------
    (R_over_N, F)
        ``(0, inf)`` when ``<x> = 1`` (no record). A record needs at least one spin: ``F >= 1``,
        ``R/N <= 1`` (orthogonal records give ``(1, 1)``).

    Examples
    --------
    >>> r, F = annealed_redundancy([0.8], 0.5, 1e-10)  # identical spins, x = 0.8
    >>> round(r, 12)
    0.009830451621
    """
    pv = check_probability(p)
    if pv in (0.0, 1.0):
        raise ValueError("no missing information (p in {0,1})")
    dl = validate_delta(delta)
    if callable(moment_fn_or_samples):

        def mu_of(K: int) -> NDArray[np.float64]:
            return _moment_array(moment_fn_or_samples, K)
    else:
        xs = _check_xs(moment_fn_or_samples)
        with np.errstate(divide="ignore"):
            lx = np.log(xs)

        def mu_of(K: int) -> NDArray[np.float64]:
            k = np.arange(1, K + 1, dtype=float)
            out = np.empty(K)
            step = max(1, int(2e7 // max(xs.size, 1)))
            for i in range(0, K, step):
                out[i : i + step] = np.exp(np.outer(k[i : i + step], lx)).mean(axis=1)
            return out

    target = math.log(dl * float(binary_entropy(pv)) * LN2)  # nats
    K = 256
    while True:
        mu = mu_of(K)
        if mu[0] >= 1.0:
            return 0.0, math.inf
        c = _coeffs(pv, np.arange(1, K + 1, dtype=float))
        with np.errstate(divide="ignore"):
            lmu = np.log(mu)

        def fn(F: float, lmu: NDArray[np.float64] = lmu, c: NDArray[np.float64] = c) -> float:
            v = float(np.exp(F * lmu) @ c)
            return (math.log(v) if v > 0 else -1e300) - target

        hi = max(1.0, target / lmu[0]) if lmu[0] < 0 else 1.0
        while fn(hi) > 0:
            hi *= 2.0
        # a record needs at least one spin: F >= 1 (F = 1 when one spin already suffices)
        F = 1.0 if fn(1.0) <= 0 else brentq(fn, 1.0, hi, xtol=1e-14, rtol=1e-14, maxiter=500)
        tail = float(_tail(pv, np.array([K]))[0]) * math.exp(F * lmu[-1])
        if tail <= 1e-12 * math.exp(target) or K >= 65536:
            return 1.0 / F, F
        K *= 4


def gaussian_exact_redundancy(t: ArrayLike, tau_d: float, delta: float, p: float = 0.5) -> Any:
    """Exact N = infinity Holevo redundancy in the Gaussian regime ``R = (t/tau_D)^2 / ln(1/y_delta)``.

    ``y_delta`` solves ``H2(p) - chi = delta H2(p)`` at ``d^2 = y`` (:func:`~qdarwin.spins.exact.threshold_overlap`);
    the ratio to the QCB line is ``ln(1/delta)/ln(1/y_delta)`` (1.008945 at p = 1/2, delta = 1e-16).

    Examples
    --------
    >>> import math
    >>> round(gaussian_exact_redundancy(10.0, math.sqrt(3) / 4, 1e-16), 5)
    14.60598
    """
    tt = as_real_array(t, "t")
    tau = _check_tau(tau_d)
    y = threshold_overlap(p, delta)
    val = (tt / tau) ** 2 / math.log(1.0 / y)
    return float(val) if np.ndim(val) == 0 else val


__all__ = ["annealed_deficit", "annealed_redundancy", "gaussian_exact_redundancy"]
