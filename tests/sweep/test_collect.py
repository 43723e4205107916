"""Tests for qdarwin.sweep.collect: status counts and the combined Dataset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qdarwin.io.store import PointStore
from qdarwin.sweep import Sweep, collect_sweep, run_sweep, sweep_status
from qdarwin.sweep.execute import SWEEP_FILE


def _entropy(p: list[float]) -> Sweep:
    return Sweep("info.binary_entropy", grid={"p": p})


class TestSweepStatus:
    def test_counts(self, tmp_path: Path) -> None:
        run_sweep(_entropy([0.5, 1.5, 0.25]), tmp_path)
        run_sweep_later = _entropy([0.5, 1.5, 0.25, 0.75])
        from qdarwin.io.results import write_json

        write_json(tmp_path / SWEEP_FILE, run_sweep_later.to_spec())  # as if a larger run had been started
        st = sweep_status(tmp_path)
        assert (st.total, st.done, st.failed, st.pending) == (4, 2, 1, 1)
        assert st.dims == ("p",) and st.shape == (4,) and st.function == "info.binary_entropy"
        (err,) = st.errors.values()
        assert err["params"] == {"p": 1.5} and err["error_type"] == "ValueError"

    def test_missing_dir(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError, match="no such result directory"):
            sweep_status(tmp_path / "absent")

    def test_not_a_sweep_dir(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="not a sweep result directory"):
            sweep_status(tmp_path)

    def test_falls_back_to_manifest(self, tmp_path: Path) -> None:
        run_sweep(_entropy([0.5]), tmp_path)
        (tmp_path / SWEEP_FILE).unlink()
        assert sweep_status(tmp_path).done == 1


class TestCollectSweep:
    def test_declared_axis_order_and_attrs(self, tmp_path: Path) -> None:
        run_sweep(Sweep("demo.random_walk", grid={"drift": [1.0, -1.0, 0.0]}, fixed={"n_steps": 3}, seeds=[7, 2]), tmp_path)
        ds = collect_sweep(tmp_path)
        assert ds["drift"].values.tolist() == [1.0, -1.0, 0.0] and ds["seed"].values.tolist() == [7, 2]
        expected = np.cumsum(np.random.default_rng(2).standard_normal(3) - 1.0)
        np.testing.assert_array_equal(ds["position"].sel(drift=-1.0, seed=2).values, expected)
        assert ds.attrs["param_n_steps"] == 3 and ds.attrs["n_points"] == 6 and ds.attrs["grid_complete"] == 1
        assert '"function": "demo.random_walk"' in ds.attrs["sweep_spec"]

    def test_missing_points_nan_in_declared_order(self, tmp_path: Path) -> None:
        run_sweep(_entropy([0.5, 0.0]), tmp_path)
        ds = collect_sweep(tmp_path, sweep=_entropy([0.25, 0.5, 0.0]))
        assert ds["p"].values.tolist() == [0.25, 0.5, 0.0]
        np.testing.assert_array_equal(ds["entropy"].values, [np.nan, 1.0, 0.0])
        assert ds.attrs["grid_complete"] == 0 and ds.attrs["n_finished"] == 2
        with pytest.raises(ValueError, match="1 of 3 points are not finished"):
            collect_sweep(tmp_path, sweep=_entropy([0.25, 0.5, 0.0]), require_complete=True)

    def test_only_points_of_the_sweep(self, tmp_path: Path) -> None:
        run_sweep(_entropy([0.5, 0.0, 0.25]), tmp_path)
        ds = collect_sweep(tmp_path, sweep=_entropy([0.0]))
        assert ds["entropy"].values.tolist() == [0.0]
        assert len(PointStore(tmp_path).keys()) == 3

    def test_nothing_finished(self, tmp_path: Path) -> None:
        run_sweep(_entropy([2.0]), tmp_path)
        with pytest.raises(ValueError, match="no finished points of this sweep"):
            collect_sweep(tmp_path)
