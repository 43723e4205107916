"""Tests for the Fig. 4 recipe (src/qdarwin/figures/spins/fig4_haziness.py)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from qdarwin.figures.registry import recipes
from qdarwin.figures.spins import fig4_haziness as fig4
from qdarwin.info import binary_entropy


@pytest.fixture(scope="module")
def result() -> fig4.Fig4Result:
    p = dataclasses.replace(
        fig4.params(False), times=(math.pi / 16, math.pi / 8), m_max=140, n_lines=60
    )
    return fig4.compute(p)


def _failed(claims: list) -> list[str]:
    return [
        f"{c.key}: expected {c.expected}, computed {c.computed}" for c in claims if not c.passed
    ]


class TestRegistry:
    def test_registered(self) -> None:
        assert "fig4_haziness" in [r.name for r in recipes("spins")]

    def test_full_mode_is_the_published_figure(self) -> None:
        quick, full = fig4.params(False), fig4.params(True)
        assert full.m_max == 400 and len(full.times) > len(quick.times)
        assert full.hazinesses == (0.0, 0.2, 0.4, 0.6, 0.8) and full.ps == (0.5, 0.125, 0.03125)
        assert max(full.times) == pytest.approx(math.pi / 4)


class TestBlochLengthFromHaziness:
    @pytest.mark.parametrize("h", [0.0, 1e-6, 0.2, 0.5, 0.8, 0.999, 1.0])
    def test_inverts_binary_entropy(self, h: float) -> None:
        a = fig4.bloch_length_from_haziness(h)
        assert 0.0 <= a <= 1.0
        assert abs(binary_entropy((1 + a) / 2) - h) < 1e-12

    @pytest.mark.parametrize("h", [-0.1, 1.5])
    def test_rejects_out_of_range(self, h: float) -> None:
        with pytest.raises(ValueError, match="haziness"):
            fig4.bloch_length_from_haziness(h)


class TestCompute:
    def test_claims_pass(self, result: fig4.Fig4Result) -> None:
        claims = fig4.claims(result)
        assert not _failed(claims)
        keys = {c.key for c in claims}
        assert {
            "spins/fig4/dotted-h0.4",
            "spins/fig4/a-h0.8",
            "spins/fig4/lambda-h0.2",
            "spins/fig4/fit-example",
            "spins/fig4/symbols-on-dotted-1e-08",
            "spins/fig4/symbols-on-dotted-1e-10",
        } <= keys

    def test_lines_independent_route(self, result: fig4.Fig4Result) -> None:
        """Dotted -ln[1 - lam sin^2 2t]/ln 2, lam = 1 - sqrt(1 - a^2); solid 4 lam t^2/ln 2."""
        lam = 1 - np.sqrt(1 - result.a**2)
        t = result.t_line
        with np.errstate(divide="ignore"):  # h = 0 at t = pi/4: orthogonal states, R* = inf
            dotted = -np.log1p(-np.outer(lam, np.sin(2 * t) ** 2)) / math.log(2)
        np.testing.assert_allclose(result.dotted, dotted, rtol=1e-12)
        np.testing.assert_allclose(result.solid, 4 * np.outer(lam, t**2) / math.log(2), rtol=1e-12)

    def test_fits_track_chernoff_where_resolved(self, result: fig4.Fig4Result) -> None:
        resolved = np.isfinite(result.r_fit) & (result.d_min < fig4.RESOLVED_BELOW)
        assert resolved.sum() >= 12
        rel = np.abs(result.r_fit / result.dotted_at_times[:, None, :] - 1)
        assert np.all(rel[resolved] < 0.01)
        # fits approach the QCB rate from above (finite-m corrections); beta ~ 1/2 if mixed
        assert np.all(
            result.r_fit[resolved]
            > result.dotted_at_times[:, None, :].repeat(len(result.params.ps), 1)[resolved]
        )
        assert np.all((result.beta[1:][resolved[1:]] > 0.2) & (result.beta[1:][resolved[1:]] < 0.7))

    def test_pure_spins_have_no_power_law(self, result: fig4.Fig4Result) -> None:
        """h = 0: D(m) ~ K x^m asymptotically, so beta ~ 0 and the fit gives -ln cos^2(2t)."""
        ok = np.isfinite(result.r_fit[0])
        assert ok.any()
        assert np.all(np.abs(result.beta[0][ok]) < 0.05)

    def test_corrupted_result_fails(self, result: fig4.Fig4Result) -> None:
        bad = dataclasses.replace(
            result, r_fit=result.r_fit * 1.02, dotted_ref=result.dotted_ref * (1 + 1e-5)
        )
        failed = _failed(fig4.claims(bad))
        assert any("symbols-on-dotted-1e-10" in f for f in failed)
        assert any("dotted-h0.4" in f for f in failed)

    def test_plot(self, result: fig4.Fig4Result) -> None:
        import matplotlib.pyplot as plt

        fig = fig4.plot(result)
        ax = fig.axes[0]
        assert ax.get_yscale() == "log" and ax.get_xscale() == "log"
        assert len(ax.get_lines()) >= 2 * len(result.params.hazinesses)
        plt.close(fig)
