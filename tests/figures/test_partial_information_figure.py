"""The partial-information figure draws the curves, the H(Pi_S) plateau and the delta band."""

from __future__ import annotations

import math

import numpy as np

from qdarwin.darwinism import partial_information
from qdarwin.figures.partial_information import plot


def ghz(n: int) -> np.ndarray:
    v = np.zeros(2**n)
    v[0] = v[-1] = 1 / math.sqrt(2)
    return v


def test_curves_plateau_and_band():
    res = partial_information(ghz(5), [2] * 5)
    fig = plot(res, delta=0.1)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["I(S:F)", r"$\chi(\Pi_S:F)$", r"$I - \chi$"]
    i_line = ax.get_lines()[0]
    np.testing.assert_allclose(i_line.get_xdata(), [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(i_line.get_ydata(), res.I)
    plateau = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"][0]
    assert plateau.get_ydata()[0] == res.H_pointer
    band = ax.patches[0].get_extents()
    assert band.height > 0 and "bits" in ax.get_ylabel()


def test_monte_carlo_error_bars_and_optimised_curve():
    rng = np.random.default_rng(0)
    v = rng.normal(size=2**9) + 1j * rng.normal(size=2**9)
    res = partial_information(v / np.linalg.norm(v), [2] * 9, fragments="sample", n_samples=10, rng=1)
    fig = plot(res)
    assert len(fig.axes[0].containers) == 3  # errorbar containers for I, chi, discord
    opt = partial_information(ghz(3), [2] * 3, optimize=True)
    labels = [t.get_text() for t in plot(opt).axes[0].get_legend().get_texts()]
    assert any("J(S:F)" in lab for lab in labels)
