"""CLI behaviour a user sees with stderr in a FILE: one error line and exit 2, no progress bars,
clean failure on a full disk, --json everywhere, literal help text, readable tables."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
from pathlib import Path

import pytest
import xarray as xr

from qdarwin.cli.main import main
from tests.cli._helpers import assert_one_line_error_in_file, run_cli, run_json

ROOT = Path(__file__).resolve().parents[2]


def _walk_config(tmp: Path, grid: str = "drift = [0.0, 1.0]", extra: str = "n_steps = 5") -> Path:
    cfg = tmp / "walk.toml"
    cfg.write_text(f'function = "demo.random_walk"\nseeds = 2\n[grid]\n{grid}\n[fixed]\n{extra}\n')
    return cfg


class TestOneLineErrorsWithStderrInAFile:
    def test_sweep_bad_config(self, tmp_path: Path) -> None:
        cfg = tmp_path / "bad.toml"
        cfg.write_text('function = "demo.random_walk"\n[grid]\ndrift = [0.0]\n[fixed]\nno_such = 1\n')
        assert_one_line_error_in_file(["sweep", "run", str(cfg), "--serial", "-o", str(tmp_path / "o")], "unknown parameter")

    def test_sweep_bad_scheduler_fails_fast(self, tmp_path: Path) -> None:
        from qdarwin.sweep import execute

        cfg = _walk_config(tmp_path)
        assert execute.PROBE_SECONDS <= 10  # one TCP probe, not the 30 s Dask connect timeout
        assert_one_line_error_in_file(["sweep", "run", str(cfg), "--scheduler", "no_such", "-o", str(tmp_path / "o")], "scheduler address")
        assert_one_line_error_in_file(
            ["sweep", "run", str(cfg), "--scheduler", "tcp://127.0.0.1:9", "-o", str(tmp_path / "o")], "cannot connect"
        )
        assert not (tmp_path / "o").exists()  # nothing created before the scheduler answered

    def test_reproduce_unknown_recipe_and_file_as_outdir(self, tmp_path: Path) -> None:
        assert_one_line_error_in_file(["reproduce", "--only", "no_such"], "no recipe named no_such", cwd=tmp_path)
        target = tmp_path / "file"
        target.write_text("x")
        assert_one_line_error_in_file(["reproduce", "dephasing", "-o", str(target)], "not a directory", cwd=tmp_path)

    def test_dephasing_and_version_errors(self, tmp_path: Path) -> None:
        bad = ROOT / "examples" / "dephasing" / "malformed_rates.csv"
        assert_one_line_error_in_file(["dephasing", "check", str(bad), "--bootstrap", "5"], "negative rate")
        assert_one_line_error_in_file(["dephasing", "limits", "--qubits", "3", "--mu", "1"], "--mu")
        assert_one_line_error_in_file(["sweep", "status", str(tmp_path / "none")], "no such result directory")

    def test_oversized_sweep_refused_from_the_shape(self, tmp_path: Path) -> None:
        cfg = tmp_path / "big.toml"
        cfg.write_text('function = "demo.random_walk"\nseeds = 100000000\n[grid]\ndrift = [0.0]\n[fixed]\nn_steps = 3\n')
        import tracemalloc

        tracemalloc.start()
        assert main(["sweep", "run", str(cfg), "--serial", "-o", str(tmp_path / "o")]) == 2
        cfg.write_text('function = "demo.random_walk"\n[grid]\ndrift = {start = 0, stop = 1, num = 2000000}\n[fixed]\nn_steps = 3\n')
        assert main(["sweep", "run", str(cfg), "--serial", "-o", str(tmp_path / "o")]) == 2
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 20 * 2**20  # refused from the shape: no 1e8-element list, no 2e6 linspace


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


class TestFullDisk:
    def test_sweep_write_failure_is_one_line_and_finished_points_intact(self, tmp_path: Path) -> None:
        """A file-size limit makes the large points' writes fail (like ENOSPC): exit 2, one line, no crash."""
        cfg = _walk_config(tmp_path, grid="n_steps = [3, 20000]", extra="drift = 0.5")
        out = tmp_path / "o"
        rc, _, err = run_cli(["sweep", "run", str(cfg), "--serial", "-o", str(out)], preexec_fn=lambda: _limit_file_size(60_000))
        lines = err.splitlines()
        assert rc == 2 and len(lines) == 1, err
        assert lines[0].startswith("error: cannot write ") and "finished results already written are intact" in lines[0]
        points = sorted((out / "points").glob("*.nc"))
        assert len(points) == 2  # the two small points (n_steps = 3, seeds 0 and 1)
        for p in points:
            with xr.open_dataset(p, engine="h5netcdf") as ds:
                assert ds["position"].shape == (3,)
        assert not [p for p in (out / "points").iterdir() if p.name.startswith(".")]  # no temporary left


class TestJsonEverywhere:
    def test_version_and_dash_dash_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin import __version__

        info = run_json(capsys, ["version"])
        assert info["qdarwin_version"] == __version__ and "numpy_version" in info
        assert main(["--version"]) == 0
        assert capsys.readouterr().out.strip() == f"qdarwin {__version__}"

    def test_sweep_functions_run_collect(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        funcs = run_json(capsys, ["sweep", "functions"])
        assert "demo.random_walk" in funcs
        cfg = _walk_config(tmp_path)
        out = tmp_path / "o"
        run = run_json(capsys, ["sweep", "run", str(cfg), "--serial", "-o", str(out)])
        assert (run["total"], run["computed"], run["failed"], run["complete"]) == (4, 4, 0, True)
        assert run["wall_time_unit"] == "s" and run["seconds"] > 0
        col = run_json(capsys, ["sweep", "collect", str(out), "-o", str(tmp_path / "all.nc")])
        assert col["dimensions"] == {"drift": 2, "seed": 2, "step": 5} and col["finished_points"] == 4

    def test_reproduce_list_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        listed = run_json(capsys, ["reproduce", "dephasing", "--list"])
        assert {r["name"] for r in listed} >= {"fig1_cone", "fig3_violation_map"}

    def test_infinities_are_null_plus_flag(self, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin.cli._common import print_json

        print_json({"xi": [1.0, float("inf")], "r": {"v": float("-inf")}, "ok": 2.0})
        text = capsys.readouterr().out
        data = json.loads(text)  # strict JSON: no bare Infinity
        assert "Infinity" not in text
        assert data["xi"] == [1.0, None] and data["r"]["v"] is None
        assert data["nonfinite"] == {"/xi/1": "inf", "/r/v": "-inf"}


class TestWhatTheUserReads:
    def test_help_keeps_brackets_and_has_no_bool_metavar(self) -> None:
        rc, out, _ = run_cli(["sweep", "run", "--help"])
        assert rc == 0 and "function, [grid], [fixed], seeds" in out and "<bool>" not in out
        rc, out, _ = run_cli(["thermal", "run", "--help"])
        assert rc == 0 and "[thermal]" in " ".join(out.split()) and "<bool>" not in out

    def test_sweep_run_wall_time_unit_and_status_path_unbroken(self, tmp_path: Path) -> None:
        deep = tmp_path / ("a_rather_long_directory_name_" * 4) / "results"
        cfg = _walk_config(tmp_path)
        rc, out, err = run_cli(["sweep", "run", str(cfg), "--serial", "-o", str(deep)], env={"COLUMNS": "60"})
        assert rc == 0 and err == ""  # no progress bar when stderr is a file
        assert "wall time [s]" in out
        assert f"qdarwin sweep collect {deep} -o {deep / 'combined.nc'}" in out  # copyable, not wrapped
        rc, out, _ = run_cli(["sweep", "status", str(deep)], env={"COLUMNS": "60"})
        assert rc == 0 and f"results directory: {deep}" in out.splitlines()

    def test_bootstrap_p_value_text_and_progress(self, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin.cli.dephasing import _p_value_text

        assert _p_value_text(1 / 201, 200) == "< 0.005 (0 of 200 draws as far from the physical set)"
        assert _p_value_text(1 / 5001, 5000).startswith("< 0.0002 (0 of 5000")
        assert _p_value_text(11 / 201, 200).startswith("0.0547 (10 of 200")
        f = ROOT / "examples" / "dephasing" / "unphysical_rates.csv"
        assert main(["dephasing", "check", str(f), "--bootstrap", "20"]) == 0
        assert "< 0.05 (0 of 20 draws" in " ".join(capsys.readouterr().out.split())

    def test_bootstrap_reports_progress(self) -> None:
        import numpy as np

        from qdarwin.dephasing import bootstrap_p_value

        calls: list[tuple[int, int, str]] = []
        bootstrap_p_value(
            [[0, 1, 1], [1, 0, 4.5], [1, 4.5, 0]], None, 0.1, n_boot=7, rng=np.random.default_rng(1),
            progress=lambda d, t, desc="": calls.append((d, t, desc)),
        )
        assert [c[0] for c in calls] == list(range(1, 8)) and {c[1] for c in calls} == {7}


class TestFilePermissions:
    def test_written_files_are_0644_under_umask_022(self, tmp_path: Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np

        from qdarwin.io import save_dataset, save_figure, write_json, write_text
        from qdarwin.io.store import PointStore

        old = os.umask(0o022)
        try:
            files = [write_json(tmp_path / "a.json", {"x": 1}), write_text(tmp_path / "b.md", "x")]
            files.append(save_dataset(xr.Dataset({"y": ("t", np.arange(3.0))}), tmp_path / "c.nc"))
            fig = plt.figure()
            files += save_figure(fig, tmp_path / "fig")
            plt.close(fig)
            store = PointStore(tmp_path / "store", spec={"f": 1})
            store.put(PointStore.key_for({"n": 1}), xr.Dataset({"y": 1.0}), {"n": 1})
            files += [store.manifest_path, *store.points_dir.glob("*.nc")]
        finally:
            os.umask(old)
        for f in files:
            assert stat.S_IMODE(os.stat(f).st_mode) == 0o644, f
