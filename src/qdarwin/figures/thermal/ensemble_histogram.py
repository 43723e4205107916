"""Histogram of the projective ensemble of one run (``qdarwin thermal ensemble --plot``).

Weighted density of the posterior z component of the system's Bloch vector after measuring
environment sites in the computational basis, with the uniform density 1/2 of Haar-random
qubit states (Cao & Nussinov, arXiv:2603.15743; docs/thermal-analysis.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def histogram_figure(ens: Any, label: str) -> Any:
    """Figure of ``ens.hist`` (a :class:`qdarwin.thermal.ensemble.ProjectiveEnsemble`, d = 2).

    A distribution concentrated on z = 0 (e.g. t = 0) is drawn as a point mass at z = 0
    instead of the bin that happens to contain that edge.
    """
    import matplotlib.pyplot as plt

    if ens.bloch is None:
        raise ValueError("the z histogram needs d = 2 branches")
    fig, ax = plt.subplots(figsize=(5, 3.5))
    z = np.asarray(ens.bloch)[:, 2]
    if np.all(np.abs(z) < 1e-12):
        ax.annotate("", xy=(0.0, 5.0), xytext=(0.0, 0.0), arrowprops={"arrowstyle": "-|>", "lw": 2})
        ax.plot([], [], color="k", lw=2, label=f"{label}: point mass at z = 0")
        ax.set_xlim(-1, 1)
    else:
        ax.stairs(ens.hist / np.diff(ens.bin_edges), ens.bin_edges, lw=1.6, label=label)
    ax.axhline(0.5, color="crimson", lw=1, label="uniform (Haar) 1/2")
    ax.set_xlabel("posterior $z$")
    ax.set_ylabel("weighted density of $z$")
    ax.legend(fontsize=8)
    return fig


__all__ = ["histogram_figure"]
