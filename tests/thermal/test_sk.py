"""All-to-all (SK-like) environment checks (spec §9): fraction identity, scaling, encoding."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from qdarwin.thermal.energy import energy_densities, fraction_energy_law
from qdarwin.thermal.information import interval_mutual_information
from qdarwin.thermal.models import BroadcastSetup, ChaoticIsing, SKEnvironment, redundant
from tests.thermal._c2_reference import embed_sites


def _dense_evolve(h: np.ndarray, psi0: np.ndarray, times: tuple[float, ...]) -> list[np.ndarray]:
    evals, evecs = np.linalg.eigh(h)
    coeff = psi0 @ evecs.conj()
    return [(coeff * np.exp(-1j * evals * t)) @ evecs.T for t in times]


class TestFractionHamiltonianIdentity:
    @pytest.mark.parametrize("m", [2, 3, 4])
    def test_sum_over_fractions(self, m: int) -> None:
        """sum_{|F| = m} H_F = C(N-2, m-2) H_SK (operator identity, N = 6)."""
        n = 6
        env = SKEnvironment(n, seed=4)
        total = sum(
            embed_sites(env.fraction_hamiltonian(list(f)), list(f), n)
            for f in itertools.combinations(range(n), m)
        )
        h = env.to_sparse().toarray()
        assert np.max(np.abs(total - math.comb(n - 2, m - 2) * h)) < 1e-11

    def test_whole_environment_and_unordered_sites(self) -> None:
        n = 5
        env = SKEnvironment(n, seed=2)
        h = env.to_sparse().toarray()
        assert np.max(np.abs(env.fraction_hamiltonian(list(range(n))) - h)) < 1e-12
        sites = [4, 1, 2]
        a = embed_sites(env.fraction_hamiltonian(sites), sites, n)
        b = embed_sites(env.fraction_hamiltonian(sorted(sites)), sorted(sites), n)
        assert np.max(np.abs(a - b)) < 1e-12


class TestScaling:
    @pytest.mark.parametrize("n", [6, 8])
    def test_extensive_ground_state(self, n: int) -> None:
        """N^(-1/2) normalisation: ground-state energy density of order -1.5 (single samples)."""
        e0 = np.linalg.eigvalsh(SKEnvironment(n, seed=0).to_sparse().toarray())[0] / n
        assert -2.0 < e0 < -1.2

    def test_fraction_spectral_scale(self) -> None:
        """E_0(H_F) / [m (m/N)^(1/2)] ~ -1.5 ... -1.7 (§9; m = 4...8 at N = 12 here)."""
        env = SKEnvironment(12, seed=0)
        ratios = [
            np.linalg.eigvalsh(env.fraction_hamiltonian(list(range(m))))[0]
            / (m * math.sqrt(m / 12))
            for m in (4, 6, 8)
        ]
        assert all(-1.8 < r < -1.4 for r in ratios)

    def test_fraction_energy_share_vanishes(self) -> None:
        """Mean fraction energy of a product state = share m(m-1)/[N(N-1)] of the total energy on average."""
        n, m = 8, 3
        env = SKEnvironment(n, seed=5)
        psi = BroadcastSetup([[0.3, 0.8, 0.5], [-0.3, 0.2, 0.9]]).initial_branches(n)
        total = energy_densities(env, psi) * n
        mean_over_f = np.mean(
            [
                fraction_energy_law(env, psi, list(f)).mean_density * m
                for f in itertools.combinations(range(n), m)
            ],
            axis=0,
        )
        assert mean_over_f == pytest.approx(total * m * (m - 1) / (n * (n - 1)), abs=1e-10)


class TestCoherentStateEnergies:
    def test_product_state_closed_form(self) -> None:
        n = 6
        env = SKEnvironment(n, seed=1)
        setup = BroadcastSetup([[0.3, 0.8, 0.5], [-0.6, 0.1, 0.2]])
        v = setup.bloch_vectors()
        pairs = list(itertools.combinations(range(n), 2))
        expected = [sum(vk @ env.couplings[i] @ vk for i in range(len(pairs))) / n**1.5 for vk in v]
        assert energy_densities(env, setup) == pytest.approx(expected, abs=1e-12)

    @pytest.mark.parametrize("phi", [0.0, 0.7, math.pi / 2])
    def test_antipodal_branches_have_equal_energy(self, phi: float) -> None:
        """H_SK is even under the global spin flip: Bloch vectors +-v give equal energies."""
        axis = [math.cos(phi), math.sin(phi), 0.0]
        setup = BroadcastSetup([axis, [-a for a in axis]])
        assert setup.bloch_vectors()[0] == pytest.approx(-setup.bloch_vectors()[1], abs=1e-12)
        e = energy_densities(SKEnvironment(7, seed=3), setup)
        assert e[0] == pytest.approx(e[1], abs=1e-12)

    def test_disorder_scale(self) -> None:
        """Coherent-state energy density has disorder std sqrt(N(N-1)/2) / N^(3/2)."""
        n = 6
        setup = redundant()
        samples = [energy_densities(SKEnvironment(n, seed=s), setup)[0] for s in range(300)]
        expected = math.sqrt(n * (n - 1) / 2) / n**1.5
        assert np.std(samples) == pytest.approx(expected, rel=0.15)
        assert abs(np.mean(samples)) < 4 * expected / math.sqrt(300)


class TestUniformBroadcastEncoding:
    def test_small_fractions_learn_little(self) -> None:
        """Uniform +-x broadcast into H_SK (equal energies) encodes; the Ising chain keeps I(S:F_1)."""
        n, times = 8, (20.0, 30.0, 40.0)
        setup = redundant()
        psi0 = setup.initial_branches(n)
        late = {}
        for name, env in (("sk", SKEnvironment(n, seed=0)), ("ising", ChaoticIsing(n))):
            states = _dense_evolve(env.to_sparse().toarray(), psi0, times)
            late[name] = np.mean(
                [
                    [interval_mutual_information(psi, setup.probs, list(range(m))) for m in (1, 2)]
                    for psi in states
                ],
                axis=0,
            )
        assert np.all(late["sk"] < 0.12)
        assert np.all(late["ising"] > 2.5 * late["sk"])
