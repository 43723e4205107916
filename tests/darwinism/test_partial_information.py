"""Tests of qdarwin.darwinism.partial_information against independent routes."""

from __future__ import annotations

import numpy as np
import pytest
import qutip as qt

from qdarwin.darwinism import PartialInformation, partial_information

from ._reference import brute_curves, random_dm, random_ket


def ghz(n_env: int) -> np.ndarray:
    v = np.zeros(2 ** (n_env + 1))
    v[0] = v[-1] = 1 / np.sqrt(2)
    return v


class TestQuTiPBruteForce:
    """(c) random pure and mixed states, qubits and qutrits, composite systems: 1e-10 bits."""

    @pytest.mark.parametrize(
        "dims,system",
        [([2, 2, 2, 2, 2], 0), ([2, 3, 2, 3, 2], [1]), ([3, 2, 2, 3], [0, 2]), ([2, 3, 3, 2, 2], [4, 1])],
    )
    def test_pure(self, dims, system, rng):
        psi = random_ket(dims, rng)
        ref_i, ref_chi, h_s = brute_curves(psi, [system] if isinstance(system, int) else system)
        r = partial_information(psi, system=system)
        np.testing.assert_allclose(r.I, ref_i, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.chi, ref_chi, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.discord, ref_i - ref_chi, atol=1e-10, rtol=0)
        assert r.H_S == pytest.approx(h_s, abs=1e-12)
        assert np.all(r.I_sem == 0) and r.units == "bits"

    @pytest.mark.parametrize("rank", [1, 2, 5, 36])
    @pytest.mark.parametrize("dims,system", [([2, 3, 2, 3], [1]), ([3, 2, 2, 3], [0, 3])])
    def test_mixed(self, dims, system, rank, rng):
        rho = random_dm(dims, rank, rng)
        ref_i, ref_chi, _ = brute_curves(rho, system)
        r = partial_information(rho.full(), dims, system=system)
        np.testing.assert_allclose(r.I, ref_i, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.chi, ref_chi, atol=1e-10, rtol=0)

    def test_computational_and_user_pointer(self, rng):
        psi = random_ket([2, 2, 3, 2], rng)
        ref_i, ref_chi, _ = brute_curves(psi, [0], pointer=np.eye(2))
        r = partial_information(psi, pointer="computational")
        np.testing.assert_allclose(r.chi, ref_chi, atol=1e-10, rtol=0)
        u = np.linalg.qr(rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))[0]
        _, ref_chi_u, _ = brute_curves(psi, [0], pointer=u)
        np.testing.assert_allclose(partial_information(psi, pointer=u).chi, ref_chi_u, atol=1e-10, rtol=0)
        np.testing.assert_allclose(r.I, ref_i, atol=1e-10, rtol=0)

    @pytest.mark.parametrize("method", ["contiguous", "nested"])
    def test_chain_fragments(self, method, rng):
        dims = [2, 2, 3, 2, 2]
        psi = random_ket(dims, rng)
        rho = psi * psi.dag()
        r = partial_information(psi, fragments=method)
        h_s = qt.entropy_vn(rho.ptrace(0), 2)
        for m in range(1, 5):
            starts = range(0, 4 - m + 1) if method == "contiguous" else [0]
            vals = []
            for s0 in starts:
                frag = [1 + s0 + k for k in range(m)]
                vals.append(h_s + qt.entropy_vn(rho.ptrace(frag), 2) - qt.entropy_vn(rho.ptrace([0] + frag), 2))
            assert r.I[m] == pytest.approx(np.mean(vals), abs=1e-10)
            assert r.n_fragments[m] == len(vals)


class TestKnownStates:
    def test_ghz_fan_out(self):
        r = partial_information(ghz(5), [2] * 6)
        np.testing.assert_allclose(r.I, [0, 1, 1, 1, 1, 2], atol=1e-12)
        np.testing.assert_allclose(r.chi, [0, 1, 1, 1, 1, 1], atol=1e-12)
        assert r.H_S == pytest.approx(1.0) and r.H_pointer == pytest.approx(1.0)
        assert r.n_fragments.tolist() == [1, 5, 10, 10, 5, 1]

    def test_product_state_has_no_information(self, rng):
        a = random_ket([2], rng).full().ravel()
        e = random_ket([3, 2, 2], rng).full().ravel()
        r = partial_information(np.kron(a, e), [2, 3, 2, 2])
        np.testing.assert_allclose(r.I, 0, atol=1e-12)
        assert r.H_S == pytest.approx(0, abs=1e-12)

    def test_qobj_dims_and_nats(self):
        psi = qt.Qobj(ghz(3).reshape(-1, 1), dims=[[2] * 4, [1] * 4])
        r = partial_information(psi, base=np.e)
        assert r.units == "nats"
        np.testing.assert_allclose(r.I, np.array([0, 1, 1, 2]) * np.log(2), atol=1e-12)

    def test_to_xarray(self):
        ds = partial_information(ghz(3), [2] * 4).to_xarray()
        assert ds.attrs["units"] == "bits"
        assert ds["I"].dims == ("m",) and ds["I"].attrs["units"] == "bits"
        np.testing.assert_allclose(ds["chi"].values, [0, 1, 1, 1], atol=1e-12)
        np.testing.assert_allclose(ds["fraction"].values, [0, 1 / 3, 2 / 3, 1])

    def test_result_is_frozen(self):
        r = partial_information(ghz(2), [2] * 3)
        assert isinstance(r, PartialInformation)
        with pytest.raises(AttributeError):
            r.H_S = 0.0  # type: ignore[misc]


class TestMonteCarlo:
    def test_sampled_mean_within_four_standard_errors(self, rng):
        psi = random_ket([2] * 10, rng)
        exact = partial_information(psi)
        mc = partial_information(psi, fragments="sample", n_samples=40, rng=np.random.default_rng(3))
        sampled = mc.I_sem > 0
        assert sampled.sum() >= 4  # C(9, m) > 40 for m = 3..6
        for name in ("I", "chi", "discord"):
            err = np.abs(getattr(mc, name) - getattr(exact, name))
            sem = getattr(mc, name + "_sem")
            assert np.all(err[sampled] <= 4 * sem[sampled])
            np.testing.assert_allclose(err[~sampled], 0, atol=1e-12)
        assert mc.n_fragments[4] == 40 and mc.n_fragments[1] == 9

    def test_reproducible_with_seed(self, rng):
        psi = random_ket([2] * 9, rng)
        a = partial_information(psi, fragments="sample", n_samples=10, rng=7)
        b = partial_information(psi, fragments="sample", n_samples=10, rng=7)
        np.testing.assert_array_equal(a.I, b.I)


class TestOptions:
    def test_workers_and_progress(self, rng):
        psi = random_ket([2, 3, 2, 2, 2, 2], rng)
        calls = []
        a = partial_information(psi, progress=lambda done, total, desc="": calls.append((done, total)))
        b = partial_information(psi, workers=2)
        np.testing.assert_array_equal(a.I, b.I)
        np.testing.assert_array_equal(a.chi, b.chi)
        assert calls[-1][0] == calls[-1][1] and len(calls) == calls[-1][1]

    def test_real_amplitudes_use_the_same_numbers(self, rng):
        v = rng.normal(size=48)
        v /= np.linalg.norm(v)
        a = partial_information(v, [2, 3, 2, 2, 2])
        b = partial_information(v * np.exp(0.3j), [2, 3, 2, 2, 2])  # a global phase: complex arithmetic
        np.testing.assert_allclose(a.I, b.I, atol=1e-12)
        np.testing.assert_allclose(a.chi, b.chi, atol=1e-12)
