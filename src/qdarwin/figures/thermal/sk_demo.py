"""All-to-all (SK-like) environment demonstration (Cao & Nussinov, arXiv:2603.15743, Eq. (16); docs/theory-thermal.md).

H_SK = N^(-1/2) sum_{i<j} sum_ab J_ij^ab s_i^a s_j^b with i.i.d. standard normal couplings
(seed 0). Shown: the extensive normalisation (ground-state energy density), the spectral scale
of fraction Hamiltonians, equal coherent-state energies for antipodal uniform broadcasting
(global spin-flip symmetry) with their O(N^-1/2) disorder spread, and the resulting encoding:
late I(S:F_m) stays near 0 for m < N/2, unlike the chaotic Ising ring with the same broadcast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true
from ._common import LATE_WINDOW, THEORY, claim_quoted_range, mi_curves

SOURCE = cite("thermal", "Eq. (16)", f"{THEORY}#all-to-all-environment")


@dataclass(frozen=True)
class SKParams:
    n_sites: int = 12
    seed: int = 0
    gs_sizes: tuple[int, ...] = (6, 8, 10, 12)
    scale_n: int = 12
    scale_m: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10)
    n_disorder: int = 200
    window: tuple[float, ...] = LATE_WINDOW


@dataclass(frozen=True)
class SKResult:
    params: SKParams
    gs_density: NDArray[np.float64]  #: (len(gs_sizes),) E_0 / N
    scale_ratio: NDArray[np.float64]  #: (len(scale_m),) E_0(H_F) / [m (m/N)^(1/2)]
    branch_energies: NDArray[np.float64]  #: (2,) energy densities of the +-x broadcast (seed)
    disorder_std: float  #: std over seeds of the coherent-state energy density
    disorder_expected: float  #: sqrt(N(N-1)/2) / N^(3/2)
    late_sk: NDArray[np.float64]  #: (N + 1,) late I(S:F_m), F = [0, m)
    late_ising: NDArray[np.float64]  #: (N + 1,) same broadcast on the chaotic Ising ring


def params(full: bool) -> SKParams:
    """Quick: dynamics at N = 10; full: N = 12."""
    return (
        SKParams()
        if full
        else SKParams(n_sites=10, gs_sizes=(6, 8, 10), n_disorder=100, window=(20.0, 30.0, 40.0))
    )


def _ground_energy(h: Any) -> float:
    """Lowest eigenvalue: dense (lowest eigenvalue only) up to 1024, Lanczos (eigsh) above."""
    from scipy.linalg import eigh
    from scipy.sparse.linalg import eigsh

    from ..._threads import blas_threads

    if h.shape[0] <= 1024:
        dense = h.toarray() if hasattr(h, "toarray") else np.asarray(h)
        with blas_threads():
            return float(eigh(dense, eigvals_only=True, subset_by_index=[0, 0])[0])
    return float(eigsh(h, k=1, which="SA", tol=1e-10)[0][0])


def compute(p: SKParams, progress: Progress = None) -> SKResult:
    from ...thermal.energy import energy_densities
    from ...thermal.models import ChaoticIsing, SKEnvironment, redundant

    total = 2 * len(p.window) + 3
    gs = []
    for n in p.gs_sizes:
        h = SKEnvironment(n, seed=p.seed).to_sparse()
        gs.append(_ground_energy(h) / n)
    if progress is not None:
        progress(1, total, "ground states")
    env_scale = SKEnvironment(p.scale_n, seed=p.seed)
    ratios = [
        _ground_energy(env_scale.fraction_hamiltonian(list(range(m))))
        / (m * math.sqrt(m / p.scale_n))
        for m in p.scale_m
    ]
    if progress is not None:
        progress(2, total, "fraction Hamiltonians")
    setup = redundant()  # uniform broadcast about +-y: Bloch vectors +-x (antipodal)
    n = p.n_sites
    env = SKEnvironment(n, seed=p.seed)
    e_branch = energy_densities(env, setup)
    samples = [energy_densities(SKEnvironment(n, seed=s), setup)[0] for s in range(p.n_disorder)]
    if progress is not None:
        progress(3, total, "coherent-state energies")
    # full-space Chebyshev (matrix-free): no translation symmetry in H_SK
    late_sk = mi_curves(env, setup, p.window, progress, "SK", offset=3, total=total).mean(axis=0)
    late_ising = mi_curves(
        ChaoticIsing(n), setup, p.window, progress, "Ising", offset=3 + len(p.window), total=total
    ).mean(axis=0)
    return SKResult(
        p,
        np.array(gs),
        np.array(ratios),
        e_branch,
        float(np.std(samples)),
        math.sqrt(n * (n - 1) / 2) / n**1.5,
        late_sk,
        late_ising,
    )


def plot(result: SKResult) -> Any:
    import matplotlib.pyplot as plt

    p = result.params
    n = p.n_sites
    m = np.arange(n + 1)
    fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(15, 4.2))
    ax.plot(m, result.late_sk, "o-", label=f"SK (seed {p.seed}), branches $\\pm\\hat x$, $e_0=e_1$")
    ax.plot(m, result.late_ising, "s--", label="chaotic Ising ring, same broadcast ($e=\\pm h_x$)")
    ax.axhline(1.0, color="gray", ls="--", lw=1, label="H(p) = 1 bit")
    ax.axvline(n / 2, color="gray", ls=":", lw=1, label="m = N/2")
    ax.set_xlabel("fraction size $m$ (sites [0, m))")
    ax.set_ylabel(r"late $I(S:F_m)$ [bits], $t\in[20,40]$ (1/J)")
    ax.set_title(f"(a) uniform broadcasting into H_SK encodes, N = {n}", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    # quoted ranges are given to one decimal: the bands include half a unit of that digit
    bx.axhspan(-1.75, -1.45, color="gray", alpha=0.15, label="quoted range -1.7 ... -1.5 (one decimal)")
    bx.plot(p.scale_m, result.scale_ratio, "o-", label=f"N = {p.scale_n}")
    bx.set_xlabel("fraction size m (sites)")
    bx.set_ylabel(r"$E_0(H_F)\,/\,[m\,(m/N)^{1/2}]$ (units of J)")
    bx.set_title("(b) fraction ground-state energy scale", fontsize=10)
    bx.legend(fontsize=8)
    bx.grid(alpha=0.3)
    cx.axhspan(-1.85, -1.35, color="gray", alpha=0.15, label="quoted range -1.8 ... -1.4 (one decimal)")
    cx.plot(p.gs_sizes, result.gs_density, "s-", color="C1", label=f"seed {p.seed}")
    cx.set_xlabel("environment size N (sites)")
    cx.set_ylabel(r"$E_0(H_{SK})/N$ (J per site)")
    cx.set_title("(c) extensive normalisation: ground-state energy density", fontsize=10)
    cx.legend(fontsize=8)
    cx.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def claims(result: SKResult) -> list[Claim]:
    p = result.params
    n = p.n_sites
    out = [
        claim_quoted_range(
            f"thermal/sk/gs-N{size}",
            f"ground-state energy density E_0/N, N = {size}, seed {p.seed}",
            -1.8,
            -1.4,
            float(e),
            decimals=1,
            source=SOURCE,
        )
        for size, e in zip(p.gs_sizes, result.gs_density)
    ]
    out.append(
        claim_quoted_range(
            "thermal/sk/fraction-scale-min",
            f"min_m E_0(H_F)/[m (m/N)^(1/2)], N = {p.scale_n}",
            -1.7,
            -1.5,
            float(result.scale_ratio.min()),
            decimals=1,
            source=SOURCE,
        )
    )
    out.append(
        claim_quoted_range(
            "thermal/sk/fraction-scale-max",
            f"max_m E_0(H_F)/[m (m/N)^(1/2)], N = {p.scale_n}",
            -1.7,
            -1.5,
            float(result.scale_ratio.max()),
            decimals=1,
            source=SOURCE,
        )
    )
    out.append(
        claim_close(
            "thermal/sk/equal-energies",
            "e_0 - e_1 for antipodal uniform branches (spin-flip symmetry)",
            0.0,
            float(result.branch_energies[0] - result.branch_energies[1]),
            atol=1e-12,
            source=SOURCE,
        )
    )
    out.append(
        claim_close(
            "thermal/sk/disorder-std",
            f"disorder std of coherent-state energy density, N = {n}",
            result.disorder_expected,
            result.disorder_std,
            rtol=0.15,
            source=SOURCE,
        )
    )
    below = slice(1, (n + 1) // 2 - 1)
    out.append(
        claim_true(
            "thermal/sk/encoding",
            "SK: late I(S:F_m) << Ising-ring value for 1 <= m < N/2 - 1",
            "I_SK < I_Ising / 2.5",
            bool(np.all(result.late_sk[below] < result.late_ising[below] / 2.5)),
            computed=[round(float(x), 4) for x in result.late_sk[below]],
            criterion="I_SK(m) < I_Ising(m) / 2.5 for every 1 <= m < N/2 - 1",
            source=SOURCE,
        )
    )
    return out


RECIPE = FigureRecipe(
    name="sk_demo",
    pillar="thermal",
    title="All-to-all (SK) environment: normalisation, fraction scale, encoding for uniform broadcasting",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "SKParams", "SKResult", "claims", "compute", "params", "plot"]
