"""Tests for qdarwin.spins.model: unitaries, conditional states, decoherence factors, SpinEnvironment."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm

from qdarwin.spins.model import (
    SpinEnvironment,
    bloch_state,
    conditional_states,
    conditional_unitary,
    decoherence_factor,
    decoherence_factors,
)
from tests.systems import I2, SX, SY, SZ, kron_all


class TestBlochState:
    def test_pure_state_projector(self) -> None:
        rho = bloch_state(1.0, 0.7, 1.3)
        assert np.allclose(rho @ rho, rho, atol=1e-14)
        assert abs(np.trace(rho) - 1) < 1e-14

    def test_bloch_vector_recovered(self, rng: np.random.Generator) -> None:
        a, th, ph = rng.uniform(0, 1, 5), rng.uniform(0, math.pi, 5), rng.uniform(0, 2 * math.pi, 5)
        rho = bloch_state(a, th, ph)
        assert rho.shape == (5, 2, 2)
        vec = np.stack([np.trace(rho @ P, axis1=-2, axis2=-1).real for P in (SX, SY, SZ)], axis=-1)
        expect = a[:, None] * np.stack(
            [np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)], axis=-1
        )
        assert np.allclose(vec, expect, atol=1e-14)

    def test_eigenvalues(self) -> None:
        ev = np.linalg.eigvalsh(bloch_state(0.6, 1.0, 2.0))
        assert np.allclose(ev, [0.2, 0.8], atol=1e-14)

    @pytest.mark.parametrize("a", [-0.1, 1.0 + 1e-9, 2.0])
    def test_invalid_length(self, a: float) -> None:
        with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
            bloch_state(a, 0.0, 0.0)

    def test_slack_accepted(self) -> None:
        assert np.isfinite(bloch_state(1.0 + 1e-13, 0.3, 0.0)).all()


class TestConditionalUnitary:
    def test_matches_expm(self, rng: np.random.Generator) -> None:
        for _ in range(5):
            g, om, t = rng.normal(size=3)
            for s in (1, -1):
                ref = expm(-1j * t * (s * g * SZ + om * SX))
                assert np.allclose(conditional_unitary(s, g, om, t), ref, atol=1e-13)

    def test_su2(self, rng: np.random.Generator) -> None:
        u = conditional_unitary(-1, rng.normal(size=7), rng.normal(size=7), rng.normal(size=7))
        assert np.allclose(np.linalg.det(u), 1.0, atol=1e-13)
        assert np.allclose(u @ np.conj(np.swapaxes(u, -1, -2)), I2, atol=1e-13)

    def test_zero_frequency_is_identity(self) -> None:
        assert np.allclose(conditional_unitary(1, 0.0, 0.0, 5.0), I2)

    def test_invalid_branch(self) -> None:
        with pytest.raises(ValueError, match="s must be"):
            conditional_unitary(0, 1.0, 0.0, 1.0)


class TestConditionalStates:
    def test_omega_zero_rotation(self) -> None:
        g, t = 0.3, 0.7
        up, down = conditional_states(bloch_state(1.0, math.pi / 2, 0.0), g, 0.0, t)
        phi_up = math.atan2(np.trace(up @ SY).real, np.trace(up @ SX).real)
        phi_dn = math.atan2(np.trace(down @ SY).real, np.trace(down @ SX).real)
        assert phi_up == pytest.approx(2 * g * t, abs=1e-13)
        assert phi_dn == pytest.approx(-2 * g * t, abs=1e-13)

    def test_invalid_density_matrix(self) -> None:
        with pytest.raises(ValueError, match="not a valid density matrix"):
            conditional_states(np.diag([0.7, 0.7]), 1.0, 0.0, 1.0)


class TestDecoherenceFactor:
    def test_definition(self, rng: np.random.Generator) -> None:
        for _ in range(5):
            a, th, ph = rng.uniform(0, 1), rng.uniform(0, math.pi), rng.uniform(0, 2 * math.pi)
            g, om, t = rng.normal(size=3)
            rho = bloch_state(a, th, ph)
            uu, ud = expm(-1j * t * (g * SZ + om * SX)), expm(-1j * t * (-g * SZ + om * SX))
            assert decoherence_factor(rho, g, om, t) == pytest.approx(
                np.trace(uu @ rho @ ud.conj().T), abs=1e-13
            )

    def test_omega_zero_modulus(self) -> None:
        a, th, g, t = 0.7, 1.1, 0.4, 2.3
        gam = decoherence_factor(bloch_state(a, th, 0.5), g, 0.0, t)
        assert abs(gam) ** 2 == pytest.approx(
            1 - math.sin(2 * g * t) ** 2 * (1 - a**2 * math.cos(th) ** 2), abs=1e-14
        )

    def test_maximally_mixed_spin(self) -> None:
        # decoherence depends on a cos(theta), not on lambda: a = 0 still decoheres as cos(2gt)
        assert decoherence_factor(np.eye(2) / 2, 0.5, 0.0, 1.0) == pytest.approx(
            math.cos(1.0), abs=1e-14
        )


class TestSpinEnvironment:
    def test_broadcast_and_properties(self) -> None:
        env = SpinEnvironment(a=0.6, g=[0.1, 0.2, 0.3])
        assert env.n_env == 3
        assert env.a.shape == (3,) and np.allclose(env.a, 0.6)
        assert np.allclose(env.lam, 0.2)
        assert env.c == pytest.approx(0.5)
        assert np.allclose(env.system_state(), 0.5)
        assert env.spin_states().shape == (3, 2, 2)
        assert np.allclose(np.linalg.norm(env.bloch_vectors, axis=1), 0.6)

    def test_identical(self) -> None:
        env = SpinEnvironment.identical(4, a=0.5, theta=1.0, g=0.7, p=0.2, c=0.1j)
        assert env.n_env == 4 and np.allclose(env.g, 0.7) and env.c == 0.1j

    def test_from_mapping(self) -> None:
        env = SpinEnvironment.from_mapping(
            {"n_env": 3, "a": 0.5, "g": [1.0, 2.0, 3.0], "p": 0.3, "c": [0.1, 0.2]}
        )
        assert env.n_env == 3 and env.c == complex(0.1, 0.2)
        env2 = SpinEnvironment.from_mapping({"n_env": 5, "a": 0.5})
        assert env2.n_env == 5

    def test_from_toml_mapping(self) -> None:
        import tomllib

        data = tomllib.loads("n_env = 3\na = 0.5\ng = [0.1, 0.2, 0.3]\np = 0.25\n")
        env = SpinEnvironment.from_mapping(data)
        assert env.n_env == 3 and env.p == 0.25 and np.allclose(env.a, 0.5)

    def test_from_mapping_unknown_keys(self) -> None:
        with pytest.raises(ValueError, match="unknown spin-environment keys: foo, gg"):
            SpinEnvironment.from_mapping({"g": 1.0, "foo": 1, "gg": 2})

    def test_from_mapping_length_mismatch(self) -> None:
        with pytest.raises(ValueError, match="n_env"):
            SpinEnvironment.from_mapping({"n_env": 3, "g": [1.0, 2.0]})

    def test_unequal_lengths(self) -> None:
        with pytest.raises(ValueError, match="equal length"):
            SpinEnvironment(g=[1.0, 2.0], theta=[0.1, 0.2, 0.3])

    def test_bad_bloch_length(self) -> None:
        with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
            SpinEnvironment(a=[0.5, 1.5])

    def test_bad_p(self) -> None:
        with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
            SpinEnvironment(p=1.2)

    def test_not_positive_system(self) -> None:
        with pytest.raises(ValueError, match="system state is not positive"):
            SpinEnvironment(p=0.5, c=0.6)

    def test_empty(self) -> None:
        with pytest.raises(ValueError, match="N >= 1|n_env"):
            SpinEnvironment(g=[])
        with pytest.raises(ValueError, match="n_env"):
            SpinEnvironment.identical(0)

    def test_immutable(self) -> None:
        env = SpinEnvironment(g=[1.0, 2.0])
        with pytest.raises(ValueError):
            env.g[0] = 3.0


class TestDecoherenceFactors:
    def test_matches_single_spin(self, rng: np.random.Generator) -> None:
        n = 6
        env = SpinEnvironment(
            a=rng.uniform(0, 1, n),
            theta=rng.uniform(0, math.pi, n),
            phi=rng.uniform(0, 6, n),
            g=rng.normal(size=n),
            omega=rng.normal(size=n),
        )
        t = np.array([0.0, 0.4, -1.7, 3.2])
        gam = decoherence_factors(env, t)
        assert gam.shape == (4, n)
        for i, tt in enumerate(t):
            ref = [
                decoherence_factor(r, g, om, tt)
                for r, g, om in zip(env.spin_states(), env.g, env.omega)
            ]
            assert np.allclose(gam[i], ref, atol=1e-13)
        assert np.allclose(gam[0], 1.0)

    def test_full_hamiltonian(self, rng: np.random.Generator) -> None:
        """rho_S^{up,down}(t) = rho_S^{up,down}(0) prod_k gamma_k from exp(-iHt) on S + 3 spins."""
        n = 3
        env = SpinEnvironment(
            a=rng.uniform(0.2, 1, n),
            theta=rng.uniform(0, math.pi, n),
            phi=rng.uniform(0, 6, n),
            g=rng.normal(size=n),
            omega=rng.normal(size=n),
            p=0.3,
            c=0.2 - 0.3j,
        )

        def ops(k: int, P: np.ndarray) -> np.ndarray:
            return kron_all(*[P if j == k else I2 for j in range(n + 1)])

        H = sum(
            env.g[k] * ops(0, SZ) @ ops(k + 1, SZ) + env.omega[k] * ops(k + 1, SX) for k in range(n)
        )
        rho0 = kron_all(env.system_state(), *env.spin_states())
        t = 0.9
        U = expm(-1j * t * H)
        rho = U @ rho0 @ U.conj().T
        rho_s = rho.reshape(2, 2**n, 2, 2**n).trace(axis1=1, axis2=3)
        assert rho_s[0, 1] == pytest.approx(env.c * np.prod(decoherence_factors(env, t)), abs=1e-13)
        assert rho_s[0, 0].real == pytest.approx(0.3, abs=1e-13)

    def test_even_in_time_modulus(self, rng: np.random.Generator) -> None:
        env = SpinEnvironment(a=0.8, theta=1.0, g=rng.normal(size=4), omega=rng.normal(size=4))
        assert np.allclose(
            np.abs(decoherence_factors(env, 1.3)),
            np.abs(decoherence_factors(env, -1.3)),
            atol=1e-14,
        )
