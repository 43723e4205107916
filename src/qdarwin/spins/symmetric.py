"""Exact information for identical mixed environment spins: the permutation-symmetric method.

Permutation-symmetric method (docs/spins-symmetric.md). All ``m`` fragment spins (and the ``N - m`` spins outside the
fragment) share ``a, theta, phi, g, omega``. The fragment state conditional on the system
branch is ``A_ss^{(x) m}`` with ``A_ss' = U_s rho_r U_s'^dag``, and Schur-Weyl duality
``A^{(x) m} = (+)_j det(A)^{m/2-j} Sym^{2j}(A) (x) 1_{d_j}`` turns a ``2^m``-dimensional
problem into ``m/2 + 1`` blocks of size ``2j + 1`` (``O(m^4)`` time, ``O(m^2)`` memory).

Units: entropies, Holevo quantity and mutual information in **bits**; the decay rate of
:func:`decay_rate_fit` in **nats per spin** (comparable with the Chernoff information).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_int, check_real_scalar
from .._threads import blas_threads
from ..info.entropy import entropy_from_eigenvalues, two_level_entropy
from ._schur_weyl import (
    _small_d_from_eig,
    jx_eigensystem,
    log_multiplicity,
    schur_weyl_multiplicities,
    spin_matrices,
    su2_euler_zyz,
    sym_power,
    sym_power_su2,
)
from .._checks import check_bloch_length, check_coherence, check_log_base, check_probability, check_size
from .model import conditional_unitary

#: Largest fragment accepted (time grows as m^4: m = 2000 is about an hour on one core).
MAX_FRAGMENT = 2000
#: Total-spin sectors with probability below this are skipped (their deficit share is smaller).
SECTOR_CUTOFF = 1e-20
#: A deficit below ``-NEGATIVE_TOLERANCE`` (round-off beyond the expected floor) is flagged.
NEGATIVE_TOLERANCE = 1e-13

_LN2 = math.log(2.0)


class SymmetricInfo(NamedTuple):
    """Information a fragment of ``m`` identical spins holds about the system (bits).

    ``chi`` = Holevo quantity chi(Pi_S : F), ``deficit`` = H2(p) - chi computed directly as
    a sum of non-negative terms (clamped at 0), ``I`` = quantum mutual information I(S:F)
    (``nan`` when not requested), ``flagged`` = the unclamped deficit came out below -1e-13.
    """

    chi: float
    deficit: float
    I: float
    flagged: bool


class DecayFit(NamedTuple):
    """Fit ``ln D(m) = c0 - xi_fit m - beta ln m`` of a deficit curve (``xi_fit`` in nats/spin).

    ``m_range`` = (first, last) fragment size used in the fit.
    """

    xi_fit: float
    beta: float
    c0: float
    m_range: tuple[int, int]


class _Spin(NamedTuple):
    lam_plus: float
    lam_minus: float
    beta: float  # angle between the two conditional Bloch vectors (rad)
    gamma_r: complex  # single-spin decoherence factor tr[U_up rho_r U_down^dag]


def _spin_setup(a: Any, theta: Any, phi: Any, g: Any, omega: Any, t: Any) -> _Spin:
    """Validate the single-spin parameters and reduce them to (lambda_+-, beta, gamma_r)."""
    av = float(check_bloch_length(np.asarray(check_real_scalar(a, "a"))))
    th, ph = check_real_scalar(theta, "theta"), check_real_scalar(phi, "phi")
    gv, om, tv = check_real_scalar(g, "g"), check_real_scalar(omega, "omega"), check_real_scalar(t, "t")
    # rho_r = W diag(lambda_+, lambda_-) W^dag, W = exp(-i phi sz/2) exp(-i theta sy/2)
    w = np.array([[np.exp(-0.5j * ph), 0], [0, np.exp(0.5j * ph)]]) @ np.array(
        [[math.cos(th / 2), -math.sin(th / 2)], [math.sin(th / 2), math.cos(th / 2)]]
    )
    u_up = conditional_unitary(1, gv, om, tv)
    u_dn = conditional_unitary(-1, gv, om, tv)
    lam_p, lam_m = 0.5 * (1.0 + av), 0.5 * (1.0 - av)
    _, _, beta, _ = su2_euler_zyz((u_up @ w).conj().T @ (u_dn @ w))
    rho_r = w @ np.diag([lam_p, lam_m]) @ w.conj().T
    gamma_r = complex(np.trace(u_up @ rho_r @ u_dn.conj().T))
    return _Spin(lam_p, lam_m, beta, gamma_r)


def spin_sector_weights(m: int, a: float) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Probabilities of the total-spin sectors of ``m`` identical spins with Bloch length ``a``.

    ``P_j = d_j det(rho)^{m/2-j} sum_k lambda_+^{2j-k} lambda_-^k`` (log domain, no overflow),
    the weight ``w_j sum_k e_k`` (docs/spins-symmetric.md); ``sum_j P_j = 1``.

    Parameters
    ----------
    m : int
        Number of spins (>= 0).
    a : float
        Bloch vector length in [0, 1].

    Returns
    -------
    two_j : ndarray of int, descending ``m, m-2, ...``
    prob : ndarray of float

    Examples
    --------
    >>> two_j, prob = spin_sector_weights(2, 0.0)
    >>> two_j.tolist(), prob.round(12).tolist()
    ([2, 0], [0.75, 0.25])
    """
    mm = check_int(m, "m", minimum=0)
    av = float(check_bloch_length(np.asarray(check_real_scalar(a, "a"))))
    return _sector_weights(mm, 0.5 * (1 + av), 0.5 * (1 - av))


def _log_geometric_sum(n: NDArray[np.int64], a: float) -> NDArray[np.float64]:
    """``ln sum_{k=0}^n r^k`` with ``r = lambda_-/lambda_+ = (1-a)/(1+a) = exp(-2 artanh a)``.

    Written as ``ln[(1 - r^{n+1})/(1 - r)]`` with ``expm1`` so that ``a -> 0`` (r -> 1) keeps full
    relative precision.
    """
    if a <= 0.0:
        return np.log(n + 1.0)
    with np.errstate(divide="ignore"):
        x = -2.0 * float(np.arctanh(a))  # ln r, -inf for pure spins
    return np.log(-np.expm1((n + 1.0) * x)) - math.log(-math.expm1(x))


def _sector_weights(
    m: int, lam_p: float, lam_m: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    two_j = np.arange(m, -1, -2, dtype=np.int64)
    k = (m - two_j) // 2
    ln_d = log_multiplicity(m, two_j / 2.0)
    with np.errstate(divide="ignore"):
        ln_det = math.log(lam_p) + (math.log(lam_m) if lam_m > 0 else -np.inf)
    ln_det_term = np.where(k == 0, 0.0, k * ln_det) if lam_m > 0 else np.where(k == 0, 0.0, -np.inf)
    ln_p = (
        np.asarray(ln_d)
        + ln_det_term
        + two_j * math.log(lam_p)
        + _log_geometric_sum(two_j, lam_p - lam_m)
    )
    return two_j, np.exp(ln_p)


def _block_terms(
    n: int, spin: _Spin, ps: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-sector (normalised) chi and deficit in nats for block size ``n + 1`` and each p.

    With ``e_hat_k`` proportional to ``(lambda_-/lambda_+)^k`` and ``d = d(beta)`` the block is
    unitarily
    equivalent to ``B = p E + q d E d^T`` (real symmetric), so
    ``chi_n = H(B) - H(e_hat)`` and ``deficit_n = H2(p) + H(e_hat) - H(B) >= 0`` (nats).
    No eigenvalue cutoff (negative round-off is clipped): against 40-digit arithmetic the
    block deficits are then accurate to ~2e-14 nats for n <= 100 (a 1e-14 cutoff gave ~3e-13).
    """
    r = spin.lam_minus / spin.lam_plus
    e = r ** np.arange(n + 1, dtype=np.float64)
    e /= e.sum()
    h_e = entropy_from_eigenvalues(e, base=math.e, cutoff=0.0)
    if n == 0 or r == 1.0 or spin.beta == 0.0:
        chi = np.zeros_like(ps)
    else:
        mu, vecs = jx_eigensystem(n)
        dmat = _small_d_from_eig(spin.beta, mu, vecs)
        rot = (dmat * e[None, :]) @ dmat.T
        rot = 0.5 * (rot + rot.T)
        chi = np.empty_like(ps)
        for i, p in enumerate(ps):
            b = (1.0 - p) * rot
            b[np.diag_indices_from(b)] += p * e
            chi[i] = entropy_from_eigenvalues(np.linalg.eigvalsh(b), base=math.e, cutoff=0.0) - h_e
    h2 = np.asarray(two_level_entropy(ps, 0.0, base=math.e), dtype=np.float64)
    return chi, h2 - chi


class _BlockCache:
    """Lazily computed block terms, shared between fragment sizes."""

    def __init__(self, spin: _Spin, ps: NDArray[np.float64]) -> None:
        self.spin, self.ps = spin, ps
        self.terms: dict[int, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}

    def fragment(self, m: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(chi, signed deficit) in nats for a fragment of ``m`` spins, one entry per p."""
        two_j, prob = _sector_weights(m, self.spin.lam_plus, self.spin.lam_minus)
        keep = prob > SECTOR_CUTOFF
        chi = np.zeros_like(self.ps)
        deficit = np.zeros_like(self.ps)
        for n, w in zip(two_j[keep].tolist(), prob[keep].tolist()):
            if n not in self.terms:
                self.terms[n] = _block_terms(n, self.spin, self.ps)
            c_n, d_n = self.terms[n]
            chi += w * c_n
            deficit += w * d_n
        return chi, deficit


def _check_ps(p: Any) -> NDArray[np.float64]:
    arr = np.asarray(as_array(p, "p"))
    if arr.ndim > 1:
        raise ValueError(f"p must be a scalar or a 1-D array, got shape {arr.shape}")
    return np.array([check_probability(x) for x in np.atleast_1d(arr).tolist()], dtype=np.float64)


def _check_fragment(m: Any, name: str = "m") -> int:
    mm = check_int(m, name, minimum=0)
    if mm > MAX_FRAGMENT:
        raise ValueError(
            f"{name} = {mm} exceeds the largest fragment of the permutation-symmetric method "
            f"({MAX_FRAGMENT}); "
            "time grows as m^4"
        )
    return mm


def symmetric_environment_info(
    m: int,
    n_env: int,
    a: float,
    theta: float,
    phi: float,
    g: float,
    omega: float,
    t: float,
    p: float,
    c: complex | None = None,
    *,
    want_mi: bool = True,
    base: float = 2.0,
) -> SymmetricInfo:
    """Holevo quantity, deficit and mutual information of ``m`` of ``n_env`` identical spins.

    Parameters
    ----------
    m : int
        Fragment size, ``0 <= m <= n_env`` (and ``m <= 2000``).
    n_env : int
        Environment size N (>= 1); only the mutual information depends on it.
    a, theta, phi : float
        Bloch length (in [0, 1]) and direction (radians) of every environment spin.
    g, omega : float
        Coupling and transverse field of every spin; ``t`` the time (any real).
    p : float
        System population of ``|up>``, in [0, 1].
    c : complex, optional
        Initial system coherence, ``|c|^2 <= p (1 - p)``; ``None`` means a pure system.
    want_mi : bool
        Compute I(S:F) (cheap); ``False`` returns ``I = nan``.
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).

    Returns
    -------
    SymmetricInfo
        ``(chi, deficit, I, flagged)`` in bits.

    Raises
    ------
    ValueError
        Bad sizes, "Bloch vector length must be in [0, 1]", "p must be in [0, 1]",
        "system state is not positive".

    Notes
    -----
    docs/spins-symmetric.md, with normalised sector weights :math:`P_j` (:func:`spin_sector_weights`):
    :math:`\\chi = \\sum_j P_j [H(B_j) - H(\\hat e)]`, :math:`H_2(p) - \\chi = \\sum_j P_j
    [H_2(p) + H(\\hat e) - H(B_j)]` (each term >= 0), where :math:`B_j` is unitarily
    equivalent to the real matrix :math:`p\\hat E + q\\, d^j(\\beta) \\hat E d^j(\\beta)^T`
    (:math:`\\beta` = angle between the conditional Bloch vectors). Because the S+F state is a
    controlled unitary applied to :math:`\\rho_S' \\otimes \\rho_r^{\\otimes m}`, the block
    entropies :math:`H(C_j)` of the sectors sum to
    :math:`h(p, |c||\\gamma_r|^{N-m}) + H(\\rho_r^{\\otimes m})`,
    which gives :math:`I = \\chi + h(p, |c||\\gamma_r|^N) - h(p, |c||\\gamma_r|^{N-m})`.
    Double precision resolves the deficit down to about 1e-13 bits.

    Examples
    --------
    >>> import numpy as np
    >>> info = symmetric_environment_info(6, 6, 0.6, np.pi / 2, 0.0, 1.0, 0.0, np.pi / 8, 0.5)
    >>> round(info.chi, 9), round(info.I, 9), info.flagged
    (0.574597651, 1.563297059, False)
    """
    mm = _check_fragment(m)
    nn = check_size(n_env, "n_env", maximum=2**53, what=" (an exponent of |gamma_r|)")
    if mm > nn:
        raise ValueError(f"fragment size m = {mm} exceeds the environment size n_env = {nn}")
    spin = _spin_setup(a, theta, phi, g, omega, t)
    pv = check_probability(p)
    cv = check_coherence(c, pv)
    to_base = check_log_base(base)
    with blas_threads():
        chi_n, def_n = _BlockCache(spin, np.array([pv])).fragment(mm)
    chi_b, def_b = float(chi_n[0]) / _LN2, float(def_n[0]) / _LN2
    flagged = def_b < -NEGATIVE_TOLERANCE
    mi = math.nan
    if want_mi:
        gabs = abs(spin.gamma_r)
        h_all = float(two_level_entropy(pv, abs(cv) * gabs**nn))
        h_rest = float(two_level_entropy(pv, abs(cv) * gabs ** (nn - mm)))
        mi = chi_b + h_all - h_rest
    if to_base != 1.0:
        chi_b, def_b, mi = chi_b * to_base, def_b * to_base, mi * to_base
    return SymmetricInfo(chi_b, max(def_b, 0.0), mi, flagged)


def holevo_deficit_curve(
    ms: ArrayLike,
    a: float,
    theta: float,
    phi: float,
    g: float,
    omega: float,
    t: float,
    p: ArrayLike,
    *,
    stop_below: float | None = None,
    base: float = 2.0,
) -> NDArray[np.float64]:
    """Holevo deficit ``H2(p) - chi(m)`` (bits) of fragments of ``m`` identical spins.

    Blocks depend only on the sector size, so a whole curve costs about as much as its
    largest fragment. ``chi`` does not depend on the environment size or the system coherence.

    Parameters
    ----------
    ms : array_like of int, shape (K,)
        Fragment sizes (0 <= m <= 2000).
    a, theta, phi, g, omega, t : float
        Spin parameters as in :func:`symmetric_environment_info`.
    p : float or array_like, shape (P,)
        System population(s) of ``|up>``.
    stop_below : float, optional
        If given, ``ms`` must increase; evaluation stops once every deficit at some ``m``
        is below ``stop_below`` (in bits) and the remaining entries are ``nan``.
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).

    Returns
    -------
    ndarray, shape (K,) for scalar ``p`` or (P, K)
        Deficits in bits, clamped at 0 (values below -1e-13 indicate round-off beyond the
        resolution floor; see :func:`symmetric_environment_info`).

    Examples
    --------
    >>> import numpy as np
    >>> d = holevo_deficit_curve([0, 6], 0.6, np.pi / 2, 0.0, 1.0, 0.0, np.pi / 8, 0.5)
    >>> d.round(9).tolist()
    [1.0, 0.425402349]
    """
    m_arr = np.asarray(as_array(ms, "ms"))
    if m_arr.ndim != 1:
        raise ValueError(f"ms must be a 1-D sequence of fragment sizes, got shape {m_arr.shape}")
    m_list = [_check_fragment(x, "ms") for x in m_arr.tolist()]
    ps = _check_ps(p)
    spin = _spin_setup(a, theta, phi, g, omega, t)
    stop = None if stop_below is None else check_real_scalar(stop_below, "stop_below")
    to_base = check_log_base(base)
    if stop is not None and any(b <= a_ for a_, b in zip(m_list, m_list[1:])):
        raise ValueError("ms must be strictly increasing when stop_below is given")
    out = np.full((ps.size, len(m_list)), np.nan)
    cache = _BlockCache(spin, ps)
    with blas_threads():
        for i, mm in enumerate(m_list):
            _, deficit = cache.fragment(mm)
            out[:, i] = np.maximum(deficit / _LN2, 0.0)
            if stop is not None and np.all(out[:, i] < stop):
                break
    if to_base != 1.0:
        out = out * to_base
    return out[0] if np.ndim(p) == 0 else out


def decay_rate_fit(ms: ArrayLike, deficits: ArrayLike, *, floor: float = 1e-11) -> DecayFit:
    """Fit ``ln D(m) = c0 - xi_fit m - beta ln m`` on the resolved part of a deficit curve.

    The resolved range is the fragment sizes with a finite deficit above ``floor``; the fit
    uses its upper two thirds (docs/spins-symmetric.md). ``xi_fit`` (nats per spin) estimates the
    Chernoff information; ``R*`` of Fig. 4 is ``xi_fit / ln 2``.

    Parameters
    ----------
    ms : array_like of int, shape (K,)
        Fragment sizes (>= 1).
    deficits : array_like, shape (K,)
        Deficits ``D(m)`` (any fixed unit; only ``c0`` depends on it). ``nan`` entries are ignored.
    floor : float
        Smallest deficit treated as resolved (> 0).

    Returns
    -------
    DecayFit

    Raises
    ------
    ValueError
        Fewer than three resolved points after trimming, mismatched shapes, bad floor.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.arange(1, 40)
    >>> fit = decay_rate_fit(m, 0.3 * np.exp(-0.25 * m) * m ** -0.4)
    >>> round(fit.xi_fit, 9), round(fit.beta, 9)
    (0.25, 0.4)
    """
    m_arr = np.asarray(as_array(ms, "ms"), dtype=np.float64)
    d_arr = np.asarray(as_array(deficits, "deficits"), dtype=np.float64)
    if m_arr.ndim != 1 or m_arr.shape != d_arr.shape:
        raise ValueError(
            f"ms and deficits must be 1-D of equal length, got {m_arr.shape} and {d_arr.shape}"
        )
    fl = check_real_scalar(floor, "floor")
    if fl <= 0:
        raise ValueError(f"floor must be positive, got {fl}")
    ok = np.isfinite(d_arr) & (d_arr > fl) & np.isfinite(m_arr) & (m_arr >= 1)
    order = np.argsort(m_arr[ok])
    m_ok, d_ok = m_arr[ok][order], d_arr[ok][order]
    start = len(m_ok) // 3
    m_fit, d_fit = m_ok[start:], d_ok[start:]
    if m_fit.size < 3:
        raise ValueError(
            f"decay fit needs at least 3 resolved points (D > {fl:g}) after trimming, "
            f"got {m_fit.size}"
        )
    design = np.column_stack([np.ones_like(m_fit), -m_fit, -np.log(m_fit)])
    coef, *_ = np.linalg.lstsq(design, np.log(d_fit), rcond=None)
    return DecayFit(float(coef[1]), float(coef[2]), float(coef[0]), (int(m_fit[0]), int(m_fit[-1])))


__all__ = [
    "DecayFit",
    "SymmetricInfo",
    "decay_rate_fit",
    "holevo_deficit_curve",
    "log_multiplicity",
    "schur_weyl_multiplicities",
    "spin_matrices",
    "spin_sector_weights",
    "sym_power",
    "sym_power_su2",
    "symmetric_environment_info",
]
