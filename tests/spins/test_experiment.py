"""Tests for qdarwin.spins.experiment: tomography -> xi_QCB and R_delta with bootstrap intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize

from qdarwin.info import chernoff_overlap
from qdarwin.spins.chernoff import typical_chernoff, typical_chernoff_states
from qdarwin.spins.experiment import (
    BlochEstimates,
    TomographyCounts,
    bloch_chernoff_overlap,
    bootstrap_xi,
    estimate_redundancy,
    model_bloch_vectors,
    nv_like_bath,
    project_to_ball,
    synthetic_counts,
    typical_chernoff_bloch,
)
from qdarwin.spins.intervals import (
    METHOD_THIS_BATH,
    THIS_BATH,
    count_standard_errors,
    population_interval,
    this_bath_interval,
)
from qdarwin.spins.synthetic import nv_like_population_xi
from qdarwin.spins.model import SpinEnvironment, decoherence_factors
from qdarwin.spins.redundancy import redundancy_qcb

PAULIS = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def dm(r: np.ndarray) -> np.ndarray:
    return 0.5 * (np.eye(2) + np.einsum("a,aij->ij", r, PAULIS))


def random_bloch(rng: np.random.Generator, n: int, *, pure_fraction: float = 0.0) -> np.ndarray:
    v = rng.standard_normal((n, 3))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    length = np.where(rng.random(n) < pure_fraction, 1.0, rng.random(n))
    return v * length[:, None]


class TestProjectToBall:
    def test_inside_unchanged(self, rng: np.random.Generator) -> None:
        x = random_bloch(rng, 10) * 0.9
        out, moved = project_to_ball(x, np.full_like(x, 0.05))
        np.testing.assert_array_equal(out, x)
        assert not moved.any()

    def test_outside_matches_constrained_minimiser(self, rng: np.random.Generator) -> None:
        for _ in range(5):
            x = random_bloch(rng, 1)[0]
            x = 1.3 * x / np.linalg.norm(x)
            se = rng.uniform(0.01, 0.1, 3)
            out, moved = project_to_ball(x[None], se[None])
            res = minimize(
                lambda r: np.sum((r - x) ** 2 / se**2),
                x / np.linalg.norm(x),
                constraints=[{"type": "ineq", "fun": lambda r: 1 - r @ r}],
                method="SLSQP",
                options={"ftol": 1e-14, "maxiter": 500},
            )
            assert moved[0]
            assert np.linalg.norm(out[0]) == pytest.approx(1.0, abs=1e-12)
            objective = np.sum((out[0] - x) ** 2 / se**2)
            assert objective <= res.fun * (1 + 1e-6)  # as good as SLSQP (which may be slightly infeasible)
            np.testing.assert_allclose(out[0], res.x, atol=1e-4)


class TestBlochChernoffOverlap:
    @given(st.integers(0, 2**31 - 1), st.floats(0.0, 1.0))
    def test_matches_matrix_route(self, seed: int, c: float) -> None:
        rng = np.random.default_rng(seed)
        ru, rd = random_bloch(rng, 2, pure_fraction=0.3)
        ours = float(bloch_chernoff_overlap(ru, rd, c))
        assert ours == pytest.approx(float(chernoff_overlap(dm(ru), dm(rd), c)), abs=1e-10)

    def test_pure_orthogonal_is_zero(self) -> None:
        assert float(bloch_chernoff_overlap([0, 0, 1], [0, 0, -1], 0.3)) == 0.0


class TestTypicalChernoffBloch:
    def test_matches_spins_pillar_general_route(self, rng: np.random.Generator) -> None:
        ru, rd = random_bloch(rng, 6, pure_fraction=0.3), random_bloch(rng, 6)
        xi, c = typical_chernoff_bloch(ru, rd)
        ref = typical_chernoff_states(np.array([dm(r) for r in ru]), np.array([dm(r) for r in rd]))
        assert xi == pytest.approx(ref.xi, abs=1e-9)

    def test_matches_model_closed_form(self) -> None:
        env = nv_like_bath(15, np.random.default_rng(4))
        r = model_bloch_vectors(env, 1.3)
        xi, c = typical_chernoff_bloch(r[:, 0], r[:, 1])
        assert xi == pytest.approx(typical_chernoff(env, 1.3), abs=1e-10)
        assert c == pytest.approx(0.5, abs=1e-5)  # equal Bloch lengths: c* = 1/2 (spec §2.3)

    def test_batched(self, rng: np.random.Generator) -> None:
        ru, rd = random_bloch(rng, 12).reshape(3, 4, 3), random_bloch(rng, 12).reshape(3, 4, 3)
        xi, _ = typical_chernoff_bloch(ru, rd)
        for b in range(3):
            assert xi[b] == pytest.approx(typical_chernoff_bloch(ru[b], rd[b])[0], abs=1e-12)

    def test_rejects_long_vectors(self) -> None:
        with pytest.raises(ValueError, match=r"Bloch vector length must be in \[0, 1\]"):
            typical_chernoff_bloch([[0, 0, 1.5]], [[0, 0, 1]])


class TestModelBlochVectors:
    def test_lengths_preserved_and_pure_overlap(self) -> None:
        env = SpinEnvironment(a=[1.0, 0.6], theta=[1.0, 2.0], phi=[0.3, 0.1], g=[0.5, 1.1], omega=[0.2, 0.0])
        r = model_bloch_vectors(env, 0.7)
        np.testing.assert_allclose(np.linalg.norm(r, axis=-1), [[1, 1], [0.6, 0.6]], atol=1e-12)
        # pure spin: |gamma_k|^2 = |<psi_up|psi_down>|^2 = (1 + r_up.r_down)/2
        gam = decoherence_factors(env, 0.7)
        assert abs(gam[0]) ** 2 == pytest.approx((1 + r[0, 0] @ r[0, 1]) / 2, abs=1e-12)


class TestEstimateRedundancy:
    def test_many_shots_converge_to_model(self) -> None:
        rng = np.random.default_rng(7)
        env = nv_like_bath(20, rng)
        t = 2.0
        data = synthetic_counts(env, t, 10**6, rng)
        est = estimate_redundancy(data, [1e-3, 1e-6], n_bootstrap=400, rng=rng)
        truth = typical_chernoff(env, t)
        _, reps = bootstrap_xi(data.raw_bloch(), data.standard_errors(), n_bootstrap=400, rng=rng, shots=data.shots)
        se = float(np.std(reps, ddof=1))
        assert abs(est.xi.estimate - truth) <= 3 * se
        assert se < 1e-3 * max(truth, 1e-3) * 30
        r_true = model_bloch_vectors(env, t)
        q_true = bloch_chernoff_overlap(r_true[:, 0], r_true[:, 1], est.c_opt)
        assert np.all(np.abs(est.overlaps - q_true) <= 4 * est.overlap_se + 1e-12)
        for d, iv in zip(est.deltas, est.redundancy):
            assert iv.estimate == pytest.approx(redundancy_qcb(20, est.xi.estimate, d), rel=1e-12)
            assert iv.low <= redundancy_qcb(20, truth, d) <= iv.high
        assert not est.flagged.any()

    def test_unphysical_input_projected_and_flagged(self) -> None:
        bloch = np.array([[[0.9, 0.5, 0.3], [0.7, -0.4, 0.3]], [[0.1, 0.2, 0.3], [0.1, -0.2, 0.3]]])
        est = estimate_redundancy(BlochEstimates(bloch, np.full(bloch.shape, 0.01)), [1e-3], n_bootstrap=50)
        assert est.flagged.tolist() == [True, False]
        assert est.projected.tolist() == [True, False]
        assert np.linalg.norm(est.bloch_up[0]) == pytest.approx(1.0, abs=1e-12)
        assert "spin0" in est.notes[0]

    def test_slightly_outside_is_projected_not_flagged(self) -> None:
        bloch = np.array([[[0.0, 0.0, 1.01], [0.0, 0.0, 0.5]]])
        est = estimate_redundancy(BlochEstimates(bloch, np.full(bloch.shape, 0.02)), [1e-3], n_bootstrap=0)
        assert est.projected[0] and not est.flagged[0]
        assert math.isnan(est.xi.low)

    def test_decoherence_bound_exact_for_pure_spins(self) -> None:
        env = SpinEnvironment(a=1.0, theta=[1.0, 2.0, 0.4], phi=[0.3, 0.1, 2.0], g=[0.5, 1.1, 0.7], omega=[0.2, 0.0, 0.4])
        r = model_bloch_vectors(env, 0.9)
        est = estimate_redundancy(BlochEstimates(r, np.full(r.shape, 1e-3)), [0.1], n_bootstrap=0, system_p=0.3)
        expected = math.sqrt(0.21) * float(np.prod(np.abs(decoherence_factors(env, 0.9))))
        assert est.decoherence_bound == pytest.approx(expected, abs=1e-9)

    def test_n_env_scales_redundancy(self) -> None:
        data = synthetic_counts(nv_like_bath(5, np.random.default_rng(0)), 1.0, 500, np.random.default_rng(1))
        e5 = estimate_redundancy(data, [1e-3], n_bootstrap=0)
        e50 = estimate_redundancy(data, [1e-3], n_bootstrap=0, n_env=50)
        assert e50.redundancy[0].estimate == pytest.approx(10 * e5.redundancy[0].estimate, rel=1e-12)

    @pytest.mark.parametrize(
        "kwargs, msg",
        [
            ({"deltas": [1.5]}, "delta must lie in the open interval"),
            ({"deltas": []}, "at least one delta"),
            ({"confidence": 1.0}, "confidence"),
            ({"n_bootstrap": -1}, "n_bootstrap"),
            ({"system_p": 0.5, "system_c": 0.9}, "system state is not positive"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict, msg: str) -> None:
        data = BlochEstimates(np.zeros((1, 2, 3)), np.full((1, 2, 3), 0.1))
        args = {"deltas": [1e-3], "n_bootstrap": 0, **kwargs}
        with pytest.raises(ValueError, match=msg):
            estimate_redundancy(data, **args)


class TestCoverage:
    """Seeded coverage of both targets at 10^3 shots (10-spin NV-like bath, t = 2, 300 repetitions).

    Binomial 99 % band around the nominal 0.95 for 300 repetitions: 0.95 +- 2.58 * 0.0126 = [0.917, 0.983].
    """

    REPS, BOOT, SHOTS, T = 300, 200, 1000, 2.0
    BAND = (0.917, 0.983)

    def _simulate(self, r: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        n_plus = rng.binomial(self.SHOTS, (1.0 + r) / 2.0)
        raw = 2.0 * n_plus / self.SHOTS - 1.0
        return raw, count_standard_errors(raw, self.SHOTS)

    def test_this_bath(self) -> None:
        rng = np.random.default_rng(151)
        r = model_bloch_vectors(nv_like_bath(10, np.random.default_rng(2016)), self.T)
        truth = typical_chernoff_bloch(r[:, 0], r[:, 1])[0]
        assert truth == pytest.approx(typical_chernoff(nv_like_bath(10, np.random.default_rng(2016)), self.T), rel=1e-6)
        raw, se = self._simulate(np.broadcast_to(r, (self.REPS,) + r.shape), rng)
        iv = this_bath_interval(raw, se, n_bootstrap=self.BOOT, rng=rng, shots=self.SHOTS)
        coverage = float(np.mean((iv.low <= truth) & (truth <= iv.high)))
        assert self.BAND[0] <= coverage <= self.BAND[1]
        # the plug-in is biased upward by about 0.3 sd; the corrected estimate is not (s.e. of these ratios 0.06)
        sd = float(np.std(iv.estimate, ddof=1))
        assert float(np.mean(iv.plugin) - truth) / sd > 0.15
        assert abs(float(np.mean(iv.estimate) - truth)) / sd < 0.15
        # the public routine uses this interval for its headline
        est = estimate_redundancy(synthetic_counts(nv_like_bath(10, np.random.default_rng(2016)), self.T, self.SHOTS, rng), n_bootstrap=50)
        assert est.xi.method == est.xi_shot.method == METHOD_THIS_BATH
        assert est.redundancy[0].target == THIS_BATH

    def test_population(self) -> None:
        rng = np.random.default_rng(152)
        truth = nv_like_population_xi(self.T)
        r = model_bloch_vectors(nv_like_bath(10 * self.REPS, rng), self.T).reshape(self.REPS, 10, 2, 3)
        raw, se = self._simulate(r, rng)
        iv = population_interval(raw, se, n_bootstrap=self.BOOT, rng=rng, shots=self.SHOTS)
        coverage = float(np.mean((iv.low <= truth) & (truth <= iv.high)))
        assert self.BAND[0] <= coverage <= self.BAND[1]
        sd = float(np.std(iv.estimate, ddof=1))
        assert abs(float(np.mean(iv.estimate)) - truth) / sd < 0.15
        # the basic interval over spins and shots (used before) misses this target far too often
        xi, reps = bootstrap_xi(raw, se, n_bootstrap=self.BOOT, rng=rng, shots=self.SHOTS, resample_spins=True)
        lo, hi = np.quantile(reps, [0.025, 0.975], axis=0)
        basic = float(np.mean((2 * xi - hi <= truth) & (truth <= 2 * xi - lo)))
        assert basic < self.BAND[0]

    def test_population_truth_closed_form_matches_sampling(self) -> None:
        rng = np.random.default_rng(5)
        r = model_bloch_vectors(nv_like_bath(40_000, rng), self.T)
        q = bloch_chernoff_overlap(r[:, 0], r[:, 1], 0.5)
        mc = -math.log(q.mean())
        err = q.std() / math.sqrt(q.size) / q.mean()
        assert abs(nv_like_population_xi(self.T) - mc) < 4 * err
        # c* = 1/2: Q(c) is symmetric about 1/2 for states of equal spectra
        q_other = bloch_chernoff_overlap(r[:, 0], r[:, 1], 0.45).mean()
        assert q_other > q.mean()


class TestContainers:
    def test_counts_validation(self) -> None:
        with pytest.raises(ValueError, match="n_plus must lie in"):
            TomographyCounts(np.full((1, 2, 3), 11), np.full((1, 2, 3), 10))
        with pytest.raises(ValueError, match="shape"):
            TomographyCounts(np.zeros((1, 3)), np.ones((1, 3)))
        with pytest.raises(ValueError, match="shots must be >= 1"):
            TomographyCounts(np.zeros((1, 2, 3)), np.zeros((1, 2, 3)))

    def test_bloch_validation(self) -> None:
        with pytest.raises(ValueError, match="standard errors must be > 0"):
            BlochEstimates(np.zeros((1, 2, 3)), np.zeros((1, 2, 3)))
        with pytest.raises(ValueError, match="bloch must be finite"):
            BlochEstimates(np.full((1, 2, 3), np.nan), np.ones((1, 2, 3)))

    def test_synthetic_counts_reproducible(self) -> None:
        env = nv_like_bath(3, np.random.default_rng(0))
        a = synthetic_counts(env, 1.0, 100, np.random.default_rng(5))
        b = synthetic_counts(env, 1.0, 100, np.random.default_rng(5))
        np.testing.assert_array_equal(a.n_plus, b.n_plus)
