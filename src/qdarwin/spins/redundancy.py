"""Redundancy estimates from the Chernoff information (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md).

``R_delta ~ N xi_QCB / ln(1/delta)`` (QCB estimate), the Gaussian-decoherence regime
(``tau_D``, onset time ``t*``), the random-band model in both forms (log of the mean, the
default, and the mean of logs), the small-delta expansion constant ``C(p)`` and the
discretised finite-N rule. Chernoff informations in nats; redundancies dimensionless.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import quad

from .._checks import check_int, check_real_scalar, validate_delta
from ..info import binary_entropy
from .._checks import as_array, as_real_array, check_nonnegative
from ._common import scalar_or_array as _out


#: Largest environment size in the redundancy formulas (integers exact in float64).
MAX_N_ENV = 2**53


def _check_n_env(n_env: Any) -> int:
    if isinstance(n_env, (int, np.integer)) and not isinstance(n_env, bool) and int(n_env) > MAX_N_ENV:
        raise ValueError(f"n_env must be an integer in [1, 2^53] (exact as a float), got one with {len(str(int(n_env)))} digits")
    try:
        return check_int(n_env, "n_env", minimum=1)
    except ValueError:
        raise ValueError(f"n_env must be an integer >= 1, got {n_env!r:.60}") from None


def _check_open_p(p: Any) -> NDArray[np.float64]:
    pa = as_real_array(p, "p")
    if np.any(pa < 0) or np.any(pa > 1):
        raise ValueError("p must be in [0, 1]")
    if np.any(pa == 0) or np.any(pa == 1):
        raise ValueError("no missing information (p in {0,1})")
    return pa


def cap_redundancy(r: ArrayLike, n_env: float) -> Any:
    """``min(R, N)``: a record needs at least one spin (``F_delta >= 1``), so ``R_delta <= N``.

    The one treatment of orthogonal records (``xi = inf``, ``|gamma| = 0``) used by every
    redundancy estimator of the spins pillar: they give ``R = N``, not ``inf`` or a value above N.

    Examples
    --------
    >>> cap_redundancy([0.5, 7.0, float("inf")], 2).tolist()
    [0.5, 2.0, 2.0]
    """
    rr = as_array(r, "r")
    if np.iscomplexobj(rr) or rr.dtype.kind not in "biuf" or np.any(np.isnan(rr.astype(float))):
        raise ValueError("r: redundancies must be real numbers (inf allowed for orthogonal records), not NaN")
    return np.minimum(rr.astype(float), check_nonnegative(n_env, "n_env")) + 0.0  # no "-0.0" in reports


def redundancy_qcb(n_env: int, xi: ArrayLike, delta: float) -> Any:
    """QCB redundancy estimate ``R_delta = N min(1, xi / ln(1/delta))`` (dimensionless).

    A record needs at least one spin, so ``R <= N`` (:func:`cap_redundancy`); orthogonal records
    (``xi = inf``) give ``R = N``.

    Parameters
    ----------
    n_env : int
        Number of environment spins N >= 1.
    xi : float or array_like
        Typical Chernoff information (nats, >= 0; ``inf`` allowed and gives ``R = N``).
    delta : float
        Information deficit in (0, 1).

    Examples
    --------
    >>> import math
    >>> round(redundancy_qcb(100, math.log(2), 0.5), 12)
    100.0
    >>> redundancy_qcb(10, math.inf, 0.1)
    10.0
    """
    n = _check_n_env(n_env)
    d = validate_delta(delta)
    x = np.asarray(as_float_array(xi, "xi"))
    if np.any(np.isnan(x)) or np.any(x < 0):
        raise ValueError("xi must be a non-negative Chernoff information")
    with np.errstate(invalid="ignore"):
        return _out(cap_redundancy(n * x / math.log(1.0 / d), n))


def as_float_array(x: Any, name: str) -> NDArray[np.float64]:
    """Real array that may contain +inf (but not NaN)."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"{name}: integer too large for a float64") from None
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers") from None
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} contains NaN")
    return arr


def decoherence_time(
    G: ArrayLike | None = None,
    *,
    moments: float | None = None,
    theta: ArrayLike = math.pi / 2,
    a: ArrayLike | None = None,
) -> float:
    """Decoherence time ``tau_D = 1 / (2 sqrt(<G^2 sin^2 theta>))`` of the Gaussian regime.

    Parameters
    ----------
    G : array_like, optional
        Samples of the scaled couplings ``G_k = g_k sqrt(N)`` (the mean is over samples).
    moments : float, optional
        ``<G^2>`` given directly (use instead of ``G``).
    theta : float or array_like
        Polar angle(s) of the initial spin directions (broadcast against ``G``).
    a : float or array_like, optional
        Bloch length(s) of mixed spins. When given, the true decoherence time of mixed spins,
        ``1/tau_dec^2 = 4 <G^2 (1 - a^2 cos^2 theta)>`` (only the sigma^z population imbalance
        enters), is returned instead; it equals the default form for ``a = 1`` or
        ``theta = pi/2``. The redundancy formulas use the default (sin^2 theta) form.

    Returns
    -------
    float
        ``tau_D`` in time units; ``inf`` when the mean rate vanishes.

    Examples
    --------
    >>> round(decoherence_time(moments=4.0 / 3.0), 12)  # G uniform on [-2, 2]: sqrt(3)/4
    0.433012701892
    """
    if (G is None) == (moments is None):
        raise ValueError("give exactly one of G (samples) or moments (<G^2>)")
    th = as_real_array(theta, "theta")
    if a is None:
        weight = np.sin(th) ** 2
    else:
        aa = as_real_array(a, "a")
        if np.any(aa < -1e-12) or np.any(aa > 1 + 1e-12):
            raise ValueError("Bloch vector length must be in [0, 1]")
        weight = 1.0 - np.clip(aa, 0.0, 1.0) ** 2 * np.cos(th) ** 2
    if moments is not None:
        m2 = check_real_scalar(moments, "moments")
        if m2 < 0:
            raise ValueError("moments: <G^2> must be >= 0")
        val = float(np.mean(m2 * weight))
    else:
        gg = as_real_array(G, "G")
        if gg.size == 0:
            raise ValueError("G: need at least one coupling sample")
        gg, wt = np.broadcast_arrays(gg, weight)
        val = float(np.mean(gg**2 * wt))
    return math.inf if val == 0 else 1.0 / (2.0 * math.sqrt(val))


def _check_alpha(alpha: Any) -> float:
    al = check_real_scalar(alpha, "alpha")
    if al <= 0:
        raise ValueError(f"receptivity must be positive (alpha > 0), got {al}")
    return al


def _check_tau(tau_d: Any) -> float:
    tau = check_real_scalar(tau_d, "tau_d")
    if tau <= 0:
        raise ValueError(f"tau_d must be positive, got {tau}")
    return tau


def onset_time(tau_d: float, delta: float, alpha: float = 1.0) -> float:
    """Onset time ``t* = tau_D sqrt(2 ln(1/delta) / alpha)`` at which ``R_delta = 2``.

    Examples
    --------
    >>> import math
    >>> round(onset_time(math.sqrt(3) / 4, 1e-16), 9)
    3.716922189
    """
    tau = _check_tau(tau_d)
    d = validate_delta(delta)
    al = _check_alpha(alpha)
    return tau * math.sqrt(2.0 * math.log(1.0 / d) / al)


def gaussian_redundancy(t: ArrayLike, tau_d: float, delta: float, alpha: float = 1.0) -> Any:
    """Gaussian-regime QCB redundancy ``R = alpha (t/tau_D)^2 / ln(1/delta)`` (N independent).

    Examples
    --------
    >>> import math
    >>> round(gaussian_redundancy(10.0, math.sqrt(3) / 4, 1e-16), 6)
    14.476483
    """
    tt = as_real_array(t, "t")
    tau = _check_tau(tau_d)
    d = validate_delta(delta)
    al = _check_alpha(alpha)
    return _out(al * (tt / tau) ** 2 / math.log(1.0 / d))


def recurrence_time(g: ArrayLike) -> float:
    """Recurrence time ``t_rec = pi / (4 sqrt(<g_k^2>))`` of a finite environment.

    Examples
    --------
    >>> import math
    >>> round(recurrence_time([1.0, -1.0]), 12) == round(math.pi / 4, 12)
    True
    """
    gg = as_real_array(g, "g")
    if gg.size == 0:
        raise ValueError("g: need at least one coupling")
    m2 = float(np.mean(gg**2))
    return math.inf if m2 == 0 else math.pi / (4.0 * math.sqrt(m2))


def _band_check(W: Any, lam: Any, theta: Any) -> tuple[float, float]:
    w = check_real_scalar(W, "W")
    if w <= 0:
        raise ValueError(f"bandwidth must be positive, got W = {w}")
    la = check_real_scalar(lam, "lam")
    if not 0.0 <= la <= 1.0:
        raise ValueError(f"lam (mixedness) must be in [0, 1], got {la}")
    th = check_real_scalar(theta, "theta")
    return w, la * math.sin(th) ** 2


def _half_minus_sinc(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``1/2 - sin(x)/(2x)`` (= mean of ``sin^2`` over a band), accurate near ``x = 0``."""
    x = np.abs(x)
    x = np.where(np.isinf(x), 1e300, x)  # 4Wt overflowed: sin(x)/x -> 0, the long-time limit
    small = x < 1e-2
    xs = np.where(small, x, 0.0)
    series = xs**2 / 12.0 - xs**4 / 240.0 + xs**6 / 10080.0
    return np.where(small, series, 0.5 - 0.5 * np.sinc(x / np.pi))


def random_band_chernoff(
    W: float, t: ArrayLike, lam: float = 1.0, theta: float = math.pi / 2
) -> Any:
    """Random-band typical Chernoff information ``-ln[1 - A (1/2 - sin(4Wt)/(8Wt))]`` (nats).

    ``g_k`` uniform on [0, W], ``omega = 0``, ``A = lam sin^2 theta`` (log of the mean).
    Long-time limit ``-ln(1 - A/2)`` (ln 2 for A = 1); 0 at t = 0.

    Examples
    --------
    >>> round(random_band_chernoff(1.0, 1.0), 12)
    0.902881814361
    """
    w, A = _band_check(W, lam, theta)
    tt = as_real_array(t, "t")
    with np.errstate(over="ignore"):
        x = 4.0 * w * tt
    return _out(-np.log1p(-A * _half_minus_sinc(x)))


def _log_sin2_integral(A: float, upper: float) -> float:
    """``int_0^upper ln(1 - A sin^2 u) du`` for ``upper >= 0`` (full periods in closed form)."""
    if A == 0 or upper == 0:
        return 0.0
    n_per = math.floor(upper / math.pi)
    rem = upper - n_per * math.pi
    full = math.pi * 2.0 * math.log((1.0 + math.sqrt(1.0 - A)) / 2.0)
    pts = [math.pi / 2] if rem > math.pi / 2 else None
    val, _ = quad(
        lambda u: math.log1p(-A * math.sin(u) ** 2) if A < 1 else 2.0 * math.log(abs(math.cos(u))),
        0.0,
        rem,
        points=pts,
        epsabs=1e-14,
        epsrel=1e-13,
        limit=200,
    )
    return n_per * full + val


def random_band_mean_of_logs(
    W: float, t: ArrayLike, lam: float = 1.0, theta: float = math.pi / 2
) -> Any:
    """Random-band mean of per-spin logs ``-(1/W) int_0^W ln[1 - A sin^2(2gt)] dg`` (nats).

    Not the default estimator (docs/spins-api.md); long-time limit ``-2 ln[(1 + sqrt(1-A))/2]``
    (ln 4 for A = 1). Full periods in closed form, the remainder by adaptive quadrature.

    Examples
    --------
    >>> round(random_band_mean_of_logs(1.0, 1.0), 10)
    1.8854362427
    """
    w, A = _band_check(W, lam, theta)
    tt = np.abs(as_real_array(t, "t"))
    with np.errstate(over="ignore"):
        upper = 2.0 * w * tt.ravel()
    # beyond 1e15 the float spacing of 2Wt exceeds the remainder's period fraction: the long-time
    # limit is exact to ~pi/(2Wt) < 1e-14 relative (and 2Wt = inf no longer overflows)
    limit = -2.0 * math.log((1.0 + math.sqrt(1.0 - A)) / 2.0)
    flat = [
        (limit if u > 1e15 else -_log_sin2_integral(A, u) / u) if u > 0 else 0.0 for u in upper.tolist()
    ]
    return _out(np.asarray(flat, dtype=float).reshape(tt.shape))


def expansion_constant(p: ArrayLike) -> Any:
    """Constant ``C(p) = H(p)(p - q) ln 2 / (p q ln(p/q))`` of the small-delta expansion.

    ``C(1/2) = ln 4``; ``C > 1``, tending to 1 as p -> 0 or 1.

    Raises
    ------
    ValueError
        "no missing information (p in {0,1})" for p = 0 or 1; "p must be in [0, 1]" outside.

    Examples
    --------
    >>> round(expansion_constant(0.125), 11)
    1.32769070622
    """
    pa = _check_open_p(p)
    q = 1.0 - pa
    log_q = np.log1p(-pa)
    h_nats = np.asarray(binary_entropy(pa, base=math.e))
    eps = pa - q
    small = np.abs(eps) < 1e-6
    log_ratio = np.where(small, 1.0, np.log(pa) - log_q)  # ln(p/q) = 2 artanh(eps)
    ratio = np.where(small, 1.0 - eps**2 / 3.0, eps / (0.5 * log_ratio))  # eps / artanh(eps)
    return _out(h_nats * ratio / (2.0 * pa * q))


def redundancy_expansion(n_env: int, mean_x: ArrayLike, delta: float, p: float) -> Any:
    """Small-delta redundancy ``R = N ln<x> / (ln delta + ln C(p))`` for a pure environment, capped at N.

    Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md. A record
    needs at least one spin, so ``R <= N`` (:func:`cap_redundancy`); ``<x> = 0`` gives ``R = N``.

    Parameters
    ----------
    n_env : int
    mean_x : float or array_like
        Mean squared decoherence factor ``<|gamma_k|^2>`` in [0, 1] (1 gives R = 0).
    delta : float
        Deficit in (0, 1) with ``delta C(p) < 1``.
    p : float in (0, 1)

    Examples
    --------
    >>> round(redundancy_expansion(1, 0.8, 1e-10, 0.5), 8)
    0.00983045
    """
    n = _check_n_env(n_env)
    d = validate_delta(delta)
    C = float(expansion_constant(check_real_scalar(p, "p")))
    x = as_real_array(mean_x, "mean_x")
    if np.any(x < 0) or np.any(x > 1):
        raise ValueError("mean_x must be in [0, 1]")
    denom = math.log(d) + math.log(C)
    if denom >= 0:
        raise ValueError(
            f"delta too large for the small-delta expansion (delta C(p) = {d * C:.3g} >= 1)"
        )
    with np.errstate(divide="ignore"):
        return _out(cap_redundancy(n * np.log(x) / denom, n))


def discretised_redundancy(n_env: int, xs: ArrayLike, delta: float) -> tuple[Any, Any]:
    """Discretised QCB rule: ``F_c = ln delta / ln <x_k>``, ``R = N / ceil(F_c)``.

    Parameters
    ----------
    n_env : int
        Environment size N.
    xs : array_like, shape (..., n)
        Per-spin Chernoff overlaps ``1 - lambda_k f_k sin^2 theta_k`` (``|gamma_k|^2`` for pure spins);
        the mean is over the last axis.
    delta : float in (0, 1)

    Returns
    -------
    (R, F_c)
        ``R = 0`` (and ``F_c = inf`` when the mean overlap is 1) if ``ceil(F_c) > N``. ``F_c >= 1``
        (a record needs at least one spin), so ``R <= N``.

    Examples
    --------
    >>> discretised_redundancy(32, [0.5, 0.5], 0.25)
    (16.0, 2.0)
    """
    n = _check_n_env(n_env)
    d = validate_delta(delta)
    x = as_real_array(xs, "xs")
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ValueError("xs: need at least one per-spin overlap (last axis)")
    if np.any(x < 0) or np.any(x > 1 + 1e-12):
        raise ValueError("xs: overlaps must be in [0, 1]")
    mean = np.clip(x.mean(axis=-1), 0.0, 1.0)
    with np.errstate(divide="ignore"):
        lm = np.log(mean)
        fc = np.where(mean >= 1.0, np.inf, math.log(d) / np.where(mean >= 1.0, -1.0, lm))
    # a record needs at least one spin: F_c >= 1 (orthogonal records, <x> = 0, give F_c = 1, R = N)
    fc = np.maximum(np.where(np.isfinite(lm) | (mean >= 1.0), fc, 1.0), 1.0)
    f_int = np.ceil(fc - 1e-12)
    r = np.where(f_int <= n, n / np.where(np.isfinite(f_int), f_int, 1.0), 0.0)
    return _out(r), _out(fc)


__all__ = [
    "cap_redundancy",
    "decoherence_time",
    "discretised_redundancy",
    "expansion_constant",
    "gaussian_redundancy",
    "onset_time",
    "random_band_chernoff",
    "random_band_mean_of_logs",
    "recurrence_time",
    "redundancy_expansion",
    "redundancy_qcb",
]
