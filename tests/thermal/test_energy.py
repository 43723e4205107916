"""Tests for qdarwin.thermal.energy (spec §2.6, §5.1-5.2, §15 A and F)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import partial_trace
from qdarwin.thermal.energy import (
    average_energy_laws,
    energy_densities,
    fraction_energy_law,
    fraction_spectrum,
    global_energy_law,
    make_energy_law,
    time_averaged_energy_laws,
)
from qdarwin.thermal.models import BroadcastSetup, ChaoticIsing, SKEnvironment, preset, redundant
from tests.systems import I2, SX, SZ, kron_all, random_ket
from tests.thermal._c2_reference import dense_branches, embed_sites

HX = (5 + math.sqrt(5)) / 8
HZ = (1 + math.sqrt(5)) / 4


def _pauli_fraction_hamiltonian(
    sites: list[int], n_sites: int, J: float = 1.0, hx: float = HX, hz: float = HZ
) -> np.ndarray:
    """H_F from Pauli strings: ring terms of H_E with both ends in F (independent of the package)."""
    m = len(sites)

    def site(op: np.ndarray, j: int) -> np.ndarray:
        return kron_all(*[op if i == j else I2 for i in range(m)])

    h = sum(hx * site(SX, j) + hz * site(SZ, j) for j in range(m))
    for a in range(n_sites):
        b = (a + 1) % n_sites
        if a in sites and b in sites:
            h = h + J * site(SZ, sites.index(a)) @ site(SZ, sites.index(b))
    return np.asarray(h)


def _open_chain_hamiltonian(m: int, J: float = 1.0, hx: float = HX, hz: float = HZ) -> np.ndarray:
    """H_F of an interval [0, m) of a long ring (open ends)."""
    return _pauli_fraction_hamiltonian(list(range(m)), m + 2, J, hx, hz)


def _brute_law(
    psi: np.ndarray, sites: list[int], n: int, h_f: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    evals, evecs = np.linalg.eigh(h_f)
    probs = []
    for branch in psi:
        rho = partial_trace(branch, sites, [2] * n)
        probs.append(np.real(np.einsum("ia,ij,ja->a", evecs.conj(), rho, evecs)))
    return evals, np.array(probs)


class TestMakeEnergyLaw:
    def test_merges_degenerate_levels_and_moments(self) -> None:
        law = make_energy_law(
            [2.0, -1.0, 2.0 + 1e-12, 0.5], [[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]], 2
        )
        assert law.energies.tolist() == pytest.approx([-1.0, 0.5, 2.0])
        assert law.probs[0].tolist() == pytest.approx([0.2, 0.4, 0.4])
        mean = np.array([0.2 * -1 + 0.4 * 0.5 + 0.4 * 2, 0.25 * -1 + 0.25 * 0.5 + 0.5 * 2])
        assert law.mean_density == pytest.approx(mean / 2)
        second = np.array([0.2 + 0.4 * 0.25 + 0.4 * 4, 0.25 + 0.25 * 0.25 + 0.5 * 4])
        assert law.var_density == pytest.approx((second - mean**2) / 2)
        assert law.d == 2 and law.m == 2

    def test_levels_apart_by_more_than_tol_stay(self) -> None:
        law = make_energy_law([0.0, 1e-9], [[0.5, 0.5]], 1)
        assert law.energies.size == 2

    @pytest.mark.parametrize(
        "energies, probs, m, match",
        [
            ([0.0, 1.0], [[0.5, 0.6]], 1, "sum to 1"),
            ([0.0, 1.0], [[1.5, -0.5]], 1, ">= 0"),
            ([0.0, 1.0], [[1.0]], 1, "expected shape"),
            ([0.0, np.nan], [[0.5, 0.5]], 1, "NaN"),
            ([0.0, 1.0], [[0.5, 0.5]], 0, "positive integer"),
        ],
    )
    def test_rejects_bad_input(
        self, energies: list[float], probs: list[list[float]], m: int, match: str
    ) -> None:
        with pytest.raises(ValueError, match=match):
            make_energy_law(energies, probs, m)


class TestFractionSpectrum:
    def test_matches_pauli_construction(self) -> None:
        evals, evecs = fraction_spectrum(ChaoticIsing(8), [2, 3, 4])
        ref = np.linalg.eigvalsh(_open_chain_hamiltonian(3))
        assert evals == pytest.approx(ref, abs=1e-12)
        assert np.isrealobj(evecs)

    def test_refuses_more_than_twelve_sites(self) -> None:
        with pytest.raises(ValueError, match="m <= 12"):
            fraction_spectrum(ChaoticIsing(14), list(range(13)))


class TestFractionEnergyLaw:
    @pytest.mark.parametrize("sites", [[0, 1, 2], [4, 1, 3], [5, 0], [2, 4]])
    def test_brute_force_partial_trace(self, sites: list[int], rng: np.random.Generator) -> None:
        n = 6
        env = ChaoticIsing(n, J=0.7, hx=0.9, hz=0.4)
        psi = np.stack([random_ket(2**n, rng) for _ in range(3)])
        law = fraction_energy_law(env, psi, sites, merge_tol=0.0)
        h_f = _pauli_fraction_hamiltonian(sites, n, 0.7, 0.9, 0.4)
        evals, probs = _brute_law(psi, sites, n, h_f)
        assert law.energies == pytest.approx(evals, abs=1e-12)
        assert law.probs == pytest.approx(probs, abs=1e-12)
        # mean energy = <psi| H_F (x) 1 |psi> with H_F embedded independently
        h_full = embed_sites(h_f, sites, n)
        means = np.real(np.einsum("ki,ij,kj->k", psi.conj(), h_full, psi)) / len(sites)
        assert law.mean_density == pytest.approx(means, abs=1e-12)

    def test_complex_fraction_hamiltonian_sk(self, rng: np.random.Generator) -> None:
        n = 5
        env = SKEnvironment(n, seed=3)
        psi = np.stack([random_ket(2**n, rng) for _ in range(2)])
        sites = [3, 0, 1]
        law = fraction_energy_law(env, psi, sites, merge_tol=0.0)
        evals, probs = _brute_law(psi, sites, n, env.fraction_hamiltonian(sites))
        assert law.probs == pytest.approx(probs, abs=1e-12)
        assert law.energies == pytest.approx(evals, abs=1e-12)

    def test_product_state_closed_form(self) -> None:
        n, m = 8, 5
        env = ChaoticIsing(n)
        setup = preset("random_axis", rng=np.random.default_rng(7))
        law = fraction_energy_law(env, setup.initial_branches(n), m)
        v = setup.bloch_vectors()
        expected = ((m - 1) * v[:, 2] ** 2 + m * (HX * v[:, 0] + HZ * v[:, 2])) / m
        assert law.mean_density == pytest.approx(expected, abs=1e-12)
        # product state: Var = sum of single-site variances + bond terms; check only positivity
        assert np.all(law.var_density > 0)

    def test_reference_values_redundant_t10(self) -> None:
        """§15 F: redundant, N = 10, t = 10, fraction [0, 4)."""
        psi = dense_branches("redundant", 10, 10.0)
        law = fraction_energy_law(ChaoticIsing(10), psi, 4)
        assert law.mean_density == pytest.approx([0.8358547573, -0.8191999336], abs=1e-6)
        assert law.var_density == pytest.approx([2.3230312421, 1.0664662152], abs=1e-6)

    def test_int_fraction_equals_interval(self, rng: np.random.Generator) -> None:
        env = ChaoticIsing(6)
        psi = random_ket(64, rng)[None, :]
        a = fraction_energy_law(env, psi, 3)
        b = fraction_energy_law(env, psi, [0, 1, 2])
        assert a.probs == pytest.approx(b.probs, abs=1e-14)

    @pytest.mark.parametrize(
        "branches, sites, match",
        [
            (np.ones((2, 64)) / 8, [0, 0], "duplicate"),
            (np.ones((2, 64)) / 8, [7], "out of range"),
            (np.ones((2, 16)) / 4, [0], "expected shape"),
            (np.full((2, 64), np.nan), [0], "NaN"),
            (np.ones((2, 64)), [0], "normalised"),
        ],
    )
    def test_rejects_bad_input(self, branches: np.ndarray, sites: list[int], match: str) -> None:
        with pytest.raises(ValueError, match=match):
            fraction_energy_law(ChaoticIsing(6), branches, sites)

    @given(st.integers(1, 6), st.integers(0, 10_000))
    def test_law_invariants(self, m: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        env = ChaoticIsing(6)
        psi = np.stack([random_ket(64, rng) for _ in range(2)])
        law = fraction_energy_law(env, psi, m)
        assert law.probs.sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-12)
        assert np.all(law.probs >= -1e-15)
        assert np.all(law.var_density >= 0)
        e_min, e_max = law.energies[0] / m, law.energies[-1] / m
        assert np.all((law.mean_density >= e_min - 1e-12) & (law.mean_density <= e_max + 1e-12))
        assert np.all(np.diff(law.energies) > 1e-10)


class TestAverageEnergyLaws:
    def test_average_of_probabilities(self) -> None:
        env = ChaoticIsing(6)
        laws = [
            fraction_energy_law(env, dense_branches("redundant", 6, t), 3) for t in (1.0, 2.0, 3.0)
        ]
        avg = average_energy_laws(laws)
        assert avg.probs == pytest.approx(np.mean([law.probs for law in laws], axis=0), abs=1e-15)
        assert avg.mean_density == pytest.approx(
            np.mean([law.mean_density for law in laws], axis=0), abs=1e-12
        )

    def test_rejects_mixed_fractions(self) -> None:
        a = make_energy_law([0.0, 1.0], [[0.5, 0.5]], 1)
        b = make_energy_law([0.0, 2.0], [[0.5, 0.5]], 1)
        with pytest.raises(ValueError, match="same fraction"):
            average_energy_laws([a, b])
        with pytest.raises(ValueError, match="at least one"):
            average_energy_laws([])


class TestTimeAveragedEnergyLaws:
    def test_matches_dense_evolution(self) -> None:
        n, times = 8, (1.0, 2.5)
        env = ChaoticIsing(n)
        laws = time_averaged_energy_laws(env, redundant(), [3, [1, 2, 5]], times=times)
        for law, sites in zip(laws, ([0, 1, 2], [1, 2, 5])):
            ref = average_energy_laws(
                [fraction_energy_law(env, dense_branches("redundant", n, t), sites) for t in times]
            )
            assert law.probs == pytest.approx(ref.probs, abs=1e-9)
            assert law.mean_density == pytest.approx(ref.mean_density, abs=1e-9)

    def test_on_state_sees_every_time(self) -> None:
        seen: list[tuple[float, float]] = []
        time_averaged_energy_laws(
            ChaoticIsing(6),
            redundant(),
            [2],
            times=(0.5, 1.5),
            on_state=lambda t, psi: seen.append((t, float(np.linalg.norm(psi[0])))),
        )
        assert [t for t, _ in seen] == [0.5, 1.5]
        assert [n for _, n in seen] == pytest.approx([1.0, 1.0], abs=1e-10)

    def test_rejects_empty_input(self) -> None:
        with pytest.raises(ValueError, match="at least one fraction"):
            time_averaged_energy_laws(ChaoticIsing(6), redundant(), [])


class TestEnergyDensities:
    @pytest.mark.parametrize(
        "axis, expected",
        [
            ((1.0, 0.0, 0.0), (0.0, 0.0)),
            ((0.0, 1.0, 0.0), (0.9045084972, -0.9045084972)),
            ((0.3, 0.8, 0.5), (1.1408573637, -0.3210491323)),
        ],
    )
    def test_reference_values(
        self, axis: tuple[float, float, float], expected: tuple[float, float]
    ) -> None:
        """§15 A, closed form and the <H>/N route on the branch vectors."""
        setup = BroadcastSetup([axis, [-a for a in axis]])
        env = ChaoticIsing(7)
        assert energy_densities(env, setup) == pytest.approx(expected, abs=1e-9)
        assert energy_densities(env, setup.initial_branches(7)) == pytest.approx(expected, abs=1e-9)

    def test_conserved_by_dynamics(self) -> None:
        env = ChaoticIsing(8)
        e0 = energy_densities(env, redundant())
        assert energy_densities(env, dense_branches("redundant", 8, 7.3)) == pytest.approx(
            e0, abs=1e-10
        )

    def test_open_chain_and_sk(self) -> None:
        setup = redundant()
        v = setup.bloch_vectors()
        env = ChaoticIsing(6, boundary="open")
        expected = (5 / 6) * v[:, 2] ** 2 + HX * v[:, 0] + HZ * v[:, 2]
        assert energy_densities(env, setup) == pytest.approx(expected, abs=1e-12)
        sk = SKEnvironment(6, seed=1)
        e_sk = energy_densities(sk, setup)
        assert e_sk == pytest.approx(energy_densities(sk, setup.initial_branches(6)), abs=1e-12)

    def test_rejects_unnormalised_branches(self) -> None:
        with pytest.raises(ValueError, match="normalised"):
            energy_densities(ChaoticIsing(4), np.ones((2, 16)))


class TestGlobalEnergyLaw:
    def test_sector_route_matches_full_space(self) -> None:
        """Sector diagonalisation vs dense full-space eigenbasis (independent), N = 8."""
        from qdarwin.thermal.rates import scgf

        n = 8
        env = ChaoticIsing(n)
        law = global_energy_law(env, redundant())
        evals, evecs = np.linalg.eigh(env.to_sparse().toarray())
        psi = redundant().initial_branches(n)
        ref = make_energy_law(evals, np.abs(psi @ evecs.conj()) ** 2, n)
        beta = np.array([-1.0, -0.3, 0.4, 1.2])
        assert scgf(law, beta) == pytest.approx(scgf(ref, beta), abs=1e-10)
        assert law.mean_density == pytest.approx(ref.mean_density, abs=1e-12)
        assert law.energies.size < ref.energies.size  # only the symmetric sector

    def test_closed_form_cumulants(self) -> None:
        """|+-x>^N on a ring: e = +-h_x and Var(H)/N = J^2 + h_z^2 = 1.6545 (§16)."""
        law = global_energy_law(ChaoticIsing(10), redundant())
        assert law.mean_density == pytest.approx([HX, -HX], abs=1e-12)
        assert law.var_density == pytest.approx([1 + HZ**2] * 2, abs=1e-10)

    def test_branch_input_open_chain_and_refusal(self, rng: np.random.Generator) -> None:
        env = ChaoticIsing(6, boundary="open")
        psi = np.stack([random_ket(64, rng) for _ in range(2)])
        law = global_energy_law(env, psi)
        h = env.to_sparse().toarray()
        means = np.real(np.einsum("ki,ij,kj->k", psi.conj(), h, psi)) / 6
        assert law.mean_density == pytest.approx(means, abs=1e-12)
        with pytest.raises(ValueError, match="max_dim"):
            global_energy_law(env, psi, max_dim=32)
