"""Tests for the quantum Chernoff information (closed forms, brute-force scan, edge cases)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import chernoff_information, chernoff_overlap
from tests.systems import random_density_matrix


def _q_brute(rho: np.ndarray, sigma: np.ndarray, c: float) -> float:
    return float(np.trace(sla.fractional_matrix_power(rho, c) @ sla.fractional_matrix_power(sigma, 1 - c)).real)


class TestChernoffInformation:
    def test_identical_states(self, rng: np.random.Generator) -> None:
        rho = random_density_matrix(3, rng)
        assert chernoff_information(rho, rho).xi == pytest.approx(0.0, abs=1e-12)

    def test_orthogonal_supports_infinite(self) -> None:
        res = chernoff_information(np.diag([1.0, 0.0]), np.diag([0.0, 1.0]))
        assert math.isinf(res.xi)

    def test_pure_state_formula(self, rng: np.random.Generator) -> None:
        v = rng.standard_normal(3) + 1j * rng.standard_normal(3)
        v /= np.linalg.norm(v)
        sigma = random_density_matrix(3, rng)
        expected = -math.log((v.conj() @ sigma @ v).real)
        assert chernoff_information(np.outer(v, v.conj()), sigma).xi == pytest.approx(expected, abs=1e-9)

    def test_equal_length_qubits_closed_form(self) -> None:
        # Bloch vectors of equal length a at angle T: xi = -ln[1 - lam sin^2(T/2)], lam = 1 - sqrt(1 - a^2)
        a, big_t = 0.8, 1.1
        n1 = np.array([0.0, 0.0, 1.0])
        n2 = np.array([math.sin(big_t), 0.0, math.cos(big_t)])
        paulis = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0])]

        def state(n: np.ndarray) -> np.ndarray:
            return 0.5 * (np.eye(2) + a * sum(ni * p for ni, p in zip(n, paulis)))

        res = chernoff_information(state(n1), state(n2))
        lam = 1 - math.sqrt(1 - a**2)
        assert res.xi == pytest.approx(-math.log(1 - lam * math.sin(big_t / 2) ** 2), abs=1e-10)
        assert res.c_opt == pytest.approx(0.5, abs=1e-5)

    def test_qutrit_matches_brute_scan(self, rng: np.random.Generator) -> None:
        rho = random_density_matrix(3, rng)
        sigma = random_density_matrix(3, rng)
        cs = np.linspace(0, 1, 2001)
        brute = -math.log(min(_q_brute(rho, sigma, c) for c in cs[1:-1]))
        res = chernoff_information(rho, sigma)
        assert res.xi == pytest.approx(brute, abs=1e-6)
        assert 0.0 <= res.c_opt <= 1.0

    def test_rank_deficient(self) -> None:
        rho = np.diag([0.5, 0.5, 0.0])
        sigma = np.diag([0.0, 0.5, 0.5])
        # Q(c) = 0.5^c 0.5^(1-c) on the one shared eigenvector: xi = ln 2
        assert chernoff_information(rho, sigma).xi == pytest.approx(math.log(2), abs=1e-10)

    def test_shape_mismatch(self) -> None:
        with pytest.raises(ValueError, match="same shape"):
            chernoff_information(np.eye(2) / 2, np.eye(3) / 3)

    @given(st.integers(0, 2**31 - 1), st.integers(2, 4))
    def test_nonnegative_and_bounded_by_fidelity(self, seed: int, d: int) -> None:
        rng = np.random.default_rng(seed)
        rho, sigma = random_density_matrix(d, rng), random_density_matrix(d, rng)
        xi = chernoff_information(rho, sigma).xi
        # xi >= 0 and Q(1/2) >= min Q gives xi >= -ln Q(1/2)
        assert xi >= -1e-12
        assert xi >= -math.log(float(chernoff_overlap(rho, sigma, 0.5))) - 1e-9


class TestChernoffOverlap:
    def test_matches_matrix_powers(self, rng: np.random.Generator) -> None:
        rho, sigma = random_density_matrix(3, rng), random_density_matrix(3, rng)
        cs = np.array([0.1, 0.5, 0.9])
        np.testing.assert_allclose(chernoff_overlap(rho, sigma, cs), [_q_brute(rho, sigma, c) for c in cs], atol=1e-10)

    def test_endpoints_are_one_for_full_rank(self, rng: np.random.Generator) -> None:
        rho, sigma = random_density_matrix(2, rng), random_density_matrix(2, rng)
        np.testing.assert_allclose(chernoff_overlap(rho, sigma, [0.0, 1.0]), [1.0, 1.0], atol=1e-12)

    def test_c_out_of_range(self) -> None:
        with pytest.raises(ValueError, match=r"c must lie in \[0, 1\]"):
            chernoff_overlap(np.eye(2) / 2, np.eye(2) / 2, 1.5)
