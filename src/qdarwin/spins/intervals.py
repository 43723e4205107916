"""Calibrated bootstrap intervals for the typical Chernoff information from single-spin tomography.

The typical Chernoff information of N measured spins, ``xi = -ln min_c <Q_k(c)>_k`` (nats), is
estimated from noisy conditional Bloch vectors. Two questions have two different answers:

* **This bath** (:func:`this_bath_interval`): the value of xi for the N spins that were measured;
  the only uncertainty is shot noise. The plug-in estimate is biased upward (noise makes the
  conditional states look more distinguishable); a parametric bootstrap over the counts estimates
  that bias, which is subtracted, and the interval is ``xi_bc +- z sd*`` with the bootstrap
  standard deviation ``sd*`` (bias-corrected normal bootstrap interval).
* **The bath population** (:func:`population_interval`): the value ``-ln min_c E[Q(c)]`` of the
  population of which the measured spins are a random sample. Spins are resampled with
  replacement (and the counts of each resampled spin redrawn); the interval is a studentized
  bootstrap (bootstrap-t) interval for ``u = 1 - <Q>`` on the log scale, mapped back to xi. The
  per-spin overlaps are skewed (a few strongly coupled spins carry most of ``1 - <Q>``), which is
  why percentile and basic intervals undercover this target (0.86 at 10 spins).

Coverage measured by ``benchmarks/bench_spins_coverage.py`` and recorded in docs/experiment.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import norm

from .._checks import as_real_array, check_int, check_real_scalar
from .._typing import FloatArray, IntArray
from ._bloch import bloch_chernoff_overlap, project_to_ball, typical_chernoff_bloch

#: Target names used in :class:`Interval` and in the CLI output.
THIS_BATH = "this bath (the measured spins; shot noise only)"
POPULATION = "bath population (the measured spins as a random sample)"
METHOD_THIS_BATH = "bias-corrected normal interval, parametric bootstrap over shot noise"
METHOD_POPULATION = "studentized bootstrap (bootstrap-t) on log(1 - <Q>), resampling spins and shots"


@dataclass(frozen=True)
class Interval:
    """A confidence interval ``[low, high]`` at level ``confidence`` around ``estimate``.

    ``target`` names the quantity the interval is calibrated for (see :data:`THIS_BATH`,
    :data:`POPULATION`); ``method`` names the construction.
    """

    estimate: float
    low: float
    high: float
    confidence: float
    method: str
    target: str = ""


@dataclass(frozen=True)
class BatchIntervals:
    """Vectorised intervals (arrays of the batch shape of the data).

    Attributes
    ----------
    estimate : ndarray
        Bias-corrected point estimate (nats, >= 0).
    low, high : ndarray
        Interval ends (NaN where no interval could be formed; ``high = inf`` where the data
        cannot exclude orthogonal records).
    plugin : ndarray
        Plug-in estimate ``-ln min_c <Q_k(c)>`` of the projected Bloch vectors.
    """

    estimate: FloatArray
    low: FloatArray
    high: FloatArray
    plugin: FloatArray


#: Largest number of Bloch-vector components in one bootstrap batch (B x data size x 6; ~0.4 GB per copy).
MAX_BOOTSTRAP_ELEMENTS = 50_000_000


def check_bootstrap_size(n_bootstrap: int, data_shape: tuple[int, ...], *, minimum: int) -> int:
    """``n_bootstrap`` as an int >= ``minimum``, refused before allocating when the replicates would not fit.

    Examples
    --------
    >>> check_bootstrap_size(1000, (20, 2, 3), minimum=2)
    1000
    """
    size = max(int(np.prod(data_shape)), 1)
    maximum = max(MAX_BOOTSTRAP_ELEMENTS // size, minimum)
    b = check_int(n_bootstrap, "n_bootstrap", minimum=minimum)
    if b > maximum:
        raise ValueError(
            f"n_bootstrap = {b if b < 10**18 else '~1e' + str(len(str(b)) - 1)} replicates of {size} numbers exceed the memory cap"
            f" ({MAX_BOOTSTRAP_ELEMENTS:.0e} numbers): use at most {maximum}"
        )
    return b


def count_standard_errors(raw: ArrayLike, shots: ArrayLike) -> FloatArray:
    """Binomial standard errors ``sqrt((1 - r^2)/n)`` of raw Bloch components, ``1 - r^2`` floored at ``1/n``.

    Examples
    --------
    >>> float(count_standard_errors(0.0, 100))
    0.1
    """
    r = as_real_array(raw, "raw")
    n = as_real_array(shots, "shots")
    if np.any(n < 1):
        raise ValueError(f"shots must be >= 1, got min {float(np.min(n)):g}")
    if np.any(np.abs(r) > 1.0):
        raise ValueError(f"raw Bloch components must lie in [-1, 1], got max |r| = {float(np.max(np.abs(r))):.6g}")
    return np.asarray(np.sqrt(np.maximum(1.0 - r**2, 1.0 / n) / n))


def shot_replicates(
    proj: FloatArray, se: FloatArray, shots: ArrayLike | None, n_boot: int, rng: np.random.Generator
) -> FloatArray:
    """Projected replicates (B, ...) of Bloch vectors: binomial counts (``shots`` given) or Gaussian noise around ``proj``."""
    reps = np.broadcast_to(proj, (n_boot,) + proj.shape)
    if shots is not None:
        n = np.broadcast_to(np.asarray(shots), proj.shape)
        counts = rng.binomial(np.broadcast_to(n, reps.shape), np.clip((1.0 + reps) / 2.0, 0.0, 1.0))
        rep_raw = 2.0 * counts / n - 1.0
        rep_se = count_standard_errors(rep_raw, n)
    else:
        rep_raw = reps + se * rng.standard_normal(reps.shape)
        rep_se = np.broadcast_to(se, reps.shape)
    return project_to_ball(rep_raw, rep_se)[0]


def _finite_moments(x: FloatArray) -> tuple[FloatArray, FloatArray, IntArray]:
    """Mean and standard deviation over axis 0 of the finite entries, and their number."""
    ok = np.isfinite(x)
    cnt = ok.sum(axis=0)
    xs = np.where(ok, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = xs.sum(axis=0) / cnt
        var = (np.where(ok, x - mean, 0.0) ** 2).sum(axis=0) / (cnt - 1)
    return mean, np.sqrt(var), cnt


def _finite_quantiles(x: FloatArray, qs: tuple[float, float]) -> FloatArray:
    """Quantiles over axis 0 ignoring non-finite entries (NaN where fewer than two are finite)."""
    y = np.where(np.isfinite(x), x, np.nan)
    cnt = np.isfinite(y).sum(axis=0)
    out = np.full((2,) + x.shape[1:], np.nan)
    ok = cnt >= 2
    if np.any(ok):
        out[:, ok] = np.nanquantile(y[:, ok], qs, axis=0)
    return out


def _check_inputs(
    raw: ArrayLike, se: ArrayLike, n_bootstrap: int, rng: np.random.Generator, confidence: float
) -> tuple[FloatArray, FloatArray, int, float]:
    x = as_real_array(raw, "raw")
    if x.ndim < 3 or x.shape[-2:] != (2, 3):
        raise ValueError(f"raw: expected shape (..., N, 2, 3) (spin, up/down, x/y/z), got {x.shape}")
    try:
        s = np.broadcast_to(as_real_array(se, "se"), x.shape)
    except ValueError as exc:
        raise ValueError(f"se: {exc}; expected finite values broadcastable to {x.shape}") from None
    if np.any(s <= 0):
        raise ValueError("se must be > 0")
    b = check_bootstrap_size(n_bootstrap, x.shape, minimum=2)
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")
    conf = check_real_scalar(confidence, "confidence")
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {conf}")
    return x, s, b, float(norm.ppf(0.5 + conf / 2.0))


def this_bath_interval(
    raw: ArrayLike,
    se: ArrayLike,
    *,
    n_bootstrap: int,
    rng: np.random.Generator,
    shots: ArrayLike | None = None,
    confidence: float = 0.95,
) -> BatchIntervals:
    """Interval for xi of the measured spins (shot noise only), bias-corrected; vectorised.

    Parameters
    ----------
    raw, se : array_like, shape (..., N, 2, 3)
        Raw conditional Bloch vectors and their standard errors; leading axes are independent
        data sets.
    n_bootstrap : int
        Replicates B >= 2 of the parametric bootstrap over shot noise.
    rng : numpy.random.Generator
    shots : array_like, optional
        Shots per component: binomial resampling (else Gaussian with ``se``).
    confidence : float
        Level of the interval.

    Returns
    -------
    BatchIntervals
        ``estimate = 2 xi_hat - mean(xi*)`` (bootstrap bias correction, floored at 0) and
        ``estimate -+ z sd(xi*)`` (low floored at 0).

    Examples
    --------
    >>> r = np.array([[[0.0, 0.0, 0.8], [0.8, 0.0, 0.0]]])
    >>> iv = this_bath_interval(r, np.full(r.shape, 1e-3), n_bootstrap=200, rng=np.random.default_rng(0))
    >>> bool(iv.low < iv.plugin < iv.high)
    True
    """
    x, s, b, z = _check_inputs(raw, se, n_bootstrap, rng, confidence)
    proj, _ = project_to_ball(x, s)
    xi_hat = np.asarray(typical_chernoff_bloch(proj[..., 0, :], proj[..., 1, :])[0], dtype=float)
    reps = shot_replicates(proj, s, shots, b, rng)
    xs = np.asarray(typical_chernoff_bloch(reps[..., 0, :], reps[..., 1, :])[0], dtype=float)
    mean, sd, cnt = _finite_moments(xs)
    finite = np.isfinite(xi_hat) & (cnt >= 2)
    with np.errstate(invalid="ignore"):
        est = np.where(finite, np.maximum(2.0 * xi_hat - mean, 0.0), xi_hat)
        low = np.where(finite, np.maximum(est - z * sd, 0.0), np.nan)
        high = np.where(finite, est + z * sd, np.nan)
    return BatchIntervals(est, low, high, xi_hat)


def population_interval(
    raw: ArrayLike,
    se: ArrayLike,
    *,
    n_bootstrap: int,
    rng: np.random.Generator,
    shots: ArrayLike | None = None,
    confidence: float = 0.95,
    center: ArrayLike | None = None,
) -> BatchIntervals:
    """Interval for the population xi ``-ln min_c E[Q(c)]`` of which the measured spins are a sample.

    Studentized bootstrap on ``log u`` with ``u = 1 - <Q_k(c*)>_k = 1 - exp(-xi)``: each replicate
    resamples the N spins with replacement and redraws their counts, and gives the pivot
    ``t* = (ln u* - ln u_hat)/(se*/u*)`` with the delta-method standard error
    ``se = sd_k(Q_k)/sqrt(N)``; the interval is ``u_c exp(-t*_(hi) se/u_hat) .. u_c exp(-t*_(lo) se/u_hat)``
    mapped back by ``xi = -ln(1 - u)``.

    Parameters
    ----------
    raw, se, n_bootstrap, rng, shots, confidence
        As in :func:`this_bath_interval`.
    center : array_like, optional
        Point estimate of xi the interval is built around (default: the plug-in; the headline
        uses the shot-noise bias-corrected estimate).

    Returns
    -------
    BatchIntervals
        NaN ends for fewer than two spins or no spread between spins; ``high = inf`` when the
        data cannot exclude orthogonal records.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> r = np.zeros((6, 2, 3)); r[:, 0, 2] = 0.8; r[:, 1, 0] = np.linspace(0.1, 0.8, 6)
    >>> iv = population_interval(r, np.full(r.shape, 1e-3), n_bootstrap=300, rng=rng)
    >>> bool(iv.low < iv.estimate < iv.high)
    True
    """
    x, s, b, _ = _check_inputs(raw, se, n_bootstrap, rng, confidence)
    n = x.shape[-3]
    proj, _ = project_to_ball(x, s)
    xi_hat, c_hat = typical_chernoff_bloch(proj[..., 0, :], proj[..., 1, :])
    xi_hat = np.asarray(xi_hat, dtype=float)
    est = xi_hat if center is None else np.broadcast_to(np.asarray(center, dtype=float), xi_hat.shape)
    nan = np.full(xi_hat.shape, np.nan)
    if n < 2:
        return BatchIntervals(np.asarray(est, dtype=float), nan, nan.copy(), xi_hat)
    q = bloch_chernoff_overlap(proj[..., 0, :], proj[..., 1, :], np.asarray(c_hat)[..., None])
    u_hat = 1.0 - q.mean(axis=-1)
    se_u = q.std(axis=-1, ddof=1) / math.sqrt(n)

    reps = shot_replicates(proj, s, shots, b, rng)
    idx = rng.integers(0, n, size=reps.shape[:-2])
    reps = np.take_along_axis(reps, idx[..., None, None], axis=-3)
    _, c_rep = typical_chernoff_bloch(reps[..., 0, :], reps[..., 1, :])
    q_rep = bloch_chernoff_overlap(reps[..., 0, :], reps[..., 1, :], np.asarray(c_rep)[..., None])
    u_rep = 1.0 - q_rep.mean(axis=-1)
    se_rep = q_rep.std(axis=-1, ddof=1) / math.sqrt(n)
    alpha = (1.0 - confidence) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        t_rep = (np.log(u_rep) - np.log(u_hat)) * u_rep / se_rep
        t_lo, t_hi = _finite_quantiles(t_rep, (alpha, 1.0 - alpha))
        u_c = -np.expm1(-np.asarray(est, dtype=float))
        rel = se_u / u_hat
        u_low = u_c * np.exp(-t_hi * rel)
        u_high = u_c * np.exp(-t_lo * rel)
        ok = np.isfinite(xi_hat) & (u_hat > 0) & (se_u > 0) & np.isfinite(t_lo) & np.isfinite(t_hi)
        low = np.where(ok, -np.log1p(-np.minimum(u_low, 1.0)), np.nan)
        high = np.where(ok, np.where(u_high < 1.0, -np.log1p(-np.minimum(u_high, 1.0)), np.inf), np.nan)
    return BatchIntervals(np.asarray(est, dtype=float), low, high, xi_hat)


def bootstrap_xi(
    raw: ArrayLike,
    se: ArrayLike,
    *,
    n_bootstrap: int,
    rng: np.random.Generator,
    shots: ArrayLike | None = None,
    resample_shots: bool = True,
    resample_spins: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Plug-in estimate and bootstrap replicates of the typical Chernoff information (nats).

    Parameters
    ----------
    raw, se : array_like, shape (..., N, 2, 3)
        Raw conditional Bloch vectors (spin, up/down, x/y/z) and their standard errors; leading
        axes are independent data sets (vectorised, e.g. repeated synthetic experiments).
    n_bootstrap : int
        Number of replicates B.
    rng : numpy.random.Generator
    shots : array_like, optional
        Shots per (spin, state, basis). Given: binomial resampling of counts around the projected
        estimate (parametric bootstrap over shot noise); absent: Gaussian resampling with ``se``.
    resample_shots, resample_spins : bool
        Which sources of uncertainty to resample (spins: with replacement, a nonparametric
        bootstrap over the finite sample of bath spins).

    Returns
    -------
    (xi_hat, replicates) : xi_hat of the batch shape, replicates of shape (B, ...)

    Examples
    --------
    >>> r = np.array([[[0.0, 0.0, 0.8], [0.8, 0.0, 0.0]]])
    >>> xi, reps = bootstrap_xi(r, np.full(r.shape, 0.01), n_bootstrap=5, rng=np.random.default_rng(0))
    >>> reps.shape
    (5,)
    """
    x = np.asarray(raw, dtype=float)
    s = np.asarray(se, dtype=float)
    proj, _ = project_to_ball(x, s)
    xi_hat, _ = typical_chernoff_bloch(proj[..., 0, :], proj[..., 1, :])
    b = check_bootstrap_size(n_bootstrap, x.shape, minimum=1)
    if resample_shots:
        reps = shot_replicates(proj, s, shots, b, rng)
    else:
        reps = np.broadcast_to(proj, (b,) + proj.shape)
    if resample_spins:
        n_spins = proj.shape[-3]
        idx = rng.integers(0, n_spins, size=reps.shape[:-2])
        reps = np.take_along_axis(reps, idx[..., None, None], axis=-3)
    xi_reps, _ = typical_chernoff_bloch(reps[..., 0, :], reps[..., 1, :])
    return np.asarray(xi_hat, dtype=float), np.asarray(xi_reps, dtype=float)


__all__ = [
    "Interval",
    "BatchIntervals",
    "THIS_BATH",
    "POPULATION",
    "check_bootstrap_size",
    "count_standard_errors",
    "shot_replicates",
    "this_bath_interval",
    "population_interval",
    "bootstrap_xi",
]
