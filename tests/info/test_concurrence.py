"""Tests for the Wootters concurrence (pure-state formula, Werner states, QuTiP)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import qutip
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import concurrence
from tests.systems import random_density_matrix, random_ket


class TestConcurrence:
    def test_pure_state_formula(self, rng: np.random.Generator) -> None:
        psi = random_ket(4, rng)
        a, b, c, d = psi
        assert concurrence(np.outer(psi, psi.conj())) == pytest.approx(2 * abs(a * d - b * c), abs=1e-10)

    @pytest.mark.parametrize("w", [0.0, 0.2, 1 / 3, 0.5, 0.9, 1.0])
    def test_werner(self, w: float) -> None:
        bell = np.array([1, 0, 0, 1]) / math.sqrt(2)
        rho = w * np.outer(bell, bell) + (1 - w) * np.eye(4) / 4
        assert concurrence(rho) == pytest.approx(max(0.0, (3 * w - 1) / 2), abs=1e-10)

    def test_against_qutip(self, rng: np.random.Generator) -> None:
        rho = random_density_matrix(4, rng, rank=2)
        ref = qutip.concurrence(qutip.Qobj(rho, dims=[[2, 2], [2, 2]]))
        assert concurrence(rho) == pytest.approx(ref, abs=1e-7)

    def test_not_two_qubits(self) -> None:
        with pytest.raises(ValueError, match="not a two-qubit state"):
            concurrence(np.eye(3) / 3)
        with pytest.raises(ValueError, match="not a two-qubit state"):
            concurrence(np.diag([1.0, 1.0, -1.0, 0.0]))

    @given(st.integers(0, 2**31 - 1))
    def test_bounds(self, seed: int) -> None:
        rho = random_density_matrix(4, np.random.default_rng(seed), rank=1 + seed % 4)
        assert 0.0 <= concurrence(rho) <= 1.0 + 1e-12
