"""Pillar 3: pure dephasing, canonical operators, rate constraints, speed limits.

Oi and Schirmer, "Fundamental speed limits on quantum coherence and correlation decay"; the
conventions and the corrected formulas are in ``docs/dephasing.md``. Public names of the
submodules are re-exported here: ``__all__`` is exactly the union of the submodules' ``__all__``
(checked by ``tests/dephasing/test_package.py``).
"""

from __future__ import annotations

from .model import (
    rates_from_operators,
    frequencies,
    liouvillian,
    evolve,
    loop_shifts,
    gauge_transform,
    validate_rates,
    validate_frequencies,
    validate_operators,
)
from .gram import (
    gram_matrix,
    generator_matrix,
    helmert_basis,
)
from .canonical import (
    CanonicalForm,
    canonical_form,
    echelon_cholesky,
)
from .constraints import (
    ConstraintReport,
    BatchConstraintReport,
    MarginUncertainty,
    check_constraints,
    check_constraints_batch,
    margin_uncertainty,
)
from .nearest import (
    NearestPhysical,
    BootstrapResult,
    InversionResult,
    nearest_physical,
    bootstrap_p_value,
    invert_rates,
)
from .speed_limits import (
    two_qubit_rates,
    two_qubit_limits,
    TwoQubitLimits,
    hamming_rates,
    hamming_eigenvalues,
    krawtchouk,
    concurrence,
    bell_concurrence,
    cluster_concurrence,
    cluster_state,
    sudden_death_time,
    fig2_min_eigenvalue,
    violation_map,
)
from .symbolic import (
    gram_symbolic,
    det_gram_polynomial,
    det_gram_term_count,
)
from .fitting import (
    CoherenceFit,
    RatesFit,
    fit_coherence,
    fit_rates,
)
from .synthetic import (
    SyntheticData,
    synthetic_coherence_data,
)
from .analysis import (
    analyse_rates,
    analyse_series,
    limits_report,
)
from .methods import (
    Givens,
    Householder,
    Admm,
    LeastSquares,
    CanonicalMethod,
    ProjectionMethod,
)

__all__ = [
    "rates_from_operators",
    "frequencies",
    "liouvillian",
    "evolve",
    "loop_shifts",
    "gauge_transform",
    "validate_rates",
    "validate_frequencies",
    "validate_operators",
    "gram_matrix",
    "generator_matrix",
    "helmert_basis",
    "CanonicalForm",
    "canonical_form",
    "echelon_cholesky",
    "ConstraintReport",
    "BatchConstraintReport",
    "MarginUncertainty",
    "check_constraints",
    "check_constraints_batch",
    "margin_uncertainty",
    "NearestPhysical",
    "BootstrapResult",
    "InversionResult",
    "nearest_physical",
    "bootstrap_p_value",
    "invert_rates",
    "two_qubit_rates",
    "two_qubit_limits",
    "TwoQubitLimits",
    "hamming_rates",
    "hamming_eigenvalues",
    "krawtchouk",
    "concurrence",
    "bell_concurrence",
    "cluster_concurrence",
    "cluster_state",
    "sudden_death_time",
    "fig2_min_eigenvalue",
    "violation_map",
    "gram_symbolic",
    "det_gram_polynomial",
    "det_gram_term_count",
    "CoherenceFit",
    "RatesFit",
    "fit_coherence",
    "fit_rates",
    "SyntheticData",
    "synthetic_coherence_data",
    "analyse_rates",
    "analyse_series",
    "limits_report",
    "Givens",
    "Householder",
    "Admm",
    "LeastSquares",
    "CanonicalMethod",
    "ProjectionMethod",
]
