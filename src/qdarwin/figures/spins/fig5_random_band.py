"""Fig. 5 of Zwolak, Riedel & Zurek (2016): the random-band model.

Pure spins, theta = pi/2, couplings g uniform on [0, W], omega = 0, p = 1/2, delta = 1e-10
(Zwolak, Riedel & Zurek 2016, arXiv:1512.07578, Fig. 5; docs/theory-spins.md). The y axis is the relative redundancy
R* = R_delta(t) / R'_delta with R'_delta = N ln 2 / ln(1/delta) (the t -> infinity QCB value):

* solid: the QCB estimate, R* = xi_QCB(t) / ln 2 with the log-of-mean xi_QCB (random-band model; docs/theory-spins.md, "Redundancy estimates");
* dashed: the small-delta expansion (docs/theory-spins.md, "Redundancy estimates"), R* = xi_QCB ln(1/delta) / [(ln(1/delta) - ln C(1/2)) ln 2];
* green dashed: the Gaussian (short-time) regime, R* = 4 W^2 t^2 / (3 ln 2);
* points: the exact annealed (N -> infinity) fragment average (docs/spins-api.md, fragment averages) with integer F_delta,
  and a thin curve with continuous F_delta;
* inset: N = 32, one seeded realisation: exact subset-averaged Holevo redundancy (docs/spins-api.md, fragment averages)
  versus the discretised QCB rule R = 32 / ceil(F_c) (docs/theory-spins.md, "Redundancy estimates").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true

SOURCE = cite("spins", "Fig. 5")
#: relative truncation tolerance of the exact series (redundancy needs the deficit curve to ~1e-6)
SERIES_TOL = 1e-6
#: reference values quoted for the curves: Wt -> (solid, dashed, green)
REFERENCE = {0.25: (0.119141, 0.120856, 0.120225), 1.0: (1.302583, 1.321327, 1.923593), 3.0: (1.065996, 1.081335, 17.31234)}


@dataclass(frozen=True)
class Fig5Params:
    """Parameters of Fig. 5 (defaults are the published values)."""

    w: float = 1.0  #: bandwidth W
    delta: float = 1e-10
    p: float = 0.5
    wt_min: float = 0.05
    wt_max: float = 30.0
    n_lines: int = 600  #: points of the analytic curves
    n_points: int = 60  #: annealed exact points
    n_inset: int = 70  #: times of the N = 32 inset
    inset_n_env: int = 32
    inset_wt: tuple[float, float] = (0.5, 4.0)
    seed: int = 32


@dataclass(frozen=True)
class Fig5Result:
    params: Fig5Params
    wt: NDArray[np.float64]  #: (n_lines,) W t
    solid: NDArray[np.float64]
    dashed: NDArray[np.float64]
    green: NDArray[np.float64]
    wt_points: NDArray[np.float64]  #: (n_points,)
    annealed_f: NDArray[np.float64]  #: continuous F_delta (N -> infinity)
    annealed_int: NDArray[np.float64]  #: R* with integer F_delta
    annealed_cont: NDArray[np.float64]  #: R* with continuous F_delta
    dashed_points: NDArray[np.float64]  #: dashed curve at wt_points
    reference: dict[float, tuple[float, float, float]]  #: computed (solid, dashed, green) at the quoted Wt
    inset_wt: NDArray[np.float64]
    inset_couplings: NDArray[np.float64]
    inset_exact: NDArray[np.float64]  #: exact subset-averaged R (integer F)
    inset_exact_cont: NDArray[np.float64]  #: same with continuous F
    inset_rule: NDArray[np.float64]  #: discretised rule R = N / ceil(F_c)
    inset_fc: NDArray[np.float64]  #: continuous F_c of the rule


def params(full: bool) -> Fig5Params:
    """Quick mode: fewer points; ``full``: dense curves and more exact points."""
    return Fig5Params(n_lines=3000, n_points=150, n_inset=400) if full else Fig5Params()


def band_moments(w: float, t: float, k: ArrayLike) -> NDArray[np.float64]:
    """Moments mu_k = <x^k> of x = cos^2(2 g t) for g uniform on [0, w] (k >= 0 integers).

    Uses cos^{2k} u = 4^{-k} [C(2k, k) + 2 sum_{j=1}^{k} C(2k, k-j) cos(2 j u)] and
    <cos(2 j u)> = sin(2 j U) / (2 j U) for u uniform on [0, U], U = 2 w t. All terms carry
    non-negative weights summing to one, so no cancellation beyond 1e-16 absolute.

    Examples
    --------
    >>> [round(float(v), 12) for v in band_moments(1.0, math.pi / 4, np.array([0, 1, 2]))]  # u uniform on [0, pi/2]
    [1.0, 0.5, 0.375]
    """
    kf = np.atleast_1d(np.asarray(k, dtype=float))
    if np.any(kf < 0) or np.any(kf != np.round(kf)):
        raise ValueError("moment orders k must be non-negative integers")
    ki = kf.astype(np.int64)
    kmax = int(ki.max()) if ki.size else 0
    u = 2.0 * w * abs(t)
    j = np.arange(0, kmax + 1)
    sinc = np.sinc(2.0 * j * u / math.pi)  # sin(2 j U)/(2 j U), equals 1 at j = 0
    out = np.empty(ki.shape, dtype=float)
    for idx, kk in np.ndenumerate(ki):
        jj = j[: kk + 1]
        logw = gammaln(2 * kk + 1) - gammaln(kk - jj + 1) - gammaln(kk + jj + 1) - kk * math.log(4.0)
        weights = np.exp(logw)
        weights[1:] *= 2.0
        out[idx] = float(np.dot(weights, sinc[: kk + 1]))
    return out


def _moment_fn(w: float, t: float) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    return lambda k: band_moments(w, t, k)


def compute(p: Fig5Params, progress: Progress = None) -> Fig5Result:
    """Evaluate every curve of Fig. 5 through :mod:`qdarwin.spins`."""
    from ...info import binary_entropy
    from ...spins.annealed import annealed_redundancy
    from ...spins.averaging import fragment_average_deficit, redundancy_from_curve
    from ...spins.chernoff import spin_overlap
    from ...spins.model import SpinEnvironment, decoherence_factors
    from ...spins.redundancy import (
        decoherence_time,
        discretised_redundancy,
        gaussian_redundancy,
        random_band_chernoff,
        redundancy_expansion,
    )

    ln2 = math.log(2.0)
    ln_inv_delta = -math.log(p.delta)
    r_prime_per_n = ln2 / ln_inv_delta  # R'_delta / N
    tau_d = float(decoherence_time(moments=p.w**2 / 3.0, theta=math.pi / 2))

    def lines(wt: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        t = np.asarray(wt, dtype=float) / p.w
        xi = np.asarray(random_band_chernoff(p.w, t), dtype=float)
        solid = xi / ln2
        dashed = np.asarray(redundancy_expansion(1, np.exp(-xi), p.delta, p.p), dtype=float) / r_prime_per_n
        green = np.asarray(gaussian_redundancy(t, tau_d, p.delta), dtype=float) / r_prime_per_n
        return solid, dashed, green

    wt = np.geomspace(p.wt_min, p.wt_max, p.n_lines)
    solid, dashed, green = lines(wt)
    ref_wt = np.array(sorted(REFERENCE))
    rs, rd, rg = lines(ref_wt)
    reference = {float(x): (float(a), float(b), float(c)) for x, a, b, c in zip(ref_wt, rs, rd, rg)}

    total = p.n_points + p.n_inset
    wt_points = np.geomspace(max(p.wt_min, 0.1), p.wt_max, p.n_points)
    f_cont = np.empty_like(wt_points)
    for i, x in enumerate(wt_points):
        res = annealed_redundancy(_moment_fn(p.w, x / p.w), p.p, p.delta)
        f_cont[i] = float(res[1])
        if progress and i % 10 == 0:
            progress(i + 1, total, "annealed N -> infinity")
    f_int = np.ceil(f_cont - 1e-9)
    annealed_cont = ln_inv_delta / (f_cont * ln2)
    annealed_int = ln_inv_delta / (f_int * ln2)
    dashed_points = lines(wt_points)[1]

    rng = np.random.default_rng(p.seed)
    n = p.inset_n_env
    g = rng.uniform(0.0, p.w, size=n)
    env = SpinEnvironment(a=1.0, theta=math.pi / 2, phi=0.0, g=g, omega=0.0, p=p.p)
    h = float(binary_entropy(p.p))
    inset_wt = np.linspace(p.inset_wt[0], p.inset_wt[1], p.n_inset)
    ex = np.empty_like(inset_wt)
    ex_c = np.empty_like(inset_wt)
    rule = np.empty_like(inset_wt)
    fc = np.empty_like(inset_wt)
    for i, x in enumerate(inset_wt):
        t = x / p.w
        xs = np.abs(decoherence_factors(env, t)) ** 2
        deficit = fragment_average_deficit(xs, p.p, method="series", tol=SERIES_TOL).deficit
        ex[i], ex_c[i] = redundancy_from_curve(deficit, p.delta, h, n)
        overlaps = spin_overlap(1.0, math.pi / 2, 0.0, g, 0.0, t)
        rule[i], fc[i] = discretised_redundancy(n, overlaps, p.delta)
        if progress and i % 20 == 0:
            progress(p.n_points + i + 1, total, f"N = {n} inset")
    return Fig5Result(
        params=p, wt=wt, solid=solid, dashed=dashed, green=green, wt_points=wt_points, annealed_f=f_cont,
        annealed_int=annealed_int, annealed_cont=annealed_cont, dashed_points=dashed_points, reference=reference,
        inset_wt=inset_wt, inset_couplings=g, inset_exact=ex, inset_exact_cont=ex_c, inset_rule=rule, inset_fc=fc,
    )


def plot(result: Fig5Result) -> Any:
    """R* versus W t (log axis) with an inset for N = 32."""
    import matplotlib.pyplot as plt

    p = result.params
    fig, ax = plt.subplots(figsize=(7.4, 5.2))
    ax.plot(result.wt, result.solid, color="black", lw=1.5, label=r"QCB: $\xi_{QCB}/\ln 2$ (log of mean)")
    ax.plot(result.wt, result.dashed, color="tab:blue", ls="--", lw=1.4, label="small-$\\delta$ expansion")
    ax.plot(result.wt, result.green, color="tab:green", ls="--", lw=1.4, label=r"Gaussian regime $4W^2t^2/(3\ln 2)$")
    ax.plot(result.wt_points, result.annealed_cont, color="tab:red", lw=0.8, alpha=0.7,
            label=r"exact $N\to\infty$, continuous $F_\delta$")
    ax.plot(result.wt_points, result.annealed_int, "o", ms=3.5, color="tab:red", mfc="none",
            label=r"exact $N\to\infty$, integer $F_\delta$")
    ax.set_xscale("log", base=10)
    ax.set_xlim(p.wt_min, p.wt_max)
    ax.set_ylim(0.0, 3.3)
    ax.set_xlabel(r"$Wt$ (dimensionless)")
    ax.set_ylabel(r"relative redundancy $R^* = R_\delta/R'_\delta$")
    ax.set_title(rf"Random-band model ($g_k\sim U[0,W]$, pure spins, $\theta=\pi/2$, $\delta=10^{{{round(math.log10(p.delta))}}}$)",
                 fontsize=10)
    ax.axhline(1.0, color="gray", lw=0.6, ls=":")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7.5, loc="upper left")

    ins = ax.inset_axes((0.55, 0.6, 0.42, 0.36))
    n = p.inset_n_env
    for k in range(1, n + 2):
        ins.axhline(n / k, color="0.85", lw=0.5, zorder=0)
    ins.plot(result.inset_wt, result.inset_rule, color="black", lw=1.0, drawstyle="steps-mid",
             label=r"rule $N/\lceil F_c\rceil$")
    ins.plot(result.inset_wt, result.inset_exact, color="tab:red", lw=1.0, drawstyle="steps-mid",
             label=r"exact subset average, integer $F_\delta$")
    top = max(float(np.max(result.inset_rule)), float(np.max(result.inset_exact)), 1.0)
    ins.set_ylim(0.0, top * 1.45)
    ins.set_xlabel(r"$Wt$", fontsize=7)
    ins.set_title(rf"$N={n}$, one realisation: $R_\delta$ (fragments)", fontsize=7, pad=2)
    ins.tick_params(labelsize=6)
    ins.legend(fontsize=6, loc="upper right")
    return fig


def claims(result: Fig5Result) -> list[Claim]:
    """Fig. 5 reference values and the exact-vs-expansion agreement."""
    out: list[Claim] = []
    for x, expected in REFERENCE.items():
        computed = result.reference[float(x)]
        for name, e, c in zip(("solid", "dashed", "green"), expected, computed):
            out.append(claim_close(f"spins/fig5/{name}-Wt{x:g}", f"R* {name} curve at Wt = {x:g}", e, c, atol=1e-6,
                                   source=SOURCE))
    rel = np.abs(result.annealed_cont / result.dashed_points - 1)
    out.append(claim_true("spins/fig5/continuous-F-on-dashed", "exact annealed R* (continuous F) vs dashed expansion",
                          "within 0.1% at every point", bool(np.all(rel <= 1e-3)), float(rel.max()),
                          criterion="max |R*_annealed / R*_dashed - 1| <= 1e-3", source=SOURCE))
    # integer F_delta of the plotted points, read back from R* = ln(1/delta) / (F ln 2), must be the
    # smallest integer fragment with annealed deficit <D>(F) <= delta H2(p) (checked on the deficit itself)
    from ...info import binary_entropy
    from ...spins.averaging import annealed_deficit

    p = result.params
    f_int = -math.log(p.delta) / (result.annealed_int * math.log(2.0))
    target = p.delta * float(binary_entropy(p.p))
    idx = np.unique(np.linspace(0, f_int.size - 1, min(12, f_int.size)).round().astype(int))
    worst = 0.0
    ok_f = bool(np.all(np.abs(f_int - np.round(f_int)) < 1e-6))
    for i in idx:
        fi = float(np.round(f_int[i]))
        # 512 moments: the series terms fall like mu_k^F with F >= 20 here (identical to 4096 moments)
        mu = band_moments(p.w, result.wt_points[i] / p.w, np.arange(1, 513))
        d_at, d_below = annealed_deficit(mu, p.p, np.array([fi, fi - 1.0]))
        ok_f &= bool(d_at <= target < d_below)
        worst = max(worst, float(d_at) / target)
    out.append(claim_true("spins/fig5/integer-F", "integer F_delta of the plotted points is the smallest F with annealed "
                          f"<D>(F) <= delta H2(p) ({idx.size} of {f_int.size} points)",
                          "<D>(F) <= delta H2 < <D>(F - 1)", ok_f, f"max <D>(F)/(delta H2) = {worst:.3g}",
                          criterion="F = ln(1/delta)/(R* ln 2) is an integer and <D>(F) <= delta H2(p) < <D>(F - 1)",
                          source=SOURCE))
    n = p.inset_n_env
    rule = result.inset_rule
    nz = rule > 0
    k_rule = np.ceil(result.inset_fc[nz] - 1e-9)
    steps_ok = bool(np.allclose(rule[nz], n / k_rule, rtol=1e-12, atol=0)) and bool(np.all(k_rule >= 1))
    steps_ok &= bool(np.all(~np.isfinite(result.inset_fc[~nz]) | (np.ceil(result.inset_fc[~nz] - 1e-9) > n)))
    ks = sorted({int(v) for v in k_rule})
    shown = ", ".join(f"{n}/{k}" for k in ks[:3]) + (f", ..., {n}/{ks[-1]}" if len(ks) > 3 else "")
    out.append(claim_true("spins/fig5/inset-steps", f"N = {n} discretised rule R = N / ceil(F_c) at every inset time "
                          f"(Wt in [{p.inset_wt[0]:g}, {p.inset_wt[1]:g}] reaches only the low steps)",
                          "R = N/k with k = ceil(F_c) (steps 32, 16, 10.67, 8 need F_c <= 4)", steps_ok,
                          f"levels {shown}",
                          criterion="R == N / ceil(F_c) (rtol 1e-12) where R > 0; R = 0 only where ceil(F_c) > N",
                          source=SOURCE))
    above = bool(np.all(result.inset_exact >= rule - 1e-12))
    out.append(claim_true("spins/fig5/inset-exact-above-rule", f"N = {n}: exact subset-averaged R >= discretised QCB rule",
                          "at every time (Maclaurin)", above,
                          float(np.min(result.inset_exact - rule)),
                          criterion="min over t of R_exact - R_rule >= -1e-12",
                          source=cite("spins", page="theory-spins.md#facts-checked-numerically")))
    return out


RECIPE = FigureRecipe(
    name="fig5_random_band",
    pillar="spins",
    title="Fig. 5: random-band model",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig5Params", "Fig5Result", "band_moments", "compute", "params", "plot", "claims"]
