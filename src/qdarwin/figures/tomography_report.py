"""Report figure of ``qdarwin tomography``: partial-information curves with confidence bands
and the objectivity witnesses per fragment with their intervals. See docs/tomography.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def plot_report(result: Any, *, title: str | None = None) -> Any:
    """Two panels: I, chi, discord vs m with bands; witnesses per fragment with error bars.

    Parameters
    ----------
    result : qdarwin.tomography.TomographyAnalysis
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(10.0, 4.0))
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1.0]})
    m = np.asarray(result.m, dtype=float)
    for name, label, color in (("I", "I(S:F)", "C0"), ("chi", r"$\chi(\Pi_S:F)$", "C1"), ("discord", r"$I-\chi$", "C2")):
        y = np.asarray(getattr(result, name))
        ax.plot(m, y, "o-", color=color, ms=3, lw=1.2, label=label)
        lo, hi = np.asarray(getattr(result, name + "_low")), np.asarray(getattr(result, name + "_high"))
        if np.any(np.isfinite(lo)):
            ax.fill_between(m, lo, hi, color=color, alpha=0.2, lw=0)
    h = float(result.H_pointer)
    ax.axhline(h, color="k", lw=0.8, ls="--", label=r"$H(\Pi_S)$")
    if h > 0:
        ax.axhspan((1 - result.delta) * h, h, color="k", alpha=0.08, lw=0, label=rf"$\delta = {result.delta:g}$ band")
    ax.set_xlabel("fragment size m")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"information ({result.units})")
    rtxt = (f"R_delta = {result.R_delta:.2f} [{result.R_delta_low:.2f}, {result.R_delta_high:.2f}]"
            if np.isfinite(result.R_delta) else "R_delta: plateau not reached")
    ax.set_title(f"{title or 'tomography'}: {rtxt}", fontsize=9)
    ax.legend(fontsize=8, frameon=False, loc="best")
    frags = list(result.fragments)
    x = np.arange(len(frags))
    for k, (name, label, color) in enumerate((("holevo_deficit", r"$H(\Pi_S)-\chi$", "C1"), ("discord", "discord", "C2"),
                                              ("max_fidelity", "max fidelity", "C3"))):
        y = np.asarray(result.witnesses[name], dtype=float)
        lo = np.asarray(result.witness_low[name], dtype=float)
        hi = np.asarray(result.witness_high[name], dtype=float)
        err = np.vstack([np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)])
        err = np.where(np.isfinite(err), err, 0.0)
        bx.errorbar(x + 0.2 * (k - 1), y, yerr=err, fmt="o", color=color, ms=4, capsize=2, label=label)
    bx.set_xticks(x, frags, fontsize=8)
    bx.axhline(0, color="k", lw=0.6)
    bx.set_ylabel(f"witness ({result.units} / dimensionless)")
    bx.set_title(f"objectivity witnesses ({100 * result.confidence:g}% {result.interval} intervals)", fontsize=9)
    bx.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


__all__ = ["plot_report"]
