"""Vectorised qubit kernels for tomography-based Chernoff information (used by :mod:`.experiment`).

Bloch-vector closed forms, batched over leading axes (bootstrap replicates, repeated
experiments): projection into the Bloch ball, the Chernoff overlap Q(c) and the typical Chernoff
information with one common c (golden-section search, Q is convex in c).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_real_array

_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
#: Eigenvalues below this are exact zeros (as in :func:`qdarwin.info.chernoff_information`).
ZERO_EIG = 1e-13


# --------------------------------------------------------------------------------------------


def project_to_ball(raw: ArrayLike, se: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Weighted constrained least-squares projection of Bloch vectors into the unit ball.

    Minimises ``sum_a (r_a - x_a)^2 / se_a^2`` subject to ``|r| <= 1`` for every vector (last axis
    of length 3). Inside the ball the estimate is unchanged; outside, ``r_a = x_a/(1 + mu se_a^2)``
    with the multiplier ``mu > 0`` fixed by ``|r| = 1`` (found by a vectorised Newton iteration).

    Returns
    -------
    (projected, was_projected)

    Examples
    --------
    >>> r, moved = project_to_ball([[0.0, 0.0, 1.2]], [[0.1, 0.1, 0.1]])
    >>> r.round(12).tolist(), moved.tolist()
    ([[0.0, 0.0, 1.0]], [True])
    """
    x = as_real_array(raw, "raw")
    if x.ndim < 1 or x.shape[-1] != 3:
        raise ValueError(f"raw: expected Bloch vectors of shape (..., 3), got {x.shape}")
    try:
        s = np.broadcast_to(as_real_array(se, "se"), x.shape)
    except ValueError as exc:
        raise ValueError(f"se: {exc}; expected values broadcastable to {x.shape}") from None
    if np.any(s < 0):
        raise ValueError("se must be >= 0")
    # only the ratios of the weights within a vector matter: scale by the vector's largest se, so
    # se = 1e308 does not overflow in se^2 (equal se everywhere zero: a radial projection)
    smax = np.max(s, axis=-1, keepdims=True)
    w = np.where(smax > 0, s / np.where(smax > 0, smax, 1.0), 1.0) ** 2
    norm = np.linalg.norm(x, axis=-1)
    outside = norm > 1.0
    if not np.any(outside):
        return x.copy(), outside
    xo, wo = x[outside], np.broadcast_to(w, x.shape)[outside]
    # phi(mu) = sum_a x_a^2/(1 + mu w_a)^2 - 1 is convex and decreasing: Newton from mu = 0 converges.
    mu = np.zeros(xo.shape[0])
    for _ in range(100):
        den = 1.0 + mu[:, None] * wo
        phi = np.sum(xo**2 / den**2, axis=-1) - 1.0
        dphi = -2.0 * np.sum(xo**2 * wo / den**3, axis=-1)
        step = phi / dphi
        mu = mu - step
        if np.all(np.abs(step) <= 1e-14 * (1.0 + np.abs(mu))):
            break
    r = xo / (1.0 + mu[:, None] * wo)
    r /= np.maximum(np.linalg.norm(r, axis=-1, keepdims=True), 1.0)
    out = x.copy()
    out[outside] = r
    return out, outside


def _overlap_parts(r_up: NDArray[np.float64], r_down: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """c-independent pieces of the qubit Chernoff overlap: log eigenvalues and overlap weights."""
    a = np.minimum(np.sqrt(np.einsum("...a,...a->...", r_up, r_up)), 1.0)
    b = np.minimum(np.sqrt(np.einsum("...a,...a->...", r_down, r_down)), 1.0)
    dot = np.einsum("...a,...a->...", r_up, r_down)
    ab = a * b
    cos = np.where(ab > 0, np.clip(dot / np.where(ab > 0, ab, 1.0), -1.0, 1.0), 0.0)
    # log eigenvalues (1 +- a)/2; eigenvalues below 1e-13 are exact zeros, marked -inf
    small_a, small_b = (1.0 - a) / 2.0 <= ZERO_EIG, (1.0 - b) / 2.0 <= ZERO_EIG
    la_p, lb_p = np.log((1.0 + a) / 2.0), np.log((1.0 + b) / 2.0)
    la_m = np.where(small_a, -np.inf, np.log(np.where(small_a, 1.0, (1.0 - a) / 2.0)))
    lb_m = np.where(small_b, -np.inf, np.log(np.where(small_b, 1.0, (1.0 - b) / 2.0)))
    return la_p, la_m, lb_p, lb_m, (1.0 + cos) / 2.0, (1.0 - cos) / 2.0


def _overlap_from_parts(parts: tuple[NDArray[np.float64], ...], c: Any) -> NDArray[np.float64]:
    la_p, la_m, lb_p, lb_m, w_same, w_diff = parts
    c1 = 1.0 - c
    with np.errstate(invalid="ignore"):
        ap, bp = np.exp(c * la_p), np.exp(c1 * lb_p)
        am = np.exp(np.where(np.isinf(la_m), -np.inf, c * la_m))
        bm = np.exp(np.where(np.isinf(lb_m), -np.inf, c1 * lb_m))
    return w_same * (ap * bp + am * bm) + w_diff * (ap * bm + am * bp)


def bloch_chernoff_overlap(r_up: ArrayLike, r_down: ArrayLike, c: ArrayLike) -> NDArray[np.float64]:
    """Chernoff overlap ``Q(c) = tr(rho^c sigma^(1-c))`` of qubit states given by Bloch vectors.

    Closed form: with lengths ``a, b``, unit directions ``n, m`` and eigenvalues ``(1 +- a)/2``,
    ``Q(c) = sum_{i,j=+-1} (1 + i j n.m)/2 ((1 + i a)/2)^c ((1 + j b)/2)^(1-c)`` (zero eigenvalues
    contribute 0, also at c = 0, i.e. ``rho^0`` is the support projector). Broadcasts over leading
    axes of ``r_up``, ``r_down`` (last axis 3) and ``c``.

    Examples
    --------
    >>> round(float(bloch_chernoff_overlap([0, 0, 1], [1, 0, 0], 0.5)), 12)  # |<0|+>|^2
    0.5
    """
    ru, rd = as_real_array(r_up, "r_up"), as_real_array(r_down, "r_down")
    if ru.shape[-1:] != (3,) or rd.shape[-1:] != (3,):
        raise ValueError(f"r_up, r_down: Bloch vectors need a last axis of length 3, got {ru.shape} and {rd.shape}")
    if np.any(np.einsum("...a,...a->...", ru, ru) > 1 + 2e-12) or np.any(np.einsum("...a,...a->...", rd, rd) > 1 + 2e-12):
        raise ValueError("r_up, r_down: Bloch vector length must be in [0, 1]")
    cc = as_real_array(c, "c")
    if np.any(cc < 0) or np.any(cc > 1):
        raise ValueError("c must lie in [0, 1]")
    return _overlap_from_parts(_overlap_parts(ru, rd), cc)


def _min_mean_overlap(r_up: NDArray[np.float64], r_down: NDArray[np.float64], *, iters: int = 45) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``min_c mean_k Q_k(c)`` over c in [0, 1] for each leading batch entry (golden section; convex)."""
    parts = _overlap_parts(r_up, r_down)
    lo = np.zeros(r_up.shape[:-2])
    hi = np.ones(r_up.shape[:-2])

    def f(c: NDArray[np.float64]) -> NDArray[np.float64]:
        return _overlap_from_parts(parts, c[..., None]).mean(axis=-1)

    for _ in range(iters):
        x1 = hi - _GOLDEN * (hi - lo)
        x2 = lo + _GOLDEN * (hi - lo)
        left = f(x1) <= f(x2)
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
    c_mid = (lo + hi) / 2.0
    cands = np.stack([np.zeros_like(c_mid), np.ones_like(c_mid), c_mid])
    vals = np.stack([f(x) for x in cands])
    best = np.argmin(vals, axis=0)
    return np.take_along_axis(vals, best[None], 0)[0], np.take_along_axis(cands, best[None], 0)[0]


def typical_chernoff_bloch(r_up: ArrayLike, r_down: ArrayLike) -> tuple[Any, Any]:
    """Typical Chernoff information ``-ln min_c <Q_k(c)>_k`` (nats) from conditional Bloch vectors.

    Parameters
    ----------
    r_up, r_down : array_like, shape (..., N, 3)
        Conditional Bloch vectors of N spins; leading axes are batches (e.g. bootstrap replicates).

    Returns
    -------
    (xi, c_opt) : floats or arrays of the batch shape

    Examples
    --------
    >>> xi, c = typical_chernoff_bloch([[0, 0, 1], [0, 0, 1]], [[0, 0, -1], [0, 0, 1]])
    >>> round(float(xi), 12)  # mean overlap 1/2
    0.69314718056
    """
    ru = as_real_array(r_up, "r_up")
    rd = as_real_array(r_down, "r_down")
    if ru.shape != rd.shape or ru.ndim < 2 or ru.shape[-1] != 3:
        raise ValueError(f"r_up and r_down must both have shape (..., N, 3), got {ru.shape} and {rd.shape}")
    if np.any(np.linalg.norm(ru, axis=-1) > 1 + 1e-12) or np.any(np.linalg.norm(rd, axis=-1) > 1 + 1e-12):
        raise ValueError("Bloch vector length must be in [0, 1]")
    q, c = _min_mean_overlap(ru, rd)
    with np.errstate(divide="ignore"):
        xi = np.where(q > 0, -np.log(np.where(q > 0, q, 1.0)), np.inf)
    xi = np.maximum(xi, 0.0)
    return (float(xi), float(c)) if np.ndim(xi) == 0 else (xi, c)


__all__ = ["project_to_ball", "bloch_chernoff_overlap", "typical_chernoff_bloch"]
