"""qdarwin: quantum Darwinism toolkit.

Pillars: :mod:`qdarwin.spins` (spin environments), :mod:`qdarwin.thermal` (thermalizing
chains), :mod:`qdarwin.dephasing` (dephasing constraints); shared kernels in
:mod:`qdarwin.info`; parameter sweeps in :mod:`qdarwin.sweep`. Nothing is computed at import.

Conventions (docs/conventions.md): hbar = 1, Pauli matrices, information in bits unless
written with ln (Chernoff information, rate functions and exponents are in nats); the first
tensor factor is the most significant.
"""

from ._threads import blas_threads, set_blas_threads
from .info import (
    binary_entropy,
    chernoff_information,
    concurrence,
    holevo_information,
    mutual_information,
    partial_trace,
    shannon_entropy,
    two_level_entropy,
    von_neumann_entropy,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "blas_threads",
    "set_blas_threads",
    "binary_entropy",
    "chernoff_information",
    "concurrence",
    "holevo_information",
    "mutual_information",
    "partial_trace",
    "shannon_entropy",
    "two_level_entropy",
    "von_neumann_entropy",
]
