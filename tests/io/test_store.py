"""Tests for qdarwin.io.store.PointStore: atomic per-point results, errors, manifest, collect."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from qdarwin.io.store import PARAMS_ATTR, PointStore, canonical_json


def _point(n: int, t: float) -> xr.Dataset:
    m = np.arange(4)
    return xr.Dataset(
        {"y": ("m", n * t * m.astype(float), {"units": "bit"}), "count": ((), np.int64(n))},
        coords={"m": m},
        attrs={"model": "demo"},
    )


class TestCanonicalJson:
    def test_sorted_and_compact(self) -> None:
        assert canonical_json({"b": np.int64(2), "a": np.array([1.5, 2.0])}) == '{"a":[1.5,2.0],"b":2}'

    def test_nonfinite(self) -> None:
        assert canonical_json({"x": float("inf")}) == '{"x":"inf"}'


class TestKeyFor:
    @given(st.dictionaries(st.text(min_size=1, max_size=5), st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.text(max_size=4)), max_size=6))
    def test_independent_of_order(self, params: dict) -> None:
        rev = dict(reversed(list(params.items())))
        assert PointStore.key_for(params) == PointStore.key_for(rev)

    def test_numpy_scalars_match_python(self) -> None:
        assert PointStore.key_for({"n": np.int64(3), "t": np.float64(0.25)}) == PointStore.key_for({"n": 3, "t": 0.25})

    def test_distinct_params_distinct_keys(self) -> None:
        keys = {PointStore.key_for({"n": n, "t": t}) for n in range(20) for t in np.linspace(0, 1, 20)}
        assert len(keys) == 400

    def test_int_and_float_differ(self) -> None:
        assert PointStore.key_for({"n": 1}) != PointStore.key_for({"n": 1.0})

    def test_known_value(self) -> None:
        import hashlib

        assert PointStore.key_for({"a": 1}) == hashlib.sha256(b'{"a":1}').hexdigest()[:24]

    def test_rejects_non_dict(self) -> None:
        with pytest.raises(ValueError, match="params must be a dict"):
            PointStore.key_for([1, 2])  # type: ignore[arg-type]


class TestPut:
    def test_roundtrip(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path / "s")
        params = {"n": 2, "t": 0.5, "label": "x"}
        key = store.key_for(params)
        assert not store.has(key) and key not in store
        store.put(key, _point(2, 0.5), params)
        assert store.has(key) and store.keys() == {key} and len(store) == 1
        got = store.get(key)
        xr.testing.assert_equal(got, _point(2, 0.5))
        assert got["y"].attrs["units"] == "bit"
        assert store.params(key) == params
        assert json.loads(got.attrs[PARAMS_ATTR]) == params

    def test_rejects_non_dataset(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        with pytest.raises(ValueError, match="xarray.Dataset"):
            store.put("abc", {"y": 1.0}, {})

    def test_rejects_bad_key(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        with pytest.raises(ValueError, match="invalid point key"):
            store.put("../evil", _point(1, 1.0), {})

    def test_temporary_files_ignored(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        (store.points_dir / ".abc.nc.xyz.nc").write_bytes(b"partial")
        assert store.keys() == set()
        assert store.clean_temporary() == 1
        assert not any(store.points_dir.iterdir())


class TestPutError:
    def test_exception_recorded_with_traceback(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        params = {"n": 7}
        key = store.key_for(params)
        try:
            raise ZeroDivisionError("boom at n=7")
        except ZeroDivisionError as exc:
            store.put_error(key, params, exc)
        rec = store.errors()[key]
        assert rec["error_type"] == "ZeroDivisionError" and rec["error"] == "boom at n=7"
        assert "raise ZeroDivisionError" in rec["traceback"] and rec["params"] == params
        assert not store.has(key)

    def test_success_clears_error(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        key = store.key_for({"n": 1})
        store.put_error(key, {"n": 1}, "failed once")
        assert set(store.errors()) == {key}
        store.put(key, _point(1, 1.0), {"n": 1})
        assert store.errors() == {}
        assert not (store.errors_dir / f"{key}.json").exists()

    def test_clear_error(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        store.put_error("k1", {}, "x")
        store.clear_error("k1")
        assert store.errors() == {}


class TestGet:
    def test_missing_is_keyerror(self, tmp_path: Path) -> None:
        with pytest.raises(KeyError, match="not in store"):
            PointStore(tmp_path).get("nope")

    def test_open_missing_dir(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError, match="no such result directory"):
            PointStore(tmp_path / "absent", create=False)


class TestManifest:
    def test_written_once_and_kept(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path, spec={"grid": {"n": [1, 2]}})
        assert store.spec == {"grid": {"n": [1, 2]}} and not store.spec_changed
        before = store.manifest_path.read_bytes()
        same = PointStore(tmp_path, spec={"grid": {"n": [1, 2]}})
        assert not same.spec_changed and store.manifest_path.read_bytes() == before
        changed = PointStore(tmp_path, spec={"grid": {"n": [1, 2, 3]}})
        assert changed.spec_changed
        assert store.manifest_path.read_bytes() == before
        assert changed.spec == {"grid": {"n": [1, 2]}}
        assert changed.spec_history() == [{"grid": {"n": [1, 2]}}, {"grid": {"n": [1, 2, 3]}}]

    def test_no_spec_no_manifest(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        assert store.spec is None and store.manifest() == {} and store.spec_history() == []

    def test_concurrent_creation_one_winner(self, tmp_path: Path) -> None:
        ctx = mp.get_context("fork")
        procs = [ctx.Process(target=PointStore, args=(tmp_path,), kwargs={"spec": {"who": i}}) for i in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        store = PointStore(tmp_path)
        hist = store.spec_history()
        assert len(hist) == 4 and sorted(h["who"] for h in hist) == [0, 1, 2, 3]
        assert hist[0] == store.spec
        assert not [p for p in tmp_path.rglob(".*")]


def _write_points(root: str, ns: list[int]) -> None:
    store = PointStore(root)
    for n in ns:
        store.put(store.key_for({"n": n, "t": 1.0}), _point(n, 1.0), {"n": n, "t": 1.0})


class TestConcurrentWriters:
    def test_two_processes(self, tmp_path: Path) -> None:
        ctx = mp.get_context("fork")
        procs = [ctx.Process(target=_write_points, args=(str(tmp_path), list(range(i, 12, 2)))) for i in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        assert all(p.exitcode == 0 for p in procs)
        ds = PointStore(tmp_path).collect("n")
        np.testing.assert_array_equal(ds["n"].values, np.arange(12))
        np.testing.assert_array_equal(ds["y"].values, np.arange(12)[:, None] * np.arange(4.0)[None, :])


_KILL_SCRIPT = textwrap.dedent(
    """
    import sys, numpy as np, xarray as xr
    from qdarwin.io.store import PointStore
    store = PointStore(sys.argv[1])
    for n in range(10_000):
        ds = xr.Dataset({"y": ("k", np.full(20_000, float(n)))})
        store.put(store.key_for({"n": n}), ds, {"n": n})
    """
)


class TestSigkill:
    def test_points_whole_or_absent(self, tmp_path: Path) -> None:
        proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(tmp_path)])
        try:
            store = PointStore(tmp_path)
            while len(store.keys()) < 5 and proc.poll() is None:
                time.sleep(0.02)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        keys = store.keys()
        assert len(keys) >= 5
        for key in keys:
            n = store.params(key)["n"]
            y = store.get(key)["y"].values
            assert y.shape == (20_000,) and np.all(y == n)
        ns = sorted(store.params(k)["n"] for k in keys)
        assert ns == list(range(len(ns)))


class TestCollect:
    def _store(self, tmp_path: Path, ns: list[int], ts: list[float]) -> PointStore:
        store = PointStore(tmp_path)
        for n in ns:
            for t in ts:
                params = {"n": n, "t": t, "model": "demo"}
                store.put(store.key_for(params), _point(n, t), params)
        return store

    def test_full_grid(self, tmp_path: Path) -> None:
        ns, ts = [3, 1, 2], [0.5, 0.25]
        ds = self._store(tmp_path, ns, ts).collect(["n", "t"])
        assert ds["y"].dims == ("n", "t", "m")
        np.testing.assert_array_equal(ds["n"].values, [1, 2, 3])
        np.testing.assert_array_equal(ds["t"].values, [0.25, 0.5])
        expected = np.array([[[n * t * m for m in range(4)] for t in (0.25, 0.5)] for n in (1, 2, 3)])
        np.testing.assert_array_equal(ds["y"].values, expected)
        assert ds["count"].dtype == np.int64
        np.testing.assert_array_equal(ds["count"].values, [[1, 1], [2, 2], [3, 3]])
        assert ds["y"].attrs["units"] == "bit" and ds.attrs["model"] == "demo"
        assert ds.attrs["param_model"] == "demo" and ds.attrs["grid_complete"] == 1 and ds.attrs["n_points"] == 6
        assert PARAMS_ATTR not in ds.attrs

    def test_missing_cell_is_nan(self, tmp_path: Path) -> None:
        store = self._store(tmp_path, [1, 2], [0.5, 1.0])
        store.points_dir.joinpath(f"{store.key_for({'n': 2, 't': 1.0, 'model': 'demo'})}.nc").unlink()
        ds = store.collect(["n", "t"])
        assert np.isnan(ds["y"].sel(n=2, t=1.0)).all() and np.isnan(ds["count"].sel(n=2, t=1.0))
        assert ds["count"].sel(n=2, t=0.5) == 2 and ds.attrs["grid_complete"] == 0

    def test_keys_subset(self, tmp_path: Path) -> None:
        store = self._store(tmp_path, [1, 2, 3], [1.0])
        keep = {store.key_for({"n": n, "t": 1.0, "model": "demo"}) for n in (1, 3)}
        ds = store.collect(["n"], keys=keep)
        np.testing.assert_array_equal(ds["n"].values, [1, 3])

    def test_same_cell_raises(self, tmp_path: Path) -> None:
        store = self._store(tmp_path, [1], [0.5, 1.0])
        with pytest.raises(ValueError, match="same grid cell"):
            store.collect(["n"])

    def test_missing_param_raises(self, tmp_path: Path) -> None:
        store = self._store(tmp_path, [1], [0.5])
        with pytest.raises(ValueError, match=r"no parameter\(s\) \['seed'\]"):
            store.collect(["n", "seed"])

    def test_empty_raises(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="no finished points"):
            PointStore(tmp_path).collect("n")

    def test_axis_clash_raises(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        store.put("k", _point(1, 1.0), {"m": 1})
        with pytest.raises(ValueError, match="clashes"):
            store.collect("m")

    def test_inconsistent_dims_raise(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        store.put("a", xr.Dataset({"y": ("k", np.zeros(2))}), {"n": 1})
        store.put("b", xr.Dataset({"y": (("k", "j"), np.zeros((2, 2)))}), {"n": 2})
        with pytest.raises(ValueError, match="does not match"):
            store.collect("n")

    def test_string_axis(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        for name in ("b", "a"):
            store.put(store.key_for({"preset": name}), xr.Dataset({"y": float(ord(name))}), {"preset": name})
        ds = store.collect("preset")
        assert list(ds["preset"].values) == ["a", "b"]
        np.testing.assert_array_equal(ds["y"].values, [97.0, 98.0])


class TestCollectVariableKinds:
    def test_fast_path_equals_full_load(self, tmp_path: Path) -> None:
        """collect (raw h5py read for plain variables) agrees with get() for every variable kind."""
        store = PointStore(tmp_path)
        for n in range(4):
            ds = xr.Dataset(
                {
                    "f": ("k", np.linspace(0, 1, 3) * n, {"units": "bit"}),
                    "i": ((), np.int64(n)),
                    "b": ((), np.bool_(n % 2)),
                    "s": ((), "x" * (n + 1)),
                    "z": ("k", (1 + 2j) * np.arange(3) * n),
                    "nanv": ((), np.nan if n == 2 else float(n)),
                }
            )
            store.put(store.key_for({"n": n}), ds, {"n": n})
        out = store.collect("n")
        for n in range(4):
            ref = store.get(store.key_for({"n": n}))
            for name in ("f", "i", "b", "s", "z", "nanv"):
                np.testing.assert_array_equal(out[name].sel(n=n).values, ref[name].values)
        assert out["b"].dtype == bool and out["i"].dtype == np.int64 and np.iscomplexobj(out["z"])
        assert out["f"].attrs["units"] == "bit" and out["s"].values.tolist() == ["x", "xx", "xxx", "xxxx"]

    def test_strings_on_incomplete_grid(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        for n, t in [(1, 0.5), (2, 1.0)]:
            store.put(store.key_for({"n": n, "t": t}), xr.Dataset({"s": ((), "ab" * n)}), {"n": n, "t": t})
        out = store.collect(["n", "t"])
        assert out["s"].values.tolist() == [["ab", ""], ["", "abab"]]


class TestCollectRagged:
    def test_different_lengths_outer_join(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        for n in (2, 4, 3):
            store.put(store.key_for({"n": n}), xr.Dataset({"g": ("spin", np.arange(n) + 10.0 * n)}, coords={"spin": np.arange(n)}), {"n": n})
        ds = store.collect("n")
        assert ds.sizes["spin"] == 4
        np.testing.assert_array_equal(ds["g"].sel(n=2).values, [20.0, 21.0, np.nan, np.nan])
        np.testing.assert_array_equal(ds["g"].sel(n=4).values, [40.0, 41.0, 42.0, 43.0])

    def test_same_length_different_coordinates_not_mixed(self, tmp_path: Path) -> None:
        """Sweeping t_max: equal lengths but different time values must not be stacked blindly."""
        store = PointStore(tmp_path)
        for t_max in (1.0, 2.0):
            t = np.linspace(0.0, t_max, 3)
            store.put(store.key_for({"t_max": t_max}), xr.Dataset({"y": ("time", t**2)}, coords={"time": t}), {"t_max": t_max})
        ds = store.collect("t_max")
        np.testing.assert_array_equal(ds["time"].values, [0.0, 0.5, 1.0, 2.0])
        np.testing.assert_array_equal(ds["y"].sel(t_max=1.0).values, [0.0, 0.25, 1.0, np.nan])
        np.testing.assert_array_equal(ds["y"].sel(t_max=2.0).values, [0.0, np.nan, 1.0, 4.0])

    def test_dimension_without_coordinate_padded(self, tmp_path: Path) -> None:
        store = PointStore(tmp_path)
        for n in (1, 3):
            store.put(store.key_for({"n": n}), xr.Dataset({"v": ("k", np.ones(n) * n)}), {"n": n})
        ds = store.collect("n")
        np.testing.assert_array_equal(ds["v"].values, [[1.0, np.nan, np.nan], [3.0, 3.0, 3.0]])


class TestCollectProperty:
    @settings(max_examples=12)
    @given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0.5, 1.5, 2.5])), min_size=1, max_size=6, unique=True))
    def test_any_subset_of_a_grid(self, cells: list[tuple[int, float]]) -> None:
        """collect places every stored point on its (n, t) cell and leaves the others NaN."""
        with tempfile.TemporaryDirectory() as root:
            store = PointStore(root)
            for n, t in cells:
                store.put(store.key_for({"n": n, "t": t}), xr.Dataset({"v": ((), 10.0 * n + t)}), {"n": n, "t": t})
            ds = store.collect(["n", "t"])
            assert ds["n"].values.tolist() == sorted({n for n, _ in cells})
            assert ds["t"].values.tolist() == sorted({t for _, t in cells})
            for n in ds["n"].values.tolist():
                for t in ds["t"].values.tolist():
                    got = float(ds["v"].sel(n=n, t=t))
                    assert got == 10.0 * n + t if (n, t) in cells else np.isnan(got)
            assert ds.attrs["grid_complete"] == int(len(cells) == ds["v"].size)
