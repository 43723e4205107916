"""Tests for qdarwin.spins.chernoff: closed forms vs the general log-domain algorithm."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdarwin.info import chernoff_information, chernoff_overlap
from qdarwin.spins.chernoff import (
    field_factor_f,
    insensitive_axis,
    mean_of_logs,
    mixedness_lambda,
    spin_chernoff,
    spin_overlap,
    typical_chernoff,
    typical_chernoff_states,
)
from qdarwin.spins.model import (
    SpinEnvironment,
    bloch_state,
    conditional_states,
    conditional_unitary,
    decoherence_factor,
)
from tests.systems import SX, SY, SZ, random_density_matrix

T0 = 15 * math.pi / 64


def _random_spin(rng: np.random.Generator) -> tuple[float, ...]:
    return (
        float(rng.uniform(0, 1)),
        float(rng.uniform(0, math.pi)),
        float(rng.uniform(0, 2 * math.pi)),
        float(rng.normal()),
        float(rng.normal()),
        float(rng.normal() * 2),
    )


class TestMixednessLambda:
    def test_values(self) -> None:
        assert mixedness_lambda(1.0) == 1.0 and mixedness_lambda(0.0) == 0.0
        assert mixedness_lambda(11 / 16) == pytest.approx(0.2738156226, abs=1e-10)

    def test_from_eigenvalues(self) -> None:
        a = np.linspace(0, 1, 11)
        lp, lm = (1 + a) / 2, (1 - a) / 2
        assert np.allclose(mixedness_lambda(a), 1 - 2 * np.sqrt(lp * lm), atol=1e-15)

    def test_small_a_accurate(self) -> None:
        assert mixedness_lambda(1e-9) == pytest.approx(5e-19, rel=1e-12)

    def test_invalid(self) -> None:
        with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
            mixedness_lambda(1.5)


class TestFieldFactorF:
    def test_spec_formula(self, rng: np.random.Generator) -> None:
        g, om, t = rng.normal(size=(3, 20))
        w = np.hypot(g, om)
        ref = g**2 * (w**2 * np.sin(2 * w * t) ** 2 + 4 * om**2 * np.sin(w * t) ** 4) / w**4
        assert np.allclose(field_factor_f(g, om, t), ref, atol=1e-13)

    def test_from_trace_of_v(self, rng: np.random.Generator) -> None:
        g, om, t = rng.normal(size=3)
        v = conditional_unitary(-1, g, om, t).conj().T @ conditional_unitary(1, g, om, t)
        assert field_factor_f(g, om, t) == pytest.approx(1 - (np.trace(v).real / 2) ** 2, abs=1e-13)

    def test_limits(self) -> None:
        assert field_factor_f(0.3, 0.0, 0.8) == pytest.approx(math.sin(0.48) ** 2, abs=1e-15)
        assert field_factor_f(1.0, 1e6, 1.0) < 1e-11  # strong field erases the record
        assert field_factor_f(0.0, 0.0, 1.0) == 0.0


class TestInsensitiveAxis:
    def test_is_rotation_axis(self, rng: np.random.Generator) -> None:
        for _ in range(5):
            g, om, t = rng.normal(size=3)
            v = conditional_unitary(-1, g, om, t).conj().T @ conditional_unitary(1, g, om, t)
            comps = np.array([((0.5j) * np.trace(v @ P)).real for P in (SX, SY, SZ)])
            m = insensitive_axis(g, om, t)
            assert np.linalg.norm(m) == pytest.approx(1.0, abs=1e-14)
            assert np.allclose(np.cross(m, comps), 0.0, atol=1e-13)

    def test_spec_row5(self) -> None:
        m = insensitive_axis(0.5, math.pi / 2, T0)
        assert np.allclose(np.abs(m), [0.0, 0.931197586289, 0.364514821768], atol=1e-9)

    def test_no_field_is_z(self) -> None:
        assert insensitive_axis([0.3, 0.0], 0.0, 1.0).tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]


class TestSpinOverlap:
    def test_is_chernoff_overlap_at_half(self, rng: np.random.Generator) -> None:
        for _ in range(8):
            a, th, ph, g, om, t = _random_spin(rng)
            up, down = conditional_states(bloch_state(a, th, ph), g, om, t)
            assert spin_overlap(a, th, ph, g, om, t) == pytest.approx(
                float(chernoff_overlap(up, down, 0.5)), abs=1e-12
            )

    def test_broadcast(self) -> None:
        out = spin_overlap(1.0, [0.0, math.pi / 2], 0.0, 0.5, 0.0, math.pi / 4)
        assert np.allclose(out, [1.0, 0.5])


class TestSpinChernoff:
    def test_vs_general_algorithm(self, rng: np.random.Generator) -> None:
        for _ in range(10):
            a, th, ph, g, om, t = _random_spin(rng)
            up, down = conditional_states(bloch_state(a, th, ph), g, om, t)
            ref = chernoff_information(up, down)
            assert spin_chernoff(a, th, ph, g, om, t) == pytest.approx(ref.xi, abs=1e-10)
            if ref.xi > 1e-6:
                assert ref.c_opt == pytest.approx(0.5, abs=1e-5)

    def test_pure_is_log_gamma(self, rng: np.random.Generator) -> None:
        _, th, ph, g, om, t = _random_spin(rng)
        gam = decoherence_factor(bloch_state(1.0, th, ph), g, om, t)
        assert spin_chernoff(1.0, th, ph, g, om, t) == pytest.approx(
            -math.log(abs(gam) ** 2), abs=1e-12
        )

    def test_no_field_closed_form(self) -> None:
        a, th, g, t = 0.9, 1.2, 0.37, 1.9
        lam = 1 - math.sqrt(1 - a**2)
        ref = -math.log(1 - lam * math.sin(2 * g * t) ** 2 * math.sin(th) ** 2)
        assert spin_chernoff(a, th, 4.0, g, 0.0, t) == pytest.approx(ref, abs=1e-14)

    def test_insensitive_directions_zero(self) -> None:
        assert spin_chernoff(1.0, 0.0, 0.0, 0.5, 0.0, 1.0) == 0.0
        m = insensitive_axis(0.5, math.pi / 2, T0)
        th = math.acos(m[2])
        assert spin_chernoff(1.0, th, math.pi / 2, 0.5, math.pi / 2, T0) == pytest.approx(
            0.0, abs=1e-14
        )

    def test_orthogonal_records_infinite(self) -> None:
        assert spin_chernoff(1.0, math.pi / 2, 0.0, 0.5, 0.0, math.pi / 2) == math.inf

    def test_time_zero_and_even(self) -> None:
        assert spin_chernoff(0.8, 1.0, 0.2, 0.7, 0.5, 0.0) == 0.0
        # even in t without field, or for n in the xz-plane; with a field, t -> -t flips m_y
        assert spin_chernoff(0.8, 1.0, 0.2, 0.7, 0.0, -1.3) == pytest.approx(
            spin_chernoff(0.8, 1.0, 0.2, 0.7, 0.0, 1.3), abs=1e-15
        )
        assert spin_chernoff(0.8, 1.0, 0.0, 0.7, 0.5, -1.3) == pytest.approx(
            spin_chernoff(0.8, 1.0, 0.0, 0.7, 0.5, 1.3), abs=1e-15
        )
        up, down = conditional_states(bloch_state(0.8, 1.0, 0.2), 0.7, 0.5, -1.3)
        assert spin_chernoff(0.8, 1.0, 0.2, 0.7, 0.5, -1.3) == pytest.approx(
            chernoff_information(up, down).xi, abs=1e-10
        )

    @pytest.mark.parametrize(
        ("a", "theta", "phi", "omega", "expected"),
        [
            (1.0, math.pi / 2, 0.0, 0.0, 0.599641227094),
            (11 / 16, math.pi / 3, 0.4, 0.0, 0.0971899572711),
            (1.0, 1.0, 0.3, math.pi / 2, 0.277642534983),
        ],
    )
    def test_spec_rows_1_to_3(
        self, a: float, theta: float, phi: float, omega: float, expected: float
    ) -> None:
        assert spin_chernoff(a, theta, phi, 0.5, omega, T0) == pytest.approx(expected, abs=1e-9)


def _random_env(rng: np.random.Generator, n: int) -> SpinEnvironment:
    return SpinEnvironment(
        a=rng.uniform(0, 1, n),
        theta=rng.uniform(0, math.pi, n),
        phi=rng.uniform(0, 6, n),
        g=rng.normal(size=n),
        omega=rng.normal(size=n),
    )


class TestTypicalChernoff:
    def test_log_of_mean(self, rng: np.random.Generator) -> None:
        env = _random_env(rng, 7)
        ov = spin_overlap(env.a, env.theta, env.phi, env.g, env.omega, 0.9)
        assert typical_chernoff(env, 0.9) == pytest.approx(-math.log(np.mean(ov)), abs=1e-14)

    def test_vs_general_states(self, rng: np.random.Generator) -> None:
        env = _random_env(rng, 5)
        up, down = conditional_states(env.spin_states(), env.g, env.omega, 1.4)
        ref = typical_chernoff_states(up, down)
        assert typical_chernoff(env, 1.4) == pytest.approx(ref.xi, abs=1e-10)
        assert ref.c_opt == pytest.approx(0.5, abs=1e-5)

    def test_time_array(self, rng: np.random.Generator) -> None:
        env = _random_env(rng, 4)
        t = np.array([0.0, 0.5, 2.0])
        out = typical_chernoff(env, t)
        assert out.shape == (3,) and out[0] == 0.0
        assert out[2] == pytest.approx(typical_chernoff(env, 2.0), abs=1e-15)

    def test_jensen(self, rng: np.random.Generator) -> None:
        env = _random_env(rng, 9)
        for t in (0.3, 1.0, 4.0):
            assert typical_chernoff(env, t) <= mean_of_logs(env, t) + 1e-15

    def test_requires_environment(self) -> None:
        with pytest.raises(ValueError, match="SpinEnvironment"):
            typical_chernoff({"g": 1.0}, 1.0)  # type: ignore[arg-type]


class TestMeanOfLogs:
    def test_definition(self, rng: np.random.Generator) -> None:
        env = _random_env(rng, 6)
        xi = spin_chernoff(env.a, env.theta, env.phi, env.g, env.omega, 0.7)
        assert mean_of_logs(env, 0.7) == pytest.approx(np.mean(xi), abs=1e-14)

    def test_identical_spins_equal_estimators(self) -> None:
        env = SpinEnvironment.identical(5, a=0.7, theta=1.0, g=0.4, omega=0.3)
        assert mean_of_logs(env, 1.1) == pytest.approx(typical_chernoff(env, 1.1), abs=1e-14)


class TestTypicalChernoffStates:
    def test_single_pair_equals_chernoff_information(self, rng: np.random.Generator) -> None:
        for d in (2, 3):
            r, s = (
                random_density_matrix(d, rng),
                random_density_matrix(d, rng, rank=1 if d == 2 else None),
            )
            ref = chernoff_information(r, s)
            got = typical_chernoff_states(r[None], s[None])
            assert got.xi == pytest.approx(ref.xi, abs=1e-10)

    def test_common_c_minimisation(self, rng: np.random.Generator) -> None:
        """xi = -ln min_c mean_k Q_k(c): compare with a dense grid through chernoff_overlap."""
        rs = np.stack([random_density_matrix(3, rng) for _ in range(3)])
        ss = np.stack([random_density_matrix(3, rng) for _ in range(3)])
        c = np.linspace(0, 1, 4001)
        mean_q = np.mean([chernoff_overlap(r, s, c) for r, s in zip(rs, ss)], axis=0)
        got = typical_chernoff_states(rs, ss)
        assert got.xi == pytest.approx(-math.log(mean_q.min()), abs=1e-7)
        assert got.c_opt == pytest.approx(c[mean_q.argmin()], abs=1e-3)

    def test_identical_states_zero(self, rng: np.random.Generator) -> None:
        rs = np.stack([random_density_matrix(2, rng) for _ in range(4)])
        assert typical_chernoff_states(rs, rs).xi == pytest.approx(0.0, abs=1e-14)

    def test_orthogonal_supports_infinite(self) -> None:
        up = np.array([np.diag([1.0, 0.0])] * 2)
        down = np.array([np.diag([0.0, 1.0])] * 2)
        assert typical_chernoff_states(up, down).xi == math.inf

    def test_shape_mismatch(self) -> None:
        with pytest.raises(ValueError, match="same shape"):
            typical_chernoff_states(np.array([np.eye(2) / 2] * 2), np.array([np.eye(2) / 2] * 3))

    def test_invalid_state(self) -> None:
        with pytest.raises(ValueError, match="not a valid density matrix"):
            typical_chernoff_states(np.array([np.diag([1.0, 1.0])]), np.array([np.eye(2) / 2]))
