"""One-call summaries of a spin environment: the exact information of a fragment and the redundancy table.

These functions choose the exact method for the environment (closed form for pure spins,
permutation-symmetric for identical mixed spins) so that front ends (the ``qdarwin spins`` CLI)
only parse and print. References: Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016),
arXiv:1512.07578; docs/spins-api.md, docs/spins-symmetric.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._checks import as_real_array, check_int, check_log_base, validate_delta
from .._typing import FloatArray, IntArray
from ..info import binary_entropy
from ..info.redundancy import f_delta, redundancy_from_curve
from .averaging import fragment_average_deficit
from .chernoff import spin_overlap, typical_chernoff
from .exact import deficit_curve, holevo_deficit_pure, info_pure_environment, information_curve
from .model import SpinEnvironment, check_environment, decoherence_factors
from .redundancy import cap_redundancy, discretised_redundancy, redundancy_expansion, redundancy_qcb
from .symmetric import SymmetricInfo, holevo_deficit_curve, symmetric_environment_info

#: Identical mixed spins: exact redundancy by the permutation-symmetric method up to this N.
MAX_SYMMETRIC_N = 200
#: Smallest ``delta * H(p)`` (bits) for which the permutation-symmetric deficit is trusted
#: (double-precision floor of that method, docs/spins-symmetric.md).
SYMMETRIC_FLOOR_BITS = 1e-11
#: Method descriptions (printed by the CLI).
METHOD_PURE = "pure environment closed form (Zwolak, Riedel, Zurek, arXiv:1512.07578; docs/spins-api.md)"
METHOD_SYMMETRIC = "identical mixed spins, permutation-symmetric (docs/spins-symmetric.md)"


def is_pure(env: SpinEnvironment) -> bool:
    """All environment spins start pure (Bloch length 1 within 1e-12).

    Examples
    --------
    >>> is_pure(SpinEnvironment.identical(3)), is_pure(SpinEnvironment.identical(3, a=0.5))
    (True, False)
    """
    check_environment(env)
    return bool(np.all(np.asarray(env.a) >= 1.0 - 1e-12))


def is_identical(env: SpinEnvironment) -> bool:
    """All environment spins have the same ``a, theta, phi, g, omega``.

    Examples
    --------
    >>> is_identical(SpinEnvironment(g=[1.0, 2.0]))
    False
    """
    check_environment(env)
    return all(np.ptp(np.asarray(getattr(env, k), dtype=float)) == 0 for k in ("a", "theta", "phi", "g", "omega"))


def identical_fragment_info(env: SpinEnvironment, m: int, t: float, *, want_mi: bool = True, base: float = 2.0) -> SymmetricInfo:
    """:func:`~qdarwin.spins.symmetric.symmetric_environment_info` for an environment of identical spins.

    Examples
    --------
    >>> env = SpinEnvironment.identical(6, a=0.6)
    >>> round(identical_fragment_info(env, 6, math.pi / 8).chi, 9)
    0.574597651
    """
    check_environment(env)
    if not is_identical(env):
        raise ValueError("env: the permutation-symmetric method needs identical spins")
    a, th, ph, g, om = (float(np.asarray(getattr(env, k))[0]) for k in ("a", "theta", "phi", "g", "omega"))
    return symmetric_environment_info(m, env.n_env, a, th, ph, g, om, t, env.p, env.c, want_mi=want_mi, base=base)


def identical_deficit_curve(
    env: SpinEnvironment, ms: ArrayLike, t: float, *, stop_below: float | None = None, base: float = 2.0
) -> FloatArray:
    """:func:`~qdarwin.spins.symmetric.holevo_deficit_curve` (bits) for an environment of identical spins.

    Examples
    --------
    >>> env = SpinEnvironment.identical(6, a=0.6)
    >>> identical_deficit_curve(env, [0, 6], math.pi / 8).round(9).tolist()
    [1.0, 0.425402349]
    """
    check_environment(env)
    if not is_identical(env):
        raise ValueError("env: the permutation-symmetric method needs identical spins")
    a, th, ph, g, om = (float(np.asarray(getattr(env, k))[0]) for k in ("a", "theta", "phi", "g", "omega"))
    return np.asarray(holevo_deficit_curve(ms, a, th, ph, g, om, t, env.p, stop_below=stop_below, base=base), dtype=float)


@dataclass(frozen=True)
class FragmentReport:
    """Exact information of one fragment (in ``units``, bits by default): ``I(S:F)``, ``chi(Pi_S:F)``,
    discord ``I - chi``, ``H(p)`` and the Holevo deficit ``H(p) - chi``; ``method`` names the exact
    method used."""

    t: float
    fragment: tuple[int, ...]
    n_env: int
    method: str
    mutual_information: float
    holevo: float
    discord: float
    H_p: float
    holevo_deficit: float
    units: str = "bits"


def _check_fragment(fragment: Sequence[int], n_env: int) -> tuple[int, ...]:
    if isinstance(fragment, (str, bytes)) or not hasattr(fragment, "__iter__"):
        raise ValueError(f"invalid fragment: expected a sequence of spin indices, got {fragment!r:.60}")
    frag = tuple(check_int(k, "invalid fragment: spin index") for k in fragment)  # 0.7 or True refused, not truncated
    if not frag:
        raise ValueError("invalid fragment: give at least one spin index")
    if len(set(frag)) != len(frag):
        raise ValueError("invalid fragment: spin indices must be unique")
    if min(frag) < 0 or max(frag) >= n_env:
        bad = next(k for k in frag if not 0 <= k < n_env)
        raise ValueError(f"invalid fragment: spin index {bad} outside [0, {n_env})")
    return frag


def fragment_information(env: SpinEnvironment, t: float, fragment: Sequence[int], *, base: float = 2.0) -> FragmentReport:
    """Exact ``I(S:F)``, ``chi``, discord and deficit (bits) of one fragment of ``env`` at time ``t``.

    Pure environment spins use the closed form; identical mixed spins the permutation-symmetric
    method; other environments have no exact method (ValueError). ``base`` sets the logarithm
    base (2: bits, the default; ``numpy.e``: nats).

    Examples
    --------
    >>> r = fragment_information(SpinEnvironment.identical(2, g=1.0), math.pi / 4, [0])
    >>> round(r.holevo, 12), r.fragment
    (1.0, (0,))
    """
    check_environment(env)
    tt = float(as_real_array(t, "t"))
    frag = _check_fragment(fragment, env.n_env)
    to_base = check_log_base(base)
    if is_pure(env):
        gamma_abs = np.abs(decoherence_factors(env, tt))
        res = info_pure_environment(env.p, env.c, gamma_abs, list(frag))
        i_sf, chi, disc = float(res.I), float(res.chi), float(res.discord)
        deficit = float(holevo_deficit_pure(env.p, float(np.prod(gamma_abs[np.asarray(frag)]))))
        method = METHOD_PURE
    elif is_identical(env):
        sym = identical_fragment_info(env, len(frag), tt)
        i_sf, chi, deficit = float(sym.I), float(sym.chi), float(sym.deficit)
        disc = i_sf - chi
        method = METHOD_SYMMETRIC
    else:
        raise ValueError("exact information needs pure spins (a = 1) or identical mixed spins")
    h = float(binary_entropy(env.p))
    if to_base != 1.0:
        i_sf, chi, disc, h, deficit = (v * to_base for v in (i_sf, chi, disc, h, deficit))
    units = "bits" if to_base == 1.0 else ("nats" if base == math.e else f"log base {base:g}")
    return FragmentReport(tt, frag, env.n_env, method, i_sf, chi, disc, h, deficit, units)


@dataclass(frozen=True)
class CurveReport:
    """Nested-fragment information curve (bits): ``F_m`` = first m spins, m = 0..N.

    ``average_holevo_deficit`` is the exact fragment average over all m-subsets (series method),
    or None when not requested.
    """

    t: float
    n_env: int
    H_p: float
    m: IntArray
    mutual_information: FloatArray
    holevo: FloatArray
    discord: FloatArray
    holevo_deficit: FloatArray
    average_holevo_deficit: FloatArray | None


def information_curve_report(env: SpinEnvironment, t: float, *, average: bool = False) -> CurveReport:
    """``I(S:F_m)``, ``chi``, discord and deficit (bits) for nested fragments of a pure environment.

    Closed form, O(N); ``average=True`` adds the fragment-averaged deficit ``<H(p) - chi>_m``.

    Examples
    --------
    >>> r = information_curve_report(SpinEnvironment.identical(2, g=1.0), math.pi / 4)
    >>> r.holevo.round(12).tolist()
    [0.0, 1.0, 1.0]
    """
    check_environment(env)
    tt = float(as_real_array(t, "t"))
    if not is_pure(env):
        raise ValueError("the information curve needs pure environment spins (a = 1); use 'info' for identical mixed spins")
    gamma_abs = np.abs(decoherence_factors(env, tt))
    cur = information_curve(env.p, env.c, gamma_abs)
    deficit = np.asarray(deficit_curve(env.p, gamma_abs), dtype=float)
    avg = None
    if average:
        avg = np.asarray(fragment_average_deficit(gamma_abs**2, env.p, method="series").deficit, dtype=float)
    return CurveReport(tt, env.n_env, float(binary_entropy(env.p)), np.asarray(cur.m), np.asarray(cur.I),
                       np.asarray(cur.chi), np.asarray(cur.discord), deficit, avg)


@dataclass(frozen=True)
class RedundancyRow:
    """Redundancy estimates at one (t, delta); ``None`` where the method does not apply.

    ``xi_qcb_nats`` in nats; R values dimensionless, at most N (a record needs at least one
    spin); F values in spins, at least 1.
    """

    t: float
    delta: float
    xi_qcb_nats: float
    R_qcb: float
    R_discretised: float
    F_c: float
    R_expansion: float | None
    R_exact: float | None
    R_exact_cont: float | None
    F_delta: float | None
    F_delta_cont: float | None


@dataclass(frozen=True)
class RedundancySummary:
    """Rows of :func:`redundancy_summary` with ``H(p)`` (bits) and a note on the methods (or None)."""

    n_env: int
    p: float
    H_p_bits: float
    rows: tuple[RedundancyRow, ...]
    note: str | None


def redundancy_summary(env: SpinEnvironment, times: ArrayLike, deltas: Sequence[float]) -> RedundancySummary:
    """Every redundancy estimate of the pillar for ``env`` at each time and deficit.

    QCB ``N xi/ln(1/delta)``, the discretised rule ``N/ceil(F_c)``, the small-delta expansion (pure
    spins), and the exact fragment-averaged Holevo curve (integer and continuous ``F_delta``; pure
    spins, or identical mixed spins with N <= 200 and ``delta H(p) >= 1e-11`` bits). One treatment
    of orthogonal records throughout: ``R <= N`` and ``F >= 1`` (:func:`cap_redundancy`).

    Examples
    --------
    >>> s = redundancy_summary(SpinEnvironment.identical(2, g=1.0), [math.pi / 4], [1e-10])
    >>> r = s.rows[0]
    >>> r.R_qcb, r.R_expansion, r.R_exact, r.R_exact_cont
    (2.0, 2.0, 2.0, 2.0)
    """
    check_environment(env)
    ts = np.atleast_1d(as_real_array(times, "times"))
    if ts.ndim != 1 or ts.size == 0:
        raise ValueError("times: give at least one time")
    ds = [validate_delta(d) for d in deltas]
    if not ds:
        raise ValueError("deltas: give at least one delta")
    n = env.n_env
    if not 0.0 < env.p < 1.0:
        raise ValueError("no missing information (p in {0,1}): redundancy is undefined")
    pure = is_pure(env)
    symmetric = not pure and is_identical(env) and n <= MAX_SYMMETRIC_N
    h = float(binary_entropy(env.p))
    rows = []
    for tt in ts.tolist():
        xi = float(typical_chernoff(env, tt))
        overlaps = np.broadcast_to(np.asarray(spin_overlap(env.a, env.theta, env.phi, env.g, env.omega, tt), dtype=float), (n,))
        deficits = None
        xs = None
        if pure:
            xs = np.abs(decoherence_factors(env, tt)) ** 2
            deficits = np.asarray(fragment_average_deficit(xs, env.p, method="series").deficit, dtype=float)
        elif symmetric:
            deficits = identical_deficit_curve(env, np.arange(n + 1), tt)
        for d in ds:
            r_rule, f_c = discretised_redundancy(n, overlaps, d)
            r_exp = float(redundancy_expansion(n, float(np.mean(xs)), d, env.p)) if xs is not None else None
            r_int = r_cont = f_int = f_cont = None
            if deficits is not None and (pure or d * h >= SYMMETRIC_FLOOR_BITS):
                ri, rc = redundancy_from_curve(deficits, d, h, n)
                fi, fc = f_delta(deficits, d, h)
                r_int, f_int = float(ri), float(fi)
                # a record needs at least one spin: the interpolated F is at least 1, R at most N
                f_cont = max(float(fc), 1.0) if math.isfinite(float(fc)) else float(fc)
                r_cont = float(cap_redundancy(rc, n))
            rows.append(
                RedundancyRow(tt, d, xi, float(redundancy_qcb(n, xi, d)), float(r_rule), float(f_c), r_exp, r_int, r_cont, f_int, f_cont)
            )
    if pure:
        note = None
    elif symmetric:
        note = (
            f"exact: permutation-symmetric method (docs/spins-symmetric.md), only for delta H(p) >= "
            f"{SYMMETRIC_FLOOR_BITS:g} bits (double-precision floor); no expansion for mixed spins"
        )
    else:
        note = f"exact and expansion need pure spins (a = 1) or identical mixed spins with N <= {MAX_SYMMETRIC_N}"
    return RedundancySummary(n, env.p, h, tuple(rows), note)


__all__ = [
    "CurveReport",
    "FragmentReport",
    "RedundancyRow",
    "RedundancySummary",
    "MAX_SYMMETRIC_N",
    "SYMMETRIC_FLOOR_BITS",
    "is_pure",
    "is_identical",
    "identical_fragment_info",
    "identical_deficit_curve",
    "fragment_information",
    "information_curve_report",
    "redundancy_summary",
]
