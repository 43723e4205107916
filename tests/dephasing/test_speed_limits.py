"""Tests for qdarwin.dephasing.speed_limits: two-qubit limits, Hamming rates, concurrence, Fig. 2/3."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import bisect

from qdarwin.dephasing import (
    bell_concurrence,
    check_constraints,
    cluster_concurrence,
    cluster_state,
    evolve,
    fig2_min_eigenvalue,
    hamming_eigenvalues,
    hamming_rates,
    sudden_death_time,
    two_qubit_limits,
    two_qubit_rates,
    violation_map,
)
from qdarwin.info import concurrence


def wootters_alt(rho: np.ndarray) -> float:
    """Second Wootters route: sqrt of eigenvalues of rho Y rho* Y."""
    y = np.array([[0, 0, 0, -1], [0, 0, 1, 0], [0, 1, 0, 0], [-1, 0, 0, 0]])
    ev = np.sort(np.sqrt(np.clip(np.linalg.eigvals(rho @ y @ rho.conj() @ y).real, 0, None)))[::-1]
    return max(0.0, ev[0] - ev[1] - ev[2] - ev[3])


class TestTwoQubitRates:
    def test_layout(self) -> None:
        g = two_qubit_rates(1.0, 2.0, 3.0, gamma_b=0.5)
        assert g[0, 3] == 2.0 and g[1, 2] == 3.0
        assert g[0, 2] == g[1, 3] == 1.0 and g[0, 1] == g[2, 3] == 0.5

    def test_independent_local_noise_is_boundary(self) -> None:
        from qdarwin.dephasing import rates_from_operators

        # Z on qubit A with strength a, Z on qubit B with strength b
        a, b = 0.7, 1.1
        w = np.array([[a, b], [a, -b], [-a, b], [-a, -b]])
        g, _ = rates_from_operators(w)
        ga, gb = 2 * a**2, 2 * b**2
        np.testing.assert_allclose(g, two_qubit_rates(ga, ga + gb, ga + gb, gamma_b=gb), atol=1e-12)

    def test_negative(self) -> None:
        with pytest.raises(ValueError, match="gamma14"):
            two_qubit_rates(1.0, -1.0, 0.0)


class TestTwoQubitLimits:
    @given(st.floats(0.1, 2), st.floats(0.1, 2), st.floats(0, 6), st.floats(0, 6))
    def test_region_matches_check(self, ga: float, gb: float, g14: float, g23: float) -> None:
        lim = two_qubit_limits(ga, gamma_b=gb)
        rep = check_constraints(two_qubit_rates(ga, g14, g23, gamma_b=gb))
        if abs(rep.margin) > 1e-6:
            assert lim.allowed(g14, g23) == rep.physical

    def test_statement(self) -> None:
        lim = two_qubit_limits(1.0)
        assert lim.max_sum == 4 and lim.max_equal == 2 and lim.min_product == 0
        assert "Gamma14 + Gamma23 <= 4" in lim.statement()


class TestHammingRates:
    def test_n2_is_two_qubit(self) -> None:
        np.testing.assert_allclose(hamming_rates(2, [1.0, 1.7], gamma=2.0), two_qubit_rates(2.0, 3.4, 3.4))

    def test_bad_mu(self) -> None:
        with pytest.raises(ValueError, match="mu"):
            hamming_rates(3, [1.0, 2.0])
        with pytest.raises(ValueError, match="n_qubits"):
            hamming_rates(0, [])
        with pytest.raises(ValueError, match="n_qubits must be <= 12"):
            hamming_rates(13, np.ones(13))
        assert hamming_eigenvalues(20, np.ones(20)).shape == (20,)


class TestHammingEigenvalues:
    @pytest.mark.parametrize(
        "mu, eig", [((1.5, 1.0), (1.5, 1.5, -0.5)), ((0.5, 2.0), (1.5, -0.5, 3.5)), ((1.8, 2.0), (2.8, 0.8, -0.4)), ((1.2, 1.5), (1.7, 0.7, 0.9))]
    )
    def test_s10(self, mu: tuple[float, float], eig: tuple[float, float, float]) -> None:
        np.testing.assert_allclose(hamming_eigenvalues(3, [1.0, *mu]), eig, atol=1e-12)

    @pytest.mark.parametrize("n", [2, 3, 4])
    def test_matches_numerics(self, rng: np.random.Generator, n: int) -> None:
        from qdarwin.dephasing import generator_matrix, helmert_basis

        mu = np.concatenate([[1.0], rng.uniform(0, 3, n - 1)])
        e = hamming_eigenvalues(n, mu, gamma=1.3)
        c = generator_matrix(hamming_rates(n, mu, gamma=1.3))
        q = helmert_basis(2**n)
        ev = np.linalg.eigvalsh(q.T @ c @ q)
        from math import comb

        expected = np.sort(np.concatenate([np.full(comb(n, w), e[w - 1]) for w in range(1, n + 1)]))
        np.testing.assert_allclose(ev, expected, atol=1e-10)
        assert check_constraints(hamming_rates(n, mu, 1.3)).margin == pytest.approx(e.min(), abs=1e-10)

    def test_n2_closed_form(self) -> None:
        np.testing.assert_allclose(hamming_eigenvalues(2, [1.0, 1.5]), [1.5, 0.5])


class TestConcurrence:
    @pytest.mark.parametrize(
        "g14, g23, c", [(0, 0, 0.740818220682), (2, 2, 0.515224038729), (4, 0, 0.586437325927), (1, 3, 0.532363078164)]
    )
    def test_s7_cluster(self, g14: float, g23: float, c: float) -> None:
        assert cluster_concurrence(0.3, 1.0, g14, g23) == pytest.approx(c, abs=1e-9)
        rho = evolve(cluster_state(), 0.3, two_qubit_rates(1.0, g14, g23))
        assert concurrence(rho) == pytest.approx(c, abs=1e-9)
        assert wootters_alt(rho) == pytest.approx(c, abs=1e-7)

    def test_generic_routine_is_shared(self) -> None:
        import qdarwin.dephasing as dp
        import qdarwin.info as info

        assert dp.concurrence is info.concurrence

    def test_bell(self) -> None:
        assert bell_concurrence(0.5, 1.0) == pytest.approx(np.exp(-0.5), abs=1e-12)
        bell = np.outer([1, 0, 0, 1], [1, 0, 0, 1]) / 2
        rng = np.random.default_rng(4)
        w = rng.standard_normal((4, 3)) + 1j * rng.standard_normal((4, 3))
        from qdarwin.dephasing import frequencies, rates_from_operators

        g, _ = rates_from_operators(w)
        rho = evolve(bell, 0.4, g, frequencies(rng.standard_normal(4), w))
        assert concurrence(rho) == pytest.approx(float(bell_concurrence(0.4, g[0, 3])), abs=1e-10)

    @given(st.floats(0, 2), st.floats(0, 1), st.floats(0, 1), st.floats(0, 3))
    def test_cluster_closed_form_vs_generic(self, gamma: float, f14: float, f23: float, t: float) -> None:
        g14 = 4 * gamma * f14
        g23 = (4 * gamma - g14) * f23  # inside the physical region
        rho = evolve(cluster_state(), t, two_qubit_rates(gamma, g14, g23))
        assert float(cluster_concurrence(t, gamma, g14, g23)) == pytest.approx(concurrence(rho), abs=1e-9)

    def test_array_times(self) -> None:
        out = cluster_concurrence(np.array([0.0, 0.1]), 1.0, 0.0, 0.0)
        np.testing.assert_allclose(out, np.exp(-np.array([0.0, 0.1])))
        with pytest.raises(ValueError, match=">= 0"):
            cluster_concurrence(-1.0, 1.0, 0.0, 0.0)


class TestSuddenDeathTime:
    def test_s8(self) -> None:
        assert sudden_death_time(2.0) == pytest.approx(0.881373587020, abs=1e-9)
        assert sudden_death_time(2.0) == pytest.approx(np.log(1 + np.sqrt(2)), abs=1e-12)
        assert -np.log10(np.sqrt(2) - 1) == pytest.approx(0.38278, abs=1e-5)  # the paper's slip

    def test_bisection_on_concurrence(self) -> None:
        for mu in [0.5, 2.0, 3.0]:
            t_ref = bisect(lambda t, mu=mu: float(cluster_concurrence(t, 1.0, mu, mu)) - 1e-15, 0, 50, xtol=1e-14)
            assert sudden_death_time(mu, gamma=2.0) == pytest.approx(t_ref / 2.0, abs=1e-10)
            tt = sudden_death_time(mu)
            assert float(cluster_concurrence(tt * 0.999, 1.0, mu, mu)) > 0
            assert float(cluster_concurrence(tt * 1.001, 1.0, mu, mu)) == 0

    def test_mu_zero(self) -> None:
        assert sudden_death_time(0.0) == np.inf
        with pytest.raises(ValueError, match="mu"):
            sudden_death_time(-1.0)


class TestFig2MinEigenvalue:
    def test_s9_and_crossings(self) -> None:
        assert fig2_min_eigenvalue(3.0, 0.2) == pytest.approx(-0.0221624675155, abs=1e-9)
        assert fig2_min_eigenvalue(3.0, np.log((1 + np.sqrt(5)) / 2)) == pytest.approx(0, abs=1e-12)
        t_min = np.log(np.sqrt(1.5))
        assert fig2_min_eigenvalue(3.0, t_min) == pytest.approx(0.25 - np.sqrt(2 / 3) / 3, abs=1e-12)

    def test_vs_evolved_state(self) -> None:
        for mu in [1.0, 2.0, 2.5, 3.0, 4.0]:
            for x in [0.05, 0.3, 1.0]:
                g = two_qubit_rates(1.0, mu, mu)
                # closed-form evolution applied even where no generator exists (mu > 2)
                rho = cluster_state() * np.exp(-g * x)
                assert fig2_min_eigenvalue(mu, x) == pytest.approx(np.linalg.eigvalsh(rho)[0], abs=1e-12)

    def test_negative_iff_mu_above_2(self) -> None:
        x = np.linspace(1e-3, 0.05, 20)
        assert np.all(fig2_min_eigenvalue(2.5, x) < 0)
        assert np.all(fig2_min_eigenvalue(2.0, x) >= 0)


class TestViolationMap:
    def test_regression_counts(self) -> None:
        mu1 = (np.arange(50) + 0.5) * 0.05
        mu2 = (np.arange(40) + 0.5) * 0.1
        vals, counts = np.unique(violation_map(mu1, mu2), return_counts=True)
        assert dict(zip(vals.tolist(), counts.tolist())) == {0: 400, 4: 400, 5: 788, 6: 345, 7: 35, 8: 32}

    def test_allowed_set_is_triangle(self, rng: np.random.Generator) -> None:
        mu1 = rng.uniform(0, 2.5, 30)
        mu2 = rng.uniform(0, 4, 30)
        vm = violation_map(mu1, mu2)
        a, b = mu1[:, None], mu2[None, :]
        inside = (a + b >= 1) & (b <= 1 + a) & (b >= 3 * a - 3)
        assert np.array_equal(vm == 0, inside)

    def test_mu1_zero_points_to_constraint_5(self) -> None:
        assert violation_map([0.0], [0.5])[0, 0] == 5


class TestKrawtchouk:
    def test_generating_function(self) -> None:
        """sum_k K_k(w; n) z^k = (1 - z)^w (1 + z)^(n - w)."""
        from qdarwin.dephasing import krawtchouk

        for n in range(1, 7):
            for w in range(n + 1):
                poly = np.polynomial.polynomial.polymul(
                    np.polynomial.polynomial.polypow([1, -1], w), np.polynomial.polynomial.polypow([1, 1], n - w)
                )
                assert [krawtchouk(k, w, n) for k in range(n + 1)] == [round(c) for c in poly]


class TestClusterState:
    def test_state(self) -> None:
        rho = cluster_state()
        assert np.trace(rho).real == pytest.approx(1.0)
        assert rho[3, 3].real == pytest.approx(0.25)  # erratum 8: +1/4, not -1/4
        assert concurrence(rho) == pytest.approx(1.0)
        # same spectrum evolution as |++> (diagonal unitary commutes with dephasing)
        plus = np.full((4, 4), 0.25)
        g = two_qubit_rates(1.0, 3.0, 3.0)
        np.testing.assert_allclose(
            np.linalg.eigvalsh(cluster_state() * np.exp(-g * 0.3)), np.linalg.eigvalsh(plus * np.exp(-g * 0.3)), atol=1e-12
        )
