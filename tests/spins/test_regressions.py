"""Regression tests for defects found by outside audits of the spins pillar (one class per defect)."""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import numpy as np
import pytest
import qutip

from qdarwin.cli.main import main
from qdarwin.cli.spins import fragment_label, parse_fragment
from qdarwin.spins import (
    SpinEnvironment,
    annealed_redundancy,
    conditional_states,
    decoherence_factor,
    discretised_redundancy,
    fragment_average_information,
    identical_redundancy,
    redundancy_expansion,
    redundancy_qcb,
    sym_power,
    typical_chernoff_states,
)
from qdarwin import spins as S_exp
from qdarwin.spins.summary import fragment_information, redundancy_summary
from tests.cli._helpers import assert_one_line_error, run_json

ROOT = Path(__file__).resolve().parents[2]


class TestEulerMaclaurinOverflow:
    """``fragment_average_information([0.99], 0.12)`` was NaN: |c|^2/(pq) rounded to 1 + 2^-52."""

    def test_reported_case(self) -> None:
        r = fragment_average_information([0.99], 0.12)
        assert np.all(np.isfinite(r.I)) and np.all(np.isfinite(r.discord))
        assert float(r.I[1]) == pytest.approx(0.0435180676, abs=1e-10)
        e = fragment_average_information([0.99], 0.12, method="enumerate")
        assert float(r.I[1]) == pytest.approx(float(e.I[1]), abs=1e-12)

    def test_scan_near_one(self) -> None:
        """A grid of (|gamma| >= 0.99, p) pairs (the full 12 x 33 audit grid, 1188 cases with 1-3 spins,
        was checked once: worst difference to enumeration 6.8e-14 bits)."""
        worst = 0.0
        with np.errstate(over="raise", invalid="raise"):
            for g in np.linspace(0.99, 1.0, 6):
                for p in np.linspace(0.01, 0.99, 12):
                    a = fragment_average_information([g], p)
                    b = fragment_average_information([g], p, method="enumerate")
                    assert np.all(np.isfinite(a.I)) and np.all(np.isfinite(a.discord))
                    worst = max(worst, float(np.max(np.abs(a.I - b.I))), float(np.max(np.abs(a.discord - b.discord))))
        assert worst < 1e-10


class TestRedundancyAtMostN:
    """Orthogonal records (xi = inf, gamma ~ 1e-16) gave R = inf or R > N; now R = N in every estimator."""

    def test_qcb(self) -> None:
        assert redundancy_qcb(10, math.inf, 0.1) == 10.0

    def test_expansion_from_tiny_overlap(self) -> None:
        assert redundancy_expansion(2, 1e-32, 1e-10, 0.5) == 2.0
        assert redundancy_expansion(2, 0.0, 1e-10, 0.5) == 2.0

    def test_identical_and_annealed(self) -> None:
        assert identical_redundancy(0.0, 0.5, 1e-10) == (1.0, 1.0)
        assert annealed_redundancy([0.0], 0.5, 1e-10) == (1.0, 1.0)
        assert annealed_redundancy([1e-30, 1e-28], 0.5, 1e-10) == (1.0, 1.0)

    def test_discretised(self) -> None:
        assert discretised_redundancy(2, [0.0, 0.0], 1e-10) == (2.0, 1.0)

    def test_all_columns_of_the_cli_case(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "redundancy", "--n-env", "2", "--t", "pi/4"])
        row = data["rows"][0]
        for key in ("R_qcb", "R_expansion", "R_exact", "R_exact_cont", "R_discretised"):
            assert row[key] == pytest.approx(2.0, abs=1e-12), key
        assert row["F_delta_cont"] == 1.0

    @pytest.mark.parametrize("t", [0.3, 0.7, math.pi / 4, 1.3, 2.0])
    def test_never_above_n(self, t: float) -> None:
        env = SpinEnvironment(g=[1.0, 0.9, 1.1], theta=[1.2, 1.6, 2.0], omega=[0.0, 0.1, 0.0])
        for row in redundancy_summary(env, [t], [1e-3, 1e-10]).rows:
            for val in (row.R_qcb, row.R_expansion, row.R_exact, row.R_exact_cont, row.R_discretised):
                assert val is not None and 0.0 <= val <= 3.0


class TestFragmentParsing:
    def test_backwards_range_is_an_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["spins", "info", "--n-env", "4", "--t", "1", "--fragment", "3-1"], "runs backwards")

    def test_empty_fragment_refused_by_core(self) -> None:
        with pytest.raises(ValueError, match="at least one spin"):
            fragment_information(SpinEnvironment.identical(3), 1.0, [])

    def test_long_fragment_title_is_compact(self, capsys: pytest.CaptureFixture[str]) -> None:
        rc = main(["spins", "info", "--n-env", "600", "--t", "1", "--fragment", "0-499"])
        out = capsys.readouterr().out
        assert rc == 0
        assert "[0-499] (500 spins)" in out
        assert "498" not in out

    def test_label(self) -> None:
        assert fragment_label([0, 1, 2, 5, 7, 8]) == "[0-2,5,7-8] (6 spins)"
        assert fragment_label(list(range(0, 40, 2))).endswith(",...] (20 spins)")
        assert parse_fragment("0-2,5") == [0, 1, 2, 5]


class TestHugeSizesAndInts:
    def test_identical_huge_n_refused_before_allocating(self) -> None:
        start = time.perf_counter()
        with pytest.raises(ValueError, match="n_env"):
            SpinEnvironment.identical(10**13, a=0.5)
        with pytest.raises(ValueError, match="n_env"):
            SpinEnvironment.identical(2**64 + 1)
        with pytest.raises(ValueError, match="n_env"):
            SpinEnvironment.from_mapping({"n_env": 10**13})
        assert time.perf_counter() - start < 1.0

    def test_cli_huge_n(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_one_line_error(capsys, ["spins", "chernoff", "--n-env", str(2**64 + 1), "--t", "1"], "n_env")

    @pytest.mark.parametrize(
        "call, name",
        [
            (lambda: SpinEnvironment(p=10**400), "p"),
            (lambda: SpinEnvironment(g=10**400), "g"),
            (lambda: fragment_average_information([0.5], 10**400), "p"),
            (lambda: fragment_average_information([10**400], 0.3), "gamma_abs"),
            (lambda: redundancy_qcb(10, 10**400, 0.1), "xi"),
            (lambda: redundancy_qcb(10**400, 0.1, 0.1), "n_env"),
            (lambda: SpinEnvironment(c=10**400), "c"),
        ],
    )
    def test_huge_ints_name_the_argument(self, call, name: str) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            call()


class TestModelFile:
    def test_only_unknown_keys_are_named(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        f = tmp_path / "m.toml"
        f.write_text("foo = 1\nbar = 2\n")
        assert_one_line_error(capsys, ["spins", "chernoff", "--model", str(f), "--t", "1"], "unknown spin-environment keys: bar, foo")


class TestEstimateOutput:
    def test_units_and_targets(self, capsys: pytest.CaptureFixture[str]) -> None:
        csv = str(ROOT / "examples" / "experiment" / "nv_bath_counts.csv")
        rc = main(["spins", "estimate", csv, "--bootstrap", "100"])
        out = capsys.readouterr().out
        assert rc == 0
        assert re.search(r"xi_QCB \(log of mean\), bias-corrected\s*│?\s*\n?.*", out)
        assert out.count("(nats)") >= 4
        assert "THIS bath" in out and "POPULATION" in out and "docs/experiment.md" in out

    def test_json_carries_both_targets(self, capsys: pytest.CaptureFixture[str]) -> None:
        csv = str(ROOT / "examples" / "experiment" / "nv_bath_counts.csv")
        data = run_json(capsys, ["spins", "estimate", csv, "--bootstrap", "100"])
        assert data["xi"]["target"].startswith("this bath")
        assert data["xi_population"]["target"].startswith("bath population")
        assert len(data["redundancy"]) == len(data["redundancy_population"]) == 1
        assert data["xi_population"]["low"] < data["xi"]["low"] <= data["xi"]["high"] < data["xi_population"]["high"]
        json.dumps(data)


class TestQobjInterop:
    def test_typical_chernoff_states_accepts_qobj(self) -> None:
        up, down = qutip.basis(2, 0), (qutip.basis(2, 0) + qutip.basis(2, 1)).unit()
        ref = typical_chernoff_states([np.diag([1.0, 0.0])], [np.full((2, 2), 0.5)])
        for a, b in (([up], [down]), (up, down), ([qutip.ket2dm(up)], [qutip.ket2dm(down)]), (np.array([1.0, 0.0]), [down])):
            got = typical_chernoff_states(a, b)
            assert got.xi == pytest.approx(ref.xi, abs=1e-12)

    def test_model_functions_accept_qobj(self) -> None:
        ket = (qutip.basis(2, 0) + 1j * qutip.basis(2, 1)).unit()
        dm = np.asarray(qutip.ket2dm(ket).full())
        assert decoherence_factor(ket, 1.0, 0.3, 0.5) == pytest.approx(decoherence_factor(dm, 1.0, 0.3, 0.5), abs=1e-14)
        u1, d1 = conditional_states(qutip.ket2dm(ket), 0.7, 0.2, 0.4)
        u2, d2 = conditional_states(dm, 0.7, 0.2, 0.4)
        np.testing.assert_allclose(u1, u2, atol=1e-14)
        np.testing.assert_allclose(sym_power(qutip.sigmax(), 2), sym_power([[0, 1], [1, 0]], 2), atol=1e-14)

    def test_invalid_ket_refused(self) -> None:
        with pytest.raises(ValueError, match="rhos_up"):
            typical_chernoff_states([np.array([1.0, 1.0])], [np.array([1.0, 0.0])])


class TestNoSpecCitations:
    """Code, CLI output and docs of the pillar cite papers and docs pages, not internal spec sections."""

    FILES = [
        *sorted((ROOT / "src" / "qdarwin" / "spins").glob("*.py")),
        ROOT / "src" / "qdarwin" / "cli" / "spins.py",
        ROOT / "src" / "qdarwin" / "cli" / "spins_estimate.py",
        ROOT / "src" / "qdarwin" / "io" / "tomography.py",
        ROOT / "src" / "qdarwin" / "figures" / "spins_experiment.py",
        *sorted((ROOT / "docs").glob("spins-*.md")),
        ROOT / "docs" / "experiment.md",
        ROOT / "docs" / "tutorial-spins.md",
    ]

    @pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
    def test_no_spec_or_issue(self, path: Path) -> None:
        text = path.read_text()
        assert not re.search(r"spec §|shared/spec|spec [a-z-]+\.md|\bissue \d+|§\d", text, flags=re.IGNORECASE)

    def test_cli_method_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, ["spins", "info", "--n-env", "3", "--t", "0.4", "--fragment", "0"])
        assert "arXiv:1512.07578" in data["method"] and "§" not in data["method"]


class TestTomographyInputs:
    """Huge or malformed inputs to the tomography estimator are ValueErrors naming the argument."""

    @pytest.mark.parametrize(
        "call, name",
        [
            (lambda: S_exp.TomographyCounts(np.full((1, 2, 3), 10**400, dtype=object), np.full((1, 2, 3), 10)), "n_plus"),
            (lambda: S_exp.TomographyCounts(np.ones((1, 2, 3)), np.full((1, 2, 3), 2.0**60)), "shots"),
            (lambda: S_exp.BlochEstimates(np.full((1, 2, 3), 10**400, dtype=object), np.ones((1, 2, 3))), "bloch"),
            (lambda: S_exp.BlochEstimates("x", "y"), "bloch"),
            (lambda: S_exp.estimate_redundancy(_zeros(), n_env=10**400, n_bootstrap=0), "n_env"),
            (lambda: S_exp.estimate_redundancy(_zeros(), n_bootstrap=10**12), "n_bootstrap"),
            (lambda: S_exp.estimate_redundancy(_zeros(), system_p=0.5, system_c="x", n_bootstrap=0), "system_c"),
            (lambda: S_exp.estimate_redundancy(_zeros(), deltas=[10**400], n_bootstrap=0), "delta"),
            (lambda: S_exp.nv_like_bath(10**13, np.random.default_rng(0)), "n_spins"),
            (lambda: S_exp.synthetic_counts(S_exp.nv_like_bath(2, np.random.default_rng(0)), 1.0, 10**400, np.random.default_rng(0)), "shots"),
        ],
    )
    def test_refused(self, call, name: str) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            call()
        assert time.perf_counter() - start < 2.0


def _zeros():  # type: ignore[no-untyped-def]
    return S_exp.BlochEstimates(np.zeros((2, 2, 3)), np.full((2, 2, 3), 0.1))


def test_capped_redundancy_has_no_negative_zero() -> None:
    """A zero redundancy is reported as 0.0, never "-0.0" (R_expansion printed -0.0)."""
    import math

    from qdarwin.spins.redundancy import cap_redundancy

    assert math.copysign(1.0, float(cap_redundancy(-0.0, 3))) == 1.0
    assert all(math.copysign(1.0, v) == 1.0 for v in cap_redundancy(np.array([-0.0, 0.0]), 3))
