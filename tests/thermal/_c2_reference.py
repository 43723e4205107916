"""Independent dense reference routes for the thermal analysis tests (helper C2).

Branches are evolved here by dense diagonalisation of the full Hamiltonian (never the
package's evolution), so the analysis functions are checked against an independent route.
"""

from __future__ import annotations

import functools

import numpy as np

from qdarwin.thermal.models import ChaoticIsing, preset


@functools.lru_cache(maxsize=8)
def _eigensystem(n_sites: int, boundary: str) -> tuple[np.ndarray, np.ndarray]:
    h = ChaoticIsing(n_sites, boundary=boundary).to_sparse().toarray()
    return np.linalg.eigh(h)


def dense_branches(
    preset_name: str, n_sites: int, t: float, *, boundary: str = "periodic", **kw: object
) -> np.ndarray:
    """psi_k(t) = exp(-i H t) u_k^(x)N by dense eigendecomposition (N <= 10)."""
    evals, evecs = _eigensystem(n_sites, boundary)
    psi0 = preset(preset_name, **kw).initial_branches(n_sites)
    coeff = psi0 @ evecs.conj()  # <n|psi_k>
    return (coeff * np.exp(-1j * evals * t)) @ evecs.T


def embed_sites(op: np.ndarray, sites: list[int], n_sites: int) -> np.ndarray:
    """Embed an operator on ``sites`` (in that order) into the full 2**N space."""
    m = len(sites)
    rest = [s for s in range(n_sites) if s not in sites]
    full = np.kron(op, np.eye(2 ** (n_sites - m)))
    perm = list(sites) + rest  # axis i of the kron layout is site perm[i]
    t = full.reshape((2,) * (2 * n_sites))
    inv = np.argsort(perm)
    t = t.transpose(list(inv) + [n_sites + i for i in inv])
    return t.reshape(2**n_sites, 2**n_sites)
