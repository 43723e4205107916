"""Shared type aliases for the numerical core (see ``docs/conventions.md``).

One place for array aliases and the progress-callback protocol; modules import from here
instead of redefining them.
"""

from __future__ import annotations

from typing import Any, Protocol, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: A real scalar or array of reals.
Real = Union[float, NDArray[np.floating[Any]]]
#: A float64 array.
FloatArray = NDArray[np.float64]
#: A complex128 array.
ComplexArray = NDArray[np.complex128]
#: An integer array.
IntArray = NDArray[np.int64]
#: A state vector of shape ``(d,)`` (complex128 after validation).
Ket = NDArray[np.complexfloating[Any, Any]]
#: A density matrix of shape ``(d, d)`` (complex128 after validation).
DensityMatrix = NDArray[np.complexfloating[Any, Any]]
#: Anything :func:`numpy.asarray` accepts, or a ``qutip.Qobj``.
StateLike = Union[ArrayLike, Any]


class Progress(Protocol):
    """Progress callback ``progress(done, total, detail)``, all positional.

    The core calls it after each unit of work; the CLI maps it to a rich bar on stderr.
    ``detail`` is a short description (figure recipes, thermal runs) or, for sweeps, the
    number of failed points; a callback should give it a default.
    """

    def __call__(self, done: int, total: int, detail: Any = "", /) -> None: ...


__all__ = [
    "ArrayLike",
    "ComplexArray",
    "DensityMatrix",
    "FloatArray",
    "IntArray",
    "Ket",
    "NDArray",
    "Progress",
    "Real",
    "StateLike",
]
