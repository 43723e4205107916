"""The shared redundancy kernel: F_delta >= 1 so that R_delta = N / F_delta never exceeds N."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin.info.redundancy import f_delta, redundancy_from_curve


def test_perfect_single_subsystem_records_give_r_equal_n() -> None:
    assert f_delta([1.0, 0.0, 0.0, 0.0], 0.1, 1.0) == (1.0, 1.0)
    assert redundancy_from_curve([1.0, 0.0, 0.0, 0.0], 0.1, 1.0, 6) == (6.0, 6.0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12), st.floats(1e-6, 0.9), st.integers(1, 10**6))
def test_redundancy_never_exceeds_n(tail: list[float], delta: float, n: int) -> None:
    deficits = np.array([1.0] + sorted(tail, reverse=True))
    ri, rc = redundancy_from_curve(deficits, delta, 1.0, n)
    assert 0.0 <= ri <= n and 0.0 <= rc <= n
    fi, fc = f_delta(deficits, delta, 1.0)
    assert (np.isinf(fi) and np.isinf(fc)) or (1.0 <= fc <= fi)
