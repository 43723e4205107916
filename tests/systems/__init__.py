"""Reference systems with analytic answers and brute-force routes shared by the tests."""

from __future__ import annotations

import numpy as np

SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
I2 = np.eye(2, dtype=complex)


def random_density_matrix(d: int, rng: np.random.Generator, rank: int | None = None) -> np.ndarray:
    """A random density matrix of dimension d (Ginibre ensemble, given rank)."""
    k = rank or d
    g = rng.standard_normal((d, k)) + 1j * rng.standard_normal((d, k))
    rho = g @ g.conj().T
    return rho / np.trace(rho).real


def random_ket(d: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(d) + 1j * rng.standard_normal(d)
    return v / np.linalg.norm(v)


def ghz_fanout(n_env: int, p: float = 0.5) -> np.ndarray:
    """sqrt(p)|0>|0...0> + sqrt(1-p)|1>|1...1> on 1 + n_env qubits (I(S:E) = 2 H(p))."""
    psi = np.zeros(2 ** (n_env + 1), dtype=complex)
    psi[0] = np.sqrt(p)
    psi[-1] = np.sqrt(1 - p)
    return psi


def kron_all(*ops: np.ndarray) -> np.ndarray:
    out = np.array([[1.0 + 0j]])
    for op in ops:
        out = np.kron(out, op)
    return out
