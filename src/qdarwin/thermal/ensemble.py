"""Projective ensemble of the system (Cao & Nussinov, arXiv:2603.15743).

Measure a set B of environment sites (default: all N) in the computational basis. For outcome
b the unnormalised posterior of S is
``rho~(b)_jk = c_j c_k^* sum_r psi_j(b, r) psi_k(b, r)^*`` (r: unmeasured sites,
``c_k = sqrt(p_k)`` by default), with Born weight ``w_b = tr rho~(b)``. For d = 2 the
posteriors are reported as Bloch vectors ``(x, y, z) = (2 Re rho_01, -2 Im rho_01,
rho_00 - rho_11)``; for d > 2 as populations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_finite, check_int, validate_probabilities, validate_subsystems

#: Tail threshold for P(|z| > TAIL_Z).
TAIL_Z = 0.9


@dataclass(frozen=True)
class ProjectiveEnsemble:
    """Posterior states of S after measuring environment sites in the computational basis.

    Attributes
    ----------
    weights : ndarray, shape (n_outcomes,)
        Born weights ``w_b`` (sum 1).
    bloch : ndarray, shape (n_outcomes, 3) or None
        Posterior Bloch vectors (d = 2); zero for outcomes of weight 0.
    populations : ndarray, shape (n_outcomes, d)
        Posterior populations ``rho_kk(b)``.
    bin_edges : ndarray, shape (bins + 1,)
        Histogram edges on [-1, 1] (d = 2; empty for d > 2).
    hist : ndarray, shape (bins,)
        Weighted probability of z in each bin (sums to 1; density = hist / bin width).
    mean_z, mean_z2, mean_abs_z, mean_z4 : float
        Weighted moments E[z], E[z^2], E|z|, E[z^4] (nan for d > 2).
    tail : float
        P(|z| > 0.9).
    ks_uniform : float
        Kolmogorov–Smirnov distance of the weighted z-law to the uniform law on [-1, 1]
        (the z-marginal of Haar-random qubit states).
    """

    weights: NDArray[np.float64]
    bloch: NDArray[np.float64] | None
    populations: NDArray[np.float64]
    bin_edges: NDArray[np.float64]
    hist: NDArray[np.float64]
    mean_z: float
    mean_z2: float
    mean_abs_z: float
    mean_z4: float
    tail: float
    ks_uniform: float


def ks_distance_uniform(z: ArrayLike, weights: ArrayLike) -> float:
    """Kolmogorov–Smirnov distance between a weighted sample on [-1, 1] and the uniform law.

    ``sup_z |F_w(z) - (z + 1)/2|`` with the weighted empirical CDF ``F_w`` (both one-sided
    limits at every atom).

    Examples
    --------
    >>> ks_distance_uniform([0.0], [1.0])
    0.5
    """
    zz = np.asarray(z, dtype=np.float64).reshape(-1)
    ww = np.asarray(weights, dtype=np.float64).reshape(-1)
    order = np.argsort(zz, kind="stable")
    zs, ws = zz[order], ww[order]
    after = np.cumsum(ws)
    after /= after[-1]
    before = np.concatenate(([0.0], after[:-1]))
    u = (zs + 1.0) / 2.0
    return float(max(np.max(np.abs(after - u)), np.max(np.abs(before - u))))


def _amplitudes(probs: NDArray[np.float64], amplitudes: ArrayLike | None) -> NDArray[np.complex128]:
    if amplitudes is None:
        return np.sqrt(probs).astype(np.complex128)
    c = np.asarray(as_array(amplitudes, "amplitudes"), dtype=np.complex128).reshape(-1)
    check_finite(c, "amplitudes")
    if c.size != probs.size:
        raise ValueError(f"amplitudes: expected {probs.size} system amplitudes, got {c.size}")
    if np.max(np.abs(np.abs(c) ** 2 - probs)) > 1e-10:
        raise ValueError("amplitudes: |c_k|^2 must equal probs within 1e-10")
    return c


def projective_ensemble(
    branches: ArrayLike,
    probs: ArrayLike,
    *,
    measured: Sequence[int] | None = None,
    amplitudes: ArrayLike | None = None,
    bins: int = 20,
) -> ProjectiveEnsemble:
    """Projective ensemble of the system conditioned on a computational-basis measurement of E.

    Parameters
    ----------
    branches : array_like, shape (d, 2**N)
        Normalised branch states psi_k (without sqrt(p_k)); site 0 most significant.
    probs : array_like, shape (d,)
        System probabilities p_k.
    measured : sequence of int, optional
        Measured sites B (default: all N sites).
    amplitudes : array_like, shape (d,), optional
        Complex system amplitudes c_k with ``|c_k|^2 = p_k`` (default ``sqrt(p_k)``); they only
        change the transverse Bloch components.
    bins : int
        Number of histogram bins of z on [-1, 1] (default 20).

    Returns
    -------
    ProjectiveEnsemble

    Raises
    ------
    ValueError
        Bad shapes, probabilities, sites or amplitudes; unnormalised branches.

    Notes
    -----
    Cost O(d^2 2^N) time and O(d^2 2^|B|) memory. Outcomes with zero weight get a zero Bloch
    vector and do not contribute to any statistic.

    Examples
    --------
    Two branches |0> and |1> on one site: every outcome reveals k, z = +-1.

    >>> ens = projective_ensemble(np.eye(2), [0.5, 0.5])
    >>> ens.weights.tolist(), ens.bloch[:, 2].tolist(), ens.mean_z2, ens.tail
    ([0.5, 0.5], [1.0, -1.0], 1.0, 1.0)
    """
    p = validate_probabilities(probs, "probs", min_len=2)
    psi = np.asarray(as_array(branches, "branches"), dtype=np.complex128)
    if psi.ndim != 2 or psi.shape[0] != p.size:
        raise ValueError(f"branches: expected shape (d, 2**N) with d = {p.size}, got {psi.shape}")
    n = round(math.log2(psi.shape[1])) if psi.shape[1] > 0 else -1
    if n < 1 or 2**n != psi.shape[1]:
        raise ValueError(
            f"branches: the length of each branch must be a power of 2, got {psi.shape[1]}"
        )
    check_finite(psi, "branches")
    norms = np.linalg.norm(psi, axis=1)
    if np.any(np.abs(norms - 1.0) > 1e-8):
        raise ValueError(
            f"branches: every branch must be normalised, got norms {np.round(norms, 10).tolist()}"
        )
    n_bins = check_int(bins, "bins", minimum=1)
    c = _amplitudes(p, amplitudes)
    d = p.size
    sites = (
        list(range(n)) if measured is None else validate_subsystems(list(measured), n, "measured")
    )
    if not sites:
        raise ValueError("measured: at least one site must be measured")
    if sorted(sites) == list(range(n)):
        a = c[:, None] * psi  # (d, 2^N): joint amplitudes, posteriors are pure
        pops = (a.real**2 + a.imag**2).T  # (n_out, d)
        coh = (a[0] * a[1].conj()) if d == 2 else None
    else:
        nb = len(sites)
        t = psi.reshape((d,) + (2,) * n)
        t = np.moveaxis(t, [1 + s for s in sites], list(range(1, nb + 1)))
        mat = c[:, None, None] * np.ascontiguousarray(t).reshape(d, 2**nb, 2 ** (n - nb))
        pops = np.einsum("kbr,kbr->bk", mat.real, mat.real) + np.einsum(
            "kbr,kbr->bk", mat.imag, mat.imag
        )
        coh = np.einsum("br,br->b", mat[0], mat[1].conj()) if d == 2 else None
    w = pops.sum(axis=1)
    w = w / w.sum()
    total = pops.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    post_pops = np.where(total[:, None] > 0, pops / safe[:, None], 0.0)
    if d != 2 or coh is None:
        nan = math.nan
        return ProjectiveEnsemble(
            w, None, post_pops, np.zeros(0), np.zeros(0), nan, nan, nan, nan, nan, nan
        )
    rho01 = np.where(total > 0, coh / safe, 0.0)
    z = post_pops[:, 0] - post_pops[:, 1]
    bloch = np.stack([2 * rho01.real, -2 * rho01.imag, z], axis=1)
    # round-off around z = 0 (a bin edge for even bin counts) is snapped to 0 before binning
    z_bin = np.where(np.abs(z) < 1e-12, 0.0, np.clip(z, -1.0, 1.0))
    hist, edges = np.histogram(z_bin, bins=n_bins, range=(-1.0, 1.0), weights=w)
    az = np.abs(z)
    return ProjectiveEnsemble(
        weights=w,
        bloch=bloch,
        populations=post_pops,
        bin_edges=edges,
        hist=hist,
        mean_z=float(w @ z),
        mean_z2=float(w @ z**2),
        mean_abs_z=float(w @ az),
        mean_z4=float(w @ z**4),
        tail=float(w[az > TAIL_Z].sum()),
        ks_uniform=ks_distance_uniform(z, w),
    )


def ensemble_summary(ens: ProjectiveEnsemble) -> dict[str, Any]:
    """Scalar statistics of a :class:`ProjectiveEnsemble` as a plain dict (for tables/JSON).

    Keys: ``mean_z``, ``mean_z2``, ``mean_abs_z``, ``mean_z4`` (E[z], E[z^2], E|z|, E[z^4]),
    ``tail_abs_z_gt_0.9`` (P(|z| > 0.9)), ``ks_uniform`` and ``n_outcomes``.

    Examples
    --------
    >>> ensemble_summary(projective_ensemble(np.eye(2), [0.5, 0.5]))["mean_z2"]
    1.0
    """
    return {
        "mean_z": ens.mean_z,
        "mean_z2": ens.mean_z2,
        "mean_abs_z": ens.mean_abs_z,
        "mean_z4": ens.mean_z4,
        "tail_abs_z_gt_0.9": ens.tail,
        "ks_uniform": ens.ks_uniform,
        "n_outcomes": int(ens.weights.size),
    }


__all__ = [
    "ProjectiveEnsemble",
    "ensemble_summary",
    "ks_distance_uniform",
    "projective_ensemble",
]
