"""Small helpers shared by the spins modules."""

from __future__ import annotations

from typing import Any

import numpy as np


def scalar_or_array(x: Any) -> Any:
    """A Python float for 0-d input, the array otherwise (the return convention of the pillar).

    Examples
    --------
    >>> scalar_or_array(np.float64(0.5)), scalar_or_array(np.zeros(2)).shape
    (0.5, (2,))
    """
    return float(x) if np.ndim(x) == 0 else x
