"""Property tests over the public ``qdarwin.info`` API: finite input gives a finite answer or a
ValueError naming the argument; unphysical values are refused, never clipped; huge Python
ints, text and complex numbers where reals are expected are ValueErrors."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st

import qdarwin
from qdarwin import info

SETTINGS = settings(max_examples=60, deadline=None)
anything_finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)


@SETTINGS
@given(st.lists(anything_finite, min_size=16, max_size=16))
def test_partial_trace_finite_or_valueerror(vals: list[float]) -> None:
    """Arbitrary finite 4x4 matrices: either a valid state (finite reduced state, trace 1) or a ValueError."""
    m = np.array(vals).reshape(4, 4)
    try:
        red = qdarwin.partial_trace(m, [0], [2, 2])
    except ValueError as exc:
        assert "not a valid density matrix" in str(exc)
        return
    assert np.all(np.isfinite(red)) and np.isclose(np.trace(red).real, 1.0)


@SETTINGS
@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1e300))
def test_two_level_entropy_physical_or_refused(p: float, c: float) -> None:
    c2 = np.float64(c) ** 2 if c < 1e150 else np.inf
    if c2 <= p * (1 - p):
        h = info.two_level_entropy(p, c)
        assert 0.0 <= h <= 1.0
        rho = np.array([[p, c], [c, 1 - p]])
        assert np.isclose(h, info.von_neumann_entropy(rho), atol=1e-7)
    elif c2 > p * (1 - p) * (1 + 1e-6) + 1e-12:
        with pytest.raises(ValueError, match="coherence_abs"):
            info.two_level_entropy(p, c)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: info.two_level_entropy(1.0, 2.2), "coherence_abs too large"),
        (lambda: info.two_level_entropy(0.0, -0.21), "coherence_abs"),
        (lambda: info.binary_entropy(0.3 + 0.2j), "p must be real"),
        (lambda: info.binary_entropy(10**400), "p: integer too large"),
        (lambda: info.binary_entropy(0.5, base=10**400), "base"),
        (lambda: info.mutual_information("rho", [0], [1], dims=[2, 2]), "state"),
        (lambda: info.von_neumann_entropy("rho"), "rho"),
        (lambda: info.shannon_entropy([10**400, 1]), "p"),
        (lambda: info.entropy_from_eigenvalues([0.5, np.nan]), "eigenvalues"),
        (lambda: info.holevo_information([0.5, 0.5], "ab"), "states"),
        (lambda: info.chernoff_overlap(np.eye(2) / 2, np.eye(2) / 2, 0.5 + 1j), "c must be real"),
        (lambda: qdarwin.partial_trace(np.eye(6) / 6, [0], [2.5, 3]), "dims[0] must be an integer"),
        (lambda: qdarwin.partial_trace(np.eye(4) / 4, [0], [10**400, 1]), "dims"),
        (lambda: qdarwin.partial_trace(np.diag([np.nan, 0, 0, 1.0]), [0], [2, 2]), "NaN"),
        (lambda: qdarwin.partial_trace(np.triu(np.ones((4, 4))) / 4, [0], [2, 2]), "not Hermitian"),
        (lambda: qdarwin.partial_trace(np.diag([1.5, -0.5, 0, 0]), [0], [2, 2]), "negative eigenvalue"),
        (lambda: qdarwin.partial_trace(np.eye(4), [0], [2, 2]), "trace"),
        (lambda: qdarwin.partial_trace(np.ones(4), [0], [2, 2]), "norm"),
    ],
)
def test_reported_bad_inputs(call: Callable[[], object], fragment: str) -> None:
    with pytest.raises(ValueError, match=None) as exc:
        call()
    assert fragment in str(exc.value)


def test_qobj_kets_and_operators_accepted_everywhere() -> None:
    ket = qutip.basis(2, 0)
    assert info.von_neumann_entropy(ket) == 0.0
    assert info.von_neumann_entropy(ket * ket.dag()) == pytest.approx(0.0, abs=1e-12)
    bell = (qutip.tensor(qutip.basis(2, 0), qutip.basis(2, 0)) + qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 1))).unit()
    assert info.concurrence(bell) == pytest.approx(1.0)
    assert info.concurrence(bell * bell.dag()) == pytest.approx(1.0)
    assert info.mutual_information(bell, [0], [1]) == pytest.approx(2.0)
    red = qdarwin.partial_trace(bell, [0])
    assert np.allclose(red, np.eye(2) / 2)
    plus = (qutip.basis(2, 0) + qutip.basis(2, 1)).unit()
    assert info.holevo_information([0.5, 0.5], [ket, plus]) == pytest.approx(
        info.holevo_information([0.5, 0.5], [ket * ket.dag(), plus * plus.dag()])
    )
    res = info.chernoff_information(ket, plus)
    assert np.isfinite(res.xi)
    # outside reference: QuTiP's own entropy and partial trace
    rho = qutip.rand_dm([2, 2], seed=3)
    assert info.von_neumann_entropy(rho) == pytest.approx(qutip.entropy_vn(rho, base=2), abs=1e-10)
    assert np.allclose(qdarwin.partial_trace(rho, [1]), rho.ptrace(1).full(), atol=1e-12)


@SETTINGS
@given(st.lists(st.floats(min_value=-1, max_value=1, allow_nan=False), min_size=8, max_size=8))
def test_mutual_information_of_kets_matches_density_matrix(vals: list[float]) -> None:
    psi = np.array(vals[:4]) + 1j * np.array(vals[4:])
    norm = np.linalg.norm(psi)
    if norm < 1e-3:
        return
    psi = psi / norm
    a = info.mutual_information(psi, [0], [1], dims=[2, 2])
    b = info.mutual_information(np.outer(psi, psi.conj()), [0], [1], dims=[2, 2])
    assert np.isfinite(a) and a == pytest.approx(b, abs=1e-7)
