"""Objectivity witnesses: decoherence, distinguishable records, strong quantum Darwinism.

For the pointer basis ``{|i>}`` of S (default: eigenbasis of rho_S) and each single
environment subsystem ``E_k`` and the whole environment ``E``:

* decoherence of S: ``max_{i != j} |rho_S,ij| / sqrt(p_i p_j)`` (0: fully decohered);
* the pointer-conditioned states ``rho_{F|i}`` and, over pairs ``i != j``, their largest
  fidelity ``F = (tr |sqrt(rho) sqrt(sigma)|)^2``, smallest trace distance and smallest quantum
  Chernoff information (nats; ``qdarwin.info.chernoff_information``): spectrum broadcast
  structure needs perfectly distinguishable records, fidelity 0 (Horodecki, Korbicz,
  Horodecki, Phys. Rev. A 91, 032122 (2015), arXiv:1312.6588);
* strong quantum Darwinism (Le and Olaya-Castro, Phys. Rev. Lett. 122, 010403 (2019),
  arXiv:1803.08936): the Holevo deficit ``H(Pi_S) - chi(Pi_S:F)`` and the discord
  ``I(S:F) - chi(Pi_S:F)`` both vanish.

Information in bits (``base = 2``) except the Chernoff information (nats).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import check_real_scalar
from .._threads import blas_threads
from .._typing import FloatArray
from ..info.chernoff import chernoff_information
from ..info.entropy import _check_base
from . import _kernel
from ._state import Prepared, prepare

#: Largest environment dimension whose conditional states are compared as a whole.
MAX_WHOLE_ENV_DIM = 2048
#: Pointer entropy below which S counts as being in a pointer state (nothing to record).
H_MIN = 1e-12
#: Pointer probabilities (products) below which a coherence is not normalised.
P_MIN = 1e-12


@dataclass(frozen=True)
class Objectivity:
    """Witnesses of objectivity for each single environment subsystem and the whole environment.

    Arrays run over ``fragments`` (labels ``"E1"..."EN"`` in environment order, then ``"E"``).
    """

    fragments: tuple[str, ...]
    sites: tuple[tuple[int, ...], ...]  #: subsystem indices (user numbering) of each fragment
    decoherence: float  #: max_{i != j} |rho_S,ij| / sqrt(p_i p_j) in the pointer basis
    pointer_probabilities: FloatArray
    H_pointer: float  #: H(Pi_S), units ``units``
    H_S: float
    max_fidelity: FloatArray  #: largest pairwise fidelity of conditional states (0: perfect records)
    min_trace_distance: FloatArray  #: smallest pairwise trace distance (1: perfect records)
    min_chernoff: FloatArray  #: smallest pairwise quantum Chernoff information, nats (inf: perfect)
    I: FloatArray  #: I(S:F)
    chi: FloatArray  #: chi(Pi_S:F)
    holevo_deficit: FloatArray  #: H(Pi_S) - chi(Pi_S:F)
    discord: FloatArray  #: I(S:F) - chi(Pi_S:F)
    strong_darwinism: NDArray[np.bool_]  #: holevo_deficit and discord below tol * H(Pi_S)
    spectrum_broadcast: bool  #: decohered, and every single subsystem a perfect record
    tol: float
    units: str
    verdict: str
    notes: tuple[str, ...] = ()


def _fidelity(rho: NDArray[np.complex128], sigma: NDArray[np.complex128]) -> float:
    lam, v = np.linalg.eigh(rho)
    sq = (v * np.sqrt(np.clip(lam, 0.0, None))) @ v.conj().T
    mid = np.linalg.eigvalsh(sq @ sigma @ sq)
    return float(np.sum(np.sqrt(np.clip(mid, 0.0, None))) ** 2)


def _trace_distance(rho: NDArray[np.complex128], sigma: NDArray[np.complex128]) -> float:
    return 0.5 * float(np.sum(np.abs(np.linalg.eigvalsh(rho - sigma))))


def _conditional_states(prep: Prepared, frag: Sequence[int]) -> list[NDArray[np.complex128] | None]:
    x, d_s, d_f, _ = _kernel.split(prep, frag)
    out: list[NDArray[np.complex128] | None] = []
    for i in range(d_s):
        if prep.p[i] <= P_MIN:
            out.append(None)
            continue
        g = x[i] @ x[i].conj().T / prep.p[i]
        out.append(0.5 * (g + g.conj().T))
    return out


def _pair_measures(states: list[NDArray[np.complex128] | None]) -> tuple[float, float, float]:
    fid, td, xi = 0.0, 1.0, math.inf
    live = [s for s in states if s is not None]
    for a in range(len(live)):
        for b in range(a + 1, len(live)):
            fid = max(fid, _fidelity(live[a], live[b]))
            td = min(td, _trace_distance(live[a], live[b]))
            xi = min(xi, chernoff_information(live[a], live[b]).xi)
    if len(live) < 2:
        return math.nan, math.nan, math.nan
    return fid, td, xi


def objectivity(
    state: Any,
    dims: Sequence[int] | None = None,
    *,
    system: int | Sequence[int] = 0,
    pointer: Any = None,
    tol: float = 1e-3,
    base: float = 2.0,
) -> Objectivity:
    """Objectivity and strong-quantum-Darwinism witnesses of a system-environment state.

    Parameters
    ----------
    state : array_like or qutip.Qobj
        Ket or density matrix (validated as in :func:`partial_information`).
    dims, system, pointer, base :
        As in :func:`partial_information`.
    tol : float
        Relative tolerance of the verdicts: a record is perfect when the largest conditional
        fidelity is below ``tol``; strong Darwinism when the Holevo deficit and the discord
        are below ``tol * H(Pi_S)``; S is decohered when the normalised coherence is below ``tol``.

    Returns
    -------
    Objectivity

    Examples
    --------
    >>> import numpy as np
    >>> ghz = np.zeros(8); ghz[0] = ghz[-1] = 1 / np.sqrt(2)
    >>> ob = objectivity(ghz, [2, 2, 2])
    >>> ob.spectrum_broadcast, ob.fragments, ob.max_fidelity.round(12).tolist()
    (True, ('E1', 'E2', 'E'), [0.0, 0.0, 0.0])
    """
    b = _check_base(base)
    t = check_real_scalar(tol, "tol")
    if not 0 < t < 1:
        raise ValueError(f"tol must lie in (0, 1), got {t}")
    prep = prepare(state, dims, system, pointer, b)
    n = prep.n_env
    frags: list[tuple[int, ...]] = [(k,) for k in range(n)] + [tuple(range(n))]
    labels = tuple([f"E{k + 1}" for k in range(n)] + ["E"])
    d_e = math.prod(prep.env_dims)
    rows: list[tuple[float, ...]] = []
    notes: list[str] = []
    with blas_threads():
        for frag in frags:
            a, bb, c = _kernel.fragment_terms(prep, frag)
            i_val, chi = _kernel.values(prep, a, bb, c)
            if len(frag) == n and n > 1 and d_e > MAX_WHOLE_ENV_DIM:
                notes.append(f"whole environment (dimension {d_e} > {MAX_WHOLE_ENV_DIM}): conditional states not compared")
                meas = (math.nan, math.nan, math.nan)
            else:
                meas = _pair_measures(_conditional_states(prep, frag))
            rows.append((*meas, i_val, chi))
    arr = np.array(rows, dtype=np.float64)
    rho_ptr = prep.pointer.conj().T @ prep.rho_s @ prep.pointer
    norm = np.sqrt(np.outer(prep.p, prep.p))
    live = norm > P_MIN
    off = np.abs(rho_ptr - np.diag(np.diag(rho_ptr)))
    decoh = float(np.max(np.where(live, off / np.where(live, norm, 1.0), 0.0))) if prep.d_s > 1 else 0.0
    deficit = prep.H_pointer - arr[:, 4]
    discord = arr[:, 3] - arr[:, 4]
    h = prep.H_pointer if prep.H_pointer > H_MIN else 0.0
    strong = (deficit <= t * max(h, 1e-300)) & (np.abs(discord) <= t * max(h, 1e-300)) & (h > 0)
    records = arr[:n, 0] < t
    sbs = bool(decoh < t and np.all(records) and h > 0)
    if h <= 0:
        verdict = "no pointer entropy: S is in a pointer state, nothing to record (H(Pi_S) = 0)"
    elif sbs:
        verdict = f"objective: spectrum broadcast structure, S decohered and all {n} subsystems are perfect records"
    elif decoh >= t:
        verdict = f"not objective: S keeps pointer coherence {decoh:.3g} (>= tol {t:g})"
    elif not np.any(records):
        verdict = (f"not objective: S is decohered but no single subsystem is a perfect record "
                   f"(smallest conditional-state fidelity {float(np.nanmin(arr[:n, 0])):.3g})")
    else:
        verdict = f"partially objective: {int(records.sum())} of {n} subsystems are perfect records"
    units = "bits" if b == 2.0 else ("nats" if abs(b - math.e) < 1e-15 else f"log base {b:g}")
    return Objectivity(
        fragments=labels, sites=tuple(tuple(prep.env[k] for k in f) for f in frags), decoherence=decoh,
        pointer_probabilities=prep.p, H_pointer=h, H_S=prep.H_S, max_fidelity=arr[:, 0],
        min_trace_distance=arr[:, 1], min_chernoff=arr[:, 2], I=arr[:, 3], chi=arr[:, 4],
        holevo_deficit=deficit, discord=discord, strong_darwinism=strong, spectrum_broadcast=sbs,
        tol=t, units=units, verdict=verdict, notes=tuple(notes),
    )


__all__ = ["Objectivity", "objectivity"]
