"""Tests for qdarwin.thermal.degeneracy (spec §8) and the bound chain I >= chi >= I_energy (§5.4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin.info import holevo_information, partial_trace
from qdarwin.thermal.degeneracy import (
    coarse_grained_entropy,
    coarse_grained_probabilities,
    coarse_grained_setup,
    degenerate_pairs,
    energy_groups,
    energy_mutual_information,
    pair_holevo,
)
from qdarwin.thermal.energy import energy_densities, fraction_energy_law, make_energy_law
from qdarwin.thermal.information import holevo, interval_mutual_information
from qdarwin.thermal.models import ChaoticIsing, partial_degeneracy
from tests.systems import random_ket
from tests.thermal._c2_reference import dense_branches

HX = (5 + math.sqrt(5)) / 8


class TestEnergyGroups:
    def test_first_appearance_labels_and_tolerance(self) -> None:
        assert energy_groups([0.3, 0.3 + 5e-10, -1.0, 0.3]).tolist() == [0, 0, 1, 0]
        assert energy_groups([0.0, 1e-8], tol=1e-9).tolist() == [0, 1]
        assert energy_groups([0.0, 1e-8], tol=1e-7).tolist() == [0, 0]

    def test_rejects_negative_tolerance(self) -> None:
        with pytest.raises(ValueError, match="tol"):
            energy_groups([0.0, 1.0], tol=-1.0)


class TestCoarseGrainedProbabilities:
    def test_merges_groups(self) -> None:
        assert coarse_grained_probabilities(
            [0.1, 0.2, 0.3, 0.4], [1.0, 2.0, 1.0, 3.0]
        ).tolist() == pytest.approx([0.4, 0.2, 0.4])

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError, match="one per branch"):
            coarse_grained_probabilities([0.5, 0.5], [0.0, 1.0, 2.0])


class TestCoarseGrainedEntropy:
    def test_partial_degeneracy_preset(self) -> None:
        """§8: groups {-h_x}, {0, 0}, {+h_x} -> H(1/4, 1/2, 1/4) = 1.5 bits."""
        setup = partial_degeneracy()
        e = energy_densities(ChaoticIsing(8), setup)
        assert e == pytest.approx([HX, -HX, 0.0, 0.0], abs=1e-12)
        assert coarse_grained_entropy(setup.probs, e) == pytest.approx(1.5, abs=1e-12)
        assert coarse_grained_entropy(setup.probs, e, base=math.e) == pytest.approx(
            1.5 * math.log(2), abs=1e-12
        )

    def test_nondegenerate_equals_shannon(self) -> None:
        p = [0.2, 0.3, 0.5]
        assert coarse_grained_entropy(p, [0.0, 1.0, 2.0]) == pytest.approx(
            -sum(x * math.log2(x) for x in p)
        )
        assert coarse_grained_entropy(p, [1.0, 1.0, 1.0]) == 0.0


class TestDegeneratePairs:
    def test_pairs_and_zero_probability(self) -> None:
        e = [0.0, 1.0, 0.0, 0.0]
        assert degenerate_pairs(e) == [(0, 2), (0, 3), (2, 3)]
        assert degenerate_pairs(e, probs=[0.5, 0.5, 0.0, 0.0]) == []
        with pytest.raises(ValueError, match="expected 4"):
            degenerate_pairs(e, probs=[0.5, 0.5])


class TestPairHolevo:
    def test_matches_density_matrix_holevo(self, rng: np.random.Generator) -> None:
        n = 5
        psi = np.stack([random_ket(2**n, rng) for _ in range(3)])
        p = np.array([0.2, 0.5, 0.3])
        sites = [1, 3]
        states = [partial_trace(psi[k], sites, [2] * n) for k in (0, 2)]
        ref = holevo_information(np.array([0.2, 0.3]) / 0.5, states)
        assert pair_holevo(psi, p, (0, 2), sites) == pytest.approx(ref, abs=1e-12)

    def test_degenerate_pair_is_encoded_at_late_times(self) -> None:
        """§8: the pair |-y>, |+y> (energy 0) is nearly invisible to small fractions (N = 10)."""
        states = [dense_branches("partial_degeneracy", 10, t) for t in (10.0, 20.0, 30.0)]
        chi = np.mean(
            [
                [pair_holevo(psi, [0.25] * 4, (2, 3), list(range(m))) for m in (1, 2)]
                for psi in states
            ],
            axis=0,
        )
        split = np.mean([pair_holevo(psi, [0.25] * 4, (0, 1), [0, 1]) for psi in states])
        assert np.all(chi < 0.02)
        assert split > 0.3

    def test_rejects_bad_pair(self) -> None:
        psi = np.eye(4)[:2]
        with pytest.raises(ValueError, match="distinct"):
            pair_holevo(psi, [0.5, 0.5], (0, 0), [0])
        with pytest.raises(ValueError, match="probability 0"):
            pair_holevo(np.eye(4)[:3], [1.0, 0.0, 0.0], (1, 2), [0])


class TestCoarseGrainedSetup:
    def test_partial_degeneracy_preset(self) -> None:
        """§8: coarse-grained problem = branches |+x>, |-x>, |-y> with p = (1/4, 1/4, 1/2)."""
        coarse = coarse_grained_setup(partial_degeneracy(), ChaoticIsing(8))
        assert coarse.d == 3
        assert np.asarray(coarse.probs) == pytest.approx([0.25, 0.25, 0.5])
        assert coarse.bloch_vectors() == pytest.approx(
            np.array([[1, 0, 0], [-1, 0, 0], [0, -1, 0]]), abs=1e-12
        )
        e = energy_densities(ChaoticIsing(8), coarse)
        assert e == pytest.approx([HX, -HX, 0.0], abs=1e-12)
        assert coarse_grained_entropy(coarse.probs, e) == pytest.approx(1.5, abs=1e-12)

    def test_single_group_refused(self) -> None:
        from qdarwin.thermal.models import encoding

        with pytest.raises(ValueError, match="single branch"):
            coarse_grained_setup(encoding(), ChaoticIsing(6))


class TestEnergyMutualInformation:
    def test_closed_forms(self) -> None:
        law = make_energy_law([0.0, 1.0], [[0.5, 0.5], [0.5, 0.5]], 1)
        assert energy_mutual_information(law, [0.3, 0.7]) == 0.0
        law = make_energy_law([0.0, 1.0], [[1.0, 0.0], [0.0, 1.0]], 1)
        assert energy_mutual_information(law, [0.3, 0.7]) == pytest.approx(
            -0.3 * math.log2(0.3) - 0.7 * math.log2(0.7)
        )
        with pytest.raises(ValueError, match="expected 2"):
            energy_mutual_information(law, [1.0])

    @settings(max_examples=12)
    @given(
        st.integers(1, 5),
        st.floats(0.0, 30.0),
        st.sampled_from(["redundant", "encoding", "interpolating"]),
    )
    def test_bound_chain(self, m: int, t: float, name: str) -> None:
        """§5.4: I(S:F) >= chi >= I_energy at every time and size (N = 8)."""
        kw = {"phi": 0.6} if name == "interpolating" else {}
        psi = dense_branches(name, 8, t, **kw)
        p = [0.5, 0.5]
        sites = list(range(m))
        info = interval_mutual_information(psi, p, sites)
        chi = holevo(psi, p, sites)
        i_energy = energy_mutual_information(fraction_energy_law(ChaoticIsing(8), psi, sites), p)
        assert info >= chi - 1e-10
        assert chi >= i_energy - 1e-10
        assert i_energy >= 0.0
