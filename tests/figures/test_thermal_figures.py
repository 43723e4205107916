"""Tests for the thermal figure recipes (src/qdarwin/figures/thermal/*.py).

Recipes run here at reduced sizes (seconds); size-independent claims must pass, the plots must
build, and corrupted results must make the claims fail.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from qdarwin.figures.registry import recipes
from qdarwin.figures.thermal import fig1_encoding_vs_redundancy as fig1
from qdarwin.figures.thermal import fig2_rate_functions as fig2
from qdarwin.figures.thermal import fig3_near_degeneracy as fig3
from qdarwin.figures.thermal import fig5_partial_degeneracy as fig5
from qdarwin.figures.thermal import projective_ensemble as proj
from qdarwin.figures.thermal import sk_demo as sk
from qdarwin.thermal.rates import crossing_exponent

MODULES = [fig1, fig2, fig3, fig5, proj, sk]


def _by_key(claims: list) -> dict[str, object]:
    return {c.key: c for c in claims}


def _check_plot(fig: object) -> None:
    assert fig is not None and len(fig.axes) >= 2  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fig1_result() -> fig1.Fig1Result:
    return fig1.compute(fig1.Fig1Params(n_sites=10, n_log_times=4, window=(20.0, 30.0)))


@pytest.fixture(scope="module")
def fig2_result() -> fig2.Fig2Result:
    return fig2.compute(fig2.Fig2Params(n_sites=12, m_max=5, window=(20.0, 30.0), n_e=41))


class TestRegistry:
    def test_recipes_registered(self) -> None:
        names = [r.name for r in recipes("thermal")]
        assert names == [
            "fig1_encoding_vs_redundancy",
            "fig2_rate_functions",
            "fig3_near_degeneracy",
            "fig5_partial_degeneracy",
            "projective_ensemble",
            "sk_demo",
            "thermal_plateau_vs_n",
        ]

    @pytest.mark.parametrize("mod", MODULES)
    def test_quick_and_full_parameters(self, mod: object) -> None:
        quick, full = mod.params(False), mod.params(True)  # type: ignore[attr-defined]
        assert quick != full
        assert dataclasses.replace(full) == full
        assert full == type(full)()  # defaults are the published sizes


class TestFig1:
    def test_size_independent_claims_pass(self, fig1_result: fig1.Fig1Result) -> None:
        claims = _by_key(fig1.claims(fig1_result))
        for key in (
            "t0-plateau",
            "encoding-half",
            "redundant-half",
            "redundant-monotone",
            "mirror",
        ):
            assert claims[f"thermal/fig1/{key}"].passed, claims[f"thermal/fig1/{key}"]  # type: ignore[attr-defined]

    def test_corrupted_result_fails(self, fig1_result: fig1.Fig1Result) -> None:
        bad = dict(fig1_result.late)
        bad["redundant"] = bad["redundant"] + 0.01
        claims = _by_key(fig1.claims(dataclasses.replace(fig1_result, late=bad)))
        assert not claims["thermal/fig1/mirror"].passed  # type: ignore[attr-defined]
        assert not claims["thermal/fig1/redundant-half"].passed  # type: ignore[attr-defined]

    def test_plot(self, fig1_result: fig1.Fig1Result) -> None:
        _check_plot(fig1.plot(fig1_result))


class TestFig2:
    def test_consistent_with_rates_api(self, fig2_result: fig2.Fig2Result) -> None:
        assert fig2_result.m_values.tolist() == [4, 5]
        assert np.all(
            (fig2_result.e_star > fig2_result.means[:, 1])
            & (fig2_result.e_star < fig2_result.means[:, 0])
        )
        i = int(np.argmin(np.abs(fig2_result.e_grid - fig2_result.e_star[0])))
        # the kappa marker lies on both rate curves near the crossing (grid step 0.125)
        assert fig2_result.rates[0, :, i] == pytest.approx([fig2_result.kappa[0]] * 2, abs=0.15)
        assert np.all(fig2_result.kappa > 0.1) and np.all(fig2_result.kappa < 0.25)

    def test_claims_and_corruption(self, fig2_result: fig2.Fig2Result) -> None:
        claims = _by_key(fig2.claims(fig2_result))
        assert claims["thermal/fig2/decay-faster"].passed  # type: ignore[attr-defined]
        assert claims["thermal/fig2/chernoff-vs-kappa"].passed  # type: ignore[attr-defined]
        assert claims["thermal/fig2/global-var"].passed  # type: ignore[attr-defined]
        assert fig2_result.kappa_global == pytest.approx(0.1707, abs=5e-4)
        bad = _by_key(fig2.claims(dataclasses.replace(fig2_result, kappa=fig2_result.kappa + 0.5)))
        assert not bad["thermal/fig2/kappa-min"].passed  # type: ignore[attr-defined]
        assert not bad["thermal/fig2/decay-faster"].passed  # type: ignore[attr-defined]

    def test_plot(self, fig2_result: fig2.Fig2Result) -> None:
        _check_plot(fig2.plot(fig2_result))


class TestFig3:
    def test_small_signal_and_plot(self) -> None:
        res = fig3.compute(fig3.Fig3Params(n_sites=14, sin_phi=(0.0, 0.1, 0.4, 1.0)))
        assert math.isnan(res.slope_ratio[0])
        assert res.slope_ratio[1] == pytest.approx(1.0, abs=0.1)
        assert res.slope_ratio[1] > res.slope_ratio[2] > res.slope_ratio[3]
        claims = _by_key(fig3.claims(res))
        assert claims["thermal/fig3/departure"].passed  # type: ignore[attr-defined]
        bad = _by_key(
            fig3.claims(dataclasses.replace(res, slope_ratio=res.slope_ratio[::-1].copy()))
        )
        assert not bad["thermal/fig3/departure"].passed  # type: ignore[attr-defined]
        _check_plot(fig3.plot(res))

    def test_small_signal_slope_value(self) -> None:
        assert fig3.small_signal_slope() == pytest.approx(
            1 / (8 * 2.4721 * math.log(2)), rel=5e-4
        )  # sigma^2 quoted as 2.4721


class TestFig5:
    def test_claims_and_plot(self) -> None:
        res = fig5.compute(
            fig5.Fig5Params(n_sites=12, times=(0.0, 2.0, 20.0, 40.0), late_times=(20.0, 40.0))
        )
        claims = fig5.claims(res)
        failed = [c.key for c in claims if not c.passed]
        assert failed == []
        assert res.pair == (2, 3)
        bad = _by_key(fig5.claims(dataclasses.replace(res, coarse_late=res.coarse_late + 0.1)))
        assert not bad["thermal/fig5/coarse-match"].passed  # type: ignore[attr-defined]
        _check_plot(fig5.plot(res))


class TestProjectiveEnsemble:
    def test_claims_and_plot(self) -> None:
        res = proj.compute(proj.ProjectiveParams(sizes=(8,), times=(0.0, 10.0)))
        claims = _by_key(proj.claims(res))
        for key in (
            "encoding-z2-N10",
            "encoding-absz-N10",
            "redundant-z2-N10",
            "redundant-absz-N10",
            "t0-N8",
        ):
            assert claims[f"thermal/proj/{key}"].passed  # type: ignore[attr-defined]
        assert res.hist[("redundant", 8)][1].sum() == pytest.approx(1.0)
        _check_plot(proj.plot(res))


class TestSKDemo:
    def test_claims_and_plot(self) -> None:
        p = sk.SKParams(
            n_sites=8,
            gs_sizes=(6,),
            scale_n=8,
            scale_m=(4, 5, 6),
            n_disorder=60,
            window=(20.0, 30.0),
        )
        res = sk.compute(p)
        claims = _by_key(sk.claims(res))
        assert claims["thermal/sk/equal-energies"].passed  # type: ignore[attr-defined]
        assert claims["thermal/sk/gs-N6"].passed  # type: ignore[attr-defined]
        assert claims["thermal/sk/encoding"].passed  # type: ignore[attr-defined]
        _check_plot(sk.plot(res))


def test_crossing_reused_not_reimplemented(fig2_result: fig2.Fig2Result) -> None:
    """The recipe's kappa equals the public crossing_exponent on its own laws (public API only)."""
    from qdarwin.thermal.energy import time_averaged_energy_laws
    from qdarwin.thermal.models import ChaoticIsing, redundant

    (law,) = time_averaged_energy_laws(ChaoticIsing(12), redundant(), [4], times=(20.0, 30.0))
    assert crossing_exponent(law).kappa == pytest.approx(fig2_result.kappa[0], abs=1e-12)


class TestQuotedRange:
    def test_precision_of_the_quote(self) -> None:
        from qdarwin.figures.thermal._common import claim_quoted_range

        assert claim_quoted_range("k", "q", 0.81, 0.86, 0.8649, decimals=2).passed
        assert not claim_quoted_range("k", "q", 0.81, 0.86, 0.8651, decimals=2).passed
        assert not claim_quoted_range("k", "q", 0.81, 0.86, 0.8049, decimals=2).passed
        assert (
            "quoted precision"
            in claim_quoted_range("k", "q", 0.0, 1.0, 0.5, decimals=1).tolerance
        )


class TestPlateauVsN:
    def test_full_only_and_small_run(self, tmp_path: Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        from qdarwin.figures.thermal import plateau_vs_n as mod
        from qdarwin.thermal import ChaoticIsing, mi_dataset, redundant

        assert mod.RECIPE.full_only and mod.params(True).sizes == (20, 22, 24, 26)
        res = mod.compute(mod.PlateauParams(sizes=(8, 10)))
        ref = mi_dataset(ChaoticIsing(10), redundant(), [20.0, 25.0, 30.0, 35.0, 40.0])["I"].values.mean(axis=0)
        assert np.max(np.abs(res.late[("redundant", 10)] - ref)) < 1e-10
        assert res.plateau["redundant"] == pytest.approx(1.0)
        assert 0 < res.m_delta[("redundant", 10)] <= 10
        assert res.n_delta[("redundant", 10)] == pytest.approx(10 / res.m_delta[("redundant", 10)])
        fig = mod.plot(res)
        assert len(fig.axes) == 2
        texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert any("m_delta" in t and "N = 10" in t for t in texts) and any("5%" in t for t in texts)


def test_reproduce_skips_full_only_recipes_in_quick_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qdarwin.figures import reproduce as rep
    from qdarwin.figures._recipe import FigureRecipe

    def recipe(name: str, full_only: bool) -> FigureRecipe:
        return FigureRecipe(name=name, pillar="thermal", title=name, params=lambda full: full,
                            compute=lambda p, progress: p, full_only=full_only)

    monkeypatch.setattr(rep, "recipes", lambda pillar=None: [recipe("always", False), recipe("long", True)])
    quick = rep.reproduce("thermal", outdir=tmp_path / "q")
    full = rep.reproduce("thermal", full=True, outdir=tmp_path / "f")
    assert [o.name for o in quick] == ["always"]
    assert [o.name for o in full] == ["always", "long"]


class TestFigureReadability:
    """Regressions: sk_demo panels and projective-ensemble t = 0 drawing."""

    def test_sk_demo_separate_axes_units_and_bands(self) -> None:
        from qdarwin.figures.thermal import sk_demo as mod

        p = mod.SKParams()
        res = mod.SKResult(
            params=p, gs_density=np.full(len(p.gs_sizes), -1.6), scale_ratio=np.full(len(p.scale_m), -1.74),
            branch_energies=np.zeros(2), disorder_std=0.1, disorder_expected=0.1,
            late_sk=np.zeros(p.n_sites + 1), late_ising=np.zeros(p.n_sites + 1),
        )
        fig = mod.plot(res)
        ax, bx, cx = fig.axes
        assert "m" in bx.get_xlabel() and "N" in cx.get_xlabel() and "N" not in bx.get_xlabel()
        assert "J" in bx.get_ylabel() and "J per site" in cx.get_ylabel()
        for panel, values in ((bx, res.scale_ratio), (cx, res.gs_density)):
            (band,) = panel.patches
            lo, hi = sorted((band.get_y(), band.get_y() + band.get_height()))
            assert lo <= values.min() and values.max() <= hi  # a quoted value rounds into its band
            assert "quoted range" in band.get_label()
        plt.close(fig)

    def test_projective_t0_point_mass_at_zero(self) -> None:
        from qdarwin.figures.thermal import projective_ensemble as mod

        p = mod.ProjectiveParams(sizes=(12,), times=(0.0, 10.0))
        edges = np.linspace(-1, 1, p.bins + 1)
        spike = np.zeros(p.bins)
        spike[p.bins // 2] = 1.0  # z = 0 falls on an edge and is counted in [0, 0.1]
        flat = np.full(p.bins, 1.0 / p.bins)
        hist = {(k, 12): np.stack([spike, flat]) for k in ("encoding", "redundant")}
        stats = {(k, 12): np.zeros((2, 5)) for k in ("encoding", "redundant")}
        fig = mod.plot(mod.ProjectiveResult(p, edges, hist, stats, {}))
        t0_axes = [fig.axes[0], fig.axes[2]]
        for ax in t0_axes:
            from matplotlib.patches import StepPatch

            assert not [a for a in ax.patches if isinstance(a, StepPatch)]  # no bar drawn in [0, 0.1]
            (arrow,) = ax.texts
            assert arrow.xy[0] == 0.0
        plt.close(fig)
