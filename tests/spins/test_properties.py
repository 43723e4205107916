"""Hypothesis property tests for the spins core: bounds, monotonicity, non-negativity."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import binary_entropy, two_level_entropy
from qdarwin.spins.averaging import elementary_symmetric_means, fragment_average_deficit
from qdarwin.spins.chernoff import (
    mean_of_logs,
    spin_chernoff,
    typical_chernoff,
    typical_chernoff_states,
)
from qdarwin.spins.exact import holevo_deficit_pure, info_pure_environment, information_curve
from qdarwin.spins.model import (
    SpinEnvironment,
    bloch_state,
    conditional_states,
    decoherence_factors,
)

unit = st.floats(0.0, 1.0)
angle = st.floats(0.0, math.pi)
azimuth = st.floats(0.0, 2 * math.pi)
coupling = st.floats(-3.0, 3.0)
times = st.floats(-5.0, 5.0)
probs = st.floats(0.0, 1.0)


@st.composite
def environments(draw: st.DrawFn, max_n: int = 6) -> SpinEnvironment:
    n = draw(st.integers(1, max_n))

    def per_spin(s: st.SearchStrategy[float]) -> list[float]:
        return draw(st.lists(s, min_size=n, max_size=n))

    p = draw(probs)
    coh = draw(unit) * math.sqrt(p * (1 - p))
    phase = draw(azimuth)
    return SpinEnvironment(
        a=per_spin(unit),
        theta=per_spin(angle),
        phi=per_spin(azimuth),
        g=per_spin(coupling),
        omega=per_spin(coupling),
        p=p,
        c=coh * complex(math.cos(phase), math.sin(phase)),
    )


def _system_entropy(env: SpinEnvironment, d_e: float) -> float:
    assert env.c is not None
    return float(two_level_entropy(env.p, abs(env.c) * d_e))


class TestInformationProperties:
    @given(environments(), times)
    def test_bounds_and_monotonicity(self, env: SpinEnvironment, t: float) -> None:
        gabs = np.abs(decoherence_factors(env, t))
        curve = information_curve(env.p, env.c, gabs)
        h = float(binary_entropy(env.p))
        h_s = _system_entropy(env, float(np.prod(gabs)))
        tol = 1e-12
        assert np.all(curve.chi >= -tol) and np.all(curve.chi <= h + tol)  # 0 <= chi <= H(p)
        assert np.all(curve.I >= -tol) and np.all(curve.I <= 2 * h_s + tol)  # 0 <= I <= 2 H_S
        assert np.all(curve.discord >= 0)
        assert np.all(np.diff(curve.I) >= -tol) and np.all(
            np.diff(curve.chi) >= -tol
        )  # monotone in |F|
        assert curve.I[0] == 0.0

    @given(environments(max_n=5), times, st.data())
    def test_random_fragment(self, env: SpinEnvironment, t: float, data: st.DataObject) -> None:
        gabs = np.abs(decoherence_factors(env, t))
        n = env.n_env
        frag = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        info = info_pure_environment(env.p, env.c, gabs, frag)
        bigger = info_pure_environment(env.p, env.c, gabs, sorted(set(range(n))))
        assert -1e-12 <= info.chi <= float(binary_entropy(env.p)) + 1e-12
        assert info.discord >= 0 and abs(info.I - info.chi - info.discord) < 1e-12
        assert info.I <= bigger.I + 1e-12  # monotone: F subset of E

    @given(probs, st.floats(0.0, 1.0), st.floats(0.0, 1.0))
    def test_deficit_monotone_in_d(self, p: float, d1: float, d2: float) -> None:
        lo, hi = sorted((d1, d2))
        a, b = holevo_deficit_pure(p, lo), holevo_deficit_pure(p, hi)
        assert 0 <= a <= b + 1e-15 and b <= float(binary_entropy(p)) + 1e-14


class TestChernoffProperties:
    @given(unit, angle, azimuth, coupling, coupling, times)
    def test_nonnegative(
        self, a: float, th: float, ph: float, g: float, om: float, t: float
    ) -> None:
        assert spin_chernoff(a, th, ph, g, om, t) >= 0.0

    @given(unit, angle, azimuth)
    def test_identical_states_zero(self, a: float, th: float, ph: float) -> None:
        rho = bloch_state(a, th, ph)
        assert typical_chernoff_states(rho[None], rho[None]).xi < 1e-12
        assert (
            spin_chernoff(a, th, ph, 0.0, 1.3, 2.0) == 0.0
        )  # no coupling: identical conditional states

    @given(environments(), times)
    def test_log_of_mean_below_mean_of_logs(self, env: SpinEnvironment, t: float) -> None:
        xi = typical_chernoff(env, t)
        assert 0.0 <= xi <= mean_of_logs(env, t) + 1e-12

    @given(environments(max_n=3), times)
    def test_typical_matches_general_states(self, env: SpinEnvironment, t: float) -> None:
        up, down = conditional_states(env.spin_states(), env.g, env.omega, t)
        xi = typical_chernoff(env, t)
        if math.isfinite(xi) and xi < 20:
            assert abs(typical_chernoff_states(up, down).xi - xi) < 1e-8


class TestAveragingProperties:
    @given(st.lists(unit, min_size=1, max_size=8), probs)
    def test_average_deficit_bounded_and_monotone(self, xs: list[float], p: float) -> None:
        d = fragment_average_deficit(
            xs, p, k_max=1024
        ).deficit  # truncation keeps bounds and monotonicity
        h = float(binary_entropy(p))
        assert np.all(d >= 0) and np.all(d <= h + 1e-14) and d[0] == h
        assert np.all(np.diff(d) <= 1e-14)

    @given(st.lists(unit, min_size=1, max_size=10))
    def test_maclaurin_and_range(self, v: list[float]) -> None:
        e = elementary_symmetric_means(v)
        mean = float(np.mean(v))
        assert np.all(e >= 0) and np.all(e <= mean ** np.arange(len(v) + 1) * (1 + 1e-12) + 1e-300)
