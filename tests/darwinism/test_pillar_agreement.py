"""(a) spins pillar closed forms and (b) thermal ring curves, reproduced from explicit states.

Tests may import the pillars; the darwinism core never does.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdarwin.darwinism import partial_information
from qdarwin.spins import fragment_average_information, information_curve
from qdarwin.thermal import ChaoticIsing, evolve_branches, mi_curve, preset


def random_qubit(rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(size=2) + 1j * rng.normal(size=2)
    return v / np.linalg.norm(v)


def decoherence_branches(n_env: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Product environment records |E_0> = (x) e0_k, |E_1> = (x) e1_k and |<e0_k|e1_k>|."""
    b0, b1, gam = np.ones(1), np.ones(1), np.empty(n_env)
    for k in range(n_env):
        e0, e1 = random_qubit(rng), random_qubit(rng)
        gam[k] = abs(np.vdot(e0, e1))
        b0, b1 = np.kron(b0, e0), np.kron(b1, e1)
    return b0, b1, gam


class TestSpinsClosedForms:
    """Pure-decoherence states sqrt(p)|0>|E_0> + sqrt(q) e^{i phi}|1>|E_1>, N <= 12."""

    @pytest.mark.parametrize("n_env,p", [(3, 0.5), (6, 0.3), (9, 0.8), (12, 0.55)])
    def test_nested_curve_equals_information_curve(self, n_env, p, rng):
        b0, b1, gam = decoherence_branches(n_env, rng)
        psi = np.concatenate([math.sqrt(p) * b0, math.sqrt(1 - p) * np.exp(0.7j) * b1])
        r = partial_information(psi, [2] * (n_env + 1), fragments="nested", pointer="computational")
        ref = information_curve(p, None, gam)
        np.testing.assert_allclose(r.I, ref.I, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.chi, ref.chi, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.discord, ref.discord, atol=1e-10, rtol=0)

    @pytest.mark.parametrize("n_env,p", [(4, 0.5), (8, 0.25), (11, 0.6)])
    def test_fragment_average_equals_enumeration_closed_form(self, n_env, p, rng):
        b0, b1, gam = decoherence_branches(n_env, rng)
        psi = np.concatenate([math.sqrt(p) * b0, math.sqrt(1 - p) * b1])
        r = partial_information(psi, [2] * (n_env + 1), pointer="computational")
        ref = fragment_average_information(gam, p, method="enumerate")
        np.testing.assert_allclose(r.I, ref.I, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.chi, ref.chi, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.discord, ref.discord, atol=1e-10, rtol=0)

    def test_mixed_system_density_matrix(self, rng):
        """A mixed initial system state (|c|^2 < pq) gives a mixed global state."""
        n_env, p, c = 5, 0.4, 0.3 * np.exp(0.4j)
        b0, b1, gam = decoherence_branches(n_env, rng)
        rho_s = np.array([[p, c], [np.conj(c), 1 - p]])
        branches = [b0, b1]
        rho = sum(
            rho_s[i, j] * np.kron(np.outer(np.eye(2)[i], np.eye(2)[j]), np.outer(branches[i], branches[j].conj()))
            for i in range(2) for j in range(2)
        )
        r = partial_information(rho, [2] * (n_env + 1), pointer="computational")
        ref = fragment_average_information(gam, p, c, method="enumerate")
        np.testing.assert_allclose(r.I, ref.I, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.chi, ref.chi, atol=1e-10, rtol=0)


class TestThermalRing:
    """(b) branch states of the chaotic Ising ring: 'contiguous' equals thermal.mi_curve."""

    @pytest.mark.parametrize("name,n_sites,t", [("encoding", 6, 1.3), ("redundant", 7, 0.8), ("encoding", 8, 2.5)])
    def test_contiguous_curve(self, name, n_sites, t):
        setup = preset(name)
        branches = evolve_branches(ChaoticIsing(n_sites), setup, [t])[0]
        ref = mi_curve(branches, setup.probs)
        psi = np.concatenate([math.sqrt(pk) * b for pk, b in zip(setup.probs, branches)])
        r = partial_information(psi, [setup.d] + [2] * n_sites, fragments="contiguous")
        np.testing.assert_allclose(r.I, ref, atol=1e-10, rtol=0)
        assert r.n_fragments.tolist() == [1] + [n_sites - m + 1 for m in range(1, n_sites + 1)]
