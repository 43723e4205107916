"""`qdarwin tomography` run as a user would: the worked example, JSON, plot, NetCDF, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qdarwin.cli.main import main
from qdarwin.io.pauli_counts import write_pauli_counts
from qdarwin.tomography import all_settings, branching_state, synthetic_counts
from tests.cli._helpers import assert_one_line_error, run_json

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tomography" / "counts.json"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = synthetic_counts(branching_state(2, theta=1.4), all_settings(3), 2000, rng=np.random.default_rng(0), depolarizing=0.02)
    return write_pauli_counts(tmp_path_factory.mktemp("t") / "counts.json", d)


def test_json_keys(capsys: pytest.CaptureFixture[str], small: Path) -> None:
    out = run_json(capsys, ["tomography", str(small), "--bootstrap", "30", "--confidence", "0.9", "--delta", "0.2"])
    for key in ("m", "I", "I_low", "I_high", "chi", "chi_low", "chi_high", "R_delta", "R_delta_low", "R_delta_high", "confidence"):
        assert key in out
    assert out["m"] == [0, 1, 2] and out["confidence"] == 0.9 and out["units"] == "bits"
    assert out["interval"] == "basic" and out["n_bootstrap"] == 30
    assert out["R_delta_low"] <= out["R_delta"] <= out["R_delta_high"]
    assert len(out["objectivity"]["max_fidelity_low"]) == 3


def test_table_plot_and_netcdf(capsys: pytest.CaptureFixture[str], small: Path, tmp_path: Path) -> None:
    plot, nc = tmp_path / "report.png", tmp_path / "result.nc"
    assert main(["tomography", str(small), "--bootstrap", "20", "--plot", str(plot), "--out", str(nc)]) == 0
    out = capsys.readouterr()
    assert "R_delta (delta = 0.1" in out.out and "objectivity" in out.out and "95%" in out.out
    assert out.err == ""  # no progress bar when stderr is not a terminal
    assert plot.exists() and plot.stat().st_size > 10_000
    from qdarwin.io import load_dataset

    ds = load_dataset(nc)
    assert list(ds["m"].values) == [0, 1, 2] and ds.attrs["confidence"] == 0.95


def test_worked_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, ["tomography", str(EXAMPLE), "--bootstrap", "10"])
    assert out["n_env"] == 4 and out["mode"] == "joint"
    assert_one_line_error(capsys, ["tomography", str(EXAMPLE), "--method", "linear"], "use method 'pls' or 'mle'")


@pytest.mark.parametrize(
    "content, name, msg",
    [
        ("", "empty.json", "empty file"),
        ('{"n_qubits": 2, "settings": {"ZZ": {"00": 3}}}', "missing.json", "missing settings"),
        ('{"n_qubits": 2, "settings": {"ZQ": {"00": 3}}}', "letters.json", "only X, Y, Z are allowed"),
        ('{"n_qubits": 2, "settings": {"ZZ": {"0": 3}}}', "length.json", "bitstring of 2 characters"),
        ('{"n_qubits": 2, "settings": {"ZZ": {"00": 2.5}}}', "float.json", "non-negative integer"),
        ('{"n_qubits": 2, "settings": {"ZZ": {"00": -2}}}', "neg.json", "non-negative integer"),
        ('{"n_qubits": 2, "foo": 1, "settings": {"ZZ": {"00": 2}}}', "unknown.json", "unknown key"),
    ],
)
def test_bad_files(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, name: str, msg: str) -> None:
    p = tmp_path / name
    p.write_text(content)
    assert_one_line_error(capsys, ["tomography", str(p)], msg)


@pytest.mark.parametrize(
    "extra, msg",
    [(["--method", "ls"], "--method must be one of"), (["--confidence", "1.5"], "--confidence must lie"),
     (["--delta", "0"], "--delta must lie"), (["--bootstrap", "-1"], "--bootstrap must be >= 0"),
     (["--plot", "x.txt"], "use a .png")],
)
def test_bad_options(capsys: pytest.CaptureFixture[str], small: Path, extra: list[str], msg: str) -> None:
    assert_one_line_error(capsys, ["tomography", str(small), *extra], msg)


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(capsys, ["tomography", "nope.json"], "no such file")


def test_json_is_strict(capsys: pytest.CaptureFixture[str], small: Path) -> None:
    assert main(["tomography", str(small), "--bootstrap", "0", "--json"]) == 0
    text = capsys.readouterr().out
    json.loads(text)
