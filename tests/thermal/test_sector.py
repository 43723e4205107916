"""Tests of qdarwin.thermal.sector (dihedral-symmetric sector of the ring)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qdarwin.thermal.models import BroadcastSetup, ChaoticIsing, SKEnvironment, redundant
from qdarwin.thermal.sector import DihedralSector, dihedral_sector


def bruteforce_orbits(n: int) -> dict[int, set[int]]:
    """Orbits by explicit string manipulation (independent of the bit tricks)."""
    orbits: dict[int, set[int]] = {}
    for b in range(2**n):
        s = format(b, f"0{n}b")
        images = {int(s[k:] + s[:k], 2) for k in range(n)} | {int((s[k:] + s[:k])[::-1], 2) for k in range(n)}
        orbits.setdefault(min(images), images)
    return orbits


class TestDihedralSector:
    @pytest.mark.parametrize("n", [3, 4, 5, 7, 8])
    def test_matches_bruteforce(self, n: int) -> None:
        sec = DihedralSector(n)
        orbits = bruteforce_orbits(n)
        assert sec.dim == len(orbits)
        assert sec.representatives.tolist() == sorted(orbits)
        for r, members in orbits.items():
            k = sec.representatives.tolist().index(r)
            assert sec.orbit_sizes[k] == len(members)
            assert set(np.flatnonzero(sec.orbit_index == k).tolist()) == members

    @pytest.mark.parametrize(("n", "dim"), [(10, 78), (12, 224), (14, 687), (16, 2250), (18, 7685), (20, 27012)])
    def test_dimensions(self, n: int, dim: int) -> None:
        sec = dihedral_sector(n)
        assert sec.dim == dim
        assert int(sec.orbit_sizes.sum()) == 2**n
        assert sec.orbit_index.dtype == np.int32 and sec.orbit_index.shape == (2**n,)

    def test_validation(self) -> None:
        with pytest.raises(ValueError, match=">= 3"):
            DihedralSector(2)

    def test_cached(self) -> None:
        assert dihedral_sector(9) is dihedral_sector(9)


class TestProjectLift:
    @pytest.mark.parametrize("n", [5, 8])
    def test_uniform_product_round_trip(self, n: int) -> None:
        sec = DihedralSector(n)
        b = BroadcastSetup([[0.3, -0.5, 0.8], [0, 1, 0]], theta=0.9).initial_branches(n)
        c = sec.project(b)
        assert c.shape == (2, sec.dim)
        assert np.allclose(np.linalg.norm(c, axis=1), 1.0, atol=1e-13)
        assert np.allclose(sec.lift(c), b, atol=1e-14)

    @given(st.integers(0, 2**32 - 1))
    def test_isometry(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        sec = dihedral_sector(7)
        c = rng.standard_normal((2, sec.dim)) + 1j * rng.standard_normal((2, sec.dim))
        psi = sec.lift(c)
        assert np.allclose(psi[0].conj() @ psi[1], c[0].conj() @ c[1])
        assert np.allclose(sec.project(psi), c)
        # the lifted state is invariant under a cyclic shift and under reversal
        t = psi.reshape((2,) + (2,) * 7)
        assert np.allclose(np.moveaxis(t, 1, -1).reshape(2, -1), psi)
        assert np.allclose(t.transpose(0, *range(7, 0, -1)).reshape(2, -1), psi)

    def test_outside_sector_raises(self, rng: np.random.Generator) -> None:
        sec = DihedralSector(6)
        with pytest.raises(ValueError, match='method="full"'):
            sec.project(np.eye(64)[1])
        psi = sec.lift(rng.standard_normal(sec.dim))
        psi = psi / np.linalg.norm(psi)
        psi[3] += 1e-7  # tiny symmetry breaking is detected
        with pytest.raises(ValueError, match="not in the dihedral-symmetric sector"):
            sec.project(psi)
        assert sec.project(psi, check=False).shape == (sec.dim,)

    def test_shape_errors(self) -> None:
        sec = DihedralSector(4)
        with pytest.raises(ValueError, match=r"\(\.\.\., 16\)"):
            sec.project(np.ones(8))
        with pytest.raises(ValueError, match=r"\(\.\.\., 6\)"):
            sec.lift(np.ones(5))


class TestSectorHamiltonian:
    @pytest.mark.parametrize("n", [4, 6, 9])
    def test_matches_projected_full_hamiltonian(self, n: int) -> None:
        env = ChaoticIsing(n, J=0.9, hx=1.1, hz=0.3)
        sec = DihedralSector(n)
        v = sec.lift(np.eye(sec.dim))  # rows: sector basis vectors
        ref = v.conj() @ env.to_sparse().toarray() @ v.T
        h = sec.hamiltonian(env)
        assert h.dtype == np.float64
        assert np.allclose(h.toarray(), ref, atol=1e-12)
        assert np.allclose(h.toarray(), h.toarray().T)
        assert h.nnz <= (n + 1) * sec.dim

    @given(st.integers(3, 7), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2))
    def test_random_couplings(self, n: int, J: float, hx: float, hz: float) -> None:
        env = ChaoticIsing(n, J=J, hx=hx, hz=hz)
        sec = dihedral_sector(n)
        v = sec.lift(np.eye(sec.dim))
        ref = (v.conj() @ env.to_sparse().toarray() @ v.T).real
        assert np.allclose(sec.hamiltonian(env).toarray(), ref, atol=1e-12)

    def test_spectrum_is_subset(self) -> None:
        env = ChaoticIsing(8)
        full = np.linalg.eigvalsh(env.to_sparse().toarray())
        sector = np.linalg.eigvalsh(dihedral_sector(8).hamiltonian(env).toarray())
        assert np.all(np.min(np.abs(full[None, :] - sector[:, None]), axis=1) < 1e-9)

    def test_energy_of_branches(self) -> None:
        n = 10
        env = ChaoticIsing(n)
        sec = dihedral_sector(n)
        c = sec.project(redundant().initial_branches(n))
        e = np.einsum("ki,ij,kj->k", c.conj(), sec.hamiltonian(env).toarray(), c).real / n
        assert np.allclose(e, [0.9045084972, -0.9045084972], atol=1e-9)

    def test_rejects_wrong_environment(self) -> None:
        sec = DihedralSector(5)
        with pytest.raises(ValueError, match='method="full"'):
            sec.hamiltonian(ChaoticIsing(5, boundary="open"))
        with pytest.raises(ValueError, match='method="full"'):
            sec.hamiltonian(SKEnvironment(5))
        with pytest.raises(ValueError, match="N = 6"):
            sec.hamiltonian(ChaoticIsing(6))
