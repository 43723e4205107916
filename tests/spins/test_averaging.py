"""Tests for qdarwin.spins.averaging: fragment averages (series / enumeration / Monte Carlo), F_delta, annealed."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.integrate import quad

from qdarwin.info import binary_entropy
from qdarwin.spins.annealed import annealed_deficit, annealed_redundancy, gaussian_exact_redundancy
from qdarwin.spins.averaging import (
    elementary_symmetric_means,
    f_delta,
    fragment_average_deficit,
    fragment_average_information,
    redundancy_from_curve,
)
from qdarwin.spins.chernoff import typical_chernoff
from qdarwin.spins.exact import holevo_deficit_pure, identical_redundancy, info_pure_environment
from qdarwin.spins.model import SpinEnvironment, decoherence_factors
from qdarwin.spins.redundancy import (
    decoherence_time,
    gaussian_redundancy,
    redundancy_expansion,
    redundancy_qcb,
)


def _brute_esm(v: np.ndarray, m: int) -> float:
    return float(np.mean([np.prod(v[list(c)]) for c in itertools.combinations(range(v.size), m)]))


def _random_xs(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.uniform(0, 1, n) ** 0.3
    x[0], x[1] = 1.0, 0.0  # an inert spin and a perfect record
    return x


class TestElementarySymmetricMeans:
    def test_vs_brute_force(self, rng: np.random.Generator) -> None:
        v = rng.normal(size=8)
        e = elementary_symmetric_means(v)
        assert e.shape == (9,)
        for m in range(9):
            assert e[m] == pytest.approx(_brute_esm(v, m), abs=1e-13)

    def test_batched_and_truncated(self, rng: np.random.Generator) -> None:
        v = rng.uniform(0, 1, (3, 6))
        e = elementary_symmetric_means(v, 2)
        assert e.shape == (3, 3)
        for i in range(3):
            assert e[i, 2] == pytest.approx(_brute_esm(v[i], 2), abs=1e-14)

    def test_maclaurin(self, rng: np.random.Generator) -> None:
        v = rng.uniform(0, 1, 30)
        e = elementary_symmetric_means(v)
        assert np.all(e <= np.mean(v) ** np.arange(31) * (1 + 1e-12))

    def test_no_overflow(self) -> None:
        e = elementary_symmetric_means(np.full(2000, 1e-3), 2000)
        assert np.all(np.isfinite(e)) and e[-1] == pytest.approx(0.0, abs=1e-300)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match="m_max must be <= N"):
            elementary_symmetric_means([1.0, 2.0], 3)


class TestFragmentAverageDeficit:
    @pytest.mark.parametrize("p", [0.5, 0.3, 0.05])
    def test_series_vs_enumeration(self, rng: np.random.Generator, p: float) -> None:
        x = _random_xs(rng, 12)
        s = fragment_average_deficit(x, p)
        e = fragment_average_deficit(x, p, method="enumerate")
        assert np.allclose(s.deficit, e.deficit, atol=1e-13, rtol=0)
        assert s.deficit[0] == float(binary_entropy(p)) and s.m.tolist() == list(range(13))
        assert np.all(s.stderr <= 1e-13) and np.all(e.stderr == 0)

    def test_series_relative_accuracy_tiny_deficits(self, rng: np.random.Generator) -> None:
        x = rng.uniform(0.001, 0.05, 14)
        s = fragment_average_deficit(x, 0.5)
        e = fragment_average_deficit(x, 0.5, method="enumerate")
        assert e.deficit[-1] < 1e-20
        assert np.allclose(s.deficit, e.deficit, rtol=1e-12, atol=0)

    def test_enumeration_by_hand(self) -> None:
        x = np.array([0.2, 0.5, 0.9])
        e = fragment_average_deficit(x, 0.4, method="enumerate")
        pairs = [
            holevo_deficit_pure(0.4, math.sqrt(x[i] * x[j])) for i, j in ((0, 1), (0, 2), (1, 2))
        ]
        assert e.deficit[2] == pytest.approx(np.mean(pairs), abs=1e-15)

    def test_montecarlo_within_five_standard_errors(self, rng: np.random.Generator) -> None:
        x = rng.uniform(0.3, 1, 16)
        e = fragment_average_deficit(x, 0.3, method="enumerate")
        mc = fragment_average_deficit(x, 0.3, method="montecarlo", rng=rng, n_samples=4000)
        assert np.all(np.abs(mc.deficit - e.deficit) <= 5 * mc.stderr + 1e-14)
        assert np.all(mc.stderr[1:-1] > 0)

    def test_truncation_bound_is_valid(self, rng: np.random.Generator) -> None:
        x = rng.uniform(0.95, 0.9999, 10)  # slowly converging series
        coarse = fragment_average_deficit(x, 0.5, k_max=128, tail="bound")
        exact = fragment_average_deficit(x, 0.5, method="enumerate")
        assert np.any(coarse.stderr > 1e-10)
        assert np.all(coarse.deficit <= exact.deficit + 1e-15)  # partial sums of positive terms
        assert np.all(exact.deficit <= coarse.deficit + coarse.stderr + 1e-14)

    @pytest.mark.parametrize(
        ("lo", "hi", "p"), [(0.95, 0.9999, 0.5), (0.999, 0.9999999, 0.5), (0.5, 0.99999, 0.2)]
    )
    def test_euler_maclaurin_tail_vs_enumeration(
        self, rng: np.random.Generator, lo: float, hi: float, p: float
    ) -> None:
        """Spins close to x = 1: the default tail is accurate where the plain series stalls."""
        x = rng.uniform(lo, hi, 11)
        em = fragment_average_deficit(x, p)
        exact = fragment_average_deficit(x, p, method="enumerate")
        assert np.allclose(em.deficit, exact.deficit, rtol=1e-12, atol=0)
        assert np.all(np.abs(em.deficit - exact.deficit) <= 10 * em.stderr + 1e-15)

    def test_euler_maclaurin_inside_rigorous_bracket(self, rng: np.random.Generator) -> None:
        x = rng.uniform(0.9, 0.99999, 40)  # too many subsets to enumerate
        em = fragment_average_deficit(x, 0.3)
        lo = fragment_average_deficit(x, 0.3, tail="bound", k_max=4096)
        assert np.all(lo.deficit <= em.deficit * (1 + 1e-13))
        assert np.all(em.deficit <= (lo.deficit + lo.stderr) * (1 + 1e-13))

    def test_m_max(self, rng: np.random.Generator) -> None:
        x = rng.uniform(0, 1, 9)
        full = fragment_average_deficit(x, 0.5)
        part = fragment_average_deficit(x, 0.5, m_max=4)
        assert part.deficit.shape == (5,) and np.allclose(
            part.deficit, full.deficit[:5], atol=1e-14
        )

    def test_all_inert(self) -> None:
        assert (
            fragment_average_deficit([1.0, 1.0], 0.2).deficit.tolist()
            == [float(binary_entropy(0.2))] * 3
        )

    def test_invalid(self, rng: np.random.Generator) -> None:
        with pytest.raises(ValueError, match="method must be"):
            fragment_average_deficit([0.5], 0.5, method="exact")
        with pytest.raises(ValueError, match="needs rng"):
            fragment_average_deficit([0.5, 0.2], 0.5, method="montecarlo")
        with pytest.raises(ValueError, match="m_max must be <= N"):
            fragment_average_deficit([0.5], 0.5, m_max=2)
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            fragment_average_deficit([1.5], 0.5)
        with pytest.raises(ValueError, match="tail must be"):
            fragment_average_deficit([0.5], 0.5, tail="none")
        with pytest.raises(ValueError, match="too many subsets"):
            fragment_average_deficit(np.full(40, 0.5), 0.5, method="enumerate")


class TestFragmentAverageInformation:
    @pytest.mark.parametrize("c", [None, 0.1 + 0.2j, 0.0])
    def test_series_vs_enumeration(self, rng: np.random.Generator, c: complex | None) -> None:
        g = np.sqrt(_random_xs(rng, 10))
        s = fragment_average_information(g, 0.3, c)
        e = fragment_average_information(g, 0.3, c, method="enumerate")
        for a, b in ((s.I, e.I), (s.chi, e.chi), (s.discord, e.discord)):
            assert np.allclose(a, b, atol=1e-13, rtol=0)

    def test_near_one_spins(self, rng: np.random.Generator) -> None:
        g = np.sqrt(rng.uniform(0.99, 0.99999, 9))
        s = fragment_average_information(g, 0.4)
        e = fragment_average_information(g, 0.4, method="enumerate")
        assert np.allclose(s.I, e.I, atol=1e-13, rtol=0)
        assert np.allclose(s.discord, e.discord, atol=1e-13, rtol=0)

    def test_enumeration_vs_single_fragments(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0, 1, 6)
        e = fragment_average_information(g, 0.4, 0.3)
        for m in (1, 3, 6):
            infos = [
                info_pure_environment(0.4, 0.3, g, list(f))
                for f in itertools.combinations(range(6), m)
            ]
            assert e.I[m] == pytest.approx(np.mean([i.I for i in infos]), abs=1e-13)
            assert e.discord[m] == pytest.approx(np.mean([i.discord for i in infos]), abs=1e-13)

    def test_end_points(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0, 1, 5)
        r = fragment_average_information(g, 0.5)
        assert r.I[0] == 0.0 and r.chi[0] == 0.0
        assert r.I[-1] == pytest.approx(info_pure_environment(0.5, None, g, range(5)).I, abs=1e-13)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match="method must be"):
            fragment_average_information([0.5], 0.5, method="montecarlo")
        with pytest.raises(ValueError, match="system state is not positive"):
            fragment_average_information([0.5], 0.5, 0.9)


class TestFDelta:
    def test_log_linear_interpolation(self) -> None:
        d = np.array([1.0, 0.3, 0.02, 1e-4])
        fi, fc = f_delta(d, 1e-3, 1.0)
        assert fi == 3.0
        assert fc == pytest.approx(
            2 + (math.log(0.02) - math.log(1e-3)) / (math.log(0.02) - math.log(1e-4)), rel=1e-14
        )

    def test_linear_when_nonpositive(self) -> None:
        fi, fc = f_delta([2.0, 0.5, 0.0], 0.1, 2.0)
        assert fi == 2.0 and fc == pytest.approx(1 + (0.5 - 0.2) / 0.5, rel=1e-14)

    def test_never_reached(self) -> None:
        assert f_delta([1.0, 0.9, 0.8], 0.1, 1.0) == (math.inf, math.inf)

    def test_first_step(self) -> None:
        fi, fc = f_delta([1.0, 1e-6], 0.01, 1.0)
        assert fi == 1.0 and 0 < fc <= 1

    def test_batched(self) -> None:
        d = np.array([[1.0, 0.1, 0.001], [1.0, 0.9, 0.5]])
        fi, fc = f_delta(d, 0.01, 1.0)
        assert fi.tolist() == [2.0, math.inf] and fc[0] == pytest.approx(1.5)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match=r"delta must lie in the open interval \(0, 1\)"):
            f_delta([1.0, 0.1], 1.0, 1.0)
        with pytest.raises(ValueError, match="no missing information"):
            f_delta([1.0, 0.1], 0.5, 0.0)
        with pytest.raises(ValueError, match="D\\(0\\)"):
            f_delta([1e-9, 0.0], 0.5, 1.0)


class TestRedundancyFromCurve:
    def test_values(self) -> None:
        assert redundancy_from_curve([1.0, 0.1, 0.001], 0.01, 1.0, 6) == (3.0, 4.0)
        assert redundancy_from_curve([1.0, 0.9], 0.1, 1.0, 5) == (0.0, 0.0)

    def test_maclaurin_exact_exceeds_qcb(self, rng: np.random.Generator) -> None:
        """Spec §5.3: finite-N exact Holevo redundancy >= N xi_QCB/ln(1/delta) (N = 64, Gaussian couplings)."""
        n = 64
        for _ in range(3):
            env = SpinEnvironment(g=rng.uniform(-2, 2, n) / math.sqrt(n))
            for t in (2.5, 3.0):
                x = np.abs(decoherence_factors(env, t)) ** 2
                res = fragment_average_deficit(x, 0.5, k_max=512, tail="bound")
                # deficit + truncation bound is an upper bound on D(m): a lower bound on R
                _, r_cont = redundancy_from_curve(res.deficit + res.stderr, 1e-6, 1.0, n)
                r_qcb = redundancy_qcb(n, typical_chernoff(env, t), 1e-6)
                assert r_qcb > 1.5  # the record is reached within N
                assert r_cont >= r_qcb


def _band_moments(W: float, t: float):  # type: ignore[no-untyped-def]
    """mu_k = <cos^{2k}(2 g t)>, g uniform on [0, W] (pure spins, theta = pi/2)."""

    def mu(k: np.ndarray) -> np.ndarray:
        def moment(kk: int) -> float:
            return (
                quad(lambda g: math.cos(2 * g * t) ** (2 * kk), 0, W, limit=400, epsabs=1e-15)[0]
                / W
            )

        return np.array([moment(int(kk)) for kk in k])

    return mu


class TestAnnealedDeficit:
    def test_identical_spins(self) -> None:
        x = 0.7
        mu = x ** np.arange(1, 3001)
        for F in (1.0, 2.5, 10.0):
            assert annealed_deficit(mu, 0.3, F) == pytest.approx(
                holevo_deficit_pure(0.3, x ** (F / 2)), rel=1e-10
            )

    def test_large_n_finite_average(self, rng: np.random.Generator) -> None:
        """i.i.d. couplings: the finite-N subset average approaches the annealed value, O(m^2/N)."""
        n = 1000
        x = np.cos(2 * rng.uniform(0, 1, n) * 1.0) ** 2
        mu = np.array([np.mean(x**k) for k in range(1, 400)])
        finite = fragment_average_deficit(x, 0.5, m_max=4).deficit
        ann = annealed_deficit(mu, 0.5, np.arange(5.0))
        assert np.allclose(finite[1:], ann[1:], rtol=1e-2)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match="F must be >= 0"):
            annealed_deficit([0.5], 0.5, -1.0)
        with pytest.raises(ValueError, match="moments"):
            annealed_deficit([1.5], 0.5, 1.0)


class TestAnnealedRedundancy:
    def test_identical_spins(self) -> None:
        r, F = annealed_redundancy([0.8], 0.5, 1e-10)
        assert r == pytest.approx(identical_redundancy(0.8, 0.5, 1e-10)[0], rel=1e-10)
        assert F == pytest.approx(1 / r)

    def test_random_band_expansion_within_1e3(self) -> None:
        """Spec §3.4: for random ensembles the expansion is within 1e-3 of the annealed result at delta <= 1e-10."""
        W, t, delta = 1.0, 1.0, 1e-10
        mu_fn = _band_moments(W, t)
        r, _ = annealed_redundancy(mu_fn, 0.5, delta)
        mean_x = float(mu_fn(np.array([1]))[0])
        r_exp = redundancy_expansion(1, mean_x, delta, 0.5)
        assert abs(r_exp / r - 1) < 1e-3
        assert r > redundancy_qcb(1, -math.log(mean_x), delta)

    def test_samples_vs_moment_function(self, rng: np.random.Generator) -> None:
        x = np.cos(2 * rng.uniform(0, 1, 20000) * 0.7) ** 2
        r_s, _ = annealed_redundancy(x, 0.3, 1e-8)

        def mu(k: np.ndarray) -> np.ndarray:
            return np.array([np.mean(x**kk) for kk in k])

        r_f, _ = annealed_redundancy(mu, 0.3, 1e-8)
        assert r_s == pytest.approx(r_f, rel=1e-10)

    def test_no_record(self) -> None:
        assert annealed_redundancy([1.0, 1.0], 0.5, 0.1) == (0.0, math.inf)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match=r"no missing information \(p in \{0,1\}\)"):
            annealed_redundancy([0.5], 0.0, 0.1)


class TestGaussianExactRedundancy:
    def test_anchor_and_ratio(self) -> None:
        tau = decoherence_time(moments=4 / 3)
        r = gaussian_exact_redundancy(10.0, tau, 1e-16)
        assert r == pytest.approx(14.605979, abs=1e-6)
        t = np.array([0.5, 2.0, 7.0])
        ratio = gaussian_exact_redundancy(t, tau, 1e-16) / gaussian_redundancy(t, tau, 1e-16)
        assert np.allclose(ratio, 1.0089453, atol=1e-7)

    def test_large_n_annealed_limit(self, rng: np.random.Generator) -> None:
        """N -> infinity with g = G/sqrt(N): N x annealed R/N -> (t/tau_D)^2 / ln(1/y_delta)."""
        n, t = 10**6, 1.5
        G = rng.uniform(-2, 2, 20000)
        x = np.cos(2 * G * t / math.sqrt(n)) ** 2
        r_over_n, _ = annealed_redundancy(x, 0.5, 1e-16)
        assert n * r_over_n == pytest.approx(
            gaussian_exact_redundancy(t, decoherence_time(G), 1e-16), rel=1e-4
        )
