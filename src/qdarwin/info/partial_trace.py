"""Partial trace of density matrices and state vectors.

Ordering convention: the first factor is the most significant (as QuTiP); a state on
subsystems with dimensions ``dims`` is reshaped to ``dims`` (kets) or ``dims + dims``.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import as_array, qobj_dims, validate_subsystems


def _resolve_dims(state: Any, dims: Sequence[int] | None, size: int) -> list[int]:
    if dims is None:
        dims = qobj_dims(state)
    if dims is None:
        raise ValueError("dims: subsystem dimensions are required for array input")
    d = [int(x) for x in dims]
    if any(x < 1 for x in d):
        raise ValueError(f"dims: dimensions must be positive, got {d}")
    if int(np.prod(d)) != size:
        raise ValueError(f"dims: product {int(np.prod(d))} does not match state dimension {size}")
    return d


def partial_trace(state: Any, keep: Sequence[int] | int, dims: Sequence[int] | None = None) -> NDArray[np.complex128]:
    """Reduced density matrix on the subsystems ``keep`` (in the order given).

    Parameters
    ----------
    state : array_like or qutip.Qobj
        A ket of shape (D,) (or (D, 1)) or a density matrix of shape (D, D).
    keep : int or sequence of int
        Subsystems to keep; the output factors follow this order.
    dims : sequence of int, optional
        Subsystem dimensions (taken from a Qobj when omitted).

    Returns
    -------
    ndarray, shape (prod(dims[keep]), prod(dims[keep]))

    Examples
    --------
    >>> import numpy as np
    >>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    >>> partial_trace(bell, keep=[0], dims=[2, 2]).real.round(3).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    arr = as_array(state, "state").astype(np.complex128, copy=False)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim == 1:
        d = _resolve_dims(state, dims, arr.size)
        k = validate_subsystems(keep, len(d))
        rest = [i for i in range(len(d)) if i not in k]
        psi = np.transpose(arr.reshape(d), k + rest).reshape(int(np.prod([d[i] for i in k])), -1)
        return psi @ psi.conj().T
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"state: expected a ket (D,) or density matrix (D, D), got shape {arr.shape}")
    d = _resolve_dims(state, dims, arr.shape[0])
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
