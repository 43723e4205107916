"""Tests of qdarwin.thermal.information (Gram route for I(S:F), spec §3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import holevo_information, mutual_information, partial_trace, shannon_entropy, von_neumann_entropy
from qdarwin.thermal.information import (
    holevo,
    interval_mutual_information,
    mi_curve,
    reduced_branch_states,
    system_entropy,
    t0_mi_curve,
)

from ._exact import (
    AXES,
    dihedral_symmetrize,
    evolve,
    ising_hamiltonian,
    preset_branches,
    product_branches,
    qubit_state,
    translation_symmetrize,
)


def random_branches(d: int, n: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal((d, 2**n)) + 1j * rng.standard_normal((d, 2**n))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def global_state(branches: np.ndarray, probs: np.ndarray) -> np.ndarray:
    return (np.sqrt(probs)[:, None] * branches).ravel()


def brute_mi(branches: np.ndarray, probs: np.ndarray, sites: list[int], d: int) -> float:
    n = branches.shape[1].bit_length() - 1
    return mutual_information(global_state(branches, probs), [0], [1 + s for s in sites], dims=[d] + [2] * n)


def random_probs(d: int, rng: np.random.Generator) -> np.ndarray:
    p = rng.random(d) + 0.05
    return p / p.sum()


class TestSystemEntropy:
    def test_orthogonal_branches_give_shannon_entropy(self) -> None:
        p = np.array([0.2, 0.3, 0.5])
        assert system_entropy(np.eye(8)[:3], p) == pytest.approx(shannon_entropy(p), abs=1e-12)

    def test_identical_branches_give_zero(self, rng: np.random.Generator) -> None:
        psi = random_branches(1, 4, rng)
        assert system_entropy(np.vstack([psi, psi]), [0.5, 0.5]) == pytest.approx(0.0, abs=1e-10)

    @pytest.mark.parametrize("d", [2, 3])
    def test_matches_partial_trace(self, d: int, rng: np.random.Generator) -> None:
        psi, p = random_branches(d, 4, rng), random_probs(d, rng)
        rho_s = partial_trace(global_state(psi, p), [0], dims=[d] + [2] * 4)
        assert system_entropy(psi, p) == pytest.approx(von_neumann_entropy(rho_s), abs=1e-10)

    def test_nats(self) -> None:
        assert system_entropy(np.eye(4)[:2], [0.5, 0.5], base=math.e) == pytest.approx(math.log(2), abs=1e-12)

    @pytest.mark.parametrize(
        ("branches", "probs", "match"),
        [
            (np.ones(4) / 2, [1.0], "shape"),
            (np.ones((2, 6)) / math.sqrt(6), [0.5, 0.5], "2\\*\\*N"),
            (np.eye(4)[:2] * 2, [0.5, 0.5], "not normalised"),
            (np.eye(4)[:2], [0.5, 0.4], "sum to 1"),
            (np.eye(4)[:2], [1 / 3] * 3, "3 probabilities for 2 branches"),
            (np.full((2, 4), np.nan), [0.5, 0.5], "finite"),
        ],
    )
    def test_invalid_input(self, branches: np.ndarray, probs: list[float], match: str) -> None:
        with pytest.raises(ValueError, match=match):
            system_entropy(branches, probs)

    def test_invalid_base(self) -> None:
        with pytest.raises(ValueError, match="base"):
            system_entropy(np.eye(4)[:2], [0.5, 0.5], base=1.0)


class TestIntervalMutualInformation:
    @given(
        seed=st.integers(0, 2**31),
        d=st.integers(2, 3),
        n=st.integers(2, 6),
        data=st.data(),
    )
    def test_matches_brute_force_density_matrices(self, seed: int, d: int, n: int, data: st.DataObject) -> None:
        rng = np.random.default_rng(seed)
        psi, p = random_branches(d, n, rng), random_probs(d, rng)
        sites = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        got = interval_mutual_information(psi, p, sites)
        assert got == pytest.approx(brute_mi(psi, p, sites, d) if sites else 0.0, abs=1e-9)

    @pytest.mark.parametrize("sites", [[0, 3], [1, 2, 5], [6, 0, 4], [2]])
    def test_evolved_chain_n7_against_brute_force(self, sites: list[int]) -> None:
        psi = preset_branches("redundant", 7, 3.0)
        p = np.array([0.5, 0.5])
        assert interval_mutual_information(psi, p, sites) == pytest.approx(brute_mi(psi, p, sites, 2), abs=1e-10)

    def test_purity_identity(self, rng: np.random.Generator) -> None:
        psi, p = random_branches(3, 7, rng), random_probs(3, rng)
        s_s = system_entropy(psi, p)
        for sites in ([0], [1, 4], [0, 2, 5], [3, 4, 5, 6]):
            rest = [j for j in range(7) if j not in sites]
            total = interval_mutual_information(psi, p, sites) + interval_mutual_information(psi, p, rest)
            assert total == pytest.approx(2 * s_s, abs=1e-10)

    def test_bounds_and_monotone(self, rng: np.random.Generator) -> None:
        psi, p = random_branches(2, 8, rng), random_probs(2, rng)
        s_s = system_entropy(psi, p)
        order = rng.permutation(8).tolist()
        vals = [interval_mutual_information(psi, p, order[:m]) for m in range(9)]
        assert vals[0] == 0.0 and vals[-1] == pytest.approx(2 * s_s, abs=1e-12)
        assert all(-1e-12 <= v <= 2 * s_s + 1e-12 for v in vals)
        assert np.all(np.diff(vals) >= -1e-10)

    def test_site_order_irrelevant(self, rng: np.random.Generator) -> None:
        psi, p = random_branches(2, 6, rng), [0.3, 0.7]
        a = interval_mutual_information(psi, p, [4, 1, 2])
        assert a == pytest.approx(interval_mutual_information(psi, p, [1, 2, 4]), abs=1e-12)

    def test_ring_translation_and_reversal_invariance(self) -> None:
        psi = preset_branches("encoding", 8, 2.0)
        p = [0.5, 0.5]
        ref = interval_mutual_information(psi, p, [0, 1, 2])
        for sites in ([3, 4, 5], [6, 7, 0], [7, 0, 1], [2, 1, 0], [5, 4, 3]):
            assert interval_mutual_information(psi, p, sites) == pytest.approx(ref, abs=1e-10)

    def test_real_input_equals_complex_input(self, rng: np.random.Generator) -> None:
        v = rng.standard_normal((2, 64))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        for sites in ([0, 1], [2, 3, 4, 5], [1, 3, 5]):
            a = interval_mutual_information(v, [0.4, 0.6], sites)
            assert a == pytest.approx(interval_mutual_information(v.astype(complex), [0.4, 0.6], sites), abs=1e-12)

    def test_threads_option_gives_same_result(self, rng: np.random.Generator) -> None:
        psi = random_branches(2, 8, rng)
        a = interval_mutual_information(psi, [0.5, 0.5], [0, 1, 2], threads=2)
        assert a == pytest.approx(interval_mutual_information(psi, [0.5, 0.5], [0, 1, 2], threads=None), abs=1e-12)

    @pytest.mark.parametrize(("sites", "match"), [([0, 0], "duplicate"), ([4], "out of range"), ([1.5], "integers")])
    def test_invalid_sites(self, sites: list, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            interval_mutual_information(np.eye(16)[:2], [0.5, 0.5], sites)


class TestMiCurve:
    @pytest.mark.parametrize("n", [8, 9])
    @pytest.mark.parametrize("name", ["encoding", "redundant", "partial_degeneracy"])
    def test_ring_shortcuts_match_direct_computation(self, n: int, name: str) -> None:
        psi = preset_branches(name, n, 3.0)
        p = np.full(psi.shape[0], 1 / psi.shape[0])
        fast = mi_curve(psi, p)
        direct = mi_curve(psi, p, ring=False, reflection=False)
        np.testing.assert_allclose(fast, direct, atol=1e-10)
        brute = [brute_mi(psi, p, list(range(m)), psi.shape[0]) for m in (1, 3, n - 2)]
        np.testing.assert_allclose(fast[[1, 3, n - 2]], brute, atol=1e-10)

    def test_half_ring_equals_system_entropy(self) -> None:
        psi = preset_branches("redundant", 8, 1.5)
        direct = mi_curve(psi, [0.5, 0.5], ring=False)
        assert direct[4] == pytest.approx(system_entropy(psi, [0.5, 0.5]), abs=1e-10)

    @pytest.mark.parametrize("n", [6, 7])
    def test_reflection_split_on_random_dihedral_states(self, n: int, rng: np.random.Generator) -> None:
        psi = np.stack([dihedral_symmetrize(random_branches(1, n, rng)[0]) for _ in range(3)])
        p = random_probs(3, rng)
        split = mi_curve(psi, p, reflection=True)
        plain = mi_curve(psi, p, ring=False, reflection=False)
        np.testing.assert_allclose(split, plain, atol=1e-10)
        np.testing.assert_allclose(split[1 : n - 1], [brute_mi(psi, p, list(range(m)), 3) for m in range(1, n - 1)], atol=1e-10)

    def test_translation_invariant_but_chiral_states_fall_back(self, rng: np.random.Generator) -> None:
        psi = np.stack([translation_symmetrize(random_branches(1, 7, rng)[0]) for _ in range(2)])
        auto = mi_curve(psi, [0.5, 0.5])
        np.testing.assert_allclose(auto, mi_curve(psi, [0.5, 0.5], ring=False, reflection=False), atol=1e-10)
        with pytest.raises(ValueError, match="reflection"):
            mi_curve(psi, [0.5, 0.5], reflection=True)

    def test_reflection_requires_ring(self) -> None:
        with pytest.raises(ValueError, match="reflection=True"):
            mi_curve(preset_branches("redundant", 6, 1.0), [0.5, 0.5], ring=False, reflection=True)

    @pytest.mark.parametrize("name", ["encoding", "redundant", "partial_degeneracy"])
    def test_reflection_split_on_evolved_presets(self, name: str) -> None:
        psi = preset_branches(name, 9, 2.5)
        p = np.full(psi.shape[0], 1 / psi.shape[0])
        np.testing.assert_allclose(mi_curve(psi, p, reflection=True), mi_curve(psi, p, reflection=False), atol=1e-10)

    def test_ring_requires_translation_invariance(self, rng: np.random.Generator) -> None:
        with pytest.raises(ValueError, match="ring=False"):
            mi_curve(random_branches(2, 5, rng), [0.5, 0.5])

    def test_open_chain_every_m_against_brute_force(self) -> None:
        h = ising_hamiltonian(6, ring=False)
        psi = evolve(product_branches(AXES["redundant"], 6), h, 2.0)
        curve = mi_curve(psi, [0.5, 0.5], ring=False)
        np.testing.assert_allclose(curve[1:6], [brute_mi(psi, np.array([0.5, 0.5]), list(range(m)), 2) for m in range(1, 6)], atol=1e-10)

    def test_m_max_leaves_nan(self) -> None:
        psi = preset_branches("redundant", 9, 1.0)
        full = mi_curve(psi, [0.5, 0.5])
        capped = mi_curve(psi, [0.5, 0.5], m_max=2)
        np.testing.assert_allclose(capped[[0, 1, 2, 7, 8, 9]], full[[0, 1, 2, 7, 8, 9]], atol=1e-12)
        assert np.all(np.isnan(capped[3:7]))

    @given(seed=st.integers(0, 2**31), n=st.integers(3, 7))
    def test_identities_on_evolved_random_axis_states(self, seed: int, n: int) -> None:
        rng = np.random.default_rng(seed)
        ax = rng.standard_normal(3)
        p = random_probs(2, rng)
        psi = evolve(product_branches(np.stack([ax, -ax]), n), ising_hamiltonian(n), float(rng.uniform(0, 5)))
        curve = mi_curve(psi, p)
        s_s = system_entropy(psi, p)
        assert curve[0] == 0.0 and curve[n] == pytest.approx(2 * s_s)
        assert np.all(np.diff(curve) >= -1e-10)
        assert np.all(curve >= -1e-12) and np.all(curve <= 2 * s_s + 1e-12)
        np.testing.assert_allclose(curve + curve[::-1], 2 * s_s, atol=1e-10)

    def test_t0_matches_closed_form(self) -> None:
        axes = np.array([[0.3, 0.8, 0.5], [-0.3, -0.8, -0.5]])
        psi = product_branches(axes, 8)

        class _Setup:
            probs = np.array([0.3, 0.7])

            @staticmethod
            def single_qubit_states() -> np.ndarray:
                return np.stack([qubit_state(a) for a in axes])

        np.testing.assert_allclose(mi_curve(psi, [0.3, 0.7]), t0_mi_curve(_Setup(), 8), atol=1e-10)


class TestReducedBranchStates:
    def test_matches_partial_trace(self, rng: np.random.Generator) -> None:
        psi = random_branches(3, 5, rng)
        rhos = reduced_branch_states(psi, [3, 0])
        assert rhos.shape == (3, 4, 4)
        for k in range(3):
            np.testing.assert_allclose(rhos[k], partial_trace(psi[k], [3, 0], dims=[2] * 5), atol=1e-12)

    def test_unit_trace_and_hermitian(self, rng: np.random.Generator) -> None:
        rhos = reduced_branch_states(random_branches(2, 6, rng), [1, 2, 4])
        np.testing.assert_allclose(np.trace(rhos, axis1=1, axis2=2), 1.0, atol=1e-12)
        np.testing.assert_allclose(rhos, np.conj(np.swapaxes(rhos, 1, 2)), atol=1e-14)

    def test_too_many_sites(self) -> None:
        with pytest.raises(ValueError, match="at most 14"):
            reduced_branch_states(np.eye(1, 2**15), list(range(15)))


class TestHolevo:
    def test_matches_info_holevo(self, rng: np.random.Generator) -> None:
        psi, p = random_branches(3, 6, rng), random_probs(3, rng)
        sites = [0, 4, 5]
        ref = holevo_information(p, list(reduced_branch_states(psi, sites)))
        assert holevo(psi, p, sites) == pytest.approx(ref, abs=1e-10)

    @pytest.mark.parametrize("m", [1, 2, 3, 5])
    def test_bounded_by_mutual_information(self, m: int) -> None:
        psi = preset_branches("redundant", 7, 4.0)
        chi = holevo(psi, [0.5, 0.5], list(range(m)))
        assert 0.0 <= chi <= interval_mutual_information(psi, [0.5, 0.5], list(range(m))) + 1e-12

    def test_empty_fraction(self) -> None:
        assert holevo(np.eye(4)[:2], [0.5, 0.5], []) == 0.0

    def test_large_fraction_uses_small_side(self, rng: np.random.Generator) -> None:
        psi, p = random_branches(2, 7, rng), [0.5, 0.5]
        sites = [0, 1, 2, 3, 4, 5]
        ref = holevo_information(p, list(reduced_branch_states(psi, sites)))
        assert holevo(psi, p, sites) == pytest.approx(ref, abs=1e-10)


class TestT0MiCurve:
    @given(seed=st.integers(0, 2**31), d=st.integers(2, 3), n=st.integers(1, 6))
    def test_matches_gram_route(self, seed: int, d: int, n: int) -> None:
        rng = np.random.default_rng(seed)
        axes = rng.standard_normal((d, 3))
        theta = float(rng.uniform(0, math.pi))
        p = random_probs(d, rng)

        class _Setup:
            probs = p

            @staticmethod
            def single_qubit_states() -> np.ndarray:
                return np.stack([qubit_state(a, theta) for a in axes])

        psi = product_branches(axes, n, theta)
        expected = [interval_mutual_information(psi, p, list(range(m))) for m in range(n + 1)]
        np.testing.assert_allclose(t0_mi_curve(_Setup(), n), expected, atol=1e-9)

    def test_antipodal_plateau(self) -> None:
        class _Setup:
            probs = np.array([0.25, 0.75])

            @staticmethod
            def single_qubit_states() -> np.ndarray:
                return np.array([[1, 1], [1, -1]]) / math.sqrt(2)

        h = shannon_entropy([0.25, 0.75])
        np.testing.assert_allclose(t0_mi_curve(_Setup(), 5), [0, h, h, h, h, 2 * h], atol=1e-12)

    def test_shape_mismatch(self) -> None:
        class _Setup:
            probs = np.array([0.5, 0.5])

            @staticmethod
            def single_qubit_states() -> np.ndarray:
                return np.ones((3, 2))

        with pytest.raises(ValueError, match="single-qubit states"):
            t0_mi_curve(_Setup(), 4)


class TestIterMiCurves:
    def test_matches_independent_evolution_and_reports_progress(self) -> None:
        from qdarwin.thermal import ChaoticIsing, preset
        from qdarwin.thermal.information import iter_mi_curves

        calls: list[tuple[int, int]] = []
        times = [0.0, 0.5, 3.0]
        out = list(iter_mi_curves(ChaoticIsing(8), preset("encoding"), times, progress=lambda i, n, _d: calls.append((i, n))))
        assert [t for t, _ in out] == times and calls == [(1, 3), (2, 3), (3, 3)]
        for t, curve in out:
            np.testing.assert_allclose(curve, mi_curve(preset_branches("encoding", 8, t), [0.5, 0.5], ring=False), atol=1e-10)

    def test_open_chain_computes_every_m(self) -> None:
        from qdarwin.thermal import ChaoticIsing, preset
        from qdarwin.thermal.information import iter_mi_curves

        ((_, curve),) = list(iter_mi_curves(ChaoticIsing(7, boundary="open"), preset("redundant"), [2.0]))
        psi = evolve(product_branches(AXES["redundant"], 7), ising_hamiltonian(7, ring=False), 2.0)
        np.testing.assert_allclose(curve, mi_curve(psi, [0.5, 0.5], ring=False), atol=1e-10)

    def test_refuses_before_allocating(self) -> None:
        from qdarwin.thermal import ChaoticIsing, preset
        from qdarwin.thermal.information import iter_mi_curves
        from qdarwin.thermal.memory import MemoryLimitError

        with pytest.raises(MemoryLimitError, match="largest feasible N"):
            next(iter(iter_mi_curves(ChaoticIsing(30), preset("redundant"), [0.0], memory_limit="1GB")))

    def test_bad_method(self) -> None:
        from qdarwin.thermal import ChaoticIsing, preset
        from qdarwin.thermal.information import iter_mi_curves

        with pytest.raises(ValueError, match="method must be one of"):
            next(iter(iter_mi_curves(ChaoticIsing(6), preset("redundant"), [0.0], method="magic")))


class TestMiDataset:
    def test_contents_and_attributes(self) -> None:
        from qdarwin.thermal import ChaoticIsing, preset
        from qdarwin.thermal.information import mi_dataset

        ds = mi_dataset(ChaoticIsing(8), preset("redundant"), [0.0, 2.0])
        assert ds["I"].dims == ("time", "m") and ds["I"].shape == (2, 9)
        np.testing.assert_allclose(ds["I"].values[1], mi_curve(preset_branches("redundant", 8, 2.0), [0.5, 0.5]), atol=1e-10)
        np.testing.assert_allclose(ds["energy_density"].values, [0.9045084972, -0.9045084972], atol=1e-9)
        assert float(ds["S_S"]) == pytest.approx(1.0) and float(ds["plateau"]) == pytest.approx(1.0)
        assert ds.attrs["units"] == "bit" and ds.attrs["N"] == 8 and ds.attrs["boundary"] == "periodic"
        assert ds.attrs["time_window"] == [20.0, 25.0, 30.0, 35.0, 40.0]
        assert ds.attrs["probs"] == [0.5, 0.5] and len(ds.attrs["axes"]) == 6


class TestBuildMiDataset:
    def test_shape_check_through_xarray(self) -> None:
        from qdarwin.thermal import ChaoticIsing, preset
        from qdarwin.thermal.information import build_mi_dataset

        curves = np.zeros((1, 7))
        ds = build_mi_dataset(ChaoticIsing(6), preset("encoding"), [1.0], curves, method="sector")
        assert ds.attrs["method"] == "sector" and ds["I"].shape == (1, 7)
        with pytest.raises(ValueError):
            build_mi_dataset(ChaoticIsing(6), preset("encoding"), [1.0], np.zeros((1, 5)))


class TestLargestGramM:
    @pytest.mark.parametrize(("n", "ring", "m_max", "expected"), [(20, True, None, 9), (21, True, None, 10), (20, False, None, 10), (20, True, 3, 3)])
    def test_values(self, n: int, ring: bool, m_max: int | None, expected: int) -> None:
        from qdarwin.thermal.information import largest_gram_m

        assert largest_gram_m(n, ring, m_max) == expected
