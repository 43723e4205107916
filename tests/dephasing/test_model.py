"""Tests for qdarwin.dephasing.model: rates, frequencies, Liouvillian, closed-form evolution."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from qdarwin.dephasing import (
    evolve,
    frequencies,
    gauge_transform,
    liouvillian,
    loop_shifts,
    rates_from_operators,
    validate_rates,
)
from tests.systems import random_density_matrix

S1_W = np.array([[0.5, 0.2j], [1 + 0.5j, -0.3], [0, 0.8 + 0.1j]])


def random_ops(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.standard_normal((n, k)) + 1j * rng.standard_normal((n, k))


def brute_rhs(rho: np.ndarray, lam: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Lindblad right-hand side written out with full matrices (independent route)."""
    h = np.diag(lam)
    out = -1j * (h @ rho - rho @ h)
    for k in range(w.shape[1]):
        v = np.diag(w[:, k])
        vdv = v.conj().T @ v
        out += v @ rho @ v.conj().T - 0.5 * (vdv @ rho + rho @ vdv)
    return out


class TestRatesFromOperators:
    def test_s1_reference(self) -> None:
        g, dw = rates_from_operators(S1_W)
        assert g[0, 1] == pytest.approx(0.315, abs=1e-12)
        assert g[0, 2] == pytest.approx(0.45, abs=1e-12)
        assert g[1, 2] == pytest.approx(1.235, abs=1e-12)
        assert dw[0, 1] == pytest.approx(0.31, abs=1e-12)
        assert dw[0, 2] == pytest.approx(-0.16, abs=1e-12)
        assert dw[1, 2] == pytest.approx(-0.03, abs=1e-12)
        np.testing.assert_allclose(dw, -dw.T)
        np.testing.assert_allclose(g, g.T)

    def test_matches_pairwise_formula(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 5, 3)
        g, dw = rates_from_operators(w)
        for m in range(5):
            for n in range(5):
                assert g[m, n] == pytest.approx(0.5 * np.sum(np.abs(w[m] - w[n]) ** 2), abs=1e-12)
                assert dw[m, n] == pytest.approx(-np.sum(np.imag(w[m] * w[n].conj())), abs=1e-12)

    def test_single_operator_1d_and_empty(self) -> None:
        g, _ = rates_from_operators([0.0, 1.0, 3.0])
        assert g[1, 2] == pytest.approx(2.0)
        g0, d0 = rates_from_operators(np.zeros((3, 0)))
        assert not g0.any() and not d0.any()

    @pytest.mark.parametrize(
        "bad, msg",
        [([[1.0, 2.0]], "N >= 2"), (np.ones((2, 2, 2)), "expected shape"), ([[np.nan], [0]], "NaN"), ([["a"], ["b"]], "numbers")],
    )
    def test_bad_input(self, bad: object, msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            rates_from_operators(bad)

    @given(arrays(np.float64, (4, 2), elements=st.floats(-3, 3)), arrays(np.float64, (4, 2), elements=st.floats(-3, 3)))
    def test_properties(self, re: np.ndarray, im: np.ndarray) -> None:
        g, dw = rates_from_operators(re + 1j * im)
        assert np.all(g >= 0) and np.all(np.diag(g) == 0)
        np.testing.assert_allclose(g, g.T, atol=1e-12)
        np.testing.assert_allclose(dw, -dw.T, atol=1e-12)


class TestFrequencies:
    def test_definition(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 2)
        lam = rng.standard_normal(4)
        om = frequencies(lam, w)
        _, dw = rates_from_operators(w)
        np.testing.assert_allclose(om, lam[:, None] - lam[None, :] + dw, atol=1e-13)

    def test_bad_lam(self) -> None:
        with pytest.raises(ValueError, match="lam"):
            frequencies([1.0, 2.0, 3.0], [[0.0], [1.0]])


class TestLiouvillian:
    def test_diagonal_with_rates(self, rng: np.random.Generator) -> None:
        n = 4
        w = random_ops(rng, n, 3)
        lam = rng.standard_normal(n)
        lmat = liouvillian(lam, w)
        g, _ = rates_from_operators(w)
        om = frequencies(lam, w)
        np.testing.assert_allclose(lmat - np.diag(np.diag(lmat)), 0, atol=1e-12)
        for m in range(n):
            for k in range(n):
                assert lmat[m + k * n, m + k * n] == pytest.approx(-(g[m, k] + 1j * om[m, k]), abs=1e-12)

    def test_acts_like_master_equation(self, rng: np.random.Generator) -> None:
        n = 3
        w = random_ops(rng, n, 2)
        lam = rng.standard_normal(n)
        rho = random_density_matrix(n, rng)
        out = (liouvillian(lam, w) @ rho.reshape(-1, order="F")).reshape(n, n, order="F")
        np.testing.assert_allclose(out, brute_rhs(rho, lam, w), atol=1e-12)

    def test_sign_of_shift_checked_by_expm(self, rng: np.random.Generator) -> None:
        """Building omega with +Im instead of -Im would disagree with the generator by 2|dw|."""
        n = 3
        w = random_ops(rng, n, 2)
        lam = np.zeros(n)
        rho0 = random_density_matrix(n, rng)
        t = 0.7
        exact = (scipy.linalg.expm(liouvillian(lam, w) * t) @ rho0.reshape(-1, order="F")).reshape(n, n, order="F")
        g, dw = rates_from_operators(w)
        np.testing.assert_allclose(evolve(rho0, t, g, dw), exact, atol=1e-12)
        assert not np.allclose(evolve(rho0, t, g, -dw), exact, atol=1e-6)


class TestEvolve:
    def test_vs_expm_array_times(self, rng: np.random.Generator) -> None:
        n = 4
        w = random_ops(rng, n, 2)
        lam = rng.standard_normal(n)
        rho0 = random_density_matrix(n, rng)
        times = np.linspace(0, 2, 7)
        g, _ = rates_from_operators(w)
        out = evolve(rho0, times, g, frequencies(lam, w))
        assert out.shape == (7, n, n)
        lmat = liouvillian(lam, w)
        for t, r in zip(times, out):
            ref = (scipy.linalg.expm(lmat * t) @ rho0.reshape(-1, order="F")).reshape(n, n, order="F")
            np.testing.assert_allclose(r, ref, atol=1e-11)

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_vs_qutip_mesolve(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        n, k = 3, 2
        w = random_ops(rng, n, k)
        lam = rng.standard_normal(n)
        rho0 = random_density_matrix(n, rng)
        times = np.linspace(0, 1.5, 6)
        res = qutip.mesolve(
            qutip.Qobj(np.diag(lam)),
            qutip.Qobj(rho0),
            times,
            c_ops=[qutip.Qobj(np.diag(w[:, j])) for j in range(k)],
            options={"atol": 1e-12, "rtol": 1e-10},
        )
        g, _ = rates_from_operators(w)
        ours = evolve(rho0, times, g, frequencies(lam, w))
        for r_ref, r in zip(res.states, ours):
            np.testing.assert_allclose(r, r_ref.full(), atol=1e-8)

    def test_populations_constant_and_scalar_time(self, rng: np.random.Generator) -> None:
        rho0 = random_density_matrix(3, rng)
        g = np.array([[0, 1, 2], [1, 0, 0.5], [2, 0.5, 0]])
        r = evolve(qutip.Qobj(rho0), 3.0, g)
        assert r.shape == (3, 3)
        np.testing.assert_allclose(np.diag(r), np.diag(rho0))

    @pytest.mark.parametrize("t, msg", [(-1.0, ">= 0"), (np.nan, "finite"), ([[1.0]], "1-D")])
    def test_bad_times(self, t: object, msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            evolve(np.eye(2) / 2, t, [[0, 1.0], [1.0, 0]])

    def test_mismatched_gamma(self) -> None:
        with pytest.raises(ValueError, match="does not match"):
            evolve(np.eye(2) / 2, 1.0, np.zeros((3, 3)))

    def test_refuses_huge_output(self) -> None:
        with pytest.raises(ValueError, match="refusing to allocate"):
            evolve(np.eye(64) / 64, np.zeros(10**6), np.zeros((64, 64)))


class TestGaugeTransform:
    def test_dynamics_unchanged(self, rng: np.random.Generator) -> None:
        n, k = 4, 2
        w = random_ops(rng, n, k)
        lam = rng.standard_normal(n)
        z = rng.standard_normal((k + 2, k + 2)) + 1j * rng.standard_normal((k + 2, k + 2))
        u, _ = np.linalg.qr(z)
        alpha = rng.standard_normal(k + 2) + 1j * rng.standard_normal(k + 2)
        lam2, w2 = gauge_transform(lam, w, mixing=u, shift=alpha)
        assert w2.shape == (n, k + 2)
        np.testing.assert_allclose(rates_from_operators(w2)[0], rates_from_operators(w)[0], atol=1e-12)
        np.testing.assert_allclose(frequencies(lam2, w2), frequencies(lam, w), atol=1e-12)
        # the same shift with the opposite Hamiltonian sign (paper Eq. 11 misprint) changes omega
        lam_bad = lam - (lam2 - lam)
        _, w3 = gauge_transform(lam, w, mixing=u)
        assert not np.allclose(frequencies(lam_bad, w3 + alpha[None, :]), frequencies(lam, w), atol=1e-6)

    def test_dissipator_identity(self, rng: np.random.Generator) -> None:
        """D[V + a 1] rho = D[V] rho + 1/2 [a* V - a V^+, rho] (corrected Eq. 11)."""
        n = 3
        v = np.diag(rng.standard_normal(n) + 1j * rng.standard_normal(n))
        a = complex(rng.standard_normal() + 1j * rng.standard_normal())
        rho = random_density_matrix(n, rng)

        def diss(op: np.ndarray) -> np.ndarray:
            return op @ rho @ op.conj().T - 0.5 * (op.conj().T @ op @ rho + rho @ op.conj().T @ op)

        comm = a.conjugate() * v - a * v.conj().T
        np.testing.assert_allclose(diss(v + a * np.eye(n)), diss(v) + 0.5 * (comm @ rho - rho @ comm), atol=1e-12)

    @pytest.mark.parametrize(
        "kw, msg",
        [({"mixing": np.ones((2, 2))}, "not unitary"), ({"mixing": np.eye(1)}, "K' >= K"), ({"shift": [1.0, 2.0, 3.0]}, "shift")],
    )
    def test_bad(self, kw: dict, msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            gauge_transform([0.0, 1.0], [[0.0, 1.0], [1.0, 0.0]], **kw)


class TestLoopShifts:
    def test_gauge_invariant(self, rng: np.random.Generator) -> None:
        w = random_ops(rng, 4, 3)
        lam1, lam2 = rng.standard_normal(4), rng.standard_normal(4)
        np.testing.assert_allclose(loop_shifts(frequencies(lam1, w)), loop_shifts(frequencies(lam2, w)), atol=1e-12)
        phi = loop_shifts(frequencies(lam1, w))
        np.testing.assert_allclose(phi[0], 0, atol=1e-12)
        np.testing.assert_allclose(phi, -phi.T, atol=1e-12)

    def test_decomposition(self, rng: np.random.Generator) -> None:
        om = rng.standard_normal((4, 4))
        om = om - om.T
        phi = loop_shifts(om)
        h = om[:, 0]
        np.testing.assert_allclose(om, h[:, None] - h[None, :] + phi, atol=1e-12)

    def test_bad_ref(self) -> None:
        with pytest.raises(ValueError, match="ref"):
            loop_shifts(np.zeros((3, 3)), ref=5)


class TestValidateRates:
    @pytest.mark.parametrize(
        "bad, msg",
        [
            (np.zeros((2, 3)), "square"),
            ([[0, 1j], [1j, 0]], "real"),
            ([[0, np.nan], [np.nan, 0]], "NaN"),
            ([[0, 1.0], [1.5, 0]], r"not symmetric; worst pair \(1, 0\)|not symmetric; worst pair \(0, 1\)"),
            ([[1.0, 1.0], [1.0, 0]], "diagonal"),
            ([[0, -0.5], [-0.5, 0]], r"negative rate gamma\(0, 1\) = -0.5"),
            (np.zeros((1, 1)), "N >= 2"),
        ],
    )
    def test_errors(self, bad: object, msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            validate_rates(bad)

    def test_symmetrises_within_tolerance(self) -> None:
        g = validate_rates([[0, 1.0], [1.0 + 1e-13, 0]])
        assert g[0, 1] == g[1, 0]
