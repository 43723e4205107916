"""Tests for qdarwin.sweep.execute: serial and LocalCluster execution, resume, failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr

from qdarwin.io.store import PointStore
from qdarwin.sweep import LocalDask, Serial, Sweep, collect_sweep, register, run_sweep
from qdarwin.sweep.execute import DaskScheduler, run_point

CALLS: list[dict[str, Any]] = []


def counted_square(x: float, offset: float = 0.0) -> dict[str, float]:
    """Test function: records every call, returns x**2 + offset."""
    CALLS.append({"x": x, "offset": offset})
    if x < 0:
        raise ArithmeticError(f"negative x={x}")
    return {"y": x * x + offset}


def blas_info(x: float) -> dict[str, int]:
    """Test function: the number of BLAS threads in force inside the task."""
    from threadpoolctl import threadpool_info

    blas = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return {"max_blas_threads": max(blas) if blas else 1}


register("test.counted_square", counted_square)
register("test.blas_info", blas_info)


def _walk() -> Sweep:
    return Sweep("demo.random_walk", grid={"n_steps": [0, 6], "drift": [0.0, 0.5]}, seeds=3)


def _stamps(store: PointStore) -> dict[str, tuple[int, int]]:
    return {k: ((p := store.points_dir / f"{k}.nc").stat().st_ino, p.stat().st_mtime_ns) for k in store.keys()}


class TestRunPoint:
    def test_returns_dataset_without_root(self) -> None:
        status, key, ds = run_point(counted_square, {"x": 3.0}, None)
        assert status == "ok" and key == PointStore.key_for({"x": 3.0}) and float(ds["y"]) == 9.0

    def test_error_with_traceback_without_root(self) -> None:
        status, _, (etype, msg, tb) = run_point(counted_square, {"x": -1.0}, None)
        assert (status, etype, msg) == ("error", "ArithmeticError", "negative x=-1.0") and "counted_square" in tb

    def test_writes_with_root(self, tmp_path: Path) -> None:
        assert run_point(counted_square, {"x": 2.0}, str(tmp_path)) == ("ok", PointStore.key_for({"x": 2.0}), None)
        assert float(PointStore(tmp_path).get(PointStore.key_for({"x": 2.0}))["y"]) == 4.0


class TestRunSweep:
    def test_serial_values(self, tmp_path: Path) -> None:
        run = run_sweep(Sweep("test.counted_square", grid={"x": [1.0, 2.0, 3.0]}, fixed={"offset": 0.5}), tmp_path)
        assert (run.total, run.computed, run.skipped, run.failed, run.complete) == (3, 3, 0, 0, True)
        ds = collect_sweep(tmp_path)
        np.testing.assert_array_equal(ds["y"].values, [1.5, 4.5, 9.5])
        assert ds.attrs["param_offset"] == 0.5 and ds.attrs["sweep_function"] == "test.counted_square"

    def test_random_walk_matches_direct_numpy(self, tmp_path: Path) -> None:
        run_sweep(Sweep("demo.random_walk", grid={"drift": [0.0, 2.0]}, fixed={"n_steps": 5}, seeds=[3, 4]), tmp_path)
        ds = collect_sweep(tmp_path)
        for drift in (0.0, 2.0):
            for seed in (3, 4):
                expected = np.cumsum(np.random.default_rng(seed).standard_normal(5) + drift)
                np.testing.assert_array_equal(ds["position"].sel(drift=drift, seed=seed).values, expected)

    def test_resume_skips_finished_points(self, tmp_path: Path) -> None:
        sweep = Sweep("test.counted_square", grid={"x": [1.0, 2.0, 3.0, 4.0]})
        CALLS.clear()
        ticks: list[tuple[int, int, int]] = []

        def stop_after_two(done: int, total: int, failed: int) -> None:
            ticks.append((done, total, failed))
            if done == 2:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            run_sweep(sweep, tmp_path, progress=stop_after_two)
        store = PointStore(tmp_path)
        before = _stamps(store)
        assert len(before) == 2 and len(CALLS) == 2 and ticks == [(0, 4, 0), (1, 4, 0), (2, 4, 0)]
        run = run_sweep(sweep, tmp_path)
        assert (run.skipped, run.computed) == (2, 2) and len(CALLS) == 4
        after = _stamps(store)
        assert {k: after[k] for k in before} == before
        np.testing.assert_array_equal(collect_sweep(tmp_path)["y"].values, [1.0, 4.0, 9.0, 16.0])
        assert run_sweep(sweep, tmp_path).computed == 0 and len(CALLS) == 4

    def test_changed_grid_computes_only_new_points(self, tmp_path: Path) -> None:
        CALLS.clear()
        run_sweep(Sweep("test.counted_square", grid={"x": [1.0, 2.0]}), tmp_path)
        before = _stamps(PointStore(tmp_path))
        run = run_sweep(Sweep("test.counted_square", grid={"x": [3.0, 1.0, 2.0]}), tmp_path)
        assert (run.skipped, run.computed) == (2, 1) and [c["x"] for c in CALLS] == [1.0, 2.0, 3.0]
        assert {k: v for k, v in _stamps(PointStore(tmp_path)).items() if k in before} == before
        ds = collect_sweep(tmp_path)
        np.testing.assert_array_equal(ds["x"].values, [3.0, 1.0, 2.0])
        np.testing.assert_array_equal(ds["y"].values, [9.0, 1.0, 4.0])
        assert PointStore(tmp_path).spec_changed is False and len(PointStore(tmp_path).spec_history()) == 2

    def test_failures_recorded_others_continue(self, tmp_path: Path) -> None:
        sweep = Sweep("test.counted_square", grid={"x": [-1.0, 2.0, -3.0, 4.0]})
        ticks: list[tuple[int, int, int]] = []
        run = run_sweep(sweep, tmp_path, progress=lambda *a: ticks.append(a))
        assert (run.computed, run.failed, run.complete) == (2, 2, False)
        assert ticks[-1] == (2, 4, 2)
        assert sorted(run.errors.values()) == ["ArithmeticError: negative x=-1.0", "ArithmeticError: negative x=-3.0"]
        errs = PointStore(tmp_path).errors()
        assert {e["params"]["x"] for e in errs.values()} == {-1.0, -3.0}
        assert all("Traceback" in e["traceback"] for e in errs.values())
        ds = collect_sweep(tmp_path)
        np.testing.assert_array_equal(ds["y"].values, [np.nan, 4.0, np.nan, 16.0])
        assert ds.attrs["n_failed"] == 2 and ds.attrs["grid_complete"] == 0

    def test_retry_failed(self, tmp_path: Path) -> None:
        sweep = Sweep("test.counted_square", grid={"x": [-1.0, 2.0]})
        run_sweep(sweep, tmp_path)
        CALLS.clear()
        run = run_sweep(sweep, tmp_path, retry_failed=False)
        assert (run.computed, run.failed, run.skipped) == (0, 0, 1) and CALLS == []
        run = run_sweep(sweep, tmp_path)
        assert run.failed == 1 and CALLS == [{"x": -1.0, "offset": 0.0}]

    def test_client_writer_same_result(self, tmp_path: Path) -> None:
        run_sweep(_walk(), tmp_path / "w")
        run_sweep(_walk(), tmp_path / "c", write="client")
        xr.testing.assert_identical(collect_sweep(tmp_path / "w").drop_attrs(), collect_sweep(tmp_path / "c").drop_attrs())
        assert PointStore(tmp_path / "c").errors().keys() == PointStore(tmp_path / "w").errors().keys()

    def test_blas_limited_inside_task(self, tmp_path: Path) -> None:
        run_sweep(Sweep("test.blas_info", grid={"x": [0.0]}), tmp_path)
        assert collect_sweep(tmp_path)["max_blas_threads"].values.tolist() == [1]

    def test_invalid_sweep_writes_nothing(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="unknown parameter"):
            run_sweep(Sweep("test.counted_square", grid={"z": [1.0]}), tmp_path / "out")
        assert not (tmp_path / "out").exists()

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [({"write": "disk"}, "write must be"), ({"executor": "dask"}, "executor must be")],
    )
    def test_bad_options(self, tmp_path: Path, kwargs: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            run_sweep(Sweep("test.counted_square", grid={"x": [1.0]}), tmp_path, **kwargs)

    def test_not_a_sweep(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="must be a qdarwin.sweep.Sweep"):
            run_sweep({"function": "x"}, tmp_path)  # type: ignore[arg-type]


class TestExecutors:
    @pytest.mark.parametrize("bad", [0, -1, 1.5, True])
    def test_local_dask_validates(self, bad: object) -> None:
        with pytest.raises(ValueError, match="n_workers must be a positive integer"):
            LocalDask(n_workers=bad)  # type: ignore[arg-type]

    def test_scheduler_address_required(self) -> None:
        with pytest.raises(ValueError, match="scheduler address"):
            DaskScheduler("  ")

    def test_unreachable_scheduler(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="cannot connect to Dask scheduler tcp://127.0.0.1:9"):
            run_sweep(_walk(), tmp_path, executor=DaskScheduler("tcp://127.0.0.1:9", timeout=1.0))


class TestLocalCluster:
    def test_two_process_workers_equal_serial_exactly(self, tmp_path: Path) -> None:
        serial = run_sweep(_walk(), tmp_path / "serial", executor=Serial())
        ticks: list[tuple[int, int, int]] = []
        dask = run_sweep(_walk(), tmp_path / "dask", executor=LocalDask(n_workers=2), progress=lambda *a: ticks.append(a))
        assert (dask.computed, dask.failed) == (serial.computed, serial.failed) == (6, 6)
        assert ticks[0] == (0, 12, 0) and ticks[-1] == (6, 12, 6) and len(ticks) == 13
        a, b = collect_sweep(tmp_path / "serial"), collect_sweep(tmp_path / "dask")
        xr.testing.assert_identical(a.drop_attrs(), b.drop_attrs())
        assert np.array_equal(a["position"].values, b["position"].values, equal_nan=True)
        assert set(PointStore(tmp_path / "dask").errors()) == set(PointStore(tmp_path / "serial").errors())
        err = next(iter(PointStore(tmp_path / "dask").errors().values()))
        assert err["error"] == "n_steps must be >= 1, got 0" and "random_walk" in err["traceback"]
