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


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["spins", "chernoff", "--n-env", "3"], "Missing option '--t'"),
        (["spins", "chernoff", "--n-env", "3", "--t", "1", "--bogus"], "No such option: --bogus"),
        (["nosuchcmd"], "No such command 'nosuchcmd'"),
        (["spins", "nosuch"], "see 'qdarwin spins --help'"),
        (["spins", "info", "--t", "1", "--fragment", "0", "--n-env", "abc"], "Invalid value for '--n-env'"),
    ],
)
def test_click_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    # regression: click printed Usage + "Try ..." + blank + "Error: ..." (4 lines on stderr)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and fragment in err, err


def test_bare_group_prints_its_help_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    # regression: `qdarwin spins` printed the help to stderr with exit code 2
    assert main(["spins"]) == 0
    out = capsys.readouterr()
    assert "chernoff" in out.out and out.err == ""


def test_reproduce_names_the_html_report(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    # regression: `qdarwin reproduce spins` wrote results/index_spins.html but never said so
    rc = main(["reproduce", "spins", "--only", "spec_reference_values", "-o", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0 and f"report (figures next to their claims): {tmp_path / 'index_spins.html'}" in out
    assert main(["reproduce", "spins", "--only", "spec_reference_values", "-o", str(tmp_path), "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["report"] == str(tmp_path / "index_spins.html")


@pytest.mark.parametrize(
    "argv",
    [["reproduce"], ["spins", "redundancy"], ["spins", "estimate"], ["dephasing", "limits"], ["dephasing", "check"], ["sweep", "run"]],
)
def test_help_metavars_are_readable(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    # regression: repeatable options showed python types, e.g. "--only <list[str]>"
    assert main(argv + ["--help"]) == 0
    assert "list[" not in capsys.readouterr().out
