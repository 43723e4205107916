"""From product-Pauli counts to partial-information curves, redundancy and objectivity with
bootstrap confidence intervals.

Two routes, chosen automatically (``mode="auto"``):

* ``"joint"``: all ``3^n`` settings present and ``n <= 10``: the joint state of S and the
  environment is reconstructed and analysed with :func:`qdarwin.darwinism.partial_information`,
  :func:`qdarwin.darwinism.redundancy` and :func:`qdarwin.darwinism.objectivity`;
* ``"marginal"``: otherwise each S+F state is reconstructed from the settings that cover it
  (their counts pooled, see :func:`qdarwin.tomography.marginal_counts`) and the fragment
  averages run over every fragment F of each size m up to the largest size whose fragments are
  all covered. No joint ``4^n`` state is formed, so 10-12 qubit data sets work.

Information in bits (``base=2``). See docs/tomography.md.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .._typing import FloatArray
from ..darwinism import objectivity, partial_information, redundancy
from .._threads import blas_threads
from ..info.redundancy import redundancy_from_curve
from ._pauli import matrix_to_pauli, pauli_indices, probabilities_from_pauli, setting_digits
from .bootstrap import INTERVALS, RESAMPLING, bootstrap_interval, check_confidence, resample_counts
from .data import PauliCounts
from ._fragments import (
    PSD_TOL,
    _boundary_note,
    _fragment_values,
    _interval_verdict,
    _Marginals,
    _marginal_mmax,
)
from .reconstruction import MAX_JOINT_QUBITS, METHODS, pauli_expectations, reconstruct

#: Objectivity witnesses bootstrapped (per fragment E1..EN and the whole environment E).
WITNESSES = ("holevo_deficit", "discord", "max_fidelity", "min_trace_distance")


@dataclass(frozen=True)
class TomographyAnalysis:
    """Partial-information analysis of tomography data with bootstrap intervals.

    Curves are over fragment sizes ``m`` (0..N in the joint mode, 0..m_max in the marginal
    mode), in ``units`` (bits). ``*_low``/``*_high`` are the ``confidence`` intervals of type
    ``interval`` (NaN without bootstrap); ``*_se`` bootstrap standard errors.
    ``R_delta`` is ``N / F_delta`` with the integer ``F_delta`` (smallest m with
    ``chi(m) >= (1 - delta) H(Pi_S)``, the Holevo curve against the plateau ``H(Pi_S)``; NaN
    when the plateau is not reached within the measured fragment sizes); its interval is the
    percentile interval of the replicas.
    ``witnesses`` maps each name in :data:`WITNESSES` plus ``"decoherence"`` to its point
    value, and ``witness_low``/``witness_high`` to the interval bounds. ``replicas`` holds the
    bootstrap replicas per quantity and ``replica_centre`` the value of each quantity in the
    parametric model they were drawn from, where it differs from the estimate (pass it as
    ``centre=`` to :func:`~qdarwin.tomography.bootstrap_interval` for other interval types).
    ``boundary_eigenvalues[m]`` is the mean number of eigenvalues on the physical boundary (0)
    of the reconstructed S+F states of size m (per-fragment curves; NaN at m = 0 and for the
    joint curves): where it is nonzero, eigenvalues below the shot-noise level are unresolved,
    S(S+F) is biased low and the intervals of I and chi at that m undercover (measured in
    docs/tomography.md).
    ``verdict`` is the point-estimate verdict of :func:`qdarwin.darwinism.objectivity` (exact
    tolerance 1e-3); ``verdict_ci`` decides with the intervals at tolerance
    ``objectivity_tol``: S is decohered when the upper bound of its pointer coherence is at
    most the tolerance, E_k is a record when the upper bound of its largest conditional-state
    fidelity is; "not" when the lower bound exceeds it, "undecided" otherwise.
    """

    m: FloatArray
    I: FloatArray
    chi: FloatArray
    discord: FloatArray
    I_low: FloatArray
    I_high: FloatArray
    chi_low: FloatArray
    chi_high: FloatArray
    discord_low: FloatArray
    discord_high: FloatArray
    I_se: FloatArray
    chi_se: FloatArray
    discord_se: FloatArray
    R_delta: float
    R_delta_low: float
    R_delta_high: float
    F_delta: float
    delta: float
    H_pointer: float
    H_S: float
    n_env: int
    system: tuple[int, ...]
    mode: str
    method: str
    resample: str
    interval: str
    confidence: float
    n_bootstrap: int
    verdict: str
    fragments: tuple[str, ...]
    witnesses: dict[str, Any]
    witness_low: dict[str, Any]
    witness_high: dict[str, Any]
    min_eigenvalue_linear: float
    warnings: tuple[str, ...] = ()
    units: str = "bits"
    curves: str = "fragments"
    replicas: dict[str, FloatArray] = field(default_factory=dict, repr=False)
    replica_centre: dict[str, Any] = field(default_factory=dict, repr=False)
    boundary_eigenvalues: FloatArray = field(default_factory=lambda: np.zeros(0))
    objectivity_tol: float = 0.05
    verdict_ci: str = "not determined (no bootstrap intervals)"


@dataclass(frozen=True)
class _Point:
    m: FloatArray
    I: FloatArray
    chi: FloatArray
    H_pointer: float
    H_S: float
    R: float
    F: float
    witnesses: dict[str, Any]
    verdict: str
    fragments: tuple[str, ...]
    boundary: FloatArray | None = None  # mean boundary eigenvalues of the S+F estimates per m


def _nan_point(p: _Point) -> _Point:
    nan = {k: np.full(np.shape(v), np.nan) if np.ndim(v) else math.nan for k, v in p.witnesses.items()}
    return _Point(p.m, np.full(p.I.shape, np.nan), np.full(p.chi.shape, np.nan), math.nan, math.nan, math.nan,
                  math.nan, nan, p.verdict, p.fragments)


def _pointer_matrix(pointer: Any, d_s: int) -> Any:
    if isinstance(pointer, str):
        if pointer not in ("computational", "eigenbasis"):
            raise ValueError(f"pointer must be 'computational', 'eigenbasis' or a unitary matrix, got {pointer!r}")
        return "computational" if pointer == "computational" else None
    arr = np.asarray(pointer, dtype=np.complex128)
    if arr.shape != (d_s, d_s) or not np.allclose(arr.conj().T @ arr, np.eye(d_s), atol=1e-10):
        raise ValueError(f"pointer must be 'computational', 'eigenbasis' or a unitary {d_s}x{d_s} matrix")
    return arr


def _witness_values(rho: Any, n: int, system: Sequence[int], pointer: Any) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    ob = objectivity(rho, [2] * n, system=list(system), pointer=pointer)
    vals: dict[str, Any] = {k: np.asarray(getattr(ob, k), dtype=np.float64) for k in WITNESSES}
    vals["decoherence"] = float(ob.decoherence)
    return vals, ob.verdict, ob.fragments


def _joint_point(
    data: PauliCounts, rho: Any, delta: float, pointer: Any, witnesses: bool = True, fragment_curves: bool = False,
    method: str = "pls",
) -> tuple[_Point, Any]:
    n = data.n_qubits
    if fragment_curves:  # curves and single-subsystem witnesses by the marginal route
        mp, ptr = _marginal_point(data, method, delta, pointer, len(data.environment), witnesses=witnesses)
        m, I, chi, h_ptr, h_s, r, f = mp.m, mp.I, mp.chi, mp.H_pointer, mp.H_S, mp.R, mp.F
        if witnesses:  # whole environment E from the joint state
            wj, verdict, frags = _witness_values(rho, n, data.system, ptr)
            wit = {k: np.asarray(v, dtype=np.float64).copy() if np.ndim(v) else v for k, v in mp.witnesses.items()}
            for key in WITNESSES:
                wit[key][-1] = wj[key][-1]
            wit["decoherence"] = wj["decoherence"]  # the same state as the verdict
            return _Point(m, I, chi, h_ptr, h_s, r, f, wit, verdict, frags, mp.boundary), ptr
        bnd = mp.boundary
    else:
        pi = partial_information(rho, [2] * n, system=list(data.system), pointer=pointer)
        red = redundancy(pi, delta)
        ptr = pi.pointer
        m, I, chi, h_ptr, h_s = pi.m.astype(float), pi.I, pi.chi, pi.H_pointer, pi.H_S
        r, f = (red.R_delta if red.R_delta > 0 else math.nan), red.F_delta
        bnd = None
    n_env = len(data.environment)
    if witnesses:
        wit, verdict, frags = _witness_values(rho, n, data.system, ptr)
    else:
        wit = {k: np.full(n_env + 1, np.nan) for k in WITNESSES}
        wit["decoherence"] = math.nan
        verdict, frags = "not computed (witnesses=False)", tuple([f"E{k + 1}" for k in range(n_env)] + ["E"])
    return _Point(m, I, chi, h_ptr, h_s, r, f, wit, verdict, frags, bnd), ptr


def _marginal_point(
    data: PauliCounts, method: str, delta: float, pointer: Any, m_max: int, witnesses: bool = True
) -> tuple[_Point, Any]:
    marg = _Marginals(data, method)
    s = list(data.system)
    env = data.environment
    n_env = len(env)
    rho_s = marg.state(s)
    pi0 = partial_information(
        np.kron(rho_s, np.eye(2) / 2), [2] * (len(s) + 1), system=list(range(len(s))), pointer=pointer
    )
    ptr = pi0.pointer
    I = np.zeros(m_max + 1)
    chi = np.zeros(m_max + 1)
    boundary = np.full(m_max + 1, np.nan)
    for m in range(1, m_max + 1):
        vals = []
        for f in itertools.combinations(env, m):
            q = sorted(s + list(f))
            vals.append(_fragment_values(marg, q, [q.index(a) for a in s], ptr, pi0.H_S))
        I[m], chi[m], boundary[m] = np.mean(vals, axis=0)
    h = pi0.H_pointer
    r, fd = math.nan, math.nan
    if h > 1e-12:
        ri, _ = redundancy_from_curve(h - chi, delta, h, n_env)
        if ri > 0 and math.isfinite(ri):
            r, fd = float(ri), n_env / float(ri)
    # single-qubit objectivity witnesses from the S+k marginals
    wit: dict[str, Any] = {k: np.full(n_env + 1, np.nan) for k in WITNESSES}
    wit["decoherence"] = math.nan
    for j, k in enumerate(env if witnesses else ()):
        q = sorted(s + [k])
        rho = marg.state(q)
        w, _, _ = _witness_values(rho, len(q), [q.index(a) for a in s], ptr)
        for key in WITNESSES:
            wit[key][j] = w[key][0]
        wit["decoherence"] = w["decoherence"]
    frags = tuple([f"E{k + 1}" for k in range(n_env)] + ["E"])
    verdict = "single-subsystem witnesses only (marginal data): see witnesses per E_k"
    return _Point(np.arange(m_max + 1.0), I, chi, h, pi0.H_S, r, fd, wit, verdict, frags, boundary), ptr


def _physical_probs(data: PauliCounts, rho: Any) -> FloatArray:
    idx = pauli_indices(setting_digits(data.settings, data.n_qubits))
    return np.asarray(probabilities_from_pauli(matrix_to_pauli(rho, data.n_qubits), idx))


def _warnings(data: PauliCounts, lam_min: float) -> list[str]:
    out = []
    shots = data.shots
    med = float(np.median(shots))
    few = np.flatnonzero((shots < 0.1 * med) | (shots < 10))
    if few.size:
        out.append(
            f"{few.size} setting(s) with few counts (e.g. {data.settings[int(few[0])]}: {int(shots[few[0]])} shots; "
            f"median {med:g})"
        )
    if data.n_qubits <= MAX_JOINT_QUBITS and math.isfinite(lam_min):
        exp, n_p = pauli_expectations(data)
        ok = n_p > 0
        var = np.sum((1 - np.clip(exp[ok], -1, 1) ** 2) / n_p[ok])
        scale = 2.0 * math.sqrt(var) / 2**data.n_qubits
        if lam_min < -3 * scale:
            out.append(
                f"reconstruction far from physical: the linear-inversion estimate has eigenvalue {lam_min:.3g}, "
                f"beyond 3x its shot-noise scale {scale:.2g}; check the data (setting labels, outcome order)"
            )
    return out


def analyze(
    data: PauliCounts,
    *,
    method: str = "pls",
    delta: float = 0.1,
    n_bootstrap: int = 0,
    resample: str = "nonparametric",
    confidence: float = 0.95,
    interval: str = "basic",
    pointer: Any = "computational",
    mode: str = "auto",
    curves: str = "fragments",
    witnesses: bool = True,
    objectivity_tol: float = 0.05,
    rng: np.random.Generator | None = None,
    progress: Callable[..., None] | None = None,
) -> TomographyAnalysis:
    """Partial information, redundancy and objectivity of tomography data, with intervals.

    Parameters
    ----------
    data : PauliCounts
    method : {"pls", "mle", "linear"}
        Reconstruction (see :func:`qdarwin.tomography.reconstruct`).
    delta : float in (0, 1)
        Information deficit of ``R_delta``.
    n_bootstrap : int
        Bootstrap replicas (0: no intervals).
    resample : {"parametric", "nonparametric"}
        Parametric bootstrap needs the joint state; the marginal mode always resamples shots.
    confidence : float in (0, 1)
    interval : {"basic", "percentile", "bc"}
        Interval type for the curves and witnesses (see :mod:`qdarwin.tomography.bootstrap`);
        ``R_delta`` always gets the percentile interval (it is bounded and not smooth).
    pointer : "computational", "eigenbasis" or a unitary matrix
        Pointer basis of S for the Holevo quantity; the same basis is used in every replica.
    mode : {"auto", "joint", "marginal"}
    curves : {"fragments", "joint"}
        Joint mode only: ``"fragments"`` (default) computes I, chi and discord of each S+F from
        its own reconstruction (the S+F marginal of the linear-inversion estimate, projected),
        which is far less biased for small fragments than the marginals of the projected joint
        state (``"joint"``); the joint state still gives the witnesses and the parametric model.
        See the coverage table in docs/tomography.md.
    witnesses : bool
        Compute the objectivity witnesses (point and replicas); ``False`` skips them (faster).
    objectivity_tol : float in (0, 1)
        Tolerance of the interval-based verdict ``verdict_ci`` (pointer coherence and
        conditional-state fidelity, both dimensionless in [0, 1]).
    rng : numpy.random.Generator
        Required when ``n_bootstrap > 0``.
    progress : callable ``progress(done, total, description)``, optional

    Returns
    -------
    TomographyAnalysis

    Examples
    --------
    >>> from qdarwin.tomography import all_settings, branching_state, synthetic_counts
    >>> d = synthetic_counts(branching_state(2), all_settings(3), 10**6, rng=np.random.default_rng(1))
    >>> a = analyze(d, delta=0.1)
    >>> a.mode, np.round(a.chi, 2).tolist(), a.R_delta
    ('joint', [0.0, 1.0, 1.0], 2.0)
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if resample not in RESAMPLING:
        raise ValueError(f"resample must be one of {', '.join(RESAMPLING)}, got {resample!r}")
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}")
    if curves not in ("fragments", "joint"):
        raise ValueError(f"curves must be 'fragments' or 'joint', got {curves!r}")
    if mode not in ("auto", "joint", "marginal"):
        raise ValueError(f"mode must be 'auto', 'joint' or 'marginal', got {mode!r}")
    conf = check_confidence(confidence)
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, (int, np.integer)) or n_bootstrap < 0:
        raise ValueError(f"n_bootstrap must be a non-negative integer, got {n_bootstrap!r}")
    if n_bootstrap > 0 and not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator when n_bootstrap > 0")
    if not data.system or len(data.system) == data.n_qubits:
        raise ValueError("system: need at least one system qubit and one environment qubit")
    from .._checks import validate_delta

    dl = validate_delta(delta)
    otol = validate_delta(objectivity_tol, "objectivity_tol")  # any number in the open interval (0, 1)
    ptr = _pointer_matrix(pointer, 2 ** len(data.system))
    complete = data.n_qubits <= MAX_JOINT_QUBITS and len(data.settings) == 3**data.n_qubits
    use = ("joint" if complete else "marginal") if mode == "auto" else mode
    notes: list[str] = []
    if use == "joint":
        rec = reconstruct(data, method=method)  # type: ignore[arg-type]
        lam_min = rec.min_eigenvalue_linear
        if not rec.converged:
            notes.append(f"maximum likelihood stopped after {rec.iterations} iterations before the tolerance")
        if method == "linear" and lam_min < -PSD_TOL:
            raise ValueError(
                f"method 'linear': the linear-inversion estimate has eigenvalue {lam_min:.3g} < 0, so entropies are "
                "undefined; use method 'pls' or 'mle'"
            )
        point, ptr_mat = _joint_point(data, rec.rho, dl, ptr, witnesses, curves == "fragments", method)
        if curves == "fragments":
            assert point.boundary is not None
            boundary = point.boundary
            notes += _boundary_note(boundary, len(data.system))
        else:
            boundary = np.full(len(data.environment) + 1, np.nan)
            with blas_threads():
                n_zero = int(np.sum(np.linalg.eigvalsh(rec.rho) < 1e-10))
            if method != "linear" and n_zero:
                notes.append(
                    f"the reconstructed state has {n_zero} of {2**data.n_qubits} eigenvalues at the physical boundary "
                    "(0): curves from its marginals are biased and their intervals undercover (coverage table in "
                    "docs/tomography.md); the default per-fragment curves are less affected"
                )
        model = rec.rho if method != "linear" else reconstruct(data, method="pls").rho
    else:
        m_max = _marginal_mmax(data)
        lam_min = math.nan
        point, ptr_mat = _marginal_point(data, method, dl, ptr, m_max, witnesses)
        assert point.boundary is not None
        boundary = point.boundary
        notes += _boundary_note(boundary, len(data.system))
        if m_max < len(data.environment):
            notes.append(
                f"marginal analysis: fragments up to m = {m_max} of N = {len(data.environment)} are covered by the settings"
            )
        if n_bootstrap and resample == "parametric":
            notes.append("marginal mode: parametric bootstrap needs a joint state; shots were resampled (nonparametric)")
            resample = "nonparametric"
    notes = _warnings(data, lam_min) + notes
    reps: dict[str, list[Any]] = {"I": [], "chi": [], "R_delta": [], **{k: [] for k in (*WITNESSES, "decoherence")}}
    n_bad = 0
    probs = _physical_probs(data, model) if (use == "joint" and resample == "parametric" and n_bootstrap) else None
    for b in range(n_bootstrap):
        assert rng is not None
        star = PauliCounts(data.n_qubits, data.system, data.settings, resample_counts(data.counts, probs, rng=rng))
        try:
            if use == "joint":
                rec_b = reconstruct(star, method=method)  # type: ignore[arg-type]
                if method == "linear" and rec_b.min_eigenvalue_linear < -PSD_TOL:
                    raise ValueError("unphysical replica")
                pb, _ = _joint_point(star, rec_b.rho, dl, ptr_mat, witnesses, curves == "fragments", method)
            else:
                pb, _ = _marginal_point(star, method, dl, ptr_mat, len(point.m) - 1, witnesses)
        except ValueError:
            if method != "linear":
                raise
            n_bad += 1
            pb = _nan_point(point)
        reps["I"].append(pb.I)
        reps["chi"].append(pb.chi)
        reps["R_delta"].append(pb.R)
        for k in (*WITNESSES, "decoherence"):
            reps[k].append(pb.witnesses[k])
        if progress is not None:
            progress(b + 1, n_bootstrap, "bootstrap")
    arr = {k: np.asarray(v, dtype=np.float64) for k, v in reps.items()} if n_bootstrap else {}
    if n_bad:
        notes.append(f"{n_bad} of {n_bootstrap} linear-inversion replicas were not positive and were left out")

    centre: dict[str, Any] = {}
    if probs is not None:  # parametric: the model's own values are the centre of its replicas
        cp, _ = _joint_point(data, model, dl, ptr_mat, witnesses, False, method)
        centre = {"I": cp.I[:len(point.I)], "chi": cp.chi[:len(point.chi)],
                  "R_delta": np.float64(cp.R) if math.isfinite(cp.R) else None,
                  "discord_curve": (cp.I - cp.chi)[:len(point.I)], **{k: cp.witnesses[k] for k in (*WITNESSES, "decoherence")}}

    def iv(key: str, est: Any, kind: str = interval) -> tuple[Any, Any]:
        if not n_bootstrap:
            nan = np.full(np.shape(est), np.nan)
            return nan, nan.copy()
        return bootstrap_interval(est, arr[key], confidence=conf, kind=kind, centre=centre.get(key))  # type: ignore[arg-type]

    def se(key: str, est: Any) -> Any:
        if n_bootstrap < 2:
            return np.full(np.shape(est), np.nan)
        return np.nanstd(arr[key], axis=0, ddof=1)

    discord = point.I - point.chi
    if n_bootstrap:
        arr["discord_curve"] = arr["I"] - arr["chi"]
    i_lo, i_hi = iv("I", point.I)
    c_lo, c_hi = iv("chi", point.chi)
    d_lo, d_hi = iv("discord_curve", discord)
    r_lo, r_hi = iv("R_delta", np.float64(point.R), "percentile") if math.isfinite(point.R) else (np.nan, np.nan)
    w_lo: dict[str, Any] = {}
    w_hi: dict[str, Any] = {}
    for k in (*WITNESSES, "decoherence"):
        w_lo[k], w_hi[k] = iv(k, point.witnesses[k])
    return TomographyAnalysis(
        m=point.m, I=point.I, chi=point.chi, discord=discord,
        I_low=i_lo, I_high=i_hi, chi_low=c_lo, chi_high=c_hi, discord_low=d_lo, discord_high=d_hi,
        I_se=se("I", point.I), chi_se=se("chi", point.chi), discord_se=se("discord_curve", discord),
        R_delta=point.R, R_delta_low=float(r_lo), R_delta_high=float(r_hi), F_delta=point.F, delta=dl,
        H_pointer=point.H_pointer, H_S=point.H_S, n_env=len(data.environment), system=data.system, mode=use,
        method=method, resample=resample, interval=interval, confidence=conf, n_bootstrap=int(n_bootstrap),
        verdict=point.verdict, fragments=point.fragments, witnesses=point.witnesses, witness_low=w_lo,
        witness_high=w_hi, min_eigenvalue_linear=lam_min, warnings=tuple(notes), replicas=arr,
        objectivity_tol=otol, verdict_ci=(_interval_verdict(w_lo, w_hi, point.H_pointer, len(data.environment), otol, conf)
                                          if n_bootstrap and witnesses else "not determined (no bootstrap intervals)"),
        replica_centre={k: v for k, v in centre.items() if v is not None}, boundary_eigenvalues=boundary,
        curves=curves if use == "joint" else "fragments",
    )


__all__ = ["TomographyAnalysis", "WITNESSES", "analyze"]
