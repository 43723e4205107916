"""Independent reference routes for the thermal tests (owned by helper C1b).

The Ising Hamiltonian is built here from Kronecker products of Pauli matrices (not from
``qdarwin.thermal.models``) and states are evolved with ``scipy.sparse.linalg.expm_multiply``,
so the information code is checked against a second construction of the dynamics.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import expm_multiply

HX = (5 + math.sqrt(5)) / 8
HZ = (1 + math.sqrt(5)) / 4

_X = sp.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0]]))
_Z = sp.csr_matrix(np.array([[1.0, 0.0], [0.0, -1.0]]))


def _site_op(op: sp.csr_matrix, j: int, n: int) -> sp.csr_matrix:
    return sp.kron(sp.kron(sp.identity(2**j, format="csr"), op), sp.identity(2 ** (n - j - 1), format="csr"), format="csr")


def ising_hamiltonian(n: int, *, J: float = 1.0, hx: float = HX, hz: float = HZ, ring: bool = True) -> sp.csr_matrix:
    """Sparse H_E = J sum Z_j Z_{j+1} + sum (hx X_j + hz Z_j), site 0 most significant."""
    h = sp.csr_matrix((2**n, 2**n))
    bonds = [(j, (j + 1) % n) for j in range(n if ring else n - 1)]
    for a, b in bonds:
        h = h + J * (_site_op(_Z, a, n) @ _site_op(_Z, b, n))
    for j in range(n):
        h = h + hx * _site_op(_X, j, n) + hz * _site_op(_Z, j, n)
    return h.tocsr()


def qubit_state(axis: np.ndarray, theta: float = math.pi / 4) -> np.ndarray:
    """u = exp(-i theta n.sigma)|0> for a unit axis n."""
    nx, ny, nz = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    c, s = math.cos(theta), math.sin(theta)
    return np.array([c - 1j * s * nz, -1j * s * (nx + 1j * ny)])


def product_branches(axes: np.ndarray, n: int, theta: float = math.pi / 4) -> np.ndarray:
    """Branches u_k^{(x) n}, shape (d, 2**n)."""
    out = []
    for ax in np.asarray(axes, dtype=float):
        u = qubit_state(ax, theta)
        v = np.ones(1, dtype=complex)
        for _ in range(n):
            v = np.kron(v, u)
        out.append(v)
    return np.stack(out)


def evolve(psi: np.ndarray, h: sp.csr_matrix, t: float) -> np.ndarray:
    """exp(-i H t) applied to every row of psi."""
    if t == 0:
        return psi.copy()
    return np.ascontiguousarray(expm_multiply(-1j * t * h, psi.T.astype(complex)).T)


AXES = {
    "encoding": np.array([[1.0, 0, 0], [-1.0, 0, 0]]),
    "redundant": np.array([[0, 1.0, 0], [0, -1.0, 0]]),
    "partial_degeneracy": np.array([[0, 1.0, 0], [0, -1.0, 0], [1.0, 0, 0], [-1.0, 0, 0]]),
}


def preset_branches(name: str, n: int, t: float) -> np.ndarray:
    return evolve(product_branches(AXES[name], n), ising_hamiltonian(n), t)


def dihedral_symmetrize(psi: np.ndarray) -> np.ndarray:
    """Average a state over the dihedral group of the ring of n = log2(len) sites, normalised."""
    n = psi.size.bit_length() - 1
    t = psi.reshape((2,) * n)
    acc = np.zeros_like(t)
    for refl in (False, True):
        base = t if not refl else t.transpose(tuple(range(n))[::-1])
        for s in range(n):
            acc = acc + np.moveaxis(base, list(range(n)), [(j + s) % n for j in range(n)])
    out = acc.ravel()
    return out / np.linalg.norm(out)


def translation_symmetrize(psi: np.ndarray) -> np.ndarray:
    n = psi.size.bit_length() - 1
    t = psi.reshape((2,) * n)
    acc = sum(np.moveaxis(t, list(range(n)), [(j + s) % n for j in range(n)]) for s in range(n))
    out = acc.ravel()
    return out / np.linalg.norm(out)
