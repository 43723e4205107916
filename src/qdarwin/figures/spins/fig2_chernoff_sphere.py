"""Fig. 2 of Zwolak, Riedel & Zurek (2016): Chernoff information on the Bloch sphere.

For every initial direction n(theta, phi) of one environment spin the surface of points
xi(theta, phi) n(theta, phi) is drawn, with xi the single-spin quantum Chernoff information
(nats) after time t = 15 pi / 64 with coupling g = 1/2 (spec spin-environments.md §2.4-§2.5, §8).
Panels: (a) omega = 0, a = 1; (b) omega = 0, a = 11/16; (c) omega = pi/2, a = 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, claim_close, claim_true

SOURCE = "spin-environments.md §8 Fig. 2"


@dataclass(frozen=True)
class Fig2Params:
    """Parameters of Fig. 2 (defaults are the published values)."""

    g: float = 0.5
    t: float = 15 * math.pi / 64
    panels: tuple[tuple[str, float, float], ...] = (
        ("(a) $\\omega=0$, $a=1$", 0.0, 1.0),
        ("(b) $\\omega=0$, $a=11/16$", 0.0, 11 / 16),
        ("(c) $\\omega=\\pi/2$, $a=1$", math.pi / 2, 1.0),
    )
    n_theta: int = 61
    n_phi: int = 121


@dataclass(frozen=True)
class Panel:
    """One computed panel: the xi grid and the checks derived from it."""

    label: str
    omega: float
    a: float
    theta: NDArray[np.float64]  #: (n_theta,) polar angles of the initial direction (rad)
    phi: NDArray[np.float64]  #: (n_phi,) azimuths (rad)
    xi: NDArray[np.float64]  #: (n_theta, n_phi) Chernoff information (nats)
    axis: NDArray[np.float64]  #: (3,) insensitive axis m(t)
    f: float  #: field factor f(t)
    lam: float  #: mixedness lambda(a)
    xi_axis: float  #: xi for n = +m (nats); 0 expected
    xi_anti_axis: float  #: xi for n = -m (nats); 0 expected
    xi_circle: NDArray[np.float64]  #: xi on the great circle perpendicular to m (nats)


@dataclass(frozen=True)
class Fig2Result:
    params: Fig2Params
    panels: tuple[Panel, ...]


def params(full: bool) -> Fig2Params:
    """Quick mode uses a coarser angular grid; ``full`` a publication grid."""
    return Fig2Params(n_theta=121, n_phi=241) if full else Fig2Params()


def _direction_angles(v: NDArray[np.float64]) -> tuple[float, float]:
    """Polar angle and azimuth (rad) of a 3-vector."""
    v = np.asarray(v, dtype=float)
    r = float(np.linalg.norm(v))
    return math.acos(max(-1.0, min(1.0, v[2] / r))), math.atan2(v[1], v[0])


def compute(p: Fig2Params, progress: Progress = None) -> Fig2Result:
    """Evaluate xi on the (theta, phi) grid for each panel through :mod:`qdarwin.spins`."""
    from ...spins.chernoff import field_factor_f, insensitive_axis, mixedness_lambda, spin_chernoff

    theta = np.linspace(0.0, math.pi, p.n_theta)
    phi = np.linspace(0.0, 2 * math.pi, p.n_phi)
    th, ph = np.meshgrid(theta, phi, indexing="ij")
    panels = []
    for i, (label, omega, a) in enumerate(p.panels):
        xi = np.asarray(spin_chernoff(a, th, ph, p.g, omega, p.t), dtype=float)
        axis = np.asarray(insensitive_axis(p.g, omega, p.t), dtype=float).reshape(3)
        axis = axis / np.linalg.norm(axis)
        th_m, ph_m = _direction_angles(axis)
        th_a, ph_a = _direction_angles(-axis)
        # great circle perpendicular to the axis, spanned by two orthonormal vectors
        helper = np.array([1.0, 0.0, 0.0]) if abs(axis[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        u = np.cross(axis, helper)
        u /= np.linalg.norm(u)
        v = np.cross(axis, u)
        s = np.linspace(0.0, 2 * math.pi, 73)
        circle = np.cos(s)[:, None] * u + np.sin(s)[:, None] * v
        c_th = np.arccos(np.clip(circle[:, 2], -1.0, 1.0))
        c_ph = np.arctan2(circle[:, 1], circle[:, 0])
        panels.append(
            Panel(
                label=label,
                omega=omega,
                a=a,
                theta=theta,
                phi=phi,
                xi=xi,
                axis=axis,
                f=float(field_factor_f(p.g, omega, p.t)),
                lam=float(mixedness_lambda(a)),
                xi_axis=float(spin_chernoff(a, th_m, ph_m, p.g, omega, p.t)),
                xi_anti_axis=float(spin_chernoff(a, th_a, ph_a, p.g, omega, p.t)),
                xi_circle=np.asarray(spin_chernoff(a, c_th, c_ph, p.g, omega, p.t), dtype=float),
            )
        )
        if progress:
            progress(i + 1, len(p.panels), label)
    return Fig2Result(p, tuple(panels))


def plot(result: Fig2Result) -> Any:
    """Three 3-D panels of the surfaces xi(theta, phi) n(theta, phi), coloured by xi."""
    import matplotlib.pyplot as plt
    from matplotlib import cm
    from matplotlib.colors import Normalize

    xmax = max(float(pn.xi.max()) for pn in result.panels)
    norm = Normalize(0.0, xmax)
    fig = plt.figure(figsize=(13.5, 4.9))
    for i, pn in enumerate(result.panels):
        ax = fig.add_subplot(1, 3, i + 1, projection="3d")
        th, ph = np.meshgrid(pn.theta, pn.phi, indexing="ij")
        x = pn.xi * np.sin(th) * np.cos(ph)
        y = pn.xi * np.sin(th) * np.sin(ph)
        z = pn.xi * np.cos(th)
        ax.plot_surface(
            x, y, z, facecolors=cm.viridis(norm(pn.xi)), rstride=1, cstride=1, linewidth=0.1,
            edgecolor=(0, 0, 0, 0.15), antialiased=True, shade=False,
        )
        ext = 0.62
        (axis_line,) = ax.plot([-pn.axis[0] * ext, pn.axis[0] * ext], [-pn.axis[1] * ext, pn.axis[1] * ext],
                               [-pn.axis[2] * ext, pn.axis[2] * ext], color="crimson", lw=1.6)
        ax.set_xlim(-ext, ext)
        ax.set_ylim(-ext, ext)
        ax.set_zlim(-ext, ext)
        ax.set_box_aspect((1, 1, 1))
        ax.set_xlabel("$\\xi\\, n_x$ (nats)", labelpad=-2)
        ax.set_ylabel("$\\xi\\, n_y$ (nats)", labelpad=-2)
        ax.set_zlabel("$\\xi\\, n_z$ (nats)", labelpad=-2)
        for setter in (ax.set_xticks, ax.set_yticks, ax.set_zticks):
            setter([-0.5, -0.25, 0.0, 0.25, 0.5])
        ax.tick_params(labelsize=7, pad=0)
        ax.view_init(elev=22, azim=-60)
        ax.set_title(f"{pn.label}\nmax $\\xi$ = {pn.xi.max():.4f} nats", fontsize=10)
    # one legend for the red line drawn in every panel, below the panels (covers no data)
    fig.legend([axis_line], ["red line, every panel: insensitive axis $\\hat m$ (along $\\pm\\hat z$ when $\\omega = 0$)"],
               loc="lower center", fontsize=9, frameon=False)
    fig.subplots_adjust(left=0.0, right=0.9, top=0.86, bottom=0.08, wspace=0.08)
    sm = cm.ScalarMappable(norm=norm, cmap="viridis")
    cbar = fig.colorbar(sm, cax=fig.add_axes((0.925, 0.2, 0.012, 0.55)))
    cbar.set_label("Chernoff information $\\xi$ (nats)")
    p = result.params
    fig.suptitle(f"Single-spin Chernoff information on the Bloch sphere ($g={p.g:g}$, $t=15\\pi/64$; common scale)",
                 y=1.0)
    return fig


def claims(result: Fig2Result) -> list[Claim]:
    """Spec §8 Fig. 2: equatorial maxima, insensitive axis, maxima on the great circle, zeros."""
    a, b, c = result.panels
    out: list[Claim] = []
    for pn, key, expected in ((a, "a", 0.5996412271), (b, "b", 0.1318054534)):
        i_eq = int(np.argmin(np.abs(pn.theta - math.pi / 2)))
        out.append(claim_close(f"spins/fig2/equator-max-{key}", f"panel ({key}): equatorial maximum of xi (nats)",
                               expected, float(pn.xi[i_eq].max()), atol=1e-9, source=SOURCE))
        out.append(claim_true(f"spins/fig2/global-max-{key}", f"panel ({key}): maximum of xi lies on the equator",
                              "max over sphere = equatorial max", bool(pn.xi.max() <= pn.xi[i_eq].max() + 1e-12),
                              float(pn.xi.max()), source=SOURCE))
        out.append(claim_close(f"spins/fig2/poles-{key}", f"panel ({key}): xi on +z and -z (nats)", 0.0,
                               float(max(np.abs(pn.xi[0]).max(), np.abs(pn.xi[-1]).max())), atol=1e-12, source=SOURCE))
        sym = float(np.abs(pn.xi - pn.xi[:, :1]).max())
        out.append(claim_close(f"spins/fig2/z-symmetry-{key}", f"panel ({key}): xi independent of phi (nats)", 0.0,
                               sym, atol=1e-12, source=SOURCE))
    out.append(claim_close("spins/fig2/lambda-b", "panel (b): mixedness lambda(11/16)", 0.2738156226, b.lam,
                           atol=1e-9, source=SOURCE))
    expected_axis = np.array([0.0, 0.9311975863, 0.3645148218])
    sign = 1.0 if float(np.dot(c.axis, expected_axis)) >= 0 else -1.0
    for j, comp in enumerate("xyz"):
        out.append(claim_close(f"spins/fig2/axis-{comp}", f"panel (c): insensitive axis m_{comp} (sign fixed)",
                               float(expected_axis[j]), sign * float(c.axis[j]), atol=1e-9, source=SOURCE))
    th_m, ph_m = _direction_angles(sign * c.axis)
    out.append(claim_close("spins/fig2/axis-theta", "panel (c): polar angle of m (rad)", 1.1976846030, th_m,
                           atol=1e-9, source=SOURCE))
    out.append(claim_close("spins/fig2/axis-phi", "panel (c): azimuth of m (rad)", math.pi / 2, ph_m, atol=1e-9,
                           source=SOURCE))
    out.append(claim_close("spins/fig2/f", "panel (c): field factor f", 0.2969607733, c.f, atol=1e-9, source=SOURCE))
    out.append(claim_close("spins/fig2/circle-max-c", "panel (c): xi on the great circle perpendicular to m (max, nats)",
                           0.3523425897, float(c.xi_circle.max()), atol=1e-9, source=SOURCE))
    out.append(claim_close("spins/fig2/circle-flat-c", "panel (c): xi constant on that great circle (spread, nats)",
                           0.0, float(np.ptp(c.xi_circle)), atol=1e-12, source=SOURCE))
    out.append(claim_close("spins/fig2/circle-vs-f", "panel (c): circle value equals -ln(1 - f) (nats)",
                           -math.log1p(-c.f), float(c.xi_circle.mean()), atol=1e-12, source=SOURCE))
    out.append(claim_true("spins/fig2/global-max-c", "panel (c): no direction exceeds the great-circle value",
                          "max over sphere <= circle value", bool(c.xi.max() <= c.xi_circle.max() + 1e-12),
                          float(c.xi.max()), source=SOURCE))
    out.append(claim_close("spins/fig2/axis-zero-c", "panel (c): xi along +m and -m (nats)", 0.0,
                           max(abs(c.xi_axis), abs(c.xi_anti_axis)), atol=1e-12, source=SOURCE))
    return out


RECIPE = FigureRecipe(
    name="fig2_chernoff_sphere",
    pillar="spins",
    title="Fig. 2: Chernoff information on the Bloch sphere",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig2Params", "Fig2Result", "Panel", "compute", "params", "plot", "claims"]
