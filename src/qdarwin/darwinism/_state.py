"""Validated system-environment states for the general analysis (private).

A ket or density matrix on ``system x environment`` is brought into one form: a factor tensor
``T`` of shape ``(d_S, d_1, ..., d_N, r)`` with ``rho = T T^dag`` (``r = 1`` for pure states,
``r`` = rank for mixed ones), the system axis already rotated into the pointer basis, so that
block ``T[i]`` is ``sqrt(p_i)`` times a purification of the pointer-conditioned environment
state ``rho_{E|i}``. The system may be composite (several subsystems flattened in the order
given); environment subsystems keep their order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import as_array, qobj_dims, validate_density_matrix, validate_ket, validate_subsystems
from ..info.entropy import entropy_from_eigenvalues, shannon_entropy

#: Eigenvalues of a density matrix below this (relative to the largest) are dropped from the factor.
RANK_RTOL = 1e-15
#: Tolerance on the unitarity of a user pointer basis.
UNITARY_ATOL = 1e-8


@dataclass(frozen=True)
class Prepared:
    """A validated state in factor form (see the module docstring)."""

    T: NDArray[np.complex128]  #: factor, shape (d_S, d_1, ..., d_N, r)
    dims: tuple[int, ...]  #: all local dimensions, in the user's order
    system: tuple[int, ...]  #: system subsystem indices (user order)
    env: tuple[int, ...]  #: environment subsystem indices (user order)
    env_dims: tuple[int, ...]  #: local dimensions of the environment subsystems
    d_s: int  #: system dimension (product over ``system``)
    rank: int  #: ``r``: 1 for pure states
    rho_s: NDArray[np.complex128]  #: reduced system state in the user's basis
    pointer: NDArray[np.complex128]  #: pointer basis, columns = pointer states
    p: NDArray[np.float64]  #: pointer probabilities ``p_i = <i|rho_S|i>``
    H_S: float  #: von Neumann entropy of rho_S (in ``base`` units)
    H_pointer: float  #: Shannon entropy of ``p`` (in ``base`` units)
    base: float

    @property
    def n_env(self) -> int:
        return len(self.env)

    @property
    def pure(self) -> bool:
        return self.rank == 1


def _dims_of(state: Any, dims: Sequence[int] | None, size: int) -> list[int]:
    if dims is None:
        dims = qobj_dims(state)
    if dims is None:
        raise ValueError("dims: local dimensions are required for array input, e.g. dims=[2, 2, 2]")
    try:
        d = [int(x) for x in dims]
    except (TypeError, ValueError):
        raise ValueError(f"dims: expected a sequence of positive integers, got {dims!r}") from None
    if any(x < 1 for x in d) or any(float(x) != float(y) for x, y in zip(d, dims)):
        raise ValueError(f"dims: local dimensions must be positive integers, got {list(dims)}")
    prod = math.prod(d)
    if prod != size:
        raise ValueError(f"dims: the product of {d} is {prod}, which does not match the state size {size}")
    return d


def _system_indices(system: Any, n_sub: int) -> list[int]:
    idx = validate_subsystems(system, n_sub, "system")
    if not idx:
        raise ValueError("system: give at least one subsystem index")
    if len(idx) == n_sub:
        raise ValueError(f"system: {idx} leaves no environment (the state has {n_sub} subsystems)")
    return idx


def pointer_basis(pointer: Any, rho_s: NDArray[np.complex128]) -> NDArray[np.complex128]:
    """Pointer basis as a unitary whose columns are the pointer states.

    ``None``: eigenbasis of ``rho_S`` (descending eigenvalues); ``"computational"``: identity;
    otherwise a ``(d_S, d_S)`` unitary (validated).
    """
    d = rho_s.shape[0]
    if pointer is None or (isinstance(pointer, str) and pointer == "eigenbasis"):
        _, vecs = np.linalg.eigh(rho_s)
        return np.ascontiguousarray(vecs[:, ::-1])
    if isinstance(pointer, str):
        if pointer == "computational":
            return np.eye(d, dtype=np.complex128)
        raise ValueError(f"pointer: expected None, 'eigenbasis', 'computational' or a ({d}, {d}) unitary, got {pointer!r}")
    u = as_array(pointer, "pointer")
    if u.shape != (d, d):
        raise ValueError(f"pointer: expected a ({d}, {d}) unitary whose columns are the pointer states, got shape {u.shape}")
    u = u.astype(np.complex128)
    if not np.all(np.isfinite(u)):
        raise ValueError("pointer: contains NaN or inf")
    err = float(np.max(np.abs(u.conj().T @ u - np.eye(d))))
    if err > UNITARY_ATOL:
        raise ValueError(f"pointer: the columns are not an orthonormal basis (max |U^dag U - 1| = {err:.3g})")
    return u


def _factor(state: Any) -> tuple[NDArray[np.complex128], int, bool]:
    """(factor W with rho = W W^dag of shape (D, r), D, is_ket) from a ket or density matrix."""
    arr = as_array(state, "state")
    if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] != 1):
        psi = validate_ket(arr.reshape(-1), "state")
        return psi.reshape(-1, 1), psi.size, True
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"state: expected a ket (D,) or a density matrix (D, D), got shape {arr.shape}")
    rho = validate_density_matrix(arr, "state")
    lam, vecs = np.linalg.eigh(rho)
    keep = lam > RANK_RTOL * max(float(lam[-1]), 0.0)
    w = vecs[:, keep] * np.sqrt(lam[keep])
    return np.ascontiguousarray(w[:, ::-1]), rho.shape[0], False


def prepare(state: Any, dims: Sequence[int] | None, system: Any, pointer: Any, base: float) -> Prepared:
    """Validate ``state``/``dims``/``system``/``pointer`` and build the factor tensor."""
    arr = as_array(state, "state")
    size = arr.shape[0] if arr.ndim >= 1 else 0
    if arr.ndim == 0 or size == 0:
        raise ValueError(f"state: expected a ket (D,) or a density matrix (D, D), got shape {arr.shape}")
    d = _dims_of(state, dims, size)
    sys_idx = _system_indices(system, len(d))
    w, _, _ = _factor(state)
    env = [i for i in range(len(d)) if i not in sys_idx]
    r = w.shape[1]
    t = np.transpose(w.reshape(d + [r]), sys_idx + env + [len(d)])
    d_s = math.prod(d[i] for i in sys_idx)
    env_dims = [d[i] for i in env]
    t = t.reshape([d_s] + env_dims + [r])
    m = t.reshape(d_s, -1)
    rho_s = m @ m.conj().T
    rho_s = 0.5 * (rho_s + rho_s.conj().T)
    u = pointer_basis(pointer, rho_s)
    t = np.tensordot(u.conj().T, t, axes=(1, 0))  # T[i] = <pointer_i| T
    flat = t.reshape(d_s, -1)
    p = np.einsum("ij,ij->i", flat, flat.conj()).real
    p = np.clip(p, 0.0, None)
    p = p / p.sum()
    h_s = float(entropy_from_eigenvalues(np.linalg.eigvalsh(rho_s), base=base))
    h_ptr = shannon_entropy(p, base=base, check=False)
    return Prepared(
        T=np.ascontiguousarray(t),
        dims=tuple(d),
        system=tuple(sys_idx),
        env=tuple(env),
        env_dims=tuple(env_dims),
        d_s=d_s,
        rank=r,
        rho_s=rho_s,
        pointer=u,
        p=p,
        H_S=h_s,
        H_pointer=h_ptr,
        base=base,
    )
