"""Redundancy from single-spin tomography, with calibrated intervals for two targets.

Workflow (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/experiment.md):
for every measured environment spin k, tomography of its state conditioned on the system pointer
state (up / down) gives two Bloch vectors r_k^up and r_k^down. From them follow the per-spin
Chernoff overlaps Q_k(c), the typical Chernoff information ``xi_QCB = -ln min_c <Q_k(c)>_k``
(nats; the log of the mean) and the redundancy estimate ``R_delta = N xi_QCB / ln(1/delta)``.
No multi-spin tomography is needed.

Estimation: Bloch vectors are estimated from counts (or taken from the user's estimates) and
projected into the Bloch ball by weighted constrained least squares; spins whose raw estimate lies
significantly outside the ball are flagged. Uncertainty (:mod:`qdarwin.spins.intervals`): the
headline answers "what is xi of THIS bath" (shot noise only, bootstrap bias correction,
bias-corrected normal interval); ``xi_population`` answers "what is xi of the bath population the
measured spins were drawn from" (studentized bootstrap over spins and shots).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import check_coherence, validate_delta, check_int, check_probability, check_real_scalar, check_size
from ._bloch import bloch_chernoff_overlap, project_to_ball, typical_chernoff_bloch
from .data import BlochEstimates, TomographyCounts, TomographyData
from .intervals import (
    METHOD_POPULATION,
    METHOD_THIS_BATH,
    POPULATION,
    THIS_BATH,
    Interval,
    bootstrap_xi,
    check_bootstrap_size,
    population_interval,
    shot_replicates,
    this_bath_interval,
)
from .synthetic import model_bloch_vectors, nv_like_bath, synthetic_counts

#: A raw Bloch vector is flagged when its length exceeds 1 by more than this many standard errors.
FLAG_SIGMAS = 3.0


@dataclass(frozen=True)
class RedundancyEstimate:
    """Result of :func:`estimate_redundancy` (units: xi in nats, R dimensionless).

    Attributes
    ----------
    labels : tuple of str
    bloch_up, bloch_down : ndarray (N, 3)
        Estimated (projected) conditional Bloch vectors.
    raw_up, raw_down : ndarray (N, 3)
        Raw estimates before projection.
    projected : ndarray (N,) bool
        A raw estimate of this spin lay outside the Bloch ball and was projected.
    flagged : ndarray (N,) bool
        Inconsistent with a physical state: raw length exceeds 1 by more than 3 standard errors.
    overlaps : ndarray (N,)
        Per-spin Chernoff overlap ``Q_k(c*)`` at the common optimum ``c*``.
    overlap_se : ndarray (N,)
        Shot-noise standard error of each overlap (bootstrap).
    contributions : ndarray (N,)
        Share of each spin in ``1 - <Q_k>``: ``(1 - Q_k)/sum_j (1 - Q_j)``.
    spin_chernoff : ndarray (N,)
        Per-spin Chernoff information ``-ln min_c Q_k(c)`` (nats).
    xi : Interval
        Typical Chernoff information of THIS bath (the measured spins): bias-corrected estimate
        and its shot-noise interval. The headline.
    xi_population : Interval
        Typical Chernoff information of the bath POPULATION of which the measured spins are a
        random sample (same point estimate, studentized bootstrap interval over spins and shots).
    xi_plugin : float
        Plug-in estimate before bias correction (nats).
    deltas : ndarray (D,)
    redundancy, redundancy_population : list of Interval
        ``R_delta = n_env xi / ln(1/delta)`` for each delta, for the two targets.
    n_env : int
        Environment size used for R (default: number of measured spins).
    c_opt : float
    decoherence_bound : float or None
        Upper bound ``|c| prod_k F(rho_k^up, rho_k^down)`` on the system coherence modulus (exact
        for pure spins), when the prepared system state was given.
    n_bootstrap : int
    """

    labels: tuple[str, ...]
    bloch_up: NDArray[np.float64]
    bloch_down: NDArray[np.float64]
    raw_up: NDArray[np.float64]
    raw_down: NDArray[np.float64]
    projected: NDArray[np.bool_]
    flagged: NDArray[np.bool_]
    overlaps: NDArray[np.float64]
    overlap_se: NDArray[np.float64]
    contributions: NDArray[np.float64]
    spin_chernoff: NDArray[np.float64]
    xi: Interval
    xi_population: Interval
    xi_plugin: float
    deltas: NDArray[np.float64]
    redundancy: list[Interval]
    redundancy_population: list[Interval]
    n_env: int
    c_opt: float
    decoherence_bound: float | None
    n_bootstrap: int
    notes: list[str] = field(default_factory=list)

    @property
    def xi_shot(self) -> Interval:
        """Alias of :attr:`xi` (the shot-noise interval for this bath)."""
        return self.xi


def _raw_and_se(data: TomographyData) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64] | None]:
    if isinstance(data, TomographyCounts):
        return data.raw_bloch(), data.standard_errors(), data.shots
    return data.bloch, data.se, None


def _scaled(iv: Interval, scale: float, cap: float) -> Interval:
    """``R = scale * xi`` capped at ``cap`` (= N: redundancy never exceeds the environment size)."""

    def f(x: float) -> float:
        return x if math.isnan(x) else min(scale * x, cap)

    return Interval(f(iv.estimate), f(iv.low), f(iv.high), iv.confidence, iv.method, iv.target)


def estimate_redundancy(
    data: TomographyData,
    deltas: Sequence[float] = (1e-3,),
    *,
    n_env: int | None = None,
    n_bootstrap: int = 1000,
    confidence: float = 0.95,
    rng: np.random.Generator | None = None,
    system_p: float | None = None,
    system_c: complex | None = None,
) -> RedundancyEstimate:
    """Typical Chernoff information and redundancy ``R_delta`` from single-spin tomography.

    Parameters
    ----------
    data : TomographyCounts or BlochEstimates
        Per-spin conditional tomography (see :func:`qdarwin.io.tomography.read_tomography` for
        the file formats).
    deltas : sequence of float
        Information deficits delta in (0, 1).
    n_env : int, optional
        Environment size N in ``R = N xi/ln(1/delta)`` (default: the number of measured spins;
        give the bath size when the measured spins are a sample of it).
    n_bootstrap : int
        Bootstrap replicates (>= 0; below 2 the intervals are NaN and the estimate is the plug-in).
    confidence : float
        Confidence level of the intervals.
    rng : numpy.random.Generator, optional
        Randomness for the bootstrap (default ``default_rng(0)`` for reproducibility).
    system_p, system_c : optional
        Prepared system state (population of up and coherence); enables ``decoherence_bound``.

    Returns
    -------
    RedundancyEstimate

    Notes
    -----
    Two targets (docs/experiment.md): ``xi`` / ``redundancy`` are for THIS bath, i.e. the
    measured spins (shot noise only): bootstrap bias correction ``2 xi_hat - mean(xi*)`` and the
    interval ``+- z sd(xi*)`` from a parametric bootstrap over the counts (binomial) or the given
    standard errors (Gaussian). ``xi_population`` / ``redundancy_population`` are for the bath
    population of which the measured spins are a random sample: studentized bootstrap on
    ``log(1 - <Q>)`` resampling spins and counts. Measured coverage (10-spin NV-like bath, t = 2,
    10^3 shots): see docs/experiment.md. R_delta intervals are the xi intervals scaled by
    ``n_env/ln(1/delta)`` (a monotone map), capped at n_env.

    Examples
    --------
    >>> env = nv_like_bath(6, np.random.default_rng(0))
    >>> est = estimate_redundancy(synthetic_counts(env, 2.0, 1000, np.random.default_rng(1)), n_bootstrap=200)
    >>> bool(est.xi.low <= est.xi.estimate <= est.xi.high), est.xi.target == THIS_BATH
    (True, True)
    """
    dvals = np.array([validate_delta(d) for d in deltas], dtype=float)
    if dvals.size == 0:
        raise ValueError("at least one delta is needed")
    n_boot = check_int(n_bootstrap, "n_bootstrap", minimum=0)
    if n_boot == 1:  # one replicate has no spread: an interval needs >= 2
        raise ValueError("n_bootstrap must be 0 (plug-in estimate, no intervals) or >= 2, got 1")
    if n_boot > 1:
        check_bootstrap_size(n_boot, data.bloch.shape if isinstance(data, BlochEstimates) else data.n_plus.shape, minimum=2)
    conf = check_real_scalar(confidence, "confidence")
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {conf}")
    n_spins = data.n_spins
    n_total = n_spins if n_env is None else check_size(n_env, "n_env", maximum=2**53)
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")

    raw, se, shots = _raw_and_se(data)
    proj, moved = project_to_ball(raw, se)
    length = np.linalg.norm(raw, axis=-1)
    se_norm = np.sqrt(np.sum((raw / np.maximum(length[..., None], 1e-300)) ** 2 * se**2, axis=-1))
    flagged = np.any(length - 1.0 > FLAG_SIGMAS * se_norm, axis=-1)
    projected = np.any(moved, axis=-1)

    up, down = proj[:, 0], proj[:, 1]
    xi_hat, c_hat = typical_chernoff_bloch(up, down)
    overlaps = bloch_chernoff_overlap(up, down, c_hat)
    per_spin_xi, _ = typical_chernoff_bloch(up[:, None, :], down[:, None, :])
    one_minus = 1.0 - overlaps
    total = float(one_minus.sum())
    contributions = one_minus / total if total > 0 else np.zeros_like(one_minus)

    nan = float("nan")
    if n_boot > 1:
        bath = this_bath_interval(raw, se, n_bootstrap=n_boot, rng=rng, shots=shots, confidence=conf)
        est = float(bath.estimate)
        iv_bath = Interval(est, float(bath.low), float(bath.high), conf, METHOD_THIS_BATH, THIS_BATH)
        pop = population_interval(raw, se, n_bootstrap=n_boot, rng=rng, shots=shots, confidence=conf, center=est)
        iv_pop = Interval(est, float(pop.low), float(pop.high), conf, METHOD_POPULATION, POPULATION)
        rep = shot_replicates(proj, se, shots, n_boot, rng)
        overlap_se = bloch_chernoff_overlap(rep[..., 0, :], rep[..., 1, :], c_hat).std(axis=0, ddof=1)
    else:
        overlap_se = np.full(n_spins, np.nan)
        iv_bath = Interval(float(xi_hat), nan, nan, conf, "none (plug-in estimate, no bootstrap)", THIS_BATH)
        iv_pop = Interval(float(xi_hat), nan, nan, conf, "none (plug-in estimate, no bootstrap)", POPULATION)

    scales = [n_total / math.log(1.0 / d) for d in dvals]
    red = [_scaled(iv_bath, s, float(n_total)) for s in scales]
    red_pop = [_scaled(iv_pop, s, float(n_total)) for s in scales]

    bound = None
    if system_p is not None or system_c is not None:
        p = 0.5 if system_p is None else check_probability(system_p, "system_p")
        c_abs = abs(check_coherence(system_c, p, "system_c"))
        bound = c_abs * float(np.prod(_root_fidelity(up, down)))

    notes = []
    if np.any(flagged):
        names = ", ".join(data.labels[k] for k in np.flatnonzero(flagged))
        notes.append(f"inconsistent with a physical state (raw Bloch vector > 1 by > {FLAG_SIGMAS:g} s.e.): {names}")
    if n_boot > 1 and n_spins < 2:
        notes.append("one measured spin: no interval for the bath population")
    return RedundancyEstimate(
        labels=data.labels,
        bloch_up=up,
        bloch_down=down,
        raw_up=raw[:, 0],
        raw_down=raw[:, 1],
        projected=projected,
        flagged=flagged,
        overlaps=overlaps,
        overlap_se=overlap_se,
        contributions=contributions,
        spin_chernoff=np.asarray(per_spin_xi),
        xi=iv_bath,
        xi_population=iv_pop,
        xi_plugin=float(xi_hat),
        deltas=dvals,
        redundancy=red,
        redundancy_population=red_pop,
        n_env=n_total,
        c_opt=float(c_hat),
        decoherence_bound=bound,
        n_bootstrap=n_boot,
        notes=notes,
    )


def _root_fidelity(r_up: NDArray[np.float64], r_down: NDArray[np.float64]) -> NDArray[np.float64]:
    """Root fidelity ``tr|sqrt(rho) sqrt(sigma)|`` of qubit pairs from Bloch vectors (closed form)."""
    a2 = np.sum(r_up**2, axis=-1)
    b2 = np.sum(r_down**2, axis=-1)
    f2 = 0.5 * (1.0 + np.sum(r_up * r_down, axis=-1) + np.sqrt(np.clip((1 - a2) * (1 - b2), 0.0, None)))
    return np.sqrt(np.clip(f2, 0.0, 1.0))


__all__ = [
    "TomographyCounts",
    "BlochEstimates",
    "TomographyData",
    "Interval",
    "RedundancyEstimate",
    "project_to_ball",
    "bloch_chernoff_overlap",
    "typical_chernoff_bloch",
    "estimate_redundancy",
    "bootstrap_xi",
    "model_bloch_vectors",
    "synthetic_counts",
    "nv_like_bath",
]
