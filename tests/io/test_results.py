"""Tests for qdarwin.io.results: atomic writes, NetCDF round trip, provenance."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from qdarwin.io import atomic_write, load_dataset, load_table_file, load_toml, provenance, save_dataset, write_json


class TestAtomicWrite:
    def test_failure_leaves_target_untouched(self, tmp_path: Path) -> None:
        target = tmp_path / "a.txt"
        target.write_text("old")
        with pytest.raises(RuntimeError):
            with atomic_write(target) as tmp:
                tmp.write_text("new")
                raise RuntimeError("crash")
        assert target.read_text() == "old"
        assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]

    def test_success_replaces(self, tmp_path: Path) -> None:
        target = tmp_path / "sub" / "a.txt"
        with atomic_write(target) as tmp:
            tmp.write_text("new")
        assert target.read_text() == "new"


class TestSaveDataset:
    def test_round_trip_with_complex_and_attrs(self, tmp_path: Path) -> None:
        ds = xr.Dataset(
            {"I": (("time", "m"), np.arange(6.0).reshape(2, 3)), "gamma": ("k", np.array([1 + 2j, 3 - 1j]))},
            coords={"time": [0.0, 1.0], "m": [0, 1, 2]},
            attrs={"units": "bit", "axes": [[1, 0, 0], [-1, 0, 0]], "flag": True, "note": None},
        )
        path = save_dataset(ds, tmp_path / "r.nc")
        back = load_dataset(path)
        np.testing.assert_array_equal(back["I"].values, ds["I"].values)
        np.testing.assert_array_equal(back["gamma"].values, ds["gamma"].values)
        assert back.attrs["units"] == "bit"
        assert json.loads(back.attrs["axes"]) == [[1, 0, 0], [-1, 0, 0]]
        assert "qdarwin_version" in back.attrs and "git_hash" in back.attrs

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            load_dataset(tmp_path / "none.nc")


class TestWriteJson:
    def test_numpy_and_nonfinite(self, tmp_path: Path) -> None:
        path = write_json(tmp_path / "x.json", {"a": np.arange(3), "b": np.float64(math.inf), "c": 1 + 1j})
        data = json.loads(path.read_text())
        assert data == {"a": [0, 1, 2], "b": None, "c": {"re": 1.0, "im": 1.0}, "nonfinite": {"/b": "inf"}}


class TestLoaders:
    def test_toml(self, tmp_path: Path) -> None:
        (tmp_path / "m.toml").write_text("a = [1.0, 0.5]\np = 0.5\n")
        assert load_toml(tmp_path / "m.toml") == {"a": [1.0, 0.5], "p": 0.5}
        (tmp_path / "bad.toml").write_text("a = [1.0,\n")
        with pytest.raises(ValueError, match="invalid TOML"):
            load_toml(tmp_path / "bad.toml")

    def test_csv_and_json(self, tmp_path: Path) -> None:
        (tmp_path / "t.csv").write_text("# comment\nm,n,gamma\n0,1,0.5\n")
        assert load_table_file(tmp_path / "t.csv") == [{"m": "0", "n": "1", "gamma": "0.5"}]
        (tmp_path / "t.json").write_text("{bad")
        with pytest.raises(ValueError, match="invalid JSON"):
            load_table_file(tmp_path / "t.json")

    def test_csv_row_longer_than_header_and_binary_files_are_valueerrors(self, tmp_path: Path) -> None:
        # regression: a row with extra cells crashed with AttributeError ('list' has no 'strip'),
        # e.g. `qdarwin dephasing check /etc/passwd`
        (tmp_path / "long.csv").write_text("m,n\n0,1,2\n")
        with pytest.raises(ValueError, match="data row 1 has more cells than the header"):
            load_table_file(tmp_path / "long.csv")
        (tmp_path / "bin.csv").write_bytes(b"m,n\n\xff\xfe,1\n")
        with pytest.raises(ValueError, match="not a UTF-8 text file"):
            load_table_file(tmp_path / "bin.csv")


def test_provenance_keys() -> None:
    info = provenance()
    for key in ("qdarwin_version", "git_hash", "numpy_version", "created_utc"):
        assert key in info
