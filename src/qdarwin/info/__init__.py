"""Shared quantum-information kernels (one implementation each, used by every pillar).

Units: entropies, mutual information and Holevo quantity in bits unless ``base`` says
otherwise; Chernoff information in nats.
"""

from .._checks import validate_density_matrix, validate_ket, validate_probabilities
from .chernoff import ChernoffResult, chernoff_information, chernoff_overlap
from .concurrence import concurrence
from .entropy import (
    binary_entropy,
    entropy_from_eigenvalues,
    entropy_of_factor,
    shannon_entropy,
    two_level_entropy,
    von_neumann_entropy,
)
from .mutual_information import holevo_information, mutual_information
from .partial_trace import partial_trace, ptrace
from .redundancy import f_delta, redundancy_from_curve

__all__ = [
    "binary_entropy",
    "chernoff_information",
    "chernoff_overlap",
    "ChernoffResult",
    "concurrence",
    "entropy_from_eigenvalues",
    "entropy_of_factor",
    "f_delta",
    "holevo_information",
    "mutual_information",
    "partial_trace",
    "ptrace",
    "redundancy_from_curve",
    "shannon_entropy",
    "two_level_entropy",
    "validate_density_matrix",
    "validate_ket",
    "validate_probabilities",
    "von_neumann_entropy",
]
