"""Plot of the partial-information curve printed by ``qdarwin spins curve --plot``."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def plot_information_curve(out: Mapping[str, Any]) -> Any:
    """Two panels: (a) I(S:F_m), chi, discord and H(p) against m/N (bits); (b) the Holevo deficit
    H(p) - chi (log scale, bits), nested and (when present) fragment-averaged.

    ``out`` holds the keys of ``qdarwin spins curve --json``: ``m, n_env, t, H_p,
    mutual_information, holevo, discord, holevo_deficit`` and optionally
    ``average_holevo_deficit``. Returns the matplotlib figure (legends outside the data).
    """
    import matplotlib.pyplot as plt

    m = np.asarray(out["m"])
    n = max(int(out["n_env"]), 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.plot(m / n, out["mutual_information"], label="$I(S:F_m)$")
    ax1.plot(m / n, out["holevo"], label=r"$\chi(\Pi_S:F_m)$")
    ax1.plot(m / n, out["discord"], label="discord")
    ax1.axhline(out["H_p"], color="gray", ls=":", label="$H(p)$")
    ax1.set_xlabel("fragment fraction $m/N$")
    ax1.set_ylabel("information (bits)")
    ax1.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=4, borderaxespad=0.0)
    pos = np.asarray(out["holevo_deficit"]) > 0
    ax2.semilogy(m[pos], np.asarray(out["holevo_deficit"])[pos], label=r"$H(p)-\chi$ (nested $F_m$)")
    if "average_holevo_deficit" in out:
        av = np.asarray(out["average_holevo_deficit"])
        ok = av > 0
        ax2.semilogy(m[ok], av[ok], "--", label=r"$\langle H(p)-\chi\rangle_m$")
    ax2.set_xlabel("fragment size $m$ (spins)")
    ax2.set_ylabel("Holevo deficit (bits)")
    ax2.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=2, borderaxespad=0.0)
    fig.suptitle(f"N = {out['n_env']}, t = {out['t']:g}", y=1.0)
    fig.tight_layout()
    return fig


__all__ = ["plot_information_curve"]
