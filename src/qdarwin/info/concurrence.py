"""Wootters concurrence of two-qubit states."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import as_density_matrix

_YY = np.array([[0, 0, 0, -1], [0, 0, 1, 0], [0, 1, 0, 0], [-1, 0, 0, 0]], dtype=float)


def concurrence(rho: Any) -> float:
    """Wootters concurrence ``C = max(0, l1 - l2 - l3 - l4)`` of a two-qubit density matrix.

    ``l_i`` are the singular values of ``sqrt(rho) Y conj(sqrt(rho))`` with
    ``Y = sigma_y (x) sigma_y`` (numerically robust form; basis |00>, |01>, |10>, |11>).

    Raises
    ------
    ValueError
        If ``rho`` is not a valid 4x4 density matrix ("not a two-qubit state").

    Examples
    --------
    >>> import numpy as np
    >>> bell = np.outer([1, 0, 0, 1], [1, 0, 0, 1]) / 2
    >>> round(concurrence(bell), 12)
    1.0
    """
    try:
        r = as_density_matrix(rho)
    except ValueError as exc:
        raise ValueError(f"not a two-qubit state: {exc}") from None
    if r.shape != (4, 4):
        raise ValueError(f"not a two-qubit state: expected shape (4, 4), got {r.shape}")
    w, v = np.linalg.eigh(r)
    sq = (v * np.sqrt(np.clip(w, 0.0, None))) @ v.conj().T
    lam = np.linalg.svd(sq @ _YY @ sq.conj(), compute_uv=False)
    return float(max(0.0, lam[0] - lam[1] - lam[2] - lam[3]))


__all__ = ["concurrence"]
