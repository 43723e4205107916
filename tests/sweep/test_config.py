"""Tests for qdarwin.sweep.config: Sweep grids, TOML parsing, validation before submission."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.sweep import MAX_POINTS, Sweep, load_sweep, sweep_from_mapping, validate_sweep


class TestSweep:
    def test_points_are_the_product_in_c_order(self) -> None:
        s = Sweep("demo.random_walk", grid={"drift": [0.0, 1.0], "n_steps": [2, 3, 4]}, seeds=[5, 6])
        assert s.dims == ("drift", "n_steps", "seed") and s.shape == (2, 3, 2) and s.n_points == 12
        pts = s.points()
        assert len(pts) == 12 and pts[0] == {"drift": 0.0, "n_steps": 2, "seed": 5}
        assert pts[1] == {"drift": 0.0, "n_steps": 2, "seed": 6} and pts[-1] == {"drift": 1.0, "n_steps": 4, "seed": 6}

    @given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.one_of(st.none(), st.integers(1, 3)))
    def test_point_count_is_product(self, sizes: list[int], seeds: int | None) -> None:
        grid = {f"a{i}": list(range(n)) for i, n in enumerate(sizes)}
        s = Sweep("x", grid=grid, seeds=seeds)
        assert len(s.points()) == s.n_points == math.prod(sizes) * (seeds or 1)
        assert len({tuple(sorted(p.items())) for p in s.points()}) == s.n_points

    def test_fixed_params_in_every_point(self) -> None:
        s = Sweep("demo.random_walk", grid={"drift": [0.0]}, fixed={"n_steps": 7})
        assert all(p["n_steps"] == 7 for p in s.points())

    def test_integer_seeds_mean_range(self) -> None:
        assert Sweep("x", grid={}, seeds=3).seed_values == (0, 1, 2)

    def test_spec_roundtrip(self) -> None:
        s = Sweep("demo.random_walk", grid={"drift": [0.0, 1.0]}, fixed={"n_steps": 3}, seeds=2)
        back = Sweep.from_spec(s.to_spec())
        assert back.points() == s.points() and back.function == s.function


class TestSweepFromMapping:
    def test_linspace_and_log_ranges(self) -> None:
        s, out = sweep_from_mapping({"function": "f", "grid": {"x": {"start": 0, "stop": 1, "num": 5}, "y": {"start": 1, "stop": 100, "num": 3, "log": True}}, "out": "d"})
        np.testing.assert_allclose(s.grid["x"], np.linspace(0, 1, 5))
        np.testing.assert_allclose(s.grid["y"], [1.0, 10.0, 100.0])
        assert out == "d"

    def test_values_key(self) -> None:
        s, _ = sweep_from_mapping({"function": "f", "grid": {"x": {"values": [3, 1]}}})
        assert list(s.grid["x"]) == [3, 1]

    @pytest.mark.parametrize(
        ("data", "match"),
        [
            ({"grid": {}}, "missing 'function'"),
            ({"function": "f", "gird": {}}, r"unknown top-level key\(s\) \['gird'\]"),
            ({"function": "f", "grid": {"x": {"start": 0, "stop": 1}}}, "range needs start, stop and num"),
            ({"function": "f", "grid": {"x": {"start": 0, "stop": 1, "num": 2, "step": 1}}}, "unknown range key"),
            ({"function": "f", "grid": {"x": {"start": 0, "stop": 1, "num": -1}}}, "num must be a non-negative integer"),
            ({"function": "f", "grid": {"x": {"start": 0, "stop": 1, "num": 3, "log": True}}}, "log range needs start > 0"),
            ({"function": "f", "grid": {"x": "abc"}}, "must be a list of values"),
            ({"function": "f", "grid": [1]}, "'grid' must be a table"),
            ({"function": "f", "fixed": 3}, "'fixed' must be a table"),
            ({"function": "f", "out": 3}, "'out' must be a string"),
        ],
    )
    def test_structure_errors(self, data: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            sweep_from_mapping(data)

    def test_not_a_table(self) -> None:
        with pytest.raises(ValueError, match="must be a table"):
            sweep_from_mapping([1, 2])  # type: ignore[arg-type]


class TestLoadSweep:
    def test_reads_toml(self, tmp_path: Path) -> None:
        p = tmp_path / "s.toml"
        p.write_text('function = "demo.random_walk"\nseeds = 2\n[grid]\ndrift = [0.0, 0.5]\n[fixed]\nn_steps = 4\n')
        s, out = load_sweep(p)
        assert s.n_points == 4 and out is None and s.fixed == {"n_steps": 4}

    def test_bad_toml_names_file(self, tmp_path: Path) -> None:
        p = tmp_path / "bad.toml"
        p.write_text("function = \n")
        with pytest.raises(ValueError, match="bad.toml: invalid TOML"):
            load_sweep(p)

    def test_structure_error_names_file(self, tmp_path: Path) -> None:
        p = tmp_path / "s.toml"
        p.write_text("[grid]\nx = [1]\n")
        with pytest.raises(ValueError, match="s.toml: invalid sweep config: missing 'function'"):
            load_sweep(p)

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            load_sweep(tmp_path / "absent.toml")

    @pytest.mark.parametrize("name", ["demo_random_walk", "spins_redundancy_vs_time", "thermal_near_degeneracy", "dephasing_violation_map"])
    def test_examples_validate(self, name: str) -> None:
        path = Path(__file__).resolve().parents[2] / "examples" / "sweeps" / f"{name}.toml"
        s, out = load_sweep(path)
        norm, fn = validate_sweep(s)
        assert callable(fn) and norm.n_points >= 2 and out is not None


class TestValidateSweep:
    def test_valid_normalises_ints_to_float(self) -> None:
        s, fn = validate_sweep(Sweep("demo.random_walk", grid={"drift": [0, 1]}, fixed={"n_steps": 3}, seeds=2))
        assert fn.__name__ == "random_walk"
        assert [type(v) for v in s.grid["drift"]] == [float, float] and s.seed_values == (0, 1)

    def test_unknown_function(self) -> None:
        with pytest.raises(ValueError, match="unknown sweep function 'nope'; available: .*demo.random_walk"):
            validate_sweep(Sweep("nope", grid={"x": [1]}))

    def test_unknown_parameter(self) -> None:
        with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['drfit'\] for demo.random_walk"):
            validate_sweep(Sweep("demo.random_walk", grid={"drfit": [0.0]}, fixed={"n_steps": 3}, seeds=1))

    def test_empty_axis(self) -> None:
        with pytest.raises(ValueError, match="grid axis 'drift' is empty"):
            validate_sweep(Sweep("demo.random_walk", grid={"drift": []}, fixed={"n_steps": 3}, seeds=1))

    def test_empty_range_axis(self) -> None:
        s, _ = sweep_from_mapping({"function": "demo.random_walk", "grid": {"drift": {"start": 0, "stop": 1, "num": 0}}, "fixed": {"n_steps": 3}, "seeds": 1})
        with pytest.raises(ValueError, match="grid axis 'drift' is empty"):
            validate_sweep(s)

    @pytest.mark.parametrize(
        ("grid", "fixed", "match"),
        [
            ({"drift": ["fast"]}, {"n_steps": 3}, r"grid axis 'drift': expected float, got 'fast' \(str\)"),
            ({"drift": [0.0]}, {"n_steps": 2.5}, r"fixed parameter 'n_steps': expected int, got 2.5 \(float\)"),
            ({"drift": [0.0]}, {"n_steps": True}, "expected int, got True"),
            ({"drift": [[0.0, 1.0]]}, {"n_steps": 3}, "values must be scalars"),
            ({"drift": [float("nan")]}, {"n_steps": 3}, "is not finite"),
            ({"drift": [0.0, 0.0]}, {"n_steps": 3}, "repeated values"),
        ],
    )
    def test_wrong_types(self, grid: dict, fixed: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            validate_sweep(Sweep("demo.random_walk", grid=grid, fixed=fixed, seeds=1))

    def test_missing_required(self) -> None:
        with pytest.raises(ValueError, match=r"missing required parameter\(s\) \['n_steps'\]"):
            validate_sweep(Sweep("demo.random_walk", grid={"drift": [0.0]}, seeds=1))

    def test_seeds_need_seed_parameter(self) -> None:
        with pytest.raises(ValueError, match="takes no 'seed' parameter"):
            validate_sweep(Sweep("info.binary_entropy", grid={"p": [0.5]}, seeds=2))

    @pytest.mark.parametrize("seeds", [0, [1, 1], [-1], "3", [1.5]])
    def test_bad_seeds(self, seeds: object) -> None:
        with pytest.raises(ValueError, match="seed"):
            validate_sweep(Sweep("demo.random_walk", grid={"drift": [0.0]}, fixed={"n_steps": 3}, seeds=seeds))  # type: ignore[arg-type]

    def test_grid_and_fixed_clash(self) -> None:
        with pytest.raises(ValueError, match="'n_steps' is both a grid axis and fixed"):
            validate_sweep(Sweep("demo.random_walk", grid={"n_steps": [1]}, fixed={"n_steps": 3, "drift": 0.0}, seeds=1))

    def test_too_many_points(self) -> None:
        big = Sweep("info.binary_entropy", grid={"p": list(np.linspace(0, 1, 1001))}, fixed={})
        with pytest.raises(ValueError, match="more than the limit 1000"):
            validate_sweep(big, max_points=1000)
        assert MAX_POINTS >= 10**6

    def test_all_problems_in_one_error(self) -> None:
        with pytest.raises(ValueError) as info:
            validate_sweep(Sweep("demo.random_walk", grid={"drift": [], "bogus": [1]}, seeds=1))
        msg = str(info.value)
        assert "unknown parameter(s) ['bogus']" in msg and "'drift' is empty" in msg and "missing required parameter(s) ['n_steps']" in msg

    def test_list_fixed_parameter(self) -> None:
        s, _ = validate_sweep(Sweep("thermal.near_degeneracy", grid={"sin_phi": [0.0]}, fixed={"n_sites": 6, "t_window": [1, 2.5]}))
        assert s.fixed["t_window"] == [1, 2.5]
