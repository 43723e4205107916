"""Shared type aliases for the numerical core (see ``docs/conventions.md``)."""

from __future__ import annotations

from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: A real scalar or array of reals.
Real = Union[float, NDArray[np.floating[Any]]]
#: A state vector of shape ``(d,)`` (complex128 after validation).
Ket = NDArray[np.complexfloating[Any, Any]]
#: A density matrix of shape ``(d, d)`` (complex128 after validation).
DensityMatrix = NDArray[np.complexfloating[Any, Any]]
#: Anything :func:`numpy.asarray` accepts, or a ``qutip.Qobj``.
StateLike = Union[ArrayLike, Any]

__all__ = ["Real", "Ket", "DensityMatrix", "StateLike", "ArrayLike", "NDArray"]
