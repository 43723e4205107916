"""Exact information for a pure environment and identical-spin redundancy (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md).

With ``d_X = prod_{k in X} |gamma_k|`` (``d_{empty} = 1``), ``h(p, r_c)`` the two-level entropy:

* ``chi(Pi_S : F) = h(p, sqrt(pq) d_F)``
* ``I(S : F) = h(p, |c| d_E) + h(p, sqrt(pq) d_F) - h(p, |c| d_{E\\F})``
* ``discord = I - chi = h(p, |c| d_E) - h(p, |c| d_{E\\F})``

All in **bits**. The Holevo deficit ``H2(p) - chi`` is computed without cancellation
(:func:`holevo_deficit_pure`), down to 1e-300.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from .._checks import as_real_array, check_coherence, check_int, check_log_base, check_probability, check_size, validate_delta

MAX_SERIES_TERMS = 10**7  #: most deficit-series coefficients computed at once (80 MB of float64)
from ..info.entropy import binary_entropy, two_level_entropy
from ._common import scalar_or_array as _out

LN2 = math.log(2.0)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(12)
_GL3 = np.polynomial.legendre.leggauss(3)
_GL6 = np.polynomial.legendre.leggauss(6)


def _check_d(d: Any, name: str = "d") -> NDArray[np.float64]:
    arr = np.abs(np.asarray(d)) if np.iscomplexobj(np.asarray(d)) else as_real_array(d, name)
    arr = np.asarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1.0 + 1e-12):
        raise ValueError(f"{name}: decoherence factors (moduli) must be in [0, 1]")
    return np.minimum(arr, 1.0)


def _check_xs(xs: Any) -> NDArray[np.float64]:
    x = as_real_array(np.atleast_1d(np.asarray(xs)), "xs")
    if x.ndim != 1 or x.size < 1:
        raise ValueError("xs: expected a 1-D array of N >= 1 squared decoherence factors")
    if np.any(x < 0) or np.any(x > 1.0 + 1e-12):
        raise ValueError("xs: squared decoherence factors must be in [0, 1]")
    return np.minimum(x, 1.0)


def _deficit_nats(p: NDArray[np.float64], d: NDArray[np.float64]) -> NDArray[np.float64]:
    """``H(p) - h(p, sqrt(pq) d)`` in nats (trusted input, broadcast).

    ``(1/1) int_{r0}^{r} artanh(s) ds`` with distances to s = 1 formed without cancellation:
    ``sigma0 = 1 - r0 = 2 min(p, q)``, ``sigma_r = 1 - r = 4pq (1 - d^2) / (1 + r)``. Short intervals
    use Gauss-Legendre (in ``s`` near p = 1/2, in ``sigma = 1 - s`` for unbalanced p); long ones the
    primitive ``G`` rearranged as ``dr ln A + B log1p(dr/B) - dr ln sigma0 - sigma_r log1p(dr/sigma_r)``.
    """
    p, d = np.broadcast_arrays(p, d)
    pm = np.minimum(p, 1.0 - p)
    v = 4.0 * pm * (1.0 - pm)
    r0 = 1.0 - 2.0 * pm
    y4 = v * d * d
    r = np.minimum(np.sqrt(r0 * r0 + y4), 1.0)
    dr = np.where(r + r0 > 0, y4 / np.where(r + r0 > 0, r + r0, 1.0), 0.0)
    sig0 = 2.0 * pm
    sig_r = np.maximum(v * (1.0 - d) * (1.0 + d) / (1.0 + r), 0.0)
    out = np.zeros(p.shape, dtype=np.float64)
    # Gauss-Legendre orders chosen so that the error (Bernstein ellipse) stays below 1e-21 relative
    gl_sets = (
        ((dr > 0) & (dr <= 1e-3 * sig_r), _GL3),
        ((dr > 1e-3 * sig_r) & (dr <= 0.05 * sig_r), _GL6),
        ((dr > 0.05 * sig_r) & (dr <= 0.5 * sig_r), (_GL_X, _GL_W)),
    )
    near_half = pm > 0.25
    for sel_any, (xg, wg) in gl_sets:
        frac = 0.5 * (1.0 + xg)  # position of each node in the interval, from the s = r0 end
        for sel, in_s in ((sel_any & near_half, True), (sel_any & ~near_half, False)):
            if not np.any(sel):
                continue
            d_s = dr[sel]
            if in_s:
                vals = np.arctanh(r0[sel][:, None] + d_s[:, None] * frac)
            else:
                sig_nodes = sig0[sel][:, None] - d_s[:, None] * frac
                vals = 0.5 * (np.log(2.0 - sig_nodes) - np.log(sig_nodes))
            out[sel] = 0.5 * d_s * (vals @ wg)
    sel = dr > 0.5 * sig_r
    if np.any(sel):
        dd, sr, s0 = dr[sel], sig_r[sel], sig0[sel]
        A, B = 2.0 - sr, 2.0 - s0
        last = np.where(sr > 0, sr * np.log1p(dd / np.where(sr > 0, sr, 1.0)), 0.0)
        out[sel] = 0.5 * (dd * np.log(A) + B * np.log1p(dd / B) - dd * np.log(s0) - last)
    return np.maximum(out, 0.0)


def holevo_deficit_pure(p: ArrayLike, d: ArrayLike, *, base: float = 2.0) -> Any:
    """Holevo deficit ``H2(p) - chi = H2(p) - h(p, sqrt(pq) d)`` in bits, without cancellation.

    Parameters
    ----------
    p : float or array_like
        System population in [0, 1].
    d : float or array_like
        Fragment decoherence factor ``d_F = prod_{k in F} |gamma_k|`` in [0, 1] (broadcast).
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).

    Notes
    -----
    :math:`H_2(p) - h = \\frac{1}{\\ln 2}\\int_{r_0}^{r}\\operatorname{artanh}(s)\\,ds`,
    :math:`r_0 = |p-q|`, :math:`r = \\sqrt{r_0^2 + 4pq d^2}`; 12-point Gauss-Legendre when
    :math:`\\Delta r \\le (1-r)/2`, else :math:`G(r) - G(r_0)`. Small-d limit :math:`K d^2`.

    Examples
    --------
    >>> holevo_deficit_pure(0.5, 1.0)
    1.0
    >>> round(holevo_deficit_pure(0.5, 1e-100) / 1e-200 * 2 * math.log(2), 12)  # K d^2, K = 1/(2 ln 2)
    1.0
    """
    pa = as_real_array(p, "p")
    if np.any(pa < 0) or np.any(pa > 1):
        raise ValueError("p must be in [0, 1]")
    to_base = check_log_base(base)
    val = _deficit_nats(pa, _check_d(d)) / LN2
    return _out(val if to_base == 1.0 else val * to_base)


@functools.lru_cache(maxsize=64)
def _series_nodes(
    p: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes on (0, 1) graded geometrically toward s = 1 (in ``sigma = 1 - s``).

    Returns ``(s, w, ln r(s), 1 - u s^2)`` with ``r = v s^2 / (1 - u s^2)``, ``u = (p-q)^2``,
    ``v = 4pq``; ``1 - u s^2 = sigma (2 - sigma) + v s^2`` is formed without cancellation, and
    the grading reaches ``sigma ~ v / 64`` so that tiny ``p`` (where the integrand varies on the
    scale ``v`` near s = 1) is resolved.
    """
    pm = min(p, 1.0 - p)
    v = 4.0 * pm * (1.0 - pm)
    J = int(
        min(1100, max(80, math.ceil(6.0 - math.log2(v))))
    )  # 2^-80: resolves r^kappa to kappa ~ 1e23
    xg, wg = np.polynomial.legendre.leggauss(24)
    edges = np.concatenate([[1.0], 0.5 ** np.arange(1, J + 1), [0.0]])  # sigma, decreasing
    hi, lo = edges[:-1], edges[1:]
    sigma = ((0.5 * (hi + lo))[:, None] + (0.5 * (hi - lo))[:, None] * xg).ravel()
    w = ((0.5 * (hi - lo))[:, None] * wg).ravel()
    keep = w > 0
    sigma, w = sigma[keep], w[keep]
    s = 1.0 - sigma
    den = sigma * (2.0 - sigma) + v * s * s
    log_r = math.log(v) + 2.0 * np.log(s) - np.log(den)
    return s, w, np.minimum(log_r, 0.0), np.stack([sigma, den])


def _chunked(
    k: NDArray[np.float64], log_r: NDArray[np.float64], weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    k = np.asarray(k, dtype=float)
    out = np.empty(k.shape)
    flat, res = k.ravel(), out.reshape(-1)
    for i in range(0, flat.size, 1024):
        res[i : i + 1024] = np.exp(np.outer(flat[i : i + 1024], log_r)) @ weights
    return out


_COEFF_CACHE: dict[float, NDArray[np.float64]] = {}
_COEFF_CACHE_MAX_P = 64


def _coeff_table(p: float, K: int) -> NDArray[np.float64]:
    """``c_1..c_K`` (nats), cached per p and extended on demand (they depend on p only)."""
    table = _COEFF_CACHE.get(p)
    have = 0 if table is None else table.size
    if have < K:
        s, w, log_r, (sigma, den) = _series_nodes(p)
        new = _chunked(
            np.arange(have + 1, max(K, 2 * have) + 1, dtype=float), log_r, w * sigma / (s * s * den)
        )
        table = new if table is None else np.concatenate([table, new])
        if p not in _COEFF_CACHE and len(_COEFF_CACHE) >= _COEFF_CACHE_MAX_P:
            _COEFF_CACHE.pop(next(iter(_COEFF_CACHE)))
        _COEFF_CACHE[p] = table
    assert table is not None
    return table[:K]


def _coeffs_real(p: float, kappa: NDArray[np.float64]) -> NDArray[np.float64]:
    """Smooth continuation ``c(kappa) = int dmu(s) r(s)^kappa`` for real ``kappa >= 1`` (nats).

    Completely monotone in ``kappa`` (a mixture of decaying exponentials); equals ``c_k`` at
    integers. Used for the Euler-Maclaurin tail of the fragment-average series.
    """
    s, w, log_r, (sigma, den) = _series_nodes(p)
    return _chunked(np.asarray(kappa, dtype=float), log_r, w * sigma / (s * s * den))


def _coeffs(p: float, k: NDArray[np.float64]) -> NDArray[np.float64]:
    """``c_k`` for integer k >= 1 (array of floats holding integers)."""
    kk = np.asarray(k, dtype=np.int64)
    if kk.size == 0:
        return np.zeros(kk.shape)
    return _coeff_table(p, int(kk.max()))[kk - 1]


def _tail(p: float, k: NDArray[np.float64]) -> NDArray[np.float64]:
    """``sum_{j > k} c_j = int_0^1 r^{k+1} / ((1+s) s^2) ds`` (nats), no cancellation."""
    s, w, log_r, _ = _series_nodes(p)
    return _chunked(np.asarray(k, dtype=float) + 1.0, log_r, w / ((1.0 + s) * s * s))


def deficit_series_coefficients(p: float, K: int) -> NDArray[np.float64]:
    """Coefficients ``c_k`` (k = 1..K, nats) of ``H2(p) - h(p, sqrt(pq) d) = (1/ln 2) sum_k c_k d^{2k}``.

    ``c_k = int_0^1 (1-s) [v s^2/(1 - u s^2)]^k / (s^2 (1 - u s^2)) ds`` with ``u = (p-q)^2``,
    ``v = 4pq`` (``c_k = 1/(2k(2k-1))`` at p = 1/2; ``sum_k c_k = H(p)`` in nats), by
    Gauss-Legendre on a mesh graded toward s = 1.

    Examples
    --------
    >>> [round(float(c), 12) for c in deficit_series_coefficients(0.5, 3)]
    [0.5, 0.083333333333, 0.033333333333]
    """
    pv = check_probability(p)
    kk = check_size(K, "K", maximum=MAX_SERIES_TERMS, what=" series terms")
    if pv in (0.0, 1.0):
        return np.zeros(kk)
    return _coeffs(pv, np.arange(1, kk + 1, dtype=float))


def deficit_series_tail(p: float, K: int) -> float:
    """Tail ``sum_{k > K} c_k`` (nats) of the deficit series, computed directly (no cancellation).

    Examples
    --------
    >>> round(deficit_series_tail(0.5, 0) / math.log(2), 12)  # sum of all c_k = H(1/2) = 1 bit
    1.0
    """
    pv = check_probability(p)
    kk = check_int(K, "K", minimum=0)
    return 0.0 if pv in (0.0, 1.0) else float(_tail(pv, np.array([kk]))[0])


class PureEnvInfo(NamedTuple):
    """Information a fragment holds about a system decohered by a pure environment (bits)."""

    I: float  #: quantum mutual information I(S:F)
    chi: float  #: Holevo quantity chi(Pi_S : F) of the pointer observable
    discord: float  #: quantum discord I - chi


class InfoCurve(NamedTuple):
    """Partial-information curve for nested fragments F_m = first m spins, m = 0..N (bits)."""

    m: NDArray[np.int64]
    I: NDArray[np.float64]
    chi: NDArray[np.float64]
    discord: NDArray[np.float64]


def _system_args(p: Any, c: Any, gamma_abs: Any) -> tuple[float, float, NDArray[np.float64]]:
    pv = check_probability(p)
    cabs = abs(check_coherence(c, pv))
    cabs = min(cabs, math.sqrt(pv * (1.0 - pv)))
    g = _check_d(np.atleast_1d(np.asarray(gamma_abs)), "gamma_abs")
    if g.ndim != 1 or g.size < 1:
        raise ValueError("gamma_abs: expected a 1-D array of N >= 1 decoherence factors")
    return pv, cabs, g


def info_pure_environment(
    p: float, c: complex | None, gamma_abs: ArrayLike, fragment: Sequence[int] | ArrayLike, *, base: float = 2.0
) -> PureEnvInfo:
    """Exact ``I(S:F)``, ``chi(Pi_S:F)`` and discord for a pure environment (bits).

    Parameters
    ----------
    p : float
        System population of ``|up>`` in [0, 1].
    c : complex or None
        System coherence (``None``: pure system ``sqrt(pq)``); ``|c|^2 <= pq``.
    gamma_abs : array_like, shape (N,)
        Per-spin decoherence factors (moduli are used).
    fragment : sequence of int
        Unique 0-based spin indices in [0, N).
    base : float
        Logarithm base of the result (2: bits, the default; ``numpy.e``: nats).

    Examples
    --------
    >>> info_pure_environment(0.5, None, [0.0, 0.0], [0])  # perfect records: I = 2H, chi = H
    PureEnvInfo(I=1.0, chi=1.0, discord=0.0)
    """
    pv, cabs, g = _system_args(p, c, gamma_abs)
    to_base = check_log_base(base)
    idx = _check_fragment(fragment, g.size)
    mask = np.zeros(g.size, dtype=bool)
    mask[idx] = True
    d_f, d_c, d_e = float(np.prod(g[mask])), float(np.prod(g[~mask])), float(np.prod(g))
    h_e = float(two_level_entropy(pv, cabs * d_e))
    h_c = float(two_level_entropy(pv, cabs * d_c))
    if idx.size == 0:
        return PureEnvInfo(0.0, 0.0, 0.0)
    chi = max(
        float(binary_entropy(pv)) - float(_deficit_nats(np.asarray(pv), np.asarray(d_f))) / LN2, 0.0
    )
    discord = max(h_e - h_c, 0.0)
    if to_base != 1.0:
        chi, discord = chi * to_base, discord * to_base
    return PureEnvInfo(chi + discord, chi, discord)


def _check_fragment(fragment: Any, n: int) -> NDArray[np.int64]:
    arr = np.atleast_1d(np.asarray(fragment))
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.ndim != 1 or not (
        np.issubdtype(arr.dtype, np.integer)
        or (np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)))
    ):
        raise ValueError(f"invalid fragment: expected integer spin indices, got {fragment!r}")
    arr = arr.astype(np.int64)
    if np.any(arr < 0) or np.any(arr >= n) or np.unique(arr).size != arr.size:
        raise ValueError(
            f"invalid fragment: indices must be unique integers in [0, {n}), got {arr.tolist()}"
        )
    return arr


def information_curve(p: float, c: complex | None, gamma_abs: ArrayLike, *, base: float = 2.0) -> InfoCurve:
    """``I``, ``chi`` and discord for the nested fragments ``F_m`` = first m spins, m = 0..N (bits).

    O(N) via prefix and suffix products of ``|gamma_k|``; N = 10^6 takes a fraction of a second.
    ``base`` sets the logarithm base (2: bits, the default; ``numpy.e``: nats).

    Examples
    --------
    >>> curve = information_curve(0.5, None, [0.0, 0.0, 0.0])
    >>> curve.I.tolist(), curve.chi.tolist()
    ([0.0, 1.0, 1.0, 2.0], [0.0, 1.0, 1.0, 1.0])
    """
    pv, cabs, g = _system_args(p, c, gamma_abs)
    to_base = check_log_base(base)
    n = g.size
    prefix = np.concatenate([[1.0], np.cumprod(g)])
    suffix = np.concatenate([np.cumprod(g[::-1])[::-1], [1.0]])
    d_e = prefix[-1]
    h_e = float(two_level_entropy(pv, cabs * d_e))
    chi = np.maximum(
        float(binary_entropy(pv)) - _deficit_nats(np.full(n + 1, pv), prefix) / LN2, 0.0
    )
    discord = np.maximum(h_e - two_level_entropy(pv, cabs * suffix), 0.0)
    chi[0], discord[0] = 0.0, 0.0
    if to_base != 1.0:
        chi, discord = chi * to_base, discord * to_base
    return InfoCurve(np.arange(n + 1), chi + discord, chi, discord)


def deficit_curve(p: float, gamma_abs: ArrayLike, *, base: float = 2.0) -> NDArray[np.float64]:
    """Stable Holevo deficit ``H2(p) - chi(F_m)`` for nested fragments m = 0..N (bits; ``base``
    sets the logarithm base, ``numpy.e`` for nats).

    Examples
    --------
    >>> deficit_curve(0.5, [0.0, 1.0]).tolist()
    [1.0, 0.0, 0.0]
    """
    pv, _, g = _system_args(p, None, gamma_abs)
    to_base = check_log_base(base)
    prefix = np.concatenate([[1.0], np.cumprod(g)])
    val = _deficit_nats(np.full(prefix.size, pv), prefix) / LN2
    return val if to_base == 1.0 else val * to_base


def threshold_overlap(p: float, delta: float) -> float:
    """``y_delta``: the squared fragment decoherence factor with ``H2(p) - chi = delta H2(p)``.

    Solves ``holevo_deficit_pure(p, sqrt(y)) = delta H2(p)`` (root in ``ln y``).

    Examples
    --------
    >>> round(math.log(1e16) / -math.log(threshold_overlap(0.5, 1e-16)), 6)
    1.008945
    """
    pv = check_probability(p)
    if pv in (0.0, 1.0):
        raise ValueError("no missing information (p in {0,1})")
    d = validate_delta(delta)
    target = math.log(d * float(binary_entropy(pv)) * LN2)  # in nats

    def fn(log_y: float) -> float:
        val = float(_deficit_nats(np.asarray(pv), np.asarray(math.exp(0.5 * log_y))))
        return (math.log(val) if val > 0 else -1e300) - target

    k_nats = float(_coeffs(pv, np.array([1.0]))[0])
    guess = target - math.log(k_nats)
    lo = min(guess - 10.0, -1e-300)
    while fn(lo) > 0:
        lo -= 50.0
    return math.exp(brentq(fn, lo, 0.0, xtol=1e-15, rtol=1e-15, maxiter=500))


def identical_redundancy(x: ArrayLike, p: float, delta: float) -> tuple[Any, Any]:
    """Exact ``R/N`` and real fragment size ``F`` for identical pure spins.

    Solves ``H2(p) - chi = delta H2(p)`` with ``d_F^2 = x^F``: ``F = ln y_delta / ln x``, ``R/N = 1/F``
    (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md). A
    record needs at least one spin: ``F`` is at least 1 and ``R/N`` at most 1 (orthogonal records,
    x = 0, give ``F = 1``, ``R/N = 1``).

    Parameters
    ----------
    x : float or array_like
        ``|gamma|^2`` per spin in [0, 1] (x = 1: no record, ``R = 0``, ``F = inf``).
    p : float in (0, 1)
    delta : float in (0, 1)

    Examples
    --------
    >>> r, F = identical_redundancy(0.8, 0.5, 1e-10)
    >>> round(r, 12)
    0.009830451621
    """
    xa = as_real_array(x, "x")
    if np.any(xa < 0) or np.any(xa > 1):
        raise ValueError("x must be in [0, 1]")
    log_y = math.log(threshold_overlap(p, delta))
    with np.errstate(divide="ignore"):
        lx = np.log(xa)
    r = np.minimum(lx / log_y + 0.0, 1.0)
    f = np.where(r > 0, 1.0 / np.where(r > 0, r, 1.0), np.inf)
    return _out(r), _out(f)


__all__ = [
    "InfoCurve",
    "PureEnvInfo",
    "deficit_curve",
    "deficit_series_coefficients",
    "deficit_series_tail",
    "holevo_deficit_pure",
    "identical_redundancy",
    "info_pure_environment",
    "information_curve",
    "threshold_overlap",
]
