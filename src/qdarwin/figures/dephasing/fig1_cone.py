"""Fig. 1 of Oi & Schirmer: the allowed N = 3 rates form a circular cone (docs/theory-dephasing.md#the-three-level-cone).

In the coordinates x = (G01 + G12 + G02)/sqrt 3, y = (G02 - G12)/sqrt 2,
z = (2 G01 - G02 - G12)/sqrt 6 the allowed set is y^2 + z^2 <= x^2 / 2, x >= 0 (half-angle
arctan(1/sqrt 2) = 35.26 deg). Its surface (det G = 0) is the set of rates of a single real
operator diag(0, p, q). The paper's z axis with 1/sqrt 2 instead of 1/2 is a typo (erratum 7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, cite, claim_close, claim_true

SOURCE = cite("dephasing", "Fig. 1")

#: Rows map (G01, G12, G02) to the orthonormal cone coordinates (x, y, z).
COORDS = np.array(
    [
        [1 / math.sqrt(3), 1 / math.sqrt(3), 1 / math.sqrt(3)],
        [0.0, -1 / math.sqrt(2), 1 / math.sqrt(2)],
        [2 / math.sqrt(6), -1 / math.sqrt(6), -1 / math.sqrt(6)],
    ]
)


@dataclass(frozen=True)
class Fig1Params:
    n_r: int = 25
    n_theta: int = 73
    r_max: float = 2.3
    n_samples: int = 20000
    seed: int = 2010


@dataclass(frozen=True)
class Fig1Result:
    params: Fig1Params
    surface: NDArray[np.float64]  #: (n_r, n_theta, 3) rates (G01, G12, G02) of single real operators
    surface_lambda_min: float  #: max |lambda_min(G)| / scale over the surface
    half_angles_deg: NDArray[np.float64]  #: cone half-angle seen from each surface point
    samples: NDArray[np.float64]  #: (n, 3) random rate triples
    physical: NDArray[np.bool_]  #: G >= 0 for each sample (batch constraint check)
    in_cone: NDArray[np.bool_]  #: y^2 + z^2 <= x^2/2 for each sample
    boundary: NDArray[np.bool_]  #: samples within 1e-9 of the cone surface (excluded from the comparison)


def params(full: bool) -> Fig1Params:
    return Fig1Params(n_r=40, n_theta=145, n_samples=200000) if full else Fig1Params()


def _rates3(g01: Any, g12: Any, g02: Any) -> NDArray[np.float64]:
    g01, g12, g02 = np.broadcast_arrays(np.asarray(g01, float), np.asarray(g12, float), np.asarray(g02, float))
    out = np.zeros(g01.shape + (3, 3))
    out[..., 0, 1] = out[..., 1, 0] = g01
    out[..., 1, 2] = out[..., 2, 1] = g12
    out[..., 0, 2] = out[..., 2, 0] = g02
    return out


def compute(p: Fig1Params, progress: Progress = None) -> Fig1Result:
    from ...dephasing import check_constraints_batch, gram_matrix, rates_from_operators

    r = np.linspace(0.0, p.r_max, p.n_r)
    th = np.linspace(0.0, 2 * math.pi, p.n_theta)
    surface = np.zeros((p.n_r, p.n_theta, 3))
    lam_max = 0.0
    angles = []
    for i, rr in enumerate(r):
        for j, tt in enumerate(th):
            g, _ = rates_from_operators([0.0, rr * math.cos(tt), rr * math.sin(tt)])
            surface[i, j] = (g[0, 1], g[1, 2], g[0, 2])
            if rr > 0:
                scale = float(g.max())
                lam_max = max(lam_max, abs(float(np.linalg.eigvalsh(gram_matrix(g))[0])) / scale)
                x, y, z = COORDS @ surface[i, j]
                angles.append(math.degrees(math.atan2(math.hypot(y, z), x)))
        if progress:
            progress(i + 1, p.n_r + 1, "surface")
    rng = np.random.default_rng(p.seed)
    samples = rng.uniform(0.0, 1.0, (p.n_samples, 3))
    rep = check_constraints_batch(_rates3(samples[:, 0], samples[:, 1], samples[:, 2]))
    xyz = samples @ COORDS.T
    lhs = xyz[:, 1] ** 2 + xyz[:, 2] ** 2
    rhs = xyz[:, 0] ** 2 / 2
    if progress:
        progress(p.n_r + 1, p.n_r + 1, "samples")
    return Fig1Result(
        p, surface, lam_max, np.array(angles), samples, rep.physical, lhs <= rhs, np.abs(lhs - rhs) < 1e-9
    )


def cut_surface(result: Fig1Result, x_cut: float) -> NDArray[np.float64]:
    """The single-operator surface cut at the plane ``x = x_cut`` with a clean circular rim.

    Rates are homogeneous of degree 2 in the operator, ``g(r, theta) = r^2 g(1, theta)``, so each
    ray is rescaled to end exactly on the cut plane (no ragged edge of masked grid cells).
    """
    s = result.surface
    g1 = s[-1] / max(result.params.r_max, 1e-300) ** 2  # rates at r = 1 along each ray
    ray = x_cut / np.maximum(g1 @ COORDS[0], 1e-300)
    frac = np.linspace(0.0, 1.0, s.shape[0])[:, None, None]
    return np.asarray(frac * (ray[:, None] * g1)[None, :, :], dtype=np.float64)


def plot(result: Fig1Result) -> Any:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(11, 5))
    ax = fig.add_subplot(1, 2, 1, projection="3d")
    from matplotlib import cm
    from matplotlib.colors import Normalize

    lim = 1.2
    x_cut = lim * math.sqrt(3)
    sc = cut_surface(result, x_cut)
    xcoord = sc @ COORDS[0]
    ax.plot_surface(sc[..., 0], sc[..., 1], sc[..., 2], facecolors=cm.viridis(Normalize(0, x_cut)(xcoord)),
                    alpha=0.8, linewidth=0.2, edgecolor=(0, 0, 0, 0.25), shade=False)
    # the axis inside the cone is hidden by the surface: draw (and label) its part beyond the cut
    axis = np.linspace(lim, 2 * lim, 2)
    ax.plot(axis, axis, axis, color="crimson", lw=1.5, label="cone axis $\\Gamma_{01}=\\Gamma_{12}=\\Gamma_{02}$ (beyond the cut)")
    ax.set_xlim(0, 2 * lim)
    ax.set_ylim(0, 2 * lim)
    ax.set_zlim(0, 2 * lim)
    ax.set_xlabel("$\\Gamma_{01}$")
    ax.set_ylabel("$\\Gamma_{12}$")
    ax.set_zlabel("$\\Gamma_{02}$")
    ax.set_title("(a) surface det G = 0: single real operator diag(0, p, q)", fontsize=9)
    ax.legend(loc="upper left", fontsize=8)
    ax.view_init(elev=12, azim=-45)
    ax2 = fig.add_subplot(1, 2, 2)
    xyz = result.samples[:3000] @ COORDS.T
    ok = result.physical[:3000]
    ax2.scatter(xyz[ok, 1] / xyz[ok, 0], xyz[ok, 2] / xyz[ok, 0], s=3, c="tab:green", label="physical (G ⪰ 0)")
    ax2.scatter(xyz[~ok, 1] / xyz[~ok, 0], xyz[~ok, 2] / xyz[~ok, 0], s=3, c="tab:red", alpha=0.4, label="unphysical")
    t = np.linspace(0, 2 * math.pi, 200)
    ax2.plot(np.cos(t) / math.sqrt(2), np.sin(t) / math.sqrt(2), "k-", lw=1.5, label="cone: $y^2+z^2 = x^2/2$")
    ax2.set_aspect("equal")
    ax2.set_xlabel("$y/x$")
    ax2.set_ylabel("$z/x$")
    ax2.set_title("(b) random rates in the cross-section x = 1 (half-angle 35.26°)", fontsize=9)
    ax2.legend(fontsize=8, loc="upper right")
    fig.suptitle("Fig. 1: allowed three-level dephasing rates form a circular cone (no shifts)")
    fig.tight_layout()
    return fig


def claims(result: Fig1Result) -> list[Claim]:
    mask = ~result.boundary
    disagree = int(np.sum(result.physical[mask] != result.in_cone[mask]))
    # erratum 7: the surface points computed above form a circular cone in the corrected coordinates
    # (z axis with 1/2) but not with the paper's z axis (1/sqrt 2)
    paper = COORDS.copy()
    paper[2] = [math.sqrt(2 / 3), -math.sqrt(2 / 3) / math.sqrt(2), -math.sqrt(2 / 3) / math.sqrt(2)]
    pts = result.surface.reshape(-1, 3)
    pts = pts[np.linalg.norm(pts, axis=1) > 0]

    def spread(axes: NDArray[np.float64]) -> float:
        x, y, z = (pts @ axes.T).T
        return float(np.ptp(np.degrees(np.arctan2(np.hypot(y, z), x))))

    s_fixed, s_paper = spread(COORDS), spread(paper)
    return [
        claim_close("dephasing/fig1/half-angle", "cone half-angle from the single-operator surface (max, deg)", 35.26,
                    float(result.half_angles_deg.max()), atol=0.005, source=SOURCE),
        claim_close("dephasing/fig1/half-angle-exact", "half-angle spread over the surface (deg); arctan(1/sqrt 2) everywhere",
                    0.0, float(np.ptp(result.half_angles_deg - math.degrees(math.atan(1 / math.sqrt(2))))), atol=1e-9, source=SOURCE),
        claim_close("dephasing/fig1/surface-detG", "single real operators lie on det G = 0: max |lambda_min(G)|/scale",
                    0.0, result.surface_lambda_min, atol=1e-12, source=SOURCE),
        claim_close("dephasing/fig1/cone-vs-psd", f"cone condition vs G ⪰ 0 on {result.samples.shape[0]} random samples: disagreements",
                    0, disagree, atol=0, source=SOURCE),
        claim_true("dephasing/fig1/both-classes", "samples contain physical and unphysical points", "both > 0",
                   bool(result.physical.any() and (~result.physical).any()), f"{int(result.physical.sum())} physical",
                   criterion="count(physical) > 0 and count(unphysical) > 0", source=SOURCE),
        claim_true("dephasing/fig1/erratum7", "erratum 7: half-angle spread over the surface, corrected z axis vs the paper's (deg)",
                   "0 with 1/2; > 1 deg with the paper's 1/sqrt 2", s_fixed < 1e-9 and s_paper > 1.0,
                   f"{s_fixed:.2g} vs {s_paper:.3g}", criterion="spread(corrected) < 1e-9 deg and spread(paper) > 1 deg",
                   source=cite("dephasing", "Fig. 1 caption", "theory-dephasing.md#errata")),
    ]


RECIPE = FigureRecipe(
    name="fig1_cone",
    pillar="dephasing",
    title="Fig. 1: three-level dephasing rates form a circular cone",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig1Params", "Fig1Result", "compute", "params", "plot", "claims"]
