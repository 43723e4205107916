"""Fig. 5 of Cao & Nussinov (End Matter): partially degenerate branch energies.

Preset ``partial_degeneracy`` (d = 4, p_k = 1/4, axes +y, -y, +x, -x; energies +h_x, -h_x, 0, 0)
on the default ring at t in {0, 0.5, 1, 2, 5, 10, 20, 40} (Cao & Nussinov, arXiv:2603.15743). Reference lines
at 2 bits (log2 4) and 1.5 bits (coarse-grained entropy H(1/4, 1/2, 1/4)); the late curve is
compared with the coarse-grained d = 3 problem, and the degenerate pair's Holevo chi is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, claim_close, claim_true
from ._common import SPEC, claim_quoted_range, log_time_colors, mi_curves, over_states

SOURCE = f"{SPEC} §11 Fig. 5"
QUOTED_T0 = (1.00, 1.50, 1.81, 1.91, 1.96)
QUOTED_LATE_16 = (0.07, 0.20, 0.31, 0.43, 0.55, 0.73, 1.13)


@dataclass(frozen=True)
class Fig5Params:
    n_sites: int = 16
    times: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 40.0)
    late_times: tuple[float, ...] = (20.0, 40.0)


@dataclass(frozen=True)
class Fig5Result:
    params: Fig5Params
    curves: NDArray[np.float64]  #: (T, N + 1) bits
    late: NDArray[np.float64]  #: (N + 1,) average over late_times
    coarse_late: NDArray[np.float64]  #: (N + 1,) coarse-grained d = 3 problem, same times
    plateau: float  #: coarse-grained entropy (bits)
    pair: tuple[int, int]  #: the degenerate pair
    pair_chi: NDArray[np.float64]  #: (m < N/2,) late Holevo chi of the degenerate pair, m = 1...
    split_chi: NDArray[np.float64]  #: (m < N/2,) late chi of the pair (+h_x, -h_x) for contrast


def params(full: bool) -> Fig5Params:
    """Quick: N = 14; full: N = 16 (the spec's quoted late curve)."""
    return Fig5Params() if full else Fig5Params(n_sites=14)


def compute(p: Fig5Params, progress: Progress = None) -> Fig5Result:
    from ...thermal.degeneracy import (
        coarse_grained_entropy,
        coarse_grained_setup,
        degenerate_pairs,
        pair_holevo,
    )
    from ...thermal.energy import energy_densities
    from ...thermal.models import ChaoticIsing, partial_degeneracy

    env, setup = ChaoticIsing(p.n_sites), partial_degeneracy()
    n_late = len(p.late_times)
    total = len(p.times) + 2 * n_late
    curves = mi_curves(env, setup, p.times, progress, "d = 4", total=total)
    late = curves[[p.times.index(t) for t in p.late_times]].mean(axis=0)
    coarse = coarse_grained_setup(setup, env)
    coarse_late = mi_curves(
        env, coarse, p.late_times, progress, "coarse d = 3", offset=len(p.times), total=total
    ).mean(axis=0)
    e = energy_densities(env, setup)
    pair = degenerate_pairs(e, probs=setup.probs)[0]
    sizes = range(1, (p.n_sites + 1) // 2)

    def chis(t: float, psi: NDArray[np.complex128]) -> NDArray[np.float64]:
        if progress is not None:
            progress(total, total, f"pair chi t = {t:g}")
        return np.array(
            [
                [pair_holevo(psi, setup.probs, pr, list(range(m))) for m in sizes]
                for pr in (pair, (0, 1))
            ]
        )

    chi = np.mean(over_states(env, setup, p.late_times, chis), axis=0)
    return Fig5Result(
        p, curves, late, coarse_late, coarse_grained_entropy(setup.probs, e), pair, chi[0], chi[1]
    )


def plot(result: Fig5Result) -> Any:
    import matplotlib.pyplot as plt

    p = result.params
    n = p.n_sites
    m = np.arange(n + 1)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11.5, 4.4), gridspec_kw={"width_ratios": [1.5, 1]})
    for t, curve, col in zip(p.times, result.curves, log_time_colors(p.times)):
        ax.plot(m, curve, "-o", ms=2.5, lw=1.0, color=col, label=f"t = {t:g}")
    ax.plot(
        m, result.coarse_late, "--", color="crimson", lw=1.8, label="coarse-grained d = 3 (late)"
    )
    ax.axhline(2.0, color="gray", ls="--", lw=1)
    ax.axhline(
        result.plateau,
        color="tab:orange",
        ls="-.",
        lw=1.2,
        label=f"coarse-grained H = {result.plateau:g} bits",
    )
    ax.axvline(n / 2, color="gray", ls=":", lw=1)
    ax.set_ylim(0, 4.1)
    ax.set_xlim(0, n)
    ax.set_xlabel("fraction size $m$")
    ax.set_ylabel(r"$I(S:F_m)$ [bits]")
    ax.set_title(f"(a) partial degeneracy (d = 4), N = {n}", fontsize=10)
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    ax.grid(alpha=0.3)
    ms = np.arange(1, result.pair_chi.size + 1)
    bx.semilogy(
        ms, np.maximum(result.pair_chi, 1e-6), "o-", label=f"degenerate pair {result.pair} (e = 0)"
    )
    bx.semilogy(ms, result.split_chi, "s-", label=r"pair (0, 1) ($e=\pm h_x$)")
    bx.set_xlabel("fraction size $m$")
    bx.set_ylabel(r"late Holevo $\chi$ of the pair [bits]")
    bx.set_title("(b) the degenerate pair is encoded", fontsize=10)
    bx.legend(fontsize=8)
    bx.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def claims(result: Fig5Result) -> list[Claim]:
    p = result.params
    n = p.n_sites
    half = n // 2
    t0 = result.curves[0]
    out = [
        claim_close(f"thermal/fig5/t0-m{m}", f"t = 0 I(m={m})", q, t0[m], atol=0.01, source=SOURCE)
        for m, q in enumerate(QUOTED_T0, start=1)
    ]
    out.append(
        claim_close(
            "thermal/fig5/half",
            "late I(N/2) = S(S) ~ 2 bits",
            2.0,
            result.late[half],
            atol=0.005,
            source=SOURCE,
        )
    )
    out.append(
        claim_close(
            "thermal/fig5/plateau",
            "coarse-grained entropy H(1/4, 1/2, 1/4)",
            1.5,
            result.plateau,
            atol=1e-12,
            source=f"{SPEC} §8",
        )
    )
    upto = half - 3
    diff = float(np.max(np.abs(result.late[1 : upto + 1] - result.coarse_late[1 : upto + 1])))
    out.append(
        claim_quoted_range(
            "thermal/fig5/coarse-match",
            f"max |I - I_coarse(d=3)| for m <= N/2 - 3 = {upto}",
            0.0,
            0.02,
            diff,
            decimals=2,
            source=SOURCE,
        )
    )
    out.append(
        claim_true(
            "thermal/fig5/plateau-not-reached",
            "1.5-bit plateau not reached at these N (late I(N/2-1) < 1.5)",
            "I(N/2 - 1) < 1.5",
            bool(result.late[half - 1] < 1.5),
            computed=float(result.late[half - 1]),
            source=f"{SPEC} §16",
        )
    )
    out.append(
        claim_true(
            "thermal/fig5/pair-encoded",
            "degenerate pair chi << split pair chi (m = 1...N/2-3)",
            "chi_pair < 0.1 chi_split",
            bool(np.all(result.pair_chi[:upto] < 0.1 * result.split_chi[:upto])),
            computed=float(np.max(result.pair_chi[:upto] / result.split_chi[:upto])),
            source=f"{SPEC} §8",
        )
    )
    if n == 16:
        for m, q in enumerate(QUOTED_LATE_16, start=1):
            out.append(
                claim_close(
                    f"thermal/fig5/late16-m{m}",
                    f"late I(m={m}), N = 16",
                    q,
                    result.late[m],
                    atol=0.02,
                    source=SOURCE,
                )
            )
        out.append(
            claim_quoted_range(
                "thermal/fig5/pair-chi16",
                "max degenerate-pair chi for m <= N/2 - 3 (N = 16)",
                0.0,
                0.003,
                float(result.pair_chi[:upto].max()),
                decimals=3,
                source=SOURCE,
            )
        )
    return out


RECIPE = FigureRecipe(
    name="fig5_partial_degeneracy",
    pillar="thermal",
    title="Partially degenerate energies: coarse-grained plateau (Cao & Nussinov Fig. 5)",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig5Params", "Fig5Result", "claims", "compute", "params", "plot"]
