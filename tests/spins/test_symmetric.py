"""Tests for qdarwin.spins.symmetric (permutation-symmetric method, spec §6), Schur-Weyl helpers."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st

from qdarwin._threads import blas_threads
from qdarwin.info import (
    binary_entropy,
    holevo_information,
    mutual_information,
    partial_trace,
    two_level_entropy,
)
from qdarwin.spins.chernoff import spin_chernoff
from qdarwin.spins.exact import holevo_deficit_pure, info_pure_environment
from qdarwin.spins.model import bloch_state, conditional_unitary
from qdarwin.spins.symmetric import (
    MAX_FRAGMENT,
    DecayFit,
    SymmetricInfo,
    decay_rate_fit,
    holevo_deficit_curve,
    log_multiplicity,
    schur_weyl_multiplicities,
    spin_matrices,
    spin_sector_weights,
    sym_power,
    sym_power_su2,
    symmetric_environment_info,
)
from tests.systems import I2, SX, SY, SZ, kron_all

# ----------------------------------------------------------------------------- brute-force helpers


def dicke_basis(n: int) -> np.ndarray:
    """Columns e_k: normalised symmetric states, k down factors (first factor most significant)."""
    cols = []
    for k in range(n + 1):
        v = np.zeros(2**n)
        for idx in itertools.combinations(range(n), k):
            v[sum(1 << (n - 1 - i) for i in idx)] = 1.0
        cols.append(v / np.linalg.norm(v))
    return np.array(cols).T


def kron_power(a: np.ndarray, m: int) -> np.ndarray:
    return kron_all(*([a] * m))


def total_spin_squared(m: int) -> np.ndarray:
    """Casimir J^2 of m qubits (J = sum sigma/2), dense."""
    out = np.zeros((2**m, 2**m), dtype=complex)
    for pauli in (SX, SY, SZ):
        tot = sum(kron_all(*[pauli / 2 if i == k else I2 for i in range(m)]) for k in range(m))
        out += tot @ tot
    return out


def brute_force_state(m: int, n_env: int, a, theta, phi, g, omega, t, p, c) -> np.ndarray:
    """rho_SF of the first m of n_env identical spins: partial trace of the full S+E state."""
    rho_r = bloch_state(a, theta, phi)
    u = {s: conditional_unitary(s, g, omega, t) for s in (1, -1)}
    rho_s = np.array([[p, c], [np.conj(c), 1 - p]])
    dim = 2**n_env
    full = np.zeros((2 * dim, 2 * dim), dtype=complex)
    for i, s in enumerate((1, -1)):
        for k, s2 in enumerate((1, -1)):
            block = kron_power(u[s] @ rho_r @ u[s2].conj().T, n_env)
            full[i * dim : (i + 1) * dim, k * dim : (k + 1) * dim] = rho_s[i, k] * block
    return partial_trace(full, list(range(m + 1)), [2] * (n_env + 1))


def brute_force_hamiltonian_state(
    m: int, n_env: int, a, theta, phi, g, omega, t, p, c
) -> np.ndarray:
    """rho_SF from exp(-iHt) of the §1.1 Hamiltonian on 1 + n_env qubits (small n_env only)."""
    n = n_env + 1

    def op(pauli: np.ndarray, k: int) -> np.ndarray:
        return kron_all(*[pauli if i == k else I2 for i in range(n)])

    ham = sum(g * op(SZ, 0) @ op(SZ, k) + omega * op(SX, k) for k in range(1, n))
    rho0 = kron_all(
        np.array([[p, c], [np.conj(c), 1 - p]]), *([bloch_state(a, theta, phi)] * n_env)
    )
    u = scipy.linalg.expm(-1j * t * ham)
    return partial_trace(u @ rho0 @ u.conj().T, list(range(m + 1)), [2] * n)


def brute_force_chi_mi(rho_sf: np.ndarray, m: int) -> tuple[float, float]:
    d = 2**m
    p = rho_sf[:d, :d].trace().real
    q = rho_sf[d:, d:].trace().real
    states = [rho_sf[:d, :d] / p, rho_sf[d:, d:] / q]
    chi = holevo_information([p, q], states)
    mi = mutual_information(rho_sf, [0], list(range(1, m + 1)), [2] * (m + 1))
    return chi, mi


def random_params(rng: np.random.Generator) -> dict:
    p = float(rng.uniform(0.05, 0.95))
    c = math.sqrt(p * (1 - p)) * float(rng.uniform(0, 1)) * np.exp(1j * rng.uniform(0, 2 * np.pi))
    return dict(
        a=float(rng.uniform(0, 1)),
        theta=float(rng.uniform(0, np.pi)),
        phi=float(rng.uniform(0, 2 * np.pi)),
        g=float(rng.uniform(-1.5, 1.5)),
        omega=float(rng.uniform(-1, 1)),
        t=float(rng.uniform(-2, 2)),
        p=p,
        c=complex(c),
    )


# ----------------------------------------------------------------------------- Schur-Weyl helpers


class TestSchurWeylMultiplicities:
    @pytest.mark.parametrize("m", [0, 1, 2, 5, 10, 31, 50])
    def test_dimension_count(self, m: int) -> None:
        two_j, d = schur_weyl_multiplicities(m)
        assert two_j.tolist() == list(range(m, -1, -2))
        assert sum(int(x) * (int(n) + 1) for x, n in zip(d, two_j)) == 2**m

    def test_known_values_and_closed_form(self) -> None:
        two_j, d = schur_weyl_multiplicities(6)
        assert d.tolist() == [1.0, 5.0, 9.0, 5.0]
        j = two_j / 2
        closed = (2 * j + 1) / (3 + j + 1) * np.array([math.comb(6, int(3 - x)) for x in j])
        np.testing.assert_allclose(d, closed, rtol=1e-15)

    def test_matches_casimir_eigenspaces(self) -> None:
        m = 5
        evals = np.linalg.eigvalsh(total_spin_squared(m))
        two_j, d = schur_weyl_multiplicities(m)
        for n, dj in zip(two_j, d):
            j = n / 2
            assert np.sum(np.abs(evals - j * (j + 1)) < 1e-9) == int(dj) * (n + 1)

    @pytest.mark.parametrize("bad", [-1, 1.5, 5000])
    def test_rejects_bad_m(self, bad) -> None:
        with pytest.raises(ValueError):
            schur_weyl_multiplicities(bad)


class TestLogMultiplicity:
    @pytest.mark.parametrize("m", [1, 8, 33, 60])
    def test_agrees_with_integers(self, m: int) -> None:
        two_j, d = schur_weyl_multiplicities(m)
        np.testing.assert_allclose(np.exp(log_multiplicity(m, two_j / 2)), d, rtol=1e-12)

    def test_large_m_finite_and_scalar(self) -> None:
        val = log_multiplicity(4000, 0)
        assert isinstance(val, float) and np.isfinite(val) and val > 2000

    @pytest.mark.parametrize("j", [3.5, 0.3, -1, 2])
    def test_rejects_bad_j(self, j: float) -> None:
        with pytest.raises(ValueError):
            log_multiplicity(5, j)  # 2 has the wrong parity for m = 5


class TestSpinMatrices:
    @pytest.mark.parametrize("j", [0, 0.5, 1, 2.5, 7])
    def test_algebra(self, j: float) -> None:
        jx, jy, jz = spin_matrices(j)
        np.testing.assert_allclose(jx @ jy - jy @ jx, 1j * jz, atol=1e-12)
        np.testing.assert_allclose(jy @ jz - jz @ jy, 1j * jx, atol=1e-12)
        np.testing.assert_allclose(
            jx @ jx + jy @ jy + jz @ jz, j * (j + 1) * np.eye(int(2 * j + 1)), atol=1e-12
        )

    def test_matches_collective_spin_on_dicke_states(self) -> None:
        n = 4
        dk = dicke_basis(n)
        for pauli, mat in zip((SX, SY, SZ), spin_matrices(n / 2)):
            tot = sum(kron_all(*[pauli / 2 if i == k else I2 for i in range(n)]) for k in range(n))
            np.testing.assert_allclose(dk.T @ tot @ dk, mat, atol=1e-12)

    def test_rejects_bad_j(self) -> None:
        with pytest.raises(ValueError, match="half-integer"):
            spin_matrices(0.3)


class TestSymPower:
    @pytest.mark.parametrize("n", [0, 1, 2, 3, 6])
    def test_equals_dense_tensor_power_on_symmetric_subspace(self, n: int, rng) -> None:
        a = rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2))
        dk = dicke_basis(n)
        np.testing.assert_allclose(sym_power(a, n), dk.T @ kron_power(a, n) @ dk, atol=1e-12)

    def test_multiplicative(self, rng) -> None:
        a, b = (rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2)) for _ in range(2))
        np.testing.assert_allclose(
            sym_power(a @ b, 9), sym_power(a, 9) @ sym_power(b, 9), atol=1e-9
        )

    @pytest.mark.parametrize("m", [2, 3, 4, 5])
    def test_tensor_power_block_decomposition(self, m: int, rng) -> None:
        """A^{(x)m} = (+)_j det(A)^{m/2-j} Sym^{2j}(A) (x) 1_{d_j}: traces of powers, products."""
        a, b = (rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2)) for _ in range(2))
        two_j, d = schur_weyl_multiplicities(m)
        for x in (a, a @ a, a @ b, a @ a @ a @ b):
            dense = np.trace(kron_power(x, m))
            blocks = sum(
                dj * np.linalg.det(x) ** ((m - n) // 2) * np.trace(sym_power(x, int(n)))
                for n, dj in zip(two_j, d)
            )
            assert abs(dense - blocks) < 1e-9 * max(1.0, abs(dense))
        # spectra: eigenvalues of A^{(x)m} with multiplicity equal those of the blocks
        dense_ev = np.sort_complex(np.linalg.eigvals(kron_power(a, m)))
        block_ev = np.sort_complex(
            np.concatenate(
                [
                    np.repeat(
                        np.linalg.eigvals(
                            np.linalg.det(a) ** ((m - n) // 2) * sym_power(a, int(n))
                        ),
                        int(dj),
                    )
                    for n, dj in zip(two_j, d)
                ]
            )
        )
        np.testing.assert_allclose(dense_ev, block_ev, atol=1e-9)

    def test_rejects_bad_input(self) -> None:
        with pytest.raises(ValueError, match="shape"):
            sym_power(np.eye(3), 2)
        with pytest.raises(ValueError):
            sym_power(np.eye(2), -1)
        with pytest.raises(ValueError, match="too large"):
            sym_power(np.eye(2), 500)


class TestSymPowerSu2:
    @pytest.mark.parametrize("n", [0, 1, 2, 5, 11, 20])
    def test_polynomial_formula_equals_stable_route(self, n: int, rng) -> None:
        for _ in range(3):
            u = scipy.linalg.expm(
                1j
                * (lambda h: h + h.conj().T)(
                    rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2))
                )
            )
            np.testing.assert_allclose(sym_power_su2(u, n), sym_power(u, n), atol=1e-10)

    @pytest.mark.parametrize("n", [3, 12])
    def test_hermitian_exponential(self, n: int, rng) -> None:
        """Sym^n(exp[-it(h0 + h.sigma)]) = exp[-it(n h0 + 2 h.J)] (spec §6.2)."""
        h0, h, t = rng.standard_normal(), rng.standard_normal(3), 0.7
        u = scipy.linalg.expm(-1j * t * (h0 * I2 + h[0] * SX + h[1] * SY + h[2] * SZ))
        jx, jy, jz = spin_matrices(n / 2)
        ref = scipy.linalg.expm(
            -1j * t * (n * h0 * np.eye(n + 1) + 2 * (h[0] * jx + h[1] * jy + h[2] * jz))
        )
        np.testing.assert_allclose(sym_power_su2(u, n), ref, atol=1e-10)

    def test_unitary_for_large_n(self) -> None:
        u = conditional_unitary(1, 0.8, 0.6, 1.7)
        s = sym_power_su2(u, 400)
        np.testing.assert_allclose(s @ s.conj().T, np.eye(401), atol=1e-10)

    def test_rejects_non_unitary(self) -> None:
        with pytest.raises(ValueError, match="unitary"):
            sym_power_su2([[1, 1], [0, 1]], 3)


class TestSpinSectorWeights:
    @pytest.mark.parametrize("a", [0.0, 1e-10, 0.3, 0.9, 1.0])
    @pytest.mark.parametrize("m", [0, 1, 7, 150, 1500])
    def test_normalised(self, m: int, a: float) -> None:
        two_j, prob = spin_sector_weights(m, a)
        assert two_j[0] == m and np.all(prob >= 0)
        assert abs(prob.sum() - 1.0) < 1e-12

    def test_equals_casimir_projections(self) -> None:
        m, a = 5, 0.55
        rho = kron_power(bloch_state(a, 0.4, 1.1), m)
        evals, vecs = np.linalg.eigh(total_spin_squared(m))
        two_j, prob = spin_sector_weights(m, a)
        for n, pj in zip(two_j, prob):
            v = vecs[:, np.abs(evals - n / 2 * (n / 2 + 1)) < 1e-9]
            assert abs(np.trace(v.conj().T @ rho @ v).real - pj) < 1e-12

    def test_pure_spins_single_sector(self) -> None:
        _, prob = spin_sector_weights(6, 1.0)
        assert prob.tolist() == [1.0, 0.0, 0.0, 0.0]

    def test_rejects_bad_a(self) -> None:
        with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
            spin_sector_weights(3, 1.2)


# ----------------------------------------------------------------------------- the method


class TestSymmetricEnvironmentInfo:
    def test_spec_row_10(self) -> None:
        info = symmetric_environment_info(6, 6, 0.6, np.pi / 2, 0.0, 1.0, 0.0, np.pi / 8, 0.5)
        assert isinstance(info, SymmetricInfo) and not info.flagged
        assert abs(info.chi - 0.574597650897) < 1e-9
        assert abs(info.I - 1.56329705919) < 1e-9
        assert abs(info.deficit - 0.425402349103) < 1e-9

    def test_spec_row_11(self) -> None:
        info = symmetric_environment_info(3, 6, 0.8, 1.0, 0.2, 0.7, 0.5, 1.3, 0.3, math.sqrt(0.21))
        assert abs(info.chi - 0.674231461215) < 1e-9
        assert abs(info.I - 0.676333938401) < 1e-9

    @pytest.mark.parametrize(
        "m,n_env", [(1, 1), (2, 4), (3, 3), (4, 7), (5, 8), (6, 9), (7, 10), (8, 8), (8, 10)]
    )
    def test_against_dense_partial_trace(self, m: int, n_env: int) -> None:
        prm = random_params(np.random.default_rng(100 * m + n_env))
        with blas_threads():
            chi_ref, mi_ref = brute_force_chi_mi(brute_force_state(m, n_env, **prm), m)
        info = symmetric_environment_info(m, n_env, **prm)
        assert abs(info.chi - chi_ref) < 1e-10
        assert abs(info.I - mi_ref) < 1e-10
        assert abs(info.deficit - (binary_entropy(prm["p"]) - chi_ref)) < 1e-10

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_against_hamiltonian_evolution(self, seed: int) -> None:
        prm = random_params(np.random.default_rng(seed))
        m, n_env = 3, 5
        with blas_threads():
            chi_ref, mi_ref = brute_force_chi_mi(brute_force_hamiltonian_state(m, n_env, **prm), m)
        info = symmetric_environment_info(m, n_env, **prm)
        assert abs(info.chi - chi_ref) < 1e-10
        assert abs(info.I - mi_ref) < 1e-10

    @pytest.mark.parametrize("m,n_env", [(1, 3), (4, 4), (25, 40), (120, 300)])
    def test_pure_spins_reduce_to_closed_form(self, m: int, n_env: int) -> None:
        """a = 1: chi = h(p, sqrt(pq) d^m), I = chi + h(p,|c|d^N) - h(p,|c|d^{N-m}) (§4.2)."""
        p, c, theta, phi, g, omega, t = 0.3, 0.35, 1.1, 0.4, 0.6, 0.3, 0.9
        rho = bloch_state(1.0, theta, phi)
        gam = abs(
            np.trace(
                conditional_unitary(1, g, omega, t)
                @ rho
                @ conditional_unitary(-1, g, omega, t).conj().T
            )
        )
        chi = two_level_entropy(p, math.sqrt(p * (1 - p)) * gam**m)
        mi = (
            two_level_entropy(p, c * gam**n_env)
            + chi
            - two_level_entropy(p, c * gam ** (n_env - m))
        )
        info = symmetric_environment_info(m, n_env, 1.0, theta, phi, g, omega, t, p, c)
        assert abs(info.chi - chi) < 1e-11 and abs(info.I - mi) < 1e-11

    @pytest.mark.parametrize("m", [1, 5, 40, 90])
    def test_pure_spins_match_pure_environment_module(self, m: int) -> None:
        """a = 1 against qdarwin.spins.exact (spec §4): I, chi and the stable deficit of §4.3."""
        p, c, theta, phi, g, omega, t, n_env = 0.125, 0.2, 1.3, 0.2, 1.0, 0.2, 0.35, 100
        rho = bloch_state(1.0, theta, phi)
        gam = abs(
            np.trace(
                conditional_unitary(1, g, omega, t)
                @ rho
                @ conditional_unitary(-1, g, omega, t).conj().T
            )
        )
        ref = info_pure_environment(p, c, np.full(n_env, gam), list(range(m)))
        info = symmetric_environment_info(m, n_env, 1.0, theta, phi, g, omega, t, p, c)
        assert abs(info.chi - ref.chi) < 1e-12 and abs(info.I - ref.I) < 1e-12
        deficit = holevo_deficit_pure(p, gam**m)
        assert abs(info.deficit - deficit) < 1e-13 + 1e-9 * deficit

    def test_trivial_cases(self) -> None:
        h = binary_entropy(0.2)
        zero_m = symmetric_environment_info(0, 5, 0.7, 1.0, 0.0, 1.0, 0.0, 0.5, 0.2)
        assert zero_m.chi == 0.0 and zero_m.I == 0.0 and abs(zero_m.deficit - h) < 1e-15
        still = symmetric_environment_info(30, 30, 0.7, 1.0, 0.0, 1.0, 0.3, 0.0, 0.2)
        assert abs(still.chi) < 1e-12 and abs(still.I) < 1e-12
        assert math.isnan(
            symmetric_environment_info(3, 5, 0.7, 1.0, 0.0, 1.0, 0.0, 0.5, 0.2, want_mi=False).I
        )

    def test_maximally_mixed_spins_decohere_but_record_nothing(self) -> None:
        """a = 0: chi = 0, yet the spins decohere S (|gamma| = |tr V|/2): I(S:E) = H_S (pure S)."""
        p, g, omega, t = 0.2, 1.0, 0.4, 0.5
        info = symmetric_environment_info(30, 30, 0.0, 1.0, 0.0, g, omega, t, p)
        v = conditional_unitary(-1, g, omega, t).conj().T @ conditional_unitary(1, g, omega, t)
        h_s = two_level_entropy(p, math.sqrt(p * (1 - p)) * (abs(np.trace(v)) / 2) ** 30)
        assert abs(info.chi) < 1e-13 and h_s > 0.1
        assert abs(info.I - h_s) < 1e-12

    def test_negative_round_off_is_clamped_and_flagged(self, monkeypatch) -> None:
        import qdarwin.spins.symmetric as sym

        for raw, flagged in [(-5e-15, False), (-3e-13, True)]:
            fake = (np.array([math.log(2.0) - raw]), np.array([raw]))
            monkeypatch.setattr(sym._BlockCache, "fragment", lambda self, m, fake=fake: fake)
            info = symmetric_environment_info(4, 4, 0.5, 1.0, 0.0, 1.0, 0.0, 0.5, 0.5)
            assert info.deficit == 0.0 and info.flagged is flagged

    def test_time_reversal(self) -> None:
        """Complex conjugation maps (t, phi) to (-t, -phi); even in t for phi = 0 (spec §7)."""
        args = (12, 20, 0.8, 1.0)
        for phi, phi_rev in [(0.2, -0.2), (0.0, 0.0)]:
            plus = symmetric_environment_info(*args, phi, 0.7, 0.5, 1.3, 0.3)
            minus = symmetric_environment_info(*args, phi_rev, 0.7, 0.5, -1.3, 0.3)
            assert abs(plus.chi - minus.chi) < 1e-12 and abs(plus.I - minus.I) < 1e-12

    def test_deficit_resolved_below_1e_12(self) -> None:
        """Deep in the tail the direct deficit stays positive and decays smoothly (§6.4 floor)."""
        ms = np.arange(200, 251, 10)
        d = holevo_deficit_curve(ms, 0.6, np.pi / 2, 0.0, 1.0, 0.0, np.pi / 8, 0.5)
        assert np.all(d > 0) and d[-1] < 1e-12
        ratios = d[1:] / d[:-1]
        assert np.all(np.abs(ratios / ratios.mean() - 1) < 0.03)

    @pytest.mark.parametrize(
        "kwargs,match",
        [
            (dict(a=1.1), r"Bloch vector length must be in \[0, 1\]"),
            (dict(p=1.5), r"p must be in \[0, 1\]"),
            (dict(c=0.6), "system state is not positive"),
            (dict(m=7), "exceeds the environment size"),
            (dict(n_env=0), "n_env"),
            (dict(m=-1), "m must be"),
            (dict(m=MAX_FRAGMENT + 1, n_env=MAX_FRAGMENT + 1), "largest fragment"),
            (dict(t=float("nan")), "t must be finite"),
            (dict(g=1j), "g must be a real number"),
        ],
    )
    def test_validation(self, kwargs: dict, match: str) -> None:
        args = dict(m=3, n_env=5, a=0.7, theta=1.0, phi=0.0, g=1.0, omega=0.0, t=0.5, p=0.5, c=None)
        args.update(kwargs)
        with pytest.raises(ValueError, match=match):
            symmetric_environment_info(**args)

    @given(
        m=st.integers(0, 40),
        extra=st.integers(0, 20),
        a=st.floats(0, 1),
        theta=st.floats(0, math.pi),
        g=st.floats(-2, 2),
        omega=st.floats(-2, 2),
        t=st.floats(-3, 3),
        p=st.floats(0, 1),
        coh=st.floats(0, 1),
    )
    def test_invariants(self, m, extra, a, theta, g, omega, t, p, coh) -> None:
        c = coh * math.sqrt(p * (1 - p))
        n_env = max(m + extra, 1)
        info = symmetric_environment_info(m, n_env, a, theta, 0.3, g, omega, t, p, c)
        h = binary_entropy(p)
        assert not info.flagged
        assert -1e-12 <= info.chi <= h + 1e-12
        assert info.deficit >= 0 and abs(info.deficit + info.chi - h) < 1e-11
        rho = bloch_state(a, theta, 0.3)
        u_up, u_dn = conditional_unitary(1, g, omega, t), conditional_unitary(-1, g, omega, t)
        gam = abs(np.trace(u_up @ rho @ u_dn.conj().T))
        h_s = two_level_entropy(p, c * gam**n_env)
        assert info.chi - 1e-12 <= info.I <= 2 * h_s + 1e-12


class TestHolevoDeficitCurve:
    def test_matches_pointwise_and_monotone(self) -> None:
        ms = np.arange(0, 41, 4)
        args = (0.8, 1.0, 0.2, 0.7, 0.5, 1.3)
        curve = holevo_deficit_curve(ms, *args, 0.3)
        point = [
            symmetric_environment_info(int(m), 41, *args, 0.3, want_mi=False).deficit for m in ms
        ]
        np.testing.assert_allclose(curve, point, atol=1e-14)
        assert np.all(np.diff(curve) <= 1e-14)
        assert abs(curve[0] - binary_entropy(0.3)) < 1e-15

    def test_vector_p_and_stop_below(self) -> None:
        ms = np.arange(1, 200)
        curves = holevo_deficit_curve(
            ms, 0.9, np.pi / 2, 0.0, 1.0, 0.0, np.pi / 8, [0.5, 0.125], stop_below=1e-9
        )
        assert curves.shape == (2, ms.size)
        done = np.isfinite(curves[0])
        last = int(np.flatnonzero(done)[-1])
        assert np.all(curves[:, last] < 1e-9) and np.any(curves[:, last - 1] >= 1e-9)
        assert not np.any(done[last + 1 :])
        single = holevo_deficit_curve(ms[:last], 0.9, np.pi / 2, 0.0, 1.0, 0.0, np.pi / 8, 0.125)
        np.testing.assert_allclose(curves[1, :last], single, atol=1e-15)

    def test_rejects_bad_input(self) -> None:
        with pytest.raises(ValueError, match="strictly increasing"):
            holevo_deficit_curve([3, 2], 0.5, 1, 0, 1, 0, 1, 0.5, stop_below=1e-9)
        with pytest.raises(ValueError, match="1-D"):
            holevo_deficit_curve([[1, 2]], 0.5, 1, 0, 1, 0, 1, 0.5)
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            holevo_deficit_curve([1, 2], 0.5, 1, 0, 1, 0, 1, [0.5, -0.1])


class TestDecayRateFit:
    def test_recovers_synthetic_law(self) -> None:
        m = np.arange(1, 120)
        d = np.exp(0.7 - 0.12 * m - 0.4 * np.log(m))
        d[d < 1e-11] = 0.0
        fit = decay_rate_fit(m, d)
        assert isinstance(fit, DecayFit)
        assert (
            abs(fit.xi_fit - 0.12) < 1e-10
            and abs(fit.beta - 0.4) < 1e-9
            and abs(fit.c0 - 0.7) < 1e-8
        )
        resolved = m[d > 1e-11]
        assert fit.m_range == (int(resolved[len(resolved) // 3]), int(resolved[-1]))

    @pytest.mark.parametrize(
        "a,p,t", [(0.6, 0.5, np.pi / 8), (0.9, 0.125, np.pi / 8), (0.8, 1 / 32, 0.25)]
    )
    def test_rate_equals_chernoff_information(self, a: float, p: float, t: float) -> None:
        """Spec §6.4: xi_fit vs xi_QCB within 0.5 %, beta about 0.35-0.45."""
        ms = np.arange(2, 401, 2)
        d = holevo_deficit_curve(ms, a, np.pi / 2, 0.0, 1.0, 0.0, t, p, stop_below=1e-12)
        fit = decay_rate_fit(ms, d)
        xi = spin_chernoff(a, np.pi / 2, 0.0, 1.0, 0.0, t)
        assert abs(fit.xi_fit / xi - 1) < 5e-3
        assert 0.3 < fit.beta < 0.5

    def test_rejects_bad_input(self) -> None:
        with pytest.raises(ValueError, match="at least 3 resolved points"):
            decay_rate_fit([1, 2, 3], [1e-3, 1e-12, 1e-13])
        with pytest.raises(ValueError, match="equal length"):
            decay_rate_fit([1, 2, 3], [1e-3, 1e-4])
        with pytest.raises(ValueError, match="floor must be positive"):
            decay_rate_fit([1, 2, 3], [1e-3, 1e-4, 1e-5], floor=0.0)
