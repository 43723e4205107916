"""Single-spin tomography data: raw counts or estimated Bloch vectors, conditioned on the system state.

File formats and the estimation workflow: docs/experiment.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_real_array
from .._typing import FloatArray, IntArray
from .intervals import count_standard_errors

#: Most shots per (spin, state, basis): counts stay exact integers in float64 and int64.
MAX_SHOTS = 2**53


@dataclass(frozen=True)
class TomographyCounts:
    """Raw single-spin tomography counts.

    Attributes
    ----------
    n_plus : ndarray, shape (N, 2, 3), int
        Number of ``+1`` outcomes for spin k, conditional state s (0 = system up, 1 = down),
        measurement basis a (0, 1, 2 = x, y, z).
    shots : ndarray, shape (N, 2, 3), int
        Number of shots for each (spin, state, basis); >= 1.
    labels : tuple of str
        Spin names.
    """

    n_plus: IntArray
    shots: IntArray
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n_plus = as_real_array(self.n_plus, "n_plus")
        shots = as_real_array(self.shots, "shots")
        for name, arr in (("n_plus", n_plus), ("shots", shots)):
            if arr.ndim != 3 or arr.shape[1:] != (2, 3):
                raise ValueError(f"{name}: expected shape (N, 2, 3) (spin, up/down, x/y/z), got {arr.shape}")
            if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
                raise ValueError(f"{name}: counts must be non-negative integers")
        if n_plus.shape != shots.shape:
            raise ValueError(f"n_plus and shots must have the same shape, got {n_plus.shape} and {shots.shape}")
        if n_plus.shape[0] < 1:
            raise ValueError("at least one environment spin is needed")
        if np.any(shots > MAX_SHOTS):
            raise ValueError(f"shots must be <= {MAX_SHOTS:.3g} per spin, state and basis")
        if np.any(shots < 1):
            raise ValueError("shots must be >= 1 for every spin, state and basis")
        if np.any(n_plus < 0) or np.any(n_plus > shots):
            k = np.argwhere((n_plus < 0) | (n_plus > shots))[0]
            raise ValueError(f"counts out of range for spin {k[0]}: n_plus must lie in [0, shots]")
        labels = tuple(self.labels) or tuple(f"spin{k}" for k in range(n_plus.shape[0]))
        if len(labels) != n_plus.shape[0]:
            raise ValueError(f"labels: expected {n_plus.shape[0]} names, got {len(labels)}")
        object.__setattr__(self, "n_plus", n_plus.astype(np.int64))
        object.__setattr__(self, "shots", shots.astype(np.int64))
        object.__setattr__(self, "labels", labels)

    @property
    def n_spins(self) -> int:
        return int(self.n_plus.shape[0])

    def raw_bloch(self) -> FloatArray:
        """Raw (unconstrained, maximum-likelihood per basis) Bloch vectors ``2 n_plus/shots - 1``."""
        return 2.0 * self.n_plus / self.shots - 1.0

    def standard_errors(self) -> FloatArray:
        """Binomial standard errors of the raw components, ``sqrt((1 - r^2)/n)`` with ``1 - r^2`` floored at ``1/n``."""
        return count_standard_errors(self.raw_bloch(), self.shots)


@dataclass(frozen=True)
class BlochEstimates:
    """Estimated conditional Bloch vectors with standard errors.

    Attributes
    ----------
    bloch : ndarray, shape (N, 2, 3)
        Bloch vectors of spin k conditioned on system up (index 0) and down (index 1).
    se : ndarray, shape (N, 2, 3)
        Standard errors of each component (> 0).
    labels : tuple of str
    """

    bloch: FloatArray
    se: FloatArray
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        b = as_real_array(self.bloch, "bloch")
        se = as_real_array(self.se, "se")
        for name, arr in (("bloch", b), ("se", se)):
            if arr.ndim != 3 or arr.shape[1:] != (2, 3):
                raise ValueError(f"{name}: expected shape (N, 2, 3) (spin, up/down, x/y/z), got {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{name}: contains NaN or infinite entries")
        if b.shape != se.shape:
            raise ValueError(f"bloch and se must have the same shape, got {b.shape} and {se.shape}")
        if b.shape[0] < 1:
            raise ValueError("at least one environment spin is needed")
        if np.any(se <= 0):
            raise ValueError("standard errors must be > 0")
        labels = tuple(self.labels) or tuple(f"spin{k}" for k in range(b.shape[0]))
        if len(labels) != b.shape[0]:
            raise ValueError(f"labels: expected {b.shape[0]} names, got {len(labels)}")
        object.__setattr__(self, "bloch", b)
        object.__setattr__(self, "se", se)
        object.__setattr__(self, "labels", labels)

    @property
    def n_spins(self) -> int:
        return int(self.bloch.shape[0])


TomographyData = TomographyCounts | BlochEstimates

__all__ = ["TomographyCounts", "BlochEstimates", "TomographyData"]
