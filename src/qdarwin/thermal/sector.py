"""Dihedral-symmetric sector of an N-qubit ring (Cao & Nussinov, arXiv:2603.15743; docs/thermal.md).

The dihedral group (N cyclic shifts x reversal) acts on bit strings; each orbit O_r is
labelled by its smallest member r (its representative). The symmetric sector is spanned by
:math:`|r\\rangle = |O_r|^{-1/2}\\sum_{b\\in O_r}|b\\rangle`; uniform product states (all
broadcasting presets) lie in it, and the uniform ring Hamiltonian maps it to itself.

Orbit labels are computed for all 2^N integers at once with NumPy bit operations (the
minimum over all 2N group images); there is no Python loop over basis states.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from qdarwin._checks import as_array, check_finite, check_int
from qdarwin.thermal.memory import check_bytes

#: Relative tolerance of the sector-membership check on projection.
SECTOR_ATOL = 1e-10


#: Integers processed per chunk while the orbit map is built (bounds the transient memory).
_ORBIT_CHUNK = 2**20


def _chunk_minima(lo: int, hi: int, n: int) -> NDArray[np.integer[Any]]:
    """Smallest dihedral image of every integer in [lo, hi) (all 2N group images)."""
    dtype = np.uint32 if n <= 31 else np.uint64
    one = dtype(1)
    mask = dtype((1 << n) - 1)
    idx: Any = np.arange(lo, hi, dtype=dtype)
    rev: Any = np.zeros_like(idx)
    for j in range(n):
        rev |= ((idx >> dtype(j)) & one) << dtype(n - 1 - j)
    best = np.minimum(idx, rev)
    tmp = np.empty_like(idx)
    for base in (idx, rev):
        for k in range(1, n):
            np.left_shift(base, dtype(k), out=tmp)
            tmp |= base >> dtype(n - k)
            tmp &= mask
            np.minimum(best, tmp, out=best)
    return best


def _orbit_minima(n: int) -> NDArray[np.integer[Any]]:
    """Smallest dihedral image of every integer in [0, 2^N)."""
    return _chunk_minima(0, 2**n, n)


def _orbit_map(n: int) -> tuple[NDArray[Any], NDArray[np.int64]]:
    """Orbit index of every basis state (int32 for N <= 31) and the representatives.

    Built in chunks of ``_ORBIT_CHUNK`` integers, in place in the output array: pass 1 stores
    the orbit minimum of every integer, pass 2 (ascending) replaces representatives by their
    running count and every other entry by the (already replaced) entry of its minimum, which
    is a smaller integer. Peak memory is the output array (4 bytes per state) plus O(chunk).
    """
    size = 2**n
    out = np.empty(size, dtype=np.uint32 if n <= 31 else np.uint64)
    for lo in range(0, size, _ORBIT_CHUNK):
        hi = min(size, lo + _ORBIT_CHUNK)
        out[lo:hi] = _chunk_minima(lo, hi, n)
    reps: list[NDArray[np.int64]] = []
    count = 0
    for lo in range(0, size, _ORBIT_CHUNK):
        hi = min(size, lo + _ORBIT_CHUNK)
        best = out[lo:hi].copy()
        is_rep = best == np.arange(lo, hi, dtype=best.dtype)
        where = np.flatnonzero(is_rep)
        reps.append(where.astype(np.int64) + lo)
        chunk = out[lo:hi]
        chunk[where] = np.arange(count, count + where.size, dtype=out.dtype)
        count += where.size
        others = np.flatnonzero(~is_rep)
        chunk[others] = out[best[others]]
    index = out.view(np.int32) if n <= 31 else out.view(np.int64)
    return index, np.concatenate(reps)


def _orbit_sizes(orbit_index: NDArray[Any], dim: int) -> NDArray[np.int64]:
    """|O_r| for every orbit, counted in chunks (np.bincount on the whole int32 map would make an
    int64 copy of it: 8 bytes per basis state)."""
    sizes = np.zeros(dim, dtype=np.int64)
    step = 4 * _ORBIT_CHUNK
    for lo in range(0, orbit_index.size, step):
        sizes += np.bincount(orbit_index[lo:lo + step], minlength=dim)
    return sizes


@dataclass(frozen=True, eq=False)
class DihedralSector:
    """Basis of the dihedral-symmetric sector of an N-qubit ring.

    Attributes
    ----------
    n_sites : int
        Ring size N >= 3.
    dim : int
        Sector dimension (N = 16: 2250, 18: 7685, 20: 27012).
    orbit_index : ndarray, shape ``(2**N,)``, int32 (int64 for N > 31)
        Sector index of the orbit of every basis state (4 bytes per state; built in chunks
        without full-size temporaries).
    orbit_sizes : ndarray, shape ``(dim,)``, int64
        Orbit sizes |O_r|.
    representatives : ndarray, shape ``(dim,)``, int64
        Smallest member of each orbit (ascending).

    Examples
    --------
    >>> DihedralSector(6).dim
    13
    """

    n_sites: int
    orbit_index: NDArray[np.integer[Any]] = field(init=False, repr=False)
    orbit_sizes: NDArray[np.int64] = field(init=False, repr=False)
    representatives: NDArray[np.int64] = field(init=False, repr=False)
    _inv_sqrt: NDArray[np.float64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = check_int(self.n_sites, "n_sites (N)", minimum=3)
        if n > 34:
            raise ValueError(f"n_sites (N) must be <= 34 for the symmetric sector, got {n}")
        check_bytes(orbit_map_bytes(n), f"symmetric-sector maps at N = {n}")
        object.__setattr__(self, "n_sites", n)
        orbit_index, reps = _orbit_map(n)
        sizes = _orbit_sizes(orbit_index, reps.size)
        inv_sqrt = 1.0 / np.sqrt(sizes)
        for arr in (orbit_index, sizes, reps, inv_sqrt):
            arr.setflags(write=False)
        object.__setattr__(self, "orbit_index", orbit_index)
        object.__setattr__(self, "orbit_sizes", sizes)
        object.__setattr__(self, "representatives", reps)
        object.__setattr__(self, "_inv_sqrt", inv_sqrt)

    @property
    def dim(self) -> int:
        """Dimension of the symmetric sector."""
        return int(self.representatives.size)

    def _project(self, psi: NDArray[np.complex128]) -> NDArray[np.complex128]:
        flat = psi.reshape(-1, psi.shape[-1])
        out = np.empty((flat.shape[0], self.dim), dtype=np.complex128)
        for row, vec in enumerate(flat):
            out[row].real = np.bincount(self.orbit_index, weights=vec.real, minlength=self.dim)
            out[row].imag = np.bincount(self.orbit_index, weights=vec.imag, minlength=self.dim)
        out *= self._inv_sqrt
        return out.reshape(psi.shape[:-1] + (self.dim,))

    def project(self, psi: Any, *, check: bool = True) -> NDArray[np.complex128]:
        """Sector coefficients :math:`c_r = |O_r|^{-1/2}\\sum_{b\\in O_r}\\psi(b)`.

        Parameters
        ----------
        psi : array_like, shape ``(..., 2**N)``
            State vector(s).
        check : bool, keyword-only
            Verify that every psi lies in the sector: ``||psi - lift(c)|| <= 1e-10 ||psi||``.

        Returns
        -------
        ndarray, shape ``(..., dim)``.

        Raises
        ------
        ValueError
            A state is not invariant under translations and reflection (suggests
            ``method="full"``).
        """
        arr = as_array(psi, "psi")
        if arr.ndim < 1 or arr.shape[-1] != 2**self.n_sites:
            raise ValueError(f"psi: expected shape (..., {2**self.n_sites}), got {tuple(arr.shape)}")
        arr = arr.astype(np.complex128, copy=False)
        check_finite(arr, "psi")
        c = self._project(arr)
        if check:
            norm_psi = np.linalg.norm(arr, axis=-1)
            resid = self._residual(arr, c)
            bad = resid > SECTOR_ATOL * np.maximum(norm_psi, 1e-300)
            if np.any(bad):
                worst = float(np.max(resid / np.maximum(norm_psi, 1e-300)))
                raise ValueError(
                    "state is not in the dihedral-symmetric sector (relative distance "
                    f"{worst:.3g} > {SECTOR_ATOL:g}: not invariant under translations and "
                    'reflection); use method="full"'
                )
        return c

    def _residual(self, psi: NDArray[np.complex128], c: NDArray[np.complex128]) -> NDArray[np.float64]:
        """||psi - lift(c)|| per state, in chunks of 2^20 amplitudes (no full-size temporaries)."""
        flat = psi.reshape(-1, psi.shape[-1])
        scaled = (c * self._inv_sqrt).reshape(-1, self.dim)
        sq = np.zeros(flat.shape[0])
        step = 2**20
        for lo in range(0, flat.shape[1], step):
            idx = self.orbit_index[lo:lo + step]
            for row in range(flat.shape[0]):
                diff = flat[row, lo:lo + step] - scaled[row][idx]
                sq[row] += float(np.vdot(diff, diff).real)
        return np.sqrt(sq).reshape(psi.shape[:-1])

    def _lift(self, c: NDArray[np.complex128]) -> NDArray[np.complex128]:
        scaled = (c * self._inv_sqrt).reshape(-1, self.dim)
        out = np.empty((scaled.shape[0], self.orbit_index.size), dtype=np.complex128)
        for row in range(scaled.shape[0]):  # one fast 1-D gather per state
            out[row] = scaled[row][self.orbit_index]
        return out.reshape(c.shape[:-1] + (self.orbit_index.size,))

    def lift(self, c: Any) -> NDArray[np.complex128]:
        """Full-space state(s) :math:`\\psi(b) = c_{r(b)}|O_{r(b)}|^{-1/2}`, shape ``(..., 2**N)``."""
        arr = as_array(c, "c").astype(np.complex128, copy=False)
        if arr.ndim < 1 or arr.shape[-1] != self.dim:
            raise ValueError(f"c: expected shape (..., {self.dim}), got {tuple(arr.shape)}")
        check_bytes(16 * 2**self.n_sites * max(1, arr.size // self.dim), "lifted state vectors")
        return self._lift(arr)

    def hamiltonian(self, env: Any) -> sp.csr_matrix:
        """Real symmetric sector Hamiltonian of a uniform Ising ring, CSR ``(dim, dim)``.

        :math:`H_{cr} = \\sqrt{|O_r|/|O_c|}\\sum_{b'\\in O_c}\\langle b'|H_E|r\\rangle`: the
        diagonal is the ZZ + h_z Z energy of r; flipping bit j of r lands in orbit c and adds
        h_x sqrt(|O_r|/|O_c|).

        Raises
        ------
        ValueError
            ``env`` is not a :class:`~qdarwin.thermal.models.ChaoticIsing` ring of N sites.
        """
        from qdarwin.thermal.models import ChaoticIsing

        if not isinstance(env, ChaoticIsing) or not env.is_uniform_ring:
            raise ValueError('the symmetric sector needs a ChaoticIsing ring (boundary="periodic"); use method="full"')
        n = self.n_sites
        if env.n_sites != n:
            raise ValueError(f"environment has N = {env.n_sites} sites, sector has N = {n}")
        reps = self.representatives
        dim = self.dim
        z = [(1 - 2 * ((reps >> (n - 1 - j)) & 1)).astype(np.float64) for j in range(n)]
        diag = env.hz * np.sum(z, axis=0)
        for j in range(n):
            diag += env.J * z[j] * z[(j + 1) % n]
        del z
        itype = np.int32 if dim < 2**31 else np.int64  # index arrays: 4 bytes per entry
        rows = [np.arange(dim, dtype=itype)]
        vals = [diag]
        if env.hx != 0.0:
            sizes = self.orbit_sizes.astype(np.float64)
            cols = np.arange(dim, dtype=itype)
            for j in range(n):
                c = self.orbit_index[reps ^ (1 << (n - 1 - j))].astype(itype, copy=False)
                rows.append(c)
                vals.append(env.hx * np.sqrt(sizes / sizes[c]))
        allrows = np.concatenate(rows)
        del rows
        allcols = np.concatenate([np.arange(dim, dtype=itype)] + [cols] * n) if env.hx != 0.0 else allrows
        allvals = np.concatenate(vals)
        del vals
        mat = sp.coo_matrix((allvals, (allrows, allcols)), shape=(dim, dim)).tocsr()
        mat.sum_duplicates()
        mat.eliminate_zeros()
        return mat


def orbit_map_bytes(n_sites: int) -> int:
    """Bytes held by :class:`DihedralSector` (N): the orbit index plus per-orbit arrays.

    4 bytes per basis state (8 for N > 31), 40 bytes per orbit (sizes, representatives,
    1/sqrt(sizes) and their construction temporaries; the number of orbits is bounded by
    ``2^N / N + 2^(N/2+1)``) and the chunk temporaries of the construction.

    Examples
    --------
    >>> orbit_map_bytes(28) < 2**31
    True
    """
    n = check_int(n_sites, "n_sites (N)", minimum=1)
    per_state = 4 if n <= 31 else 8
    return per_state * 2**n + 40 * sector_dim_bound(n) + 64 * min(_ORBIT_CHUNK, 2**n)


def sector_dim_bound(n_sites: int) -> int:
    """Number of dihedral orbits (binary bracelets) of N bits, by Burnside's lemma (no enumeration).

    ``B(N) = Nk(N)/2 + 3 * 2^(N/2 - 2)`` (N even) or ``Nk(N)/2 + 2^((N-1)/2 - 1)`` (N odd), with
    ``Nk(N) = (1/N) sum_{q | N} phi(q) 2^(N/q)`` the number of necklaces.

    Examples
    --------
    >>> sector_dim_bound(20) == dihedral_sector(20).dim
    True
    """
    n = check_int(n_sites, "n_sites (N)", minimum=1)
    necklaces = sum(_phi(q) * 2 ** (n // q) for q in range(1, n + 1) if n % q == 0) // n
    if n % 2 == 0:
        return (necklaces + 3 * 2 ** (n // 2 - 1)) // 2
    return (necklaces + 2 ** ((n + 1) // 2)) // 2


def _phi(q: int) -> int:
    """Euler's totient."""
    return sum(1 for k in range(1, q + 1) if math.gcd(k, q) == 1)


@lru_cache(maxsize=2)
def dihedral_sector(n_sites: int) -> DihedralSector:
    """Cached :class:`DihedralSector` (the last two sizes are kept).

    Examples
    --------
    >>> dihedral_sector(16).dim
    2250
    """
    return DihedralSector(n_sites)


__all__ = ["DihedralSector", "dihedral_sector", "orbit_map_bytes", "sector_dim_bound", "SECTOR_ATOL"]
