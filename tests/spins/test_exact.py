"""Tests for qdarwin.spins.exact: stable deficit, series coefficients, exact pure-environment information."""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest

from qdarwin.info import binary_entropy, two_level_entropy
from qdarwin.spins.exact import (
    deficit_curve,
    deficit_series_coefficients,
    deficit_series_tail,
    holevo_deficit_pure,
    identical_redundancy,
    info_pure_environment,
    information_curve,
    threshold_overlap,
)
from qdarwin.spins.redundancy import redundancy_expansion, redundancy_qcb


def _mp_deficit(p: float, d: float) -> float:
    """High-precision reference: (1/ln 2)[G(r) - G(r0)] with enough digits to avoid cancellation."""
    pm0 = min(p, 1 - p)
    digits = 40 + int(max(-math.log10(pm0), -2 * math.log10(max(d, 1e-300)) - math.log10(pm0), 0))
    with mpmath.workdps(digits):
        pm = mpmath.mpf(p)
        q = 1 - pm
        r0 = abs(pm - q)
        r = mpmath.sqrt(r0**2 + 4 * pm * q * mpmath.mpf(d) ** 2)

        def G(x: mpmath.mpf) -> mpmath.mpf:
            return ((1 + x) * mpmath.log(1 + x) + ((1 - x) * mpmath.log(1 - x) if x < 1 else 0)) / 2

        return float((G(r) - G(r0)) / mpmath.log(2))


class TestHolevoDeficitPure:
    def test_vs_direct_subtraction(self, rng: np.random.Generator) -> None:
        p, d = rng.uniform(0, 1, 50), rng.uniform(0.05, 1, 50)
        direct = binary_entropy(p) - two_level_entropy(p, np.sqrt(p * (1 - p)) * d)
        assert np.allclose(holevo_deficit_pure(p, d), direct, atol=1e-13)

    @pytest.mark.parametrize(
        "p",
        [0.5, 0.5 - 1e-9, 0.3, 0.26, 0.24, 0.125, 1 / 32, 1e-4, 0.999, 1e-20, 1e-200, 1 - 1e-12],
    )
    def test_vs_high_precision(self, p: float) -> None:
        for d in (1e-150, 1e-20, 1e-8, 1e-3, 0.05, 0.4, 0.9, 0.99999, 1 - 1e-12, 1.0):
            assert holevo_deficit_pure(p, d) == pytest.approx(
                _mp_deficit(p, d), rel=1e-11, abs=1e-300
            )

    def test_small_d_limit(self) -> None:
        for p in (0.5, 0.2):
            q = 1 - p
            K = 1 / (2 * math.log(2)) if p == 0.5 else p * q * math.log2(p / q) / (p - q)
            assert holevo_deficit_pure(p, 1e-9) == pytest.approx(K * 1e-18, rel=1e-12)

    def test_end_points(self) -> None:
        assert holevo_deficit_pure(0.3, 0.0) == 0.0
        assert holevo_deficit_pure(0.3, 1.0) == pytest.approx(float(binary_entropy(0.3)), abs=1e-15)
        assert holevo_deficit_pure(0.0, 0.5) == 0.0 and holevo_deficit_pure(1.0, 0.5) == 0.0

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            holevo_deficit_pure(1.5, 0.2)
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            holevo_deficit_pure(0.5, 1.2)


class TestDeficitSeriesCoefficients:
    def test_half(self) -> None:
        k = np.arange(1, 200)
        assert np.allclose(
            deficit_series_coefficients(0.5, 199), 1 / (2 * k * (2 * k - 1)), rtol=1e-13, atol=0
        )

    @pytest.mark.parametrize("p", [0.3, 0.125])
    def test_binomial_sum_formula(self, p: float) -> None:
        q = 1 - p
        u, v = (p - q) ** 2, 4 * p * q
        n = np.arange(1, 400)
        for k in (1, 2, 5, 20):
            terms = [
                math.comb(int(nn), k) * u ** (nn - k) / (2 * nn * (2 * nn - 1))
                for nn in n
                if nn >= k
            ]
            assert deficit_series_coefficients(p, k)[-1] == pytest.approx(
                v**k * math.fsum(terms), rel=1e-12
            )

    def test_reproduces_deficit(self) -> None:
        c = deficit_series_coefficients(0.2, 400)
        for d in (0.1, 0.5, 0.8):
            ser = np.sum(c * d ** (2 * np.arange(1, 401))) / math.log(2)
            assert ser == pytest.approx(holevo_deficit_pure(0.2, d), rel=1e-13)

    def test_sum_is_entropy(self) -> None:
        for p in (0.5, 0.125, 1 / 32, 1e-3):
            total = math.fsum(deficit_series_coefficients(p, 1000)) + deficit_series_tail(p, 1000)
            assert total == pytest.approx(float(binary_entropy(p)) * math.log(2), rel=1e-13)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match="K"):
            deficit_series_coefficients(0.5, 0)
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            deficit_series_coefficients(-0.1, 3)


class TestDeficitSeriesTail:
    def test_half_closed_form(self) -> None:
        # sum_{k>K} 1/(2k(2k-1)) = ln 2 - sum_{k<=K}
        K = 10
        ref = math.log(2) - math.fsum(1 / (2 * k * (2 * k - 1)) for k in range(1, K + 1))
        assert deficit_series_tail(0.5, K) == pytest.approx(ref, rel=1e-12)

    def test_decreasing(self) -> None:
        t = [deficit_series_tail(0.3, K) for K in (0, 1, 10, 100, 1000)]
        assert all(a > b > 0 for a, b in itertools.pairwise(t))


class TestInfoPureEnvironment:
    def test_spec_row9(self) -> None:
        from qdarwin.spins.model import SpinEnvironment, decoherence_factors

        env = SpinEnvironment(
            a=1.0,
            theta=[math.pi / 2, 1, 2, math.pi / 3],
            phi=[0, 0.5, 1, 2],
            g=[0.3, 0.7, 1.1, 0.5],
            omega=[0, 0.4, 0, 0.9],
            p=0.3,
            c=math.sqrt(0.21),
        )
        info = info_pure_environment(
            0.3, math.sqrt(0.21), np.abs(decoherence_factors(env, 0.8)), [0, 2]
        )
        assert info.I == pytest.approx(1.07566103833, abs=1e-9)
        assert info.chi == pytest.approx(0.776252296903, abs=1e-9)
        assert info.discord == pytest.approx(0.299408741431, abs=1e-9)

    def test_perfect_records(self) -> None:
        h = float(binary_entropy(0.3))
        assert info_pure_environment(0.3, None, [0.0, 0.0, 0.0], []) == (0.0, 0.0, 0.0)
        info = info_pure_environment(0.3, None, [0.0, 0.0, 0.0], [1])
        assert info.chi == pytest.approx(h) and info.I == pytest.approx(h) and info.discord == 0.0
        assert info_pure_environment(0.3, None, [0.0, 0.0, 0.0], [0, 1, 2]).I == pytest.approx(
            2 * h
        )

    def test_full_environment_pure_system(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0, 1, 5)
        d_e = float(np.prod(g))
        hs = float(two_level_entropy(0.4, math.sqrt(0.24) * d_e))
        assert info_pure_environment(0.4, None, g, range(5)).I == pytest.approx(2 * hs, abs=1e-14)

    def test_incoherent_system_has_no_discord(self, rng: np.random.Generator) -> None:
        info = info_pure_environment(0.4, 0.0, rng.uniform(0, 1, 4), [0, 1])
        assert info.discord == 0.0 and info.I == info.chi

    @pytest.mark.parametrize("frag", [[0, 0], [4], [-1], [0.5]])
    def test_invalid_fragment(self, frag: list[float]) -> None:
        with pytest.raises(ValueError, match="invalid fragment"):
            info_pure_environment(0.5, None, [0.1, 0.2, 0.3], frag)

    def test_not_positive(self) -> None:
        with pytest.raises(ValueError, match="system state is not positive"):
            info_pure_environment(0.5, 0.51, [0.1], [0])


class TestInformationCurve:
    def test_vs_single_fragments(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0, 1, 7)
        for c in (None, 0.2 + 0.1j):
            curve = information_curve(0.35, c, g)
            for m in range(8):
                ref = info_pure_environment(0.35, c, g, list(range(m)))
                assert curve.I[m] == pytest.approx(ref.I, abs=1e-14)
                assert curve.chi[m] == pytest.approx(ref.chi, abs=1e-14)
                assert curve.discord[m] == pytest.approx(ref.discord, abs=1e-14)

    def test_million_spins(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0.99, 1.0, 10**6)
        curve = information_curve(0.5, None, g)
        assert curve.I.shape == (10**6 + 1,)
        assert np.all(np.diff(curve.chi) >= -1e-15) and np.all(np.diff(curve.I) >= -1e-12)
        assert curve.I[-1] == pytest.approx(
            2.0, abs=1e-12
        )  # d_E underflows: full record of a fully decohered system

    def test_monotone_and_bounded(self, rng: np.random.Generator) -> None:
        curve = information_curve(0.2, None, rng.uniform(0.3, 1, 30))
        h = float(binary_entropy(0.2))
        assert np.all(curve.chi <= h + 1e-15) and np.all(np.diff(curve.I) >= -1e-14)
        assert curve.m.tolist() == list(range(31))


class TestDeficitCurve:
    def test_vs_holevo_deficit(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0, 1, 20)
        prefix = np.concatenate([[1.0], np.cumprod(g)])
        assert np.allclose(
            deficit_curve(0.3, g), holevo_deficit_pure(0.3, prefix), rtol=1e-14, atol=0
        )

    def test_consistent_with_chi(self, rng: np.random.Generator) -> None:
        g = rng.uniform(0.5, 1, 10)
        assert np.allclose(
            deficit_curve(0.3, g),
            float(binary_entropy(0.3)) - information_curve(0.3, None, g).chi,
            atol=1e-14,
        )


class TestThresholdOverlap:
    @pytest.mark.parametrize(("p", "delta"), [(0.5, 1e-16), (0.125, 1e-3), (1 / 32, 1e-30)])
    def test_solves_equation(self, p: float, delta: float) -> None:
        y = threshold_overlap(p, delta)
        assert holevo_deficit_pure(p, math.sqrt(y)) == pytest.approx(
            delta * float(binary_entropy(p)), rel=1e-12
        )

    def test_gaussian_ratio(self) -> None:
        # spec §5.3 quotes 1.008946; the exact value is 1.0089453 (consistent with the quoted 14.605979)
        assert math.log(1e16) / -math.log(threshold_overlap(0.5, 1e-16)) == pytest.approx(
            1.008946, abs=1e-6
        )

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match=r"no missing information \(p in \{0,1\}\)"):
            threshold_overlap(1.0, 0.1)
        with pytest.raises(ValueError, match=r"delta must lie in the open interval \(0, 1\)"):
            threshold_overlap(0.5, 0.0)


class TestIdenticalRedundancy:
    def test_spec_row12(self) -> None:
        r, F = identical_redundancy(0.8, 0.5, 1e-10)
        assert r == pytest.approx(0.00983045162123, rel=1e-8)
        assert F == pytest.approx(1 / r, rel=1e-14)
        assert redundancy_qcb(1, -math.log(0.8), 1e-10) == pytest.approx(0.00969100130081, abs=1e-9)

    def test_solves_deficit_equation(self) -> None:
        _, F = identical_redundancy(0.6, 0.2, 1e-8)
        assert holevo_deficit_pure(0.2, 0.6 ** (F / 2)) == pytest.approx(
            1e-8 * float(binary_entropy(0.2)), rel=1e-10
        )

    @pytest.mark.parametrize("p", [0.5, 0.125, 1 / 32])
    @pytest.mark.parametrize("delta", [1e-6, 1e-10, 1e-20, 1e-30])
    def test_expansion_exact_to_order_delta(self, p: float, delta: float) -> None:
        r, _ = identical_redundancy(0.8, p, delta)
        assert abs(redundancy_expansion(1, 0.8, delta, p) / r - 1) <= 50 * delta + 1e-14

    def test_exceeds_qcb(self) -> None:
        for delta in (1e-4, 1e-10, 1e-30):
            assert identical_redundancy(0.5, 0.5, delta)[0] > redundancy_qcb(1, math.log(2), delta)

    def test_edge_values(self) -> None:
        r, F = identical_redundancy(np.array([0.0, 1.0]), 0.5, 0.1)
        # orthogonal records: one spin suffices (F = 1, R/N = 1, never above); x = 1: no record
        assert r.tolist() == [1.0, 0.0] and F.tolist() == [1.0, math.inf]
