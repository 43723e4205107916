"""All-to-all two-body (SK-like) environment of the thermal pillar (Cao & Nussinov, arXiv:2603.15743).

Re-exported by :mod:`qdarwin.thermal.models`; see its conventions (site 0 = most
significant bit, Y|0> = i|1>).
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from qdarwin._checks import as_array, check_finite, check_int
from qdarwin.thermal._common import _check_state_array, _expectation, _validate_sites
from qdarwin.thermal.memory import check_bytes


_PAULI_FLIP = {0: True, 1: True, 2: False}  # x, y flip the bit; z does not


def _pauli_phase(a: int, bit: NDArray[np.int64]) -> NDArray[np.complex128]:
    """Phase of sigma^a acting on basis value ``bit`` (X: 1, Y: i(1-2b), Z: 1-2b)."""
    s = (1 - 2 * bit).astype(np.complex128)
    if a == 0:
        return np.ones_like(s)
    if a == 1:
        return 1j * s
    return s


def _check_bloch_sites(bloch: Any, n_sites: int) -> NDArray[np.float64]:
    v = as_array(bloch, "bloch").astype(np.float64)
    if v.shape != (n_sites, 3):
        raise ValueError(f"bloch: expected shape (N, 3) = ({n_sites}, 3), got {tuple(v.shape)}")
    check_finite(v, "bloch")
    return v


@dataclass(frozen=True, eq=False)
class SKEnvironment:
    """All-to-all two-body environment (Cao & Nussinov, arXiv:2603.15743).

    :math:`H_{SK} = N^{-1/2}\\sum_{i<j}\\sum_{a,b\\in\\{x,y,z\\}} J^{ab}_{ij}\\sigma^a_i\\sigma^b_j`.

    Parameters
    ----------
    n_sites : int
        Number of qubits N >= 2.
    couplings : array_like, shape ``(N(N-1)/2, 3, 3)``, optional
        J_{ij}^{ab} for pairs in lexicographic order (0,1), (0,2), ..., (N-2, N-1); default
        ``numpy.random.default_rng(seed).standard_normal((N*(N-1)//2, 3, 3))``.
    seed : int, keyword-only
        Seed of the default couplings.

    Examples
    --------
    >>> env = SKEnvironment(3, np.zeros((3, 3, 3)))
    >>> float(abs(env.to_sparse()).sum())
    0.0
    """

    n_sites: int
    couplings: Any = None
    _: KW_ONLY
    seed: int = 0
    pairs: tuple[tuple[int, int], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = check_int(self.n_sites, "n_sites (N)", minimum=2)
        if n > 30:
            raise ValueError(f"n_sites (N) must be <= 30 for the SK environment, got {n}")
        object.__setattr__(self, "n_sites", n)
        n_pairs = n * (n - 1) // 2
        if self.couplings is None:
            seed = check_int(self.seed, "seed", minimum=0)
            cpl = np.random.default_rng(seed).standard_normal((n_pairs, 3, 3))
        else:
            cpl = as_array(self.couplings, "couplings")
            if np.iscomplexobj(cpl):
                raise ValueError("couplings: must be real")
            cpl = cpl.astype(np.float64)
            if cpl.shape != (n_pairs, 3, 3):
                raise ValueError(f"couplings: expected shape (N(N-1)/2, 3, 3) = ({n_pairs}, 3, 3), got {cpl.shape}")
            check_finite(cpl, "couplings")
            cpl = cpl.copy()
        cpl.setflags(write=False)
        object.__setattr__(self, "couplings", cpl)
        object.__setattr__(self, "pairs", tuple((i, j) for i in range(n) for j in range(i + 1, n)))

    @property
    def dim(self) -> int:
        """Hilbert-space dimension 2**N."""
        return 2**self.n_sites

    @property
    def is_uniform_ring(self) -> bool:
        """Always False: no translation symmetry (full-space evolution only)."""
        return False

    def norm_bound(self) -> float:
        """Upper bound on ||H_SK||: N^{-1/2} sum |J_{ij}^{ab}| (triangle inequality)."""
        return float(np.abs(self.couplings).sum()) / math.sqrt(self.n_sites)

    def _pair_terms(self, n: int, pair_list: Sequence[tuple[int, int]], cpl: NDArray[np.float64],
                    ) -> list[tuple[int, NDArray[np.complex128]]]:
        """For each (pair, flip class): flip mask and coefficient per basis state of n qubits."""
        idx = np.arange(2**n, dtype=np.int64)
        scale = 1.0 / math.sqrt(self.n_sites)
        acc: dict[int, NDArray[np.complex128]] = {}
        for (i, j), jab in zip(pair_list, cpl):
            bi = (idx >> (n - 1 - i)) & 1
            bj = (idx >> (n - 1 - j)) & 1
            for a in range(3):
                pa = _pauli_phase(a, bi)
                for b in range(3):
                    if jab[a, b] == 0.0:
                        continue
                    mask = ((1 << (n - 1 - i)) if _PAULI_FLIP[a] else 0) | ((1 << (n - 1 - j)) if _PAULI_FLIP[b] else 0)
                    coef = (scale * jab[a, b]) * pa * _pauli_phase(b, bj)
                    if mask in acc:
                        acc[mask] += coef
                    else:
                        acc[mask] = coef
        return list(acc.items())

    def _sparse(self, n: int, pair_list: Sequence[tuple[int, int]], cpl: NDArray[np.float64]) -> sp.csr_matrix:
        dim = 2**n
        idx = np.arange(dim, dtype=np.int64)
        terms = self._pair_terms(n, pair_list, cpl)
        if not terms:
            return sp.csr_matrix((dim, dim), dtype=np.complex128)
        rows = np.concatenate([idx ^ mask for mask, _ in terms])
        cols = np.tile(idx, len(terms))
        data = np.concatenate([c for _, c in terms])
        mat = sp.coo_matrix((data, (rows, cols)), shape=(dim, dim)).tocsr()
        mat.sum_duplicates()
        return mat

    def to_sparse(self) -> sp.csr_matrix:
        """H_SK as a complex CSR matrix."""
        check_bytes(24 * self.dim * (2 * self.n_sites * (self.n_sites - 1) + 1), f"sparse SK Hamiltonian at N = {self.n_sites}")
        return self._sparse(self.n_sites, self.pairs, self.couplings)

    def apply(self, psi: Any) -> NDArray[np.complex128]:
        """Matrix-free H_SK psi for psi of shape ``(..., 2**N)`` (pair by pair)."""
        arr = _check_state_array(psi, self.dim)
        return self._apply(arr)

    def _apply(self, psi: NDArray[np.complex128]) -> NDArray[np.complex128]:
        n = self.n_sites
        batch = psi.shape[:-1]
        flat = psi.reshape(-1, self.dim)
        out = np.zeros(flat.shape, dtype=np.complex128)
        tmp = np.empty_like(out)
        tables = self._flip_tables()
        for (i, j), table in zip(self.pairs, tables):
            shape = (-1, 2**i, 2, 2 ** (j - i - 1), 2, 2 ** (n - j - 1))
            t, o, w = flat.reshape(shape), out.reshape(shape), tmp.reshape(shape)
            for fi in (0, 1):
                for fj in (0, 1):
                    src = t[:, :, ::-1] if fi else t
                    src = src[:, :, :, :, ::-1] if fj else src
                    np.multiply(table[fi, fj][None, None, :, None, :, None], src, out=w)
                    o += w
        return out.reshape(batch + (self.dim,))

    def _flip_tables(self) -> NDArray[np.complex128]:
        """Per pair and flip class (f_i, f_j): D[A, B] = <A B| K_ij |A^f_i, B^f_j>, shape (P, 2, 2, 2, 2).

        Every two-site term maps |a b> to a state differing by bit flips on i and/or j, so
        H psi is a sum of four flipped copies of psi per pair, each scaled by a 2 x 2 table of
        the output bits (no Python loop over basis states, no dense 4 x 4 contraction).
        """
        cached = getattr(self, "_tables_cache", None)
        if cached is not None:
            return cached
        pauli = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=np.complex128)
        op4 = np.einsum("pab,aij,bkl->pikjl", self.couplings, pauli, pauli) / math.sqrt(self.n_sites)
        bits = np.arange(2)
        tables = np.empty((len(self.pairs), 2, 2, 2, 2), dtype=np.complex128)
        for fi in (0, 1):
            for fj in (0, 1):
                tables[:, fi, fj] = op4[:, bits[:, None], bits[None, :], bits[:, None] ^ fi, bits[None, :] ^ fj]
        tables.setflags(write=False)
        object.__setattr__(self, "_tables_cache", tables)
        return tables

    def energy(self, psi: Any) -> float | NDArray[np.float64]:
        """Energy expectation <psi|H_SK|psi>/<psi|psi>."""
        arr = _check_state_array(psi, self.dim)
        return _expectation(self._apply, arr)

    def coupling_matrix(self) -> NDArray[np.float64]:
        """Symmetric ``(N, 3, N, 3)`` array K with K[i, a, j, b] = J_ij^{ab} N^{-1/2} (K[j, b, i, a] = K[i, a, j, b])."""
        n = self.n_sites
        k = np.zeros((n, 3, n, 3))
        for (i, j), jab in zip(self.pairs, self.couplings):
            k[i, :, j, :] = jab
            k[j, :, i, :] = jab.T
        return k / math.sqrt(n)

    def classical_energy(self, bloch: Any) -> float:
        """Energy of the product state with one Bloch vector per site, shape ``(N, 3)``.

        For a product state <sigma_i^a sigma_j^b> = v_i^a v_j^b (i != j), so the energy is the
        classical :math:`N^{-1/2}\\sum_{i<j} v_i^T J_{ij} v_j`.

        Examples
        --------
        >>> env = SKEnvironment(2, np.eye(3)[None])  # J_01 = identity
        >>> round(env.classical_energy([[0, 0, 1], [0, 0, 1]]), 12) == round(2 ** -0.5, 12)
        True
        """
        v = _check_bloch_sites(bloch, self.n_sites)
        return 0.5 * float(np.einsum("ia,iajb,jb->", v, self.coupling_matrix(), v))

    def extremal_product_bloch(self, sign: int = -1, *, rng: np.random.Generator, n_starts: int = 4,
                               max_iter: int = 1000) -> NDArray[np.float64]:
        """Site-resolved Bloch vectors of a local minimum (sign = -1) or maximum (+1) of the
        classical energy (Cao & Nussinov, arXiv:2603.15743): iterate :math:`v_i \\leftarrow \\mp h_i/\\|h_i\\|` with the local
        field :math:`h_i = N^{-1/2}\\sum_{j\\ne i} J_{ij} v_j`, best of ``n_starts`` random starts.

        Returns
        -------
        ndarray, shape ``(N, 3)``, unit vectors.
        """
        if sign not in (-1, 1):
            raise ValueError(f"sign must be -1 (minimum) or +1 (maximum), got {sign!r}")
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        starts = check_int(n_starts, "n_starts", minimum=1)
        iters = check_int(max_iter, "max_iter", minimum=1)
        kmat = self.coupling_matrix()
        n = self.n_sites
        best, best_e = None, np.inf
        for _ in range(starts):
            v = rng.standard_normal((n, 3))
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            for _ in range(iters):
                changed = 0.0
                for i in range(n):  # sequential (Gauss-Seidel) updates never increase -sign * E
                    h = np.einsum("ajb,jb->a", kmat[i], v)
                    norm = np.linalg.norm(h)
                    if norm > 0:
                        new = sign * h / norm
                        changed = max(changed, float(np.max(np.abs(new - v[i]))))
                        v[i] = new
                if changed < 1e-12:
                    break
            e = -sign * self.classical_energy(v)
            if e < best_e:
                best, best_e = v.copy(), e
        assert best is not None
        return best

    def fraction_hamiltonian(self, sites: Sequence[int], *, force: bool = False) -> NDArray[np.complex128]:
        """Dense H_F: the pairs inside F with the global N^{-1/2} (Cao & Nussinov, arXiv:2603.15743).

        Basis of F in the order of ``sites``. Identity: sum over all F with |F| = m of H_F
        equals C(N-2, m-2) H_SK.
        """
        idx_sites = _validate_sites(sites, self.n_sites, force=force)
        m = len(idx_sites)
        pos = {s: i for i, s in enumerate(idx_sites)}
        pair_list: list[tuple[int, int]] = []
        cpl: list[NDArray[np.float64]] = []
        for (i, j), jab in zip(self.pairs, self.couplings):
            if i in pos and j in pos:
                pi, pj = pos[i], pos[j]
                if pi < pj:
                    pair_list.append((pi, pj))
                    cpl.append(jab)
                else:
                    pair_list.append((pj, pi))
                    cpl.append(jab.T)
        arr = np.array(cpl).reshape(-1, 3, 3)
        return self._sparse(m, pair_list, arr).toarray()


__all__ = ["SKEnvironment"]
