"""Fig. 1 of Cao & Nussinov: encoding (equal energy densities) vs persistent redundancy.

Presets ``encoding`` (axes +-x, e = 0, 0) and ``redundant`` (axes +-y, e = +-h_x) on the
default chaotic Ising ring; I(S:F_m) against m at t = 0 and 39 log-spaced times in
[0.1, 50], plus the late-window average t in {20, ..., 40} (Cao & Nussinov, arXiv:2603.15743).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, claim_close, claim_range, claim_true
from ._common import LATE_WINDOW, SPEC, log_time_colors, mi_curves

SOURCE = f"{SPEC} §11 Fig. 1"
#: Late-window values quoted by the spec (§15 H) per N: redundant I(1..3), encoding I(1..7).
QUOTED_REDUNDANT = {16: (0.1439, 0.3671, 0.5177), 20: (0.1370, 0.3630, 0.5169)}
QUOTED_ENCODING = {16: (0.0001, 0.0004, 0.0015, 0.0053, 0.0198, 0.0731, 0.2784)}
#: §11 Fig. 1 late values at N = 20 (redundant, m = 1...9; encoding m = 7, 8, 9).
QUOTED_REDUNDANT_20 = (0.14, 0.36, 0.52, 0.63, 0.72, 0.79, 0.84, 0.89, 0.94)
QUOTED_ENCODING_20 = {7: 0.018, 8: 0.069, 9: 0.273}


@dataclass(frozen=True)
class Fig1Params:
    n_sites: int = 20
    t_max: float = 50.0
    n_log_times: int = 39
    window: tuple[float, ...] = LATE_WINDOW


@dataclass(frozen=True)
class Fig1Result:
    params: Fig1Params
    times: NDArray[np.float64]  #: (T,) including 0 and the window
    curves: dict[str, NDArray[np.float64]]  #: preset -> (T, N + 1) bits
    late: dict[str, NDArray[np.float64]]  #: preset -> (N + 1,) late-window average


def params(full: bool) -> Fig1Params:
    """Quick: N = 16; full: N = 20 (published size of the spec)."""
    return Fig1Params() if full else Fig1Params(n_sites=16)


def compute(p: Fig1Params, progress: Progress = None) -> Fig1Result:
    from ...thermal.models import ChaoticIsing, preset

    env = ChaoticIsing(p.n_sites)
    times = np.unique(np.concatenate(([0.0], np.geomspace(0.1, p.t_max, p.n_log_times), p.window)))
    window_idx = np.searchsorted(times, p.window)
    curves, late = {}, {}
    for i, name in enumerate(("encoding", "redundant")):
        c = mi_curves(
            env, preset(name), times, progress, name, offset=i * times.size, total=2 * times.size
        )
        curves[name] = c
        late[name] = c[window_idx].mean(axis=0)
    return Fig1Result(p, times, curves, late)


def plot(result: Fig1Result) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm

    n = result.params.n_sites
    m = np.arange(n + 1)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True)
    pick = np.unique(
        np.concatenate(([0], np.searchsorted(result.times, [0.1, 0.3, 1, 2, 5, 10, 50])))
    )
    pick = pick[pick < result.times.size]
    colors = log_time_colors(result.times[pick])
    for ax, name, title in zip(
        axes,
        ("encoding", "redundant"),
        (
            "(a) encoding: axes $\\pm\\hat x$, $e_0=e_1=0$",
            "(b) redundant: axes $\\pm\\hat y$, $e=\\pm h_x$",
        ),
    ):
        for idx, col in zip(pick, colors):
            ax.plot(
                m,
                result.curves[name][idx],
                "-o",
                ms=2.5,
                lw=1.0,
                color=col,
                label=f"t = {result.times[idx]:.3g}",
            )
        ax.plot(m, result.late[name], "-", lw=2.2, color="crimson", label="late avg. t = 20-40")
        ax.axhline(1.0, color="gray", ls="--", lw=1.0)
        ax.axvline(n / 2, color="gray", ls=":", lw=1.0)
        ax.set_xlabel("fraction size $m$ (sites)")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(r"$I(S:F_m)$ [bits]")
    axes[0].legend(fontsize=7, loc="upper left")
    pos = result.times[result.times > 0]
    sm = ScalarMappable(norm=LogNorm(pos.min(), pos.max()), cmap="viridis")
    fig.colorbar(sm, ax=axes, label="time $t$ ($1/J$)", pad=0.01)
    fig.suptitle(f"Chaotic Ising ring, N = {n}: $H(p)=1$ bit (dashed), $N/2$ (dotted)", fontsize=11)
    return fig


def claims(result: Fig1Result) -> list[Claim]:
    n = result.params.n_sites
    half = n // 2
    out: list[Claim] = []
    t0 = {k: v[0] for k, v in result.curves.items()}
    out.append(
        claim_true(
            "thermal/fig1/t0-plateau",
            "t = 0: I(m) = H(p) = 1 bit for 1 <= m <= N-1 (both presets)",
            "I = 1 for 1 <= m <= N-1",
            all(np.allclose(t0[k][1:n], 1.0, atol=1e-9) for k in t0),
            computed=float(max(np.max(np.abs(t0[k][1:n] - 1.0)) for k in t0)),
            source=SOURCE,
        )
    )
    for name in ("encoding", "redundant"):
        out.append(
            claim_close(
                f"thermal/fig1/{name}-half",
                f"{name}: late I(S:F_N/2) = S(S)",
                1.0,
                result.late[name][half],
                atol=1e-9,
                source=f"{SPEC} §3",
            )
        )
    enc, red = result.late["encoding"], result.late["redundant"]
    if n in QUOTED_REDUNDANT:
        for m, q in enumerate(QUOTED_REDUNDANT[n], start=1):
            out.append(
                claim_close(
                    f"thermal/fig1/redundant-late-m{m}",
                    f"redundant late I(m={m}), N = {n}",
                    q,
                    red[m],
                    atol=1e-3,
                    source=f"{SPEC} §15 H",
                )
            )
    for m in (1, 2, 3):
        out.append(
            claim_range(
                f"thermal/fig1/redundant-late-band-m{m}",
                f"redundant late I(m={m}) (N-independent band)",
                *{1: (0.12, 0.16), 2: (0.356, 0.376), 3: (0.505, 0.535)}[m],
                red[m],
                source=f"{SPEC} §15 H",
            )
        )
    if n in QUOTED_ENCODING:
        for m, q in enumerate(QUOTED_ENCODING[n], start=1):
            out.append(
                claim_close(
                    f"thermal/fig1/encoding-late-m{m}",
                    f"encoding late I(m={m}), N = {n}",
                    q,
                    enc[m],
                    atol=max(2e-4, 0.03 * q),
                    source=f"{SPEC} §15 H",
                )
            )
    if n == 20:
        for m, q in enumerate(QUOTED_REDUNDANT_20, start=1):
            out.append(
                claim_close(
                    f"thermal/fig1/redundant-20-m{m}",
                    f"redundant late I(m={m}), N = 20",
                    q,
                    red[m],
                    atol=0.01,
                    source=SOURCE,
                )
            )
        out.append(
            claim_true(
                "thermal/fig1/encoding-20-small",
                "encoding late I <= 0.005 for m <= 6 (N = 20)",
                "<= 0.005",
                bool(np.all(enc[1:7] <= 0.005)),
                computed=float(enc[1:7].max()),
                source=SOURCE,
            )
        )
        for m, q in QUOTED_ENCODING_20.items():
            out.append(
                claim_close(
                    f"thermal/fig1/encoding-20-m{m}",
                    f"encoding late I(m={m}), N = 20",
                    q,
                    enc[m],
                    atol=max(0.002, 0.05 * q),
                    source=SOURCE,
                )
            )
    out.append(
        claim_true(
            "thermal/fig1/redundant-monotone",
            "redundant late curve rises monotonically toward 1 bit (m <= N/2)",
            "monotone",
            bool(np.all(np.diff(red[: half + 1]) > 0)),
            source=SOURCE,
        )
    )
    out.append(
        claim_true(
            "thermal/fig1/mirror",
            "I(N-m) = 2 S(S) - I(m) (late curves)",
            "mirror identity",
            all(np.allclose(v + v[::-1], 2.0, atol=1e-9) for v in (enc, red)),
            source=f"{SPEC} §3",
        )
    )
    return out


RECIPE = FigureRecipe(
    name="fig1_encoding_vs_redundancy",
    pillar="thermal",
    title="Encoding vs persistent redundancy in a chaotic Ising ring (Cao & Nussinov Fig. 1)",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig1Params", "Fig1Result", "claims", "compute", "params", "plot"]
