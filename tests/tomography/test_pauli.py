"""Fast Pauli kernels against explicit Kronecker products (independent route)."""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np
import pytest
from scipy.linalg import hadamard

from qdarwin.tomography._pauli import (
    matrix_to_pauli,
    pauli_indices,
    pauli_label,
    pauli_to_matrix,
    probabilities_from_pauli,
    setting_digits,
    wht,
)
from qdarwin.tomography.data import all_settings

PAULI = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]), "Y": np.array([[0, -1j], [1j, 0]]), "Z": np.diag([1.0, -1.0])}
BASIS = {"X": np.array([[1, 1], [1, -1]]) / np.sqrt(2), "Y": np.array([[1, -1j], [1, 1j]]) / np.sqrt(2), "Z": np.eye(2)}


def _random_rho(n: int, rng: np.random.Generator) -> np.ndarray:
    a = rng.normal(size=(2**n, 2**n)) + 1j * rng.normal(size=(2**n, 2**n))
    r = a @ a.conj().T
    return r / np.trace(r)


class TestWht:
    @pytest.mark.parametrize("n", [1, 2, 5, 7, 8, 13])
    def test_matches_hadamard_matrix(self, n: int) -> None:
        x = np.random.default_rng(n).normal(size=(3, 2**n))
        np.testing.assert_allclose(wht(x), x @ hadamard(2**n).T, atol=1e-9 * 2**n)


class TestPauliTransforms:
    @pytest.mark.parametrize("n", [1, 2, 3])
    def test_against_kron_sum(self, n: int) -> None:
        rng = np.random.default_rng(n)
        c = rng.normal(size=4**n)
        brute = sum(c[k] * reduce(np.kron, [PAULI[ch] for ch in pauli_label(k, n)]) for k in range(4**n)) / 2**n
        np.testing.assert_allclose(pauli_to_matrix(c, n), brute, atol=1e-12)

    @pytest.mark.parametrize("n", [1, 3, 4])
    def test_round_trip_and_traces(self, n: int) -> None:
        rho = _random_rho(n, np.random.default_rng(10 + n))
        c = matrix_to_pauli(rho, n)
        for k in np.random.default_rng(0).choice(4**n, size=min(12, 4**n), replace=False):
            op = reduce(np.kron, [PAULI[ch] for ch in pauli_label(int(k), n)])
            assert c[k] == pytest.approx(np.trace(op @ rho).real, abs=1e-12)
        np.testing.assert_allclose(pauli_to_matrix(c, n), rho, atol=1e-12)

    def test_probabilities_against_basis_change(self) -> None:
        n = 3
        rho = _random_rho(n, np.random.default_rng(3))
        settings = all_settings(n)
        probs = probabilities_from_pauli(matrix_to_pauli(rho, n), pauli_indices(setting_digits(settings, n)))
        for s, p in zip(settings, probs):
            u = reduce(np.kron, [BASIS[ch] for ch in s])
            np.testing.assert_allclose(p, np.diag(u @ rho @ u.conj().T).real, atol=1e-12)

    def test_pauli_index_layout(self) -> None:
        idx = pauli_indices(setting_digits(["XYZ"], 3))[0]
        labels = [pauli_label(int(k), 3) for k in idx]
        # subset bit masks follow the outcome order: qubit 0 is the most significant bit
        assert labels[0b000] == "III" and labels[0b100] == "XII" and labels[0b011] == "IYZ" and labels[0b111] == "XYZ"
        assert sorted(labels) == sorted("".join(t) for t in itertools.product(*[("I", ch) for ch in "XYZ"]))
