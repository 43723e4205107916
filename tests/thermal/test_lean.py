"""Tests for the memory-lean I(S:F) route (src/qdarwin/thermal/lean.py, plan.py, run.py, cluster.py).

Independent route: :func:`qdarwin.thermal.information.mi_curve` on the lifted 2^N branch
states (itself checked against brute-force density matrices in test_information.py).
"""

from __future__ import annotations

import numpy as np
import pytest

import qdarwin.thermal.sector as sector_mod
from qdarwin.thermal.evolution import iter_branch_states, iter_sector_coefficients
from qdarwin.thermal.information import mi_curve
from qdarwin.thermal.lean import gram_flops, lean_mi_curve, sector_product_coefficients
from qdarwin.thermal.memory import MemoryLimitError
from qdarwin.thermal.models import ChaoticIsing, preset
import qdarwin.thermal._chebyshev as cheb_mod
import qdarwin.thermal.plan as plan_mod
from qdarwin.thermal.evolution import _real_matvec
from qdarwin.thermal.lean import _column_chunks
from qdarwin.thermal.plan import lean_memory, lean_phases, plan_run, require_fit
from qdarwin.thermal.run import Evolution, as_evolution, late_curve, plan_mi, run_mi, summarize_mi
from qdarwin.thermal.sector import DihedralSector, _orbit_minima, dihedral_sector, sector_dim_bound


def _compare(n: int, name: str, times: list[float], **kw: object) -> float:
    env, setup = ChaoticIsing(n), preset(name)
    sec = dihedral_sector(n)
    worst = 0.0
    lean_states = dict(iter_sector_coefficients(env, setup, times))
    for t, psi in iter_branch_states(env, setup, times):
        ref = mi_curve(psi, setup.probs)
        got = lean_mi_curve(lean_states[t], setup.probs, n, **kw)  # type: ignore[arg-type]
        assert np.allclose(sec.project(psi), lean_states[t], atol=1e-11)
        worst = max(worst, float(np.max(np.abs(ref - got))))
    return worst


class TestLeanEqualsDense:
    @pytest.mark.parametrize("n", [12, 13, 14, 16])
    @pytest.mark.parametrize("name", ["redundant", "encoding"])
    def test_all_m_several_times(self, n: int, name: str) -> None:
        assert _compare(n, name, [0.0, 2.5, 20.0, 40.0]) < 1e-10

    def test_four_branches_and_small_blocks(self) -> None:
        # many column blocks per fraction, d = 4 (partial_degeneracy)
        assert _compare(11, "partial_degeneracy", [0.0, 7.0], block_bytes=4096) < 1e-10

    def test_m_max_leaves_nan(self) -> None:
        s = preset("redundant")
        c = sector_product_coefficients(s, dihedral_sector(12))
        out = lean_mi_curve(c, s.probs, 12, m_max=3)
        assert np.isnan(out[4]) and np.isnan(out[8]) and out[6] == pytest.approx(1.0)
        assert np.isfinite(out[:4]).all() and np.isfinite(out[9:]).all()

    @pytest.mark.slow
    @pytest.mark.parametrize("n", [18, 20])
    def test_large(self, n: int) -> None:
        assert _compare(n, "redundant", [0.0, 30.0]) < 1e-10
        assert _compare(n, "encoding", [25.0]) < 1e-10


class TestSinglePrecision:
    def test_error_small_but_nonzero(self) -> None:
        s, n = preset("redundant"), 14
        (_, c), = list(iter_sector_coefficients(ChaoticIsing(n), s, [20.0]))
        dbl = lean_mi_curve(c, s.probs, n)
        sgl = lean_mi_curve(c, s.probs, n, precision="single")
        err = float(np.max(np.abs(dbl - sgl)))
        assert 0 < err < 1e-5

    def test_bad_precision(self) -> None:
        with pytest.raises(ValueError, match="precision"):
            lean_mi_curve(np.ones((2, 13)), [0.5, 0.5], 6, precision="half")


class TestInputs:
    def test_shape_and_finiteness(self) -> None:
        with pytest.raises(ValueError, match="coeffs"):
            lean_mi_curve(np.ones((2, 12)), [0.5, 0.5], 6)
        bad = np.ones((2, 13), complex)
        bad[0, 0] = np.nan
        with pytest.raises(ValueError, match="finite"):
            lean_mi_curve(bad, [0.5, 0.5], 6)
        with pytest.raises(ValueError, match="probs"):
            lean_mi_curve(np.ones((2, 13)), [0.5, 0.6], 6)

    def test_sector_coefficients_need_ring(self) -> None:
        with pytest.raises(ValueError, match="ring"):
            list(iter_sector_coefficients(ChaoticIsing(6, boundary="open"), preset("redundant"), [0.0]))


class TestLeanOrbitMap:
    def test_chunked_equals_direct(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(sector_mod, "_ORBIT_CHUNK", 64)
        for n in (9, 10, 13):
            sec = DihedralSector(n)
            best = _orbit_minima(n).astype(np.int64)
            reps = np.unique(best)
            assert sec.orbit_index.dtype == np.int32
            assert np.array_equal(sec.representatives, reps)
            assert np.array_equal(reps[sec.orbit_index], best)

    @pytest.mark.parametrize("n", range(3, 19))
    def test_burnside_dimension(self, n: int) -> None:
        assert sector_dim_bound(n) == dihedral_sector(n).dim


class TestPlan:
    def test_dry_run_n28_under_20gib(self) -> None:
        p = plan_run(28, 2, m_max=12, times=[30.0], limit="20GiB")
        assert p.route == "lean" and p.fits and p.peak_bytes < 20 * 2**30
        assert p.dense_bytes > 2 * p.peak_bytes and p.flops > 10**12

    def test_n40_refused_with_largest_feasible(self) -> None:
        p = plan_run(40, 2, m_max=12, times=[30.0], limit="20GiB")
        assert not p.fits
        feasible = max(n for n in range(20, 40) if lean_memory(n, 2, 12) <= 20 * 2**30)
        assert feasible >= 28 and lean_memory(feasible + 1, 2, 12) > 20 * 2**30
        with pytest.raises(MemoryLimitError, match=f"largest feasible N is {feasible}"):
            require_fit(p)

    def test_auto_routes_to_lean_when_dense_does_not_fit(self) -> None:
        env, s = ChaoticIsing(24), preset("redundant")
        assert plan_mi(env, s, [1.0], memory_limit="2GiB").route == "lean"
        assert plan_mi(ChaoticIsing(12), s, [1.0]).route == "dense"
        assert plan_mi(ChaoticIsing(24, boundary="open"), s, [1.0], memory_limit="64GiB").route == "dense"

    def test_lean_memory_grows_and_flops(self) -> None:
        sizes = [lean_memory(n, 2, 12) for n in range(20, 31)]
        assert all(b > a for a, b in zip(sizes, sizes[1:]))
        assert gram_flops(26, 2, 12) > 3 * gram_flops(24, 2, 12)
        assert gram_flops(20, 2, 0) == 0 and gram_flops(20, 2, 10) == 0

    def test_route_errors(self) -> None:
        with pytest.raises(ValueError, match="route"):
            plan_run(12, route="fast")
        with pytest.raises(ValueError, match="lean"):
            plan_run(12, route="lean", ring=False)
        with pytest.raises(ValueError, match="single"):
            plan_mi(ChaoticIsing(12, boundary="open"), preset("redundant"), [0.0], method=Evolution(precision="single"))


class _MemoryStore:
    """The checkpoint interface of PointStore, in memory (counts writes)."""

    def __init__(self) -> None:
        self.points: dict[str, object] = {}
        self.writes = 0

    @staticmethod
    def key_for(params: dict) -> str:
        return repr(sorted(params.items()))

    def has(self, key: str) -> bool:
        return key in self.points

    def get(self, key: str) -> object:
        return self.points[key]

    def put(self, key: str, ds: object, params: dict) -> None:
        self.points[key] = ds
        self.writes += 1


class TestRunMI:
    def test_routes_agree_and_resume(self) -> None:
        env, s = ChaoticIsing(10), preset("encoding")
        store = _MemoryStore()
        lean = run_mi(env, s, [0.0, 5.0], method=Evolution(route="lean"), store=store)
        dense = run_mi(env, s, [0.0, 5.0], method="sector")
        assert lean.attrs["route"] == "lean" and dense.attrs["route"] == "dense"
        assert np.max(np.abs(lean["I"].values - dense["I"].values)) < 1e-10
        again = run_mi(env, s, [0.0, 5.0, 9.0], method=Evolution(route="lean"), store=store)
        assert (again.attrs["computed"], again.attrs["reused"], store.writes) == (1, 2, 3)
        assert np.array_equal(again["I"].values[:2], lean["I"].values)

    def test_method_objects_and_strings(self) -> None:
        assert as_evolution("full") == Evolution("full")
        with pytest.raises(ValueError, match="method"):
            as_evolution("fast")
        with pytest.raises(ValueError, match="method"):
            as_evolution(3)  # type: ignore[arg-type]

    def test_summary_late_window(self) -> None:
        ds = run_mi(ChaoticIsing(8), preset("redundant"), [0.0, 22.0, 31.0, 50.0])
        late, label, used = late_curve(ds)
        assert used == [22.0, 31.0] and "22, 31" in label
        assert np.allclose(late, ds["I"].values[1:3].mean(axis=0))
        only_early = run_mi(ChaoticIsing(6), preset("redundant"), [0.0, 1.0])
        assert "no grid time in the late window" in summarize_mi(only_early)["late_curve"]
        with pytest.raises(ValueError, match="delta"):
            summarize_mi(ds, 1.5)


def test_two_worker_cluster_equals_single_process() -> None:
    from qdarwin.thermal.cluster import dask_client

    env, s = ChaoticIsing(12), preset("redundant")
    single = run_mi(env, s, [0.0, 6.0], method=Evolution(route="lean"))
    with dask_client(2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        dist = run_mi(env, s, [0.0, 6.0], method=Evolution(route="lean"), client=client)
    assert np.max(np.abs(dist["I"].values - single["I"].values)) < 1e-10


def test_cluster_arguments() -> None:
    from qdarwin.thermal.cluster import dask_client

    with pytest.raises(ValueError, match="exactly one"):
        with dask_client():
            pass
    with pytest.raises(ValueError, match="workers"):
        with dask_client(0):
            pass


class TestLeanMemory:
    """The lean route's memory: no 2^(N - m) index arrays, no complex copy of the matrix, and a
    model that bounds the traced peak (numpy reports its buffers to tracemalloc)."""

    def test_real_matvec_never_upcasts(self) -> None:
        rng = np.random.default_rng(3)
        mat = dihedral_sector(10).hamiltonian(ChaoticIsing(10))
        for shape in [(mat.shape[0],), (mat.shape[0], 2), (mat.shape[0], 3)]:
            v = rng.normal(size=shape) + 1j * rng.normal(size=shape)
            assert np.allclose(_real_matvec(mat)(v), mat.toarray() @ v, atol=1e-12)
            assert np.allclose(_real_matvec(mat)(v.real), mat.toarray() @ v.real, atol=1e-12)

    def test_step_route_equals_windowed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        env, setup = ChaoticIsing(12), preset("redundant")
        times = [0.0, 3.0, 7.5]
        windowed = dict(iter_sector_coefficients(env, setup, times))
        monkeypatch.setattr(cheb_mod, "ACC_BUDGET", 1000)  # forces plain step-by-step propagation
        stepped = dict(iter_sector_coefficients(env, setup, times))
        for t in times:
            assert np.allclose(windowed[t], stepped[t], atol=1e-11)

    @pytest.mark.parametrize("n,m", [(9, 4), (12, 5), (13, 2)])
    def test_column_chunks_tile_the_complement(self, n: int, m: int) -> None:
        chunks = _column_chunks(n, m, 2, 16 * 2 * 2**m * 5)
        assert chunks[0][0] == 0 and chunks[-1][1] == 2 ** (n - m)
        assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:]))
        assert _compare(n, "encoding", [2.0], block_bytes=16 * 2 * 2**m * 5) < 1e-10

    @pytest.mark.parametrize("n,m,acc,block", [(16, 7, 1000, 2**16), (18, 8, 1000, 2**16),
                                               (18, 8, 128 * 2**20, 2**16), (19, 9, 1000, 2**18)])
    def test_traced_peak_within_model(self, monkeypatch: pytest.MonkeyPatch, n: int, m: int, acc: int,
                                      block: int) -> None:
        import tracemalloc

        monkeypatch.setattr(cheb_mod, "ACC_BUDGET", acc)
        monkeypatch.setattr(plan_mod, "ACC_BUDGET", acc)
        setup = preset("redundant")
        dihedral_sector.cache_clear()
        tracemalloc.start()
        try:
            for _, c in iter_sector_coefficients(ChaoticIsing(n), setup, [3.0]):
                lean_mi_curve(c, setup.probs, n, m_max=m, block_bytes=block)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        model = max(lean_phases(n, 2, m, block_bytes=block).values())
        assert peak <= model
        if acc == 1000:  # no fixed series buffers: the size-dependent terms dominate the model
            assert peak >= 0.2 * model

    def test_phases_scale(self) -> None:
        small, big = lean_phases(24, 2, 12), lean_phases(28, 2, 12)
        assert big["build"] > 8 * small["build"] and max(big.values()) > 4 * max(small.values())
        assert lean_memory(28, 2, 12) == int(1.3 * max(big.values())) + int(0.2 * 2**30)


class TestDatasetSummary:
    """The dataset's S(S) and energy densities come from closed forms (no 2^N vectors: at
    N = 28 the vector route took 18 GB after the curves were done)."""

    @pytest.mark.parametrize("name", ["redundant", "encoding", "partial_degeneracy"])
    @pytest.mark.parametrize("n", [5, 9, 12])
    def test_closed_forms_equal_vectors(self, name: str, n: int) -> None:
        from qdarwin.thermal.gram_mi import system_entropy
        from qdarwin.thermal.information import _initial_branch_summary

        env, s = ChaoticIsing(n), preset(name)
        psi = s.initial_branches(n)
        e, s_s = _initial_branch_summary(env, s, 2.0)
        np.testing.assert_allclose(e, [float(np.real(env.energy(v))) / n for v in psi], atol=1e-12)
        assert s_s == pytest.approx(system_entropy(psi, s.probs), abs=1e-12)

    def test_no_full_vectors(self) -> None:
        import tracemalloc

        from qdarwin.thermal.information import _initial_branch_summary

        tracemalloc.start()
        try:
            _initial_branch_summary(ChaoticIsing(24), preset("redundant"), 2.0)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2**20  # a 2^24 branch vector alone is 256 MiB
