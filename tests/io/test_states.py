"""Tests of qdarwin.io.states: every format round-trips, pickles are refused."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
import qutip as qt

from qdarwin.io.states import read_state, write_state


def bell() -> np.ndarray:
    return np.array([1, 0, 0, 1j]) / np.sqrt(2)


class TestRead:
    def test_npy(self, tmp_path):
        np.save(tmp_path / "a.npy", bell())
        sf = read_state(tmp_path / "a.npy")
        np.testing.assert_array_equal(sf.state, bell())
        assert sf.dims is None

    @pytest.mark.parametrize("suffix", [".npz", ".nc", ".h5"])
    def test_write_read_roundtrip(self, tmp_path, suffix):
        rho = np.outer(bell(), bell().conj())
        write_state(tmp_path / f"r{suffix}", rho, [2, 2])
        sf = read_state(tmp_path / f"r{suffix}")
        np.testing.assert_allclose(sf.state, rho)
        assert sf.dims == [2, 2]

    def test_qobj_dims(self, tmp_path):
        q = qt.tensor(qt.basis(3, 1), qt.basis(2, 0))
        write_state(tmp_path / "q.npz", q)
        sf = read_state(tmp_path / "q.npz")
        assert sf.dims == [3, 2] and sf.state.shape == (6, 1)

    def test_plain_hdf5(self, tmp_path):
        p = tmp_path / "plain.hdf5"
        with h5py.File(p, "w") as fh:
            fh["state"] = bell()
            fh["state"].attrs["dims"] = [2, 2]
        sf = read_state(p)
        np.testing.assert_allclose(sf.state, bell())
        assert sf.dims == [2, 2]

    def test_custom_key(self, tmp_path):
        np.savez(tmp_path / "k.npz", psi=bell())
        assert read_state(tmp_path / "k.npz", key="psi").state.shape == (4,)


class TestRefuse:
    def test_pickles_are_never_loaded(self, tmp_path):
        np.save(tmp_path / "o.npy", np.array([object()], dtype=object), allow_pickle=True)
        with pytest.raises(ValueError, match="never loads"):
            read_state(tmp_path / "o.npy")
        import pickle

        (tmp_path / "p.npy").write_bytes(pickle.dumps(bell()))
        with pytest.raises(ValueError, match="pickle"):
            read_state(tmp_path / "p.npy")
        np.savez(tmp_path / "o.npz", state=np.array([object()], dtype=object))
        with pytest.raises(ValueError, match="never loads"):
            read_state(tmp_path / "o.npz")

    def test_bad_content(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            read_state(tmp_path / "missing.npz")
        np.savez(tmp_path / "d.npz", state=bell(), dims=[2.5, 2])
        with pytest.raises(ValueError, match="dims"):
            read_state(tmp_path / "d.npz")
        np.save(tmp_path / "s.npy", np.array(["a", "b"]))
        with pytest.raises(ValueError, match="numeric"):
            read_state(tmp_path / "s.npy")
        (tmp_path / "x.nc").write_bytes(b"garbage")
        with pytest.raises(ValueError, match="not a readable"):
            read_state(tmp_path / "x.nc")
        (tmp_path / "x.csv").write_text("1, 0")
        with pytest.raises(ValueError, match="unknown state file type"):
            read_state(tmp_path / "x.csv")
        with pytest.raises(ValueError, match="directory"):
            read_state(tmp_path)
