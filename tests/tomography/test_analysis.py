"""analyze(): consistency with the true state, joint vs marginal routes, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.darwinism import objectivity, partial_information
from qdarwin.tomography import (
    all_settings,
    analyze,
    branching_state,
    fragment_settings,
    make_pauli_counts,
    noisy_density_matrix,
    setting_probabilities,
    synthetic_counts,
)


def _truth(n_env: int, theta: float, dep: float) -> tuple[np.ndarray, object]:
    psi = branching_state(n_env, theta=theta)
    rho = noisy_density_matrix(psi, depolarizing=dep)
    return psi, partial_information(rho, [2] * (n_env + 1), pointer="computational")


class TestExactProbabilities:
    def test_linear_inversion_reproduces_curves(self) -> None:
        psi, truth = _truth(3, 1.2, 0.05)
        rho = noisy_density_matrix(psi, depolarizing=0.05)
        s = all_settings(4)
        d = make_pauli_counts(4, s, np.round(setting_probabilities(rho, s) * 1e12).astype(np.int64))
        for method in ("linear", "pls", "mle"):
            a = analyze(d, method=method)
            np.testing.assert_allclose(a.I, truth.I, atol=1e-7)  # type: ignore[attr-defined]
            np.testing.assert_allclose(a.chi, truth.chi, atol=1e-7)  # type: ignore[attr-defined]
        ob = objectivity(rho, [2] * 4, pointer="computational")
        np.testing.assert_allclose(a.witnesses["max_fidelity"], ob.max_fidelity, atol=1e-6)

    def test_marginal_route_equals_joint_on_exact_data(self) -> None:
        psi, truth = _truth(3, 1.2, 0.05)
        rho = noisy_density_matrix(psi, depolarizing=0.05)
        s = all_settings(4)
        d = make_pauli_counts(4, s, np.round(setting_probabilities(rho, s) * 1e12).astype(np.int64))
        a = analyze(d, mode="marginal", method="linear")
        np.testing.assert_allclose(a.I, truth.I, atol=1e-7)  # type: ignore[attr-defined]
        np.testing.assert_allclose(a.chi, truth.chi, atol=1e-7)  # type: ignore[attr-defined]


class TestConsistency:
    def test_1e7_shots_within_three_standard_errors(self) -> None:
        psi, truth = _truth(2, 1.2, 0.05)
        d = synthetic_counts(psi, all_settings(3), 10**7, rng=np.random.default_rng(5), depolarizing=0.05)
        a = analyze(d, n_bootstrap=60, witnesses=False, rng=np.random.default_rng(6))
        for est, se, true in ((a.I, a.I_se, truth.I), (a.chi, a.chi_se, truth.chi)):  # type: ignore[attr-defined]
            assert np.all(np.abs(est - true)[1:] <= 3 * se[1:]), (est, true, se)
            assert np.all(se[1:] < 2e-3)

    def test_fragment_entropies_from_their_own_reconstructions(self) -> None:
        """Each of S(S), S(F), S(SF) and the conditional states comes from its own physical
        estimate: taking S(E) from the projected 5-qubit state instead biased I(S:E) by
        +0.18 bits (11 standard deviations) at 1e3 shots per setting."""
        psi, truth = _truth(4, 1.2, 0.05)
        rng = np.random.default_rng(21)
        est = []
        for _ in range(8):
            d = synthetic_counts(psi, all_settings(5), 1000, rng=rng, depolarizing=0.05)
            est.append(analyze(d, witnesses=False).I)
        bias = np.mean(est, axis=0) - truth.I  # type: ignore[attr-defined]
        assert abs(bias[4]) < 0.05 and abs(bias[3]) < 0.02, bias

    def test_boundary_eigenvalues_flag_unresolved_fragment_sizes(self) -> None:
        psi, _ = _truth(4, 1.2, 0.05)
        rho = noisy_density_matrix(psi, depolarizing=0.05)
        s = all_settings(5)
        exact = analyze(make_pauli_counts(5, s, np.round(setting_probabilities(rho, s) * 1e12).astype(np.int64)))
        assert np.all(exact.boundary_eigenvalues[1:] == 0) and not any("boundary" in w for w in exact.warnings)
        noisy = analyze(synthetic_counts(psi, s, 1000, rng=np.random.default_rng(8), depolarizing=0.05), witnesses=False)
        b = noisy.boundary_eigenvalues
        assert np.isnan(b[0]) and b[1] == 0 and b[4] > b[3] > 0
        assert any("physical boundary (0) at m = " in w and "4 (" in w for w in noisy.warnings)

    def test_parametric_replicas_centred_on_their_model(self) -> None:
        from qdarwin.tomography import reconstruct

        psi, _ = _truth(3, 1.2, 0.05)
        d = synthetic_counts(psi, all_settings(4), 2000, rng=np.random.default_rng(2), depolarizing=0.05)
        a = analyze(d, n_bootstrap=30, resample="parametric", witnesses=False, rng=np.random.default_rng(3))
        model = partial_information(reconstruct(d, method="pls").rho, [2] * 4, pointer="computational")
        np.testing.assert_allclose(a.replica_centre["I"], model.I, atol=1e-12)  # type: ignore[attr-defined]
        assert np.all(np.isfinite(a.I_low[1:])) and np.all(a.I_low[1:] < a.I_high[1:])
        assert not analyze(d, n_bootstrap=5, witnesses=False, rng=np.random.default_rng(3)).replica_centre

    def test_ghz_redundancy(self) -> None:
        d = synthetic_counts(branching_state(4), all_settings(5), 20000, rng=np.random.default_rng(1))
        a = analyze(d, delta=0.1, n_bootstrap=20, rng=np.random.default_rng(2))
        assert a.R_delta == pytest.approx(4.0, rel=0.05)
        assert a.R_delta_low <= a.R_delta_high and set(a.witnesses) >= {"decoherence", "max_fidelity"}


class TestMarginal:
    def test_twelve_qubits_from_fragment_settings(self) -> None:
        n_env = 11
        groups = [(0, k) for k in range(1, n_env + 1)]
        s = fragment_settings(n_env + 1, groups)
        psi = branching_state(n_env, theta=1.3)
        d = synthetic_counts(psi, s, 20000, rng=np.random.default_rng(3), depolarizing=0.02)
        a = analyze(d, n_bootstrap=5, rng=np.random.default_rng(4))
        assert a.mode == "marginal" and a.m.tolist() == [0.0, 1.0] and a.n_env == n_env
        from qdarwin.info import partial_trace

        rho2 = noisy_density_matrix(partial_trace(psi, [0, 1], [2] * (n_env + 1)), depolarizing=0.02)
        i1 = partial_information(rho2, [2, 2], pointer="computational").I[1]
        assert a.I[1] == pytest.approx(i1, abs=0.02)
        assert any("fragments up to m = 1 of N = 11" in w for w in a.warnings)


class TestBadInput:
    def test_uncovered_data(self) -> None:
        d = make_pauli_counts(3, ["ZZZ", "XXX"], np.ones((2, 8), dtype=int))
        with pytest.raises(ValueError, match="missing settings"):
            analyze(d)

    @pytest.mark.parametrize(
        "kw, msg",
        [({"method": "ls"}, "method must be one of"), ({"delta": 1.5}, "delta must lie"), ({"confidence": 0}, "confidence"),
         ({"n_bootstrap": 5}, "rng must be"), ({"interval": "t"}, "interval must be"), ({"resample": "x"}, "resample")],
    )
    def test_options(self, kw: dict, msg: str) -> None:
        d = synthetic_counts(branching_state(1), all_settings(2), 100, rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match=msg):
            analyze(d, **kw)

    def test_unphysical_data_warned(self) -> None:
        s = all_settings(2)
        counts = np.full((9, 4), 250)
        counts[s.index("ZZ")] = [1000, 0, 0, 0]
        counts[s.index("XX")] = [1000, 0, 0, 0]  # <XX> = <YY> = <ZZ> = +1: eigenvalue -1/2, not a state
        counts[s.index("YY")] = [1000, 0, 0, 0]
        a = analyze(make_pauli_counts(2, s, counts))
        assert any("far from physical" in w for w in a.warnings)


def test_composite_system_marginal_route_against_darwinism() -> None:
    """Two system qubits (S = qubits 0, 2), a Hadamard-rotated pointer basis, exact data."""
    rng = np.random.default_rng(8)
    a = rng.normal(size=(16, 16)) + 1j * rng.normal(size=(16, 16))
    rho = a @ a.conj().T
    rho /= np.trace(rho)
    s = all_settings(4)
    d = make_pauli_counts(4, s, np.round(setting_probabilities(rho, s) * 1e12).astype(np.int64), system=[0, 2])
    h = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    ptr = np.kron(h, np.eye(2))
    res = analyze(d, mode="marginal", method="linear", pointer=ptr)
    ref = partial_information(rho, [2, 2, 2, 2], system=[0, 2], pointer=ptr)
    np.testing.assert_allclose(res.I, ref.I, atol=1e-7)
    np.testing.assert_allclose(res.chi, ref.chi, atol=1e-7)


class TestIntervalVerdict:
    """verdict_ci: objectivity decided by the witnesses' confidence intervals."""

    @staticmethod
    def _w(dec: tuple[float, float], fid: list[tuple[float, float]]) -> tuple[dict, dict]:
        lo = {"decoherence": dec[0], "max_fidelity": np.array([f[0] for f in fid] + [0.0])}
        hi = {"decoherence": dec[1], "max_fidelity": np.array([f[1] for f in fid] + [0.0])}
        return lo, hi

    def test_cases(self) -> None:
        from qdarwin.tomography.analysis import _interval_verdict

        lo, hi = self._w((0.0, 0.01), [(0.0, 0.02), (0.01, 0.04)])
        assert _interval_verdict(lo, hi, 1.0, 2, 0.05, 0.95).startswith("objective at 95 % confidence, tolerance 0.05")
        lo, hi = self._w((0.2, 0.3), [(0.0, 0.02), (0.0, 0.02)])
        assert "S keeps pointer coherence >= 0.2" in _interval_verdict(lo, hi, 1.0, 2, 0.05, 0.95)
        lo, hi = self._w((0.0, 0.01), [(0.1, 0.2), (0.3, 0.4)])
        assert "no single subsystem is a record" in _interval_verdict(lo, hi, 1.0, 2, 0.05, 0.95)
        lo, hi = self._w((0.0, 0.01), [(0.0, 0.02), (0.03, 0.08)])
        v = _interval_verdict(lo, hi, 1.0, 2, 0.05, 0.95)
        assert v.startswith("partially objective") and "1 of 2" in v and "undecided: E2" in v
        assert "no pointer entropy" in _interval_verdict(lo, hi, 0.0, 2, 0.05, 0.95)
        lo["decoherence"] = np.nan
        assert "not determined" in _interval_verdict(lo, hi, 1.0, 2, 0.05, 0.95)

    def test_ghz_records_objective_and_tolerance_checked(self) -> None:
        d = synthetic_counts(branching_state(3), all_settings(4), 20000, rng=np.random.default_rng(4))
        a = analyze(d, n_bootstrap=20, rng=np.random.default_rng(5))
        assert a.verdict_ci.startswith("objective at 95 % confidence"), a.verdict_ci
        assert "not determined" in analyze(d).verdict_ci
        for bad in (0.0, 1.0, "x"):
            with pytest.raises(ValueError, match="objectivity_tol"):
                analyze(d, objectivity_tol=bad)
