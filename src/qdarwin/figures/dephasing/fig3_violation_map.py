"""Fig. 3 of Oi & Schirmer, reconstructed: three-qubit violation map (docs/theory-dephasing.md).

Rates (Gamma = 1): coherences differing in one bit decay at 1, in two bits at mu_1, in three bits
at mu_2 (the paper's names, used throughout qdarwin; ``hamming_rates(3, [1, mu1, mu2])``). Each
point is coloured by the paper's number of the first violated constraint (margin rule), 0 if
allowed. The allowed set is the triangle (0, 1), (1, 0), (2, 3) of area 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true

SOURCE = cite("dephasing", "Fig. 3")
REGRESSION = {0: 400, 4: 400, 5: 788, 6: 345, 7: 35, 8: 32}


@dataclass(frozen=True)
class Fig3Params:
    n_mu1: int = 250  #: plot grid over mu1 in (0, 2.5)
    n_mu2: int = 200  #: plot grid over mu2 in (0, 4)


@dataclass(frozen=True)
class Fig3Result:
    params: Fig3Params
    mu1: NDArray[np.float64]
    mu2: NDArray[np.float64]
    vmap: NDArray[np.int64]  #: plot-grid map
    reg_counts: dict[int, int]  #: counts on the 50 x 40 regression grid
    reg_area: float  #: allowed cells x cell area on the regression grid
    triangle_area: float  #: shoelace area of the vertices where two weight eigenvalues vanish
    vertices: NDArray[np.float64]
    triangle_mismatch: int  #: plot-grid cells where (map == 0) differs from the three inequalities


def params(full: bool) -> Fig3Params:
    return Fig3Params(n_mu1=500, n_mu2=400) if full else Fig3Params()


def _vertices() -> NDArray[np.float64]:
    """Intersections of the lines e_w = 0 (w = 1, 2, 3), from hamming_eigenvalues (linear in mu)."""
    from ...dephasing import hamming_eigenvalues

    def coeffs(w: int) -> tuple[float, float, float]:
        e0 = hamming_eigenvalues(3, [1.0, 0.0, 0.0])[w]
        e1 = hamming_eigenvalues(3, [1.0, 1.0, 0.0])[w] - e0
        e2 = hamming_eigenvalues(3, [1.0, 0.0, 1.0])[w] - e0
        return e1, e2, e0

    lines = [coeffs(w) for w in range(3)]
    out = []
    for i in range(3):
        for j in range(i + 1, 3):
            a = np.array([lines[i][:2], lines[j][:2]])
            b = -np.array([lines[i][2], lines[j][2]])
            out.append(np.linalg.solve(a, b))
    return np.array(out)


def compute(p: Fig3Params, progress: Progress = None) -> Fig3Result:
    from ...dephasing import violation_map

    mu1 = np.asarray((np.arange(p.n_mu1) + 0.5) * (2.5 / p.n_mu1), dtype=np.float64)
    mu2 = np.asarray((np.arange(p.n_mu2) + 0.5) * (4.0 / p.n_mu2), dtype=np.float64)
    vmap = violation_map(mu1, mu2)
    if progress:
        progress(1, 2, "plot grid")
    r1 = (np.arange(50) + 0.5) * 0.05
    r2 = (np.arange(40) + 0.5) * 0.1
    reg = violation_map(r1, r2)
    vals, counts = np.unique(reg, return_counts=True)
    verts = _vertices()
    x, y = verts[:, 0], verts[:, 1]
    area = 0.5 * abs(float(x[0] * (y[1] - y[2]) + x[1] * (y[2] - y[0]) + x[2] * (y[0] - y[1])))
    a, b = mu1[:, None], mu2[None, :]
    inside = (a + b >= 1) & (b <= 1 + a) & (b >= 3 * a - 3)
    if progress:
        progress(2, 2, "regression grid")
    return Fig3Result(
        p, mu1, mu2, vmap, dict(zip(vals.tolist(), counts.tolist())), float(np.sum(reg == 0) * 0.05 * 0.1), area, verts,
        int(np.sum((vmap == 0) != inside)),
    )


def plot(result: Fig3Result) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    labels = [0, 2, 3, 4, 5, 6, 7, 8]
    colors = ["#ffffff", "#d9d9d9", "#bdbdbd", "#6baed6", "#fdae6b", "#e6550d", "#31a354", "#756bb1"]
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(-0.5, 9.5, 1.0)[[0, 2, 3, 4, 5, 6, 7, 8, 9]], cmap.N)
    fig, ax = plt.subplots(figsize=(7, 5.5))
    ax.pcolormesh(result.mu1, result.mu2, result.vmap.T, cmap=cmap, norm=norm, shading="nearest")
    order = np.argsort(np.arctan2(result.vertices[:, 1] - result.vertices[:, 1].mean(), result.vertices[:, 0] - result.vertices[:, 0].mean()))
    tri = np.vstack([result.vertices[order], result.vertices[order][:1]])
    ax.plot(tri[:, 0], tri[:, 1], "k-", lw=1.5, label=f"allowed triangle (area {result.triangle_area:g})")
    m1, m2 = np.meshgrid(result.mu1, result.mu2, indexing="ij")
    p5 = 7 * m1**3 - 2 * m1**2 * m2 - 10 * m1**2 - m1 * m2**2 + 2 * m1 * m2 - m1 + 4 * m2**2 - 8 * m2 + 4
    ax.contour(m1, m2, p5, levels=[0.0], colors="k", linestyles="dashed", linewidths=0.9)
    ax.plot([], [], "k--", lw=0.9, label="$P_5 = 0$ (constraint 5 boundary)")
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="k", label=("allowed" if v == 0 else f"constraint {v} fails first"))
               for v, c in zip(labels, colors) if v == 0 or v >= 4]
    h2, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + h2, fontsize=8, loc="upper left")
    ax.set_xlabel("$\\mu_1$ (two-qubit transitions, rate $\\mu_1\\Gamma$)")
    ax.set_ylabel("$\\mu_2$ (three-qubit transition, rate $\\mu_2\\Gamma$)")
    ax.set_xlim(0, 2.5)
    ax.set_ylim(0, 4)
    ax.set_title("Fig. 3: first violated constraint, three qubits (paper numbering)", fontsize=10)
    fig.tight_layout()
    return fig


def claims(result: Fig3Result) -> list[Claim]:
    out = [
        claim_true("dephasing/fig3/regression-counts", "50 x 40 cell-centre counts per first violated constraint",
                   str(REGRESSION), result.reg_counts == REGRESSION, str(result.reg_counts),
                   criterion="counts equal, constraint by constraint", source=SOURCE),
        claim_close("dephasing/fig3/triangle-area", "area of the allowed triangle (vertices from e_w = 0)", 2.0,
                    result.triangle_area, atol=1e-12, source=SOURCE),
        claim_close("dephasing/fig3/grid-area", "allowed cells x cell area on the 50 x 40 grid", 2.0, result.reg_area,
                    atol=0.05, source=SOURCE),
        claim_close("dephasing/fig3/triangle-vs-map", "plot-grid cells where the map's allowed set differs from the triangle",
                    0, result.triangle_mismatch, atol=0, source=SOURCE),
    ]
    verts = sorted(tuple(round(float(v), 12) for v in row) for row in result.vertices)
    out.append(claim_true("dephasing/fig3/vertices", "triangle vertices (mu1, mu2)", "[(0, 1), (1, 0), (2, 3)]",
                          verts == [(0.0, 1.0), (1.0, 0.0), (2.0, 3.0)], str(verts),
                          criterion="computed vertices equal the expected ones", source=SOURCE))
    return out


RECIPE = FigureRecipe(
    name="fig3_violation_map",
    pillar="dephasing",
    title="Fig. 3: three-qubit violation map",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig3Params", "Fig3Result", "compute", "params", "plot", "claims"]
