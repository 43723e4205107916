"""Reading and writing product-Pauli counts files: round trips and every bad-input message."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qdarwin.io.pauli_counts import read_pauli_counts, write_pauli_counts
from qdarwin.tomography import all_settings, branching_state, synthetic_counts


@pytest.fixture()
def data() -> object:
    return synthetic_counts(branching_state(2), all_settings(3), 50, rng=np.random.default_rng(0), system=[0])


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_round_trip(tmp_path: Path, data: object, suffix: str) -> None:
    p = write_pauli_counts(tmp_path / f"c{suffix}", data, description="test")  # type: ignore[arg-type]
    back = read_pauli_counts(p)
    assert back.settings == data.settings and back.system == (0,)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(back.counts, data.counts)  # type: ignore[attr-defined]


def test_csv_metadata_and_leading_zeros(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("# my lab\n# system: 1\nsetting,outcome,count\nZZ,01,3\nZZ,00,2\n")
    d = read_pauli_counts(p)
    assert d.system == (1,) and d.counts.tolist() == [[2, 3, 0, 0]]


def _json(tmp_path: Path, obj: object, raw: str | None = None) -> Path:
    p = tmp_path / "bad.json"
    p.write_text(raw if raw is not None else json.dumps(obj))
    return p


@pytest.mark.parametrize(
    "obj, raw, msg",
    [
        (None, "", "empty file"),
        (None, "{not json", "invalid JSON"),
        (None, '{"settings": {"ZZ": {"00": 1, "00": 2}}}', "duplicate key '00'"),
        ({"n_qubits": 2, "setings": {}}, None, "unknown key(s) 'setings'"),
        ({"n_qubits": 2}, None, "missing key 'settings'"),
        ({"n_qubits": 2, "settings": {}}, None, "non-empty object"),
        ({"n_qubits": 2, "settings": {"ZA": {"00": 1}}}, None, "only X, Y, Z are allowed"),
        ({"n_qubits": 2, "settings": {"ZZ": {"000": 1}}}, None, "bitstring of 2 characters"),
        ({"n_qubits": 2, "settings": {"ZZ": {"00": 1.5}}}, None, "non-negative integer"),
        ({"n_qubits": 2, "settings": {"ZZ": {"00": -1}}}, None, "non-negative integer"),
        ({"n_qubits": 2, "settings": {"ZZZ": {"000": 1}}}, None, "expected n_qubits = 2"),
        ({"n_qubits": 2, "system": [3], "settings": {"ZZ": {"00": 1}}}, None, "out of range"),
        ([1, 2], None, "expected a JSON object"),
    ],
)
def test_bad_json(tmp_path: Path, obj: object, raw: str | None, msg: str) -> None:
    with pytest.raises(ValueError, match="bad.json") as exc:
        read_pauli_counts(_json(tmp_path, obj, raw))
    assert msg in str(exc.value)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize(
    "text, msg",
    [
        ("# only a comment\n", "no data rows"),
        ("a,b,c\nZZ,00,1\n", "header must be 'setting,outcome,count'"),
        ("setting,outcome,count\nZZ,00\n", "expected 3 fields"),
        ("setting,outcome,count\nZZ,00,x\n", "count must be a non-negative integer"),
        ("setting,outcome,count\nZZ,00,1\nZZ,00,2\n", "duplicate entry"),
        ("setting,outcome,count\nZW,00,1\n", "only X, Y, Z are allowed"),
    ],
)
def test_bad_csv(tmp_path: Path, text: str, msg: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(ValueError, match="bad.csv") as exc:
        read_pauli_counts(p)
    assert msg in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_pauli_counts(tmp_path / "nope.json")
