"""Tests for `qdarwin spins estimate` (run as a user would, on the example files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qdarwin.cli.main import main
from tests.cli._helpers import assert_one_line_error

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "experiment"


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spins", "estimate", str(EXAMPLES / "bloch_estimates.csv"), "--bootstrap", "200"]) == 0
    out = capsys.readouterr().out
    assert "xi_QCB (log of mean)" in out and "FLAG" in out and "R_delta, delta = 0.001" in out


def test_json_output_and_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plot = tmp_path / "est.png"
    argv = ["spins", "estimate", str(EXAMPLES / "counts.json"), "--delta", "1e-3", "--delta", "1e-6",
            "--bootstrap", "200", "--json", "--plot", str(plot)]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n_env"] == 200 and len(data["redundancy"]) == 2
    r3, r6 = data["redundancy"]
    assert r3["estimate"] == pytest.approx(2 * r6["estimate"], rel=1e-12)  # ln(1e6)/ln(1e3) = 2
    assert r3["low"] <= r3["estimate"] <= r3["high"]
    assert plot.exists() and plot.with_suffix(".pdf").exists()


@pytest.mark.parametrize(
    "argv, msg",
    [
        (["spins", "estimate", str(EXAMPLES / "malformed.csv")], "n_plus: expected a number"),
        (["spins", "estimate", str(EXAMPLES / "counts.json"), "--delta", "2"], "delta must lie in the open interval"),
        (["spins", "estimate", "does-not-exist.csv"], "no such file"),
    ],
)
def test_bad_input_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], msg: str) -> None:
    assert_one_line_error(capsys, argv, msg)
