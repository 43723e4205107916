"""Tests for ``qdarwin thermal run`` (src/qdarwin/cli/thermal.py): results, resume, refusals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qdarwin.cli.main import main
from qdarwin.cli.thermal import time_grid
from qdarwin.io import load_dataset
from tests.cli._helpers import assert_one_line_error
from tests.cli._helpers import run_json as _run_json
from qdarwin.thermal import ChaoticIsing, preset
from qdarwin.thermal.information import mi_dataset


def finished(run_dir: Path) -> set[str]:
    """Keys of complete points (temporary files of a killed writer start with '.')."""
    points = run_dir / "points"
    return {p.name for p in points.iterdir() if p.suffix == ".nc" and not p.name.startswith(".")} if points.is_dir() else set()


def reference(name: str, n: int, times: list[float]) -> np.ndarray:
    return mi_dataset(ChaoticIsing(n), preset(name), times)["I"].values


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    return _run_json(capsys, argv, extra=("--json", "--no-progress"))


class TestTimeGrid:
    def test_fig1_default(self) -> None:
        grid = time_grid()
        assert len(grid) == 40 and grid[0] == 0.0 and grid[1] == pytest.approx(0.1) and grid[-1] == pytest.approx(50.0)
        assert np.allclose(np.diff(np.log(grid[1:])), np.log(500) / 38)

    def test_explicit_list_sorted_unique(self) -> None:
        assert time_grid(times="2,0,pi,2") == [0.0, 2.0, pytest.approx(np.pi)]

    @pytest.mark.parametrize(
        ("kw", "match"),
        [({"times": "0,-1"}, ">= 0"), ({"times": "a"}, "cannot read times"), ({"t_max": 0.0}, "t_max"),
         ({"n_times": 0}, "n_times"), ({"t_min": 60.0}, "t_min")],
    )
    def test_invalid(self, kw: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            time_grid(**kw)


class TestRun:
    def test_writes_dataset_matching_core(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        info = run_json(capsys, ["thermal", "run", "--preset", "encoding", "-N", "8", "--times", "0,1,3", "--out", str(tmp_path / "r")])
        ds = load_dataset(tmp_path / "r" / "mi.nc")
        assert ds["I"].dims == ("time", "m") and ds["I"].shape == (3, 9)
        np.testing.assert_allclose(ds["I"].values, reference("encoding", 8, [0.0, 1.0, 3.0]), atol=1e-12)
        assert ds.attrs["N"] == 8 and ds.attrs["units"] == "bit" and ds.attrs["preset"] == "encoding"
        assert float(ds["plateau"]) == pytest.approx(1.0)
        np.testing.assert_allclose(ds["energy_density"].values, [0.0, 0.0], atol=1e-12)
        assert info["computed"] == 3 and info["reused"] == 0
        np.testing.assert_allclose(info["I_late"], ds["I"].values[-1], atol=1e-12)

    def test_table_output_and_redundancy_number(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        rc = main(["thermal", "run", "--preset", "redundant", "-N", "12", "--times", "20", "--out", str(tmp_path), "--no-progress"])
        out = capsys.readouterr().out
        assert rc == 0
        assert "m_delta" in out and "I(m=3)" in out
        info = run_json(capsys, ["thermal", "run", "--preset", "redundant", "-N", "12", "--times", "20", "--out", str(tmp_path)])
        assert (info["m_delta"], info["N_delta"]) == (3, 4)  # spec §15 G
        assert info["computed"] == 0 and info["reused"] == 1

    def test_resume_reuses_finished_points(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        argv = ["thermal", "run", "--preset", "redundant", "-N", "8", "--out", str(tmp_path)]
        run_json(capsys, argv + ["--times", "0,2"])
        points = sorted((tmp_path / "points").glob("*.nc"))
        stamps = {p: p.stat().st_mtime_ns for p in points}
        info = run_json(capsys, argv + ["--times", "0,2,4"])
        assert info["computed"] == 1 and info["reused"] == 2
        assert all(p.stat().st_mtime_ns == s for p, s in stamps.items())
        ds = load_dataset(tmp_path / "mi.nc")
        np.testing.assert_allclose(ds["I"].values, reference("redundant", 8, [0.0, 2.0, 4.0]), atol=1e-12)

    def test_points_keyed_by_physics(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        run_json(capsys, ["thermal", "run", "--preset", "redundant", "-N", "8", "--times", "1", "--out", str(tmp_path)])
        info = run_json(capsys, ["thermal", "run", "--preset", "encoding", "-N", "8", "--times", "1", "--out", str(tmp_path)])
        assert info["computed"] == 1
        np.testing.assert_allclose(info["I_late"], reference("encoding", 8, [1.0])[0], atol=1e-12)

    def test_resume_after_killed_process(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        out = tmp_path / "run"
        cmd = [sys.executable, "-c", "import sys; from qdarwin.cli.main import main; sys.exit(main(sys.argv[1:]))",
               "thermal", "run", "--preset", "redundant", "-N", "12", "--t-max", "20", "--n-times", "30",
               "--linear", "--out", str(out), "--no-progress"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while proc.poll() is None and len(finished(out)) < 2:
                time.sleep(0.05)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait()
        n_before = len(finished(out))
        assert n_before >= 2
        info = run_json(capsys, cmd[3:-1])
        assert info["computed"] + info["reused"] == 30 and info["reused"] >= n_before
        grid = time_grid(t_max=20.0, n_times=30, log=False)
        np.testing.assert_allclose(load_dataset(out / "mi.nc")["I"].values, reference("redundant", 12, grid), atol=1e-10)

    def test_open_chain_and_m_max(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        argv = ["thermal", "run", "--preset", "redundant", "-N", "8", "--times", "2", "--boundary", "open"]
        info = run_json(capsys, argv + ["--out", str(tmp_path / "a")])
        ref = mi_dataset(ChaoticIsing(8, boundary="open"), preset("redundant"), [2.0])["I"].values[0]
        np.testing.assert_allclose(info["I_late"], ref, atol=1e-12)
        capped = run_json(capsys, argv + ["--m-max", "2", "--out", str(tmp_path / "b")])
        assert np.allclose(capped["I_late"][:3], ref[:3]) and capped["I_late"][3] is None and capped["nonfinite"]["/I_late/3"] == "nan"  # NaN: null + flag
        assert "m_delta" not in capped

    def test_threads_option(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        info = run_json(capsys, ["thermal", "run", "--preset", "redundant", "-N", "8", "--times", "1", "--threads", "2", "--out", str(tmp_path)])
        np.testing.assert_allclose(info["I_late"], reference("redundant", 8, [1.0])[0], atol=1e-12)

    def test_config_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        cfg = tmp_path / "run.toml"
        cfg.write_text('[thermal]\npreset = "encoding"\nN = 8\ntimes = [0.0, 1.0]\n')
        info = run_json(capsys, ["thermal", "run", "--config", str(cfg), "--out", str(tmp_path / "r")])
        np.testing.assert_allclose(info["I_late"], reference("encoding", 8, [1.0])[0], atol=1e-12)
        info2 = run_json(capsys, ["thermal", "run", "--config", str(cfg), "--preset", "redundant", "--out", str(tmp_path / "r")])
        np.testing.assert_allclose(info2["I_late"], reference("redundant", 8, [1.0])[0], atol=1e-12)


class TestRunErrors:
    def test_oversize_refused_before_allocating(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "-N", "40", "--out", str(tmp_path / "big")], "memory limit")
        assert not (tmp_path / "big").exists()

    def test_memory_limit_option(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "-N", "14", "--memory-limit", "1MB", "--out", str(tmp_path / "x")], "largest feasible N")

    def test_bad_preset(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "--preset", "nope", "--out", str(tmp_path)], "unknown preset 'nope'")

    def test_interpolating_needs_phi(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "--preset", "interpolating", "--out", str(tmp_path)], "--phi")

    def test_bad_toml(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        cfg = tmp_path / "bad.toml"
        cfg.write_text("N = [1,\n")
        assert_one_line_error(capsys, ["thermal", "run", "--config", str(cfg), "--out", str(tmp_path)], "invalid TOML")

    def test_unknown_config_key(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        cfg = tmp_path / "c.toml"
        cfg.write_text("N = 8\nfoo = 1\n")
        assert_one_line_error(capsys, ["thermal", "run", "--config", str(cfg), "--out", str(tmp_path)], "unknown key(s) ['foo']")

    def test_missing_config(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "--config", str(tmp_path / "none.toml")], "no such file")

    @pytest.mark.parametrize(
        ("extra", "fragment"),
        [(["--times", "0,-2"], ">= 0"), (["-N", "2"], "n_sites"), (["--method", "magic"], "method"),
         (["--delta", "1.5"], "delta"), (["--hx", "abc"], "hx"), (["--threads", "-1"], "threads")],
    )
    def test_bad_values(self, capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], fragment: str) -> None:
        assert_one_line_error(capsys, ["thermal", "run", "--out", str(tmp_path)] + extra, fragment)
