"""Tests for qdarwin.dephasing.synthetic: the synthetic tomography generator."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.dephasing import evolve, synthetic_coherence_data, two_qubit_rates


class TestSyntheticCoherenceData:
    def test_noiseless_equals_evolve(self, rng: np.random.Generator) -> None:
        g = two_qubit_rates(1.0, 1.0, 2.0)
        om = np.zeros((4, 4))
        om[0, 1], om[1, 0] = 2.0, -2.0
        t = np.linspace(0, 2, 5)
        data = synthetic_coherence_data(g, om, t, noise=0.0, rng=rng)
        np.testing.assert_allclose(data.rho, evolve(np.full((4, 4), 0.25), t, g, om), atol=1e-15)

    def test_noise_statistics_and_hermiticity(self, rng: np.random.Generator) -> None:
        g = np.zeros((3, 3))
        data = synthetic_coherence_data(g, None, np.zeros(4000), noise=0.1, rng=rng)
        np.testing.assert_allclose(data.rho, np.conj(np.swapaxes(data.rho, 1, 2)))
        dev = data.rho[:, 0, 1] - 1 / 3
        assert np.std(dev.real) == pytest.approx(0.1, rel=0.05)
        assert np.std(dev.imag) == pytest.approx(0.1, rel=0.05)
        np.testing.assert_allclose(np.diagonal(data.rho, axis1=1, axis2=2), 1 / 3)

    def test_unphysical_rates_allowed(self, rng: np.random.Generator) -> None:
        data = synthetic_coherence_data(two_qubit_rates(1.0, 2.6, 2.6), None, [0.0, 1.0], noise=0.0, rng=rng)
        assert data.rho.shape == (2, 4, 4)

    def test_bad(self, rng: np.random.Generator) -> None:
        with pytest.raises(ValueError, match="noise"):
            synthetic_coherence_data(np.zeros((2, 2)), None, [0.0], noise=-1.0, rng=rng)
        with pytest.raises(ValueError, match="rng"):
            synthetic_coherence_data(np.zeros((2, 2)), None, [0.0], noise=0.1, rng=1)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="times"):
            synthetic_coherence_data(np.zeros((2, 2)), None, [-1.0], noise=0.1, rng=rng)
