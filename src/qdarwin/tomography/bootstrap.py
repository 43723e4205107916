"""Bootstrap machinery for product-Pauli data: resampling counts and confidence intervals.

Resampling keeps the number of shots of every setting fixed:

* ``"parametric"``: each setting's counts are redrawn from the outcome distribution of the
  estimated (physical) state;
* ``"nonparametric"``: each setting's shots are redrawn with replacement, i.e. counts from
  the multinomial with the observed frequencies.

Intervals from replicas ``theta*_b`` of an estimate ``theta_hat`` (Davison and Hinkley,
*Bootstrap Methods and their Application*, CUP (1997), ch. 5; Efron, JASA 82, 171 (1987)):

* ``"percentile"``: the ``alpha/2`` and ``1 - alpha/2`` quantiles of ``theta*``;
* ``"basic"``: ``[2 theta_hat - q_{1-alpha/2}, 2 theta_hat - q_{alpha/2}]``, which removes the
  plug-in bias to first order (the replicas are biased the same way as the estimate);
* ``"bc"``: Efron's bias-corrected percentile interval, quantiles at
  ``Phi(2 z0 +- z_{1-alpha/2})`` with ``z0 = Phi^-1(#{theta* < theta_hat} / B)``.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from scipy.special import ndtr, ndtri

from .._typing import FloatArray, IntArray

IntervalKind = Literal["percentile", "basic", "bc"]
INTERVALS = ("percentile", "basic", "bc")
RESAMPLING = ("parametric", "nonparametric")


def check_confidence(confidence: Any) -> float:
    """A confidence level in (0, 1)."""
    from .._checks import validate_delta  # the one open-unit-interval check

    return validate_delta(confidence, "confidence")


def resample_counts(
    counts: IntArray, probabilities: FloatArray | None, *, rng: np.random.Generator
) -> IntArray:
    """One bootstrap replica of a count table with the shots of every setting kept.

    ``probabilities`` (``(n_settings, n_outcomes)``) gives the parametric model; ``None``
    resamples the observed frequencies (nonparametric).

    Examples
    --------
    >>> c = np.array([[3, 7], [10, 0]])
    >>> resample_counts(c, None, rng=np.random.default_rng(0)).sum(axis=1).tolist()
    [10, 10]
    """
    shots = counts.sum(axis=1)
    p = counts / shots[:, None] if probabilities is None else np.clip(probabilities, 0.0, None)
    p = p / p.sum(axis=1, keepdims=True)
    return rng.multinomial(shots, p).astype(np.int64)


def bootstrap_interval(
    estimate: Any, replicas: Any, *, confidence: float = 0.95, kind: IntervalKind = "basic", centre: Any = None
) -> tuple[FloatArray, FloatArray]:
    """Two-sided bootstrap interval, elementwise over the trailing shape of ``estimate``.

    Parameters
    ----------
    estimate : array_like, shape S
        Plug-in estimate ``theta_hat``.
    replicas : array_like, shape (B,) + S
        Bootstrap replicas; non-finite replicas are ignored (elements with fewer than two
        finite replicas get NaN).
    confidence : float in (0, 1)
    kind : {"basic", "percentile", "bc"}
        See the module docstring.
    centre : array_like, shape S, optional
        Value of the quantity in the distribution the replicas were drawn from (default
        ``estimate``: the nonparametric bootstrap, or a parametric one whose model gives the
        estimate exactly). A parametric bootstrap from a model whose value differs from the
        estimate (e.g. curves from per-fragment reconstructions, replicas from the joint
        state) passes the model's exact value: the intervals then use the replicas' deviations
        ``theta* - centre`` around ``estimate``.

    Returns
    -------
    (low, high) arrays of shape S

    Examples
    --------
    >>> reps = np.linspace(0.0, 2.0, 2001)  # replicas centred on 1.0
    >>> [float(np.round(v, 3)) for v in bootstrap_interval(1.2, reps, confidence=0.9, kind="basic")]
    [0.5, 2.3]
    """
    c = check_confidence(confidence)
    if kind not in INTERVALS:
        raise ValueError(f"kind must be one of {', '.join(INTERVALS)}, got {kind!r}")
    est = np.asarray(estimate, dtype=np.float64)
    reps = np.asarray(replicas, dtype=np.float64)
    if reps.shape[1:] != est.shape:
        raise ValueError(f"replicas: expected shape (B,) + {est.shape}, got {reps.shape}")
    alpha = 1.0 - c
    if centre is not None:  # deviations from the model's value, placed around the estimate
        reps = reps - np.broadcast_to(np.asarray(centre, dtype=np.float64), est.shape) + est
    flat = reps.reshape(reps.shape[0], -1)
    e = est.reshape(-1)
    low = np.full(e.shape, np.nan)
    high = np.full(e.shape, np.nan)
    for j in range(e.size):
        r = flat[:, j][np.isfinite(flat[:, j])]
        if r.size < 2 or not np.isfinite(e[j]):
            continue
        if kind == "percentile":
            low[j], high[j] = np.quantile(r, [alpha / 2, 1 - alpha / 2])
        elif kind == "basic":
            q_lo, q_hi = np.quantile(r, [alpha / 2, 1 - alpha / 2])
            low[j], high[j] = 2 * e[j] - q_hi, 2 * e[j] - q_lo
        else:
            frac = (np.sum(r < e[j]) + 0.5 * np.sum(r == e[j])) / r.size
            frac = min(max(frac, 0.5 / r.size), 1 - 0.5 / r.size)
            z0 = float(ndtri(frac))
            z = float(ndtri(1 - alpha / 2))
            low[j], high[j] = np.quantile(r, [float(ndtr(2 * z0 - z)), float(ndtr(2 * z0 + z))])
    return low.reshape(est.shape), high.reshape(est.shape)


__all__ = ["INTERVALS", "RESAMPLING", "bootstrap_interval", "check_confidence", "resample_counts"]
