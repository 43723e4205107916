"""Multi-qubit product-Pauli tomography and a quantum-Darwinism analysis with error bars."""

from .analysis import WITNESSES, TomographyAnalysis, analyze
from .bootstrap import bootstrap_interval, resample_counts
from .data import (
    PauliCounts,
    all_settings,
    fragment_settings,
    make_pauli_counts,
    marginal_counts,
    missing_settings,
    pauli_counts_from_mapping,
)
from .reconstruction import (
    Reconstruction,
    linear_inversion,
    maximum_likelihood,
    pauli_expectations,
    project_to_density_matrix,
    reconstruct,
)
from .synthetic import branching_state, noisy_density_matrix, sample_counts, setting_probabilities, synthetic_counts

__all__ = [
    "TomographyAnalysis",
    "WITNESSES",
    "analyze",
    "bootstrap_interval",
    "resample_counts",
    "PauliCounts",
    "Reconstruction",
    "all_settings",
    "branching_state",
    "fragment_settings",
    "linear_inversion",
    "make_pauli_counts",
    "marginal_counts",
    "maximum_likelihood",
    "missing_settings",
    "noisy_density_matrix",
    "pauli_counts_from_mapping",
    "pauli_expectations",
    "project_to_density_matrix",
    "reconstruct",
    "sample_counts",
    "setting_probabilities",
    "synthetic_counts",
]
