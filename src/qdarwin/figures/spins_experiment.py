"""Plot of a tomography-based redundancy estimate (per-spin overlaps; R_delta with its interval)."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..spins.experiment import RedundancyEstimate
from ..spins.redundancy import redundancy_qcb


def plot_estimate(est: RedundancyEstimate, *, deltas: Sequence[float] | None = None) -> Any:
    """Two panels: (a) per-spin Chernoff overlaps Q_k(c*) with shot-noise errors and their share of
    1 - <Q>; (b) R_delta (log-x in delta) with the combined bootstrap interval."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    k = np.arange(len(est.labels))
    colors = np.where(est.flagged, "tab:red", np.where(est.projected, "tab:orange", "tab:blue"))
    ax1.bar(k, est.overlaps, yerr=np.nan_to_num(est.overlap_se), color=colors, alpha=0.8, capsize=2)
    ax1.set_xticks(k, est.labels, rotation=90, fontsize=7)
    ax1.set_ylabel(r"overlap $Q_k(c^*)$")
    ax1.set_ylim(0, 1.05)
    ax1.set_title(f"(a) per-spin overlaps, $c^*$ = {est.c_opt:.3f} (red: flagged, orange: projected)", fontsize=9)
    axc = ax1.twinx()
    axc.plot(k, est.contributions, "k.", label=r"share of $1-\langle Q\rangle$")
    axc.set_ylabel(r"contribution $(1-Q_k)/\sum_j(1-Q_j)$")
    axc.set_ylim(0, max(0.05, 1.1 * float(np.max(est.contributions, initial=0.0))))
    axc.legend(loc="upper right", fontsize=8)

    d = np.logspace(-12, -1, 60) if deltas is None else np.asarray(deltas, dtype=float)
    scale = est.n_env / np.log(1.0 / d)
    r_hat = np.asarray(redundancy_qcb(est.n_env, est.xi.estimate, 0.5)) * np.log(2.0) / np.log(1.0 / d)
    ax2.plot(d, r_hat, "b-", label=r"$R_\delta = N\xi_{QCB}/\ln(1/\delta)$")
    if np.isfinite(est.xi.low):
        ax2.fill_between(d, est.xi.low * scale, est.xi.high * scale, color="b", alpha=0.2,
                         label=f"{100 * est.xi.confidence:.0f}% interval (shots + spins)")
    if np.isfinite(est.xi_shot.low):
        ax2.plot(d, est.xi_shot.low * scale, "b:", lw=0.8, label="shot-noise interval")
        ax2.plot(d, est.xi_shot.high * scale, "b:", lw=0.8)
    for iv, dd in zip(est.redundancy, est.deltas):
        ax2.errorbar([dd], [iv.estimate], yerr=[[iv.estimate - iv.low], [iv.high - iv.estimate]] if np.isfinite(iv.low) else None,
                     fmt="ko", capsize=3)
    ax2.set_xscale("log")
    ax2.set_xlabel(r"information deficit $\delta$")
    ax2.set_ylabel(r"redundancy $R_\delta$")
    ax2.set_title(f"(b) N = {est.n_env}, $\\xi_{{QCB}}$ = {est.xi.estimate:.4g} nats", fontsize=9)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return fig


__all__ = ["plot_estimate"]
