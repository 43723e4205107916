"""Tests of qdarwin.darwinism.redundancy (shared f_delta kernel, plateau H(Pi_S))."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdarwin.darwinism import partial_information, redundancy
from qdarwin.info.redundancy import redundancy_from_curve


def branching_state(n_env: int, overlap: float, p: float = 0.5) -> np.ndarray:
    """sqrt(p)|0>|e0>^N + sqrt(1-p)|1>|e1>^N with <e0|e1> = overlap (real)."""
    e0 = np.array([1.0, 0.0])
    e1 = np.array([overlap, math.sqrt(1 - overlap**2)])
    b0, b1 = np.ones(1), np.ones(1)
    for _ in range(n_env):
        b0, b1 = np.kron(b0, e0), np.kron(b1, e1)
    return np.concatenate([math.sqrt(p) * b0, math.sqrt(1 - p) * b1])


class TestRedundancy:
    def test_ghz_every_subsystem_is_a_record(self):
        psi = np.zeros(2**6)
        psi[0] = psi[-1] = 1 / math.sqrt(2)
        r = redundancy(partial_information(psi, [2] * 6), 0.1)
        assert (r.F_delta, r.R_delta, r.f_delta) == (1.0, 5.0, 0.2)
        assert r.reference == "H(Pi_S)" and r.H_reference == pytest.approx(1.0)
        assert r.F_delta_interp == 1.0 and r.R_delta_interp == 5.0  # floored at one subsystem: R <= N

    def test_matches_shared_kernel_on_the_chi_curve(self):
        res = partial_information(branching_state(7, 0.6), [2] * 8, pointer="computational")
        for delta in (0.3, 0.1, 0.02):
            r = redundancy(res, delta)
            ri, rc = redundancy_from_curve(res.H_pointer - res.chi, delta, res.H_pointer, 7)
            assert r.R_delta == pytest.approx(ri) and r.R_delta_interp == pytest.approx(rc)
            assert 1 <= r.F_delta <= 7

    def test_smaller_delta_needs_larger_fragments(self):
        res = partial_information(branching_state(8, 0.7), [2] * 9, pointer="computational")
        f = [redundancy(res, d).F_delta for d in (0.5, 0.2, 0.05, 0.01)]
        assert f == sorted(f) and f[0] < f[-1]

    def test_I_curve_option(self):
        res = partial_information(branching_state(6, 0.5), [2] * 7, pointer="computational")
        r = redundancy(res, 0.1, curve="I")
        assert r.curve == "I" and r.F_delta <= redundancy(res, 0.1).F_delta

    def test_never_reached_and_undefined(self):
        res = partial_information(branching_state(3, 0.95), [2] * 4, pointer="computational")
        r = redundancy(res, 0.01)
        assert math.isinf(r.F_delta) and r.R_delta == 0.0 and "never reaches" in r.note
        prod = np.kron(np.array([1.0, 0.0]), np.ones(8) / math.sqrt(8))
        u = redundancy(partial_information(prod, [2] * 4), 0.1)
        assert math.isnan(u.R_delta) and "undefined" in u.note

    @pytest.mark.parametrize("delta", [0.0, 1.0, -0.1, 1.5, float("nan")])
    def test_delta_outside_open_interval(self, delta):
        res = partial_information(branching_state(3, 0.5), [2] * 4)
        with pytest.raises(ValueError, match="delta must (lie in the open interval|be finite)"):
            redundancy(res, delta)

    def test_bad_curve_and_result(self):
        res = partial_information(branching_state(3, 0.5), [2] * 4)
        with pytest.raises(ValueError, match="curve"):
            redundancy(res, 0.1, curve="J")
        with pytest.raises(ValueError, match="PartialInformation"):
            redundancy(np.zeros(4), 0.1)  # type: ignore[arg-type]
