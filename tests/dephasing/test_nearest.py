"""Tests for qdarwin.dephasing.nearest: projection (ADMM vs LSQ, KKT), bootstrap, inversion."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.dephasing import (
    bootstrap_p_value,
    check_constraints,
    frequencies,
    gram_matrix,
    invert_rates,
    nearest_physical,
    rates_from_operators,
    two_qubit_rates,
)

S11 = np.array([[0, 1, 1], [1, 0, 4.5], [1, 4.5, 0]])


def random_ops(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.standard_normal((n, k)) + 1j * rng.standard_normal((n, k))


def vec_herm(g: np.ndarray) -> np.ndarray:
    n = g.shape[0]
    iu = np.triu_indices(n, 1)
    return np.concatenate([np.real(np.diag(g)), np.sqrt(2) * g[iu].real, np.sqrt(2) * g[iu].imag])


def mat_herm(v: np.ndarray, n: int) -> np.ndarray:
    iu = np.triu_indices(n, 1)
    p = len(iu[0])
    g = np.diag(v[:n]).astype(complex)
    g[iu] = (v[n : n + p] + 1j * v[n + p :]) / np.sqrt(2)
    g[(iu[1], iu[0])] = g[iu].conj()
    return g


def kkt_check(g_hat: np.ndarray, om_hat: np.ndarray, wg: np.ndarray, wo: np.ndarray, g: np.ndarray, om: np.ndarray) -> None:
    """KKT: D(x - x^) = A^T vec(Y), Y >= 0, <Y, G(x)> = 0, G(x) >= 0 (independent of the solver)."""
    n = g.shape[0]
    iu = np.triu_indices(n, 1)
    p = len(iu[0])

    def amap(x: np.ndarray) -> np.ndarray:
        gg = np.zeros((n, n))
        gg[iu] = x[:p]
        gg = gg + gg.T
        ww = np.zeros((n, n))
        ww[iu] = x[p:]
        return vec_herm(gram_matrix(gg, ww - ww.T))

    a = np.stack([amap(e) for e in np.eye(2 * p)], axis=1)
    x = np.concatenate([g[iu], om[iu]])
    xh = np.concatenate([g_hat[iu], om_hat[iu]])
    w = np.concatenate([wg[iu], wo[iu]])
    r = w * (x - xh)
    y, *_ = np.linalg.lstsq(a.T, r, rcond=None)
    np.testing.assert_allclose(a.T @ y, r, atol=1e-6)  # residual orthogonal to the unconstrained directions
    ymat = mat_herm(y, n - 1)
    z = gram_matrix(g, om)
    assert np.linalg.eigvalsh(ymat)[0] >= -1e-6 * max(1, np.abs(ymat).max())
    assert np.linalg.eigvalsh(z)[0] >= -1e-8
    assert abs(np.trace(ymat @ z)) <= 1e-6 * max(1.0, np.abs(ymat).max())


class TestNearestPhysical:
    @pytest.mark.parametrize("method", ["admm", "lsq"])
    def test_s11(self, method: str) -> None:
        res = nearest_physical(S11, method=method)
        np.testing.assert_allclose([res.gamma[0, 1], res.gamma[0, 2], res.gamma[1, 2]], [10 / 9, 10 / 9, 40 / 9], atol=1e-6)
        assert res.distance == pytest.approx(1 / 6, abs=1e-6)
        assert res.omega is None

    def test_methods_agree_and_kkt(self, rng: np.random.Generator) -> None:
        for _ in range(4):
            g = rng.uniform(0, 3, (4, 4))
            g = np.triu(g, 1) + np.triu(g, 1).T
            om = rng.standard_normal((4, 4))
            om = om - om.T
            wg = rng.uniform(0.5, 2, (4, 4))
            wg = (wg + wg.T) / 2
            wo = rng.uniform(0.5, 2, (4, 4))
            wo = (wo + wo.T) / 2
            a = nearest_physical(g, om, wg, wo)
            b = nearest_physical(g, om, wg, wo, method="lsq")
            assert a.distance == pytest.approx(b.distance, abs=1e-6)
            np.testing.assert_allclose(a.gamma, b.gamma, atol=1e-5)
            np.testing.assert_allclose(a.omega, b.omega, atol=1e-5)
            if a.distance > 0:
                kkt_check(g, om, wg, wo, a.gamma, a.omega)
            assert check_constraints(np.clip(a.gamma, 0, None), a.omega, rtol=1e-7).physical

    def test_physical_input_unchanged(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 2)
        g, _ = rates_from_operators(w)
        om = frequencies(rng.standard_normal(4), w)
        res = nearest_physical(g, om)
        assert res.distance == 0
        np.testing.assert_allclose(res.gamma, g)

    def test_negative_estimates_accepted(self) -> None:
        g = np.array([[0, -0.1, 1], [-0.1, 0, 1], [1, 1, 0]])
        res = nearest_physical(g)
        assert res.distance > 0
        assert np.linalg.eigvalsh(gram_matrix(np.clip(res.gamma, 0, None)))[0] >= -1e-9

    def test_unweighted_distance_is_euclidean(self) -> None:
        g = two_qubit_rates(1.0, 2.5, 2.5)
        res = nearest_physical(g)
        iu = np.triu_indices(4, 1)
        assert res.distance == pytest.approx(np.linalg.norm(res.gamma[iu] - g[iu]), rel=1e-12)

    def test_bad(self) -> None:
        with pytest.raises(ValueError, match="method"):
            nearest_physical(S11, method="sdp")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="weights_gamma"):
            nearest_physical(S11, weights_gamma=-np.ones((3, 3)))


class TestBootstrapPValue:
    def test_significant_violation(self) -> None:
        rng = np.random.default_rng(7)
        g = two_qubit_rates(1.0, 2.6, 2.6)
        noisy = g + np.triu(rng.normal(scale=2e-3, size=(4, 4)), 1)
        noisy = np.triu(noisy, 1) + np.triu(noisy, 1).T
        res = bootstrap_p_value(noisy, np.zeros((4, 4)), 2e-3, 2e-3, n_boot=60, rng=rng)
        assert res.distance > 20
        assert res.p_value == pytest.approx(1 / 61)
        assert res.null_distances.max() < 10

    def test_null_is_not_significant(self) -> None:
        rng = np.random.default_rng(3)
        g = two_qubit_rates(1.0, 2.0, 2.0)  # on the boundary
        res = bootstrap_p_value(g, None, 0.01, n_boot=40, rng=rng)
        assert res.p_value == 1.0 and res.distance == 0

    def test_requires_sigma_omega(self) -> None:
        with pytest.raises(ValueError, match="sigma_omega"):
            bootstrap_p_value(S11, np.zeros((3, 3)), 0.1, rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match="rng"):
            bootstrap_p_value(S11, None, 0.1, rng=0)  # type: ignore[arg-type]


class TestInvertRates:
    def test_s4(self) -> None:
        g = np.array([[0, 1, 2], [1, 0, 1.5], [2, 1.5, 0]])
        om = np.zeros((3, 3))
        om[1, 2], om[2, 1] = 0.5, -0.5
        res = invert_rates(g, om)
        assert res.physical and res.rank == 2
        ref = np.array([[0, 0], [np.sqrt(2), 0], [(1.5 + 0.5j) / np.sqrt(2), np.sqrt(2.75)]])
        np.testing.assert_allclose(res.V, ref, atol=1e-12)
        np.testing.assert_allclose(res.h, 0, atol=1e-12)

    def test_round_trip(self, rng: np.random.Generator) -> None:
        for n, k in [(3, 1), (4, 3), (5, 2), (6, 6)]:
            w = random_ops(rng, n, k)
            lam = rng.standard_normal(n)
            g, _ = rates_from_operators(w)
            om = frequencies(lam, w)
            res = invert_rates(g, om)
            assert res.physical
            g2, dw2 = rates_from_operators(res.V)
            np.testing.assert_allclose(g2, g, atol=1e-9)
            np.testing.assert_allclose(res.h[:, None] - res.h[None, :] + dw2, om, atol=1e-9)
            assert res.rank == min(n - 1, k)

    def test_rates_only_real_operators(self, rng: np.random.Generator) -> None:
        w = rng.standard_normal((4, 2))
        g, _ = rates_from_operators(w)
        res = invert_rates(g)
        np.testing.assert_allclose(res.V.imag, 0, atol=1e-12)
        np.testing.assert_allclose(rates_from_operators(res.V)[0], g, atol=1e-10)

    def test_unphysical_report_and_projection(self) -> None:
        g = two_qubit_rates(1.0, 2.5, 2.5)
        res = invert_rates(g)
        assert not res.physical and res.V is None and res.report.first_violation == 3
        res = invert_rates(g, project=True)
        assert not res.physical and res.V is not None and res.distance > 0
        np.testing.assert_allclose(rates_from_operators(res.V)[0], res.projected_gamma, atol=1e-6)
