"""Mutual information and Holevo quantity (bits by default)."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._checks import as_density_matrix, validate_probabilities, validate_state, validate_subsystems
from .entropy import entropy_from_eigenvalues, entropy_of_factor
from .partial_trace import _partial_trace_kernel, _resolve_dims


def _ket_block_entropy(psi: np.ndarray, dims: list[int], block: list[int], base: float) -> float:
    """Entropy of the reduced state of ``block`` for a pure state (smaller side diagonalised)."""
    if not block or len(block) == len(dims):
        return 0.0
    rest = [i for i in range(len(dims)) if i not in block]
    m = np.transpose(psi.reshape(dims), block + rest).reshape(int(np.prod([dims[i] for i in block])), -1)
    return entropy_of_factor(m, base=base)


def _dm_block_entropy(rho: np.ndarray, dims: list[int], block: list[int], base: float) -> float:
    if not block:
        return 0.0
    red = rho if len(block) == len(dims) and block == sorted(block) else _partial_trace_kernel(rho, False, dims, block)
    return float(entropy_from_eigenvalues(np.linalg.eigvalsh(red), base=base))


def mutual_information(
    state: Any,
    a: Sequence[int] | int,
    b: Sequence[int] | int | None = None,
    dims: Sequence[int] | None = None,
    *,
    base: float = 2.0,
) -> float:
    """Quantum mutual information ``I(A:B) = S(A) + S(B) - S(AB)`` (bits by default).

    For a ket every entropy is computed from the smaller side of a Schmidt decomposition, so
    the full density matrix is never formed; ``S(AB)`` of a pure global state equals the
    entropy of the complement of ``AB``.

    Parameters
    ----------
    state : array_like or qutip.Qobj
        Ket (D,) or density matrix (D, D).
    a, b : int or sequence of int
        Disjoint subsystem sets; ``b`` defaults to the complement of ``a``.
    dims : sequence of int, optional
        Subsystem dimensions (from the Qobj when omitted).
    base : float
        2 for bits (default), ``numpy.e`` for nats.

    Examples
    --------
    >>> import numpy as np
    >>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    >>> round(mutual_information(bell, [0], [1], dims=[2, 2]), 12)
    2.0
    """
    arr, is_ket = validate_state(state, "state")
    d = _resolve_dims(state, dims, arr.shape[0])
    a_idx = validate_subsystems(a, len(d), "a")
    b_idx = [i for i in range(len(d)) if i not in a_idx] if b is None else validate_subsystems(b, len(d), "b")
    if set(a_idx) & set(b_idx):
        raise ValueError(f"a and b must be disjoint, got {a_idx} and {b_idx}")
    ab = sorted(a_idx + b_idx)
    if is_ket:
        s_ab = _ket_block_entropy(arr, d, [i for i in range(len(d)) if i not in ab], base)
        return _ket_block_entropy(arr, d, a_idx, base) + _ket_block_entropy(arr, d, b_idx, base) - s_ab
    rho = arr
    return (
        _dm_block_entropy(rho, d, a_idx, base)
        + _dm_block_entropy(rho, d, b_idx, base)
        - _dm_block_entropy(rho, d, ab, base)
    )


def holevo_information(probs: ArrayLike, states: Sequence[Any], *, base: float = 2.0) -> float:
    """Holevo quantity ``chi = S(sum_k p_k rho_k) - sum_k p_k S(rho_k)`` (bits by default).

    Parameters
    ----------
    probs : array_like, shape (K,)
        Prior probabilities.
    states : sequence of K density matrices (d, d) or Qobj

    Examples
    --------
    >>> import numpy as np
    >>> holevo_information([0.5, 0.5], [np.diag([1, 0]), np.diag([0, 1])])
    1.0
    """
    p = validate_probabilities(probs, "probs")
    if isinstance(states, (str, bytes)) or not hasattr(states, "__len__"):
        raise ValueError(f"states: expected a sequence of {p.size} states, got {type(states).__name__}")
    if len(states) != p.size:
        raise ValueError(f"states: expected {p.size} states to match probs, got {len(states)}")
    rhos = [as_density_matrix(s, f"states[{k}]") for k, s in enumerate(states)]
    if len({r.shape for r in rhos}) != 1:
        raise ValueError("states: all states must have the same dimension")
    stack = np.stack(rhos)
    mix = np.tensordot(p, stack, axes=1)
    s_mix = float(entropy_from_eigenvalues(np.linalg.eigvalsh(mix), base=base))
    s_each = np.asarray(entropy_from_eigenvalues(np.linalg.eigvalsh(stack), base=base))
    return s_mix - float(p @ s_each)


__all__ = ["mutual_information", "holevo_information"]
