"""Tests for qdarwin.dephasing.gram: Gram matrix from observables, generator matrix, Helmert basis."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.dephasing import frequencies, generator_matrix, gram_matrix, helmert_basis, rates_from_operators


def random_ops(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.standard_normal((n, k)) + 1j * rng.standard_normal((n, k))


class TestGramMatrix:
    def test_s4_reference(self) -> None:
        g = np.array([[0, 1, 2], [1, 0, 1.5], [2, 1.5, 0]])
        om = np.zeros((3, 3))
        om[1, 2], om[2, 1] = 0.5, -0.5
        np.testing.assert_allclose(gram_matrix(g, om), [[2, 1.5 - 0.5j], [1.5 + 0.5j, 4]], atol=1e-12)

    @pytest.mark.parametrize("n, k", [(3, 2), (4, 1), (5, 6)])
    def test_equals_b_bdag_from_observables(self, rng: np.random.Generator, n: int, k: int) -> None:
        w = random_ops(rng, n, k)
        lam = rng.standard_normal(n)
        g, dw = rates_from_operators(w)
        b = w[1:] - w[0]
        ref = b @ b.conj().T
        np.testing.assert_allclose(gram_matrix(g, frequencies(lam, w)), ref, atol=1e-12)
        np.testing.assert_allclose(gram_matrix(g, dw), ref, atol=1e-12)
        # flipping the sign of the imaginary part fails (spec §2)
        assert not np.allclose(gram_matrix(g, -dw), ref, atol=1e-6)

    def test_other_reference_level(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 3)
        g, dw = rates_from_operators(w)
        for r in range(4):
            others = [m for m in range(4) if m != r]
            b = w[others] - w[r]
            np.testing.assert_allclose(gram_matrix(g, dw, ref=r), b @ b.conj().T, atol=1e-12)

    def test_generator_congruence(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 2)
        g, dw = rates_from_operators(w)
        c = generator_matrix(g, dw)
        t = np.zeros((4, 3))
        for j in range(3):
            t[j + 1, j], t[0, j] = 1, -1
        np.testing.assert_allclose(t.T @ c @ t, gram_matrix(g, dw), atol=1e-12)

    def test_rates_only_is_real_part(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 2)
        g, dw = rates_from_operators(w)
        np.testing.assert_allclose(gram_matrix(g), gram_matrix(g, dw).real, atol=1e-12)

    def test_bad_ref(self) -> None:
        with pytest.raises(ValueError, match="ref"):
            gram_matrix(np.zeros((3, 3)), ref=3)


class TestGeneratorMatrix:
    def test_hermitian_zero_diagonal(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 2)
        g, dw = rates_from_operators(w)
        c = generator_matrix(g, dw)
        np.testing.assert_allclose(c, c.conj().T, atol=1e-13)
        np.testing.assert_allclose(np.diag(c), 0, atol=1e-13)

    def test_conditionally_psd_for_physical(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 5, 2)
        c = generator_matrix(*rates_from_operators(w))
        for _ in range(20):
            x = rng.standard_normal(5) + 1j * rng.standard_normal(5)
            x -= x.mean()
            assert (x.conj() @ c @ x).real >= -1e-12


class TestHelmertBasis:
    @pytest.mark.parametrize("n", [2, 3, 8])
    def test_orthonormal_sum_zero(self, n: int) -> None:
        q = helmert_basis(n)
        np.testing.assert_allclose(q.T @ q, np.eye(n - 1), atol=1e-14)
        np.testing.assert_allclose(q.sum(axis=0), 0, atol=1e-14)

    def test_eigenvalues_basis_independent(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 2)
        c = generator_matrix(*rates_from_operators(w))
        q = helmert_basis(4)
        rot, _ = np.linalg.qr(rng.standard_normal((3, 3)))
        q2 = q @ rot
        np.testing.assert_allclose(np.linalg.eigvalsh(q.T @ c @ q), np.linalg.eigvalsh(q2.T @ c @ q2), atol=1e-12)

    def test_bad(self) -> None:
        with pytest.raises(ValueError):
            helmert_basis(1)


class TestParameterCount:
    @pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
    def test_jacobian_rank_is_n_minus_1_squared(self, rng: np.random.Generator, n: int) -> None:
        """Observable data (rates and loop frequencies) have (N-1)^2 real degrees of freedom (spec §1.2)."""
        from qdarwin.dephasing import loop_shifts

        k = n - 1
        p0 = rng.standard_normal(2 * n * k)

        def observables(p: np.ndarray) -> np.ndarray:
            w = (p[: n * k] + 1j * p[n * k :]).reshape(n, k)
            g, dw = rates_from_operators(w)
            iu = np.triu_indices(n, 1)
            phi = loop_shifts(dw)
            ju = np.triu_indices(n - 1, 1)
            return np.concatenate([g[iu], phi[1:, 1:][ju]])

        h = 1e-6
        jac = np.stack([(observables(p0 + h * e) - observables(p0 - h * e)) / (2 * h) for e in np.eye(p0.size)], axis=1)
        assert np.linalg.matrix_rank(jac, tol=1e-6) == (n - 1) ** 2


class TestGeometry:
    def test_heron_and_cayley_menger(self, rng: np.random.Generator) -> None:
        """Real operators: det G = 16 A^2 for the triangle with squared sides Gamma_mn (Heron, N = 3) and
        36 V^2 for the tetrahedron with squared edges 2 Gamma_mn (Cayley-Menger, N = 4)."""
        pts = rng.standard_normal((3, 2))
        g, _ = rates_from_operators(pts)
        area = 0.5 * abs(np.linalg.det(np.array([pts[1] - pts[0], pts[2] - pts[0]])))  # squared sides 2 Gamma
        area_gamma = area / 2  # scaling the sides by 1/sqrt 2 halves the area
        assert np.linalg.det(gram_matrix(g)).real == pytest.approx(16 * area_gamma**2, rel=1e-10)
        pts4 = rng.standard_normal((4, 3))
        g4, _ = rates_from_operators(pts4)
        vol = abs(np.linalg.det(pts4[1:] - pts4[0])) / 6
        assert np.linalg.det(gram_matrix(g4)).real == pytest.approx(36 * vol**2, rel=1e-10)
