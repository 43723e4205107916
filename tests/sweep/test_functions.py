"""Tests for qdarwin.sweep.functions: each sweepable function against an independent route."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.sweep.functions import binary_entropy, hamming_margin, near_degeneracy, random_band_redundancy, random_walk


class TestRandomWalk:
    def test_matches_numpy(self) -> None:
        ds = random_walk(6, -0.5, seed=11)
        expected = np.cumsum(np.random.default_rng(11).standard_normal(6) - 0.5)
        np.testing.assert_array_equal(ds["position"].values, expected)
        assert float(ds["final"]) == expected[-1] and ds["step"].values.tolist() == [1, 2, 3, 4, 5, 6]

    @pytest.mark.parametrize(("kwargs", "match"), [({"n_steps": 0}, "n_steps must be >= 1"), ({"n_steps": 2, "delay": -1.0}, "delay must be >= 0")])
    def test_errors(self, kwargs: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            random_walk(drift=0.0, seed=0, **kwargs)


class TestBinaryEntropy:
    @given(st.floats(0.001, 0.999))
    def test_formula(self, p: float) -> None:
        h = -p * math.log2(p) - (1 - p) * math.log2(1 - p)
        assert float(binary_entropy(p)["entropy"]) == pytest.approx(h, abs=1e-12)

    def test_out_of_range_raises(self) -> None:
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            binary_entropy(1.5)


class TestRandomBandRedundancy:
    def test_against_conditional_states(self) -> None:
        """xi = -ln mean_k Q_k(1/2) with Q from 2x2 conditional spin states (qdarwin.info route)."""
        from qdarwin.info import chernoff_overlap
        from qdarwin.spins.model import bloch_state, conditional_states

        n, seed, a, theta, delta = 6, 3, 0.8, 1.1, 0.01
        ds = random_band_redundancy(n, seed, band_width=1.5, t_max=2.0, n_times=5, delta=delta, a=a, theta=theta)
        g = np.random.default_rng(seed).uniform(0.0, 1.5, n)
        np.testing.assert_array_equal(ds["couplings"].values, g)
        rho0 = bloch_state(a, theta, 0.0)
        for t, xi, r in zip(ds["time"].values, ds["chernoff"].values, ds["redundancy"].values):
            up, down = conditional_states(rho0, g, 0.0, t)
            q = np.mean([float(chernoff_overlap(up[k], down[k], 0.5)) for k in range(n)])
            assert xi == pytest.approx(-math.log(q), abs=1e-10)
            assert r == pytest.approx(n * xi / math.log(1 / delta), rel=1e-12)

    def test_units_and_time_axis(self) -> None:
        ds = random_band_redundancy(4, 0, t_max=3.0, n_times=4)
        np.testing.assert_allclose(ds["time"].values, [0.0, 1.0, 2.0, 3.0])
        assert ds["chernoff"].attrs["units"] == "nat" and ds["chernoff"].values[0] == 0.0

    @pytest.mark.parametrize(("kwargs", "match"), [({"n_env": 0}, "n_env must be >= 1"), ({"n_env": 2, "n_times": 0}, "n_times must be >= 1")])
    def test_errors(self, kwargs: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            random_band_redundancy(seed=0, **kwargs)


class TestNearDegeneracy:
    def test_against_dense_evolution(self) -> None:
        """I(S:F_m) against exp(-iHt) on the full space and qdarwin.info.mutual_information."""
        from qdarwin.info import mutual_information
        from qdarwin.thermal.models import ChaoticIsing, interpolating

        n, sin_phi, times = 6, 0.4, [0.7, 1.3]
        ds = near_degeneracy(n, sin_phi, t_window=times)
        env = ChaoticIsing(n)
        setup = interpolating(math.asin(sin_phi))
        h = env.to_sparse().toarray()
        psi0 = setup.initial_branches(n)
        probs = np.asarray(setup.probs)
        for t in times:
            branches = scipy.linalg.expm(-1j * h * t) @ psi0.T
            state = sum(np.sqrt(probs[k]) * np.kron(np.eye(2)[k], branches[:, k]) for k in range(2))
            for m in range(1, n + 1):
                expected = mutual_information(state, [0], list(range(1, m + 1)), dims=[2] * (n + 1))
                assert float(ds["I"].sel(time=t, m=m)) == pytest.approx(expected, abs=1e-9)
        np.testing.assert_allclose(ds["I_late"].values, ds["I"].values.mean(axis=0), rtol=0, atol=1e-15)
        assert ds.attrs["Delta"] == pytest.approx(2 * env.hx * sin_phi)

    def test_bad_sin_phi(self) -> None:
        with pytest.raises(ValueError, match=r"sin_phi must lie in \[-1, 1\]"):
            near_degeneracy(6, 1.5)


class TestHammingMargin:
    @given(st.floats(0.0, 2.5), st.floats(0.0, 4.0))
    def test_margin_is_min_krawtchouk_eigenvalue(self, mu1: float, mu2: float) -> None:
        ds = hamming_margin(mu1, mu2)
        closed = min(mu1 + mu2 - 1.0, 1.0 + mu1 - mu2, 3.0 - 3.0 * mu1 + mu2)
        assert float(ds["margin"]) == pytest.approx(closed, abs=1e-9)
        if abs(closed) > 1e-6:
            assert int(ds["physical"]) == int(closed > 0)

    def test_constraint_matches_violation_map(self) -> None:
        from qdarwin.dephasing.speed_limits import violation_map

        mu1 = [(i + 0.5) * 0.25 for i in range(10)]
        mu2 = [(j + 0.5) * 0.5 for j in range(8)]
        expected = violation_map(mu1, mu2)
        got = np.array([[int(hamming_margin(a, b)["constraint"]) for b in mu2] for a in mu1])
        np.testing.assert_array_equal(got, expected)
        assert {0, 4, 5}.issubset(set(got.ravel()))

    def test_gamma_scales_margin(self) -> None:
        assert float(hamming_margin(1.0, 1.0, gamma=2.5)["margin"]) == pytest.approx(2.5, abs=1e-12)
