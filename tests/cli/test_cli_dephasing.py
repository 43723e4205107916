"""Tests for ``qdarwin dephasing`` (check, fit, limits) through :func:`qdarwin.cli.main.main`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qdarwin.cli.main import main
from tests.cli._helpers import run_json
from qdarwin.dephasing import check_constraints, fit_coherence

EX = Path(__file__).resolve().parents[2] / "examples" / "dephasing"


def flat(text: str) -> str:
    """Rich wraps long lines at the terminal width; compare with whitespace normalised."""
    return " ".join(text.split())


class TestCheck:
    def test_physical_example(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["dephasing", "check", str(EX / "physical_rates.csv")])
        out = flat(capsys.readouterr().out)
        assert rc == 0
        assert "PHYSICAL" in out and "NOT PHYSICAL" not in out
        assert "canonical dephasing operators of the data" in out

    def test_physical_example_json_round_trip(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "check", str(EX / "physical_rates.csv")])
        assert res["physical"] is True and res["first_violation"] is None
        v = np.array(res["canonical_operators"])
        v = v[..., 0] + 1j * v[..., 1]
        from qdarwin.dephasing import rates_from_operators

        g, _ = rates_from_operators(v)
        rows = [ln.split(",") for ln in (EX / "physical_rates.csv").read_text().splitlines() if ln and not ln.startswith(("#", "m"))]
        for r in rows:
            assert g[int(r[0]), int(r[1])] == pytest.approx(float(r[2]), abs=1e-9)

    def test_unphysical_csv_is_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["dephasing", "check", str(EX / "unphysical_rates.csv")])
        out = flat(capsys.readouterr().out)
        assert rc == 0
        assert "NOT PHYSICAL" in out and "violating direction" in out and "nearest physical data" in out
        assert "significant violation" in out

    def test_unphysical_json_s12(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "check", str(EX / "unphysical_rates.json")])
        assert res["physical"] is False
        assert res["margin"] == pytest.approx(-0.261808581779, abs=1e-7)
        assert res["margin_sigma"] == pytest.approx(0.0249850184733, abs=1e-7)
        assert res["first_violation"] == 3 and res["paper_constraint"] == 4
        assert res["nearest_physical"]["distance"] > 0
        assert "canonical_operators" in res

    def test_no_project(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "check", str(EX / "unphysical_rates.json"), "--no-project"])
        assert "nearest_physical" not in res and "canonical_operators" not in res

    def test_bootstrap(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "check", str(EX / "unphysical_rates.csv"), "--bootstrap", "20", "--seed", "3"])
        assert res["bootstrap"]["p_value"] == pytest.approx(1 / 21)

    def test_bootstrap_needs_sigma(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        f = tmp_path / "r.csv"
        f.write_text("m,n,gamma\n0,1,1\n0,2,1\n1,2,4.5\n")
        assert main(["dephasing", "check", str(f), "--bootstrap", "5"]) == 2
        assert "sigma" in flat(capsys.readouterr().err)

    def test_malformed_example(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["dephasing", "check", str(EX / "malformed_rates.csv")])
        err = capsys.readouterr().err
        assert rc == 2
        assert flat(err) == "error: gamma: negative rate gamma(1, 2) = -0.5"

    @pytest.mark.parametrize(
        "text, msg",
        [
            ("m,n,gamma\n0,1,1\n0,2,1\n", "no row for level pair (1, 2)"),
            ("m,n,gamma\n0,1,1\n1,0,2\n", "not symmetric"),
            ("m,n,gamma\n0,1,nan\n", "NaN"),
            ("m,n,gamma\n0,1,abc\n", "not a number"),
            ("m,n,gamma\n0,0,1\n", "must differ"),
            ("m,n,gamma\n0,1,1\n0,1,1\n", "given twice"),
            ("m,gamma\n0,1\n", "missing"),
            ("m,n,gamma,omega\n0,1,1,0.5\n1,0,1,0.5\n", "antisymmetric"),
        ],
    )
    def test_malformed_csv(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, msg: str) -> None:
        f = tmp_path / "bad.csv"
        f.write_text(text)
        assert main(["dephasing", "check", str(f)]) == 2
        err = flat(capsys.readouterr().err)
        assert err.startswith("error: ") and msg in err

    @pytest.mark.parametrize(
        "obj, msg",
        [
            ({"gamma": [[0, 1, 2], [1, 0, 1]]}, "square"),
            ({"omega": [[0, 1], [-1, 0]]}, "gamma"),
            ({"gamma": [[0, 1], [1, 0]], "extra": 1}, "unknown keys"),
            ({"gamma": [[0, 1], [1, 0]], "sigma_gamma": [[0, -1], [-1, 0]]}, "> 0"),
        ],
    )
    def test_malformed_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], obj: dict, msg: str) -> None:
        f = tmp_path / "bad.json"
        f.write_text(json.dumps(obj))
        assert main(["dephasing", "check", str(f)]) == 2
        assert msg in flat(capsys.readouterr().err)

    def test_missing_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["dephasing", "check", "/nonexistent/rates.csv"]) == 2
        assert "no such file" in capsys.readouterr().err


class TestFit:
    def test_example_series(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "fit", str(EX / "coherence_series.csv")])
        g = np.array(res["fit"]["gamma"])
        sg = np.array(res["fit"]["sigma_gamma"])
        truth = {(0, 1): 0.52, (0, 2): 0.385, (1, 2): 0.605}
        for (m, n), val in truth.items():
            assert abs(g[m, n] - val) < 5 * sg[m, n]
        assert res["physical"] is True
        # the CLI agrees with the library fit of one pair
        rows = [ln.split(",") for ln in (EX / "coherence_series.csv").read_text().splitlines() if ln[:1].isdigit()]
        pair = [r for r in rows if r[1] == "0" and r[2] == "1"]
        f = fit_coherence([float(r[0]) for r in pair], [complex(float(r[3]), float(r[4])) for r in pair], 0.003)
        assert g[0, 1] == pytest.approx(f.gamma, abs=1e-10)
        assert res["margin"] == pytest.approx(check_constraints(np.clip(g, 0, None), np.array(res["fit"]["omega"])).margin)

    def test_table_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["dephasing", "fit", str(EX / "coherence_series.csv")]) == 0
        out = flat(capsys.readouterr().out)
        assert "fitted coherences" in out and "canonical dephasing operators" in out

    def test_reversed_pair_is_conjugated(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        t = np.linspace(0, 2, 12)
        z = 0.5 * np.exp(-(1.0 + 2.0j) * t)
        lines = ["t,m,n,re,im"] + [f"{a},1,0,{c.real},{-c.imag}" for a, c in zip(t, z)]
        f = tmp_path / "s.csv"
        f.write_text("\n".join(lines) + "\n")
        res = run_json(capsys, ["dephasing", "fit", str(f)])
        assert res["fit"]["gamma"][0][1] == pytest.approx(1.0, abs=1e-8)
        assert res["fit"]["omega"][0][1] == pytest.approx(2.0, abs=1e-8)

    @pytest.mark.parametrize(
        "text, msg",
        [
            ("t,m,n,re\n0,0,1,1\n", "missing"),
            ("t,m,n,re,im\n0,0,1,1,0\n1,0,1,0.5,0\n2,0,1,0.2,0\n0,0,2,1,0\n", "no data for coherence (1, 2)"),
            ("t,m,n,re,im\n0,0,1,1,0\n1,0,1,0.5,0\n", "at least 3"),
            ("t,m,n,re,im\n0,1,1,1,0\n", "must differ"),
        ],
    )
    def test_malformed(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, msg: str) -> None:
        f = tmp_path / "bad.csv"
        f.write_text(text)
        assert main(["dephasing", "fit", str(f)]) == 2
        assert msg in flat(capsys.readouterr().err)


class TestLimits:
    def test_three_qubits_s10(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "limits", "--qubits", "3", "--mu", "1.5", "--mu", "1.0"])
        assert [e["value"] for e in res["eigenvalues"]] == pytest.approx([1.5, 1.5, -0.5])
        assert [e["multiplicity"] for e in res["eigenvalues"]] == [3, 3, 1]
        assert res["margin"] == pytest.approx(-0.5) and res["physical"] is False
        # the paper's naming (Fig. 3): mu_1 two-bit, mu_2 three-bit coherences; the triangle
        # mu_1 + mu_2 >= 1, mu_2 <= 1 + mu_1, mu_2 >= 3 mu_1 - 3
        assert res["hamming_constraints"] == ["mu_1 + mu_2 - 1 >= 0", "mu_1 - mu_2 + 1 >= 0", "-3 mu_1 + mu_2 + 3 >= 0"]
        assert res["mu"] == [1.5, 1.0] and res["rate_factors_by_distance"] == [1.0, 1.5, 1.0]

    def test_mu_naming_matches_fig3_and_sweep(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One convention: limits --mu a --mu b, violation_map(a, b) and hamming_margin(mu1=a, mu2=b) agree."""
        from qdarwin.dephasing import violation_map
        from qdarwin.sweep.functions import hamming_margin

        for a, b in [(1.5, 1.0), (0.5, 2.0), (1.8, 3.5), (1.2, 1.0)]:
            res = run_json(capsys, ["dephasing", "limits", "--qubits", "3", "--mu", str(a), "--mu", str(b)])
            allowed = int(violation_map([a], [b])[0, 0]) == 0
            assert res["physical"] is allowed
            assert bool(hamming_margin(a, b)["physical"]) is allowed
            assert float(hamming_margin(a, b)["margin"]) == pytest.approx(res["margin"], abs=1e-12)

    def test_two_qubit_point(self, capsys: pytest.CaptureFixture[str]) -> None:
        res = run_json(capsys, ["dephasing", "limits", "--gamma14", "2.5", "--gamma23", "2.5"])
        assert res["two_qubit_point"]["allowed"] is False
        assert res["two_qubit_point"]["margin"] == pytest.approx(-0.5)
        assert "Gamma14 + Gamma23 <= 4" in res["two_qubit_region"]
        rc = main(["dephasing", "limits", "--gamma", "1", "--gamma-b", "0.5", "--gamma14", "1.5", "--gamma23", "1.5"])
        out = flat(capsys.readouterr().out)
        assert rc == 0 and "(1.5, 1.5): allowed" in out and "Gamma14 * Gamma23 >= 0.25" in out

    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["dephasing", "limits", "--qubits", "3", "--mu", "1.2", "--mu", "1.5"]) == 0
        out = flat(capsys.readouterr().out)
        assert "triangle" in out and "margin = 0.7: physical" in out

    @pytest.mark.parametrize(
        "args, msg",
        [
            (["--qubits", "3", "--mu", "1"], "give 2 value(s)"),
            (["--qubits", "3", "--gamma14", "1"], "apply to two qubits only"),
            (["--gamma14", "1"], "both"),
            (["--qubits", "0"], "qubits must be >= 1"),
            (["--qubits", "2", "--mu", "-1"], "mu must be >= 0"),
        ],
    )
    def test_bad(self, capsys: pytest.CaptureFixture[str], args: list[str], msg: str) -> None:
        assert main(["dephasing", "limits", *args]) == 2
        assert msg in flat(capsys.readouterr().err)
