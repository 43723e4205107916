"""Shared input checks of the thermal environment models (private)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

from qdarwin._checks import as_array, check_finite

#: Late-time window (units 1/J) averaged for plateaus and energy laws (Fig. 1 of
#: Cao & Nussinov, arXiv:2603.15743): the one definition used by the core, CLI and figures.
LATE_WINDOW: tuple[float, ...] = (20.0, 25.0, 30.0, 35.0, 40.0)

#: Largest fraction for dense H_F diagonalisation unless ``force=True`` (see docs/thermal-analysis.md).
MAX_FRACTION_SITES = 12


def _check_state_array(psi: Any, dim: int, name: str = "psi") -> NDArray[np.complex128]:
    arr = as_array(psi, name)
    if arr.ndim < 1 or arr.shape[-1] != dim:
        raise ValueError(f"{name}: expected shape (..., {dim}), got {tuple(arr.shape)}")
    arr = arr.astype(np.complex128, copy=False)
    check_finite(arr, name)
    return arr


def _validate_sites(sites: Any, n_sites: int, *, force: bool) -> list[int]:
    idx = np.atleast_1d(as_array(sites, "sites"))
    if idx.ndim != 1 or idx.size == 0:
        raise ValueError(f"sites: expected a non-empty 1-D list of site indices, got shape {idx.shape}")
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"sites: site indices must be integers, got dtype {idx.dtype}")
    out = [int(s) for s in idx]
    if any(not 0 <= s < n_sites for s in out):
        raise ValueError(f"sites: indices must lie in [0, {n_sites}), got {out}")
    if len(set(out)) != len(out):
        raise ValueError(f"sites: duplicate site indices {out}")
    if len(out) > MAX_FRACTION_SITES and not force:
        raise ValueError(
            f"sites: dense fraction Hamiltonian limited to m <= {MAX_FRACTION_SITES} sites "
            f"(got m = {len(out)}); pass force=True to override"
        )
    return out


def _expectation(apply: Callable[[NDArray[np.complex128]], NDArray[np.complex128]],
                 psi: NDArray[np.complex128]) -> float | NDArray[np.float64]:
    hpsi = apply(psi)
    num = np.einsum("...i,...i->...", psi.conj(), hpsi).real
    den = np.einsum("...i,...i->...", psi.conj(), psi).real
    if np.any(den <= 0):
        raise ValueError("psi: zero state vector has no energy expectation")
    val = num / den
    return float(val) if np.ndim(val) == 0 else np.asarray(val)
