"""Redundancy from a partial-information curve: one kernel for every model.

``F_delta`` is the smallest fragment size whose information deficit ``D(m) = H - I(S:F_m)``
falls to ``delta H``; the redundancy is ``R_delta = N / F_delta``. Used by the spin pillar,
the thermal pillar and the general analysis alike. Deficits and ``H`` share one unit (bits by
convention; any unit works since only ratios enter).

References
----------
W. H. Zurek, Nat. Phys. 5, 181 (2009), arXiv:0903.5082;
M. Zwolak, C. J. Riedel, W. H. Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._checks import as_real_array, check_int, check_real_scalar, validate_delta


def f_delta(deficits: ArrayLike, delta: float, H: float) -> tuple[Any, Any]:
    """Fragment size ``F_delta`` (integer and continuous) from a deficit curve.

    Parameters
    ----------
    deficits : array_like, shape (..., M + 1)
        ``D(m)`` for m = 0..M on the last axis, ``D(0) = H``.
    delta : float in (0, 1)
    H : float > 0
        Target entropy (bits), e.g. ``H2(p)``.

    Returns
    -------
    (F_int, F_cont)
        Smallest m in [1, M] with ``D(m) <= delta H`` and its log-linear interpolation
        (linear if ``D(m) <= 0``), at least 1 (a record needs one subsystem, so
        ``R = N / F <= N``); ``inf`` when never reached.

    Examples
    --------
    >>> f_delta([1.0, 0.1, 0.001], 0.01, 1.0)
    (2.0, 1.5)
    >>> f_delta([1.0, 0.0, 0.0], 0.1, 1.0)  # perfect records in one subsystem: F = 1, not 0.9
    (1.0, 1.0)
    """
    d = as_real_array(deficits, "deficits")
    if d.ndim == 0 or d.shape[-1] < 2:
        raise ValueError("deficits: need D(m) for m = 0..M with M >= 1 on the last axis")
    dl = validate_delta(delta)
    hv = check_real_scalar(H, "H")
    if hv <= 0:
        raise ValueError("no missing information (H must be positive)")
    target = dl * hv
    if np.any(d[..., 0] <= target):
        raise ValueError("deficits[0] must be the full deficit D(0) = H > delta H")
    hit = d[..., 1:] <= target
    found = hit.any(axis=-1)
    m = np.where(found, hit.argmax(axis=-1) + 1, 1)
    d_prev = np.take_along_axis(d, (m - 1)[..., None], axis=-1)[..., 0]
    d_m = np.take_along_axis(d, m[..., None], axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_frac = (np.log(d_prev) - math.log(target)) / (
            np.log(d_prev) - np.log(np.where(d_m > 0, d_m, 1.0))
        )
        lin_frac = (d_prev - target) / (d_prev - d_m)
    frac = np.where(d_m > 0, log_frac, lin_frac)
    f_int = np.where(found, m.astype(float), np.inf)
    # a record needs at least one subsystem: F_cont >= 1, so that R = N / F never exceeds N
    f_cont = np.where(found, np.maximum((m - 1) + np.clip(frac, 0.0, 1.0), 1.0), np.inf)
    return (float(f_int), float(f_cont)) if f_int.ndim == 0 else (f_int, f_cont)


def redundancy_from_curve(
    deficits: ArrayLike, delta: float, H: float, n_env: int
) -> tuple[Any, Any]:
    """Redundancy ``R = N / F_delta`` (integer and continuous; 0 when never reached).

    Examples
    --------
    >>> redundancy_from_curve([1.0, 0.1, 0.001], 0.01, 1.0, 6)
    (3.0, 4.0)
    """
    n = check_int(n_env, "n_env", minimum=1)
    fi, fc = f_delta(deficits, delta, H)
    with np.errstate(divide="ignore"):
        ri, rc = n / np.asarray(fi), n / np.asarray(fc)
    return (float(ri), float(rc)) if np.ndim(ri) == 0 else (ri, rc)


__all__ = ["f_delta", "redundancy_from_curve"]
