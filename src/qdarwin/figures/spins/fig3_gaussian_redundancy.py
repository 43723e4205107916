"""Fig. 3 of Zwolak, Riedel & Zurek (2016): redundancy versus time, Gaussian decoherence.

Pure environment spins with theta = pi/2, p = 1/2, delta = 1e-16, couplings g_k = G_k / sqrt(N)
with G_k uniform on [-2, 2] (tau_D = sqrt(3)/4), omega = 0 (spec spin-environments.md §3.2, §5.2, §8):

* the Gaussian-regime estimate R = (t / tau_D)^2 / ln(1/delta) (quadratic line);
* the N = infinity exact Holevo redundancy (points, 1.008946 x the line);
* finite N = 1e2, 1e3, 1e4 (one seeded realisation each): R_N(t) = N xi_QCB(t) / ln(1/delta),
  which leaves the line near the recurrence time t_rec and oscillates around N ln 2 / ln(1/delta);
* exact fragment-averaged Holevo redundancy for the N = 100 realisation (points, §5.2 item 3);
* the onset time t* at which R = 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, claim_close, claim_true

SOURCE = "spin-environments.md §8 Fig. 3"
#: relative truncation tolerance of the exact series (redundancy needs the deficit curve to ~1e-6)
SERIES_TOL = 1e-6
#: values quoted by the spec for N = 1e2, 1e3, 1e4
QUOTED_T_REC = {100: 6.80, 1000: 21.5, 10000: 68.0}
QUOTED_PLATEAU = {100: 1.88, 1000: 18.8, 10000: 188.0}


@dataclass(frozen=True)
class Fig3Params:
    """Parameters of Fig. 3 (defaults are the published values)."""

    g_max: float = 2.0  #: G_k uniform on [-g_max, g_max]
    delta: float = 1e-16
    p: float = 0.5
    sizes: tuple[int, ...] = (100, 1000, 10000)
    t_min: float = 0.2
    t_max: float = 2000.0
    n_times: int = 400
    n_plateau: int = 600  #: times used for the long-time mean of R_N
    n_exact_times: int = 14  #: N = infinity exact points
    n_finite_exact_times: int = 6  #: exact fragment-averaged points for the smallest N
    seed: int = 20160425


@dataclass(frozen=True)
class FiniteN:
    """One realisation of N couplings and its redundancy curve."""

    n_env: int
    couplings: NDArray[np.float64]  #: (N,) g_k
    r_qcb: NDArray[np.float64]  #: (n_times,) N xi_QCB / ln(1/delta)
    t_rec: float  #: recurrence time of this realisation
    plateau: float  #: time average of R_N over [5 t_rec, 50 t_rec]
    tau_d: float  #: decoherence time of this realisation (from its couplings G_k)
    r_own_line: NDArray[np.float64]  #: (n_times,) Gaussian estimate with this realisation's tau_D


@dataclass(frozen=True)
class Fig3Result:
    params: Fig3Params
    tau_d: float
    t_star: float
    times: NDArray[np.float64]
    r_line: NDArray[np.float64]  #: Gaussian-regime estimate
    t_exact: NDArray[np.float64]
    r_exact_inf: NDArray[np.float64]  #: N = infinity exact Holevo redundancy
    r_line_exact: NDArray[np.float64]  #: Gaussian estimate at t_exact
    finite: tuple[FiniteN, ...]
    t_finite_exact: NDArray[np.float64]
    r_finite_exact: NDArray[np.float64]  #: exact fragment-averaged redundancy (integer F) for sizes[0]
    r_finite_exact_cont: NDArray[np.float64]  #: same with continuous F
    r_finite_qcb: NDArray[np.float64]  #: QCB estimate for sizes[0] at the same times
    r_line_t10: float
    r_exact_t10: float


def params(full: bool) -> Fig3Params:
    """Quick mode: coarser time grids; ``full``: dense grids and more exact points."""
    return Fig3Params(n_times=3000, n_plateau=4000, n_exact_times=24, n_finite_exact_times=30) if full else Fig3Params()


def compute(p: Fig3Params, progress: Progress = None) -> Fig3Result:
    """Evaluate every curve of Fig. 3 through :mod:`qdarwin.spins`."""
    from ...spins.annealed import gaussian_exact_redundancy
    from ...spins.averaging import fragment_average_deficit, redundancy_from_curve
    from ...spins.chernoff import typical_chernoff
    from ...spins.model import SpinEnvironment, decoherence_factors
    from ...spins.redundancy import (
        decoherence_time,
        gaussian_redundancy,
        onset_time,
        recurrence_time,
        redundancy_qcb,
    )
    from ...info import binary_entropy

    total = len(p.sizes) + 2
    tau_d = float(decoherence_time(moments=p.g_max**2 / 3.0, theta=math.pi / 2))
    t_star = float(onset_time(tau_d, p.delta))
    times = np.geomspace(p.t_min, p.t_max, p.n_times)
    r_line = np.asarray(gaussian_redundancy(times, tau_d, p.delta), dtype=float)
    t_exact = np.geomspace(max(p.t_min, 0.5), p.t_max / 4, p.n_exact_times)
    r_exact_inf = np.asarray(gaussian_exact_redundancy(t_exact, tau_d, p.delta, p=p.p), dtype=float)
    if progress:
        progress(1, total, "N = infinity")

    rng = np.random.default_rng(p.seed)
    finite = []
    envs = []
    for i, n in enumerate(p.sizes):
        g = rng.uniform(-p.g_max, p.g_max, size=n) / math.sqrt(n)
        env = SpinEnvironment(a=1.0, theta=math.pi / 2, phi=0.0, g=g, omega=0.0, p=p.p)
        envs.append(env)
        r = np.asarray(redundancy_qcb(n, typical_chernoff(env, times), p.delta), dtype=float)
        t_rec = float(recurrence_time(g))
        t_plateau = np.linspace(5 * t_rec, 50 * t_rec, p.n_plateau)
        plateau = float(np.mean(redundancy_qcb(n, typical_chernoff(env, t_plateau), p.delta)))
        tau_n = float(decoherence_time(g * math.sqrt(n), theta=math.pi / 2))
        own = np.asarray(gaussian_redundancy(times, tau_n, p.delta), dtype=float)
        finite.append(FiniteN(n, g, r, t_rec, plateau, tau_n, own))
        if progress:
            progress(i + 2, total, f"N = {n}")

    # exact fragment-averaged Holevo redundancy of the smallest realisation (series method, §5.2 item 3)
    env0 = envs[0]
    n0 = p.sizes[0]
    t_fe = np.geomspace(0.8 * t_star, 8 * finite[0].t_rec, p.n_finite_exact_times)
    h = float(binary_entropy(p.p))
    r_int = np.empty_like(t_fe)
    r_cont = np.empty_like(t_fe)
    for j, t in enumerate(t_fe):
        xs = np.abs(decoherence_factors(env0, float(t))) ** 2
        deficit = fragment_average_deficit(xs, p.p, method="series", tol=SERIES_TOL).deficit
        r_int[j], r_cont[j] = redundancy_from_curve(deficit, p.delta, h, n0)
    if progress:
        progress(total, total, f"exact N = {n0}")
    return Fig3Result(
        params=p,
        tau_d=tau_d,
        t_star=t_star,
        times=times,
        r_line=r_line,
        t_exact=t_exact,
        r_exact_inf=r_exact_inf,
        r_line_exact=np.asarray(gaussian_redundancy(t_exact, tau_d, p.delta), dtype=float),
        finite=tuple(finite),
        t_finite_exact=t_fe,
        r_finite_exact=r_int,
        r_finite_exact_cont=r_cont,
        r_finite_qcb=np.asarray(redundancy_qcb(n0, typical_chernoff(env0, t_fe), p.delta), dtype=float),
        r_line_t10=float(gaussian_redundancy(10.0, tau_d, p.delta)),
        r_exact_t10=float(gaussian_exact_redundancy(10.0, tau_d, p.delta, p=p.p)),
    )


def plot(result: Fig3Result) -> Any:
    """Log-log plot of R_delta versus t."""
    import matplotlib.pyplot as plt

    p = result.params
    fig, ax = plt.subplots(figsize=(10.8, 5.2))
    colors = ("tab:blue", "tab:orange", "tab:purple", "tab:brown")
    ax.plot(result.times, result.r_line, color="black", lw=1.6,
            label=r"Gaussian estimate $R=(t/\tau_D)^2/\ln(1/\delta)$")
    ax.plot(result.t_exact, result.r_exact_inf, "o", ms=5, mfc="none", color="black",
            label=r"$N=\infty$ exact Holevo ($\times$1.008946)")
    for fn, col in zip(result.finite, colors):
        ax.plot(result.times, fn.r_qcb, color=col, lw=0.9, label=f"$N=10^{round(math.log10(fn.n_env))}$ (QCB, one realisation)")
        ax.axvline(fn.t_rec, color=col, ls=":", lw=1.0)
        ax.text(fn.t_rec * 1.06, 0.012, f"$t_{{rec}}$={fn.t_rec:.3g}", color=col, rotation=90, fontsize=8, va="bottom")
    ok = np.isfinite(result.r_finite_exact) & (result.r_finite_exact > 0)
    ax.plot(result.t_finite_exact[ok], result.r_finite_exact[ok], "s", ms=4, color=colors[0],
            label=f"$N={result.finite[0].n_env}$ exact fragment average (integer $F_\\delta$)")
    ax.axvline(result.t_star, color="gray", ls="--", lw=1.0)
    ax.plot([result.t_star], [2.0], "*", ms=12, color="crimson", label=f"onset $t^*$ = {result.t_star:.4f} (R = 2)")
    ax.set_xscale("log", base=10)
    ax.set_yscale("log", base=10)
    ax.set_xlim(p.t_min, p.t_max)
    ax.set_ylim(1e-2, 2e3)
    ax.set_xlabel(r"time $t$ (units of $1/G$, $\hbar=1$)")
    ax.set_ylabel(r"redundancy $R_\delta$ (fragments), $\delta=10^{-16}$")
    ax.set_title(r"Redundancy vs time, Gaussian decoherence ($G_k\sim U[-2,2]$, $g_k=G_k/\sqrt{N}$, $p=1/2$)",
                 fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)  # outside the data
    fig.tight_layout()
    return fig


def claims(result: Fig3Result) -> list[Claim]:
    """Spec §8 Fig. 3 and the §9 'other anchors' at t = 10."""
    out = [
        claim_close("spins/fig3/tau-d", "tau_D for G uniform on [-2, 2]", 0.4330127019, result.tau_d, atol=1e-9,
                    source=SOURCE),
        claim_close("spins/fig3/t-star", "onset time t* (R = 2)", 3.716922, result.t_star, atol=1e-6, source=SOURCE),
        claim_close("spins/fig3/R-line-t10", "Gaussian estimate R at t = 10", 14.476483, result.r_line_t10,
                    atol=1e-6, source="spin-environments.md §9 other anchors"),
        claim_close("spins/fig3/R-exact-t10", "N = infinity exact Holevo R at t = 10", 14.605979, result.r_exact_t10,
                    atol=1e-6, source="spin-environments.md §9 other anchors"),
    ]
    ratios = result.r_exact_inf / result.r_line_exact
    ratio_direct = result.r_exact_t10 / result.r_line_t10
    out.append(claim_close("spins/fig3/exact-over-line", "N = infinity exact / Gaussian estimate (t = 10)", 1.008946,
                           ratio_direct, atol=1e-6, source=SOURCE))
    out.append(claim_true("spins/fig3/exact-over-line-constant", "exact/estimate ratio constant in t (spread)",
                          "spread < 1e-6", bool(np.ptp(ratios) < 1e-6), float(np.ptp(ratios)),
                          source=SOURCE))
    for fn in result.finite:
        n = fn.n_env
        out.append(claim_close(f"spins/fig3/t-rec-{n}", f"t_rec for N = {n} (this realisation; quoted for <G^2> = 4/3)",
                               QUOTED_T_REC[n], fn.t_rec, rtol=0.1, source=SOURCE))
        out.append(claim_close(f"spins/fig3/plateau-{n}", f"long-time mean of R for N = {n}", QUOTED_PLATEAU[n],
                               fn.plateau, rtol=0.03, source=SOURCE))
        early = result.times < 0.3 * fn.t_rec
        dev = float(np.max(np.abs(fn.r_qcb[early] / fn.r_own_line[early] - 1)))
        out.append(claim_true(f"spins/fig3/follows-line-{n}",
                              f"N = {n} follows the quadratic law (its own tau_D) for t < 0.3 t_rec",
                              "max relative deviation < 5%", dev < 0.05, dev, source=SOURCE))
    ok = np.isfinite(result.r_finite_exact_cont) & (result.r_finite_exact_cont > 0)
    n0 = result.finite[0]
    r_q = result.r_finite_qcb
    maclaurin = bool(np.all(result.r_finite_exact_cont[ok] >= r_q[ok] * (1 - 2e-3)))
    out.append(claim_true("spins/fig3/exact-above-qcb", f"N = {n0.n_env}: exact fragment-averaged R >= QCB estimate",
                          "Maclaurin: exact >= QCB (spin-environments.md §5.3)", maclaurin,
                          float(np.min(result.r_finite_exact_cont[ok] / r_q[ok])) if ok.any() else None,
                          source="spin-environments.md §5.3"))
    return out


RECIPE = FigureRecipe(
    name="fig3_gaussian_redundancy",
    pillar="spins",
    title="Fig. 3: redundancy vs time, Gaussian decoherence",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig3Params", "Fig3Result", "FiniteN", "compute", "params", "plot", "claims"]
