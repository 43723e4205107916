"""Tests of qdarwin.darwinism.information_dynamics: dense, sparse and QuTiP-evolved states agree."""

from __future__ import annotations

import numpy as np
import pytest
import qutip as qt
import scipy.sparse as sp

from qdarwin.darwinism import information_dynamics, partial_information
from qdarwin.darwinism import _dynamics

from ._reference import random_dm, random_ket

DIMS = [2, 2, 3, 2]
TIMES = [0.0, 0.4, 1.1, 0.7]  # unsorted on purpose


def random_h(rng: np.random.Generator, d: int) -> np.ndarray:
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return (a + a.conj().T) / 4


class TestEvolution:
    def test_dense_sparse_and_sesolve_agree(self, rng, monkeypatch):
        d = int(np.prod(DIMS))
        h = random_h(rng, d)
        psi0 = random_ket(DIMS, rng)
        dense = information_dynamics(h, psi0.full().ravel(), TIMES, DIMS)
        monkeypatch.setattr(_dynamics, "DENSE_MAX_DIM", 1)
        sparse = information_dynamics(sp.csr_matrix(h), psi0, TIMES)
        np.testing.assert_allclose(sparse["I"].values, dense["I"].values, atol=1e-9, rtol=0)
        hq = qt.Qobj(h, dims=[DIMS, DIMS])
        res = qt.sesolve(hq, psi0, sorted(TIMES), options={"atol": 1e-13, "rtol": 1e-11})
        from_list = information_dynamics(res, None, None)
        ordered = dense.sortby("time")
        np.testing.assert_allclose(from_list["I"].values, ordered["I"].values, atol=1e-8, rtol=0)
        np.testing.assert_allclose(from_list["chi"].values, ordered["chi"].values, atol=1e-8, rtol=0)
        np.testing.assert_allclose(from_list["time"].values, sorted(TIMES))
        assert dense["I"].dims == ("time", "m") and dense.attrs["units"] == "bits"
        # each time equals a direct call on the evolved state
        t = 1.1
        psi_t = (qt.Qobj(h, dims=[DIMS, DIMS]) * (-1j * t)).expm() * psi0
        np.testing.assert_allclose(dense["I"].sel(time=t).values, partial_information(psi_t).I, atol=1e-10)

    def test_density_matrix_unitary_evolution(self, rng, monkeypatch):
        d = int(np.prod(DIMS))
        h = random_h(rng, d)
        rho0 = random_dm(DIMS, 3, rng)
        dense = information_dynamics(qt.Qobj(h, dims=[DIMS, DIMS]), rho0, [0.3, 0.9])
        res = qt.mesolve(qt.Qobj(h, dims=[DIMS, DIMS]), rho0, [0.0, 0.3, 0.9], options={"atol": 1e-13, "rtol": 1e-11})
        ref = information_dynamics(res.states[1:], None, [0.3, 0.9])
        np.testing.assert_allclose(dense["I"].values, ref["I"].values, atol=1e-8, rtol=0)
        monkeypatch.setattr(_dynamics, "DENSE_MAX_DIM", 1)
        sparse = information_dynamics(h, rho0, [0.3, 0.9], DIMS)
        np.testing.assert_allclose(sparse["chi"].values, dense["chi"].values, atol=1e-9, rtol=0)

    def test_collision_model_with_mesolve(self):
        """Open-system run: system qubit records itself in 3 environment qubits while dephasing."""
        n = 4
        z = [qt.tensor([qt.sigmaz() if k == j else qt.qeye(2) for k in range(n)]) for j in range(n)]
        h = sum(0.5 * z[0] * z[j] for j in range(1, n))
        plus = (qt.basis(2, 0) + qt.basis(2, 1)).unit()
        rho0 = qt.ket2dm(qt.tensor([plus] * n))
        res = qt.mesolve(h, rho0, np.linspace(0, np.pi / 2, 5), c_ops=[0.05 * z[1]])
        ds = information_dynamics(res, None, None, fragments="sample", n_samples=10, rng=0)
        assert ds["I"].shape == (5, n)
        np.testing.assert_allclose(ds["I"].isel(time=0).values, 0, atol=1e-10)
        last = ds["chi"].isel(time=-1).values
        # at t = pi/2 the undephased qubits are perfect records; E1 is slightly dephased
        assert 0.95 < last[1] < 1.0 and last[3] == pytest.approx(1.0, abs=1e-4)


class TestBadInput:
    def test_errors(self, rng):
        psi0 = random_ket(DIMS, rng)
        d = int(np.prod(DIMS))
        with pytest.raises(ValueError, match="H: not Hermitian"):
            information_dynamics(np.triu(np.ones((d, d))), psi0, [0.1])
        with pytest.raises(ValueError, match="H: expected shape"):
            information_dynamics(np.eye(d + 1), psi0, [0.1])
        with pytest.raises(ValueError, match="times"):
            information_dynamics([psi0, psi0], None, [0.0])
        with pytest.raises(ValueError, match="state0 must be None"):
            information_dynamics([psi0], psi0, [0.0])
        with pytest.raises(ValueError, match="times must be finite"):
            information_dynamics(np.eye(d), psi0, [0.0, np.nan])
        with pytest.raises(ValueError, match="norm"):
            information_dynamics(np.eye(d), 2 * psi0.full().ravel(), [0.0], DIMS)
