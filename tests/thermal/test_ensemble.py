"""Tests for qdarwin.thermal.ensemble (spec §7, §15 E)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.thermal.datasets import ensemble_dataset
from qdarwin.thermal.ensemble import (
    ensemble_summary,
    ks_distance_uniform,
    projective_ensemble,
)
from qdarwin.thermal.models import preset
from tests.systems import SX, SY, SZ, random_ket
from tests.thermal._c2_reference import dense_branches


def _brute_posteriors(
    psi: np.ndarray, c: np.ndarray, measured: list[int], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Project the global state sum_k c_k |k>|psi_k> on every outcome b of the measured sites."""
    d = psi.shape[0]
    glob = (c[:, None] * psi).reshape((d,) + (2,) * n)
    weights, rhos = [], []
    for b in range(2 ** len(measured)):
        bits = [(b >> (len(measured) - 1 - i)) & 1 for i in range(len(measured))]
        index: list[object] = [slice(None)] * (n + 1)
        for s, bit in zip(measured, bits):
            index[1 + s] = bit
        block = glob[tuple(index)].reshape(d, -1)  # (d, rest)
        rho = block @ block.conj().T
        w = float(np.trace(rho).real)
        weights.append(w)
        rhos.append(rho / w if w > 0 else rho)
    return np.array(weights), np.array(rhos)


class TestProjectiveEnsemble:
    @pytest.mark.parametrize("measured", [None, [3, 0], [1, 2, 4]])
    def test_brute_force_projection(
        self, measured: list[int] | None, rng: np.random.Generator
    ) -> None:
        n = 5
        psi = np.stack([random_ket(2**n, rng) for _ in range(2)])
        c = np.array([np.sqrt(0.3), np.sqrt(0.7) * np.exp(0.4j)])
        ens = projective_ensemble(psi, [0.3, 0.7], measured=measured, amplitudes=c)
        sites = list(range(n)) if measured is None else measured
        weights, rhos = _brute_posteriors(psi, c, sites, n)
        assert ens.weights == pytest.approx(weights, abs=1e-13)
        bloch = np.stack([np.real(np.einsum("bij,ji->b", rhos, op)) for op in (SX, SY, SZ)], axis=1)
        assert ens.bloch == pytest.approx(bloch, abs=1e-12)
        z = bloch[:, 2]
        assert ens.mean_z2 == pytest.approx(float(weights @ z**2), abs=1e-13)
        assert ens.mean_abs_z == pytest.approx(float(weights @ np.abs(z)), abs=1e-13)
        assert ens.mean_z4 == pytest.approx(float(weights @ z**4), abs=1e-13)
        assert ens.tail == pytest.approx(float(weights[np.abs(z) > 0.9].sum()), abs=1e-13)
        hist, _ = np.histogram(z, bins=20, range=(-1, 1), weights=weights)
        assert ens.hist == pytest.approx(hist, abs=1e-13)

    def test_pure_posteriors_when_everything_is_measured(self, rng: np.random.Generator) -> None:
        psi = np.stack([random_ket(32, rng) for _ in range(2)])
        ens = projective_ensemble(psi, [0.5, 0.5])
        assert np.linalg.norm(ens.bloch, axis=1) == pytest.approx(np.ones(32), abs=1e-12)

    @pytest.mark.parametrize("name", ["encoding", "redundant"])
    def test_t0_gives_z_zero(self, name: str) -> None:
        setup = preset(name)
        ens = projective_ensemble(setup.initial_branches(6), setup.probs)
        assert np.max(np.abs(ens.bloch[:, 2])) < 1e-12
        assert ens.mean_z2 == pytest.approx(0.0, abs=1e-12)
        assert ens.ks_uniform == pytest.approx(0.5, abs=1e-12)

    @pytest.mark.parametrize(
        "name, z2, abs_z",
        [("encoding", 0.31425987, 0.48830266), ("redundant", 0.80334849, 0.87188892)],
    )
    def test_reference_values_t10(self, name: str, z2: float, abs_z: float) -> None:
        """§15 E: N = 10, t = 10, all sites measured."""
        ens = projective_ensemble(dense_branches(name, 10, 10.0), preset(name).probs)
        assert ens.mean_z2 == pytest.approx(z2, abs=1e-6)
        assert ens.mean_abs_z == pytest.approx(abs_z, abs=1e-6)
        assert ens.weights.sum() == pytest.approx(1.0, abs=1e-12)

    def test_d_greater_than_two_reports_populations(self, rng: np.random.Generator) -> None:
        psi = np.stack([random_ket(16, rng) for _ in range(3)])
        p = np.array([0.2, 0.3, 0.5])
        ens = projective_ensemble(psi, p)
        expected = p[None, :] * np.abs(psi.T) ** 2
        assert ens.weights == pytest.approx(expected.sum(axis=1), abs=1e-13)
        assert ens.populations == pytest.approx(
            expected / expected.sum(axis=1, keepdims=True), abs=1e-12
        )
        assert ens.bloch is None and np.isnan(ens.mean_z2)

    def test_zero_weight_outcomes(self) -> None:
        psi = np.zeros((2, 4), dtype=complex)
        psi[0, 0] = psi[1, 1] = 1.0
        ens = projective_ensemble(psi, [0.5, 0.5])
        assert ens.weights.tolist() == [0.5, 0.5, 0.0, 0.0]
        assert ens.bloch[2:].tolist() == [[0.0, 0.0, 0.0]] * 2
        assert ens.mean_z2 == 1.0
        summary = ensemble_summary(ens)
        assert summary["mean_z2"] == 1.0 and summary["n_outcomes"] == 4

    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"probs": [0.5, 0.6]}, "sum to 1"),
            ({"measured": [0, 0]}, "duplicate"),
            ({"measured": []}, "at least one site"),
            ({"amplitudes": [1.0, 0.0]}, "amplitudes"),
            ({"bins": 0}, "bins"),
        ],
    )
    def test_rejects_bad_input(self, kwargs: dict[str, object], match: str) -> None:
        args: dict[str, object] = {"probs": [0.5, 0.5]}
        args.update(kwargs)
        psi = np.full((2, 8), 1 / np.sqrt(8))
        with pytest.raises(ValueError, match=match):
            projective_ensemble(psi, **args)  # type: ignore[arg-type]

    def test_rejects_bad_branches(self) -> None:
        with pytest.raises(ValueError, match="power of 2"):
            projective_ensemble(np.ones((2, 6)) / np.sqrt(6), [0.5, 0.5])
        with pytest.raises(ValueError, match="normalised"):
            projective_ensemble(np.ones((2, 8)), [0.5, 0.5])

    @given(st.integers(0, 10_000), st.floats(0.05, 0.95))
    def test_invariants(self, seed: int, p0: float) -> None:
        rng = np.random.default_rng(seed)
        psi = np.stack([random_ket(16, rng) for _ in range(2)])
        ens = projective_ensemble(psi, [p0, 1 - p0], measured=[0, 2])
        assert ens.weights.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.all(np.linalg.norm(ens.bloch, axis=1) <= 1 + 1e-12)
        assert ens.hist.sum() == pytest.approx(1.0, abs=1e-12)
        # Born rule: E[z] = p0 - p1 for any measurement
        assert ens.mean_z == pytest.approx(2 * p0 - 1, abs=1e-12)
        assert ens.mean_z2**2 <= ens.mean_z4 + 1e-12
        assert 0.0 <= ens.ks_uniform <= 1.0


class TestKsDistanceUniform:
    def test_point_masses_and_uniform_grid(self) -> None:
        assert ks_distance_uniform([0.0], [1.0]) == 0.5
        assert ks_distance_uniform([-1.0, 1.0], [0.5, 0.5]) == pytest.approx(0.5)
        z = np.linspace(-1, 1, 2001)
        assert ks_distance_uniform(z, np.ones_like(z)) < 1e-3

    def test_matches_scipy_for_equal_weights(self, rng: np.random.Generator) -> None:
        from scipy.stats import kstest

        z = rng.uniform(-1, 1, 500) ** 3
        assert ks_distance_uniform(z, np.ones(500)) == pytest.approx(
            kstest(z, "uniform", args=(-1, 2)).statistic, abs=1e-12
        )


class TestEnsembleDataset:
    def test_d2_and_d3(self, rng: np.random.Generator) -> None:
        psi = np.stack([random_ket(16, rng) for _ in range(2)])
        ens = projective_ensemble(psi, [0.4, 0.6], bins=5)
        ds = ensemble_dataset(ens, attrs={"N": 4})
        assert ds["bloch"].sel(component="z").values == pytest.approx(ens.bloch[:, 2])
        assert ds["hist"].values == pytest.approx(ens.hist)
        assert ds["bin_lo"].values[0] == -1.0 and ds["bin_hi"].values[-1] == 1.0
        assert float(ds.attrs["mean_z2"]) == ens.mean_z2 and ds.attrs["N"] == 4
        ens3 = projective_ensemble(
            np.stack([random_ket(8, rng) for _ in range(3)]), [0.2, 0.3, 0.5]
        )
        ds3 = ensemble_dataset(ens3)
        assert "bloch" not in ds3 and ds3["populations"].shape == (8, 3)
