"""Plot of a tomography-based redundancy estimate (per-spin overlaps; R_delta with its interval)."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..spins.experiment import RedundancyEstimate


def plot_estimate(est: RedundancyEstimate, *, deltas: Sequence[float] | None = None) -> Any:
    """Two panels: (a) per-spin Chernoff overlaps Q_k(c*) with shot-noise errors and their share of
    1 - <Q>; (b) R_delta (log-x in delta) with the intervals for this bath and for the bath
    population (legends outside the data area)."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.4), gridspec_kw={"width_ratios": [1.0, 1.25]})
    k = np.arange(len(est.labels))
    colors = np.where(est.flagged, "tab:red", np.where(est.projected, "tab:orange", "tab:blue"))
    ax1.bar(k, est.overlaps, yerr=np.nan_to_num(est.overlap_se), color=colors, alpha=0.8, capsize=2)
    ax1.set_xticks(k, est.labels, rotation=90, fontsize=7)
    ax1.set_ylabel(r"overlap $Q_k(c^*)$ (bars)")
    ax1.set_ylim(0, 1.05)
    ax1.set_title(f"(a) per-spin overlaps, $c^*$ = {est.c_opt:.3f} (red: flagged, orange: projected)", fontsize=9)
    axc = ax1.twinx()
    axc.plot(k, est.contributions, "k.")
    axc.set_ylabel(r"share $(1-Q_k)/\sum_j(1-Q_j)$ (black dots)")
    axc.set_ylim(0, max(0.05, 1.1 * float(np.max(est.contributions, initial=0.0))))

    d = np.logspace(-12, -1, 60) if deltas is None else np.asarray(deltas, dtype=float)
    scale = est.n_env / np.log(1.0 / d)
    cap = float(est.n_env)
    ax2.plot(d, np.minimum(est.xi.estimate * scale, cap), "b-", label=r"$R_\delta = N\xi_{QCB}/\ln(1/\delta)$ (bias-corrected)")
    pct = f"{100 * est.xi.confidence:.0f}%"
    if np.isfinite(est.xi_population.low):
        ax2.fill_between(d, np.minimum(est.xi_population.low * scale, cap), np.minimum(est.xi_population.high * scale, cap),
                         color="tab:orange", alpha=0.25, label=f"{pct} interval, bath population")
    if np.isfinite(est.xi.low):
        ax2.fill_between(d, np.minimum(est.xi.low * scale, cap), np.minimum(est.xi.high * scale, cap), color="b", alpha=0.35,
                         label=f"{pct} interval, this bath (shot noise)")
    for iv, dd in zip(est.redundancy, est.deltas):
        ax2.errorbar([dd], [iv.estimate], yerr=[[iv.estimate - iv.low], [iv.high - iv.estimate]] if np.isfinite(iv.low) else None,
                     fmt="ko", capsize=3)
    ax2.set_xscale("log")
    ax2.set_xlabel(r"information deficit $\delta$")
    ax2.set_ylabel(r"redundancy $R_\delta$")
    ax2.set_title(f"(b) N = {est.n_env}, $\\xi_{{QCB}}$ = {est.xi.estimate:.4g} nats", fontsize=9)
    ax2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    fig.tight_layout()
    return fig


__all__ = ["plot_estimate"]
