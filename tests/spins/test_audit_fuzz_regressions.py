"""Regressions from a fuzz audit of the public spins API: huge, infinite, zero or wrong-typed
arguments give a ValueError naming the argument (never OverflowError, MemoryError or inf/NaN)."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin import spins


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: spins.count_standard_errors(0.0, 0), "shots must be >= 1"),
        (lambda: spins.count_standard_errors(1e308, 10**400), "shots"),
        (lambda: spins.count_standard_errors(1.5, 100), r"\[-1, 1\]"),
        (lambda: spins.deficit_series_coefficients(0.5, 10**18), "K = ~1e18 is too large"),
        (lambda: spins.deficit_series_coefficients(1.0, 10**18), "K = ~1e18 is too large"),
        (lambda: spins.spin_matrices(1e308), "j must be"),
        (lambda: spins.spin_matrices(10**6), "too large"),
        (lambda: spins.cap_redundancy(10**400, 3), "r: integer too large"),
        (lambda: spins.cap_redundancy(float("nan"), 3), "not NaN"),
        (lambda: spins.cap_redundancy(1.0, 10**400), "n_env"),
        (lambda: spins.log_multiplicity(10**400, 0.5), "m must be <="),
        (lambda: spins.log_multiplicity(4, 1e308), "j must be"),
    ],
)
def test_bad_sizes_and_values_are_valueerrors(call, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        call()


def test_interval_inputs_refuse_huge_ints_and_bad_confidence() -> None:
    raw = np.zeros((3, 2, 3))
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="se"):
        spins.this_bath_interval(raw, 10**400, n_bootstrap=10, rng=rng, confidence=0.9)
    with pytest.raises(ValueError, match="raw"):
        spins.population_interval([[[10**400] * 3] * 2] * 3, 0.1, n_bootstrap=10, rng=rng, confidence=0.9)
    with pytest.raises(ValueError, match="confidence"):
        spins.this_bath_interval(raw, 0.1, n_bootstrap=10, rng=rng, confidence=1j)


def test_cap_redundancy_keeps_orthogonal_records_at_n() -> None:
    assert spins.cap_redundancy([0.5, 7, float("inf")], 2).tolist() == [0.5, 2.0, 2.0]


def test_count_standard_errors_value() -> None:
    # binomial standard error sqrt((1 - r^2)/n), floored at 1/n
    assert float(spins.count_standard_errors(0.6, 100)) == pytest.approx(np.sqrt(0.64 / 100), rel=1e-14)
    assert float(spins.count_standard_errors(1.0, 100)) == pytest.approx(0.01, rel=1e-14)


@pytest.mark.parametrize("bad", [[0.7], [True], "01", 3, [10**400]])
def test_fragment_indices_are_integers_not_truncated(bad) -> None:
    # regression: fragment_information(env, t, [0.7]) silently used spin 0, [True] spin 1
    env = spins.SpinEnvironment(g=[1.0, 0.5, 0.3])
    with pytest.raises(ValueError, match="invalid fragment"):
        spins.fragment_information(env, 1.0, bad)


def test_fragment_information_accepts_integral_floats() -> None:
    env = spins.SpinEnvironment(g=[1.0, 0.5, 0.3])
    assert spins.fragment_information(env, 1.0, [2.0]).fragment == (2,)


def test_random_band_long_time_limits_without_overflow() -> None:
    # regression: random_band_chernoff(1e308, 0.5) was NaN (4 W t overflowed) and
    # random_band_mean_of_logs(1e308, 0.5) raised OverflowError
    for lam in (1.0, 0.3):
        xi_lim = -np.log(1.0 - lam / 2.0)
        mol_lim = -2.0 * np.log((1.0 + np.sqrt(1.0 - lam)) / 2.0)
        assert spins.random_band_chernoff(1e308, 0.5, lam) == pytest.approx(xi_lim, rel=1e-14)
        assert spins.random_band_mean_of_logs(1e308, 0.5, lam) == pytest.approx(mol_lim, rel=1e-14)
        # continuity across the 1e15 switch of the mean of logs (quadrature side vs limit side)
        assert spins.random_band_mean_of_logs(1.0, 0.9e15 / 2, lam) == pytest.approx(mol_lim, rel=1e-12)
        assert spins.random_band_chernoff(1.0, 1e12, lam) == pytest.approx(xi_lim, rel=1e-12)


def test_project_to_ball_is_scale_invariant_in_se() -> None:
    # regression: se = 1e308 gave NaN (se^2 overflowed); only weight ratios matter
    x = [[1.0, 2.0, 3.0]]
    unit = np.array(x) / np.linalg.norm(x)
    for se in (1e308, 0.1, 1e-300):
        r, moved = spins.project_to_ball(x, se)
        np.testing.assert_allclose(r, unit, rtol=1e-13)
        assert moved.tolist() == [True]
    r1, _ = spins.project_to_ball(x, [[0.1, 0.2, 0.3]])
    r2, _ = spins.project_to_ball(x, [[1e307, 2e307, 3e307]])
    np.testing.assert_allclose(r1, r2, rtol=1e-12)
    with pytest.raises(ValueError, match="se must be >= 0"):
        spins.project_to_ball(x, -0.1)
    with pytest.raises(ValueError, match=r"raw: expected Bloch vectors"):
        spins.project_to_ball([1.0, 2.0], 0.1)


def test_one_bootstrap_replicate_is_refused() -> None:
    # regression: n_bootstrap=1 (`qdarwin spins estimate --bootstrap 1`) silently gave no intervals
    env = spins.SpinEnvironment(g=[1.0, 0.7, 0.4])
    data = spins.synthetic_counts(env, 2.0, 100, np.random.default_rng(1))
    with pytest.raises(ValueError, match="n_bootstrap must be 0 .* or >= 2, got 1"):
        spins.estimate_redundancy(data, n_bootstrap=1)
    assert np.isnan(spins.estimate_redundancy(data, n_bootstrap=0).xi.low)


@pytest.mark.parametrize(
    "call",
    [
        lambda e: spins.is_pure(e),
        lambda e: spins.is_identical(e),
        lambda e: spins.identical_fragment_info(e, 1, 1.0),
        lambda e: spins.identical_deficit_curve(e, [1], 1.0),
        lambda e: spins.fragment_information(e, 1.0, [0]),
        lambda e: spins.information_curve_report(e, 1.0),
        lambda e: spins.redundancy_summary(e, [1.0], [0.1]),
        lambda e: spins.decoherence_factors(e, 1.0),
        lambda e: spins.model_bloch_vectors(e, 1.0),
        lambda e: spins.typical_chernoff(e, 1.0),
    ],
)
@pytest.mark.parametrize("env", [0.5, None, "env", [1.0, 2.0]])
def test_a_non_environment_is_a_valueerror(call, env) -> None:
    # regression: AttributeError ('float' object has no attribute 'g', ...) from deep inside
    with pytest.raises(ValueError, match="env must be a qdarwin.spins.SpinEnvironment"):
        call(env)
