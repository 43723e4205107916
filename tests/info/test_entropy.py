"""Tests for qdarwin.info.entropy (independent routes: closed forms, QuTiP, brute sums)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import qutip
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import (
    binary_entropy,
    entropy_from_eigenvalues,
    entropy_of_factor,
    shannon_entropy,
    two_level_entropy,
    von_neumann_entropy,
)
from tests.systems import random_density_matrix


class TestVonNeumannEntropy:
    def test_maximally_mixed(self) -> None:
        for d in (2, 3, 5):
            assert von_neumann_entropy(np.eye(d) / d) == pytest.approx(math.log2(d), abs=1e-13)

    def test_pure_is_zero(self, rng: np.random.Generator) -> None:
        v = rng.standard_normal(4) + 1j * rng.standard_normal(4)
        v /= np.linalg.norm(v)
        assert von_neumann_entropy(np.outer(v, v.conj())) == pytest.approx(0.0, abs=1e-12)

    @pytest.mark.parametrize("base", [2.0, math.e])
    def test_matches_qutip(self, rng: np.random.Generator, base: float) -> None:
        rho = random_density_matrix(6, rng)
        ref = qutip.entropy_vn(qutip.Qobj(rho), base=base)
        assert von_neumann_entropy(rho, base=base) == pytest.approx(ref, abs=1e-12)

    def test_accepts_qobj(self, rng: np.random.Generator) -> None:
        rho = random_density_matrix(3, rng)
        assert von_neumann_entropy(qutip.Qobj(rho)) == pytest.approx(von_neumann_entropy(rho), abs=1e-14)

    @pytest.mark.parametrize(
        "bad, msg",
        [
            (np.ones((2, 3)) / 2, "square"),
            (np.array([[0.5, 0.5], [0.0, 0.5]]), "Hermitian"),
            (np.diag([0.7, 0.7]), "trace"),
            (np.diag([1.5, -0.5]), "negative eigenvalue"),
            (np.diag([np.nan, 1.0]), "NaN"),
        ],
    )
    def test_invalid_state_raises(self, bad: np.ndarray, msg: str) -> None:
        with pytest.raises(ValueError, match="not a valid density matrix"):
            von_neumann_entropy(bad)
        with pytest.raises(ValueError, match=msg):
            von_neumann_entropy(bad)

    def test_bad_base(self) -> None:
        with pytest.raises(ValueError, match="base"):
            von_neumann_entropy(np.eye(2) / 2, base=1.0)

    @given(st.integers(min_value=2, max_value=6), st.integers(min_value=0, max_value=2**31 - 1))
    def test_bounds(self, d: int, seed: int) -> None:
        rho = random_density_matrix(d, np.random.default_rng(seed), rank=1 + seed % d)
        s = von_neumann_entropy(rho)
        assert -1e-12 <= s <= math.log2(d) + 1e-12


class TestEntropyFromEigenvalues:
    def test_batched(self) -> None:
        out = entropy_from_eigenvalues(np.array([[0.5, 0.5], [1.0, 0.0]]))
        np.testing.assert_allclose(out, [1.0, 0.0], atol=1e-15)

    def test_drops_negative_roundoff(self) -> None:
        assert entropy_from_eigenvalues([1.0, -1e-17]) == 0.0


class TestEntropyOfFactor:
    @pytest.mark.parametrize("shape", [(4, 16), (16, 4), (8, 8)])
    def test_equals_full_spectrum(self, rng: np.random.Generator, shape: tuple[int, int]) -> None:
        w = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        w /= np.linalg.norm(w)
        ref = von_neumann_entropy(w @ w.conj().T)
        assert entropy_of_factor(w) == pytest.approx(ref, abs=1e-12)


class TestShannonEntropy:
    def test_known(self) -> None:
        assert shannon_entropy([0.5, 0.25, 0.25]) == pytest.approx(1.5, abs=1e-15)
        assert shannon_entropy([1.0, 0.0]) == 0.0

    def test_rejects_unnormalised(self) -> None:
        with pytest.raises(ValueError, match="sum to 1"):
            shannon_entropy([0.5, 0.6])
        with pytest.raises(ValueError, match=">= 0"):
            shannon_entropy([1.5, -0.5])


class TestBinaryEntropy:
    @given(st.floats(min_value=0.0, max_value=1.0))
    def test_matches_shannon(self, p: float) -> None:
        assert binary_entropy(p) == pytest.approx(shannon_entropy([p, 1 - p]), abs=1e-12)

    def test_vectorised_and_symmetric(self) -> None:
        p = np.linspace(0, 1, 11)
        np.testing.assert_allclose(binary_entropy(p), binary_entropy(1 - p), atol=1e-15)

    @pytest.mark.parametrize("p", [1e-20, 1e-12, 1e-8])
    def test_tiny_p_full_relative_accuracy(self, p: float) -> None:
        # series: H2(p) ln 2 = -p ln p + p - p^2/2 + ... (ln(1-p) = -p - p^2/2 - ...)
        expected = (-p * math.log(p) + p - p**2 / 2) / math.log(2)
        assert binary_entropy(p) == pytest.approx(expected, rel=1e-13)
        q = 1 - p  # the float nearest 1 - p; H2 must be accurate for its exact complement
        if q < 1.0:
            assert binary_entropy(q) == pytest.approx(binary_entropy(1 - q), rel=1e-13, abs=0)

    def test_out_of_range(self) -> None:
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            binary_entropy(1.2)


class TestTwoLevelEntropy:
    @given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
    def test_matches_density_matrix(self, p: float, frac: float) -> None:
        rc = frac * math.sqrt(p * (1 - p))
        rho = np.array([[p, rc], [rc, 1 - p]])
        assert two_level_entropy(p, rc) == pytest.approx(von_neumann_entropy(rho, check=False), abs=1e-9)

    def test_pure_state_zero(self) -> None:
        assert two_level_entropy(0.3, math.sqrt(0.21)) == pytest.approx(0.0, abs=1e-7)
