"""Tests of qdarwin.darwinism.objectivity: witnesses against QuTiP and known states."""

from __future__ import annotations

import math

import numpy as np
import pytest
import qutip as qt

from qdarwin.darwinism import objectivity, partial_information
from qdarwin.info import chernoff_information

from ._reference import random_dm, random_ket


def ghz(n: int) -> np.ndarray:
    v = np.zeros(2**n)
    v[0] = v[-1] = 1 / math.sqrt(2)
    return v


class TestKnownStates:
    def test_ghz_is_spectrum_broadcast(self):
        ob = objectivity(ghz(4), [2] * 4)
        assert ob.spectrum_broadcast and ob.verdict.startswith("objective")
        np.testing.assert_allclose(ob.max_fidelity, 0, atol=1e-12)
        np.testing.assert_allclose(ob.min_trace_distance, 1, atol=1e-12)
        assert np.all(np.isinf(ob.min_chernoff))
        assert ob.strong_darwinism.tolist() == [True, True, True, False]  # E as a whole: discord 1 bit
        assert ob.discord[-1] == pytest.approx(1.0)

    def test_coherent_system_is_not_objective(self):
        # system and environment in a product state with S in |+>: rho_S eigenbasis -> pure
        plus = np.ones(2) / math.sqrt(2)
        env = np.kron(np.array([1.0, 0]), np.array([0.6, 0.8]))
        ob = objectivity(np.kron(plus, env), [2, 2, 2])
        assert "no pointer entropy" in ob.verdict and not ob.spectrum_broadcast
        ob2 = objectivity(np.kron(plus, env), [2, 2, 2], pointer="computational")
        assert ob2.decoherence == pytest.approx(1.0) and ob2.verdict.startswith("not objective")

    def test_partial_records(self):
        e0, e1 = np.array([1.0, 0]), np.array([0.8, 0.6])  # overlap 0.8: imperfect record
        zero, one = np.array([1.0, 0]), np.array([0, 1.0])
        psi = (np.kron(zero, np.kron(zero, e0)) + np.kron(one, np.kron(one, e1))) / math.sqrt(2)
        ob = objectivity(psi, [2, 2, 2])
        assert ob.max_fidelity[0] == pytest.approx(0, abs=1e-12)
        assert ob.max_fidelity[1] == pytest.approx(0.64)
        assert ob.verdict.startswith("partially objective: 1 of 2")


class TestAgainstQuTiP:
    @pytest.mark.parametrize("mixed", [False, True])
    def test_conditional_state_measures(self, mixed, rng):
        dims = [2, 3, 2]
        st = random_dm(dims, 2, rng) if mixed else random_ket(dims, rng)
        ob = objectivity(st, pointer="computational")
        rho = st if mixed else st * st.dag()
        for pos, k in enumerate([1, 2]):
            rsk = rho.ptrace([0, k]).full().reshape(2, dims[k], 2, dims[k])
            conds = []
            for i in range(2):
                blk = rsk[i, :, i, :]
                conds.append(qt.Qobj(blk / np.trace(blk).real))
            assert ob.max_fidelity[pos] == pytest.approx(qt.fidelity(conds[0], conds[1]) ** 2, abs=1e-9)
            assert ob.min_trace_distance[pos] == pytest.approx(qt.tracedist(conds[0], conds[1]), abs=1e-10)
            xi = chernoff_information(conds[0].full(), conds[1].full()).xi
            assert ob.min_chernoff[pos] == pytest.approx(xi, abs=1e-9)
        pi = partial_information(st, pointer="computational")
        assert ob.chi[-1] == pytest.approx(pi.chi[-1], abs=1e-12)
        assert ob.discord[-1] == pytest.approx(pi.discord[-1], abs=1e-12)
        rho_s = rho.ptrace(0).full()
        assert ob.decoherence == pytest.approx(abs(rho_s[0, 1]) / math.sqrt(rho_s[0, 0].real * rho_s[1, 1].real))


class TestBadInput:
    def test_tol_and_state(self):
        with pytest.raises(ValueError, match="tol"):
            objectivity(ghz(3), [2, 2, 2], tol=0)
        with pytest.raises(ValueError, match="system"):
            objectivity(ghz(3), [2, 2, 2], system=3)
        with pytest.raises(ValueError, match="norm"):
            objectivity(2 * ghz(3), [2, 2, 2])
