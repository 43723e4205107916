"""Fig. 2 of Oi & Schirmer, reconstructed: lambda_min(rho(t)) of the dephased cluster state (docs/theory-dephasing.md#errata).

Equal local rates Gamma, non-local rates Gamma14 = Gamma23 = mu Gamma, H = 0, no shifts. The
closed-form evolution is applied even for mu > 2, where no generator exists: rho(t) then turns
negative right after t = 0. The Bell state (the caption's state) never does (erratum 10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq, minimize_scalar

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true

SOURCE = cite("dephasing", "Fig. 2")


@dataclass(frozen=True)
class Fig2Params:
    mus: tuple[float, ...] = (1.0, 2.0, 2.5, 3.0, 4.0)
    t_max: float = 3.0
    n_t: int = 301


@dataclass(frozen=True)
class Fig2Result:
    params: Fig2Params
    gamma_t: NDArray[np.float64]
    lam_min: NDArray[np.float64]  #: (n_mu, n_t) from eigvalsh of the evolved cluster state
    lam_closed: NDArray[np.float64]  #: (n_mu, n_t) closed form fig2_min_eigenvalue
    bell_min: float  #: smallest eigenvalue of the evolved Bell state over the grid (mu = 3)
    crossing_mu3: float
    min_t_mu3: float
    min_val_mu3: float
    s9: float


def params(full: bool) -> Fig2Params:
    return Fig2Params(n_t=1201) if full else Fig2Params()


def _lam_evolved(mu: float, x: Any) -> NDArray[np.float64]:
    from ...dephasing import cluster_state, evolve, two_qubit_rates

    rho = evolve(cluster_state(), np.atleast_1d(np.asarray(x, dtype=float)), two_qubit_rates(1.0, mu, mu))
    return np.asarray(np.linalg.eigvalsh(rho)[..., 0], dtype=np.float64)


def compute(p: Fig2Params, progress: Progress = None) -> Fig2Result:
    from ...dephasing import evolve, fig2_min_eigenvalue, two_qubit_rates

    x = np.linspace(0.0, p.t_max, p.n_t)
    lam = np.stack([_lam_evolved(mu, x) for mu in p.mus])
    closed = np.stack([np.asarray(fig2_min_eigenvalue(mu, x)) for mu in p.mus])
    bell = np.outer([1, 0, 0, 1], [1, 0, 0, 1]).astype(complex) / 2
    bell_min = float(np.linalg.eigvalsh(evolve(bell, x, two_qubit_rates(1.0, 3.0, 3.0)))[:, 0].min())
    def f(t: float) -> float:
        return float(_lam_evolved(3.0, t)[0])

    crossing = brentq(f, 0.3, 1.0, xtol=1e-14)
    opt = minimize_scalar(f, bounds=(0.05, 0.45), method="bounded", options={"xatol": 1e-10})
    if progress:
        progress(1, 1, "done")
    return Fig2Result(p, x, lam, closed, bell_min, float(crossing), float(opt.x), float(opt.fun), f(0.2))


def plot(result: Fig2Result) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for mu, lam in zip(result.params.mus, result.lam_min):
        ax.plot(result.gamma_t, lam, lw=1.6, label=f"$\\mu = {mu:g}$" + (" (no generator)" if mu > 2 else ""))
    ax.axhline(0.0, color="k", lw=0.8)
    ax.plot([result.min_t_mu3], [result.min_val_mu3], "ko", ms=4)
    ax.annotate(f"min {result.min_val_mu3:.5f}\nat $\\Gamma t$ = {result.min_t_mu3:.4f}", (result.min_t_mu3, result.min_val_mu3),
                xytext=(0.6, -0.06), fontsize=8, arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax.plot([result.crossing_mu3], [0.0], "ks", ms=4)
    ax.annotate(f"$\\mu=3$ crosses 0 at $\\Gamma t$ = {result.crossing_mu3:.6f}", (result.crossing_mu3, 0.0), xytext=(1.0, 0.04),
                fontsize=8, arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax.set_xlabel("$\\Gamma t$")
    ax.set_ylabel("$\\lambda_{\\min}(\\rho(t))$")
    ax.set_ylim(-0.1, 0.26)
    ax.set_title("Fig. 2: cluster state with $\\Gamma_{14}=\\Gamma_{23}=\\mu\\Gamma$; negative for $\\mu > 2$", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def claims(result: Fig2Result) -> list[Claim]:
    mus = list(result.params.mus)
    neg = {mu: bool(np.any(lam < -1e-15)) for mu, lam in zip(mus, result.lam_min)}
    return [
        claim_close("dephasing/fig2/crossing-mu3", "mu = 3: zero crossing Gamma t (ln golden ratio)", 0.481212,
                    result.crossing_mu3, atol=5e-7, source=SOURCE),
        claim_close("dephasing/fig2/crossing-exact", "mu = 3 crossing vs ln((1+sqrt 5)/2)", math.log((1 + math.sqrt(5)) / 2),
                    result.crossing_mu3, atol=1e-10, source=SOURCE),
        claim_close("dephasing/fig2/min-mu3", "mu = 3: minimum of lambda_min", -0.0221655, result.min_val_mu3, atol=5e-8, source=SOURCE),
        claim_close("dephasing/fig2/argmin-mu3", "mu = 3: Gamma t of the minimum (ln sqrt(3/2))", 0.202733, result.min_t_mu3,
                    atol=5e-6, source=SOURCE),
        claim_close("dephasing/fig2/S9", "S9: lambda_min at mu = 3, Gamma t = 0.2", -0.0221624675155, result.s9, atol=1e-9,
                    source=cite("dephasing", page="theory-dephasing.md#reference-values")),
        claim_close("dephasing/fig2/closed-form", "closed form vs eigvalsh of evolved state (max abs diff)", 0.0,
                    float(np.abs(result.lam_min - result.lam_closed).max()), atol=1e-12, source=SOURCE),
        claim_true("dephasing/fig2/negative-iff-mu-gt-2", "lambda_min < 0 somewhere iff mu > 2", "mu in {2.5, 3, 4} only",
                   all(neg[mu] == (mu > 2) for mu in mus), str(sorted(mu for mu in mus if neg[mu])),
                   criterion="min_t lambda_min < 0 exactly for the mu > 2", source=SOURCE),
        claim_true("dephasing/fig2/erratum10-bell", "erratum 10: the Bell state never goes negative (mu = 3)", "min >= 0",
                   result.bell_min >= -1e-15, result.bell_min, criterion="min_t lambda_min(Bell) >= -1e-15",
                   source=cite("dephasing", "Fig. 2 caption", "theory-dephasing.md#errata")),
    ]


RECIPE = FigureRecipe(
    name="fig2_negativity",
    pillar="dephasing",
    title="Fig. 2: negativity of rho(t) for non-local rates above the speed limit",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig2Params", "Fig2Result", "compute", "params", "plot", "claims"]
