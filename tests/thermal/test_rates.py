"""Tests for qdarwin.thermal.rates (spec §5.3-5.5, §15 F and G)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

from qdarwin.info import chernoff_information
from qdarwin.thermal.energy import fraction_energy_law, make_energy_law
from qdarwin.thermal.models import ChaoticIsing
from qdarwin.thermal.datasets import rates_dataset
from qdarwin.thermal.rates import (
    chernoff_exponent,
    crossing_exponent,
    decay_rate,
    gaussian_rate,
    pair_chernoff,
    pair_crossing,
    rate_function,
    redundancy_number,
    scgf,
    smeared_rate_function,
)
from tests.thermal._c2_reference import dense_branches


def _bernoulli_law(q: list[float], m: int = 1) -> object:
    """Sum of m spins +-1, each +1 with probability q_k (one branch per q)."""
    k = np.arange(m + 1)
    energies = 2.0 * k - m
    return make_energy_law(energies, [binom.pmf(k, m, qk) for qk in q], m)


def _bernoulli_rate(e: np.ndarray, q: float) -> np.ndarray:
    """Exact Cramer rate of the +-1 spin with P(+1) = q: relative entropy of (1+e)/2 to q."""
    a = (1 + e) / 2
    return a * np.log(a / q) + (1 - a) * np.log((1 - a) / (1 - q))


@pytest.fixture(scope="module")
def law_f() -> object:
    """§15 F law: redundant, N = 10, t = 10, fraction [0, 4)."""
    return fraction_energy_law(ChaoticIsing(10), dense_branches("redundant", 10, 10.0), 4)


class TestScgf:
    def test_closed_form_binomial(self) -> None:
        law = _bernoulli_law([0.3, 0.8], m=5)
        beta = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
        for k, q in enumerate([0.3, 0.8]):
            exact = np.log(q * np.exp(beta) + (1 - q) * np.exp(-beta))  # per site
            assert scgf(law, beta)[k] == pytest.approx(exact, abs=1e-12)

    def test_reference_values(self, law_f: object) -> None:
        assert scgf(law_f, 1.0) == pytest.approx([1.4735887632, 0.4297192635], abs=1e-6)

    def test_shape_and_derivative(self, law_f: object) -> None:
        beta = np.zeros((2, 3))
        assert scgf(law_f, beta).shape == (2, 2, 3)
        assert scgf(law_f, 0.0) == pytest.approx([0.0, 0.0], abs=1e-14)
        h = 1e-5
        slope = (scgf(law_f, h) - scgf(law_f, -h)) / (2 * h)
        assert slope == pytest.approx(law_f.mean_density, abs=1e-8)
        curv = (scgf(law_f, h) - 2 * scgf(law_f, 0.0) + scgf(law_f, -h)) / h**2
        assert curv == pytest.approx(law_f.var_density, rel=1e-4)

    def test_no_overflow_at_large_beta(self, law_f: object) -> None:
        out = scgf(law_f, [-500.0, 500.0])
        assert np.all(np.isfinite(out))
        assert out[:, 1] == pytest.approx(
            500 * law_f.energies[-1] / 4 + np.log(law_f.probs[:, -1]) / 4, rel=1e-12
        )

    def test_rejects_non_law(self) -> None:
        with pytest.raises(ValueError, match="FractionEnergyLaw"):
            scgf([[0.5, 0.5]], 1.0)  # type: ignore[arg-type]


class TestRateFunction:
    def test_exact_cramer_rate(self) -> None:
        law = _bernoulli_law([0.3, 0.8], m=7)
        e = np.linspace(-0.9, 0.9, 37)
        rates = rate_function(law, e)
        for k, q in enumerate([0.3, 0.8]):
            assert rates[k] == pytest.approx(_bernoulli_rate(e, q), abs=1e-11)

    def test_zero_at_mean_and_convex(self, law_f: object) -> None:
        assert np.diag(rate_function(law_f, law_f.mean_density)) == pytest.approx(
            [0.0, 0.0], abs=1e-12
        )
        e = np.linspace(-2.5, 2.5, 201)
        r = rate_function(law_f, e)
        assert np.all(r >= -1e-14)
        assert np.all(np.diff(r, 2, axis=1) >= -1e-9)

    def test_agrees_with_brute_force_beta_grid(self, law_f: object) -> None:
        beta = np.linspace(-20, 20, 400_001)
        lam = scgf(law_f, beta)
        for e in (-1.3, -0.05, 0.4, 1.7):
            brute = np.max(beta * e - lam, axis=1)
            assert rate_function(law_f, e) == pytest.approx(brute, abs=1e-8)

    def test_linear_beyond_support_with_beta_max(self) -> None:
        law = _bernoulli_law([0.5], m=1)
        r = rate_function(law, [1.5, 2.5], beta_max=4.0)[0]
        assert r[1] - r[0] == pytest.approx(4.0, abs=1e-9)

    def test_gaussian_limit_near_mean(self, law_f: object) -> None:
        eps = 1e-3
        e = law_f.mean_density + eps
        exact = np.array([rate_function(law_f, e[k])[k] for k in range(2)])
        assert exact == pytest.approx(
            gaussian_rate(e, law_f.mean_density, law_f.var_density), rel=1e-2
        )

    def test_rejects_bad_beta_max(self, law_f: object) -> None:
        with pytest.raises(ValueError, match="beta_max"):
            rate_function(law_f, 0.0, beta_max=0.0)

    @given(st.lists(st.floats(0.01, 1.0), min_size=3, max_size=6), st.floats(-1.5, 1.5))
    def test_legendre_properties(self, weights: list[float], e: float) -> None:
        p = np.array(weights) / sum(weights)
        law = make_energy_law(np.linspace(-2, 2, p.size), [p], 2)
        r = float(rate_function(law, e)[0])
        assert r >= -1e-12
        # Fenchel inequality: lambda(beta) + I(e) >= beta e for any beta in range
        for beta in (-3.0, -0.5, 0.5, 3.0):
            assert float(scgf(law, beta)[0]) + r >= beta * e - 1e-10


class TestGaussianRate:
    def test_values_and_errors(self) -> None:
        assert gaussian_rate([0.0, 2.0], 1.0, 0.5).tolist() == pytest.approx([1.0, 1.0])
        with pytest.raises(ValueError, match="positive"):
            gaussian_rate(0.0, 0.0, 0.0)


class TestSmearedRateFunction:
    def test_single_level_is_gaussian(self) -> None:
        law = make_energy_law([1.0], [[1.0]], 2)
        e = np.linspace(-1, 2, 13)
        w = 0.5
        expected = (2 * e - 1.0) ** 2 / (2 * w**2) / 2
        assert smeared_rate_function(law, e, width=w)[0] == pytest.approx(
            expected - expected.min(), abs=1e-12
        )

    def test_close_to_legendre_near_mean(self, law_f: object) -> None:
        e = np.linspace(-1.0, 1.0, 401)
        smeared = smeared_rate_function(law_f, e)
        assert np.all(smeared >= 0) and np.allclose(smeared.min(axis=1), 0.0)
        legendre = rate_function(law_f, e)
        assert np.max(np.abs(smeared - legendre)) < math.log(law_f.m) / law_f.m  # O(ln m / m)
        with pytest.raises(ValueError, match="width"):
            smeared_rate_function(law_f, e, width=-1.0)


class TestCrossingExponent:
    def test_reference_values(self, law_f: object) -> None:
        """§15 F: kappa_cross = 0.1654218 at e* = -0.0544692."""
        res = crossing_exponent(law_f)
        assert res.kappa == pytest.approx(0.1654218, abs=1e-5)
        assert res.e_star == pytest.approx(-0.0544692, abs=1e-5)
        assert res.pair == (0, 1)

    def test_equals_min_max_on_grid(self, law_f: object) -> None:
        e = np.linspace(-0.3, 0.2, 5001)
        r = rate_function(law_f, e)
        brute = np.min(np.max(r, axis=0))
        res = crossing_exponent(law_f)
        assert res.kappa == pytest.approx(brute, abs=5e-5)  # grid step 1e-4 in e
        assert res.kappa <= brute + 1e-12

    def test_symmetric_closed_form(self) -> None:
        law = _bernoulli_law([0.25, 0.75], m=3)
        res = crossing_exponent(law)
        assert res.e_star == pytest.approx(0.0, abs=1e-10)
        assert res.kappa == pytest.approx(float(_bernoulli_rate(np.array(0.0), 0.25)), abs=1e-10)

    def test_gaussian_estimate_near_degeneracy(self) -> None:
        """Two equal-variance Gaussian laws with small splitting: kappa ~ Delta^2 / (8 sigma^2)."""
        m = 10
        energies = np.linspace(-40, 40, 2001)
        delta, sigma2 = 0.1, 1.3
        laws = [
            np.exp(-((energies - m * mu) ** 2) / (2 * m * sigma2)) for mu in (delta / 2, -delta / 2)
        ]
        law = make_energy_law(energies, [p / p.sum() for p in laws], m)
        assert crossing_exponent(law).kappa == pytest.approx(delta**2 / (8 * sigma2), rel=1e-3)

    def test_picks_smallest_pair_and_drops_zero_probability(self) -> None:
        law = _bernoulli_law([0.1, 0.5, 0.55], m=2)
        full = crossing_exponent(law)
        assert full.pair == (1, 2)
        assert full.kappa == pytest.approx(pair_crossing(law, 1, 2)[0])
        dropped = crossing_exponent(law, probs=[0.5, 0.5, 0.0])
        assert dropped.pair == (0, 1)

    def test_degenerate_means_give_infinity(self) -> None:
        law = _bernoulli_law([0.5, 0.5], m=2)
        res = crossing_exponent(law)
        assert math.isinf(res.kappa) and res.pair == (-1, -1)
        with pytest.raises(ValueError, match="equal mean"):
            pair_crossing(law, 0, 1)


class TestChernoffExponent:
    def test_reference_values(self, law_f: object) -> None:
        """§15 F: Chernoff exponent 0.1848782 at s = 0.5205."""
        res = chernoff_exponent(law_f)
        assert res.exponent == pytest.approx(0.1848782, abs=1e-5)
        assert res.s == pytest.approx(0.5205, abs=1e-3)

    def test_matches_quantum_chernoff_of_diagonal_states(self, law_f: object) -> None:
        rho, sigma = np.diag(law_f.probs[0]), np.diag(law_f.probs[1])
        ref = chernoff_information(rho, sigma)
        res = chernoff_exponent(law_f)
        assert res.exponent == pytest.approx(ref.xi / law_f.m, abs=1e-9)

    def test_close_to_crossing_exponent(self, law_f: object) -> None:
        assert abs(chernoff_exponent(law_f).exponent - crossing_exponent(law_f).kappa) < 0.03

    def test_disjoint_supports(self) -> None:
        law = make_energy_law([0.0, 1.0], [[1.0, 0.0], [0.0, 1.0]], 1)
        assert math.isinf(pair_chernoff(law, 0, 1)[0])
        assert math.isinf(chernoff_exponent(law).exponent)

    def test_partially_overlapping_supports(self) -> None:
        law = make_energy_law([0.0, 1.0, 2.0], [[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]], 1)
        c, s = pair_chernoff(law, 0, 1)
        assert c == pytest.approx(math.log(2.0), abs=1e-9)
        assert 0.0 <= s <= 1.0


class TestDecayRate:
    def test_exact_exponential(self) -> None:
        m = np.arange(0, 13)
        info = 1.0 - 0.8 * np.exp(-0.27 * m)
        fit = decay_rate(m, info, 1.0, n_sites=24)
        assert fit.rate == pytest.approx(0.27, abs=1e-12)
        assert fit.intercept == pytest.approx(math.log(0.8), abs=1e-12)
        assert fit.m_fit.tolist() == list(range(2, 10))
        assert fit.local_rates == pytest.approx(np.full(7, 0.27), abs=1e-12)
        assert fit.local_m.tolist() == [2.5 + i for i in range(7)]

    def test_drops_non_positive_deficits(self) -> None:
        fit = decay_rate([1, 2, 3, 4], [0.5, 0.75, 1.0, 0.875], 1.0, m_lo=1)
        assert fit.n_dropped == 1
        assert fit.m_fit.tolist() == [1, 2, 4]
        assert fit.local_rates == pytest.approx([math.log(2)])
        nan_fit = decay_rate([1, 2], [1.0, 1.2], 1.0, m_lo=1)
        assert math.isnan(nan_fit.rate) and nan_fit.n_dropped == 2

    def test_rejects_bad_input(self) -> None:
        with pytest.raises(ValueError, match="equal length"):
            decay_rate([1, 2], [0.1], 1.0)
        with pytest.raises(ValueError, match="empty fit window"):
            decay_rate([1, 2], [0.1, 0.2], 1.0, m_lo=3, m_hi=2)


class TestRedundancyNumber:
    def test_reference_values_g(self) -> None:
        """§15 G: N = 12, t = 20, delta = 0.5 (curve values quoted by the spec)."""
        half = [0.2269734, 0.4411483, 0.5910041, 0.7156059, 0.8349198]
        curve = np.array([0.0] + half + [1.0] + [2 - x for x in half[::-1]] + [2.0])
        r = redundancy_number(curve, 1.0, 0.5, 12)
        assert (r.m_delta, r.n_delta, r.n_floor) == (3.0, 4.0, 4)
        assert 2.0 < r.f_cont <= 3.0
        assert r.n_cont == pytest.approx(12 / r.f_cont)

    def test_encoding_gives_half_ring(self) -> None:
        small = [0.0002, 0.001, 0.004, 0.02, 0.08]
        curve = np.array([0.0] + small + [1.0] + [2 - x for x in small[::-1]] + [2.0])
        r = redundancy_number(curve, 1.0, 0.5, 12)
        assert (r.m_delta, r.n_delta, r.n_floor) == (6.0, 2.0, 2)

    def test_never_reached(self) -> None:
        r = redundancy_number([0.0, 0.1, 0.2], 1.0, 0.5, 2)
        assert math.isinf(r.m_delta) and r.n_delta == 0.0 and r.n_floor == 0

    @pytest.mark.parametrize(
        "curve, plateau, delta, n, match",
        [
            ([0.0, 1.0], 1.0, 0.5, 2, "N \\+ 1"),
            ([0.0, 1.0, 2.0], 1.0, 1.5, 2, "open interval"),
            ([0.0, 1.0, 2.0], 0.0, 0.5, 2, "plateau"),
        ],
    )
    def test_rejects_bad_input(
        self, curve: list[float], plateau: float, delta: float, n: int, match: str
    ) -> None:
        with pytest.raises(ValueError, match=match):
            redundancy_number(curve, plateau, delta, n)


class TestRatesDataset:
    def test_labelled_values_and_round_trip(self, law_f: object, tmp_path: object) -> None:
        from qdarwin.io import load_dataset, save_dataset

        law3 = _bernoulli_law([0.3, 0.7], m=3)
        law4 = make_energy_law(law_f.energies, law_f.probs, 4)
        ds = rates_dataset([law3, law4], e=[-0.5, 0.0, 0.5], beta=[0.0, 1.0], attrs={"N": 10})
        assert ds["rate"].dims == ("branch", "m", "e")
        assert ds["kappa_cross"].sel(m=4).item() == pytest.approx(
            crossing_exponent(law4).kappa, abs=1e-12
        )
        assert ds["scgf"].sel(m=4, beta=1.0).values == pytest.approx(
            [1.4735887632, 0.4297192635], abs=1e-6
        )
        assert ds["rate"].sel(m=3).values == pytest.approx(
            rate_function(law3, [-0.5, 0.0, 0.5]), abs=1e-14
        )
        assert ds["mean_density"].sel(m=3).values == pytest.approx(law3.mean_density)
        path = save_dataset(ds, tmp_path / "rates.nc")  # type: ignore[operator]
        back = load_dataset(path)
        assert back["chernoff"].values == pytest.approx(ds["chernoff"].values, abs=0)

    def test_rejects_bad_laws(self) -> None:
        law = _bernoulli_law([0.3, 0.7], m=2)
        with pytest.raises(ValueError, match="distinct"):
            rates_dataset([law, law])
        with pytest.raises(ValueError, match="at least one"):
            rates_dataset([])
        with pytest.raises(ValueError, match="same number of branches"):
            rates_dataset([law, _bernoulli_law([0.3, 0.7, 0.5], m=3)])


class TestExponentProperties:
    @given(st.integers(0, 10_000), st.integers(3, 9))
    def test_random_laws(self, seed: int, levels: int) -> None:
        """kappa = min_e max(I_j, I_k) (grid upper bound), e* between the means, Chernoff =
        quantum Chernoff of the diagonal states (independent route), both >= 0."""
        rng = np.random.default_rng(seed)
        energies = np.sort(rng.uniform(-3, 3, levels))
        probs = rng.dirichlet(np.ones(levels), size=2)
        law = make_energy_law(energies, probs, 2)
        if abs(law.mean_density[0] - law.mean_density[1]) < 1e-6:
            return
        res = crossing_exponent(law)
        lo, hi = sorted(law.mean_density)
        assert lo - 1e-12 <= res.e_star <= hi + 1e-12
        grid = np.linspace(lo, hi, 401)
        assert res.kappa <= np.min(np.max(rate_function(law, grid), axis=0)) + 1e-9
        assert res.kappa >= 0.0
        ref = chernoff_information(np.diag(law.probs[0]), np.diag(law.probs[1]))
        assert chernoff_exponent(law).exponent == pytest.approx(ref.xi / 2, abs=1e-8)
