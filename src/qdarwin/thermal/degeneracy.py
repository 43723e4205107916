"""Partial degeneracy: coarse-grained plateau and degenerate-pair diagnostics (Cao & Nussinov, arXiv:2603.15743).

Branches whose energy densities agree (absolute tolerance 1e-9 by default) thermalize to the
same local macrostate, so a fraction can only learn the coarse-grained label: the expected
plateau is the Shannon entropy of the probabilities merged over equal energy densities.
Information in bits by default (``base=2``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_finite, check_real_scalar, validate_probabilities
from ..info import shannon_entropy
from .energy import FractionEnergyLaw

#: Default absolute tolerance for equal energy densities.
ENERGY_TOL = 1e-9


def _densities(energy_densities: ArrayLike, d: int | None = None) -> NDArray[np.float64]:
    e = np.asarray(as_array(energy_densities, "energy_densities"), dtype=np.float64).reshape(-1)
    check_finite(e, "energy_densities")
    if d is not None and e.size != d:
        raise ValueError(f"energy_densities: expected {d} values (one per branch), got {e.size}")
    return e


def energy_groups(energy_densities: ArrayLike, *, tol: float = ENERGY_TOL) -> NDArray[np.int64]:
    """Group label of each branch: branches whose densities agree within ``tol`` share a label.

    Groups are chains of sorted neighbours closer than ``tol``; labels are numbered in order of
    first appearance among the branches.

    Examples
    --------
    >>> energy_groups([0.9, -0.9, 0.0, 0.0]).tolist()
    [0, 1, 2, 2]
    """
    e = _densities(energy_densities)
    t = check_real_scalar(tol, "tol")
    if t < 0:
        raise ValueError(f"tol must be >= 0, got {t}")
    order = np.argsort(e, kind="stable")
    sorted_label = np.concatenate(([0], np.cumsum(np.diff(e[order]) > t)))
    raw = np.empty(e.size, dtype=np.int64)
    raw[order] = sorted_label
    _, first = np.unique(raw, return_index=True)
    rank = np.argsort(np.argsort(first)).astype(np.int64)  # group rank by first appearance
    return rank[raw]


def coarse_grained_probabilities(
    probs: ArrayLike, energy_densities: ArrayLike, *, tol: float = ENERGY_TOL
) -> NDArray[np.float64]:
    """Probabilities merged over branches with equal energy densities (group order of
    :func:`energy_groups`).

    Examples
    --------
    >>> coarse_grained_probabilities([0.25] * 4, [0.9, -0.9, 0.0, 0.0]).tolist()
    [0.25, 0.25, 0.5]
    """
    p = validate_probabilities(probs, "probs", min_len=1)
    e = _densities(energy_densities, p.size)
    labels = energy_groups(e, tol=tol)
    return np.asarray(np.bincount(labels, weights=p), dtype=np.float64)  # float64 with weights


def coarse_grained_entropy(
    probs: ArrayLike, energy_densities: ArrayLike, *, tol: float = ENERGY_TOL, base: float = 2.0
) -> float:
    """Shannon entropy of the energy-coarse-grained probabilities: the partial-degeneracy plateau.

    Parameters
    ----------
    probs : array_like, shape (d,)
    energy_densities : array_like, shape (d,)
        Conserved branch energy densities e_k.
    tol : float
        Absolute tolerance for equal densities (default 1e-9).
    base : float
        2 for bits (default), ``numpy.e`` for nats.

    Examples
    --------
    The ``partial_degeneracy`` preset: groups {-h_x}, {0, 0}, {+h_x} give H(1/4, 1/2, 1/4).

    >>> coarse_grained_entropy([0.25] * 4, [0.9, -0.9, 0.0, 0.0])
    1.5
    """
    return float(
        shannon_entropy(
            coarse_grained_probabilities(probs, energy_densities, tol=tol), base=base, check=False
        )
    )


def degenerate_pairs(
    energy_densities: ArrayLike, *, probs: ArrayLike | None = None, tol: float = ENERGY_TOL
) -> list[tuple[int, int]]:
    """All pairs (j, k), j < k, of branches with equal energy density (and p_j, p_k > 0).

    Examples
    --------
    >>> degenerate_pairs([0.9, -0.9, 0.0, 0.0])
    [(2, 3)]
    """
    e = _densities(energy_densities)
    labels = energy_groups(e, tol=tol)
    active = np.ones(e.size, dtype=bool)
    if probs is not None:
        p = validate_probabilities(probs, "probs")
        if p.size != e.size:
            raise ValueError(f"probs: expected {e.size} values, got {p.size}")
        active = p > 0
    return [
        (j, k)
        for j in range(e.size)
        for k in range(j + 1, e.size)
        if labels[j] == labels[k] and active[j] and active[k]
    ]


def pair_holevo(
    branches: ArrayLike,
    probs: ArrayLike,
    pair: Sequence[int],
    sites: Sequence[int],
    *,
    base: float = 2.0,
) -> float:
    """Holevo chi of a fraction about which branch of a pair (j, k) occurred.

    The pair ensemble has the conditional probabilities ``p_j / (p_j + p_k)``,
    ``p_k / (p_j + p_k)``, so ``0 <= chi <= 1`` bit; chi ~ 0 means the pair is *encoded*
    (invisible to the fraction). Uses :func:`qdarwin.thermal.information.holevo`.

    Examples
    --------
    >>> psi = np.zeros((3, 4)); psi[0, 0] = psi[1, 3] = psi[2, 1] = 1.0
    >>> round(pair_holevo(psi, [0.5, 0.25, 0.25], (0, 1), [0]), 9)
    0.918295834
    """
    from .information import holevo

    p = validate_probabilities(probs, "probs", min_len=2)
    psi = np.asarray(as_array(branches, "branches"))
    if psi.ndim != 2 or psi.shape[0] != p.size:
        raise ValueError(f"branches: expected shape (d, 2**N) with d = {p.size}, got {psi.shape}")
    j, k = (int(x) for x in pair)
    if j == k or not (0 <= j < p.size and 0 <= k < p.size):
        raise ValueError(
            f"pair: expected two distinct branch indices in [0, {p.size}), got {tuple(pair)}"
        )
    pj, pk = p[j], p[k]
    if pj + pk <= 0:
        raise ValueError(f"pair: branches {j} and {k} both have probability 0")
    return float(holevo(psi[[j, k]], np.array([pj, pk]) / (pj + pk), list(sites), base=base))


def coarse_grained_setup(setup: Any, env: Any, *, tol: float = ENERGY_TOL) -> Any:
    """The coarse-grained problem: one branch per energy group, with the merged probability.

    The first branch of each group (in branch order) represents it; for ``partial_degeneracy``
    this gives branches |+x>, |-x>, |-y> with p = (1/4, 1/4, 1/2), whose plateau is exactly
    the coarse-grained entropy (1.5 bits). Returns a ``BroadcastSetup`` with the same theta.

    Examples
    --------
    >>> from qdarwin.thermal.models import ChaoticIsing, partial_degeneracy
    >>> coarse = coarse_grained_setup(partial_degeneracy(), ChaoticIsing(6))
    >>> coarse.d, coarse.probs.tolist()
    (3, [0.25, 0.25, 0.5])
    """
    from .energy import energy_densities
    from .models import BroadcastSetup

    e = energy_densities(env, setup)
    labels = energy_groups(e, tol=tol)
    n_groups = int(labels.max()) + 1
    first = [int(np.nonzero(labels == g)[0][0]) for g in range(n_groups)]
    merged = np.bincount(labels, weights=np.asarray(setup.probs, dtype=np.float64))
    if n_groups < 2:
        raise ValueError(
            "all branches have the same energy density: the coarse-grained problem has a single branch"
        )
    return BroadcastSetup(np.asarray(setup.axes)[first], merged, setup.theta)


def energy_mutual_information(
    law: FractionEnergyLaw, probs: ArrayLike, *, base: float = 2.0
) -> float:
    """Shannon mutual information ``I_energy`` between the branch k and the fraction energy.

    Joint law ``p_k P_k(a)`` over the merged levels of H_F; ``I_energy <= chi <= I(S:F)``.

    Examples
    --------
    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([0.0, 1.0], [[1.0, 0.0], [0.0, 1.0]], 1)
    >>> energy_mutual_information(law, [0.5, 0.5])
    1.0
    """
    if not isinstance(law, FractionEnergyLaw):
        raise ValueError(f"law: expected a FractionEnergyLaw, got {type(law).__name__}")
    p = validate_probabilities(probs, "probs")
    if p.size != law.d:
        raise ValueError(f"probs: expected {law.d} branch probabilities, got {p.size}")
    marginal = p @ law.probs
    h_marg = float(shannon_entropy(marginal / marginal.sum(), base=base, check=False))
    h_cond = sum(
        float(pk * shannon_entropy(law.probs[k], base=base, check=False))
        for k, pk in enumerate(p)
        if pk > 0
    )
    return max(h_marg - h_cond, 0.0)


__all__ = [
    "ENERGY_TOL",
    "coarse_grained_entropy",
    "coarse_grained_probabilities",
    "coarse_grained_setup",
    "degenerate_pairs",
    "energy_groups",
    "energy_mutual_information",
    "pair_holevo",
]
