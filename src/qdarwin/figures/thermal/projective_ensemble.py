"""Projective-ensemble comparison: bimodal with redundancy, uniform with encoding (Cao & Nussinov, arXiv:2603.15743).

All environment sites measured in the computational basis; weighted histogram of the posterior
z component for the presets ``encoding`` and ``redundant`` at t in {0, 2, 10, 40}, with the
uniform density 1/2 of Haar-random qubit states. Also checks the exact reference values at N = 10 (docs/theory-thermal.md#reference-values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true
from ._common import THEORY, claim_quoted_range, over_states

SOURCE = cite("thermal", "projective-ensemble paragraph", f"{THEORY}#projective-ensemble")
QUOTED_E = {"encoding": (0.31425987, 0.48830266), "redundant": (0.80334849, 0.87188892)}


@dataclass(frozen=True)
class ProjectiveParams:
    sizes: tuple[int, ...] = (12, 16)
    times: tuple[float, ...] = (0.0, 2.0, 10.0, 40.0)
    bins: int = 20


@dataclass(frozen=True)
class ProjectiveResult:
    params: ProjectiveParams
    bin_edges: NDArray[np.float64]
    hist: dict[
        tuple[str, int], NDArray[np.float64]
    ]  #: (preset, N) -> (T, bins) probability per bin
    stats: dict[
        tuple[str, int], NDArray[np.float64]
    ]  #: (preset, N) -> (T, 5): E[z^2], E|z|, tail, KS, max|z|
    reference: dict[str, tuple[float, float]]  #: preset -> (E[z^2], E|z|) at N = 10, t = 10


def params(full: bool) -> ProjectiveParams:
    """Quick: N = 12; full: N = 12 and 16."""
    return ProjectiveParams() if full else ProjectiveParams(sizes=(12,))


def compute(p: ProjectiveParams, progress: Progress = None) -> ProjectiveResult:
    from ...thermal.ensemble import projective_ensemble
    from ...thermal.models import ChaoticIsing, preset

    hist, stats, ref = {}, {}, {}
    edges = np.linspace(-1.0, 1.0, p.bins + 1)
    total = 2 * len(p.sizes) + 1
    step = 0
    for name in ("encoding", "redundant"):
        setup = preset(name)
        for n in p.sizes:

            def one(
                t: float, psi: NDArray[np.complex128], probs: Any = setup.probs
            ) -> tuple[NDArray[np.float64], list[float]]:
                ens = projective_ensemble(psi, probs, bins=p.bins)
                assert ens.bloch is not None  # the system is a qubit (d = 2)
                z_max = float(np.max(np.abs(ens.bloch[:, 2])))
                return ens.hist, [ens.mean_z2, ens.mean_abs_z, ens.tail, ens.ks_uniform, z_max]

            rows = over_states(ChaoticIsing(n), setup, p.times, one)
            hist[(name, n)] = np.array([r[0] for r in rows])
            stats[(name, n)] = np.array([r[1] for r in rows])
            step += 1
            if progress is not None:
                progress(step, total, f"{name} N = {n}")
        ((_, psi10),) = [
            (0, s) for s in over_states(ChaoticIsing(10), setup, [10.0], lambda t, s: s)
        ]
        ens10 = projective_ensemble(psi10, setup.probs)
        ref[name] = (ens10.mean_z2, ens10.mean_abs_z)
    if progress is not None:
        progress(total, total, "N = 10 reference")
    return ProjectiveResult(p, edges, hist, stats, ref)


def plot(result: ProjectiveResult) -> Any:
    import matplotlib.pyplot as plt

    p = result.params
    fig, axes = plt.subplots(
        2, len(p.times), figsize=(3.0 * len(p.times), 5.6), sharex=True, sharey="row"
    )
    width = np.diff(result.bin_edges)
    styles = ("-", "--", ":")
    for row, name in enumerate(("encoding", "redundant")):
        for col, t in enumerate(p.times):
            ax = axes[row, col]
            for n, ls in zip(p.sizes, styles):
                if t == 0:
                    # every posterior has z = 0 exactly (a bin edge): draw the point mass where it is
                    if n == p.sizes[0]:
                        ax.annotate("", xy=(0.0, 5.6), xytext=(0.0, 0.0),
                                    arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "k"})
                        ax.plot([], [], color="k", lw=2, label="point mass at z = 0 (weight 1)")
                    continue
                dens = result.hist[(name, n)][col] / width
                ax.stairs(dens, result.bin_edges, ls=ls, lw=1.5, label=f"N = {n}")
            ax.axhline(0.5, color="crimson", lw=1, label="uniform (Haar) 1/2")
            ax.set_ylim(0, 6.0)
            ax.set_title(f"{name}, t = {t:g}", fontsize=9)
            ax.grid(alpha=0.3)
            if row == 1:
                ax.set_xlabel("posterior $z$")
        axes[row, 0].set_ylabel("weighted density of $z$")
    axes[0, -1].legend(fontsize=7)
    fig.suptitle(
        "Projective ensemble of S (all environment sites measured); t = 0: every outcome gives z = 0",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def claims(result: ProjectiveResult) -> list[Claim]:
    p = result.params
    out: list[Claim] = []
    for name, (z2, az) in QUOTED_E.items():
        out.append(
            claim_close(
                f"thermal/proj/{name}-z2-N10",
                f"{name} E[z^2], N = 10, t = 10",
                z2,
                result.reference[name][0],
                atol=1e-6,
                source=cite("thermal", page=f"{THEORY}#reference-values"),
            )
        )
        out.append(
            claim_close(
                f"thermal/proj/{name}-absz-N10",
                f"{name} E|z|, N = 10, t = 10",
                az,
                result.reference[name][1],
                atol=1e-6,
                source=cite("thermal", page=f"{THEORY}#reference-values"),
            )
        )
    t0 = p.times.index(0.0) if 0.0 in p.times else None
    late = [i for i, t in enumerate(p.times) if t >= 5]
    for n in p.sizes:
        if t0 is not None:
            zmax = max(result.stats[(k, n)][t0, 4] for k in ("encoding", "redundant"))
            out.append(
                claim_true(
                    f"thermal/proj/t0-N{n}",
                    f"t = 0: z = 0 for every outcome, N = {n}",
                    "max|z| < 1e-10",
                    bool(zmax < 1e-10),
                    computed=float(zmax),
                    criterion="max |z| < 1e-10 at t = 0",
                    source=cite("thermal", page=f"{THEORY}#projective-ensemble"),
                )
            )
        red, enc = result.stats[("redundant", n)][late], result.stats[("encoding", n)][late]
        if n == 12:
            out += [
                claim_quoted_range(
                    f"thermal/proj/red-tail-N12-t{p.times[i]:g}",
                    f"redundant P(|z|>0.9), N = 12, t = {p.times[i]:g}",
                    0.72,
                    0.79,
                    red[j, 2],
                    decimals=2,
                    source=SOURCE,
                )
                for j, i in enumerate(late)
            ]
            out += [
                claim_quoted_range(
                    f"thermal/proj/red-z2-N12-t{p.times[i]:g}",
                    f"redundant E[z^2], N = 12, t = {p.times[i]:g}",
                    0.80,
                    0.86,
                    red[j, 0],
                    decimals=2,
                    source=SOURCE,
                )
                for j, i in enumerate(late)
            ]
            ks_max = 0.06
        elif n == 16:
            out += [
                claim_close(
                    f"thermal/proj/red-tail-N16-t{p.times[i]:g}",
                    f"redundant P(|z|>0.9), N = 16, t = {p.times[i]:g}",
                    0.88,
                    red[j, 2],
                    atol=0.01,
                    source=SOURCE,
                )
                for j, i in enumerate(late)
            ]
            out += [
                claim_quoted_range(
                    f"thermal/proj/red-z2-N16-t{p.times[i]:g}",
                    f"redundant E[z^2], N = 16, t = {p.times[i]:g}",
                    0.91,
                    0.93,
                    red[j, 0],
                    decimals=2,
                    source=SOURCE,
                )
                for j, i in enumerate(late)
            ]
            ks_max = 0.03
        else:
            continue
        out += [
            claim_close(
                f"thermal/proj/enc-z2-N{n}-t{p.times[i]:g}",
                f"encoding E[z^2], N = {n}, t = {p.times[i]:g}",
                0.33,
                enc[j, 0],
                atol=0.04,
                source=SOURCE,
            )
            for j, i in enumerate(late)
        ]
        out += [
            claim_quoted_range(
                f"thermal/proj/enc-ks-N{n}-t{p.times[i]:g}",
                f"encoding KS distance to uniform, N = {n}, t = {p.times[i]:g}",
                0.0,
                ks_max,
                enc[j, 3],
                decimals=2,
                source=SOURCE,
            )
            for j, i in enumerate(late)
        ]
    return out


RECIPE = FigureRecipe(
    name="projective_ensemble",
    pillar="thermal",
    title="Projective ensemble: pointer peaks with redundancy, Haar-uniform with encoding",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "ProjectiveParams", "ProjectiveResult", "claims", "compute", "params", "plot"]
