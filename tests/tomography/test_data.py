"""Validation of product-Pauli data and marginal pooling."""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.tomography import all_settings, fragment_settings, make_pauli_counts, marginal_counts, pauli_counts_from_mapping
from qdarwin.tomography.data import missing_settings, require_complete


class TestMapping:
    @pytest.mark.parametrize(
        "settings, n, msg",
        [
            ({"XQ": {"00": 1}}, 2, "only X, Y, Z are allowed"),
            ({"XYZ": {"000": 1}}, 2, "has 3 letters, expected n_qubits = 2"),
            ({"XY": {"0": 1}}, 2, "must be a bitstring of 2 characters"),
            ({"XY": {"0a": 1}}, 2, "must be a bitstring of 2 characters"),
            ({"XY": {"00": 1.5}}, 2, "non-negative integer"),
            ({"XY": {"00": -3}}, 2, "non-negative integer"),
            ({"XY": {"00": "7"}}, 2, "non-negative integer"),
            ({"XY": {"00": True}}, 2, "non-negative integer"),
            ({"XY": {"00": 0}}, 2, "has no counts"),
            ({}, 2, "non-empty mapping"),
            ({"XY": [1, 2]}, 2, "expected a mapping"),
        ],
    )
    def test_bad_input(self, settings: dict, n: int, msg: str) -> None:
        with pytest.raises(ValueError, match=msg):
            pauli_counts_from_mapping(settings, n)

    def test_bad_system_and_size(self) -> None:
        with pytest.raises(ValueError, match="out of range"):
            pauli_counts_from_mapping({"XY": {"00": 1}}, 2, system=[5])
        with pytest.raises(ValueError, match="n_qubits must lie"):
            pauli_counts_from_mapping({"XY": {"00": 1}}, 0)
        with pytest.raises(ValueError, match="count entries exceed the limit"):
            make_pauli_counts(20, ["".join("XYZ"[(k // 3**j) % 3] for j in range(20)) for k in range(40)], np.zeros((1, 1)))

    def test_integral_floats_accepted(self) -> None:
        d = pauli_counts_from_mapping({"Z": {"0": 3.0, "1": 1}}, 1)
        assert d.counts.tolist() == [[3, 1]] and d.counts.dtype == np.int64


class TestMarginal:
    def test_pooling_matches_brute_force(self) -> None:
        rng = np.random.default_rng(0)
        settings = all_settings(3)
        counts = rng.integers(0, 20, size=(27, 8)) + 1
        d = make_pauli_counts(3, settings, counts)
        m = marginal_counts(d, [0, 2])
        assert len(m.settings) == 9 and m.system == (0,)
        for s, row in zip(m.settings, m.counts):
            expect = np.zeros(4, dtype=int)
            for full, c in zip(settings, counts):
                if full[0] + full[2] == s:
                    t = c.reshape(2, 2, 2).sum(axis=1).reshape(4)
                    expect += t
            assert row.tolist() == expect.tolist()

    def test_fragment_settings_cover_groups(self) -> None:
        s = fragment_settings(6, [(0, 1, 2), (0, 4, 5)])
        d = make_pauli_counts(6, s, np.ones((len(s), 64), dtype=int))
        assert len(marginal_counts(d, [0, 1, 2]).settings) == 27
        assert len(marginal_counts(d, [0, 4, 5]).settings) == 27
        assert len(marginal_counts(d, [0, 3]).settings) == 3  # qubit 3 is only measured in Z

    def test_missing_settings_named(self) -> None:
        d = make_pauli_counts(2, ["XX", "YY"], np.ones((2, 4), dtype=int))
        assert len(missing_settings(d)) == 7
        with pytest.raises(ValueError, match=r"missing settings: 7 of 9 .*XY"):
            require_complete(d)
