"""Hypothesis fuzzing of the public spins API: finite input never gives NaN, bad input is a ValueError.

Every entry point is called with numbers drawn from plausible ranges, extreme finite floats,
huge Python integers (10**400, 2**64 + 1) and NaN/inf. Allowed outcomes: a ValueError (whose
message names something), or a result without NaN (``inf`` only where the function documents it:
Chernoff information of orthogonal records, times with no record). Any other exception
(OverflowError, TypeError, IndexError, FloatingPointError, MemoryError) fails.
"""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qdarwin import spins as S

HUGE = [10**400, -(10**400), 2**64 + 1, 1e308, -1e308, 5e-324]
BAD = [math.nan, math.inf, -math.inf]

plausible = st.floats(-3.0, 3.0, allow_nan=False)
unit = st.floats(0.0, 1.0, allow_nan=False)
finite = st.one_of(plausible, unit, st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(HUGE))
anything = st.one_of(finite, st.sampled_from(BAD))


def _values(out: Any) -> list[float]:
    """All real/complex numbers in a result (tuples, named tuples, dataclasses, arrays)."""
    if is_dataclass(out) and not isinstance(out, type):
        return [v for f in fields(out) for v in _values(getattr(out, f.name))]
    if isinstance(out, (tuple, list)):
        return [v for x in out for v in _values(x)]
    if isinstance(out, (str, bool, type(None))):
        return []
    arr = np.asarray(out)
    if arr.dtype.kind in "iufc":
        return [complex(v) if arr.dtype.kind == "c" else float(v) for v in arr.ravel().tolist()]
    return []


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call; a ValueError with a message is fine (returns None); NaN in the result fails."""
    try:
        with np.errstate(all="ignore"):
            out = fn(*args, **kwargs)
    except ValueError as exc:
        assert str(exc).strip(), "ValueError without a message"
        return None
    for v in _values(out):
        assert not (isinstance(v, complex) and (math.isnan(v.real) or math.isnan(v.imag))), (fn.__name__, args, out)
        assert not (isinstance(v, float) and math.isnan(v)), (fn.__name__, args, out)
    return out


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestScalarKernels:
    @FUZZ
    @given(a=anything, theta=anything, phi=anything, g=anything, omega=anything, t=anything)
    def test_single_spin(self, a: Any, theta: Any, phi: Any, g: Any, omega: Any, t: Any) -> None:
        _call(S.spin_chernoff, a, theta, phi, g, omega, t)
        _call(S.spin_overlap, a, theta, phi, g, omega, t)
        _call(S.field_factor_f, g, omega, t)
        _call(S.insensitive_axis, g, omega, t)
        _call(S.mixedness_lambda, a)

    @FUZZ
    @given(a=anything, g=anything, omega=anything, t=anything, p=anything, c=anything)
    def test_environment(self, a: Any, g: Any, omega: Any, t: Any, p: Any, c: Any) -> None:
        env = _call(S.SpinEnvironment, a=[a, 0.5], g=[g, 1.0], omega=omega, p=p, c=c)
        if env is not None:
            _call(S.typical_chernoff, env, t)
            _call(S.mean_of_logs, env, t)
            _call(S.decoherence_factors, env, t)

    @FUZZ
    @given(n=st.one_of(st.integers(-3, 50), st.sampled_from([10**13, 2**64 + 1, 10**400])), a=anything, g=anything)
    def test_identical_sizes(self, n: int, a: Any, g: Any) -> None:
        _call(S.SpinEnvironment.identical, n, a=a, g=g)


class TestRedundancy:
    @FUZZ
    @given(n=st.one_of(st.integers(-2, 100), st.sampled_from([10**400, 2**64 + 1])), xi=anything, delta=anything, p=anything)
    def test_estimates(self, n: Any, xi: Any, delta: Any, p: Any) -> None:
        out = _call(S.redundancy_qcb, n, xi, delta)
        if out is not None:
            assert 0.0 <= out <= n
        out = _call(S.redundancy_expansion, n, xi, delta, p)
        if out is not None:
            assert 0.0 <= out <= n
        out = _call(S.discretised_redundancy, n, [xi, 0.5], delta)
        if out is not None:
            assert 0.0 <= out[0] <= n
        _call(S.expansion_constant, p)

    @FUZZ
    @given(x=anything, p=anything, delta=anything, tau=anything, t=anything)
    def test_closed_forms(self, x: Any, p: Any, delta: Any, tau: Any, t: Any) -> None:
        out = _call(S.identical_redundancy, x, p, delta)
        if out is not None:
            assert 0.0 <= out[0] <= 1.0 and out[1] >= 1.0
        _call(S.threshold_overlap, p, delta)
        _call(S.holevo_deficit_pure, p, x)
        _call(S.onset_time, tau, delta)
        _call(S.gaussian_redundancy, t, tau, delta)
        _call(S.gaussian_exact_redundancy, t, tau, delta, p)
        _call(S.decoherence_time, moments=x)
        _call(S.random_band_chernoff, t, tau, x)

    @FUZZ
    @given(g1=anything, g2=anything, p=anything, c=anything)
    def test_fragment_information(self, g1: Any, g2: Any, p: Any, c: Any) -> None:
        _call(S.info_pure_environment, p, c, [g1, g2, 0.3], [0, 2])
        _call(S.information_curve, p, c, [g1, g2])
        _call(S.deficit_curve, p, [g1, g2])
        _call(S.fragment_average_information, [g1, g2], p, c)
        _call(S.fragment_average_deficit, [g1, g2], p)

    @FUZZ
    @given(x=unit, p=unit)
    def test_annealed(self, x: float, p: float) -> None:
        out = _call(S.annealed_redundancy, [x, x / 2], p, 1e-6)
        if out is not None:
            assert 0.0 <= out[0] <= 1.0 and out[1] >= 1.0


class TestStatesAndSymmetric:
    @FUZZ
    @given(m=st.integers(-1, 8), n=st.one_of(st.integers(-1, 8), st.sampled_from([10**400])), a=anything, t=anything, p=anything)
    def test_symmetric(self, m: int, n: Any, a: Any, t: Any, p: Any) -> None:
        _call(S.symmetric_environment_info, m, n, a, 1.2, 0.3, 1.0, 0.2, t, p)
        _call(S.holevo_deficit_curve, [0, max(m, 0)], a, 1.2, 0.3, 1.0, 0.2, t, p)

    @FUZZ
    @given(st.lists(anything, min_size=4, max_size=4))
    def test_states(self, v: list[Any]) -> None:
        rho = [[v[0], v[1]], [v[2], v[3]]]
        _call(S.typical_chernoff_states, [rho], [[[0.5, 0.0], [0.0, 0.5]]])
        _call(S.decoherence_factor, rho, 1.0, 0.2, 0.5)
        _call(S.bloch_state, v[0], v[1], v[2])
        _call(S.typical_chernoff_bloch, [v[:3]], [[0.0, 0.0, 0.5]])


@pytest.mark.parametrize(
    "call",
    [
        lambda: S.typical_chernoff_states("rho", "sigma"),
        lambda: S.typical_chernoff_states([np.eye(3)], [np.eye(2) / 2]),
        lambda: S.elementary_symmetric_means([[1.0, np.nan]]),
        lambda: S.fragment_average_deficit(np.ones((2, 2)), 0.3),
        lambda: S.SpinEnvironment(g=[[1.0, 2.0]]),
        lambda: S.SpinEnvironment(g=[1.0, 2.0], a=[1.0, 1.0, 1.0]),
        lambda: S.discretised_redundancy(4, [], 0.1),
    ],
)
def test_unvalidated_arrays_refused(call: Callable[[], Any]) -> None:
    with pytest.raises(ValueError):
        call()
