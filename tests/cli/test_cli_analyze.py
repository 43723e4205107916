"""``qdarwin analyze``: saved GHZ-like and mesolve states, JSON keys, plots, one-line errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import qutip as qt

from qdarwin.cli.main import main
from qdarwin.io.results import load_dataset
from qdarwin.io.states import write_state

from ._helpers import assert_one_line_error, run_json


def ghz(n: int) -> np.ndarray:
    v = np.zeros(2**n)
    v[0] = v[-1] = 1 / math.sqrt(2)
    return v


@pytest.fixture
def ghz_npy(tmp_path):
    p = tmp_path / "ghz.npy"
    np.save(p, ghz(6))
    return p


@pytest.fixture
def mesolve_npz(tmp_path):
    n = 5
    z = [qt.tensor([qt.sigmaz() if k == j else qt.qeye(2) for k in range(n)]) for j in range(n)]
    h = sum(0.5 * z[0] * z[j] for j in range(1, n))
    plus = (qt.basis(2, 0) + qt.basis(2, 1)).unit()
    res = qt.mesolve(h, qt.ket2dm(qt.tensor([plus] * n)), np.linspace(0, np.pi / 2, 4), c_ops=[0.05 * z[0]])
    p = tmp_path / "rho.npz"
    np.savez(p, state=res.states[-1].full(), dims=res.states[-1].dims[0])
    return p


class TestAnalyze:
    def test_ghz_json(self, capsys, ghz_npy):
        out = run_json(capsys, ["analyze", str(ghz_npy), "--dims", "2,2,2,2,2,2"])
        for key in ("m", "I", "chi", "discord", "H_S", "units", "R_delta"):
            assert key in out
        np.testing.assert_allclose(out["I"], [0, 1, 1, 1, 1, 2], atol=1e-12)
        np.testing.assert_allclose(out["chi"], [0, 1, 1, 1, 1, 1], atol=1e-12)
        assert out["units"] == "bits" and out["R_delta"] == 5.0 and out["H_S"] == pytest.approx(1.0)
        assert out["objectivity"]["spectrum_broadcast"] is True

    def test_table_plot_and_netcdf(self, capsys, ghz_npy, tmp_path):
        plot, nc = tmp_path / "pip.png", tmp_path / "r.nc"
        rc = main(["analyze", str(ghz_npy), "--dims", "2,2,2,2,2,2", "--plot", str(plot), "--out", str(nc)])
        out = capsys.readouterr().out
        assert rc == 0
        assert "I (bits)" in out and "R_delta (delta = 0.1, chi against H(Pi_S)) = 5" in out
        assert "objective: spectrum broadcast structure" in out
        assert plot.stat().st_size > 1000
        ds = load_dataset(nc)
        np.testing.assert_allclose(ds["I"].values, [0, 1, 1, 1, 1, 2], atol=1e-12)
        assert ds.attrs["units"] == "bits" and ds.attrs["R_delta"] == 5.0

    def test_mesolve_state_with_dims_from_file(self, capsys, mesolve_npz):
        out = run_json(capsys, ["analyze", str(mesolve_npz), "--fragments", "sample", "--samples", "3", "--seed", "1"])
        assert out["n_env"] == 4 and len(out["I"]) == 5
        assert out["I"][4] <= 2 * out["H_S"] + 1e-9
        assert out["chi"][4] == pytest.approx(out["H_pointer"], abs=1e-3)  # the whole environment holds the record
        rc = main(["analyze", str(mesolve_npz), "--optimize"])
        text = capsys.readouterr().out
        assert rc == 0 and "J (bits)" in text

    def test_netcdf_roundtrip_and_composite_system(self, capsys, tmp_path):
        p = tmp_path / "ghz.nc"
        write_state(p, ghz(5), [2] * 5)
        out = run_json(capsys, ["analyze", str(p), "--system", "0,1"])
        assert out["system"] == [0, 1] and out["n_env"] == 3
        np.testing.assert_allclose(out["I"], [0, 1, 1, 2], atol=1e-12)


class TestErrors:
    def test_bad_files(self, capsys, tmp_path):
        garbage = tmp_path / "bad.npz"
        garbage.write_bytes(b"not a zip archive")
        assert_one_line_error(capsys, ["analyze", str(garbage)], "not a .npz file")
        pk = tmp_path / "obj.npy"
        np.save(pk, np.array([{"a": 1}], dtype=object), allow_pickle=True)
        assert_one_line_error(capsys, ["analyze", str(pk), "--dims", "2"], "never loads")
        assert_one_line_error(capsys, ["analyze", str(tmp_path / "none.npy")], "no such file")
        txt = tmp_path / "state.txt"
        txt.write_text("1 0")
        assert_one_line_error(capsys, ["analyze", str(txt)], "unknown state file type")
        nokey = tmp_path / "k.npz"
        np.savez(nokey, psi=ghz(3))
        assert_one_line_error(capsys, ["analyze", str(nokey)], "no array 'state' (found: psi)")

    @pytest.mark.parametrize(
        "extra,fragment",
        [
            ([], "no dims stored in the file"),
            (["--dims", "2,2"], "does not match the state size 64"),
            (["--dims", "2,2,2,2,2,2", "--system", "6"], "system: index 6 out of range"),
            (["--dims", "2,2,2,2,2,2", "--delta", "1"], "delta must lie in the open interval (0, 1)"),
            (["--dims", "2,2,2,2,2,2", "--fragments", "any"], "--fragments must be"),
            (["--dims", "2,x"], "is not an integer"),
            (["--dims", "2,2,2,2,2,2", "--samples", "4"], "--samples needs --fragments sample"),
            (["--dims", "2,2,2,2,2,2", "--plot", "x.gif"], "--plot x.gif"),
        ],
    )
    def test_bad_options(self, capsys, ghz_npy, extra, fragment):
        assert_one_line_error(capsys, ["analyze", str(ghz_npy), *extra], fragment)

    def test_invalid_states(self, capsys, tmp_path):
        p = tmp_path / "s.npy"
        np.save(p, 2 * ghz(3))
        assert_one_line_error(capsys, ["analyze", str(p), "--dims", "2,2,2"], "norm")
        q = tmp_path / "r.npy"
        np.save(q, np.diag([1.5, -0.5, 0, 0]))
        assert_one_line_error(capsys, ["analyze", str(q), "--dims", "2,2"], "negative eigenvalue")

    def test_error_with_stderr_redirected_has_no_progress_output(self, tmp_path):
        import subprocess
        import sys

        p = tmp_path / "s.npy"
        np.save(p, ghz(4))
        err = tmp_path / "err.txt"
        with open(err, "w") as fh:
            rc = subprocess.run([sys.executable, "-m", "qdarwin.cli.main", "analyze", str(p), "--dims", "2,2,2,2",
                                 "--system", "9"], stderr=fh, stdout=subprocess.DEVNULL).returncode
        lines = [ln for ln in err.read_text().splitlines() if ln.strip()]
        assert rc == 2 and len(lines) == 1 and "system" in lines[0]
