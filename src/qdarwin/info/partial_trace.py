"""Partial trace of density matrices and state vectors.

Ordering convention: the first factor is the most significant (as QuTiP); a state on
subsystems with dimensions ``dims`` is reshaped to ``dims`` (kets) or ``dims + dims``.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import qobj_dims, validate_dims, validate_state, validate_subsystems


def _resolve_dims(state: Any, dims: Sequence[int] | None, size: int) -> list[int]:
    if dims is None:
        dims = qobj_dims(state)
    if dims is None:
        raise ValueError("dims: subsystem dimensions are required for array input")
    return validate_dims(dims, size)


def partial_trace(state: Any, keep: Sequence[int] | int, dims: Sequence[int] | None = None) -> NDArray[np.complex128]:
    """Reduced density matrix on the subsystems ``keep`` (in the order given).

    Parameters
    ----------
    state : array_like or qutip.Qobj
        A normalised ket of shape (D,) (or (D, 1)) or a density matrix of shape (D, D)
        (finite, Hermitian, trace 1, positive semidefinite).
    keep : int or sequence of int
        Subsystems to keep; the output factors follow this order.
    dims : sequence of int, optional
        Subsystem dimensions (taken from a Qobj when omitted).

    Returns
    -------
    ndarray, shape (prod(dims[keep]), prod(dims[keep]))

    Raises
    ------
    ValueError
        Not a valid state (NaN, non-Hermitian, not positive semidefinite, trace or norm != 1),
        ``dims`` not positive integers multiplying to D, bad ``keep`` indices.

    Examples
    --------
    >>> import numpy as np
    >>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    >>> partial_trace(bell, keep=[0], dims=[2, 2]).real.round(3).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    arr, is_ket = validate_state(state, "state")
    return _partial_trace_kernel(arr, is_ket, _resolve_dims(state, dims, arr.shape[0]), keep)


def _partial_trace_kernel(arr: NDArray[np.complex128], is_ket: bool, d: list[int], keep: Sequence[int] | int) -> NDArray[np.complex128]:
    """Partial trace of a validated ket or density matrix with validated ``dims``."""
    if is_ket:
        k = validate_subsystems(keep, len(d))
        rest = [i for i in range(len(d)) if i not in k]
        psi = np.transpose(arr.reshape(d), k + rest).reshape(int(np.prod([d[i] for i in k])), -1)
        return psi @ psi.conj().T
    k = validate_subsystems(keep, len(d))
    n = len(d)
    rest = [i for i in range(n) if i not in k]
    t = arr.reshape(d + d)
    t = np.transpose(t, k + rest + [n + i for i in k] + [n + i for i in rest])
    dk = int(np.prod([d[i] for i in k]))
    dr = int(np.prod([d[i] for i in rest]))
    t = t.reshape(dk, dr, dk, dr)
    return np.einsum("ajbj->ab", t)


ptrace = partial_trace

__all__ = ["partial_trace", "ptrace"]
