"""Reconstruction: exact probabilities give back the state; MLE against an independent optimiser."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from qdarwin.tomography import (
    all_settings,
    branching_state,
    linear_inversion,
    make_pauli_counts,
    maximum_likelihood,
    noisy_density_matrix,
    project_to_density_matrix,
    reconstruct,
    setting_probabilities,
)

SCALE = 10**12  # exact probabilities as integer counts (relative rounding 1e-12)


def _exact(rho: np.ndarray, n: int) -> object:
    s = all_settings(n)
    return make_pauli_counts(n, s, np.round(setting_probabilities(rho, s) * SCALE).astype(np.int64))


class TestExactData:
    @pytest.mark.parametrize("method", ["linear", "pls", "mle"])
    def test_full_rank_state_returned(self, method: str) -> None:
        rho = noisy_density_matrix(branching_state(2, p0=0.3, theta=[1.0, 0.5]), depolarizing=0.1, dephasing=0.05)
        r = reconstruct(_exact(rho, 3), method=method, tol=1e-14)  # type: ignore[arg-type]
        assert np.max(np.abs(r.rho - rho)) < 1e-8
        assert r.converged

    @pytest.mark.parametrize("method", ["linear", "pls"])
    @pytest.mark.parametrize("n", [2, 5])
    def test_pure_state_returned(self, method: str, n: int) -> None:
        psi = branching_state(n - 1, p0=0.6, theta=1.3)
        rho = np.outer(psi, psi.conj())
        r = reconstruct(_exact(rho, n), method=method)  # type: ignore[arg-type]
        assert np.max(np.abs(r.rho - rho)) < 1e-8

    def test_missing_pauli_named(self) -> None:
        d = make_pauli_counts(2, ["XX", "YY", "ZZ"], np.ones((3, 4), dtype=int))
        with pytest.raises(ValueError, match="missing settings: no setting measures the Pauli string"):
            linear_inversion(d)

    def test_joint_size_refused(self) -> None:
        d = make_pauli_counts(11, ["Z" * 11], np.ones((1, 2**11), dtype=int))
        with pytest.raises(ValueError, match="too large"):
            reconstruct(d)


class TestProjection:
    def test_simplex_projection_of_eigenvalues(self) -> None:
        out = project_to_density_matrix(np.diag([0.7, 0.5, -0.1, -0.1]).astype(complex))
        np.testing.assert_allclose(np.diag(out).real, [0.6, 0.4, 0.0, 0.0], atol=1e-14)

    def test_is_closest_among_random_states(self) -> None:
        rng = np.random.default_rng(0)
        a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
        h = a + a.conj().T
        mu = h - (np.trace(h) - 1) * np.eye(4) / 4
        p = project_to_density_matrix(mu)
        assert np.linalg.eigvalsh(p).min() > -1e-12 and np.trace(p).real == pytest.approx(1.0)
        for _ in range(200):
            b = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
            sigma = b @ b.conj().T
            sigma /= np.trace(sigma)
            assert np.linalg.norm(mu - p) <= np.linalg.norm(mu - sigma) + 1e-12


class TestMaximumLikelihood:
    def test_single_qubit_against_bloch_ball_optimiser(self) -> None:
        counts = np.array([[95, 5], [60, 40], [80, 20]])  # linear inversion lies outside the Bloch ball
        d = make_pauli_counts(1, ["X", "Y", "Z"], counts)

        def nll(x: np.ndarray) -> float:
            r = np.tanh(np.linalg.norm(x)) * x / max(np.linalg.norm(x), 1e-300)
            p = 0.5 * (1 + np.array([r, -r]).T)
            return -float(np.sum(counts * np.log(p)))

        best = min((minimize(nll, x0, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-13, "maxiter": 20000})
                    for x0 in ([1.0, 0.2, 0.6], [2.0, 0.5, 1.0])), key=lambda r: r.fun)
        x = best.x
        r = np.tanh(np.linalg.norm(x)) * x / np.linalg.norm(x)
        rho, _, ok = maximum_likelihood(d, tol=1e-12)
        bloch = [2 * rho[0, 1].real, -2 * rho[0, 1].imag, (rho[0, 0] - rho[1, 1]).real]
        assert ok
        np.testing.assert_allclose(bloch, r, atol=1e-4)
        assert np.linalg.norm(bloch) > 0.999  # on the boundary, as the data demand

    def test_likelihood_not_below_pls(self) -> None:
        from qdarwin.tomography import synthetic_counts

        d = synthetic_counts(branching_state(2, theta=1.2), all_settings(3), 200, rng=np.random.default_rng(3))
        pls = reconstruct(d, method="pls").rho
        mle = reconstruct(d, method="mle").rho
        s = all_settings(3)

        def ll(r: np.ndarray) -> float:
            p = setting_probabilities(r, s)
            m = d.counts > 0
            return float(np.sum(d.counts[m] * np.log(p[m])))

        assert ll(mle) >= ll(pls) - 1e-9
