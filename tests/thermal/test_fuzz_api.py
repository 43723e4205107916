"""Property (hypothesis) tests: bad input to the thermal public API is a ValueError naming it.

Classes covered: NaN/inf entries, huge Python integers (no OverflowError, no hang), wrong
shapes and types, non-physical probabilities. A MemoryLimitError (a MemoryError) is the
answer for sizes that are well-formed but too large.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin.thermal import (
    BroadcastSetup,
    ChaoticIsing,
    Evolution,
    MemoryLimitError,
    check_memory,
    estimate_memory,
    holevo,
    interval_mutual_information,
    largest_feasible_n,
    lean_mi_curve,
    mi_curve,
    parse_bytes,
    plan_run,
    redundancy_number,
    system_entropy,
)

BAD_FLOATS = st.sampled_from([math.nan, math.inf, -math.inf])
HUGE = st.one_of(st.integers(min_value=63, max_value=10**400), st.just(2**64 + 3), st.just(10**6))
FAST = settings(max_examples=25, deadline=None)


def _branches(n: int = 4) -> np.ndarray:
    out = np.zeros((2, 2**n))
    out[0, 0] = out[1, -1] = 1.0
    return out


@FAST
@given(bad=BAD_FLOATS, i=st.integers(0, 15), k=st.integers(0, 1))
def test_nonfinite_branches_refused(bad: float, i: int, k: int) -> None:
    psi = _branches()
    psi[k, i] = bad
    for call in (lambda: system_entropy(psi, [0.5, 0.5]), lambda: mi_curve(psi, [0.5, 0.5], ring=False),
                 lambda: interval_mutual_information(psi, [0.5, 0.5], [0, 1]), lambda: holevo(psi, [0.5, 0.5], [0])):
        with pytest.raises(ValueError, match="branches"):
            call()


@FAST
@given(bad=BAD_FLOATS, j=st.integers(0, 1))
def test_nonfinite_or_bad_probs_refused(bad: float, j: int) -> None:
    p = [0.5, 0.5]
    p[j] = bad
    with pytest.raises(ValueError, match="probs"):
        system_entropy(_branches(), p)
    with pytest.raises(ValueError, match="probs"):
        lean_mi_curve(np.ones((2, 6)), p, 5)


@FAST
@given(shape=st.sampled_from([(16,), (2, 15), (2, 2, 8), (0, 16), (2, 1)]))
def test_wrong_shapes_refused(shape: tuple[int, ...]) -> None:
    arr = np.ones(shape)
    with pytest.raises(ValueError):
        mi_curve(arr, [0.5, 0.5], ring=False)
    with pytest.raises(ValueError, match="coeffs"):
        lean_mi_curve(arr, [0.5, 0.5], 6)


@FAST
@given(n=HUGE)
def test_huge_sizes_refused_without_allocating(n: int) -> None:
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(MemoryLimitError, match="largest feasible N"):
        check_memory(n)
    with pytest.raises(ValueError, match="n_sites"):
        estimate_memory(n)
    p = plan_run(n if n <= 62 else 62, 2, times=[1.0], limit="16GiB")
    assert not p.fits
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2**20  # refused from the size alone


@FAST
@given(text=st.sampled_from(["1e400GB", "inf", "nan", "-1GB", "0", "GB", "8 parsecs", "1e19TB"]))
def test_bad_limits_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError, match="memory limit"):
        parse_bytes(text)
    with pytest.raises(ValueError):
        largest_feasible_n(2, limit=text)


@FAST
@given(x=st.one_of(BAD_FLOATS, st.just(10**400), st.just(-(10**400))))
def test_bad_float_limits(x: float) -> None:
    with pytest.raises(ValueError, match="memory limit"):
        parse_bytes(x)


@FAST
@given(bad=BAD_FLOATS, m=st.integers(1, 5))
def test_redundancy_number_nonfinite(bad: float, m: int) -> None:
    curve = np.linspace(0, 2, 7)
    curve[m] = bad
    with pytest.raises(ValueError, match="info_curve"):
        redundancy_number(curve, 1.0, 0.5, 6)


@FAST
@given(bad=BAD_FLOATS, j=st.integers(0, 2))
def test_setup_axes_nonfinite(bad: float, j: int) -> None:
    axes = [[0.0, 1.0, 0.0], [0.0, -1.0, 0.0]]
    axes[0][j] = bad
    with pytest.raises(ValueError, match="axes"):
        BroadcastSetup(axes)


@FAST
@given(n=st.one_of(st.integers(max_value=0), st.just(10**400)))
def test_chaotic_ising_sizes(n: int) -> None:
    with pytest.raises(ValueError, match="n_sites"):
        ChaoticIsing(n)


@FAST
@given(name=st.text(max_size=8).filter(lambda s: s not in ("auto", "sector", "full", "expm", "dense")))
def test_evolution_method_names(name: str) -> None:
    with pytest.raises(ValueError, match="method"):
        Evolution(name)
