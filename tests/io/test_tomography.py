"""Tests for qdarwin.io.tomography: the documented CSV/JSON formats and their errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qdarwin.io.tomography import read_tomography, write_counts_csv
from qdarwin.spins.experiment import BlochEstimates, TomographyCounts, nv_like_bath, synthetic_counts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "experiment"


class TestReadTomography:
    def test_counts_csv_round_trip(self, tmp_path: Path) -> None:
        counts = synthetic_counts(nv_like_bath(4, np.random.default_rng(0)), 1.0, 200, np.random.default_rng(1))
        back = read_tomography(write_counts_csv(tmp_path / "c.csv", counts)).data
        assert isinstance(back, TomographyCounts)
        np.testing.assert_array_equal(back.n_plus, counts.n_plus)
        np.testing.assert_array_equal(back.shots, counts.shots)
        assert back.labels == counts.labels

    def test_example_files(self) -> None:
        bloch = read_tomography(EXAMPLES / "bloch_estimates.csv")
        assert isinstance(bloch.data, BlochEstimates) and bloch.data.n_spins == 4
        js = read_tomography(EXAMPLES / "counts.json")
        assert isinstance(js.data, TomographyCounts) and js.n_env == 200 and js.system_p == 0.5
        nv = read_tomography(EXAMPLES / "nv_bath_counts.csv")
        assert nv.data.n_spins == 20

    @pytest.mark.parametrize(
        "text, msg",
        [
            ("spin,state,basis,n_plus,shots\nC1,up,x,5,10\n", "missing counts for spin C1"),
            ("spin,state,basis,n_plus,shots\nC1,left,x,5,10\n", "state must be 'up' or 'down'"),
            ("spin,state,basis,n_plus,shots\nC1,up,w,5,10\n", "basis must be x, y or z"),
            ("spin,state,basis,n_plus,shots\nC1,up,x,5.5,10\n", "integer count"),
            ("spin,state,basis,n_plus,shots\nC1,up,x,5,10\nC1,up,x,5,10\n", "duplicate"),
            ("a,b\n1,2\n", "unrecognised columns"),
            ("spin,state,x,y,z,se_x,se_y,se_z\nC1,up,0,0,nan,1,1,1\n", "finite"),
        ],
    )
    def test_malformed_csv(self, tmp_path: Path, text: str, msg: str) -> None:
        (tmp_path / "bad.csv").write_text(text)
        with pytest.raises(ValueError, match=msg):
            read_tomography(tmp_path / "bad.csv")

    @pytest.mark.parametrize(
        "text, msg",
        [
            ('{"format": "counts"}', "non-empty 'spins' list"),
            ('{"format": "weird", "spins": [{}]}', "'format' must be"),
            ('{"format": "counts", "spins": [{"up": {"x": [1, 2]}}]}', "malformed spin entry"),
            ('{"format": "counts", "spins": [{"up": {"x": [3, 2], "y": [1, 2], "z": [1, 2]}, '
             '"down": {"x": [1, 2], "y": [1, 2], "z": [1, 2]}}]}', "n_plus must lie in"),
        ],
    )
    def test_malformed_json(self, tmp_path: Path, text: str, msg: str) -> None:
        (tmp_path / "bad.json").write_text(text)
        with pytest.raises(ValueError, match=msg):
            read_tomography(tmp_path / "bad.json")

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            read_tomography(tmp_path / "none.csv")
