"""Fragment-averaged information and redundancy from exact information curves (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md).

Deficits are in **bits**. Fragment averages ``<X>_m`` are uniform over all subsets of size m.
Methods for a pure environment with ``x_k = |gamma_k|^2``:

* ``"series"``: ``<D>_m = (1/ln 2) sum_k c_k E_m(x^k)`` with elementary symmetric means
  (:func:`elementary_symmetric_means`) and an explicit truncation bound; any N.
* ``"enumerate"``: all ``C(N, m)`` subsets (N up to about 20).
* ``"montecarlo"``: uniform random subsets with standard errors (heavy-tailed for tiny
  deficits; prefer the series).

The N -> infinity annealed average over i.i.d. couplings and the Gaussian-regime exact result are
in :mod:`qdarwin.spins.annealed`.
"""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_real_array, check_coherence, check_int, check_log_base, check_probability
from ..info.entropy import binary_entropy
from ..info.redundancy import f_delta, redundancy_from_curve
from .annealed import annealed_deficit, annealed_redundancy, gaussian_exact_redundancy  # also importable from here
from .exact import LN2, _check_d, _check_xs, _coeffs, _coeffs_real, _deficit_nats, _tail
from .methods import AverageMethod, Enumerate, MonteCarlo, Series, resolve_method

MAX_ENUMERATION = 5_000_000  #: largest number of subsets enumerated
MAX_SERIES_WORK = 200_000_000  #: cap on K * N * (m_max + 1) for the series method
MAX_MC_ELEMENTS = 50_000_000  #: cap on n_samples * N for Monte Carlo
EM_START = 256  #: explicit series terms before the Euler-Maclaurin tail is used
EM_KAPPA_MAX = 1e22  #: upper limit of the tail integral in kappa
EM_PANEL = 0.5  #: panel width in u = ln(kappa / K)

class FragmentDeficit(NamedTuple):
    """Fragment-averaged Holevo deficit ``H2(p) - <chi>_m`` (bits) for m = 0..m_max.

    ``stderr`` is the Monte Carlo standard error, or for the series the truncation bound
    (0 for enumeration).
    """

    m: NDArray[np.int64]
    deficit: NDArray[np.float64]
    stderr: NDArray[np.float64]


class FragmentInfo(NamedTuple):
    """Fragment-averaged ``<I>_m``, ``<chi>_m`` and ``<discord>_m`` (bits), m = 0..N."""

    m: NDArray[np.int64]
    I: NDArray[np.float64]
    chi: NDArray[np.float64]
    discord: NDArray[np.float64]
    stderr: NDArray[
        np.float64
    ]  #: bound on the error of ``I`` (series truncation; 0 for enumeration)


def _esm(v: NDArray[np.float64], m_max: int) -> NDArray[np.float64]:
    """Elementary symmetric means over the last axis (trusted input)."""
    n = v.shape[-1]
    e = np.zeros(v.shape[:-1] + (m_max + 1,), dtype=np.float64)
    e[..., 0] = 1.0
    j = np.arange(1, m_max + 1, dtype=np.float64)
    for k in range(1, n + 1):
        top = min(k, m_max)  # E_j with j > k is still 0
        vn = v[..., k - 1 : k]
        jj = j[:top]
        e[..., 1 : top + 1] = ((k - jj) / k) * e[..., 1 : top + 1] + (jj / k) * vn * e[..., :top]
    return e


def elementary_symmetric_means(v: ArrayLike, m_max: int | None = None) -> NDArray[np.float64]:
    """Means ``E_m(v)`` of ``prod_{i in F} v_i`` over all m-subsets F, m = 0..m_max.

    Convex update: adding element n, ``E_j <- ((n-j)/n) E_j + (j/n) v_n E_{j-1}``
    for j from min(n, m_max) down to 1, with ``E_0 = 1``; no overflow, O(N m_max).

    Parameters
    ----------
    v : array_like, shape (..., N)
        Values (batched over leading axes).
    m_max : int, optional
        Largest subset size (default N).

    Returns
    -------
    ndarray, shape (..., m_max + 1)

    Examples
    --------
    >>> elementary_symmetric_means([1.0, 2.0, 3.0]).tolist()  # 1, mean, (2+3+6)/3, 6
    [1.0, 2.0, 3.6666666666666665, 6.0]
    """
    arr = as_real_array(v, "v")
    if arr.ndim == 0 or arr.shape[-1] < 1:
        raise ValueError("v: expected at least one value on the last axis")
    n = arr.shape[-1]
    mm = n if m_max is None else check_int(m_max, "m_max", minimum=0)
    if mm > n:
        raise ValueError(f"m_max must be <= N = {n}, got {mm}")
    return _esm(arr, mm)


def _em_tail(
    p: float, lx: NDArray[np.float64], m_max: int, lw: float, K: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Euler-Maclaurin estimate of ``sum_{k > K} F(k)``, ``F(kappa) = c(kappa) w^kappa E_m(x^kappa)``.

    ``F`` is completely monotone in real ``kappa`` (products and averages of decaying
    exponentials), so ``sum_{k>K} F(k) = int_K^inf F - F(K)/2 - F'(K)/12 + O(F^(3)(K))``. The
    integral uses Gauss-Legendre in ``u = ln(kappa/K)`` up to ``kappa = 1e22``. Returns the
    estimate and an error estimate (a multiple of the first omitted term).
    """
    xg, wg = np.polynomial.legendre.leggauss(8)
    U = math.log(EM_KAPPA_MAX / K)
    edges = np.arange(0.0, U + EM_PANEL, EM_PANEL)
    lo, hi = edges[:-1], edges[1:]
    u = ((0.5 * (lo + hi))[:, None] + (0.5 * (hi - lo))[:, None] * xg).ravel()
    wu = ((0.5 * (hi - lo))[:, None] * wg).ravel()
    kappa = np.concatenate([K * np.exp(u), [K - 0.5, K, K + 0.5]])
    c = _coeffs_real(p, kappa) * np.exp(kappa * lw)
    vals = c[:, None] * _esm(np.exp(np.outer(kappa, lx)), m_max)
    n_u = u.size
    integral = (wu * kappa[:n_u]) @ vals[:n_u]
    f_k = vals[n_u + 1]
    df_k = vals[n_u + 2] - vals[n_u]  # central difference with half steps
    est = integral - 0.5 * f_k - df_k / 12.0
    err = np.abs(df_k) / (5.0 * K * K) + 1e-15 * np.abs(integral)
    return np.maximum(est, 0.0), err


def _series_sums(
    p: float,
    x: NDArray[np.float64],
    m_max: int,
    weight: float,
    tol: float,
    atol: float,
    k_max: int,
    tail: str = "euler-maclaurin",
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``S_m = sum_k c_k w^k E_m(x^k)`` (nats, m = 0..m_max) and its truncation bound.

    Spins with ``x = 1`` are mixed in exactly (hypergeometric weights) and ``S_0`` is the closed
    form ``deficit(p, sqrt(w))``. K doubles until, for every m >= 1, the bound
    ``tail_K w^K E_m(x^K)`` is below ``tol * S_m`` or below both ``atol`` (nats) and
    ``1e-6 S_m``; it stops at ``k_max`` or the work cap.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"series weight |c|^2/(pq) must lie in [0, 1], got {weight!r}")
    active = x[x < 1.0]
    n0, n1 = active.size, x.size - active.size
    s0 = (
        float(binary_entropy(p)) * LN2
        if weight == 1.0
        else float(_deficit_nats(np.asarray(p), np.asarray(math.sqrt(weight))))
    )
    m0 = min(m_max, n0)
    if n0 == 0 or weight == 0:
        return np.full(m_max + 1, s0), np.zeros(m_max + 1)
    with np.errstate(divide="ignore"):
        lx = np.log(active)
    lw = math.log(weight)
    K_prev, K = 0, 64
    s = np.zeros(m0 + 1)
    while True:
        k = np.arange(K_prev + 1, K + 1, dtype=float)  # only the new terms
        c = _coeffs(p, k) * np.exp(k * lw)
        e = _esm(np.exp(np.outer(k, lx)), m0)  # rows: E_m(x^k)
        s = s + c @ e
        bound = float(_tail(p, np.array([K]))[0]) * weight**K * e[-1]
        b1, s1 = bound[1:], s[1:]
        ok = np.all((b1 <= tol * s1) | ((b1 <= atol) & (b1 <= 1e-6 * s1)))
        if ok or not np.all(np.isfinite(s)):
            break
        if tail == "euler-maclaurin" and K >= EM_START:
            em, err = _em_tail(p, lx, m0, lw, K)
            s, bound = s + em, np.minimum(bound, err)
            break
        if 2 * K > k_max or K * n0 * (m0 + 1) > MAX_SERIES_WORK:
            break
        K_prev, K = K, 2 * K
    s[0], bound[0] = s0, 0.0
    if n1 == 0:
        return s, bound
    return _hypergeometric_mix(s, n1, n0, m_max, s0), _hypergeometric_mix(bound, n1, n0, m_max, 0.0)


def _hypergeometric_mix(
    vals: NDArray[np.float64], n1: int, n0: int, m_max: int, fill: float
) -> NDArray[np.float64]:
    """Average over m-subsets of ``n1`` inert and ``n0`` active elements: ``sum_j P(j inert) vals[m - j]``.

    ``vals[i]`` is the average over i-subsets of active elements (i = 0..min(m_max, n0));
    ``fill`` is unused padding for sizes beyond n0 (weights there are 0).
    """
    from scipy.stats import hypergeom

    out = np.empty(m_max + 1)
    v = np.full(m_max + 1, fill)
    v[: vals.size] = vals
    for m in range(m_max + 1):
        j = np.arange(max(0, m - n0), min(m, n1) + 1)
        w = hypergeom.pmf(j, n0 + n1, n1, m)
        out[m] = float(w @ v[m - j])
    return out


def _subset_products(
    x: NDArray[np.float64], m: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Products of x over every m-subset and over its complement."""
    n = x.size
    if m == 0:
        return np.ones(1), np.array([float(np.prod(x))])
    idx = np.array(list(itertools.combinations(range(n), m)), dtype=np.int64)
    mask = np.zeros((idx.shape[0], n), dtype=bool)
    np.put_along_axis(mask, idx, True, axis=1)
    return np.prod(np.where(mask, x, 1.0), axis=1), np.prod(np.where(mask, 1.0, x), axis=1)


def _check_enumeration(n: int, m_max: int) -> None:
    count = sum(math.comb(n, m) for m in range(m_max + 1))
    if count > MAX_ENUMERATION:
        raise ValueError(
            f"too many subsets to enumerate ({count:.3g} > {MAX_ENUMERATION:.0e}); use method='series' or 'montecarlo'"
        )


def fragment_average_deficit(
    xs: ArrayLike,
    p: float,
    *,
    method: str | AverageMethod = "series",
    m_max: int | None = None,
    base: float = 2.0,
    n_samples: int = 1000,
    rng: np.random.Generator | None = None,
    tol: float = 1e-15,
    atol: float = 1e-14,
    k_max: int = 16384,
    tail: str = "euler-maclaurin",
) -> FragmentDeficit:
    """Fragment-averaged Holevo deficit ``D(m) = H2(p) - <chi(Pi_S:F)>_{|F|=m}`` (bits), pure environment.

    Parameters
    ----------
    xs : array_like, shape (N,)
        Squared decoherence factors ``x_k = |gamma_k|^2`` in [0, 1].
    p : float
        System population in [0, 1].
    method : Series, Enumerate, MonteCarlo or {"series", "enumerate", "montecarlo"}
        Method object (:mod:`qdarwin.spins.methods`) or a string shorthand that takes the loose
        options below.
    m_max : int, optional
        Largest fragment size (default N).
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).
    n_samples : int
        Monte Carlo subsets per size (one random permutation per sample gives every m).
    rng : numpy.random.Generator
        Required for ``"montecarlo"``.
    tol, atol : float
        Series truncation: stop when the bound is below ``tol`` relative, or below ``atol``
        bits (and 1e-6 relative) for every m >= 1; the bound is returned as ``stderr``.
    k_max : int
        Largest number of explicit series terms (``tail="bound"``).
    tail : {"euler-maclaurin", "bound"}
        Spins with ``x_k`` close to 1 make the series converge slowly (``H2 - chi`` is not
        analytic at d = 1). ``"euler-maclaurin"`` (default) sums 256 terms explicitly and the
        rest by the Euler-Maclaurin formula on the smooth continuation ``c(kappa) E_m(x^kappa)``
        (accurate to ~1e-14 against enumeration; ``stderr`` is an error *estimate*).
        ``"bound"`` sums up to ``k_max`` terms and returns the rigorous truncation bound as
        ``stderr`` (``deficit + stderr`` bounds D(m) from above). Spins with ``x_k = 1`` are
        handled exactly in both modes (hypergeometric mixing).

    Returns
    -------
    FragmentDeficit
        ``(m, deficit, stderr)``; ``deficit[0] = H2(p)``.

    Examples
    --------
    >>> r = fragment_average_deficit([0.0, 1.0], 0.5)
    >>> [round(float(v), 12) for v in r.deficit]  # one of two spins records perfectly
    [1.0, 0.5, 0.0]
    """
    x = _check_xs(xs)
    pv = check_probability(p)
    n = x.size
    mm = n if m_max is None else check_int(m_max, "m_max", minimum=0)
    if mm > n:
        raise ValueError(f"m_max must be <= N = {n}, got {mm}")
    meth = resolve_method(method, tol=tol, atol=atol, k_max=k_max, tail=tail, n_samples=n_samples, rng=rng)
    to_base = check_log_base(base)
    h = float(binary_entropy(pv))
    ms = np.arange(mm + 1)
    err = np.zeros(mm + 1)
    if isinstance(meth, Series):
        if pv in (0.0, 1.0):
            return FragmentDeficit(ms, np.zeros(mm + 1), err)
        s, bound = _series_sums(pv, x, mm, 1.0, meth.tol, meth.atol * LN2, meth.k_max, meth.tail)
        d, err = s / LN2, bound / LN2
    elif isinstance(meth, Enumerate):
        _check_enumeration(n, mm)
        d = np.empty(mm + 1)
        for m in range(mm + 1):
            prod_f, _ = _subset_products(x, m)
            d[m] = float(np.mean(_deficit_nats(np.asarray(pv), np.sqrt(prod_f)))) / LN2
    else:
        assert isinstance(meth, MonteCarlo) and meth.rng is not None
        ns = meth.n_samples
        if ns * n > MAX_MC_ELEMENTS:
            raise ValueError(
                f"n_samples * N = {ns * n} exceeds {MAX_MC_ELEMENTS}; reduce n_samples"
            )
        perm = meth.rng.permuted(np.tile(np.arange(n), (ns, 1)), axis=1)[:, :mm]
        prods = np.cumprod(x[perm], axis=1)
        vals = _deficit_nats(np.asarray(pv), np.sqrt(prods)) / LN2
        d = np.concatenate([[h], vals.mean(axis=0)])
        err = np.concatenate([[0.0], vals.std(axis=0, ddof=1) / math.sqrt(ns)])
    d = np.asarray(d, dtype=float)
    d[0] = h
    err[0] = 0.0
    if to_base != 1.0:
        d, err = d * to_base, err * to_base
    return FragmentDeficit(ms, d, err)


def fragment_average_information(
    gamma_abs: ArrayLike,
    p: float,
    c: complex | None = None,
    *,
    method: str | Series | Enumerate = "series",
    base: float = 2.0,
    tol: float = 1e-15,
    atol: float = 1e-14,
    k_max: int = 16384,
    tail: str = "euler-maclaurin",
) -> FragmentInfo:
    """Fragment-averaged ``<I(S:F)>_m``, ``<chi>_m`` and ``<discord>_m`` for a pure environment (bits).

    Parameters
    ----------
    gamma_abs : array_like, shape (N,)
        Per-spin decoherence factors (moduli used).
    p : float
        System population in [0, 1].
    c : complex or None
        System coherence (``None``: pure system).
    method : Series, Enumerate or {"series", "enumerate"}
        The series uses ``h(p, |c| d) = H2(p) - (1/ln 2) sum_k c_k (|c|^2/pq)^k d^{2k}`` so that
        the discord average is ``(1/ln 2) sum_k c_k rho^k [E_{N-m}(x^k) - E_N(x^k)]`` (no cancellation).
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).
    tol, atol, k_max, tail :
        Series truncation controls for ``method="series"`` (see :func:`fragment_average_deficit`).

    Returns
    -------
    FragmentInfo
        ``(m, I, chi, discord, stderr)`` for m = 0..N.

    Examples
    --------
    >>> r = fragment_average_information([0.0, 0.0], 0.5)
    >>> [round(float(v), 12) for v in r.I]
    [0.0, 1.0, 2.0]
    """
    g = _check_d(np.atleast_1d(np.asarray(gamma_abs)), "gamma_abs")
    if g.ndim != 1 or g.size < 1:
        raise ValueError("gamma_abs: expected a 1-D array of N >= 1 decoherence factors")
    pv = check_probability(p)
    check_log_base(base)
    cabs = min(abs(check_coherence(c, pv)), math.sqrt(pv * (1 - pv)))
    x = g * g
    n = x.size
    ms = np.arange(n + 1)
    h = float(binary_entropy(pv))
    if pv in (0.0, 1.0):
        z = np.zeros(n + 1)
        return FragmentInfo(ms, z, z.copy(), z.copy(), z.copy())
    # |c|^2 <= pq, so rho <= 1; the quotient can round to 1 + 2^-52 for a pure system, and
    # rho^kappa at kappa ~ 1e22 (Euler-Maclaurin tail) would then overflow
    rho = min(cabs**2 / (pv * (1 - pv)), 1.0)
    if isinstance(method, MonteCarlo) or (isinstance(method, str) and method == "montecarlo"):
        raise ValueError("method must be 'series' or 'enumerate' (Series or Enumerate) for the information average")
    meth = resolve_method(method, tol=tol, atol=atol, k_max=k_max, tail=tail)
    if isinstance(meth, Series):
        dd = fragment_average_deficit(x, pv, method=meth)
        s_chi, b_chi = dd.deficit * LN2, dd.stderr * LN2
        if rho > 0:
            s_c, b_c = _series_sums(pv, x, n, rho, meth.tol, meth.atol * LN2, meth.k_max, meth.tail)
            discord = np.maximum(s_c[::-1] - s_c[-1], 0.0) / LN2  # E_{N-m} - E_N
            b_disc = (b_c[::-1] + b_c[-1]) / LN2
        else:
            discord, b_disc = np.zeros(n + 1), np.zeros(n + 1)
        chi = h - s_chi / LN2
        err = b_chi / LN2 + b_disc
    elif isinstance(meth, Enumerate):
        _check_enumeration(n, n)
        chi, discord, err = np.empty(n + 1), np.empty(n + 1), np.zeros(n + 1)
        d_e = math.sqrt(float(np.prod(x)))
        for m in range(n + 1):
            prod_f, prod_c = _subset_products(x, m)
            chi[m] = h - float(np.mean(_deficit_nats(np.asarray(pv), np.sqrt(prod_f)))) / LN2
            # discord = h(p,|c| d_E) - h(p,|c| d_{E\F}) = deficit(rho^(1/2) d_{E\F}) - deficit(rho^(1/2) d_E)
            sr = math.sqrt(rho)
            dc = _deficit_nats(np.asarray(pv), sr * np.sqrt(prod_c)) - _deficit_nats(
                np.asarray(pv), np.asarray(sr * d_e)
            )
            discord[m] = max(float(np.mean(dc)) / LN2, 0.0)
    else:
        raise ValueError("fragment_average_information: method must be Series or Enumerate ('series' or 'enumerate')")
    chi[0], discord[0] = 0.0, 0.0
    to_base = check_log_base(base)
    if to_base != 1.0:
        chi, discord, err = chi * to_base, discord * to_base, err * to_base
    return FragmentInfo(ms, chi + discord, chi, discord, err)


__all__ = [
    "annealed_deficit",
    "annealed_redundancy",
    "gaussian_exact_redundancy",
    "FragmentDeficit",
    "FragmentInfo",
    "elementary_symmetric_means",
    "f_delta",
    "fragment_average_deficit",
    "fragment_average_information",
    "redundancy_from_curve",
]
