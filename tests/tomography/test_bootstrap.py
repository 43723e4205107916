"""Bootstrap intervals: known distributions and a seeded coverage check on synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.darwinism import partial_information
from qdarwin.tomography import all_settings, analyze, bootstrap_interval, branching_state, noisy_density_matrix, resample_counts, synthetic_counts


class TestBootstrapInterval:
    def test_normal_replicas(self) -> None:
        reps = np.random.default_rng(0).normal(2.0, 0.5, size=(20000, 1))
        for kind in ("percentile", "basic", "bc"):
            lo, hi = bootstrap_interval(np.array([2.0]), reps, confidence=0.95, kind=kind)  # type: ignore[arg-type]
            assert lo[0] == pytest.approx(2.0 - 1.96 * 0.5, abs=0.03) and hi[0] == pytest.approx(2.0 + 1.96 * 0.5, abs=0.03)

    def test_basic_reflects_bias(self) -> None:
        reps = np.random.default_rng(1).normal(0.8, 0.1, size=(20000, 1))  # replicas biased low by 0.2
        lo, hi = bootstrap_interval(np.array([1.0]), reps, kind="basic")
        assert (lo[0] + hi[0]) / 2 == pytest.approx(1.2, abs=0.01)
        lo_p, hi_p = bootstrap_interval(np.array([1.0]), reps, kind="percentile")
        assert (lo_p[0] + hi_p[0]) / 2 == pytest.approx(0.8, abs=0.01)

    def test_centre_uses_deviations_from_the_model(self) -> None:
        rng = np.random.default_rng(4)
        reps = rng.normal(0.5, 0.1, size=(5000, 3))
        est = np.array([1.0, 2.0, 3.0])
        for kind in ("percentile", "basic", "bc"):
            plain = bootstrap_interval(est, reps, kind=kind)  # type: ignore[arg-type]
            same = bootstrap_interval(est, reps, kind=kind, centre=est)  # type: ignore[arg-type]
            np.testing.assert_allclose(plain, same, atol=1e-12)
            # replicas of a model whose value is 0.5: deviations ~ N(0, 0.1) placed around est
            lo, hi = bootstrap_interval(est, reps, kind=kind, centre=0.5)  # type: ignore[arg-type]
            np.testing.assert_allclose((lo + hi) / 2, est, atol=0.01)
            np.testing.assert_allclose(hi - lo, 2 * 1.96 * 0.1, atol=0.02)

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValueError, match="confidence must lie"):
            bootstrap_interval(0.0, np.zeros(5), confidence=1.5)
        with pytest.raises(ValueError, match="kind must be one of"):
            bootstrap_interval(0.0, np.zeros(5), kind="student")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="replicas: expected shape"):
            bootstrap_interval(np.zeros(2), np.zeros((5, 3)))

    def test_resample_keeps_shots(self) -> None:
        c = np.array([[5, 0, 5, 0], [1, 1, 1, 7]])
        r = resample_counts(c, None, rng=np.random.default_rng(0))
        assert r.sum(axis=1).tolist() == [10, 10] and r[0, 1] == 0 and r[0, 3] == 0


def test_seeded_coverage_small() -> None:
    """40 synthetic 1+2 qubit data sets (1e5 shots/setting): 95 % basic intervals of I and chi
    for single-qubit fragments cover the truth in at least 34 of 40 repetitions.

    A seeded, fast version of benchmarks/coverage_tomography.py (the full study, >= 200
    repetitions at 1+4 qubits, is recorded in docs/tomography.md). The whole environment
    (m = N) is left out here: there the true global state has eigenvalues below the shot-noise
    level, the plug-in bias of the entropy exceeds the spread and coverage falls short (the
    documented limitation).
    """
    psi = branching_state(2, theta=1.1)
    truth = partial_information(noisy_density_matrix(psi, depolarizing=0.05), [2, 2, 2], pointer="computational")
    rng = np.random.default_rng(12)
    hits = np.zeros(2)
    reps = 40
    for _ in range(reps):
        data = synthetic_counts(psi, all_settings(3), 100_000, rng=rng, depolarizing=0.05)
        a = analyze(data, n_bootstrap=40, mode="marginal", witnesses=False, rng=rng)
        hits[0] += bool(a.I_low[1] <= truth.I[1] + 1e-12 <= a.I_high[1] + 2e-12)
        hits[1] += bool(a.chi_low[1] <= truth.chi[1] + 1e-12 <= a.chi_high[1] + 2e-12)
    # nominal 0.95: P(X <= 33 | n = 40, p = 0.95) ~ 1.4 %; biased intervals (e.g. the joint
    # reconstruction at 1e3 shots, 1-40 % coverage) fall far below
    assert np.all(hits >= 34), hits / reps
