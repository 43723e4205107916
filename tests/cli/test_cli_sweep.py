"""Tests for ``qdarwin sweep run/status/collect``: serial, external Dask cluster, SIGKILL and Ctrl-C resume."""

from __future__ import annotations

import dataclasses
import json
import re
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest
import xarray as xr

from qdarwin.cli.main import main
from qdarwin.io.store import PointStore
from qdarwin.sweep import Serial, collect_sweep, load_sweep, run_sweep

CONFIG = """
function = "demo.random_walk"
seeds = {seeds}
[grid]
drift = [0.0, 0.5, 1.0]
[fixed]
n_steps = 20
delay = {delay}
"""


def _config(tmp_path: Path, *, seeds: int = 2, delay: float = 0.0, name: str = "walk.toml") -> Path:
    path = tmp_path / name
    path.write_text(CONFIG.format(seeds=seeds, delay=delay))
    return path


def _reference(config: Path, out: Path) -> xr.Dataset:
    """The same sweep through the serial executor in-process (independent of the CLI; no delay)."""
    sweep, _ = load_sweep(config)
    sweep = dataclasses.replace(sweep, fixed={**sweep.fixed, "delay": 0.0})
    run_sweep(sweep, out, executor=Serial())
    return collect_sweep(out)


def _stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (root / "points").glob("*.nc") if not p.name.startswith(".")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process we started (its own session): SIGTERM, then SIGKILL of its group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _qdarwin(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "qdarwin.cli.main", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_points(root: Path, n: int, proc: subprocess.Popen) -> None:
    while len(_stamps(root)) < n if (root / "points").is_dir() else True:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)


@pytest.fixture(scope="module")
def external_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A separately started ``dask scheduler`` + ``dask worker`` (2 processes) on 127.0.0.1."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    workdir = tmp_path_factory.mktemp("dask")
    common = {"cwd": workdir, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **common
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard", "--local-directory", str(workdir)],
        **common,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the scheduler listens
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield address
    finally:
        _stop(worker)
        _stop(scheduler)


class TestSweepRun:
    def test_serial_run_status_collect(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        cfg = _config(tmp_path)
        out = tmp_path / "out"
        assert main(["sweep", "run", str(cfg), "--serial", "--no-progress", "-o", str(out)]) == 0
        text = capsys.readouterr().out
        assert "computed now" in text and "complete; combine with" in text
        assert main(["sweep", "status", str(out), "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert (status["total"], status["done"], status["failed"], status["pending"]) == (6, 6, 0, 0)
        assert main(["sweep", "collect", str(out), "-o", str(tmp_path / "all.nc")]) == 0
        with xr.open_dataset(tmp_path / "all.nc") as ds:
            got = ds.load()
        ref = _reference(cfg, tmp_path / "ref")
        xr.testing.assert_equal(got, ref)
        assert got["position"].dims == ("drift", "seed", "step") and got["position"].attrs["units"] == "1"
        assert got.attrs["sweep_function"] == "demo.random_walk"

    def test_status_table_and_failures(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        cfg = tmp_path / "h.toml"
        cfg.write_text('function = "info.binary_entropy"\n[grid]\np = [0.5, 1.5]\n')
        out = tmp_path / "out"
        assert main(["sweep", "run", str(cfg), "--serial", "--no-progress", "-o", str(out)]) == 1
        assert "1 point(s) failed" in capsys.readouterr().out
        assert main(["sweep", "status", str(out)]) == 0
        text = capsys.readouterr().out
        assert "pending" in text and "failed" in text and "p must be in [0, 1]" in text
        assert main(["sweep", "collect", str(out), "-o", str(tmp_path / "h.nc"), "--complete"]) == 2
        assert "1 of 2 points are not finished" in capsys.readouterr().err
        assert main(["sweep", "collect", str(out), "-o", str(tmp_path / "h.nc")]) == 0
        assert "missing points are NaN" in capsys.readouterr().out

    def test_out_from_config(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        cfg = tmp_path / "c.toml"
        cfg.write_text('function = "info.binary_entropy"\nout = "res/here"\n[grid]\np = [0.5]\n')
        assert main(["sweep", "run", str(cfg), "--serial", "--no-progress"]) == 0
        assert PointStore(tmp_path / "res" / "here").keys()

    @pytest.mark.parametrize(
        ("toml", "match"),
        [
            ('function = "nope"\n[grid]\nx = [1]\n', "unknown sweep function 'nope'"),
            ('function = "demo.random_walk"\nseeds = 1\n[grid]\ndrift = []\n[fixed]\nn_steps = 2\n', "grid axis 'drift' is empty"),
            ('function = "demo.random_walk"\nseeds = 1\n[grid]\ndrift = [0.0]\nspeed = [1]\n[fixed]\nn_steps = 2\n', "unknown parameter"),
            ('function = "demo.random_walk"\nseeds = 1\n[grid]\ndrift = ["a"]\n[fixed]\nn_steps = 2\n', "expected float, got 'a'"),
            ("function = [\n", "invalid TOML"),
        ],
    )
    def test_invalid_config_one_line_exit_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, match: str) -> None:
        cfg = tmp_path / "bad.toml"
        cfg.write_text(toml)
        assert main(["sweep", "run", str(cfg), "--no-progress", "-o", str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err.strip()
        flat = "".join(err.splitlines())  # rich wraps the one error line at the console width
        assert match in flat and err.startswith("error:") and err.count("error:") == 1 and "Traceback" not in err
        assert not (tmp_path / "out").exists()

    def test_conflicting_options(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        cfg = _config(tmp_path)
        assert main(["sweep", "run", str(cfg), "--serial", "--scheduler", "tcp://127.0.0.1:1", "-o", str(tmp_path / "o")]) == 2
        assert "--serial cannot be combined" in capsys.readouterr().err
        assert main(["sweep", "run", str(cfg), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1", "-o", str(tmp_path / "o")]) == 2
        assert "--workers applies to the local cluster" in capsys.readouterr().err

    def test_missing_directory(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["sweep", "status", str(tmp_path / "absent")]) == 2
        assert "no such result directory" in capsys.readouterr().err

    def test_functions_listed(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["sweep", "functions"]) == 0
        text = capsys.readouterr().out
        assert all(name in text for name in ("spins.random_band_redundancy", "thermal.near_degeneracy", "dephasing.hamming_margin"))


class TestExternalScheduler:
    def test_same_result_as_serial(self, tmp_path: Path, external_scheduler: str, capsys: pytest.CaptureFixture[str]) -> None:
        cfg = _config(tmp_path, seeds=3)
        ref = _reference(cfg, tmp_path / "ref")
        for write in ("worker", "client"):
            out = tmp_path / write
            rc = main(["sweep", "run", str(cfg), "--scheduler", external_scheduler, "--write", write, "--no-progress", "-o", str(out)])
            assert rc == 0, capsys.readouterr()
            got = collect_sweep(out)
            xr.testing.assert_identical(got.drop_attrs(), ref.drop_attrs())
            assert got.attrs["n_finished"] == 9


class TestKillAndResume:
    def test_sigkill_then_resume(self, tmp_path: Path) -> None:
        cfg = _config(tmp_path, seeds=4, delay=0.25)
        out = tmp_path / "out"
        proc = _qdarwin("sweep", "run", str(cfg), "--workers", "2", "--no-progress", "-o", str(out), cwd=tmp_path)
        try:
            _wait_for_points(out, 3, proc)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        finally:
            _stop(proc)  # also removes any worker process of the killed client's session
        assert proc.returncode == -signal.SIGKILL
        before = _stamps(out)
        store = PointStore(out)
        assert 3 <= len(before) < 12
        for key in store.keys():
            assert store.get(key)["position"].shape == (20,)
        assert main(["sweep", "run", str(cfg), "--serial", "--no-progress", "-o", str(out)]) == 0
        after = _stamps(out)
        assert len(after) == 12 and {k: after[k] for k in before} == before
        ref = _reference(cfg, tmp_path / "ref")
        xr.testing.assert_identical(collect_sweep(out).drop_attrs(), ref.drop_attrs())

    def test_ctrl_c_then_resume(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        # delay 0.6 s a point: after the 2nd point >= 2 s of work remain, so a loaded machine (the
        # fresh-clone audit ran it beside 5 other suites) cannot finish the sweep before the Ctrl-C
        cfg = _config(tmp_path, seeds=3, delay=0.6)
        out = tmp_path / "out"
        proc = _qdarwin("sweep", "run", str(cfg), "--workers", "2", "-o", str(out), cwd=tmp_path)
        try:
            _wait_for_points(out, 2, proc)
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal signals the whole process group
            _, err = proc.communicate(timeout=120)
        finally:
            _stop(proc)
        assert proc.returncode == 130, err
        assert "interrupted: finished points are kept" in err and "Traceback" not in err, err
        before = _stamps(out)
        assert main(["sweep", "run", str(cfg), "--serial", "--no-progress", "-o", str(out)]) == 0
        text = capsys.readouterr().out
        assert re.search(r"resumed \(already done\)\s*│\s*(\d+)", text).group(1) == str(len(before))
        after = _stamps(out)
        assert {k: after[k] for k in before} == before and len(after) == 9
        np.testing.assert_array_equal(collect_sweep(out)["position"].values, _reference(cfg, tmp_path / "ref")["position"].values)
