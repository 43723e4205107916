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
#: Solver round-off accepted (and repaired, with a note) in norms, traces and eigenvalues.
SOLVER_TOL = 1e-5
#: Eigenvalues above -PSD_ATOL need no note.
PSD_ATOL = 1e-12
#: Eigenvalues of rho_S closer than this are treated as degenerate when choosing the pointer basis.
DEGENERACY_TOL = 1e-5  # solver round-off (see SOLVER_TOL) must not pick the pointer basis
#: Tolerance on the unitarity of a user pointer basis.
UNITARY_ATOL = 1e-8


@dataclass(frozen=True)
class Prepared:
    """A validated state in factor form (see the module docstring)."""

    T: NDArray[Any]  #: factor (complex128, or float64 for real amplitudes), shape (d_S, d_1, ..., d_N, r)
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
    note: str = ""  #: repairs of solver round-off (renormalised norm/trace, zeroed negative eigenvalues)

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


def _eigenbasis(rho_s: NDArray[np.complex128]) -> NDArray[np.complex128]:
    """Eigenbasis of rho_S, descending; degenerate eigenspaces resolved toward the computational basis.

    Within an eigenspace of (near-)equal eigenvalues (gaps <= ``DEGENERACY_TOL``) the basis
    is not unique (e.g. rho_S = 1/2 after full decoherence); the computational basis
    vectors with the largest weight in the eigenspace are projected onto it and
    orthonormalised symmetrically (the closest orthonormal set), so that a decohered qubit
    gets its computational pointer basis rather than a rotation set by round-off.
    """
    real = not np.any(rho_s.imag)
    lam, vecs = np.linalg.eigh(rho_s.real if real else rho_s)  # real symmetric: real eigenvectors
    lam, vecs = lam[::-1], vecs[:, ::-1].astype(np.complex128)
    out = vecs.copy()
    start = 0
    for k in range(1, lam.size + 1):
        if k < lam.size and lam[k - 1] - lam[k] <= DEGENERACY_TOL:
            continue
        if k - start > 1:
            v = vecs[:, start:k]
            weight = np.sum(np.abs(v) ** 2, axis=1)
            cols = np.sort(np.argsort(-weight, kind="stable")[: k - start])
            b = v @ v.conj().T[:, cols]  # projections of the chosen computational vectors
            u, sv, wh = np.linalg.svd(b, full_matrices=False)
            if sv[-1] > 1e-6:
                out[:, start:k] = u @ wh  # polar factor: closest orthonormal set to b
        start = k
    return np.ascontiguousarray(out)


def pointer_basis(pointer: Any, rho_s: NDArray[np.complex128]) -> NDArray[np.complex128]:
    """Pointer basis as a unitary whose columns are the pointer states.

    ``None``: eigenbasis of ``rho_S`` (descending eigenvalues; see :func:`_eigenbasis` for
    degenerate spectra); ``"computational"``: identity;
    otherwise a ``(d_S, d_S)`` unitary (validated).
    """
    d = rho_s.shape[0]
    if pointer is None or (isinstance(pointer, str) and pointer == "eigenbasis"):
        return _eigenbasis(rho_s)
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


def _factor(state: Any) -> tuple[NDArray[np.complex128], str]:
    """(factor W with rho = W W^dag of shape (D, r), note) from a ket or density matrix.

    States from ODE solvers (e.g. QuTiP ``mesolve``) carry errors up to about 1e-6 with default tolerances: a norm or
    trace within ``SOLVER_TOL`` of 1 is renormalised and eigenvalues in ``[-SOLVER_TOL, 0)``
    are set to zero, and ``note`` says so; anything further off is refused.
    """
    arr = as_array(state, "state")
    if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] != 1):
        vec = arr.reshape(-1)
        if np.issubdtype(vec.dtype, np.number) and np.all(np.isfinite(vec)):
            norm = float(np.linalg.norm(vec))
            if 0 < abs(norm - 1.0) <= SOLVER_TOL:
                return (vec / norm).astype(np.complex128).reshape(-1, 1), f"ket renormalised (norm was {norm:.12g})"
        psi = validate_ket(vec, "state")
        return psi.reshape(-1, 1), ""
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"state: expected a ket (D,) or a density matrix (D, D), got shape {arr.shape}")
    rho = _tolerant_density_matrix(arr)
    lam, vecs = np.linalg.eigh(rho)
    note = ""
    tr = float(lam.sum())
    if lam[0] < -PSD_ATOL * max(1.0, float(lam[-1])):
        note = f"negative eigenvalues down to {lam[0]:.3g} set to zero"
    if abs(tr - 1.0) > 1e-12:
        note = "; ".join(x for x in (note, f"trace {tr:.12g} renormalised") if x)
    keep = lam > RANK_RTOL * max(float(lam[-1]), 0.0)
    w = vecs[:, keep] * np.sqrt(lam[keep])
    w = w / math.sqrt(float(np.sum(lam[keep])))
    return np.ascontiguousarray(w[:, ::-1]), note


def _tolerant_density_matrix(arr: Any) -> NDArray[np.complex128]:
    """:func:`qdarwin._checks.validate_density_matrix` with ``SOLVER_TOL`` (solver round-off) tolerances."""
    try:
        return validate_density_matrix(arr, "state")
    except ValueError as exc:
        if "negative eigenvalue" not in str(exc) and "trace" not in str(exc) and "Hermitian" not in str(exc):
            raise
    rho = np.asarray(arr).astype(np.complex128)  # square and finite: checked by validate_density_matrix
    herm = float(np.max(np.abs(rho - rho.conj().T)))
    if herm > SOLVER_TOL:
        raise ValueError(f"not a valid density matrix: state is not Hermitian (max |rho - rho^dag| = {herm:.3g})")
    tr = complex(np.trace(rho))
    if abs(tr - 1.0) > SOLVER_TOL:
        raise ValueError(f"not a valid density matrix: state has trace {tr.real:.12g}, expected 1")
    sym = 0.5 * (rho + rho.conj().T)
    lam_min = float(np.linalg.eigvalsh(sym)[0])
    if lam_min < -SOLVER_TOL:
        raise ValueError(f"not a valid density matrix: state has negative eigenvalue {lam_min:.3g}")
    return sym


def prepare(state: Any, dims: Sequence[int] | None, system: Any, pointer: Any, base: float) -> Prepared:
    """Validate ``state``/``dims``/``system``/``pointer`` and build the factor tensor."""
    arr = as_array(state, "state")
    size = arr.shape[0] if arr.ndim >= 1 else 0
    if arr.ndim == 0 or size == 0:
        raise ValueError(f"state: expected a ket (D,) or a density matrix (D, D), got shape {arr.shape}")
    d = _dims_of(state, dims, size)
    sys_idx = _system_indices(system, len(d))
    w, note = _factor(state)
    env = [i for i in range(len(d)) if i not in sys_idx]
    r = w.shape[1]
    t: NDArray[Any] = np.transpose(w.reshape(d + [r]), sys_idx + env + [len(d)])
    d_s = math.prod(d[i] for i in sys_idx)
    env_dims = [d[i] for i in env]
    t = t.reshape([d_s] + env_dims + [r])
    m = t.reshape(d_s, -1)
    rho_s = m @ m.conj().T
    rho_s = 0.5 * (rho_s + rho_s.conj().T)
    u = pointer_basis(pointer, rho_s)
    t = np.tensordot(u.conj().T, t, axes=(1, 0))  # T[i] = <pointer_i| T
    if not np.any(t.imag):
        t = t.real  # real amplitudes: real Gram matrices and eigenproblems (about 3x faster)
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
        note=note,
    )
