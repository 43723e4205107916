"""Redundancy plateau versus environment size: late-time I(S:F_m)/H(p) at N = 20 ... 26.

Late-window mean (t = 20, 25, 30, 35, 40 in units of 1/J) of I(S:F_m) for the presets
``redundant`` (distinct branch energy densities) and ``encoding`` (equal densities) on the
default chaotic Ising ring, computed on the memory-lean Gram route
(:func:`qdarwin.thermal.run.run_mi`). The shaded band marks I within 5 % of H(p); each legend
entry gives m_delta and N_delta = N / m_delta at delta = 0.05 (Cao & Nussinov,
arXiv:2603.15743; measured values in docs/thermal.md). Run by ``reproduce --full`` only: the
N = 26 curves take tens of minutes on one core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import FigureRecipe, Progress

PRESETS = ("redundant", "encoding")
DELTA = 0.05


@dataclass(frozen=True)
class PlateauParams:
    sizes: tuple[int, ...] = (20, 22, 24, 26)
    delta: float = DELTA


@dataclass(frozen=True)
class PlateauResult:
    params: PlateauParams
    late: dict[tuple[str, int], NDArray[np.float64]]  #: (preset, N) -> late-window I(S:F_m), m = 0..N (bits)
    plateau: dict[str, float]  #: preset -> H(p) (bits)
    m_delta: dict[tuple[str, int], float]  #: (preset, N) -> m_delta (inf if the band is never reached)
    n_delta: dict[tuple[str, int], float]  #: (preset, N) -> N / m_delta


def params(full: bool) -> PlateauParams:
    """Full: N = 20, 22, 24, 26 (the recipe is registered for ``--full`` only)."""
    return PlateauParams() if full else PlateauParams(sizes=(12, 14))


def compute(p: PlateauParams, progress: Progress = None) -> PlateauResult:
    from ...thermal.models import ChaoticIsing, preset
    from ...thermal.redundancy import redundancy_number
    from ...thermal.run import Evolution, late_curve, run_mi
    from ...thermal.energy import LATE_WINDOW

    late: dict[tuple[str, int], NDArray[np.float64]] = {}
    plateau: dict[str, float] = {}
    m_delta: dict[tuple[str, int], float] = {}
    n_delta: dict[tuple[str, int], float] = {}
    total = len(PRESETS) * len(p.sizes)
    step = 0
    for name in PRESETS:
        for n in p.sizes:
            ds = run_mi(ChaoticIsing(n), preset(name), LATE_WINDOW, method=Evolution(route="lean"))
            curve, _, _ = late_curve(ds)
            late[(name, n)] = curve
            plateau[name] = float(ds["plateau"])
            r = redundancy_number(curve, plateau[name], p.delta, n)
            m_delta[(name, n)], n_delta[(name, n)] = float(r.m_delta), float(r.n_delta)
            step += 1
            if progress is not None:
                progress(step, total, f"{name} N = {n}")
    return PlateauResult(p, late, plateau, m_delta, n_delta)


def plot(result: PlateauResult) -> Any:
    import matplotlib.pyplot as plt

    p = result.params
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    colors = plt.get_cmap("viridis")(np.linspace(0.1, 0.85, len(p.sizes)))
    for ax, name in zip(axes, PRESETS):
        ax.axhspan(1 - p.delta, 1.0, color="0.85", label=f"within {p.delta:.0%} of H(p)")
        for n, c in zip(p.sizes, colors):
            curve = result.late[(name, n)] / result.plateau[name]
            m = np.arange(curve.size)
            md, nd = result.m_delta[(name, n)], result.n_delta[(name, n)]
            tag = f"m_delta = {md:.2f}, N_delta = {nd:.2f}" if np.isfinite(md) else "band not reached"
            ax.plot(m, curve, "o-", ms=3, color=c, label=f"N = {n}: {tag}")
        ax.axhline(1.0, color="k", lw=0.8)
        ax.set_xlabel("fraction size $m$ (sites)")
        ax.set_title(f"{name}: late-window mean, t = 20...40 (1/J)", fontsize=10)
        ax.set_ylim(0, 2.05)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    axes[0].set_ylabel(r"$I(S:F_m)\,/\,H(p)$")
    fig.suptitle("Redundancy plateau versus N (delta = 0.05)", fontsize=11)
    fig.tight_layout()
    return fig


RECIPE = FigureRecipe(
    name="thermal_plateau_vs_n",
    pillar="thermal",
    title="Thermal redundancy plateau versus N (late window, lean route)",
    params=params,
    compute=compute,
    plot=plot,
    full_only=True,
)

__all__ = ["RECIPE", "PlateauParams", "PlateauResult", "compute", "params", "plot"]
