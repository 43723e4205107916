"""Helpers shared by the thermal figure recipes (public qdarwin API only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Progress, cite, claim_quoted_range

#: The paper (Cao & Nussinov, arXiv:2603.15743) and the theory page of the documentation.
PAPER = cite("thermal")
THEORY = "theory-thermal.md"
from ...thermal.energy import LATE_WINDOW  # the one late-time window of the thermal core


def mi_curves(
    env: Any,
    setup: Any,
    times: Any,
    progress: Progress = None,
    label: str = "",
    offset: int = 0,
    total: int | None = None,
    method: str = "auto",
) -> NDArray[np.float64]:
    """I(S:F_m) curves (bits), shape (len(times), N + 1), via ``iter_mi_curves``."""
    from ...thermal.information import iter_mi_curves

    ts = np.asarray(times, dtype=float)
    out = []
    for i, (_, curve) in enumerate(iter_mi_curves(env, setup, ts, method=method)):
        out.append(np.asarray(curve, dtype=float))
        if progress is not None:
            progress(offset + i + 1, total or ts.size, label)
    return np.array(out)


def over_states(
    env: Any, setup: Any, times: Any, fn: Callable[[float, NDArray[np.complex128]], Any]
) -> list[Any]:
    """Apply ``fn(t, branches)`` along the evolution (no trajectory stored)."""
    from ...thermal.evolution import iter_branch_states

    return [
        fn(float(t), psi)
        for t, psi in iter_branch_states(env, setup, np.asarray(times, dtype=float))
    ]


def log_time_colors(times: Any) -> list[Any]:
    """Viridis colours by log10 t (t = 0 drawn black)."""
    import matplotlib.pyplot as plt

    ts = np.asarray(times, dtype=float)
    pos = ts[ts > 0]
    lo, hi = (np.log10(pos.min()), np.log10(pos.max())) if pos.size else (0.0, 1.0)
    cmap = plt.get_cmap("viridis")
    return [(0, 0, 0, 1) if t <= 0 else cmap((np.log10(t) - lo) / max(hi - lo, 1e-12)) for t in ts]


__all__ = [
    "LATE_WINDOW",
    "PAPER",
    "THEORY",
    "claim_quoted_range",
    "log_time_colors",
    "mi_curves",
    "over_states",
]
