"""Tests for qdarwin.dephasing.fitting: single-coherence fits and whole-series rate fits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.dephasing import (
    check_constraints,
    evolve,
    fit_coherence,
    fit_rates,
    margin_uncertainty,
    synthetic_coherence_data,
    two_qubit_rates,
)


class TestFitCoherence:
    @given(st.floats(0.05, 3), st.floats(-8, 8), st.floats(0.1, 1), st.floats(-3, 3))
    def test_exact_recovery(self, gamma: float, omega: float, amp: float, phase: float) -> None:
        span = 3 / gamma
        n_pts = 40 + int(np.ceil(abs(omega) * span / (0.5 * np.pi)))  # |omega| dt < pi (spec §9)
        t = np.linspace(0, span, n_pts)
        z = amp * np.exp(1j * phase) * np.exp(-(gamma + 1j * omega) * t)
        fit = fit_coherence(t, z)
        assert fit.gamma == pytest.approx(gamma, abs=1e-7)
        assert fit.omega == pytest.approx(omega, abs=1e-7)
        assert abs(fit.amplitude - amp * np.exp(1j * phase)) < 1e-7

    def test_error_bars_calibrated(self) -> None:
        """Monte Carlo: the spread of fitted Gamma matches the reported sigma_gamma within 20%."""
        rng = np.random.default_rng(11)
        t = np.linspace(0, 3, 31)
        truth = 0.25 * np.exp(-(1.0 + 2.0j) * t)
        fits = []
        for _ in range(150):
            z = truth + 0.01 * (rng.standard_normal(31) + 1j * rng.standard_normal(31))
            fits.append(fit_coherence(t, z, sigma=0.01))
        g = np.array([f.gamma for f in fits])
        s = np.mean([f.sigma_gamma for f in fits])
        assert np.std(g) == pytest.approx(s, rel=0.2)
        assert np.mean(g) == pytest.approx(1.0, abs=3 * s / np.sqrt(150) + 1e-3)
        assert np.mean([f.chi2_red for f in fits]) == pytest.approx(1.0, abs=0.1)

    def test_unknown_sigma_scaled_by_chi2(self) -> None:
        rng = np.random.default_rng(2)
        t = np.linspace(0, 3, 31)
        z = 0.25 * np.exp(-(1.0 + 2.0j) * t) + 0.01 * (rng.standard_normal(31) + 1j * rng.standard_normal(31))
        a = fit_coherence(t, z, sigma=0.01)
        b = fit_coherence(t, z)
        assert b.gamma == pytest.approx(a.gamma, abs=1e-10)
        assert b.sigma_gamma == pytest.approx(a.sigma_gamma * np.sqrt(a.chi2_red), rel=1e-6)

    @pytest.mark.parametrize(
        "t, z, sigma, msg",
        [
            ([0, 1], [1, 0.5], None, "at least 3"),
            ([0, 1, 2], [1, 0.5], None, "does not match"),
            ([0, 1, np.nan], [1, 0.5, 0.2], None, "finite"),
            ([0, 1, 2], [1, 0.5, np.nan], None, "NaN"),
            ([0, 1, 2], [1, 0.5, 0.2], -1.0, "> 0"),
        ],
    )
    def test_bad_input(self, t: object, z: object, sigma: object, msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            fit_coherence(t, z, sigma)


class TestFitRates:
    def test_noiseless_round_trip(self, rng: np.random.Generator) -> None:
        g = two_qubit_rates(1.0, 1.5, 2.0)
        lam = np.array([0.0, 1.3, 2.1, 3.7])
        om = lam[:, None] - lam[None, :]
        t = np.linspace(0, 3, 40)
        fit = fit_rates(t, evolve(np.full((4, 4), 0.25), t, g, om))
        np.testing.assert_allclose(fit.gamma, g, atol=1e-8)
        np.testing.assert_allclose(fit.omega, om, atol=1e-8)
        assert fit.population_drift < 1e-15

    def test_workflow_flags_unphysical(self) -> None:
        """Spec §9: Gamma14 = Gamma23 = 2.6 Gamma with noise 2e-3 is flagged (z << -3, direction (1,-1,-1,1))."""
        rng = np.random.default_rng(5)
        g = two_qubit_rates(1.0, 2.6, 2.6)
        data = synthetic_coherence_data(g, None, np.linspace(0, 3, 61), noise=2e-3, rng=rng)
        fit = fit_rates(data.times, data.rho, data.sigma)
        res = margin_uncertainty(fit.gamma, fit.omega, fit.sigma_gamma, fit.sigma_omega)
        assert res.z < -20
        rep = check_constraints(np.clip(fit.gamma, 0, None), fit.omega)
        assert rep.first_violation == 3
        np.testing.assert_allclose(np.abs(rep.violating_direction), 0.5, atol=0.02)
        signs = np.sign(rep.violating_direction.real)
        assert signs.tolist() == [1, -1, -1, 1]

    def test_bad_shapes(self) -> None:
        with pytest.raises(ValueError, match="rho_series"):
            fit_rates([0, 1, 2], np.zeros((3, 2, 3)))
        with pytest.raises(ValueError, match="times"):
            fit_rates([0, 1], np.zeros((3, 2, 2)))
