"""Tests for qdarwin.spins.redundancy: QCB estimates, Gaussian regime, random band, C(p), discretised rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from qdarwin.info import binary_entropy
from qdarwin.spins.chernoff import typical_chernoff
from qdarwin.spins.model import SpinEnvironment, decoherence_factors
from qdarwin.spins.redundancy import (
    decoherence_time,
    discretised_redundancy,
    expansion_constant,
    gaussian_redundancy,
    onset_time,
    random_band_chernoff,
    random_band_mean_of_logs,
    recurrence_time,
    redundancy_expansion,
    redundancy_qcb,
)

DELTA_MSG = r"delta must lie in the open interval \(0, 1\)"


class TestRedundancyQcb:
    def test_formula(self) -> None:
        assert redundancy_qcb(32, 0.902881814361, 1e-10) == pytest.approx(1.25477308732, abs=1e-9)
        assert np.allclose(redundancy_qcb(10, [0.0, math.log(2)], 0.5), [0.0, 10.0])

    def test_infinite_xi(self) -> None:
        # orthogonal records: one spin holds the record, so R = N (never inf, never above N)
        assert redundancy_qcb(4, math.inf, 0.1) == 4.0
        assert redundancy_qcb(10, math.inf, 0.1) == 10.0

    def test_never_exceeds_n(self) -> None:
        xi = np.array([0.0, 0.1, math.log(10.0), 5.0, math.inf])
        r = redundancy_qcb(10, xi, 0.1)
        assert r.tolist() == pytest.approx([0.0, 10 * 0.1 / math.log(10.0), 10.0, 10.0, 10.0])

    @pytest.mark.parametrize("delta", [0.0, 1.0, -0.2, 1.5])
    def test_bad_delta(self, delta: float) -> None:
        with pytest.raises(ValueError, match=DELTA_MSG):
            redundancy_qcb(10, 0.1, delta)

    def test_bad_inputs(self) -> None:
        with pytest.raises(ValueError, match="n_env"):
            redundancy_qcb(0, 0.1, 0.1)
        with pytest.raises(ValueError, match="non-negative"):
            redundancy_qcb(5, -0.1, 0.1)


class TestDecoherenceTime:
    def test_uniform_moments(self) -> None:
        assert decoherence_time(moments=4 / 3) == pytest.approx(math.sqrt(3) / 4, abs=1e-12)

    def test_samples(self, rng: np.random.Generator) -> None:
        G = rng.uniform(-2, 2, 1000)
        th = rng.uniform(0, math.pi, 1000)
        assert decoherence_time(G, theta=th) == pytest.approx(
            1 / (2 * math.sqrt(np.mean(G**2 * np.sin(th) ** 2))), rel=1e-14
        )

    def test_gaussian_decay_of_pure_environment(self, rng: np.random.Generator) -> None:
        """|gamma(t)|^2 -> exp(-t^2/tau_D^2) for g_k = G_k/sqrt(N), large N."""
        n = 20000
        G = rng.uniform(-2, 2, n)
        env = SpinEnvironment(g=G / math.sqrt(n))
        tau = decoherence_time(G)
        for t in (0.2, 0.5):
            log_x = np.sum(np.log(np.cos(2 * env.g * t) ** 2))
            assert log_x == pytest.approx(-(t**2) / tau**2, rel=1e-3)

    def test_mixed_spins_true_decoherence(self, rng: np.random.Generator) -> None:
        """|gamma|^2 -> exp(-t^2/tau_dec^2) with 1/tau_dec^2 = 4<G^2 (1 - a^2 cos^2 theta)>."""
        n = 20000
        G = rng.uniform(-2, 2, n)
        a, th = 0.6, 0.4
        env = SpinEnvironment(a=a, theta=th, g=G / math.sqrt(n))
        tau = decoherence_time(G, theta=th, a=a)
        assert tau == pytest.approx(1 / (2 * math.sqrt(np.mean(G**2) * (1 - a**2 * math.cos(th) ** 2))))
        t = 0.4
        log_x = np.sum(np.log(np.abs(decoherence_factors(env, t)) ** 2))
        assert log_x == pytest.approx(-(t**2) / tau**2, rel=1e-3)
        assert decoherence_time(G, theta=th, a=1.0) == pytest.approx(decoherence_time(G, theta=th), rel=1e-14)
        with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
            decoherence_time(G, a=1.5)

    def test_zero_coupling(self) -> None:
        assert decoherence_time([0.0, 0.0]) == math.inf

    def test_exactly_one_input(self) -> None:
        with pytest.raises(ValueError, match="exactly one"):
            decoherence_time()
        with pytest.raises(ValueError, match="exactly one"):
            decoherence_time([1.0], moments=1.0)


class TestOnsetTime:
    def test_spec_row7(self) -> None:
        assert onset_time(math.sqrt(3) / 4, 1e-16) == pytest.approx(3.71692218885, abs=1e-9)

    def test_redundancy_two_at_onset(self) -> None:
        tau, delta, alpha = 0.3, 1e-8, 0.4
        assert gaussian_redundancy(
            onset_time(tau, delta, alpha), tau, delta, alpha
        ) == pytest.approx(2.0, abs=1e-12)

    @pytest.mark.parametrize("alpha", [0.0, -1.0])
    def test_bad_alpha(self, alpha: float) -> None:
        with pytest.raises(ValueError, match="receptivity must be positive"):
            onset_time(1.0, 0.1, alpha)

    def test_bad_delta(self) -> None:
        with pytest.raises(ValueError, match=DELTA_MSG):
            onset_time(1.0, 1.0)


class TestGaussianRedundancy:
    def test_anchor(self) -> None:
        assert gaussian_redundancy(10.0, math.sqrt(3) / 4, 1e-16) == pytest.approx(
            14.476483, abs=1e-6
        )

    def test_quadratic_and_even(self) -> None:
        r = gaussian_redundancy(np.array([-2.0, 1.0, 2.0]), 0.5, 0.01)
        assert r[0] == r[2] and r[2] == pytest.approx(4 * r[1], rel=1e-14)

    def test_matches_qcb_at_small_t(self, rng: np.random.Generator) -> None:
        """N xi_QCB/ln(1/delta) -> 4 t^2 <G^2>/ln(1/delta) for g = G/sqrt(N)."""
        n = 10000
        G = rng.uniform(-2, 2, n)
        env = SpinEnvironment(g=G / math.sqrt(n))
        t = 0.5
        r_qcb = redundancy_qcb(n, typical_chernoff(env, t), 1e-16)
        assert r_qcb == pytest.approx(gaussian_redundancy(t, decoherence_time(G), 1e-16), rel=1e-4)


class TestRecurrenceTime:
    def test_formula_and_spec_values(self, rng: np.random.Generator) -> None:
        assert recurrence_time([2.0, -2.0]) == pytest.approx(math.pi / 8, abs=1e-15)
        for n, expected in ((100, 6.80), (1000, 21.5), (10000, 68.0)):
            # <G^2> = 4/3 exactly: t_rec = pi sqrt(3 N) / 8
            g = np.full(n, math.sqrt(4 / 3) / math.sqrt(n))
            assert recurrence_time(g) == pytest.approx(expected, rel=3e-3)

    def test_empty(self) -> None:
        with pytest.raises(ValueError, match="at least one"):
            recurrence_time([])


class TestRandomBandChernoff:
    def test_vs_quadrature(self) -> None:
        for A_lam, th, W, t in ((1.0, math.pi / 2, 1.0, 0.7), (0.4, 1.0, 2.0, 3.3)):
            A = A_lam * math.sin(th) ** 2

            def overlap(g: float, A: float = A, t: float = t) -> float:
                return 1 - A * math.sin(2 * g * t) ** 2

            mean, _ = quad(overlap, 0, W, epsabs=1e-14, limit=200)
            assert random_band_chernoff(W, t, A_lam, th) == pytest.approx(
                -math.log(mean / W), abs=1e-12
            )

    def test_limits(self) -> None:
        assert random_band_chernoff(1.0, 0.0) == 0.0
        assert random_band_chernoff(1.0, 1e-9) == pytest.approx(
            4 * 1e-18 / 3, rel=1e-6
        )  # 4 W^2 t^2/3
        assert random_band_chernoff(1.0, 1e7) == pytest.approx(math.log(2), abs=1e-7)
        assert random_band_chernoff(1.0, 1e7, lam=0.5) == pytest.approx(-math.log(0.75), abs=1e-7)

    def test_spec_row8(self) -> None:
        assert random_band_chernoff(1.0, 1.0) == pytest.approx(0.902881814361, abs=1e-9)

    def test_bad_band(self) -> None:
        with pytest.raises(ValueError, match="bandwidth must be positive"):
            random_band_chernoff(0.0, 1.0)
        with pytest.raises(ValueError, match="bandwidth must be positive"):
            random_band_mean_of_logs(-1.0, 1.0)

    def test_finite_environment_converges(self, rng: np.random.Generator) -> None:
        env = SpinEnvironment(g=rng.uniform(0, 1.0, 200000))
        assert typical_chernoff(env, 1.3) == pytest.approx(random_band_chernoff(1.0, 1.3), abs=5e-3)


class TestRandomBandMeanOfLogs:
    def test_spec_row8(self) -> None:
        assert random_band_mean_of_logs(1.0, 1.0) == pytest.approx(1.88543624267, abs=1e-9)

    def test_vs_direct_quadrature(self) -> None:
        A, W, t = 0.6, 1.5, 4.1
        val, _ = quad(
            lambda g: -math.log(1 - A * math.sin(2 * g * t) ** 2), 0, W, limit=500, epsabs=1e-13
        )
        assert random_band_mean_of_logs(W, t, lam=A) == pytest.approx(val / W, abs=1e-10)

    def test_long_time_limits(self) -> None:
        assert random_band_mean_of_logs(1.0, 1000 * math.pi / 2) == pytest.approx(
            math.log(4), abs=1e-10
        )
        A = 0.5
        assert random_band_mean_of_logs(1.0, 1000 * math.pi / 2, lam=A) == pytest.approx(
            -2 * math.log((1 + math.sqrt(1 - A)) / 2), abs=1e-10
        )

    def test_exceeds_log_of_mean(self) -> None:
        t = np.array([0.1, 0.5, 1.0, 3.0])
        assert np.all(random_band_mean_of_logs(1.0, t) >= random_band_chernoff(1.0, t))
        assert random_band_mean_of_logs(1.0, [0.0, -1.0]).tolist() == [
            0.0,
            random_band_mean_of_logs(1.0, 1.0),
        ]


class TestExpansionConstant:
    def test_values(self) -> None:
        assert expansion_constant(0.5) == pytest.approx(math.log(4), abs=1e-12)
        assert expansion_constant(0.125) == pytest.approx(1.32769070622, abs=1e-9)

    def test_definition_and_continuity(self) -> None:
        p = np.array([0.01, 0.2, 0.4, 0.5 - 1e-7, 0.5 + 1e-7, 0.7])
        q = 1 - p
        with np.errstate(invalid="ignore"):
            ref = binary_entropy(p) * (p - q) * math.log(2) / (p * q * np.log(p / q))
        got = expansion_constant(p)
        assert np.allclose(got[[0, 1, 2, 5]], ref[[0, 1, 2, 5]], rtol=1e-12)
        assert np.allclose(got[3:5], math.log(4), atol=1e-12)
        assert np.all(got > 1)
        # C(p) -> 1 as p -> 0, like 1 + 1/ln(1/p)
        small = expansion_constant(np.array([1e-2, 1e-4, 1e-8, 1e-300]))
        assert np.all(np.diff(small) < 0) and 1.0 < small[-1] < 1.002
        assert small[2] == pytest.approx(1 + 1 / math.log(1e8), abs=1e-3)

    @pytest.mark.parametrize("p", [0.0, 1.0])
    def test_no_missing_information(self, p: float) -> None:
        with pytest.raises(ValueError, match=r"no missing information \(p in \{0,1\}\)"):
            expansion_constant(p)

    def test_out_of_range(self) -> None:
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            expansion_constant(1.2)


class TestRedundancyExpansion:
    def test_spec_row12(self) -> None:
        assert redundancy_expansion(1, 0.8, 1e-10, 0.5) == pytest.approx(0.00983045162123, rel=1e-8)

    def test_no_decoherence(self) -> None:
        assert redundancy_expansion(10, 1.0, 1e-10, 0.3) == 0.0

    def test_delta_too_large(self) -> None:
        with pytest.raises(ValueError, match="too large"):
            redundancy_expansion(10, 0.5, 0.9, 0.5)


class TestDiscretisedRedundancy:
    def test_steps(self) -> None:
        delta = 1e-10
        for f in (1, 2, 3, 4):
            mean = delta ** (1 / (f - 0.5))  # F_c = f - 1/2 -> ceil = f
            r, fc = discretised_redundancy(32, [mean, mean], delta)
            # F_c >= 1: a record needs at least one spin
            assert fc == pytest.approx(max(f - 0.5, 1.0), rel=1e-12)
            assert r == pytest.approx(32 / f, rel=1e-14)

    def test_batched_over_time(self) -> None:
        xs = np.array([[1.0, 1.0], [0.5, 0.5], [1e-12, 1e-12]])
        r, fc = discretised_redundancy(8, xs, 0.25)
        assert r.tolist() == [0.0, 4.0, 8.0]
        assert fc[0] == math.inf and fc[1] == pytest.approx(2.0)

    def test_not_reached(self) -> None:
        r, fc = discretised_redundancy(3, [0.99], 1e-10)
        assert r == 0.0 and fc > 3

    def test_bad_overlaps(self) -> None:
        with pytest.raises(ValueError, match="overlaps"):
            discretised_redundancy(3, [1.5], 0.1)
