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

from .._recipe import FigureRecipe, Progress, cite, claim_true
from ._common import THEORY

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
    dense_check: dict[str, NDArray[np.float64]]  #: preset -> late curve at the smallest N on the dense route


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
    # an independent route for the claims: the dense (full-space Gram) route at the smallest N
    n0 = min(p.sizes)
    dense_check = {
        name: late_curve(run_mi(ChaoticIsing(n0), preset(name), LATE_WINDOW, method=Evolution(route="dense")))[0]
        for name in PRESETS
    }
    return PlateauResult(p, late, plateau, m_delta, n_delta, dense_check)


def claims(result: PlateauResult) -> list[Any]:
    """Falsifiable statements about the computed curves (each can fail on a wrong computation).

    * the lean route equals the dense route at the smallest N (independent numerics);
    * pure global state: I(m) + I(N - m) = 2 S(S) = 2 H(p) for every m (an identity the two
      routes do not impose);
    * the paper's contrast (Cao & Nussinov, arXiv:2603.15743, Fig. 1): two sites below N/2 the
      ``redundant`` curve holds at least half of H(p), the ``encoding`` curve at most a tenth;
    * the plateau flattens as N grows: the ``redundant`` deficit H(p) - I at m = N/2 - 2
      decreases strictly with N.
    """
    p = result.params
    src = cite("thermal", "Fig. 1", f"{THEORY}#late-time-averages")
    out = []
    n0 = min(p.sizes)
    for name in PRESETS:
        diff = float(np.max(np.abs(result.late[(name, n0)] - result.dense_check[name])))
        out.append(claim_true(
            f"thermal/plateau/{name}-lean-equals-dense-N{n0}", f"{name}: lean vs dense route, late I(S:F_m), N = {n0}",
            "max_m |I_lean - I_dense| <= 1e-10 bits", diff <= 1e-10, f"{diff:.2e}",
            criterion="max over m of |lean - dense| <= 1e-10 bits", source=f"{THEORY}#late-time-averages"))
    for name in PRESETS:
        h = result.plateau[name]
        worst = 0.0
        for n in p.sizes:
            c = result.late[(name, n)]
            worst = max(worst, float(np.max(np.abs(c + c[::-1] - 2 * h))))
        out.append(claim_true(
            f"thermal/plateau/{name}-pure-state-symmetry", f"{name}: I(m) + I(N-m) = 2 H(p), all N and m",
            "max |I(m) + I(N-m) - 2 H(p)| <= 1e-9 bits", worst <= 1e-9, f"{worst:.2e}",
            criterion="max over N, m of |I(m) + I(N-m) - 2 H(p)| <= 1e-9 bits", source=src))
    ok, witness = True, []
    for n in p.sizes:
        m = n // 2 - 2
        r = float(result.late[("redundant", n)][m] / result.plateau["redundant"])
        e = float(result.late[("encoding", n)][m] / result.plateau["encoding"])
        ok = ok and r >= 0.5 and e <= 0.1
        witness.append(f"N={n}: {r:.3f} / {e:.3f}")
    out.append(claim_true(
        "thermal/plateau/redundant-vs-encoding", "I(S:F_m)/H(p) at m = N/2 - 2: redundant / encoding",
        "redundant >= 0.5, encoding <= 0.1 at every N", ok, "; ".join(witness),
        criterion="I_red(N/2-2)/H >= 0.5 and I_enc(N/2-2)/H <= 0.1 for every N", source=src))
    deficits = [float(1 - result.late[("redundant", n)][n // 2 - 2] / result.plateau["redundant"]) for n in p.sizes]
    out.append(claim_true(
        "thermal/plateau/flattens-with-N", "redundant deficit 1 - I(S:F_{N/2-2})/H(p) versus N",
        "strictly decreasing in N", bool(np.all(np.diff(deficits) < 0)),
        ", ".join(f"{d:.4f}" for d in deficits),
        criterion="diff(deficit over increasing N) < 0", source=src))
    return out


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
    claims=claims,
    full_only=True,
)

__all__ = ["RECIPE", "PlateauParams", "PlateauResult", "claims", "compute", "params", "plot"]
