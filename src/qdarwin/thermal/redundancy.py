"""Deficit decay and redundancy number of an I(S:F_m) curve (thermal pillar).

* :func:`decay_rate` -- exponential decay rate of the deficit ``H(p) - I(S:F_m)`` against m
  (nats per site), to compare with the crossing exponent kappa* of the rate functions;
* :func:`redundancy_number` -- m_delta and N_delta = N / m_delta from the shared kernel
  :func:`qdarwin.info.redundancy.f_delta`.

Cao & Nussinov, arXiv:2603.15743; docs/thermal-analysis.md.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import check_finite, check_int, check_real_scalar, validate_delta
from ..info.redundancy import f_delta

__all__ = ["DecayFit", "RedundancyNumber", "decay_rate", "redundancy_number"]


class DecayFit(NamedTuple):
    """Fit of ``ln(H - I_m)`` against m (decay rate in nats per site, positive for decay)."""

    rate: float  #: minus the fitted slope of ln deficit
    intercept: float  #: fitted ln deficit at m = 0 (ln of bits)
    m_fit: NDArray[np.int64]  #: fraction sizes used in the fit
    local_m: NDArray[np.float64]  #: midpoints m + 1/2 of consecutive sizes
    local_rates: NDArray[np.float64]  #: -(ln D(m+1) - ln D(m)) for consecutive sizes in the window
    n_dropped: int  #: sizes in the window dropped because the deficit was <= 0


def decay_rate(
    m: ArrayLike,
    info: ArrayLike,
    plateau: float,
    *,
    m_lo: int = 2,
    m_hi: int | None = None,
    n_sites: int | None = None,
) -> DecayFit:
    """Exponential decay rate of the deficit ``H - I(S:F_m)``.

    Parameters
    ----------
    m : array_like of int, shape (K,)
        Fraction sizes.
    info : array_like, shape (K,)
        I(S:F_m) (any unit; the plateau must use the same unit).
    plateau : float
        Target value H(p).
    m_lo, m_hi : int
        Fit window (inclusive). Default ``m_hi = n_sites // 2 - 3`` when ``n_sites`` is given,
        else the largest m.
    n_sites : int, optional
        Environment size N, for the default window.

    Returns
    -------
    DecayFit
        Least-squares rate and local slopes. Sizes with deficit <= 0 are dropped and counted;
        with fewer than two usable sizes the rate is ``nan`` (a report, not an error).

    Examples
    --------
    >>> fit = decay_rate([1, 2, 3, 4], [1 - math.exp(-0.3), 1 - math.exp(-0.6), 1 - math.exp(-0.9), 1 - math.exp(-1.2)], 1.0, m_lo=1)
    >>> round(fit.rate, 12), fit.local_rates.round(12).tolist()
    (0.3, [0.3, 0.3, 0.3])
    """
    ms = np.asarray(m, dtype=np.float64).reshape(-1)
    vals = np.asarray(info, dtype=np.float64).reshape(-1)
    if ms.shape != vals.shape or ms.size == 0:
        raise ValueError(
            f"m and info must be 1-D arrays of equal length, got {ms.shape} and {vals.shape}"
        )
    check_finite(ms, "m")
    check_finite(vals, "info")
    h = check_real_scalar(plateau, "plateau")
    lo = check_int(m_lo, "m_lo")
    if m_hi is None:
        hi = (
            check_int(n_sites, "n_sites", minimum=1) // 2 - 3
            if n_sites is not None
            else int(ms.max())
        )
    else:
        hi = check_int(m_hi, "m_hi")
    if hi < lo:
        raise ValueError(f"empty fit window: m_lo = {lo} > m_hi = {hi}")
    order = np.argsort(ms)
    ms, vals = ms[order], vals[order]
    window = (ms >= lo) & (ms <= hi)
    deficit = h - vals[window]
    mw = ms[window]
    good = deficit > 0
    n_dropped = int(np.count_nonzero(~good))
    mg = mw[good]
    logd = np.log(deficit[good])
    if mg.size >= 2:
        slope, intercept = np.polyfit(mg, logd, 1)
        rate, icpt = float(-slope), float(intercept)
    else:
        rate, icpt = math.nan, math.nan
    consecutive = np.diff(mg) == 1
    local_m = (mg[:-1] + 0.5)[consecutive]
    local = (-np.diff(logd))[consecutive]
    return DecayFit(rate, icpt, mg.astype(np.int64), local_m, local, n_dropped)


class RedundancyNumber(NamedTuple):
    """Redundancy from an I(S:F_m) curve."""

    m_delta: float  #: smallest m >= 1 with H - I_m <= delta H (inf if none)
    n_delta: float  #: N / m_delta (0 if no m qualifies)
    n_floor: int  #: floor(N / m_delta): disjoint fractions carrying the plateau up to delta
    f_cont: float  #: continuous (log-linear interpolated) fraction size, as R_delta in the spins pillar
    n_cont: float  #: N / f_cont


def redundancy_number(
    info_curve: ArrayLike, plateau: float, delta: float, n_sites: int
) -> RedundancyNumber:
    """Redundancy number ``N_delta = N / m_delta`` from ``I(S:F_m)``, m = 0...N.

    Parameters
    ----------
    info_curve : array_like, shape (N+1,)
        I(S:F_m) for m = 0...N (index = m), same unit as ``plateau``.
    plateau : float
        Target H(p) (or S(S)).
    delta : float
        Relative tolerance in (0, 1).
    n_sites : int
        N.

    Returns
    -------
    RedundancyNumber
        Uses :func:`qdarwin.info.redundancy.f_delta` on the deficits ``D(m) = H - I_m``
        (integer and continuous fraction sizes, the same definition as R_delta in the spins
        pillar).

    Examples
    --------
    >>> r = redundancy_number([0.0, 0.6, 0.9, 1.0, 1.0, 2.0], 1.0, 0.5, 5)
    >>> r.m_delta, r.n_delta, r.n_floor
    (1.0, 5.0, 5)
    """
    n = check_int(n_sites, "n_sites", minimum=1)
    curve = np.asarray(info_curve, dtype=np.float64).reshape(-1)
    if curve.size != n + 1:
        raise ValueError(
            f"info_curve: expected N + 1 = {n + 1} values (m = 0...N), got {curve.size}"
        )
    check_finite(curve, "info_curve")
    h = check_real_scalar(plateau, "plateau")
    if h <= 0:
        raise ValueError(f"plateau must be positive, got {h}")
    dlt = validate_delta(delta)
    deficits = h - curve
    f_int, f_cont = f_delta(deficits, dlt, h)
    f_int, f_cont = float(f_int), float(f_cont)
    if math.isinf(f_int):
        return RedundancyNumber(math.inf, 0.0, 0, math.inf, 0.0)
    return RedundancyNumber(f_int, n / f_int, int(n // f_int), f_cont, n / f_cont)
