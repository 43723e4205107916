"""Fig. 1 of Zwolak, Riedel & Zurek (2016) (optional): Bloch trajectories of the conditional states.

One environment spin starts along n(theta0, phi0) with Bloch length a; conditioned on the system
state s = up / down it evolves with U_s(t') = exp[-i t' (s g sigma^z + omega sigma^x)], t' in [0, t],
g = 1/2, t = 15 pi / 64 (spec spin-environments.md §1.3, §8). Panels: (a) omega = 0, pure;
(b) omega = 0, a = 11/16 (vectors of length a); (c) omega = pi/2, pure. The two end points are the
states a fragment observer must distinguish; their Chernoff information is given in the titles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._recipe import Claim, FigureRecipe, Progress, claim_close

SOURCE = "spin-environments.md §1.3, §8 Fig. 1"


@dataclass(frozen=True)
class Fig1Params:
    """Parameters of Fig. 1 (defaults: g = 1/2, t = 15 pi / 64 as published)."""

    g: float = 0.5
    t: float = 15 * math.pi / 64
    theta0: float = math.pi / 3  #: initial polar angle of the spin (rad)
    phi0: float = 0.0  #: initial azimuth (rad)
    panels: tuple[tuple[str, float, float], ...] = (
        ("(a) $\\omega=0$, $a=1$", 0.0, 1.0),
        ("(b) $\\omega=0$, $a=11/16$", 0.0, 11 / 16),
        ("(c) $\\omega=\\pi/2$, $a=1$", math.pi / 2, 1.0),
    )
    n_steps: int = 200


@dataclass(frozen=True)
class Trajectories:
    label: str
    omega: float
    a: float
    up: NDArray[np.float64]  #: (n_steps, 3) Bloch vectors of the s = up branch
    down: NDArray[np.float64]  #: (n_steps, 3) Bloch vectors of the s = down branch
    xi_end: float  #: Chernoff information between the end points (nats), closed form
    xi_states: float  #: the same from the conditional density matrices (general algorithm)


@dataclass(frozen=True)
class Fig1Result:
    params: Fig1Params
    panels: tuple[Trajectories, ...]


def params(full: bool) -> Fig1Params:
    """Quick and full mode differ only in the number of time steps."""
    return Fig1Params(n_steps=800) if full else Fig1Params()


def bloch_vectors(rho: NDArray[np.complex128]) -> NDArray[np.float64]:
    """Bloch vectors r of density matrices rho = (I + r . sigma)/2, shape (..., 3).

    Examples
    --------
    >>> (bloch_vectors(np.array([[0.5, 0.5], [0.5, 0.5]])) + 0.0).tolist()
    [1.0, 0.0, 0.0]
    """
    rho = np.asarray(rho)
    return np.stack([2 * rho[..., 0, 1].real, -2 * rho[..., 0, 1].imag, (rho[..., 0, 0] - rho[..., 1, 1]).real], axis=-1)


def compute(p: Fig1Params, progress: Progress = None) -> Fig1Result:
    """Conditional Bloch trajectories through :func:`qdarwin.spins.model.conditional_states`."""
    from ...info import chernoff_information
    from ...spins.chernoff import spin_chernoff
    from ...spins.model import bloch_state, conditional_states

    ts = np.linspace(0.0, p.t, p.n_steps)
    out = []
    for i, (label, omega, a) in enumerate(p.panels):
        rho0 = bloch_state(a, p.theta0, p.phi0)
        up, down = conditional_states(np.broadcast_to(rho0, (ts.size, 2, 2)), p.g, omega, ts)
        xi_states = chernoff_information(up[-1], down[-1]).xi
        out.append(
            Trajectories(
                label=label, omega=omega, a=a, up=bloch_vectors(up), down=bloch_vectors(down),
                xi_end=float(spin_chernoff(a, p.theta0, p.phi0, p.g, omega, p.t)), xi_states=float(xi_states),
            )
        )
        if progress:
            progress(i + 1, len(p.panels), label)
    return Fig1Result(p, tuple(out))


def plot(result: Fig1Result) -> Any:
    """Three 3-D panels: unit sphere wireframe, the two conditional trajectories and end vectors."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(13.5, 4.8))
    u, v = np.meshgrid(np.linspace(0, 2 * np.pi, 37), np.linspace(0, np.pi, 19))
    for i, tr in enumerate(result.panels):
        ax = fig.add_subplot(1, 3, i + 1, projection="3d")
        ax.plot_wireframe(np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), np.cos(v), color="0.85", lw=0.4)
        for traj, col, name in ((tr.up, "tab:red", r"$s=\uparrow$"), (tr.down, "tab:blue", r"$s=\downarrow$")):
            ax.plot(traj[:, 0], traj[:, 1], traj[:, 2], color=col, lw=2, label=name)
            ax.quiver(0, 0, 0, *traj[-1], color=col, arrow_length_ratio=0.08, lw=1.5)
        ax.quiver(0, 0, 0, *tr.up[0], color="black", arrow_length_ratio=0.08, lw=1.2, label="initial $a\\,n$")
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        ax.set_zlim(-1, 1)
        ax.set_box_aspect((1, 1, 1))
        ax.set_xlabel("$r_x$")
        ax.set_ylabel("$r_y$")
        ax.set_zlabel("$r_z$")
        ax.tick_params(labelsize=7)
        ax.view_init(elev=28, azim=-140)
        ax.set_title(f"{tr.label}\n$\\xi$ (end points) = {tr.xi_end:.4f} nats", fontsize=10)
        if i == 0:
            ax.legend(loc="upper left", fontsize=8)
    p = result.params
    fig.suptitle(f"Conditional Bloch trajectories $U_s(t')\\,a n$, $t'\\in[0, 15\\pi/64]$, $g={p.g:g}$, "
                 f"$\\theta_0={p.theta0:.4g}$", y=1.0)
    fig.subplots_adjust(top=0.86, wspace=0.05)
    return fig


def claims(result: Fig1Result) -> list[Claim]:
    """Spec §1.3: for omega = 0 the branches rotate about z by +-2 g t (separation 4 g t); lengths a."""
    p = result.params
    out: list[Claim] = []
    for tr, key in zip(result.panels, "abc"):
        out.append(claim_close(f"spins/fig1/length-{key}", f"panel ({key}): Bloch length preserved (max |r| - a)", 0.0,
                               float(np.max(np.abs(np.linalg.norm(np.concatenate([tr.up, tr.down]), axis=1) - tr.a))),
                               atol=1e-12, source=SOURCE))
        out.append(claim_close(f"spins/fig1/xi-{key}", f"panel ({key}): closed-form xi vs general algorithm (nats)",
                               tr.xi_states, tr.xi_end, atol=1e-9, source="spin-environments.md §2.1, §2.3"))
    for tr, key in zip(result.panels[:2], "ab"):
        sep = float(np.angle((tr.up[-1, 0] + 1j * tr.up[-1, 1]) / (tr.down[-1, 0] + 1j * tr.down[-1, 1])))
        out.append(claim_close(f"spins/fig1/azimuth-{key}", f"panel ({key}): azimuthal separation of the branches (rad)",
                               4 * p.g * p.t, abs(sep), atol=1e-12, source=SOURCE))
        out.append(claim_close(f"spins/fig1/height-{key}", f"panel ({key}): r_z constant along both branches", 0.0,
                               float(np.ptp(np.concatenate([tr.up[:, 2], tr.down[:, 2]]))), atol=1e-12, source=SOURCE))
    out.append(claim_close("spins/fig1/xi-b-row2", "panel (b): xi (a = 11/16, theta0 = pi/3; phi-independent at omega = 0)",
                           0.0971899572711, result.panels[1].xi_end, atol=1e-9, source="spin-environments.md §9 row 2"))
    out.append(claim_close("spins/fig1/xi-a-value", "panel (a): xi at theta0 = pi/3 equals -ln[1 - sin^2(2gt) sin^2 theta0]",
                           -math.log(1 - math.sin(2 * p.g * p.t) ** 2 * math.sin(p.theta0) ** 2),
                           result.panels[0].xi_end, atol=1e-12, source="spin-environments.md §2.4"))
    return out


RECIPE = FigureRecipe(
    name="fig1_bloch_trajectories",
    pillar="spins",
    title="Fig. 1: conditional Bloch trajectories",
    params=params,
    compute=compute,
    plot=plot,
    claims=claims,
)

__all__ = ["RECIPE", "Fig1Params", "Fig1Result", "Trajectories", "bloch_vectors", "compute", "params", "plot", "claims"]
