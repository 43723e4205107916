"""Property tests over the public dephasing API: finite input of any magnitude gives finite
output or a ValueError (never NaN/inf, never OverflowError), and scale covariance holds."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin import dephasing as D

SETTINGS = settings(max_examples=60, deadline=None)

exponents = st.integers(min_value=-300, max_value=300)
mantissas = st.lists(st.floats(min_value=-1.0, max_value=1.0, allow_nan=False), min_size=6, max_size=6)


def _operators(mant: list[float], e: int) -> np.ndarray:
    w = np.array(mant, dtype=float).reshape(3, 2) * 10.0**e
    return w + 0.5j * np.roll(w, 1)


def _rates(mant: list[float], e: int) -> np.ndarray:
    g = np.zeros((4, 4))
    g[np.triu_indices(4, 1)] = np.abs(mant) * 10.0**e
    return g + g.T


def _finite(*arrays: object) -> bool:
    return all(np.all(np.isfinite(np.asarray(a, dtype=complex))) for a in arrays if a is not None)


@SETTINGS
@given(mantissas, exponents)
def test_rates_from_operators_finite_or_valueerror(mant: list[float], e: int) -> None:
    w = _operators(mant, e)
    try:
        g, dw = D.rates_from_operators(w)
    except ValueError as exc:
        assert "overflows" in str(exc)
        return
    assert _finite(g, dw)


@SETTINGS
@given(mantissas, st.integers(min_value=-100, max_value=100))
def test_rates_scale_covariant(mant: list[float], e: int) -> None:
    """Gamma(c W) = c^2 Gamma(W) whenever both are representable (the reported 1e200 case)."""
    w = _operators(mant, 0)
    c = 10.0**e
    g1, dw1 = D.rates_from_operators(w)
    g2, dw2 = D.rates_from_operators(w * c)
    scale = max(float(np.max(np.abs(w))) ** 2, 1e-300)
    assert np.allclose(g2 / c**2, g1, rtol=1e-9, atol=1e-12 * scale)
    assert np.allclose(dw2 / c**2, dw1, rtol=1e-9, atol=1e-12 * scale)


def test_reported_case_w_times_1e200() -> None:
    w = np.array([[0.5, 0.2j], [1 + 0.5j, -0.3], [0, 0.8 + 0.1j]])
    with pytest.raises(ValueError, match="overflows float64"):
        D.rates_from_operators(w * 1e200)
    g, dw = D.rates_from_operators(w * 1e150)
    g0, dw0 = D.rates_from_operators(w)
    assert np.allclose(g / 1e300, g0, rtol=1e-12) and np.allclose(dw / 1e300, dw0, rtol=1e-12)


@SETTINGS
@given(mantissas, exponents)
def test_check_constraints_finite_or_valueerror(mant: list[float], e: int) -> None:
    g = _rates(mant, e)
    rep = D.check_constraints(g)
    assert _finite(rep.margin, rep.level_margins, rep.pivots, rep.gram, rep.violating_direction)
    ref = D.check_constraints(_rates(mant, 0))
    assert rep.physical == ref.physical and rep.first_violation == ref.first_violation
    batch = D.check_constraints_batch(g[None])
    assert _finite(batch.margin) and bool(batch.physical[0]) == rep.physical


@SETTINGS
@given(mantissas, exponents)
def test_canonical_form_and_inversion_finite(mant: list[float], e: int) -> None:
    w = _operators(mant, e)
    try:
        cf = D.canonical_form(w)
    except ValueError as exc:
        assert "overflows" in str(exc)
        return
    assert _finite(cf.V, cf.dH)
    g = _rates(mant, e)
    inv = D.invert_rates(g, project=True)
    assert _finite(inv.V, inv.h, inv.distance)


@settings(max_examples=15, deadline=None)
@given(mantissas, st.sampled_from([-250, -120, 0, 120, 250]))
def test_nearest_physical_scale_covariant(mant: list[float], e: int) -> None:
    g = _rates(mant, 0)
    g[0, 3] = g[3, 0] = 4.0 * (1.0 + float(np.max(g)))  # usually unphysical
    c = 10.0**e
    ref = D.nearest_physical(g)
    got = D.nearest_physical(g * c)
    assert _finite(got.gamma, got.distance)
    assert np.allclose(got.gamma / c, ref.gamma, rtol=1e-6, atol=1e-9 * float(np.max(g)))
    assert math.isclose(got.distance / c, ref.distance, rel_tol=1e-6, abs_tol=1e-9 * float(np.max(g)))


@SETTINGS
@given(st.floats(min_value=0, max_value=1e300), st.floats(min_value=0, max_value=1e300), st.floats(min_value=0, max_value=1e300))
def test_margin_uncertainty_and_evolve_finite(gam: float, om: float, sig: float) -> None:
    g = np.array([[0, gam], [gam, 0.0]])
    o = np.array([[0, om], [-om, 0.0]])
    try:
        mu = D.margin_uncertainty(g, o, max(sig, 1e-300), max(sig, 1e-300))
    except ValueError as exc:
        assert "overflows" in str(exc)
    else:
        assert _finite(mu.margin, mu.sigma)
    try:
        rho = D.evolve(np.full((2, 2), 0.5), [0.0, 1.0, 1e10], g, o)
    except ValueError as exc:
        assert "overflows" in str(exc)
    else:
        assert _finite(rho)


@pytest.mark.parametrize(
    "call",
    [
        lambda: D.two_qubit_rates(10**400, 1, 1),
        lambda: D.hamming_rates(3, [1, 10**400, 1]),
        lambda: D.hamming_eigenvalues(10**400, [1.0]),
        lambda: D.sudden_death_time(10**400),
        lambda: D.check_constraints([[0, 10**400], [10**400, 0]]),
        lambda: D.check_constraints([[0, 1], [1, 0]], rtol=10**400),
        lambda: D.canonical_form([[0], [10**400]]),
        lambda: D.evolve(np.eye(2) / 2, 10**400, [[0, 1], [1, 0]]),
        lambda: D.fit_coherence([0, 1, 2, 10**400], [1, 0.5, 0.25, 0.1]),
        lambda: D.bootstrap_p_value([[0, 1], [1, 0]], None, 0.1, n_boot=10**400, rng=np.random.default_rng(0)),
        lambda: D.helmert_basis(10**400),
        lambda: D.det_gram_term_count(10**400),
        lambda: D.synthetic_coherence_data([[0, 1.0], [1.0, 0]], None, [0, 1, 2], noise=10**400, rng=np.random.default_rng(0)),
        lambda: D.fit_rates([0, 1, 2, 3], np.stack([np.eye(2) / 2] * 4), sigma=10**400),
        lambda: D.limits_report(10**400),
    ],
)
def test_huge_python_ints_are_valueerrors(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: D.rates_from_operators("W"),
        lambda: D.check_constraints("gamma"),
        lambda: D.check_constraints([[0, np.nan], [np.nan, 0]]),
        lambda: D.evolve([[np.nan, 0], [0, 1]], 1.0, [[0, 1], [1, 0]]),
        lambda: D.evolve([[0.5, 0.9], [0.1, 0.5]], 1.0, [[0, 1], [1, 0]]),
        lambda: D.margin_uncertainty([[0, 1], [1, 0]], None, 0.1 + 0.1j),
        lambda: D.fit_coherence([0, 1, np.inf], [1, 0.5, 0.25]),
    ],
)
def test_unvalidated_arrays_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


def test_qobj_states_and_kets_accepted() -> None:
    import qutip

    plus = (qutip.basis(2, 0) + qutip.basis(2, 1)).unit()
    out = D.evolve(plus, 1.0, [[0, 1.0], [1.0, 0]])
    assert np.isclose(out[0, 1], 0.5 * np.exp(-1.0))
    out2 = D.evolve(plus * plus.dag(), 1.0, [[0, 1.0], [1.0, 0]])
    assert np.allclose(out, out2)


def test_qobj_operators_accepted() -> None:
    import qutip

    vz = qutip.sigmaz()
    g, _ = D.rates_from_operators(vz)
    assert g[0, 1] == pytest.approx(2.0)  # 1/2 |1 - (-1)|^2
    g2, _ = D.rates_from_operators([vz, 0.5 * qutip.qeye(2) + qutip.num(2)])
    g2_ref, _ = D.rates_from_operators(np.array([[1.0, 0.5], [-1.0, 1.5]]))
    assert np.allclose(g2, g2_ref)
    with pytest.raises(ValueError, match="diagonal"):
        D.rates_from_operators(qutip.sigmax())


@pytest.mark.parametrize(
    "call",
    [
        lambda: D.helmert_basis(10**6),
        lambda: D.gram_symbolic(10**6),
        lambda: D.violation_map(np.zeros(10**5), np.zeros(10**5)),
        # a zero-stride view: the test itself must not allocate 8 GB (it took 98 s in a fresh clone)
        lambda: D.evolve(np.eye(2) / 2, np.broadcast_to(0.0, (10**9,)), [[0, 1.0], [1.0, 0]]),
        lambda: D.liouvillian(np.zeros(10**4), np.zeros((10**4, 1))),
    ],
)
def test_sizes_too_big_for_memory_are_refused_before_allocating(call: Callable[[], object]) -> None:
    """A ValueError naming the size, never numpy's MemoryError or a minutes-long attempt."""
    with pytest.raises(ValueError):
        call()


def test_decays_to_zero_without_warnings() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert D.cluster_concurrence(1e300, 1e300, 1e300, 1e300) == 0.0
        assert D.fig2_min_eigenvalue(1e300, 1e300) == 0.25
        assert np.all(D.evolve(np.full((2, 2), 0.5), [1e10], [[0, 1e300], [1e300, 0]])[0, 0, 1] == 0)


def test_huge_qubit_counts_give_short_messages() -> None:
    # regression: hamming_rates(10**400, ...) printed all 401 digits in the error message
    with pytest.raises(ValueError, match=r"n_qubits must be <= \d+, got ~1e400$"):
        D.hamming_rates(10**400, [1.0])


@pytest.mark.parametrize(
    "args, fragment",
    [((1.5, 1, 3), "k must be an integer"), ((4, 1, 3), "k must be <= 3"), ((1, -1, 3), "w must be >= 0"),
     ((1, 1, 10**400), "n must be <= 4096"), ((1, [1], 3), "w must be an integer"), ((True, 1, 3), "k must be an integer")],
)
def test_krawtchouk_validates_its_integers(args: tuple, fragment: str) -> None:
    # regression: TypeError / OverflowError / a silent value for k > n from an unvalidated sum
    with pytest.raises(ValueError, match=fragment):
        D.krawtchouk(*args)


def test_krawtchouk_orthogonality() -> None:
    # sum_w C(n, w) K_k(w) K_l(w) = 2^n C(n, k) delta_kl (independent identity)
    from math import comb

    n = 6
    for k in range(n + 1):
        for l in range(n + 1):
            s = sum(comb(n, w) * D.krawtchouk(k, w, n) * D.krawtchouk(l, w, n) for w in range(n + 1))
            assert s == (2**n * comb(n, k) if k == l else 0)


@pytest.mark.parametrize(
    "args, fragment",
    [((2, 0.5), "pairs: expected a mapping"), ((2, {(0, 1): 0.5}), r"pairs\[\(0, 1\)\]"), ((2, {(0, 5): {}}), "must be <= 1"),
     ((2, {(1, 1): {}}), "with itself"), ((2, {"01": {}}), "level pairs"), ((10**400, {}), "n_levels must be <= 4096")],
)
def test_analyse_series_validates_its_mapping(args: tuple, fragment: str) -> None:
    # regression: AttributeError / KeyError / IndexError, and numpy's "Maximum allowed dimension exceeded"
    with pytest.raises(ValueError, match=fragment):
        D.analyse_series(*args)
