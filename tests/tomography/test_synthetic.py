"""Synthetic branching-state data against QuTiP brute force."""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from qdarwin.tomography import all_settings, branching_state, noisy_density_matrix, sample_counts, setting_probabilities, synthetic_counts


class TestBranchingState:
    def test_against_qutip(self) -> None:
        p0, th = 0.3, [0.4, 1.1]
        zero, one = qutip.basis(2, 0), qutip.basis(2, 1)
        rec = [np.cos(t) * zero + np.sin(t) * one for t in th]
        ket = np.sqrt(p0) * qutip.tensor(zero, zero, zero) + np.sqrt(1 - p0) * qutip.tensor(one, *rec)
        np.testing.assert_allclose(branching_state(2, p0=p0, theta=th), ket.full().ravel(), atol=1e-14)

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="p0 must lie"):
            branching_state(2, p0=1.5)
        with pytest.raises(ValueError, match="theta"):
            branching_state(2, theta=[0.1, 0.2, 0.3])


class TestNoiseAndProbabilities:
    def test_depolarizing_matches_qutip_channel(self) -> None:
        psi = branching_state(2, theta=1.0)
        rho = qutip.ket2dm(qutip.Qobj(psi, dims=[[2, 2, 2], [1, 1, 1]]))
        p = 0.2
        for k in range(3):  # apply (1-p) rho + p Tr_k(rho) x I/2 qubit by qubit
            keep = [j for j in range(3) if j != k]
            red = rho.ptrace(keep)
            mixed = qutip.tensor(*(([red] if k == 2 else []) + [qutip.qeye(2) / 2] + ([red] if k == 0 else [])))
            if k == 1:
                mixed = qutip.tensor(red, qutip.qeye(2) / 2).permute([0, 2, 1])
            rho = (1 - p) * rho + p * mixed
        np.testing.assert_allclose(noisy_density_matrix(psi, depolarizing=p), rho.full(), atol=1e-12)

    def test_ket_route_equals_density_matrix_route(self) -> None:
        psi = branching_state(3, p0=0.4, theta=[0.3, 0.9, 1.5])
        s = all_settings(4)
        kw = {"depolarizing": 0.07, "dephasing": 0.03}
        rho = noisy_density_matrix(psi, **kw)
        np.testing.assert_allclose(setting_probabilities(psi, s, **kw), setting_probabilities(rho, s), atol=1e-13)

    def test_sample_counts(self) -> None:
        c = sample_counts(np.full((4, 8), 1 / 8), 1000, rng=np.random.default_rng(0))
        assert c.sum(axis=1).tolist() == [1000] * 4
        with pytest.raises(ValueError, match="rng must be"):
            sample_counts(np.ones((1, 2)), 5, rng=0)  # type: ignore[arg-type]
        d = synthetic_counts(branching_state(1), ["ZZ", "XX"], 500, rng=np.random.default_rng(1))
        assert d.counts[0, 1] == 0 and d.counts[0, 2] == 0  # GHZ: Z outcomes perfectly correlated
