"""Tests for qdarwin.dephasing.canonical: canonical operators, three algorithms, gauge invariance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.dephasing import (
    canonical_form,
    echelon_cholesky,
    frequencies,
    gram_matrix,
    rates_from_operators,
)

S1_W = np.array([[0.5, 0.2j], [1 + 0.5j, -0.3], [0, 0.8 + 0.1j]])


def random_ops(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.standard_normal((n, k)) + 1j * rng.standard_normal((n, k))


def random_unitary(rng: np.random.Generator, k: int) -> np.ndarray:
    z = rng.standard_normal((k, k)) + 1j * rng.standard_normal((k, k))
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def is_canonical(v: np.ndarray, tol: float = 1e-12) -> bool:
    if v.shape[1] == 0:
        return True
    if np.any(np.abs(v[0]) > tol):
        return False
    leads = []
    for j in range(v.shape[1]):
        nz = np.flatnonzero(np.abs(v[:, j]) > tol)
        if nz.size == 0:
            return False
        p = nz[0]
        if abs(v[p, j].imag) > tol or v[p, j].real <= 0:
            return False
        leads.append(p)
    return all(a < b for a, b in zip(leads, leads[1:]))


def instances(rng: np.random.Generator) -> list[np.ndarray]:
    """Random instances incl. rank-deficient, real, single-operator, K > N and K < N-1."""
    out = [random_ops(rng, 4, 2), random_ops(rng, 5, 7), random_ops(rng, 3, 1), rng.standard_normal((4, 3))]
    w = random_ops(rng, 5, 3)
    w[2] = w[0]  # level 2 copies level 0
    out.append(w)
    w = random_ops(rng, 5, 2)
    w[3] = 0.3 * w[1] + 0.7 * w[2]  # affine dependence -> zero pivot at level 3 but later operators
    out.append(w)
    return out


class TestCanonicalForm:
    def test_s2_reference(self) -> None:
        cf = canonical_form(S1_W)
        assert cf.rank == 2
        ref = np.array([[0, 0], [0.793725393319, 0], [-0.592144341048 + 0.554347893747j, 0.491999483804]])
        np.testing.assert_allclose(cf.V, ref, atol=1e-9)
        np.testing.assert_allclose(cf.dH, [0, -0.31, 0.16], atol=1e-12)

    def test_s3_rank_deficient(self) -> None:
        cf = canonical_form([[1, 0], [1, 0], [0, 1j], [2, 1]])
        assert cf.rank == 2
        ref = np.array([[0, 0], [0, 0], [np.sqrt(2), 0], [-(1 + 1j) / np.sqrt(2), 1]])
        np.testing.assert_allclose(cf.V, ref, atol=1e-12)
        np.testing.assert_allclose(cf.dH, 0, atol=1e-12)
        lt = cf.lower_triangular()
        assert lt.shape == (4, 3)
        np.testing.assert_allclose(lt[:, 0], 0)
        np.testing.assert_allclose(lt[:, 1:], ref, atol=1e-12)

    @pytest.mark.parametrize("method", ["householder", "givens"])
    def test_reproduces_dynamics(self, rng: np.random.Generator, method: str) -> None:
        for w in instances(rng):
            lam = rng.standard_normal(w.shape[0])
            cf = canonical_form(w, method=method)
            assert is_canonical(cf.V)
            g0, _ = rates_from_operators(w)
            g1, _ = rates_from_operators(cf.V)
            np.testing.assert_allclose(g1, g0, atol=1e-10)
            np.testing.assert_allclose(frequencies(lam + cf.dH, cf.V), frequencies(lam, w), atol=1e-10)
            assert cf.rank == np.linalg.matrix_rank(gram_matrix(*rates_from_operators(w)), tol=1e-8)

    def test_three_algorithms_agree(self, rng: np.random.Generator) -> None:
        for _ in range(10):
            for w in instances(rng):
                a = canonical_form(w).V
                b = canonical_form(w, method="givens").V
                g, dw = rates_from_operators(w)
                c = echelon_cholesky(gram_matrix(g, dw))
                assert a.shape == b.shape
                np.testing.assert_allclose(a, b, atol=1e-10)
                np.testing.assert_allclose(a[1:], c, atol=1e-8)

    def test_gauge_invariance(self, rng: np.random.Generator) -> None:
        for w in instances(rng):
            n, k = w.shape
            lam = rng.standard_normal(n)
            ref = canonical_form(w)
            # unitary mixing with zero padding
            pad = np.hstack([w, np.zeros((n, 2))])
            w2 = pad @ random_unitary(rng, k + 2).T
            # identity shift with the Hamiltonian correction
            alpha = rng.standard_normal(k + 2) + 1j * rng.standard_normal(k + 2)
            lam2 = lam + np.sum(np.imag(alpha.conj()[None, :] * w2), axis=1)
            w3 = w2 + alpha[None, :]
            np.testing.assert_allclose(frequencies(lam2, w3), frequencies(lam, w), atol=1e-10)
            cf = canonical_form(w3)
            np.testing.assert_allclose(cf.V, ref.V, atol=1e-10)
            h1, h2 = lam + ref.dH, lam2 + cf.dH
            np.testing.assert_allclose(h1 - h1[0], h2 - h2[0], atol=1e-10)

    def test_idempotent(self, rng: np.random.Generator) -> None:
        v = canonical_form(random_ops(rng, 5, 3)).V
        cf = canonical_form(v)
        np.testing.assert_allclose(cf.V, v, atol=1e-13)
        np.testing.assert_allclose(cf.dH, 0, atol=1e-13)

    def test_canonical_shifts_are_loop_frequencies(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 3)
        cf = canonical_form(w)
        _, dw = rates_from_operators(cf.V)
        np.testing.assert_allclose(dw[0], 0, atol=1e-12)
        np.testing.assert_allclose(gram_matrix(*rates_from_operators(cf.V)), gram_matrix(*rates_from_operators(w)), atol=1e-10)

    def test_zero_operators(self) -> None:
        cf = canonical_form(np.zeros((3, 0)))
        assert cf.rank == 0 and cf.V.shape == (3, 0)
        assert canonical_form(np.ones((3, 2))).rank == 0

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="method"):
            canonical_form(S1_W, method="qr")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="rtol"):
            canonical_form(S1_W, rtol=-1)

    @given(st.integers(2, 6), st.integers(1, 6), st.integers(0, 10**6))
    def test_property_rates_preserved(self, n: int, k: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        w = random_ops(rng, n, k)
        cf = canonical_form(w)
        assert is_canonical(cf.V, tol=1e-10)
        np.testing.assert_allclose(rates_from_operators(cf.V)[0], rates_from_operators(w)[0], atol=1e-9)
        assert cf.rank <= min(n - 1, k)


class TestEchelonCholesky:
    def test_full_rank_is_cholesky(self, rng: np.random.Generator) -> None:
        b = random_ops(rng, 4, 4)
        g = b @ b.conj().T
        np.testing.assert_allclose(echelon_cholesky(g), np.linalg.cholesky(g), atol=1e-10)

    def test_rank_deficient(self) -> None:
        g = np.array([[0, 0, 0], [0, 2, 1 - 1j], [0, 1 + 1j, 2]], dtype=complex)
        lmat = echelon_cholesky(g)
        assert lmat.shape == (3, 2)
        np.testing.assert_allclose(lmat @ lmat.conj().T, g, atol=1e-12)

    def test_not_hermitian(self) -> None:
        with pytest.raises(ValueError, match="Hermitian"):
            echelon_cholesky([[1, 1], [0, 1]])
