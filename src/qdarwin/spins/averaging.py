"""Fragment-averaged information and redundancy from exact information curves (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md).

Deficits are in **bits**. Fragment averages ``<X>_m`` are uniform over all subsets of size m.
Methods for a pure environment with ``x_k = |gamma_k|^2``:

* ``"series"``: ``<D>_m = (1/ln 2) sum_k c_k E_m(x^k)`` with elementary symmetric means
  (:func:`elementary_symmetric_means`) and an explicit truncation bound; any N.
* ``"enumerate"``: all ``C(N, m)`` subsets (N up to about 20).
* ``"montecarlo"``: uniform random subsets with standard errors (heavy-tailed for tiny
  deficits; prefer the series).

Also the N -> infinity annealed average over i.i.d. couplings and the Gaussian-regime exact result.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from .._checks import check_int, check_real_number, check_deficit
from ..info.entropy import binary_entropy
from .exact import LN2, _check_d, _coeffs, _coeffs_real, _deficit_nats, _tail, threshold_overlap
from .._checks import as_real_array, check_coherence, check_probability
from .redundancy import _check_tau
from ..info.redundancy import f_delta, redundancy_from_curve

MAX_ENUMERATION = 5_000_000  #: largest number of subsets enumerated
MAX_SERIES_WORK = 200_000_000  #: cap on K * N * (m_max + 1) for the series method
MAX_MC_ELEMENTS = 50_000_000  #: cap on n_samples * N for Monte Carlo
EM_START = 256  #: explicit series terms before the Euler-Maclaurin tail is used
EM_KAPPA_MAX = 1e22  #: upper limit of the tail integral in kappa
EM_PANEL = 0.5  #: panel width in u = ln(kappa / K)

MomentsLike = Callable[[NDArray[np.float64]], NDArray[np.float64]] | ArrayLike


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


def _check_xs(xs: Any) -> NDArray[np.float64]:
    x = as_real_array(np.atleast_1d(np.asarray(xs)), "xs")
    if x.ndim != 1 or x.size < 1:
        raise ValueError("xs: expected a 1-D array of N >= 1 squared decoherence factors")
    if np.any(x < 0) or np.any(x > 1.0 + 1e-12):
        raise ValueError("xs: squared decoherence factors must be in [0, 1]")
    return np.minimum(x, 1.0)


def _check_tail(tail: str) -> str:
    if tail not in ("euler-maclaurin", "bound"):
        raise ValueError(f"tail must be 'euler-maclaurin' or 'bound', got {tail!r}")
    return tail


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
    method: str = "series",
    m_max: int | None = None,
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
    method : {"series", "enumerate", "montecarlo"}
    m_max : int, optional
        Largest fragment size (default N).
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
    tl = check_real_number(tol, "tol")
    h = float(binary_entropy(pv))
    ms = np.arange(mm + 1)
    err = np.zeros(mm + 1)
    if method == "series":
        if pv in (0.0, 1.0):
            return FragmentDeficit(ms, np.zeros(mm + 1), err)
        s, bound = _series_sums(
            pv,
            x,
            mm,
            1.0,
            tl,
            check_real_number(atol, "atol") * LN2,
            check_int(k_max, "k_max", minimum=64),
            _check_tail(tail),
        )
        d, err = s / LN2, bound / LN2
    elif method == "enumerate":
        _check_enumeration(n, mm)
        d = np.empty(mm + 1)
        for m in range(mm + 1):
            prod_f, _ = _subset_products(x, m)
            d[m] = float(np.mean(_deficit_nats(np.asarray(pv), np.sqrt(prod_f)))) / LN2
    elif method == "montecarlo":
        if not isinstance(rng, np.random.Generator):
            raise ValueError("method='montecarlo' needs rng=numpy.random.Generator")
        ns = check_int(n_samples, "n_samples", minimum=2)
        if ns * n > MAX_MC_ELEMENTS:
            raise ValueError(
                f"n_samples * N = {ns * n} exceeds {MAX_MC_ELEMENTS}; reduce n_samples"
            )
        perm = rng.permuted(np.tile(np.arange(n), (ns, 1)), axis=1)[:, :mm]
        prods = np.cumprod(x[perm], axis=1)
        vals = _deficit_nats(np.asarray(pv), np.sqrt(prods)) / LN2
        d = np.concatenate([[h], vals.mean(axis=0)])
        err = np.concatenate([[0.0], vals.std(axis=0, ddof=1) / math.sqrt(ns)])
    else:
        raise ValueError(f"method must be 'series', 'enumerate' or 'montecarlo', got {method!r}")
    d = np.asarray(d, dtype=float)
    d[0] = h
    err[0] = 0.0
    return FragmentDeficit(ms, d, err)


def fragment_average_information(
    gamma_abs: ArrayLike,
    p: float,
    c: complex | None = None,
    *,
    method: str = "series",
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
    method : {"series", "enumerate"}
        The series uses ``h(p, |c| d) = H2(p) - (1/ln 2) sum_k c_k (|c|^2/pq)^k d^{2k}`` so that
        the discord average is ``(1/ln 2) sum_k c_k rho^k [E_{N-m}(x^k) - E_N(x^k)]`` (no cancellation).
    tol, atol, k_max, tail :
        Series truncation controls (see :func:`fragment_average_deficit`).

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
    if method == "series":
        dd = fragment_average_deficit(
            x, pv, method="series", tol=tol, atol=atol, k_max=k_max, tail=tail
        )
        s_chi, b_chi = dd.deficit * LN2, dd.stderr * LN2
        if rho > 0:
            tl, at = check_real_number(tol, "tol"), check_real_number(atol, "atol") * LN2
            s_c, b_c = _series_sums(
                pv, x, n, rho, tl, at, check_int(k_max, "k_max", minimum=64), _check_tail(tail)
            )
            discord = np.maximum(s_c[::-1] - s_c[-1], 0.0) / LN2  # E_{N-m} - E_N
            b_disc = (b_c[::-1] + b_c[-1]) / LN2
        else:
            discord, b_disc = np.zeros(n + 1), np.zeros(n + 1)
        chi = h - s_chi / LN2
        err = b_chi / LN2 + b_disc
    elif method == "enumerate":
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
        raise ValueError(f"method must be 'series' or 'enumerate', got {method!r}")
    chi[0], discord[0] = 0.0, 0.0
    return FragmentInfo(ms, chi + discord, chi, discord, err)


def _moment_array(moments: MomentsLike, K: int) -> NDArray[np.float64]:
    k = np.arange(1, K + 1, dtype=float)
    if callable(moments):
        mu = as_real_array(moments(k), "moments(k)")
        if mu.shape != k.shape:
            raise ValueError(f"moments(k) must return shape {k.shape}, got {mu.shape}")
    else:
        mu = as_real_array(moments, "moments")
        if mu.ndim != 1 or mu.size < 1:
            raise ValueError("moments: expected a 1-D array mu_k, k = 1..K")
        mu = mu[:K]
    if np.any(mu < 0) or np.any(mu > 1 + 1e-12):
        raise ValueError("moments mu_k = <x^k> must be in [0, 1]")
    return np.minimum(mu, 1.0)


def annealed_deficit(moments: MomentsLike, p: float, F: ArrayLike) -> Any:
    """Annealed (N -> infinity) fragment deficit ``<D>(F) = (1/ln 2) sum_k c_k mu_k^F`` (bits).

    Parameters
    ----------
    moments : array_like (mu_1..mu_K) or callable ``mu(k) -> array``
        Moments ``mu_k = <x^k>`` of ``x = |gamma|^2`` over the coupling distribution (a callable
        is evaluated at k = 1..4096).
    p : float in [0, 1]
    F : float or array_like
        Real fragment size(s) >= 0.

    Examples
    --------
    >>> round(annealed_deficit([0.0] * 10, 0.5, 1.0), 12)  # perfect records
    0.0
    """
    pv = check_probability(p)
    ff = as_real_array(F, "F")
    if np.any(ff < 0):
        raise ValueError("F must be >= 0")
    mu = _moment_array(
        moments, 4096 if callable(moments) else len(np.atleast_1d(np.asarray(moments)))
    )
    if pv in (0.0, 1.0):
        return 0.0 if ff.ndim == 0 else np.zeros(ff.shape)
    c = _coeffs(pv, np.arange(1, mu.size + 1, dtype=float))
    with np.errstate(divide="ignore"):
        lmu = np.log(mu)
    val = np.exp(np.multiply.outer(ff, lmu)) @ c / LN2
    return float(val) if np.ndim(val) == 0 else val


def annealed_redundancy(
    moment_fn_or_samples: MomentsLike, p: float, delta: float
) -> tuple[float, float]:
    """Annealed N -> infinity redundancy per spin ``R/N = 1/F`` solving ``<D>(F) = delta H2(p)``.

    Parameters
    ----------
    moment_fn_or_samples : callable or array_like
        Either ``mu(k) -> <x^k>`` (vectorised in k) or samples of ``x = |gamma|^2``.
    p : float in (0, 1)
    delta : float in (0, 1)

    Returns
    -------
    (R_over_N, F)
        ``(0, inf)`` when ``<x> = 1`` (no record). A record needs at least one spin: ``F >= 1``,
        ``R/N <= 1`` (orthogonal records give ``(1, 1)``).

    Examples
    --------
    >>> r, F = annealed_redundancy([0.8], 0.5, 1e-10)  # identical spins, x = 0.8
    >>> round(r, 12)
    0.009830451621
    """
    pv = check_probability(p)
    if pv in (0.0, 1.0):
        raise ValueError("no missing information (p in {0,1})")
    dl = check_deficit(delta)
    if callable(moment_fn_or_samples):

        def mu_of(K: int) -> NDArray[np.float64]:
            return _moment_array(moment_fn_or_samples, K)
    else:
        xs = _check_xs(moment_fn_or_samples)
        with np.errstate(divide="ignore"):
            lx = np.log(xs)

        def mu_of(K: int) -> NDArray[np.float64]:
            k = np.arange(1, K + 1, dtype=float)
            out = np.empty(K)
            step = max(1, int(2e7 // max(xs.size, 1)))
            for i in range(0, K, step):
                out[i : i + step] = np.exp(np.outer(k[i : i + step], lx)).mean(axis=1)
            return out

    target = math.log(dl * float(binary_entropy(pv)) * LN2)  # nats
    K = 256
    while True:
        mu = mu_of(K)
        if mu[0] >= 1.0:
            return 0.0, math.inf
        c = _coeffs(pv, np.arange(1, K + 1, dtype=float))
        with np.errstate(divide="ignore"):
            lmu = np.log(mu)

        def fn(F: float, lmu: NDArray[np.float64] = lmu, c: NDArray[np.float64] = c) -> float:
            v = float(np.exp(F * lmu) @ c)
            return (math.log(v) if v > 0 else -1e300) - target

        hi = max(1.0, target / lmu[0]) if lmu[0] < 0 else 1.0
        while fn(hi) > 0:
            hi *= 2.0
        # a record needs at least one spin: F >= 1 (F = 1 when one spin already suffices)
        F = 1.0 if fn(1.0) <= 0 else brentq(fn, 1.0, hi, xtol=1e-14, rtol=1e-14, maxiter=500)
        tail = float(_tail(pv, np.array([K]))[0]) * math.exp(F * lmu[-1])
        if tail <= 1e-12 * math.exp(target) or K >= 65536:
            return 1.0 / F, F
        K *= 4


def gaussian_exact_redundancy(t: ArrayLike, tau_d: float, delta: float, p: float = 0.5) -> Any:
    """Exact N = infinity Holevo redundancy in the Gaussian regime ``R = (t/tau_D)^2 / ln(1/y_delta)``.

    ``y_delta`` solves ``H2(p) - chi = delta H2(p)`` at ``d^2 = y`` (:func:`~qdarwin.spins.exact.threshold_overlap`);
    the ratio to the QCB line is ``ln(1/delta)/ln(1/y_delta)`` (1.008945 at p = 1/2, delta = 1e-16).

    Examples
    --------
    >>> import math
    >>> round(gaussian_exact_redundancy(10.0, math.sqrt(3) / 4, 1e-16), 5)
    14.60598
    """
    tt = as_real_array(t, "t")
    tau = _check_tau(tau_d)
    y = threshold_overlap(p, delta)
    val = (tt / tau) ** 2 / math.log(1.0 / y)
    return float(val) if np.ndim(val) == 0 else val


__all__ = [
    "FragmentDeficit",
    "FragmentInfo",
    "annealed_deficit",
    "annealed_redundancy",
    "elementary_symmetric_means",
    "f_delta",
    "fragment_average_deficit",
    "fragment_average_information",
    "gaussian_exact_redundancy",
    "redundancy_from_curve",
]
