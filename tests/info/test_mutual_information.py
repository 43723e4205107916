"""Tests for mutual information and Holevo quantity (GHZ fan-out, brute force, QuTiP)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import qutip
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import binary_entropy, holevo_information, mutual_information, partial_trace, von_neumann_entropy
from tests.systems import ghz_fanout, random_density_matrix, random_ket


class TestMutualInformation:
    @pytest.mark.parametrize("p", [0.5, 0.3, 0.9])
    def test_ghz_fanout(self, p: float) -> None:
        n_env = 4
        psi = ghz_fanout(n_env, p)
        dims = [2] * (n_env + 1)
        h = binary_entropy(p)
        # full environment: 2 H(S); any proper fragment: H(S) (classical correlation)
        assert mutual_information(psi, [0], list(range(1, n_env + 1)), dims) == pytest.approx(2 * h, abs=1e-12)
        for m in range(1, n_env):
            assert mutual_information(psi, [0], list(range(1, m + 1)), dims) == pytest.approx(h, abs=1e-12)

    def test_ket_equals_density_matrix_route(self, rng: np.random.Generator) -> None:
        dims = [2, 2, 3, 2]
        psi = random_ket(24, rng)
        rho = np.outer(psi, psi.conj())
        for a, b in (([0], [1]), ([0], [2, 3]), ([1, 3], [0])):
            assert mutual_information(psi, a, b, dims) == pytest.approx(mutual_information(rho, a, b, dims), abs=1e-11)

    def test_against_qutip(self, rng: np.random.Generator) -> None:
        dims = [2, 3]
        rho = random_density_matrix(6, rng)
        q = qutip.Qobj(rho, dims=[dims, dims])
        ref = qutip.entropy_mutual(q, 0, 1, base=2)
        assert mutual_information(q, [0], [1]) == pytest.approx(ref, abs=1e-12)

    def test_brute_force_definition(self, rng: np.random.Generator) -> None:
        dims = [2, 2, 2]
        rho = random_density_matrix(8, rng)
        ref = (
            von_neumann_entropy(partial_trace(rho, [0], dims))
            + von_neumann_entropy(partial_trace(rho, [2], dims))
            - von_neumann_entropy(partial_trace(rho, [0, 2], dims))
        )
        assert mutual_information(rho, [0], [2], dims) == pytest.approx(ref, abs=1e-12)

    def test_overlapping_sets_rejected(self) -> None:
        with pytest.raises(ValueError, match="disjoint"):
            mutual_information(np.eye(4) / 4, [0], [0], [2, 2])

    @given(st.integers(0, 2**31 - 1))
    def test_bounds_and_symmetry(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        dims = [2, 2, 2]
        rho = random_density_matrix(8, rng, rank=1 + seed % 8)
        i_ab = mutual_information(rho, [0], [1, 2], dims)
        i_ba = mutual_information(rho, [1, 2], [0], dims)
        s_a = von_neumann_entropy(partial_trace(rho, [0], dims))
        assert i_ab == pytest.approx(i_ba, abs=1e-10)
        assert -1e-10 <= i_ab <= 2 * s_a + 1e-10
        # monotone under adding subsystems to B
        assert mutual_information(rho, [0], [1], dims) <= i_ab + 1e-10


class TestHolevoInformation:
    def test_orthogonal_states(self) -> None:
        states = [np.diag([1.0, 0, 0]), np.diag([0, 1.0, 0]), np.diag([0, 0, 1.0])]
        assert holevo_information([0.25, 0.25, 0.5], states) == pytest.approx(1.5, abs=1e-13)

    def test_identical_states_zero(self, rng: np.random.Generator) -> None:
        rho = random_density_matrix(3, rng)
        assert holevo_information([0.4, 0.6], [rho, rho]) == pytest.approx(0.0, abs=1e-12)

    def test_pure_qubit_states(self) -> None:
        # two pure states with overlap |<a|b>|^2 = cos^2(x): chi = H2((1 + cos x)/2) at p = 1/2
        x = 0.7
        a = np.array([1.0, 0.0])
        b = np.array([math.cos(x), math.sin(x)])
        chi = holevo_information([0.5, 0.5], [np.outer(a, a), np.outer(b, b)])
        assert chi == pytest.approx(binary_entropy((1 + math.cos(x)) / 2), abs=1e-12)

    @given(st.integers(0, 2**31 - 1))
    def test_bounds(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        p = rng.dirichlet(np.ones(3))
        states = [random_density_matrix(2, rng) for _ in range(3)]
        chi = holevo_information(p, states)
        assert -1e-12 <= chi <= min(1.0, -np.sum(p * np.log2(p))) + 1e-12

    def test_count_mismatch(self) -> None:
        with pytest.raises(ValueError, match="expected 2 states"):
            holevo_information([0.5, 0.5], [np.eye(2) / 2])
