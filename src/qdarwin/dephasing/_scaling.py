"""Exact power-of-two rescaling, so that kernels never overflow on representable data.

Dividing by a power of two is exact: a kernel evaluated on ``x / f`` and multiplied back gives
the numbers it would give on ``x`` wherever intermediate sums and products (``W W^+``, Gram
congruences, squared uncertainties) would otherwise overflow to inf or NaN.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Data with max|x| outside [1/SAFE_SCALE, SAFE_SCALE] are evaluated rescaled by a power of 2.
SAFE_SCALE = 2.0**400


def pow2_scale(*arrays: Any) -> float:
    """A power of two ``f`` with ``max|x| / f`` near 1 for extreme data, else exactly 1.

    Dividing by a power of two is exact, so kernels evaluated on ``x / f`` and multiplied back
    give the same numbers as on ``x`` whenever ``x`` itself is representable: intermediate
    sums and products (``W W^+``, Gram congruences) cannot overflow to inf or NaN.

    Examples
    --------
    >>> pow2_scale(np.array([1e200])) == 2.0**665, pow2_scale(np.array([3.0]))
    (True, 1.0)
    """
    s = max((float(np.max(np.abs(a), initial=0.0)) for a in arrays if a is not None), default=0.0)
    if s == 0.0 or not math.isfinite(s) or 1.0 / SAFE_SCALE <= s <= SAFE_SCALE:
        return 1.0
    # exponent clamped so that f and 1/f are normal numbers (division by f stays exact)
    return math.ldexp(1.0, min(max(math.frexp(s)[1], -1000), 1000))


def pow4_scale(*arrays: Any) -> float:
    """Like :func:`pow2_scale` but an even power of two, so that ``sqrt(f)`` is exact."""
    f = pow2_scale(*arrays)
    return f if f == 1.0 or (math.frexp(f)[1] - 1) % 2 == 0 else 2.0 * f


def unscale(x: Any, f: float, what: str, *, power: int = 1) -> Any:
    """Multiply a result back by ``f**power`` (one factor at a time) and refuse overflow."""
    if f == 1.0:
        return x
    out = x
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(power):
            out = out * f
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"{what} overflows float64 (|value| > 1.8e308) for input of magnitude {f:.3g}; "
            "express the data in a larger time unit"
        )
    return out


__all__: list[str] = []
