"""Tests for qdarwin.sweep.registry: lazy resolution, registration, result conversion."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from qdarwin.sweep import available_functions, register, resolve, to_dataset
from qdarwin.sweep.functions import random_walk


def _triple(x: float) -> dict[str, float]:
    return {"y": 3 * x}


class TestResolve:
    @pytest.mark.parametrize("name", ["demo.random_walk", "info.binary_entropy", "spins.random_band_redundancy", "thermal.near_degeneracy", "dephasing.hamming_margin"])
    def test_builtins_resolve(self, name: str) -> None:
        fn = resolve(name)
        assert callable(fn) and fn.__module__ == "qdarwin.sweep.functions"

    def test_module_path(self) -> None:
        assert resolve("qdarwin.sweep.functions:random_walk") is random_walk

    def test_unknown_lists_available(self) -> None:
        with pytest.raises(ValueError, match=r"unknown sweep function 'spins.nope'; available: demo.random_walk, .*thermal.near_degeneracy"):
            resolve("spins.nope")

    def test_missing_module_is_clear(self) -> None:
        register("test.missing_pillar", "qdarwin.no_such_pillar:compute")
        with pytest.raises(ValueError, match="sweep function 'test.missing_pillar' is not available: cannot import qdarwin.no_such_pillar"):
            resolve("test.missing_pillar")

    def test_missing_attribute_is_clear(self) -> None:
        with pytest.raises(ValueError, match="qdarwin.sweep.functions has no 'nothing'"):
            resolve("qdarwin.sweep.functions:nothing")

    def test_not_callable(self) -> None:
        with pytest.raises(ValueError, match="is not callable"):
            resolve("qdarwin.sweep.config:MAX_POINTS")

    @pytest.mark.parametrize("bad", ["", None, 3])
    def test_bad_name(self, bad: object) -> None:
        with pytest.raises(ValueError, match="non-empty string"):
            resolve(bad)  # type: ignore[arg-type]


class TestRegister:
    def test_callable(self) -> None:
        register("test.triple", _triple)
        assert resolve("test.triple") is _triple and "test.triple" in available_functions()

    def test_path(self) -> None:
        register("test.walk_alias", "qdarwin.sweep.functions:random_walk")
        assert resolve("test.walk_alias") is random_walk

    @pytest.mark.parametrize(("name", "target", "match"), [("", _triple, "non-empty string"), ("x", "no_colon", "must be a callable or 'module:function'"), ("x", 3, "must be a callable")])
    def test_invalid(self, name: str, target: object, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            register(name, target)  # type: ignore[arg-type]


class TestAvailableFunctions:
    def test_descriptions(self) -> None:
        funcs = available_functions()
        assert list(funcs) == sorted(funcs)
        assert "redundancy" in funcs["spins.random_band_redundancy"]


class TestToDataset:
    def test_dataset_passthrough(self) -> None:
        ds = xr.Dataset({"a": 1.0})
        assert to_dataset(ds) is ds

    def test_dict(self) -> None:
        ds = to_dataset({"s": 2.0, "v": np.arange(3), "m": np.eye(2), "name": "x"})
        assert ds["v"].dims == ("v_dim0",) and ds["m"].dims == ("m_dim0", "m_dim1") and float(ds["s"]) == 2.0
        assert str(ds["name"].values) == "x"

    def test_scalar_and_dataarray(self) -> None:
        assert float(to_dataset(4.5)["value"]) == 4.5
        assert to_dataset(xr.DataArray([1, 2], dims="k", name="w"))["w"].values.tolist() == [1, 2]

    @pytest.mark.parametrize("bad", [[1, 2], "text", {"x": {"nested": 1}}])
    def test_rejects(self, bad: object) -> None:
        with pytest.raises(ValueError, match="must return an xarray.Dataset|not numeric"):
            to_dataset(bad)
