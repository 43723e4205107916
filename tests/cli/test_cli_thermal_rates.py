"""Tests for ``qdarwin thermal rates`` / ``ensemble`` (src/qdarwin/cli/thermal_rates.py).

The commands are mounted on a local Typer app here (the integrator mounts them under
``qdarwin thermal``); errors go through the same one-line handling as ``qdarwin.cli.main``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import typer

from qdarwin.cli.thermal_rates import ensemble, rates
from qdarwin.thermal.energy import time_averaged_energy_laws
from qdarwin.thermal.ensemble import projective_ensemble
from qdarwin.thermal.evolution import iter_branch_states
from qdarwin.thermal.models import ChaoticIsing, preset
from qdarwin.thermal.rates import chernoff_exponent, crossing_exponent
from tests.cli._helpers import run_json as _run_json

app = typer.Typer()
app.command("rates")(rates)
app.command("ensemble")(ensemble)


def invoke(argv: list[str]) -> int:
    """Run the local app like ``qdarwin.cli.main.main``: ValueError -> exit code 2."""
    try:
        app(args=argv, standalone_mode=False)
    except click.exceptions.UsageError:
        return 2
    except ValueError as exc:
        import sys

        sys.stderr.write(f"error: {str(exc).splitlines()[0]}\n")
        return 2
    return 0


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    return _run_json(capsys, argv, invoke=invoke)


class TestRates:
    def test_json_matches_core(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(
            capsys,
            ["rates", "--preset", "redundant", "-N", "10", "--m", "3,4", "--t-window", "10,20"],
        )
        (law3, law4) = time_averaged_energy_laws(
            ChaoticIsing(10), preset("redundant"), [3, 4], times=[10.0, 20.0]
        )
        rows = {r["m"]: r for r in data["fractions"]}
        assert rows[4]["kappa_cross"] == pytest.approx(crossing_exponent(law4).kappa, abs=1e-12)
        assert rows[3]["chernoff"] == pytest.approx(chernoff_exponent(law3).exponent, abs=1e-12)
        assert rows[4]["mean_density"] == pytest.approx(law4.mean_density.tolist(), abs=1e-12)
        assert data["energy_density_global"] == pytest.approx(
            [0.9045084972, -0.9045084972], abs=1e-9
        )
        assert data["units"]["exponents"] == "nats per site"

    def test_reference_values_single_time(self, capsys: pytest.CaptureFixture[str]) -> None:
        """§15 F through the CLI: redundant, N = 10, t = 10, m = 4."""
        data = run_json(capsys, ["rates", "-N", "10", "--m", "4", "--t-window", "10"])
        row = data["fractions"][0]
        assert row["kappa_cross"] == pytest.approx(0.1654218, abs=1e-5)
        assert row["e_star"] == pytest.approx(-0.0544692, abs=1e-5)
        assert row["chernoff"] == pytest.approx(0.1848782, abs=1e-5)
        assert row["var_density"] == pytest.approx([2.3230312421, 1.0664662152], abs=1e-6)

    def test_netcdf_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin.io import load_dataset

        target = tmp_path / "rates.nc"
        data = run_json(
            capsys, ["rates", "-N", "8", "--m", "2,3", "--t-window", "4", "--out", str(target)]
        )
        ds = load_dataset(target)
        assert ds["kappa_cross"].sel(m=3).item() == pytest.approx(
            data["fractions"][1]["kappa_cross"], abs=1e-12
        )
        assert ds["rate"].dims == ("branch", "m", "e") and int(ds.attrs["N"]) == 8

    def test_table_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert invoke(["rates", "-N", "8", "--m", "3", "--t-window", "5"]) == 0
        out = capsys.readouterr().out
        assert (
            "kappa*" in out and "Chernoff exponent" in out and "variance density, branch 1" in out
        )

    def test_encoding_has_no_exponent(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(
            capsys, ["rates", "--preset", "encoding", "-N", "8", "--m", "2", "--t-window", "0"]
        )
        # at t = 0 the two encoding branches have identical energy laws: no crossing
        assert data["fractions"][0]["pair"] == [-1, -1]

    @pytest.mark.parametrize(
        "argv, fragment",
        [
            (["rates", "-N", "8", "--m", "13"], "fraction size"),
            (["rates", "-N", "8", "--m", "x"], "integers"),
            (["rates", "--preset", "bogus", "-N", "8"], "unknown preset"),
            (["rates", "-N", "2"], "N"),
            (["rates", "-N", "8", "--t-window", "-1"], "times"),
        ],
    )
    def test_bad_input(
        self, capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
    ) -> None:
        assert invoke(argv) == 2
        assert fragment in capsys.readouterr().err


class TestEnsemble:
    def test_json_matches_core(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["ensemble", "--preset", "encoding", "-N", "10", "--t", "10"])
        assert data["mean_z2"] == pytest.approx(0.31425987, abs=1e-6)
        assert data["mean_abs_z"] == pytest.approx(0.48830266, abs=1e-6)
        assert sum(data["hist"]["probability"]) == pytest.approx(1.0)

    def test_partial_measurement_and_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert (
            invoke(["ensemble", "-N", "8", "--t", "2", "--measured", "0,3,5", "--bins", "4"]) == 0
        )
        out = capsys.readouterr().out
        assert "E[z^2]" in out and "mean_z2" not in out and "bin centre" in out  # readable labels, not raw keys
        ((_, psi),) = list(iter_branch_states(ChaoticIsing(8), preset("redundant"), [2.0]))
        ref = projective_ensemble(psi, [0.5, 0.5], measured=[0, 3, 5], bins=4)
        data = run_json(
            capsys, ["ensemble", "-N", "8", "--t", "2", "--measured", "0,3,5", "--bins", "4"]
        )
        assert data["mean_z2"] == pytest.approx(ref.mean_z2, abs=1e-12)
        assert data["n_outcomes"] == 8

    def test_plot(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        target = tmp_path / "hist.png"
        assert invoke(["ensemble", "-N", "8", "--t", "5", "--plot", str(target)]) == 0
        assert target.exists() and target.stat().st_size > 1000
        assert target.with_suffix(".pdf").exists()

    def test_netcdf_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin.io import load_dataset

        target = tmp_path / "ens.nc"
        data = run_json(capsys, ["ensemble", "-N", "6", "--t", "3", "--out", str(target)])
        ds = load_dataset(target)
        assert float(ds.attrs["mean_z2"]) == pytest.approx(data["mean_z2"], abs=1e-12)
        assert ds["bloch"].shape == (64, 3) and float(ds["weights"].sum()) == pytest.approx(1.0)

    def test_d4_reports_populations(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(
            capsys, ["ensemble", "--preset", "partial_degeneracy", "-N", "6", "--t", "1"]
        )
        assert data["mean_populations"] == pytest.approx([0.25] * 4, abs=1e-12)

    @pytest.mark.parametrize(
        "argv, fragment",
        [
            (["ensemble", "-N", "8", "--t", "-1"], "--t"),
            (["ensemble", "-N", "8", "--bins", "0"], "bins"),
            (["ensemble", "-N", "8", "--measured", "0,0"], "duplicate"),
            (["ensemble", "--preset", "partial_degeneracy", "-N", "6", "--plot", "x.png"], "d = 2"),
        ],
    )
    def test_bad_input(
        self, capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
    ) -> None:
        assert invoke(argv) == 2
        assert fragment in capsys.readouterr().err


class TestMountedCommands:
    def test_through_qdarwin_main(self, capsys: pytest.CaptureFixture[str]) -> None:
        from qdarwin.cli.main import main

        assert main(["thermal", "rates", "-N", "8", "--m", "3", "--t-window", "5", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["fractions"][0]["m"] == 3
        assert main(["thermal", "ensemble", "-N", "6", "--t", "1", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["n_outcomes"] == 64
        assert main(["thermal", "rates", "-N", "8", "--m", "99"]) == 2
        err = capsys.readouterr().err
        assert "fraction size" in err and len(err.strip().splitlines()) == 1
