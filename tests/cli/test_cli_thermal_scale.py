"""Tests for the scale options and audit regressions of ``qdarwin thermal run`` / ``rates``.

Dry-run plans, the lean route from the CLI, Dask workers, memory-limit units and refusals,
late-window summaries, NetCDF time units (src/qdarwin/cli/thermal.py, thermal_rates.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qdarwin.io import load_dataset
from qdarwin.thermal import ChaoticIsing, mi_dataset, preset
from tests.cli._helpers import assert_one_line_error, run_json


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    return run_json(capsys, argv, extra=("--json", "--no-progress"))


class TestDryRun:
    def test_n28_plan_fast_and_under_20gib(self, capsys: pytest.CaptureFixture[str]) -> None:
        info = _json(capsys, ["thermal", "run", "--preset", "redundant", "-N", "28", "--times", "30", "--m-max", "12",
                              "--dry-run", "--memory-limit", "20GiB"])
        assert info["route"] == "lean" and info["fits"] is True
        assert info["peak_bytes"] < 20 * 2**30 and info["flops"] > 1e12 and info["dense_bytes"] > 40 * 2**30

    def test_dry_run_writes_nothing(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        _json(capsys, ["thermal", "run", "-N", "10", "--dry-run", "--out", str(tmp_path / "r")])
        assert not (tmp_path / "r").exists()

    def test_n40_dry_run_reports_refusal(self, capsys: pytest.CaptureFixture[str]) -> None:
        info = _json(capsys, ["thermal", "run", "-N", "40", "--times", "30", "--m-max", "12", "--dry-run",
                              "--memory-limit", "20GiB"])
        from qdarwin.thermal.plan import lean_memory

        feasible = max(n for n in range(20, 40) if lean_memory(n, 2, 12) <= 20 * 2**30)
        assert info["fits"] is False and f"largest feasible N is {feasible}" in info["refused"]

    def test_n40_refused_names_cli_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "-N", "40", "--times", "30", "--memory-limit", "20GiB"],
                              "largest feasible N is")
        assert_one_line_error(capsys, ["thermal", "run", "-N", "40", "--memory-limit", "20GiB"], "--memory-limit")
        assert_one_line_error(capsys, ["thermal", "run", "-N", "40", "--memory-limit", "20GiB"], "--m-max")


class TestMemoryLimitOption:
    @pytest.mark.parametrize("text", ["8", "8.5", "100000"])
    def test_bare_number_refused(self, text: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "-N", "8", "--memory-limit", text], "needs a unit")

    @pytest.mark.parametrize("text", ["1e400GB", "2EB", "0GB"])
    def test_absurd_limits_refused(self, text: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "-N", "8", "--memory-limit", text], "--memory-limit")


class TestLeanRouteCLI:
    def test_lean_equals_dense_and_summary_window(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        times = "0,20,25,30,35,40"
        lean = _json(capsys, ["thermal", "run", "-N", "12", "--times", times, "--route", "lean", "--out", str(tmp_path / "a")])
        dense = _json(capsys, ["thermal", "run", "-N", "12", "--times", times, "--route", "dense", "--out", str(tmp_path / "b")])
        assert np.max(np.abs(np.array(lean["I_late"]) - np.array(dense["I_late"]))) < 1e-10
        assert lean["late_curve"] == "late-window mean over t = 20, 25, 30, 35, 40"
        ds = load_dataset(tmp_path / "a" / "mi.nc")
        assert ds.attrs["route"] == "lean"
        assert ds["time"].attrs["units"] == "1/J" and ds["energy_density"].attrs["units"] == "J per site"

    def test_single_precision_close(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        single = _json(capsys, ["thermal", "run", "-N", "12", "--times", "20", "--precision", "single", "--out", str(tmp_path / "s")])
        ref = mi_dataset(ChaoticIsing(12), preset("redundant"), [20.0])["I"].values[0]
        err = np.max(np.abs(np.array(single["I_late"]) - ref))
        assert 0 < err < 1e-5

    def test_precision_needs_lean(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "-N", "8", "--route", "dense", "--precision", "single",
                                       "--out", str(tmp_path / "x")], "precision")
        assert_one_line_error(capsys, ["thermal", "run", "-N", "8", "--precision", "half", "--out", str(tmp_path / "x")],
                              "precision")
        assert_one_line_error(capsys, ["thermal", "run", "-N", "8", "--workers", "2", "--scheduler", "tcp://x:1",
                                       "--out", str(tmp_path / "x")], "not both")

    def test_default_grid_summary_averages_late_window(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        info = _json(capsys, ["thermal", "run", "-N", "8", "--out", str(tmp_path / "g")])
        assert info["late_curve"].startswith("late-window mean over t = 22.07, 25.99, 30.61, 36.05")
        ds = load_dataset(tmp_path / "g" / "mi.nc")
        sel = [i for i, t in enumerate(ds["time"].values) if 20 <= t <= 40]
        assert np.allclose(info["I_late"], ds["I"].values[sel].mean(axis=0), atol=1e-14)


def test_workers_from_the_cli(tmp_path: Path) -> None:
    """Two LocalCluster workers in a real process give the single-process curve."""
    out = subprocess.run(
        [sys.executable, "-m", "qdarwin.cli.main", "thermal", "run", "-N", "12", "--times", "0,5", "--route", "lean",
         "--workers", "2", "--json", "--no-progress", "--out", str(tmp_path / "w")],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    got = np.array(json.loads(out.stdout)["I_late"])
    ref = mi_dataset(ChaoticIsing(12), preset("redundant"), [0.0, 5.0])["I"].values[-1]
    assert np.max(np.abs(got - ref)) < 1e-10


class TestRatesRegressions:
    @pytest.mark.parametrize("value", ["-1", "0", "inf", "nan"])
    def test_beta_max_must_be_positive_finite(self, value: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["thermal", "rates", "-N", "8", "--beta-max", value], "beta_max")

    def test_table_units(self, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin.cli.main import main

        assert main(["thermal", "rates", "-N", "8", "--m", "3"]) == 0
        out = capsys.readouterr().out
        assert "(J per site)" in out and "J^2 per site" in out and "nats/site" in out


@pytest.mark.parametrize("cmd", [["thermal", "rates", "--m", "3"], ["thermal", "ensemble"]])
def test_rates_and_ensemble_size_refusal_names_cli_remedies(cmd: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(capsys, cmd + ["-N", "34"], "QDARWIN_MEMORY_LIMIT environment variable")
    assert_one_line_error(capsys, cmd + ["-N", "34"], "lower -N")
