"""Partial-information plot: I(S:F), chi(Pi_S:F) and discord against the fraction m/N.

Draws the fragment-averaged curves of a :class:`qdarwin.darwinism.PartialInformation` (with
Monte Carlo error bars where present), the classical plateau ``H(Pi_S)``, the band
``[(1 - delta) H(Pi_S), H(Pi_S)]`` of the redundancy criterion and ``2 S(S)``.
Used by ``qdarwin analyze --plot``; see docs/your-own-model.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def plot(result: Any, *, delta: float | None = None, title: str | None = None, ax: Any = None) -> Any:
    """Draw the partial-information plot of ``result``; returns the matplotlib Figure.

    Parameters
    ----------
    result : PartialInformation
    delta : float in (0, 1), optional
        Draws the band ``[(1 - delta) H(Pi_S), H(Pi_S)]`` and marks ``F_delta``.
    title : str, optional
    ax : matplotlib Axes, optional
        Draw into this axes instead of a new figure.
    """
    from matplotlib.figure import Figure

    if ax is None:
        fig = Figure(figsize=(5.6, 4.0))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    n = max(int(result.n_env), 1)
    x = np.asarray(result.m, dtype=float) / n
    styles = [("I", "I(S:F)", "C0", "o"), ("chi", r"$\chi(\Pi_S:F)$", "C1", "s"), ("discord", r"$I - \chi$", "C2", "^")]
    if getattr(result, "J", None) is not None:
        styles.append(("J", r"$J(S:F)$ (optimised)", "C3", "v"))
    for name, label, color, marker in styles:
        y = np.asarray(getattr(result, name))
        err = np.asarray(getattr(result, name + "_sem"))
        if np.any(err > 0):
            ax.errorbar(x, y, yerr=err, color=color, marker=marker, ms=3, lw=1.2, capsize=2, label=label)
        else:
            ax.plot(x, y, color=color, marker=marker, ms=3, lw=1.2, label=label)
    h = float(result.H_pointer)
    ax.axhline(h, color="k", lw=0.8, ls="--", label=r"$H(\Pi_S)$")
    ax.axhline(2 * float(result.H_S), color="grey", lw=0.8, ls=":", label=r"$2S(S)$")
    if delta is not None and h > 0:
        ax.axhspan((1 - delta) * h, h, color="k", alpha=0.08, lw=0, label=rf"$\delta = {delta:g}$ band")
    ax.set_xlabel("fragment fraction m / N")
    ax.set_ylabel(f"information ({result.units})")
    ax.set_xlim(0, 1)
    ax.set_ylim(bottom=min(0.0, float(np.min(result.discord)) - 0.05))
    ax.set_title(title or f"partial information, N = {result.n_env} ({result.fragments} fragments)", fontsize=10)
    ax.set_ylim(top=1.12 * max(2 * float(result.H_S), float(np.max(result.I)), 0.1))
    ax.legend(fontsize=8, loc="best", frameon=False)
    fig.tight_layout()
    return fig


__all__ = ["plot"]
