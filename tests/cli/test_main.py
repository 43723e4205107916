"""Tests for the top-level CLI: help, version, error handling (one line, exit 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qdarwin import __version__
from qdarwin.cli.main import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_reproduce_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "--list"]) == 0


def test_unknown_pillar_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: unknown pillar")


def test_unknown_command_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2


def test_console_script_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "qdarwin.cli.main", "reproduce", "nope"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
