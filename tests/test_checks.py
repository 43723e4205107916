"""The shared validation layer: huge Python ints, text and complex numbers are ValueErrors
naming the argument (never OverflowError), states are validated in full."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin import _checks as C


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: C.check_real_scalar(10**400, "t"), "t: ~1e400 is too large"),
        (lambda: C.check_real_scalar(-(10**400), "t"), "t: -~1e400 is too large"),
        (lambda: C.check_real_scalar("1.0", "t"), "t must be a real number"),
        (lambda: C.check_real_scalar(1 + 2j, "t"), "t must be a real number"),
        (lambda: C.check_int(10**400, "n", maximum=10**6), "n must be <= 1000000, got ~1e400"),
        (lambda: C.check_int(float("inf"), "n"), "n must be an integer"),
        (lambda: C.as_real_array([1.0, 10**400], "p"), "p: integer too large"),
        (lambda: C.as_array("abc", "x"), "x: expected numbers, got text"),
        (lambda: C.validate_dims([2, 2.5], 5), "dims[1] must be an integer"),
        (lambda: C.validate_dims([2, 3], 5), "give 6"),
        (lambda: C.validate_state(np.ones((2, 3))), "must be a ket"),
        (lambda: C.check_tolerance(-1.0), "rtol must be finite and >= 0"),
        (lambda: C.parse_real("nan", "gamma"), "gamma: NaN or infinite"),
        (lambda: C.parse_real("x", "gamma"), "gamma: not a number"),
    ],
)
def test_refusals_name_the_argument(call: Callable[[], object], fragment: str) -> None:
    with pytest.raises(ValueError) as exc:
        call()
    assert fragment in str(exc.value)


@settings(max_examples=100, deadline=None)
@given(st.integers())
def test_any_python_int_is_a_float_or_a_valueerror(n: int) -> None:
    try:
        val = C.check_real_scalar(n, "x")
    except ValueError as exc:
        assert "too large" in str(exc)
    else:
        assert val == float(n)
    try:
        C.as_real_array([n], "x")
    except ValueError as exc:
        assert "too large" in str(exc)


def test_as_density_matrix_accepts_kets() -> None:
    rho = C.as_density_matrix(np.array([1.0, 1.0j]) / np.sqrt(2))
    assert np.allclose(rho, [[0.5, -0.5j], [0.5j, 0.5]])


@pytest.mark.parametrize("bad", [True, np.bool_(False), [1.0], np.array([1.0, 2.0]), 1 + 0j, "1", 10**400, -(10**400)])
def test_check_real_scalar_refuses_bools_arrays_complex_text_and_huge_ints(bad):
    with pytest.raises(ValueError, match="^t"):
        C.check_real_scalar(bad, "t")


def test_check_real_scalar_keeps_large_but_representable_ints():
    assert C.check_real_scalar(2**1023 + 1, "t") == float(2**1023)
    assert C.check_real_scalar(np.float32(0.5), "t") == 0.5
    assert C.check_real_scalar(np.array(0.25), "t") == 0.25


def test_one_validator_each_after_the_merge():
    # the merge left near-duplicates (is_qobj_like, check_real_number, check_deficit, as_operator);
    # one of each must remain
    for gone in ("is_qobj_like", "check_real_number", "check_deficit", "as_operator", "_refuse_huge_int"):
        assert not hasattr(C, gone), gone


def test_check_coherence_refuses_bools_and_arrays():
    for bad in (True, [0.1], np.array([0.1, 0.2]), 10**400):
        with pytest.raises(ValueError, match="c must be a number"):
            C.check_coherence(bad, 0.5)


def test_booleans_are_not_numbers() -> None:
    # regression: a boolean matrix passed as a density matrix, [True, False] as probabilities
    for call in (
        lambda: C.as_array(np.array([[True, False], [False, False]]), "rho"),
        lambda: C.validate_probabilities([True, False]),
        lambda: C.as_real_array([True], "x"),
    ):
        with pytest.raises(ValueError, match="booleans"):
            call()


def test_validate_dims_huge_products_give_short_messages() -> None:
    # regression: dims=[10**400, 1] printed a 400-digit product; [2]*10**6 failed inside str()
    for dims in ([10**400, 1], [2] * 10**6):
        with pytest.raises(ValueError, match="does not match state dimension 4 .the first") as info:
            C.validate_dims(dims, 4)
        assert len(str(info.value)) < 120
    assert C.validate_dims([2, 1, 2], 4) == [2, 1, 2]
