"""Tests for ``qdarwin spins`` (src/qdarwin/cli/spins.py): each command, JSON, TOML, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.cli.main import main
from tests.cli._helpers import assert_one_line_error, run_json
from qdarwin.cli.spins import build_model, parse_fragment, parse_number, parse_values

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "spins"
ROW9 = ["--p", "0.3", "--g", "0.3,0.7,1.1,0.5", "--omega", "0,0.4,0,0.9", "--theta", "pi/2,1,2,pi/3",
        "--phi", "0,0.5,1,2"]


class TestParsing:
    def test_numbers_and_expressions(self) -> None:
        assert parse_number("15*pi/64", "t") == pytest.approx(0.7363107782, abs=1e-10)
        assert parse_number("sqrt(0.21)", "c") == pytest.approx(math.sqrt(0.21))
        assert parse_number("-2**-3", "x") == -0.125
        assert parse_values("0.5, pi/2", "theta") == [0.5, math.pi / 2]
        assert parse_values(["pi", 2], "theta") == [math.pi, 2.0]

    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_round_trip(self, x: float) -> None:
        assert parse_number(repr(x), "x") == x
        assert parse_values(f"{x!r},{x!r}", "x") == [x, x]

    def test_overflow_is_an_input_error(self) -> None:
        with pytest.raises(ValueError, match="cannot read"):
            parse_number("9**9**9", "x")

    @pytest.mark.parametrize("bad", ["__import__('os')", "pi/", "open", "1,,2", "x+1", "lambda: 1"])
    def test_rejects_code_and_garbage(self, bad: str) -> None:
        with pytest.raises(ValueError, match="cannot read"):
            parse_values(bad, "--g")

    def test_fragment(self) -> None:
        assert parse_fragment("0,2") == [0, 2]
        assert parse_fragment("1-3,7") == [1, 2, 3, 7]
        with pytest.raises(ValueError, match="invalid fragment"):
            parse_fragment("a,b")

    def test_build_model_file_and_override(self) -> None:
        env = build_model(EXAMPLES / "heterogeneous4.toml")
        assert env.n_env == 4
        assert env.theta[0] == pytest.approx(math.pi / 2)
        env2 = build_model(EXAMPLES / "heterogeneous4.toml", p="0.5", a="0.9")
        assert env2.p == 0.5 and np.all(env2.a == 0.9)

    def test_build_model_needs_environment(self) -> None:
        with pytest.raises(ValueError, match="no environment given"):
            build_model(p="0.5")


class TestChernoff:
    def test_table_and_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["spins", "chernoff", "--n-env", "2", "--g", "0.5", "--t", "15*pi/64"])
        out = capsys.readouterr().out
        assert rc == 0 and "nats" in out and "0.5996412271" in out
        # spec §9 row 1 (per spin) and the typical value of identical spins
        data = run_json(capsys, ["spins", "chernoff", "--n-env", "2", "--g", "0.5", "--t", "15*pi/64,1"])
        assert data["units"] == "nats"
        assert data["per_spin"][0][0] == pytest.approx(0.599641227094, abs=1e-9)
        assert data["typical_chernoff"][0] == pytest.approx(0.599641227094, abs=1e-9)
        assert len(data["t"]) == 2

    def test_log_of_mean_below_mean_of_logs(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "chernoff", "--g", "0.3,0.7,1.1", "--t", "1"])
        xs = np.array(data["per_spin"][0])
        # independent route: -ln mean exp(-xi_k) from the per-spin values (Jensen)
        assert data["typical_chernoff"][0] == pytest.approx(-math.log(np.mean(np.exp(-xs))), rel=1e-12)
        assert data["mean_of_logs"][0] == pytest.approx(float(np.mean(xs)), rel=1e-12)
        assert data["typical_chernoff"][0] < data["mean_of_logs"][0]

    def test_per_spin_only_on_request_for_large_n(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "chernoff", "--n-env", "50", "--g", "0.5", "--t", "1"])
        assert data["per_spin"] is None
        data = run_json(capsys, ["spins", "chernoff", "--n-env", "50", "--g", "0.5", "--t", "1", "--per-spin"])
        assert len(data["per_spin"][0]) == 50
        assert data["typical_chernoff"][0] == pytest.approx(data["per_spin"][0][0], rel=1e-12)

    def test_bad_bloch_length(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["spins", "chernoff", "--n-env", "3", "--a", "1.5", "--t", "1"],
                              "Bloch vector length must be in [0, 1]")


class TestInfo:
    def test_row9_command_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "info", *ROW9, "--t", "0.8", "--fragment", "0,2"])
        assert data["units"] == "bits"
        assert data["mutual_information"] == pytest.approx(1.07566103833, abs=1e-9)
        assert data["holevo"] == pytest.approx(0.776252296903, abs=1e-9)
        assert data["discord"] == pytest.approx(0.299408741431, abs=1e-9)
        assert data["holevo_deficit"] == pytest.approx(data["H_p"] - data["holevo"], abs=1e-12)

    def test_row9_toml_file_and_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        model = str(EXAMPLES / "heterogeneous4.toml")
        data = run_json(capsys, ["spins", "info", "--model", model, "--t", "0.8", "--fragment", "0,2"])
        assert data["holevo"] == pytest.approx(0.776252296903, abs=1e-9)
        rc = main(["spins", "info", "--model", model, "--t", "0.8", "--fragment", "0,2"])
        out = capsys.readouterr().out
        assert rc == 0 and "(bits)" in out and "1.075661038" in out

    def test_identical_mixed_uses_symmetric_method(self, capsys: pytest.CaptureFixture[str]) -> None:
        model = str(EXAMPLES / "identical_mixed.toml")
        data = run_json(capsys, ["spins", "info", "--model", model, "--t", "pi/8", "--fragment", "0-5"])
        # spec §9 row 10
        assert data["holevo"] == pytest.approx(0.574597650897, abs=1e-9)
        assert data["mutual_information"] == pytest.approx(1.56329705919, abs=1e-9)
        assert data["holevo_deficit"] == pytest.approx(0.425402349103, abs=1e-9)

    def test_bad_fragment(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["spins", "info", *ROW9, "--t", "0.8", "--fragment", "0,7"], "invalid fragment")

    def test_heterogeneous_mixed_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["spins", "info", "--g", "0.3,0.7", "--a", "0.5,0.9", "--t", "1", "--fragment", "0"],
                              "needs pure spins")


class TestRedundancy:
    def test_json_columns_consistent(self, capsys: pytest.CaptureFixture[str]) -> None:
        model = str(EXAMPLES / "random_band32.toml")
        data = run_json(capsys, ["spins", "redundancy", "--model", model, "--t", "1", "--delta", "1e-10",
                                 "--delta", "1e-6"])
        assert data["n_env"] == 32 and len(data["rows"]) == 2
        for row in data["rows"]:
            # QCB estimate R = N xi / ln(1/delta) (spec §3.1) from the printed xi
            assert row["R_qcb"] == pytest.approx(32 * row["xi_qcb_nats"] / -math.log(row["delta"]), rel=1e-12)
            if row["F_delta"] is not None and math.isfinite(row["F_delta"]):
                assert row["R_exact"] == pytest.approx(32 / row["F_delta"], rel=1e-12)
                assert row["F_delta"] - 1 < row["F_delta_cont"] <= row["F_delta"] + 1e-12
        small, large = data["rows"]
        assert large["R_qcb"] > small["R_qcb"]

    def test_identical_spins_closed_form(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "redundancy", "--n-env", "32", "--g", "0.5", "--t", "pi/4"])
        row = data["rows"][0]
        # identical pure spins at 2gt = pi/4: <x> = 1/2, xi = ln 2
        assert row["xi_qcb_nats"] == pytest.approx(math.log(2), abs=1e-12)
        assert row["R_qcb"] == pytest.approx(32 * math.log(2) / math.log(1e10), abs=1e-12)

    def test_heterogeneous_mixed_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["spins", "redundancy", "--a", "0.8,0.9,0.7,1", "--g", "1", "--t", "1"])
        out = capsys.readouterr().out
        assert rc == 0 and "R_QCB" in out and "need pure spins" in out

    def test_identical_mixed_exact_brackets_threshold(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "redundancy", "--n-env", "40", "--a", "0.8", "--t", "0.6", "--delta", "1e-3"])
        row = data["rows"][0]
        assert "permutation-symmetric" in data["note"] and row["R_expansion"] is None
        f = int(row["F_delta"])
        assert row["R_exact"] == pytest.approx(40 / f, rel=1e-12)
        # the deficit of the info command crosses delta H(p) exactly between F - 1 and F spins
        deficits = []
        for m in (f - 1, f):
            info = run_json(capsys, ["spins", "info", "--n-env", "40", "--a", "0.8", "--t", "0.6", "--fragment", f"0-{m - 1}"])
            deficits.append(info["holevo_deficit"])
        assert deficits[1] <= 1e-3 * data["H_p_bits"] < deficits[0]
        # mixed spins: exact redundancy lies above the QCB estimate (spec §3.1)
        assert row["R_exact_cont"] >= row["R_qcb"]

    def test_bad_delta(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["spins", "redundancy", "--n-env", "4", "--t", "1", "--delta", "1.5"],
                              "delta must lie in the open interval (0, 1)")


class TestCurve:
    def test_json_and_plot(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        png = tmp_path / "curve.png"
        data = run_json(capsys, ["spins", "curve", *ROW9, "--t", "0.8", "--average", "--plot", str(png)])
        assert png.exists() and png.stat().st_size > 1000
        m = np.array(data["m"])
        assert m.tolist() == [0, 1, 2, 3, 4]
        i_sf = np.array(data["mutual_information"])
        chi = np.array(data["holevo"])
        assert abs(i_sf[0]) < 1e-12 and np.all(np.diff(chi) >= -1e-12)
        np.testing.assert_allclose(np.array(data["discord"]), i_sf - chi, atol=1e-12)
        np.testing.assert_allclose(np.array(data["holevo_deficit"]), data["H_p"] - chi, atol=1e-12)
        # the fragment average at m = N is the full environment, at m = 0 the full entropy
        av = np.array(data["average_holevo_deficit"])
        assert av[0] == pytest.approx(data["H_p"], abs=1e-12)
        assert av[-1] == pytest.approx(data["holevo_deficit"][-1], abs=1e-12)

    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["spins", "curve", "--n-env", "200", "--g", "0.05", "--t", "1"])
        out = capsys.readouterr().out
        assert rc == 0 and "I(S:F_m) (bits)" in out and "every 5th m" in out

    def test_bad_plot_suffix(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["spins", "curve", "--n-env", "3", "--t", "1", "--plot", str(tmp_path / "x.txt")],
                              "--plot file must end in")

    def test_bad_toml(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text("g = [0.1, 0.2]\ncolour = 3\n")
        assert_one_line_error(capsys, ["spins", "curve", "--model", str(bad), "--t", "1"], "unknown spin-environment keys")

    def test_missing_model_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        assert_one_line_error(capsys, ["spins", "curve", "--model", str(tmp_path / "none.toml"), "--t", "1"],
                              "no such file")
