"""Spec reference values (thermalizing-environments.md §15 B, C, D, G, H) through the public API.

Tolerance 1e-6 for I and S (spec §15). Each table is checked with qdarwin's own evolution
(``iter_mi_curves``) and, for the unit-test sizes, with the independent Kronecker/expm route of
``tests/thermal/_exact.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from qdarwin.info import shannon_entropy
from qdarwin.thermal import ChaoticIsing, BroadcastSetup, preset
from qdarwin.thermal.information import iter_mi_curves, mi_curve, mi_dataset, system_entropy, t0_mi_curve
from qdarwin.thermal.rates import redundancy_number

from ._exact import preset_branches

TOL = 1e-6

TABLE_B = {
    ("encoding", 2.0): [0.0029578, 0.0449223, 0.2496694, 0.5549064],
    ("encoding", 5.0): [0.0068759, 0.0247652, 0.0877491, 0.3209197],
    ("encoding", 10.0): [0.0035606, 0.0253129, 0.0855386, 0.2941372],
    ("encoding", 20.0): [0.0153348, 0.0464967, 0.1229704, 0.3490395],
    ("redundant", 2.0): [0.1212807, 0.3558931, 0.5618225, 0.7440447],
    ("redundant", 5.0): [0.1340891, 0.3751818, 0.5620478, 0.7525588],
    ("redundant", 10.0): [0.1992012, 0.4146609, 0.5675697, 0.7517803],
    ("redundant", 20.0): [0.0931930, 0.3724037, 0.5732906, 0.7460627],
}


class TestTableB:
    """I(S:F_m), N = 10, m = 1..4 (I(5) = S(S) = 1)."""

    @pytest.mark.parametrize("name", ["encoding", "redundant"])
    def test_qdarwin_evolution(self, name: str) -> None:
        times = [0.0, 2.0, 5.0, 10.0, 20.0]
        curves = dict(iter_mi_curves(ChaoticIsing(10), preset(name), times))
        np.testing.assert_allclose(curves[0.0][1:6], 1.0, atol=TOL)
        for t in times[1:]:
            np.testing.assert_allclose(curves[t][1:5], TABLE_B[(name, t)], atol=TOL)
            assert curves[t][5] == pytest.approx(1.0, abs=TOL)

    @pytest.mark.parametrize(("name", "t"), [("encoding", 5.0), ("redundant", 10.0), ("redundant", 20.0)])
    def test_independent_evolution(self, name: str, t: float) -> None:
        psi = preset_branches(name, 10, t)
        np.testing.assert_allclose(mi_curve(psi, [0.5, 0.5], ring=False)[1:5], TABLE_B[(name, t)], atol=TOL)

    @pytest.mark.parametrize("method", ["full", "expm", "dense"])
    def test_methods_agree(self, method: str) -> None:
        curves = dict(iter_mi_curves(ChaoticIsing(10), preset("redundant"), [10.0], method=method))
        np.testing.assert_allclose(curves[10.0][1:5], TABLE_B[("redundant", 10.0)], atol=TOL)


class TestTableC:
    def test_t0_random_axis(self) -> None:
        axis = np.array([0.3, 0.8, 0.5])
        setup = BroadcastSetup([axis, -axis], probs=[0.3, 0.7])
        curve = t0_mi_curve(setup, 10)
        np.testing.assert_allclose(curve[1:6], [0.7099835, 0.8390838, 0.8706523, 0.8787473, 0.8812902], atol=TOL)
        s_s = system_entropy(setup.initial_branches(10), setup.probs)
        assert s_s == pytest.approx(0.8812901502, abs=1e-9)
        assert shannon_entropy(setup.probs) == pytest.approx(0.8812908992, abs=1e-9)
        np.testing.assert_allclose(mi_curve(setup.initial_branches(10), setup.probs), curve, atol=1e-10)


class TestTableD:
    def test_partial_degeneracy(self) -> None:
        setup = preset("partial_degeneracy")
        s_s = system_entropy(setup.initial_branches(10), setup.probs)
        assert s_s == pytest.approx(1.9985901994, abs=1e-9)
        np.testing.assert_allclose(t0_mi_curve(setup, 10)[1:6], [1.0014098, 1.5042405, 1.8211689, 1.9270123, 1.9985902], atol=TOL)
        curves = dict(iter_mi_curves(ChaoticIsing(10), setup, [10.0]))
        expected = [0.1165511, 0.2851493, 0.5224590, 1.0157135, 1.9985902]
        np.testing.assert_allclose(curves[10.0][1:6], expected, atol=TOL)
        psi = preset_branches("partial_degeneracy", 10, 10.0)
        np.testing.assert_allclose(mi_curve(psi, setup.probs, ring=False)[1:6], expected, atol=TOL)


class TestTableG:
    def test_redundancy_number_n12(self) -> None:
        ds = mi_dataset(ChaoticIsing(12), preset("redundant"), [20.0])
        curve = ds["I"].values[0]
        np.testing.assert_allclose(curve[1:7], [0.2269734, 0.4411483, 0.5910041, 0.7156059, 0.8349198, 1.0], atol=TOL)
        r = redundancy_number(curve, float(ds["plateau"]), 0.5, 12)
        assert (r.m_delta, r.n_delta) == (3, 4)
        enc = mi_dataset(ChaoticIsing(12), preset("encoding"), [20.0])
        r_enc = redundancy_number(enc["I"].values[0], float(enc["plateau"]), 0.5, 12)
        assert (r_enc.m_delta, r_enc.n_delta) == (6, 2)


LATE = [20.0, 25.0, 30.0, 35.0, 40.0]


@pytest.mark.slow
class TestTableH:
    """Late-window physics expectations (spec §15 H, §11 Fig. 1)."""

    @pytest.mark.parametrize("n", [14, 16, 18, 20])
    def test_redundant_plateau_independent_of_n(self, n: int) -> None:
        curves = np.stack([c for _, c in iter_mi_curves(ChaoticIsing(n), preset("redundant"), LATE)])
        late = curves.mean(axis=0)
        assert late[1] == pytest.approx(0.14, abs=0.02)
        assert late[2] == pytest.approx(0.366, abs=0.01)
        assert late[3] == pytest.approx(0.52, abs=0.015)
        exact = {16: [0.1439, 0.3671, 0.5177], 20: [0.1370, 0.3630, 0.5169]}
        if n in exact:
            np.testing.assert_allclose(late[1:4], exact[n], atol=1e-4)
        if n == 20:
            fig1 = [0.14, 0.36, 0.52, 0.63, 0.72, 0.79, 0.84, 0.89, 0.94]
            np.testing.assert_allclose(late[1:10], fig1, atol=0.006)

    def test_encoding_n16(self) -> None:
        curves = np.stack([c for _, c in iter_mi_curves(ChaoticIsing(16), preset("encoding"), LATE)])
        late = curves.mean(axis=0)
        np.testing.assert_allclose(late[1:8], [0.0001, 0.0004, 0.0015, 0.0053, 0.0198, 0.0731, 0.2784], atol=6e-5)
        np.testing.assert_allclose(late[9:], 2.0 - late[7::-1], atol=1e-10)
