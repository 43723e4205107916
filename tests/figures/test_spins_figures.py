"""Tests for the spins figure recipes 2, 3 and 5 (src/qdarwin/figures/spins/fig{2,3,5}_*.py).

The recipes run here with reduced grids (seconds); the claims that do not depend on the grid
must pass, the plots must build, and corrupted results must make the claims fail.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from qdarwin.figures.registry import recipes
from qdarwin.figures.spins import fig1_bloch_trajectories as fig1
from qdarwin.figures.spins import fig2_chernoff_sphere as fig2
from qdarwin.figures.spins import fig3_gaussian_redundancy as fig3
from qdarwin.figures.spins import fig5_random_band as fig5


@pytest.fixture(scope="module")
def result() -> fig1.Fig1Result:
    """Fig. 1 with a short time grid."""
    return fig1.compute(fig1.Fig1Params(n_steps=25))


@pytest.fixture(scope="module")
def fig2_result() -> fig2.Fig2Result:
    return fig2.compute(fig2.Fig2Params(n_theta=13, n_phi=25))


@pytest.fixture(scope="module")
def fig3_result() -> fig3.Fig3Result:
    p = fig3.Fig3Params(sizes=(100, 1000), n_times=120, n_plateau=200, n_exact_times=5, n_finite_exact_times=2)
    return fig3.compute(p)


@pytest.fixture(scope="module")
def fig5_result() -> fig5.Fig5Result:
    return fig5.compute(fig5.Fig5Params(n_lines=80, n_points=8, n_inset=3))


def _failed(claims: list) -> list[str]:
    return [f"{c.key}: expected {c.expected}, computed {c.computed}" for c in claims if not c.passed]


class TestRegistry:
    def test_recipes_registered(self) -> None:
        names = [r.name for r in recipes("spins")]
        for name in ("fig1_bloch_trajectories", "fig2_chernoff_sphere", "fig3_gaussian_redundancy", "fig5_random_band"):
            assert name in names

    @pytest.mark.parametrize("mod", [fig1, fig2, fig3, fig5])
    def test_full_mode_is_denser(self, mod: object) -> None:
        quick, full = mod.params(False), mod.params(True)  # type: ignore[attr-defined]
        assert quick != full
        assert dataclasses.replace(quick) == quick  # frozen parameter dataclass


class TestFig1:
    def test_claims_pass(self, result: fig1.Fig1Result) -> None:
        assert not _failed(fig1.claims(result))

    def test_trajectories_brute_force(self, result: fig1.Fig1Result) -> None:
        # rotate the initial Bloch vector with scipy expm of the 2x2 Hamiltonian (independent route)
        from scipy.linalg import expm

        p = result.params
        sx = np.array([[0, 1], [1, 0]], dtype=complex)
        sz = np.diag([1.0, -1.0]).astype(complex)
        ts = np.linspace(0.0, p.t, p.n_steps)
        for tr in result.panels:
            n = np.array([math.sin(p.theta0) * math.cos(p.phi0), math.sin(p.theta0) * math.sin(p.phi0), math.cos(p.theta0)])
            rho0 = 0.5 * (np.eye(2) + tr.a * (n[0] * sx + n[2] * sz + n[1] * np.array([[0, -1j], [1j, 0]])))
            for s, traj in ((1, tr.up), (-1, tr.down)):
                for j in (0, p.n_steps // 2, p.n_steps - 1):
                    u = expm(-1j * ts[j] * (s * p.g * sz + tr.omega * sx))
                    np.testing.assert_allclose(traj[j], fig1.bloch_vectors(u @ rho0 @ u.conj().T), atol=1e-12)

    def test_corrupted_result_fails(self, result: fig1.Fig1Result) -> None:
        tr = result.panels[1]
        bad = dataclasses.replace(result, panels=(result.panels[0], dataclasses.replace(tr, xi_end=tr.xi_end * 1.01),
                                                  result.panels[2]))
        assert any("xi-b" in f for f in _failed(fig1.claims(bad)))

    def test_plot(self, result: fig1.Fig1Result) -> None:
        import matplotlib.pyplot as plt

        fig = fig1.plot(result)
        assert len(fig.axes) == 3
        plt.close(fig)


class TestFig2:
    def test_claims_pass(self, fig2_result: fig2.Fig2Result) -> None:
        claims = fig2.claims(fig2_result)
        assert len(claims) >= 15
        assert not _failed(claims)

    def test_surface_matches_closed_form(self, fig2_result: fig2.Fig2Result) -> None:
        # spec §2.4 (omega = 0): xi = -ln[1 - lambda sin^2(2 g t) sin^2 theta], independent route
        pa, pb, _ = fig2_result.panels
        th = pa.theta[:, None]
        t = fig2_result.params.t
        for pn in (pa, pb):
            lam = 1 - math.sqrt(1 - pn.a**2)
            expected = -np.log1p(-lam * math.sin(2 * 0.5 * t) ** 2 * np.sin(th) ** 2) * np.ones_like(pn.xi)
            np.testing.assert_allclose(pn.xi, expected, atol=1e-12)

    def test_panel_c_axis_is_insensitive(self, fig2_result: fig2.Fig2Result) -> None:
        # brute force with 2x2 matrices: a pure spin along m has the same state in both branches
        from scipy.linalg import expm

        c = fig2_result.panels[2]
        sx = np.array([[0, 1], [1, 0]], dtype=complex)
        sz = np.diag([1.0, -1.0]).astype(complex)
        t = fig2_result.params.t
        u_up = expm(-1j * t * (0.5 * sz + c.omega * sx))
        u_dn = expm(-1j * t * (-0.5 * sz + c.omega * sx))
        th, ph = fig2._direction_angles(c.axis)
        ket = np.array([math.cos(th / 2), np.exp(1j * ph) * math.sin(th / 2)])
        assert abs(np.vdot(u_up @ ket, u_dn @ ket)) == pytest.approx(1.0, abs=1e-12)

    def test_corrupted_result_fails(self, fig2_result: fig2.Fig2Result) -> None:
        pa = fig2_result.panels[0]
        bad = dataclasses.replace(fig2_result, panels=(dataclasses.replace(pa, xi=pa.xi * 1.001),
                                                       *fig2_result.panels[1:]))
        failed = _failed(fig2.claims(bad))
        assert any("equator-max-a" in f for f in failed)

    def test_plot(self, fig2_result: fig2.Fig2Result) -> None:
        import matplotlib.pyplot as plt

        fig = fig2.plot(fig2_result)
        assert len(fig.axes) == 4  # three panels and the colour bar
        assert "nats" in fig.axes[0].get_xlabel()
        plt.close(fig)


class TestFig3:
    def test_claims_pass(self, fig3_result: fig3.Fig3Result) -> None:
        claims = fig3.claims(fig3_result)
        assert not _failed(claims)
        keys = {c.key for c in claims}
        assert {"spins/fig3/t-star", "spins/fig3/R-exact-t10", "spins/fig3/plateau-100"} <= keys

    def test_finite_n_curve_independent_route(self, fig3_result: fig3.Fig3Result) -> None:
        # spec §8 Fig. 3 (iii): R_N = -N ln<cos^2(2 g_k t)> / ln(1e16), from the stored couplings
        fn = fig3_result.finite[0]
        t = fig3_result.times[::17]
        expected = -fn.n_env * np.log(np.mean(np.cos(2 * np.outer(t, fn.couplings)) ** 2, axis=1)) / math.log(1e16)
        np.testing.assert_allclose(fn.r_qcb[::17], expected, rtol=1e-10)
        # quadratic line: (t / tau_D)^2 / ln(1e16) with tau_D = sqrt(3)/4
        np.testing.assert_allclose(fig3_result.r_line, (fig3_result.times * 4 / math.sqrt(3)) ** 2 / math.log(1e16),
                                   rtol=1e-12)

    def test_recurrence_time_of_realisation(self, fig3_result: fig3.Fig3Result) -> None:
        for fn in fig3_result.finite:
            assert fn.t_rec == pytest.approx(math.pi / (4 * math.sqrt(np.mean(fn.couplings**2))), rel=1e-12)
            assert np.all(np.abs(fn.couplings) <= 2 / math.sqrt(fn.n_env))

    def test_corrupted_result_fails(self, fig3_result: fig3.Fig3Result) -> None:
        bad = dataclasses.replace(fig3_result, r_exact_t10=fig3_result.r_line_t10)
        failed = _failed(fig3.claims(bad))
        assert any("R-exact-t10" in f for f in failed) and any("exact-over-line" in f for f in failed)

    def test_plot(self, fig3_result: fig3.Fig3Result) -> None:
        import matplotlib.pyplot as plt

        fig = fig3.plot(fig3_result)
        ax = fig.axes[0]
        assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
        assert "time" in ax.get_xlabel() and "R" in ax.get_ylabel()
        plt.close(fig)


class TestFig5:
    def test_claims_pass(self, fig5_result: fig5.Fig5Result) -> None:
        claims = fig5.claims(fig5_result)
        assert sum(c.key.startswith("spins/fig5/solid") for c in claims) == 3
        assert not _failed(claims)

    def test_curves_closed_forms(self, fig5_result: fig5.Fig5Result) -> None:
        # spec §8 Fig. 5 formulas, evaluated here independently of the recipe
        wt = fig5_result.wt
        solid = -np.log(0.5 + np.sin(4 * wt) / (8 * wt)) / math.log(2)
        ln_d = math.log(1e10)
        dashed = solid * math.log(2) * ln_d / ((ln_d - math.log(math.log(4))) * math.log(2))
        np.testing.assert_allclose(fig5_result.solid, solid, rtol=1e-12)
        np.testing.assert_allclose(fig5_result.dashed, dashed, rtol=1e-10)
        np.testing.assert_allclose(fig5_result.green, 4 * wt**2 / (3 * math.log(2)), rtol=1e-12)

    def test_annealed_points_quantised(self, fig5_result: fig5.Fig5Result) -> None:
        f_int = math.log(1e10) / (fig5_result.annealed_int * math.log(2))
        np.testing.assert_allclose(f_int, np.round(f_int), atol=1e-9)

    def test_corrupted_result_fails(self, fig5_result: fig5.Fig5Result) -> None:
        bad = dataclasses.replace(fig5_result, annealed_cont=fig5_result.annealed_cont * 1.01)
        assert any("continuous-F-on-dashed" in f for f in _failed(fig5.claims(bad)))

    def test_plot(self, fig5_result: fig5.Fig5Result) -> None:
        import matplotlib.pyplot as plt

        fig = fig5.plot(fig5_result)
        ax = fig.axes[0]
        assert ax.get_xscale() == "log" and "Wt" in ax.get_xlabel()
        plt.close(fig)


class TestBandMoments:
    @pytest.mark.parametrize("w,t", [(1.0, 0.3), (1.0, 1.0), (2.0, 3.1)])
    def test_against_quadrature(self, w: float, t: float) -> None:
        k = np.array([0, 1, 2, 7, 30])
        got = fig5.band_moments(w, t, k)
        ref = [quad(lambda g: np.cos(2 * g * t) ** (2 * kk), 0, w, limit=400)[0] / w for kk in k]
        np.testing.assert_allclose(got, ref, atol=1e-12)

    @given(st.floats(0.0, 50.0), st.integers(0, 200))
    def test_bounds_and_limits(self, wt: float, k: int) -> None:
        mu = float(fig5.band_moments(1.0, wt, np.array([k]))[0])
        assert -1e-12 <= mu <= 1 + 1e-12
        if wt == 0.0 or k == 0:
            assert mu == pytest.approx(1.0, abs=1e-12)

    def test_long_time_limit(self) -> None:
        # u uniform over many periods: <cos^{2k}> -> C(2k, k) / 4^k
        k = np.array([1, 3, 10])
        got = fig5.band_moments(1.0, 1e7, k)
        np.testing.assert_allclose(got, [math.comb(2 * kk, kk) / 4**kk for kk in k], atol=1e-6)

    def test_rejects_bad_orders(self) -> None:
        with pytest.raises(ValueError, match="non-negative integers"):
            fig5.band_moments(1.0, 1.0, np.array([1.5]))
