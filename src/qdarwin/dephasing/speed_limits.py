"""Speed limits on coherence and entanglement decay (``docs/dephasing.md``).

Two-qubit basis |0> = |00>, |1> = |01>, |2> = |10>, |3> = |11> (first qubit most significant).
The paper's non-local rates keep its names: ``gamma14 = Gamma_03`` (|00> <-> |11>) and
``gamma23 = Gamma_12`` (|01> <-> |10>). For n qubits with rates that depend on the Hamming
distance d of the two basis states, the constraint eigenvalues are Krawtchouk sums.

mu naming (one convention in the API docs, the CLI, Fig. 3 and the sweep functions, as in the
paper's Fig. 3): coherences differing in one bit decay at the local rate Gamma, those differing
in k+1 bits at ``mu_k Gamma``. Functions taking an array ``mu`` want the rate factor of every
distance d = 1 ... n, i.e. ``[1, mu_1, ..., mu_(n-1)]`` when ``gamma`` is the local rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

from .._checks import as_real_array, check_int, check_nonnegative
from ..info import concurrence  # the one generic Wootters routine, re-exported for docs/dephasing.md
from .model import MAX_BYTES, validate_times


_nonneg = check_nonnegative


def _nonneg_array(x: Any, name: str) -> NDArray[np.float64]:
    arr = as_real_array(x, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {float(arr.min()):.6g}")
    return arr


def two_qubit_rates(gamma: float, gamma14: float, gamma23: float, *, gamma_b: float | None = None) -> NDArray[np.float64]:
    """Two-qubit rate matrix with local rates and the two non-local rates (see docs/dephasing.md).

    Parameters
    ----------
    gamma : float
        Local rate on every local coherence; with ``gamma_b`` given, the rate Gamma_A of qubit A
        (level pairs (0,2), (1,3)).
    gamma14, gamma23 : float
        Non-local rates Gamma_03 (|00> <-> |11>) and Gamma_12 (|01> <-> |10>).
    gamma_b : float, optional
        Local rate of qubit B (level pairs (0,1), (2,3)); default ``gamma``.

    Examples
    --------
    >>> two_qubit_rates(1.0, 2.0, 3.0)[0].tolist()
    [0.0, 1.0, 1.0, 2.0]
    """
    ga = _nonneg(gamma, "gamma")
    gb = ga if gamma_b is None else _nonneg(gamma_b, "gamma_b")
    g14 = _nonneg(gamma14, "gamma14")
    g23 = _nonneg(gamma23, "gamma23")
    out = np.zeros((4, 4))
    for (m, n), val in {(0, 2): ga, (1, 3): ga, (0, 1): gb, (2, 3): gb, (0, 3): g14, (1, 2): g23}.items():
        out[m, n] = out[n, m] = val
    return out


@dataclass(frozen=True)
class TwoQubitLimits:
    """Closed-form two-qubit speed limits (see docs/dephasing.md) for given local rates."""

    gamma_a: float
    gamma_b: float
    max_sum: float  #: Gamma14 + Gamma23 <= 2 (Gamma_A + Gamma_B)
    min_product: float  #: Gamma14 Gamma23 >= (Gamma_A - Gamma_B)^2
    max_equal: float  #: largest Gamma14 = Gamma23 allowed (Gamma_A + Gamma_B)

    def allowed(self, gamma14: float, gamma23: float, tol: float = 1e-12) -> bool:
        """Whether (Gamma14, Gamma23) lies in the allowed region."""
        s = max(1.0, self.max_sum)
        return bool(
            gamma14 >= -tol * s
            and gamma23 >= -tol * s
            and gamma14 + gamma23 <= self.max_sum + tol * s
            and gamma14 * gamma23 >= self.min_product - tol * s * s
        )

    def statement(self) -> str:
        """The allowed region in words."""
        text = (
            f"Gamma14 >= 0, Gamma23 >= 0, Gamma14 + Gamma23 <= {self.max_sum:.6g}"
            + (f", Gamma14 * Gamma23 >= {self.min_product:.6g}" if self.min_product > 0 else "")
        )
        return text + f"; equal non-local rates allowed up to {self.max_equal:.6g}"


def two_qubit_limits(gamma: float, *, gamma_b: float | None = None) -> TwoQubitLimits:
    """Allowed region of the non-local rates for local rates Gamma_A = gamma, Gamma_B (see docs/dephasing.md).

    Examples
    --------
    >>> lim = two_qubit_limits(1.0)
    >>> lim.max_sum, lim.allowed(2.0, 2.0), lim.allowed(2.5, 2.5)
    (4.0, True, False)
    """
    ga = _nonneg(gamma, "gamma")
    gb = ga if gamma_b is None else _nonneg(gamma_b, "gamma_b")
    return TwoQubitLimits(ga, gb, 2.0 * (ga + gb), (ga - gb) ** 2, ga + gb)


def _validate_mu(n_qubits: Any, mu: Any, max_qubits: int) -> tuple[int, NDArray[np.float64]]:
    n = check_int(n_qubits, "n_qubits", minimum=1, maximum=max_qubits)
    m = _nonneg_array(mu, "mu")
    if m.shape != (n,):
        raise ValueError(f"mu: expected {n} rate factors [1, mu_1, ..., mu_{n - 1}] (one per Hamming distance 1 ... {n}), got shape {m.shape}")
    return n, m


def hamming_rates(n_qubits: int, mu: Any, gamma: float = 1.0) -> NDArray[np.float64]:
    """Rates ``Gamma_xy = gamma * mu[d - 1]`` with d the Hamming distance of bit strings x, y.

    See docs/dephasing.md and the module docstring for the mu naming.

    Parameters
    ----------
    n_qubits : int
        Number of qubits n (levels in binary order, first qubit most significant).
    mu : array_like, shape (n,)
        Rate factors for distances d = 1 ... n: ``[1, mu_1, ..., mu_(n-1)]`` (paper naming:
        ``mu_k`` for coherences differing in k+1 bits); the leading 1 makes ``gamma`` the local rate.
    gamma : float
        Rate unit.

    Examples
    --------
    >>> hamming_rates(2, [1.0, 2.0])[0].tolist()
    [0.0, 1.0, 1.0, 2.0]
    """
    n, m = _validate_mu(n_qubits, mu, 12)  # 2^12 x 2^12 doubles = 128 MiB
    g = _nonneg(gamma, "gamma")
    x = np.arange(2**n)
    d = np.zeros((2**n, 2**n), dtype=np.int64)
    for b in range(n):
        d += ((x[:, None] >> b) & 1) != ((x[None, :] >> b) & 1)
    table = np.concatenate([[0.0], m]) * g
    return table[d]


MAX_KRAWTCHOUK_N = 4096  #: exact integer sums; beyond this the binomials grow past practical sizes


def krawtchouk(k: int, w: int, n: int) -> int:
    """Krawtchouk polynomial ``K_k(w; n) = sum_j (-1)^j C(w, j) C(n-w, k-j)``.

    Examples
    --------
    >>> krawtchouk(1, 1, 3)
    1
    """
    n = check_int(n, "n", minimum=0, maximum=MAX_KRAWTCHOUK_N)
    k = check_int(k, "k", minimum=0, maximum=n)
    w = check_int(w, "w", minimum=0, maximum=n)
    return sum((-1) ** j * comb(w, j) * comb(n - w, k - j) for j in range(0, min(w, k) + 1))


def hamming_eigenvalues(n_qubits: int, mu: Any, gamma: float = 1.0) -> NDArray[np.float64]:
    """Constraint eigenvalues ``e_w = -gamma sum_d mu[d-1] K_d(w; n)``, w = 1 ... n (multiplicity C(n, w)).

    ``mu`` as in :func:`hamming_rates`: ``[1, mu_1, ..., mu_(n-1)]``.

    The data are physical iff all ``e_w >= 0``; the margin is ``min_w e_w`` (see docs/dephasing.md).

    Examples
    --------
    >>> hamming_eigenvalues(3, [1.0, 1.5, 1.0]).tolist()
    [1.5, 1.5, -0.5]
    """
    n, m = _validate_mu(n_qubits, mu, 64)
    g = _nonneg(gamma, "gamma")
    kmat = np.array([[krawtchouk(k, w, n) for k in range(1, n + 1)] for w in range(1, n + 1)], dtype=float)
    return -g * (kmat @ m)


def bell_concurrence(t: Any, gamma14: float) -> NDArray[np.float64] | float:
    """Concurrence ``C(t) = exp(-Gamma14 t)`` of the dephased Bell state (|00>+|11>)/sqrt 2 (see docs/dephasing.md).

    Examples
    --------
    >>> round(float(bell_concurrence(0.5, 1.0)), 12) == round(float(np.exp(-0.5)), 12)
    True
    """
    tt = validate_times(t)
    out = np.exp(-_nonneg(gamma14, "gamma14") * tt)
    return float(out) if out.ndim == 0 else out


def cluster_concurrence(t: Any, gamma: float, gamma14: float, gamma23: float) -> NDArray[np.float64] | float:
    """Concurrence of the dephased cluster state 1/2(|00>+|01>+|10>-|11>) (see docs/dephasing.md).

    ``C = max(0, (sqrt(16 a^2 + (b - c)^2) + b + c - 2) / 4)`` with ``a = e^{-gamma t}``,
    ``b = e^{-gamma14 t}``, ``c = e^{-gamma23 t}`` (equal local rates, H = 0, no shifts).

    Examples
    --------
    >>> round(float(cluster_concurrence(0.3, 1.0, 2.0, 2.0)), 12)
    0.515224038729
    """
    tt = validate_times(t)
    g, g14, g23 = _nonneg(gamma, "gamma"), _nonneg(gamma14, "gamma14"), _nonneg(gamma23, "gamma23")
    with np.errstate(over="ignore"):  # rate * t = inf decays to exactly 0
        a, b, c = np.exp(-g * tt), np.exp(-g14 * tt), np.exp(-g23 * tt)
    out = np.maximum(0.0, 0.25 * (np.sqrt(16 * a**2 + (b - c) ** 2) + b + c - 2.0))
    return float(out) if out.ndim == 0 else out


def cluster_state() -> NDArray[np.complex128]:
    """Density matrix of the two-qubit cluster state 1/2(|00>+|01>+|10>-|11>) (``rho_33 = +1/4``).

    Examples
    --------
    >>> float(cluster_state()[3, 3].real)
    0.25
    """
    psi = 0.5 * np.array([1, 1, 1, -1], dtype=np.complex128)
    return np.outer(psi, psi.conj())


def sudden_death_time(mu: float, gamma: float = 1.0) -> float:
    """Entanglement sudden-death time of the cluster state with Gamma14 = Gamma23 = mu gamma.

    The root ``x* = gamma t*`` of ``2 e^{-x} + e^{-mu x} = 1``; ``inf`` if ``mu == 0``. For
    mu = 2, ``gamma t* = ln(1 + sqrt 2) = 0.8814`` (the paper's 0.383 is a log10 slip).

    Examples
    --------
    >>> round(sudden_death_time(2.0), 12)
    0.88137358702
    """
    m = _nonneg(mu, "mu")
    g = _nonneg(gamma, "gamma")
    if m == 0 or g == 0:
        return float("inf")

    def f(x: float) -> float:
        return 2 * np.exp(-x) + np.exp(-m * x) - 1.0

    hi = np.log(2.0) + 1.0
    while f(hi) > 0:
        hi *= 2.0
    x = brentq(f, 0.0, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)
    return float(x) / g


def fig2_min_eigenvalue(mu: Any, gamma_t: Any) -> NDArray[np.float64] | float:
    """Smallest eigenvalue of the cluster state evolved with Gamma14 = Gamma23 = mu Gamma (see docs/dephasing.md).

    ``lambda_min = 1/4 min(1 - e^{-mu x}, 1 - 2 e^{-x} + e^{-mu x})`` with ``x = Gamma t``; negative
    right after t = 0 iff mu > 2 (no generator exists there). Broadcasts over ``mu`` and ``gamma_t``.

    Examples
    --------
    >>> round(float(fig2_min_eigenvalue(3.0, 0.2)), 10)
    -0.0221624675
    """
    m = _nonneg_array(mu, "mu")
    x = _nonneg_array(gamma_t, "gamma_t")
    with np.errstate(over="ignore"):  # mu x = inf decays to exactly 0
        em = np.exp(-m * x)
    out = 0.25 * np.minimum(1.0 - em, 1.0 - 2.0 * np.exp(-x) + em)
    return float(out) if out.ndim == 0 else out


def violation_map(mu1_values: Any, mu2_values: Any) -> NDArray[np.int64]:
    """Three-qubit violation map (see docs/dephasing.md): paper constraint number of the first violation, 0 if allowed.

    Rates ``hamming_rates(3, [1, mu1, mu2])`` (mu_1: coherences differing in 2 bits, mu_2: in 3 bits),
    classified by the margin rule with the vectorised batch check.

    Returns
    -------
    ndarray of int, shape (len(mu1_values), len(mu2_values))

    Examples
    --------
    >>> violation_map([1.5, 0.5, 1.8, 1.2], [1.0, 2.0]).tolist()
    [[7, 0], [0, 5], [5, 6], [0, 0]]
    """
    from .constraints import check_constraints_batch

    m1 = np.atleast_1d(_nonneg_array(mu1_values, "mu1_values"))
    m2 = np.atleast_1d(_nonneg_array(mu2_values, "mu2_values"))
    if m1.ndim != 1 or m2.ndim != 1:
        raise ValueError("mu1_values, mu2_values: expected 1-D arrays")
    nbytes = 8 * 8 * 8 * 2 * m1.size * m2.size  # the (len1, len2, 8, 8) rates and their work arrays
    if nbytes > MAX_BYTES:
        raise ValueError(f"mu1_values x mu2_values: {m1.size} x {m2.size} points need ~{nbytes / 2**30:.3g} GiB; split the grid")
    x = np.arange(8)
    d = np.zeros((8, 8), dtype=np.int64)
    for b in range(3):
        d += ((x[:, None] >> b) & 1) != ((x[None, :] >> b) & 1)
    table = np.zeros(m1.shape + m2.shape + (4,))
    table[..., 1] = 1.0
    table[..., 2] = m1[:, None]
    table[..., 3] = m2[None, :]
    rates = table[..., d]
    rep = check_constraints_batch(rates)
    return np.where(rep.first_violation < 0, 0, rep.first_violation + 1).astype(np.int64)


__all__ = [
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
]
