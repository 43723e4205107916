"""The branch-resolved energy law of an environment fraction (data type and constructor).

:class:`FractionEnergyLaw` holds the energy values E_a of the fraction Hamiltonian H_F and
the probabilities P_k(a) of every branch; :func:`make_energy_law` builds one from raw levels,
merging values equal within ``merge_tol`` (docs/thermal-analysis.md). Energies in units of J,
densities per site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_finite, check_real_scalar

#: Levels of H_F closer than this (absolute, energy units) are one energy value.
MERGE_TOL = 1e-10

__all__ = ["MERGE_TOL", "FractionEnergyLaw", "make_energy_law"]


@dataclass(frozen=True)
class FractionEnergyLaw:
    """Branch-resolved energy law of a fraction of ``m`` sites.

    Attributes
    ----------
    energies : ndarray, shape (L,)
        Distinct eigenvalues of ``H_F`` in increasing order (energy units, not densities).
    probs : ndarray, shape (d, L)
        ``probs[k, a]`` = probability of energy ``energies[a]`` in branch k (rows sum to 1).
    mean_density : ndarray, shape (d,)
        ``mu_k = sum_a P_k(a) E_a / m``.
    var_density : ndarray, shape (d,)
        ``s_k^2 = Var_k(E) / m``.
    m : int
        Number of sites of the fraction.
    """

    energies: NDArray[np.float64]
    probs: NDArray[np.float64]
    mean_density: NDArray[np.float64]
    var_density: NDArray[np.float64]
    m: int

    @property
    def d(self) -> int:
        """Number of branches."""
        return int(self.probs.shape[0])


def _merge_levels(
    energies: NDArray[np.float64], probs: NDArray[np.float64], tol: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sort levels and merge runs of neighbours closer than ``tol`` (probabilities summed)."""
    order = np.argsort(energies, kind="stable")
    e = energies[order]
    p = probs[:, order]
    starts = np.concatenate(([0], np.nonzero(np.diff(e) > tol)[0] + 1))
    counts = np.diff(np.append(starts, e.size))
    e_merged = np.add.reduceat(e, starts) / counts
    p_merged = np.add.reduceat(p, starts, axis=1)
    return e_merged, p_merged


def _moments(
    energies: NDArray[np.float64], probs: NDArray[np.float64], m: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean and variance densities of each branch law (centred second moment, no cancellation)."""
    mean = probs @ energies
    var = np.einsum("ka,ka->k", probs, (energies[None, :] - mean[:, None]) ** 2)
    return mean / m, np.clip(var, 0.0, None) / m


def make_energy_law(
    energies: ArrayLike, probs: ArrayLike, m: int, *, merge_tol: float = MERGE_TOL
) -> FractionEnergyLaw:
    """Build a :class:`FractionEnergyLaw` from levels and per-branch probabilities.

    Parameters
    ----------
    energies : array_like, shape (L,)
        Energy levels (energy units), any order, possibly degenerate.
    probs : array_like, shape (d, L)
        Non-negative probabilities; each row must sum to 1 within 1e-8.
    m : int
        Number of sites of the fraction (densities are energies / m).
    merge_tol : float
        Levels closer than this are merged (default 1e-10).

    Returns
    -------
    FractionEnergyLaw

    Raises
    ------
    ValueError
        For mismatched shapes, negative or unnormalised probabilities, non-finite input, m < 1.

    Examples
    --------
    >>> law = make_energy_law([-1.0, 1.0, 1.0], [[0.5, 0.25, 0.25]], 1)
    >>> law.energies.tolist(), law.probs.tolist(), float(law.mean_density[0])
    ([-1.0, 1.0], [[0.5, 0.5]], 0.0)
    """
    e = np.asarray(as_array(energies, "energies"), dtype=np.float64).reshape(-1)
    p = np.atleast_2d(np.asarray(as_array(probs, "probs"), dtype=np.float64))
    if p.ndim != 2 or p.shape[1] != e.size or e.size == 0:
        raise ValueError(f"probs: expected shape (d, {e.size}) matching energies, got {p.shape}")
    check_finite(e, "energies")
    check_finite(p, "probs")
    if not isinstance(m, (int, np.integer)) or isinstance(m, bool) or m < 1:
        raise ValueError(f"m must be a positive integer, got {m!r}")
    if np.any(p < -1e-12):
        raise ValueError(f"probs: probabilities must be >= 0, got min {p.min():.3g}")
    sums = p.sum(axis=1)
    if np.any(np.abs(sums - 1.0) > 1e-8):
        raise ValueError(
            f"probs: each branch law must sum to 1, got sums {np.round(sums, 12).tolist()}"
        )
    tol = check_real_scalar(merge_tol, "merge_tol")
    e_m, p_m = _merge_levels(e, np.clip(p, 0.0, None), tol)
    mean, var = _moments(e_m, p_m, int(m))
    return FractionEnergyLaw(e_m, p_m, mean, var, int(m))
