"""Tests for the dephasing figure recipes: claims pass, plots build, registry lists them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from qdarwin.figures.dephasing import RECIPES
from qdarwin.figures.dephasing import fig1_cone, fig2_negativity, fig3_violation_map, spec_reference_values
from qdarwin.figures.registry import recipes


def failing(claims: list) -> list:
    return [c for c in claims if not c.passed]


class TestRegistry:
    def test_names(self) -> None:
        assert [r.name for r in RECIPES] == ["fig1_cone", "fig2_negativity", "fig3_violation_map", "spec_reference_values"]
        assert all(r.pillar == "dephasing" for r in RECIPES)
        assert [r.name for r in recipes("dephasing")] == [r.name for r in RECIPES]


class TestFig1Cone:
    def test_claims_and_plot(self) -> None:
        res = fig1_cone.compute(fig1_cone.Fig1Params(n_r=6, n_theta=13, n_samples=3000))
        cl = fig1_cone.claims(res)
        assert len(cl) >= 6 and not failing(cl)
        fig = fig1_cone.plot(res)
        assert len(fig.axes) >= 2
        plt.close(fig)

    def test_panel_a_clean_rim_and_visible_legend_line(self) -> None:
        import math

        import numpy as np

        res = fig1_cone.compute(fig1_cone.Fig1Params(n_r=6, n_theta=13, n_samples=300))
        x_cut = 1.2 * math.sqrt(3)
        sc = fig1_cone.cut_surface(res, x_cut)
        rim_x = sc[-1] @ fig1_cone.COORDS[0]
        assert np.allclose(rim_x, x_cut, rtol=1e-12)  # every ray ends on the cut plane
        assert np.all(sc @ fig1_cone.COORDS[0] <= x_cut * (1 + 1e-12)) and not np.isnan(sc).any()
        # surface points stay on det G = 0 (single real operators, rescaled rays)
        cone = (sc @ fig1_cone.COORDS[1]) ** 2 + (sc @ fig1_cone.COORDS[2]) ** 2
        assert np.allclose(cone, (sc @ fig1_cone.COORDS[0]) ** 2 / 2, atol=1e-12)
        fig = fig1_cone.plot(res)
        ax = fig.axes[0]
        assert len(ax.get_legend().get_lines()) >= 1
        for line in ax.get_legend().get_lines():
            label = line.get_label()
            drawn = [ln for ln in ax.get_lines() if ln.get_label() == label]
            assert drawn, label
            xs, ys, zs = drawn[0].get_data_3d()
            # the labelled axis segment lies outside the cone's cut (where the surface cannot hide it)
            assert np.all((np.asarray(xs) + np.asarray(ys) + np.asarray(zs)) / math.sqrt(3) >= x_cut - 1e-12)
        plt.close(fig)

    def test_claim_can_fail(self) -> None:
        """The cone-vs-PSD claim detects a wrong classification (it is not vacuous)."""
        res = fig1_cone.compute(fig1_cone.Fig1Params(n_r=4, n_theta=5, n_samples=500))
        broken = fig1_cone.Fig1Result(**{**res.__dict__, "physical": ~res.physical})
        keys = {c.key for c in failing(fig1_cone.claims(broken))}
        assert "dephasing/fig1/cone-vs-psd" in keys


class TestFig2Negativity:
    def test_claims_and_plot(self) -> None:
        res = fig2_negativity.compute(fig2_negativity.params(False))
        cl = fig2_negativity.claims(res)
        assert len(cl) >= 7 and not failing(cl)
        fig = fig2_negativity.plot(res)
        plt.close(fig)


class TestFig3ViolationMap:
    def test_claims_and_plot(self) -> None:
        res = fig3_violation_map.compute(fig3_violation_map.Fig3Params(n_mu1=50, n_mu2=40))
        cl = fig3_violation_map.claims(res)
        assert not failing(cl)
        assert res.reg_counts == {0: 400, 4: 400, 5: 788, 6: 345, 7: 35, 8: 32}
        fig = fig3_violation_map.plot(res)
        plt.close(fig)


class TestSpecReferenceValues:
    def test_all_claims_pass(self) -> None:
        res = spec_reference_values.compute(spec_reference_values.RefParams(term_count_levels=(3, 4, 5)))
        cl = spec_reference_values.claims(res)
        assert len(cl) >= 70 and not failing(cl)
        keys = {c.key for c in cl}
        assert {"dephasing/ref/S8", "dephasing/ref/S8-paper-slip", "dephasing/ref/terms-N5"} <= keys

    @pytest.mark.parametrize("key", ["S5", "S13"])
    def test_claims_detect_wrong_values(self, key: str) -> None:
        res = spec_reference_values.compute(spec_reference_values.RefParams(term_count_levels=(3,)))
        res[key] = res["S6"]  # a physical report in place of a violation
        assert any(c.key.startswith(f"dephasing/ref/{key}-") for c in failing(spec_reference_values.claims(res)))
