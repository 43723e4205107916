"""Tests of qdarwin.thermal.evolution (sector, Chebyshev, expm_multiply, dense)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.info import mutual_information
from qdarwin.thermal.evolution import (
    chebyshev_propagate,
    evolve_branches,
    iter_branch_states,
    spectral_bounds,
)
from qdarwin.thermal.memory import MemoryLimitError
from qdarwin.thermal.models import (
    BroadcastSetup,
    ChaoticIsing,
    SKEnvironment,
    encoding,
    partial_degeneracy,
    redundant,
)
from tests.systems import kron_all

TIMES = [0.0, 0.3, 2.0, 7.5, 25.0]


def exact(env: ChaoticIsing | SKEnvironment, psi0: np.ndarray, times: list[float]) -> np.ndarray:
    """Reference: scipy.linalg.expm of the dense Hamiltonian (independent of the solvers)."""
    h = env.to_sparse().toarray()
    return np.stack([psi0 @ sla.expm(-1j * h * t).T for t in times])


def random_product_branches(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    out = []
    for _ in range(d):
        qubits = rng.standard_normal((n, 2)) + 1j * rng.standard_normal((n, 2))
        qubits /= np.linalg.norm(qubits, axis=1, keepdims=True)
        out.append(kron_all(*[q.reshape(2, 1) for q in qubits]).ravel())
    return np.array(out)


class TestIterBranchStates:
    @pytest.mark.parametrize("n", [8, 10])
    def test_methods_agree_on_ring(self, n: int) -> None:
        env = ChaoticIsing(n)
        setup = BroadcastSetup([[0.3, 0.8, 0.5], [0, -1, 0]])
        methods = ["sector", "full", "expm"] + (["dense"] if n <= 8 else [])
        res = {m: evolve_branches(env, setup, TIMES, method=m) for m in methods}
        ref = exact(env, setup.initial_branches(n), TIMES) if n <= 8 else res["full"]
        for m in methods:
            assert np.max(np.linalg.norm(res[m] - ref, axis=-1)) <= 1e-10, m

    def test_sector_chebyshev_path(self) -> None:
        # force the sparse-sector Chebyshev route at a size where dense is the default
        env = ChaoticIsing(10)
        a = evolve_branches(env, redundant(), TIMES, method="sector", sector_dense_max=10)
        b = evolve_branches(env, redundant(), TIMES, method="sector")
        assert np.max(np.linalg.norm(a - b, axis=-1)) <= 1e-10

    def test_sector_chebyshev_with_lanczos_bounds(self) -> None:
        # N = 14: sector dimension 687 uses Lanczos-estimated spectral bounds
        env = ChaoticIsing(14)
        times = [0.0, 0.1, 3.0, 3.0, 17.0]
        a = evolve_branches(env, encoding(), times, method="sector", sector_dense_max=10)
        b = evolve_branches(env, encoding(), times, method="sector", sector_dense_max=1000)
        assert np.max(np.linalg.norm(a - b, axis=-1)) <= 1e-10

    def test_sk_lanczos_bounds(self, rng: np.random.Generator) -> None:
        env = SKEnvironment(9, seed=5)
        psi0 = random_product_branches(9, 2, rng)
        a = evolve_branches(env, psi0, [0.5, 4.0], method="full")
        b = evolve_branches(env, psi0, [0.5, 4.0], method="expm")
        assert np.max(np.linalg.norm(a - b, axis=-1)) <= 1e-10

    def test_open_chain_and_nonuniform_states(self, rng: np.random.Generator) -> None:
        env = ChaoticIsing(7, boundary="open", hz=0.2)
        psi0 = random_product_branches(7, 3, rng)
        ref = exact(env, psi0, TIMES)
        for m in ("auto", "full", "expm", "dense"):
            out = evolve_branches(env, psi0, TIMES, method=m)
            assert np.max(np.linalg.norm(out - ref, axis=-1)) <= 1e-10, m

    def test_nonuniform_state_on_ring(self, rng: np.random.Generator) -> None:
        env = ChaoticIsing(7)
        psi0 = random_product_branches(7, 2, rng)
        ref = exact(env, psi0, TIMES)
        out = evolve_branches(env, psi0, TIMES)  # auto falls back to the full space
        assert np.max(np.linalg.norm(out - ref, axis=-1)) <= 1e-10
        with pytest.raises(ValueError, match='method="full"'):
            evolve_branches(env, psi0, TIMES, method="sector")

    def test_explicit_uniform_branches_use_sector(self) -> None:
        env = ChaoticIsing(9)
        b0 = encoding().initial_branches(9)
        a = evolve_branches(env, b0, TIMES)
        b = evolve_branches(env, encoding(), TIMES, method="full")
        assert np.max(np.linalg.norm(a - b, axis=-1)) <= 1e-10

    def test_sk_environment(self, rng: np.random.Generator) -> None:
        env = SKEnvironment(6, seed=2)
        psi0 = random_product_branches(6, 2, rng)
        ref = exact(env, psi0, TIMES)
        for m in ("auto", "full", "expm", "dense"):
            out = evolve_branches(env, psi0, TIMES, method=m)
            assert np.max(np.linalg.norm(out - ref, axis=-1)) <= 1e-10, m
        with pytest.raises(ValueError, match="ChaoticIsing ring"):
            evolve_branches(env, psi0, TIMES, method="sector")

    def test_matches_qutip(self) -> None:
        import qutip

        env = ChaoticIsing(6)
        setup = redundant()
        h = qutip.Qobj(env.to_sparse().toarray())
        psi0 = setup.initial_branches(6)[0]
        res = qutip.sesolve(h, qutip.Qobj(psi0), [0.0, 1.0, 4.0], options={"atol": 1e-12, "rtol": 1e-12})
        ours = evolve_branches(env, setup, [0.0, 1.0, 4.0])[:, 0]
        for k, state in enumerate(res.states):
            assert np.linalg.norm(state.full().ravel() - ours[k]) < 1e-8

    def test_conservation(self) -> None:
        env = ChaoticIsing(10)
        for _, b in iter_branch_states(env, redundant(), [0, 5, 40]):
            assert np.allclose(np.linalg.norm(b, axis=1), 1, atol=1e-12)
            assert np.allclose(env.energy(b) / 10, [0.9045084972, -0.9045084972], atol=1e-9)
            # overlaps (hence S(S)) are time independent
            assert abs(np.vdot(b[0], b[1])) < 1e-12

    # spec §15 B (N = 10, ring): I(S:F_m), checked by a brute-force Schmidt route
    @pytest.mark.parametrize(
        ("setup", "t", "values"),
        [
            (redundant(), 2.0, [0.1212807, 0.3558931, 0.5618225, 0.7440447]),
            (redundant(), 10.0, [0.1992012, 0.4146609, 0.5675697, 0.7517803]),
            (encoding(), 5.0, [0.0068759, 0.0247652, 0.0877491, 0.3209197]),
            (partial_degeneracy(), 10.0, [0.1165511, 0.2851493, 0.5224590, 1.0157135]),  # §15 D
        ],
    )
    def test_reference_mutual_information(self, setup: BroadcastSetup, t: float, values: list[float]) -> None:
        n = 10
        ((_, b),) = list(iter_branch_states(ChaoticIsing(n), setup, [t]))
        glob = (np.sqrt(setup.probs)[:, None] * b).ravel()  # system first
        for m, ref in enumerate(values, start=1):
            i = mutual_information(glob, [0], list(range(1, m + 1)), dims=[setup.d] + [2] * n)
            assert i == pytest.approx(ref, abs=1e-6)

    def test_order_duplicates_and_progress(self) -> None:
        env = ChaoticIsing(6)
        calls: list[tuple[int, int, str]] = []
        out = list(iter_branch_states(env, redundant(), [3.0, 1.0, 3.0], progress=lambda *a: calls.append(a)))
        assert [t for t, _ in out] == [1.0, 3.0, 3.0]
        assert np.allclose(out[1][1], out[2][1])
        assert calls == [(1, 3, "evolve"), (2, 3, "evolve"), (3, 3, "evolve")]
        arr = evolve_branches(env, redundant(), [3.0, 1.0])
        assert np.allclose(arr[0], out[1][1]) and np.allclose(arr[1], out[0][1])

    @pytest.mark.parametrize(
        ("times", "match"),
        [([-1.0], ">= 0"), ([np.nan], "NaN"), ([[1.0]], "1-D"), ([1j], "real")],
    )
    def test_time_validation(self, times: list, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            iter_branch_states(ChaoticIsing(4), redundant(), times)

    def test_input_validation(self) -> None:
        env = ChaoticIsing(4)
        with pytest.raises(ValueError, match="method must be one of"):
            iter_branch_states(env, redundant(), [1.0], method="rk4")
        with pytest.raises(ValueError, match="normalised"):
            iter_branch_states(env, 2 * np.eye(16)[:2], [1.0])
        with pytest.raises(ValueError, match=r"\(d, 2\*\*N\)"):
            iter_branch_states(env, np.ones((2, 8)), [1.0])
        with pytest.raises(ValueError, match="env must be"):
            iter_branch_states("ising", redundant(), [1.0])  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="dense"):
            iter_branch_states(ChaoticIsing(13), redundant(), [1.0], method="dense")

    def test_memory_guard_before_allocation(self) -> None:
        with pytest.raises(MemoryLimitError, match="largest feasible N"):
            iter_branch_states(ChaoticIsing(40), redundant(), [1.0])
        with pytest.raises(MemoryLimitError, match="memory limit"):
            iter_branch_states(ChaoticIsing(20), redundant(), [1.0], memory_limit="10MB")


class TestEvolveBranches:
    def test_shape_and_initial_state(self) -> None:
        setup = BroadcastSetup([[1, 0, 0], [0, 1, 0], [0, 0, 1]], theta=0.4)
        out = evolve_branches(ChaoticIsing(5), setup, [0.0, 1.0])
        assert out.shape == (2, 3, 32)
        assert np.allclose(out[0], setup.initial_branches(5))

    def test_validation_and_memory(self) -> None:
        with pytest.raises(ValueError, match="env must be"):
            evolve_branches(None, redundant(), [1.0])  # type: ignore[arg-type]
        with pytest.raises(MemoryLimitError, match="stored time steps"):
            evolve_branches(ChaoticIsing(16), redundant(), np.arange(100.0), memory_limit="50MB")

    def test_single_branch_vector(self) -> None:
        psi = np.full(16, 0.25, dtype=complex)
        out = evolve_branches(ChaoticIsing(4, boundary="open"), psi, [0.5])
        assert out.shape == (1, 1, 16)


class TestChebyshevPropagate:
    @given(st.integers(0, 2**32 - 1), st.floats(0.0, 30.0))
    def test_matches_expm(self, seed: int, dt: float) -> None:
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((6, 6)) + 1j * rng.standard_normal((6, 6))
        h = a + a.conj().T
        psi = rng.standard_normal((6, 2)) + 0j
        bound = float(np.abs(h).sum(axis=1).max())
        out = chebyshev_propagate(lambda v: h @ v, psi, dt, emin=-bound, emax=bound)
        assert np.allclose(out, sla.expm(-1j * h * dt) @ psi, atol=1e-11)

    def test_long_interval_split(self) -> None:
        h = np.diag([3.0, -2.0])
        psi = np.array([1.0, 1.0], dtype=complex) / math.sqrt(2)
        out = chebyshev_propagate(lambda v: h @ v, psi, 1500.0, emin=-3, emax=3)
        assert np.allclose(out, np.exp(-1j * np.diag(h) * 1500.0) * psi, atol=1e-9)

    def test_validation(self) -> None:
        with pytest.raises(ValueError, match="emax > emin"):
            chebyshev_propagate(lambda v: v, np.ones(2, complex), 1.0, emin=1.0, emax=1.0)
        with pytest.raises(ValueError, match="dt must be >= 0"):
            chebyshev_propagate(lambda v: v, np.ones(2, complex), -1.0, emin=-1.0, emax=1.0)


class TestChebyshevTimes:
    """The multi-time kernel behind methods "sector" and "full" (windows, long gaps)."""

    @pytest.mark.parametrize("real", [True, False])
    def test_windows_and_gaps(self, monkeypatch: pytest.MonkeyPatch, real: bool, rng: np.random.Generator) -> None:
        from qdarwin.thermal import _chebyshev

        monkeypatch.setattr(_chebyshev, "ACC_BUDGET", 3000)  # a few times per window, small blocks
        monkeypatch.setattr(_chebyshev, "CHEB_MAX_X", 40.0)  # forces long-gap steps
        a = rng.standard_normal((12, 12))
        h = a + a.T if real else (a + 1j * rng.standard_normal((12, 12)))
        h = 0.5 * (h + h.conj().T)
        psi0 = rng.standard_normal((12, 3)) + 1j * rng.standard_normal((12, 3))
        times = np.array([0.0, 0.0, 0.2, 1.0, 1.5, 9.0, 9.0, 30.0, 31.0])
        bound = float(np.abs(h).sum(axis=1).max())
        out = list(_chebyshev.chebyshev_times(lambda v: h @ v, psi0, times, -bound, bound, real=real, axis=1))
        assert len(out) == times.size
        for t, state in zip(times, out):
            assert np.allclose(state, sla.expm(-1j * h * t) @ psi0, atol=1e-11)


    def test_step_by_step_for_huge_blocks(self, monkeypatch: pytest.MonkeyPatch, rng: np.random.Generator) -> None:
        from qdarwin.thermal import _chebyshev

        monkeypatch.setattr(_chebyshev, "ACC_BUDGET", 10)  # every block counts as huge
        h = np.diag(rng.standard_normal(5))
        h[0, 1] = h[1, 0] = 0.7
        psi0 = rng.standard_normal((5, 1)) + 0j
        times = np.array([0.0, 0.5, 2.0])
        out = list(_chebyshev.chebyshev_times(lambda v: h @ v, psi0, times, -4.0, 4.0, real=True, axis=1))
        for t, state in zip(times, out):
            assert np.allclose(state, sla.expm(-1j * h * t) @ psi0, atol=1e-12)


class TestSpectralBounds:
    @pytest.mark.parametrize(
        "env",
        [ChaoticIsing(6), ChaoticIsing(5, boundary="open", hx=-0.7, J=-1.2), SKEnvironment(5, seed=1)],
    )
    def test_contains_spectrum(self, env: ChaoticIsing | SKEnvironment) -> None:
        lo, hi = spectral_bounds(env)
        ev = np.linalg.eigvalsh(env.to_sparse().toarray())
        assert lo <= ev[0] and ev[-1] <= hi

    def test_rejects_other_objects(self) -> None:
        with pytest.raises(ValueError, match="env must be"):
            spectral_bounds(np.eye(2))  # type: ignore[arg-type]
