"""Chebyshev propagation kernels used by :mod:`qdarwin.thermal.evolution` (Cao & Nussinov, arXiv:2603.15743).

:math:`e^{-iH\\tau} = e^{-ib\\tau}\\sum_k (2-\\delta_{k0})(-i)^k J_k(a\\tau)\\,T_k((H-b)/a)` with
a = (E_max - E_min)/2, b = (E_max + E_min)/2, truncated where |J_k(a tau)| < 1e-16 (k > a tau).

:func:`chebyshev_times` evaluates *several* requested times from one Chebyshev series: the
vectors T_k psi do not depend on tau, so every time tau_j of a window is the sum
sum_k c_k(tau_j) T_k psi, accumulated in blocks with one matrix product per block. A window
costs about a * (its time span) operator applications instead of
sum_j (a * dt_j + O((a dt_j)^{1/3})) for step-by-step propagation, and each time is
returned as soon as its own series has converged (streaming is kept).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray
from scipy.special import jv

from qdarwin._threads import blas_threads

ApplyFn = Callable[[NDArray[Any]], NDArray[Any]]

#: Chebyshev truncation: drop terms with |J_k(a dt)| below this (k > a dt).
CHEB_TOL = 1e-16
#: Largest a*tau covered by one series (longer spans are split).
CHEB_MAX_X = 2000.0
#: Relative margin added on each side of Lanczos spectral bounds.
LANCZOS_MARGIN = 0.02
#: Below this dimension the (safe, looser) Gershgorin / norm bounds are used directly.
LANCZOS_MIN_DIM = 400
#: Most times evaluated from one series.
MAX_WINDOW = 256
#: Most Chebyshev orders accumulated per matrix product.
KC_MAX = 32
#: Memory budget (bytes) for the per-time accumulators and for the block of T_k vectors.
ACC_BUDGET = 128 * 2**20


def cheb_length(x: float) -> int:
    """Number of Chebyshev terms for a*tau = x: up to the last |J_k(x)| >= CHEB_TOL (at least 2)."""
    k0 = int(x)
    kmax = int(x + 12.0 * max(x, 1.0) ** (1.0 / 3.0) + 40)
    tail = jv(np.arange(k0, kmax + 1), x)  # |J_k| decays monotonically beyond k = x
    big = np.flatnonzero(np.abs(tail) >= CHEB_TOL)
    last = k0 + int(big[-1]) if big.size else 0
    return max(last, 1) + 1


def cheb_coefficients(x: float) -> NDArray[np.float64]:
    """Bessel coefficients J_k(x), k < :func:`cheb_length` (x)."""
    return jv(np.arange(cheb_length(x)), x)


def gershgorin(mat: Any) -> tuple[float, float]:
    """Gershgorin interval of a sparse Hermitian matrix."""
    diag = mat.diagonal().real
    radius = np.asarray(abs(mat).sum(axis=1)).ravel() - np.abs(diag)
    return float(np.min(diag - radius)), float(np.max(diag + radius))


def tight_bounds(matvec: ApplyFn, dim: int, dtype: Any, fallback: tuple[float, float]) -> tuple[float, float]:
    """Extreme eigenvalues by Lanczos (ARPACK), widened by 2 % of the width on each side.

    Ritz values lie inside the spectrum, so the margin is what makes the interval safe; the
    result is clipped to the guaranteed ``fallback`` interval, which is also used for small
    dimensions or if ARPACK does not converge.
    """
    if dim < LANCZOS_MIN_DIM:
        return fallback
    op = spla.LinearOperator((dim, dim), matvec=matvec, dtype=dtype)
    v0 = np.random.default_rng(7).standard_normal(dim).astype(dtype)
    try:
        with blas_threads():
            lo = float(spla.eigsh(op, k=1, which="SA", tol=1e-6, v0=v0, return_eigenvectors=False)[0])
            hi = float(spla.eigsh(op, k=1, which="LA", tol=1e-6, v0=v0, return_eigenvectors=False)[0])
    except (spla.ArpackNoConvergence, spla.ArpackError):
        return fallback
    margin = LANCZOS_MARGIN * (hi - lo) + 1e-8 * max(abs(lo), abs(hi), 1.0)
    return max(lo - margin, fallback[0]), min(hi + margin, fallback[1])


def chebyshev_step(apply: ApplyFn, psi: NDArray[np.complex128], dt: float, emin: float,
                   emax: float) -> NDArray[np.complex128]:
    """exp(-i H dt) psi for a complex (or real-split) block; long intervals are split."""
    out = np.array(psi, dtype=np.complex128, copy=True)
    if dt == 0.0:
        return out
    a = 0.5 * (emax - emin)
    b = 0.5 * (emax + emin)
    n_sub = max(1, math.ceil(a * dt / CHEB_MAX_X))
    h = dt / n_sub
    coef = cheb_coefficients(a * h)
    phase = np.exp(-1j * b * h)
    inv_a = 1.0 / a

    def scaled(v: NDArray[np.complex128]) -> NDArray[np.complex128]:
        w = apply(v)
        w -= b * v
        w *= inv_a
        return w

    for _ in range(n_sub):
        t_prev = out
        acc = coef[0] * t_prev
        t_cur = scaled(t_prev)
        acc += (-2j * coef[1]) * t_cur
        fac = -2j
        for k in range(2, coef.size):
            t_next = scaled(t_cur)
            t_next *= 2.0
            t_next -= t_prev
            fac *= -1j
            acc += (fac * coef[k]) * t_next
            t_prev, t_cur = t_cur, t_next
        acc *= phase
        out = acc
    return out


def _weights(taus: NDArray[np.float64], a: float, k_lo: int, k_hi: int) -> NDArray[np.float64]:
    """Real weights (2 - delta_k0) s_k J_k(a tau_j) for k in [k_lo, k_hi); (-i)^k = s_k (1 or -i)."""
    ks = np.arange(k_lo, k_hi)
    w = jv(ks[None, :], a * taus[:, None])
    w[np.abs(w) < CHEB_TOL] = 0.0
    sign = np.array([1.0, 1.0, -1.0, -1.0])[ks % 4]
    w *= np.where(ks == 0, 1.0, 2.0) * sign
    return w


def chebyshev_times(matvec: ApplyFn, psi0: NDArray[np.complex128], times: NDArray[np.float64], emin: float,
                    emax: float, *, real: bool, axis: int, matrix: Any = None) -> Iterator[NDArray[np.complex128]]:
    """Yield exp(-i H t_j) psi0 for sorted times t_j >= 0, sharing one series per window.

    Parameters
    ----------
    matvec : callable
        H applied to a block shaped like the working block (real if ``real``).
    psi0 : ndarray, complex
        Start block (several state vectors).
    times : ndarray
        Sorted times >= 0, relative to psi0.
    emin, emax : float
        Interval containing the spectrum of H.
    real : bool
        H is real symmetric: the recurrence runs on [Re psi, Im psi] stacked along ``axis``,
        with even and odd orders accumulated separately ((-i)^k is real for even k).
    axis : int
        Axis of psi0 that enumerates the states (used for the real split).
    matrix : scipy.sparse matrix, optional
        H itself (acting on the first axis); the recurrence then uses the precomputed
        2 (H - b)/a, one sparse product and one subtraction per order.
    """
    a = 0.5 * (emax - emin)
    b = 0.5 * (emax + emin)
    inv_a = 1.0 / a
    start, t_start = np.array(psi0, dtype=np.complex128, copy=True), 0.0
    per_vec = 16 * psi0.size  # bytes of one working block (real split or complex)
    if 3 * per_vec > ACC_BUDGET:  # huge blocks: plain step-by-step propagation needs fewer buffers
        state, t_now = start, 0.0
        for t in times:
            state = chebyshev_step(matvec, state, float(t) - t_now, emin, emax)
            t_now = float(t)
            yield state.copy()
        return
    if matrix is not None:
        m2 = (matrix - b * sp.identity(matrix.shape[0], format="csr")).tocsr() * (2.0 * inv_a)

        def first(x: NDArray[Any], out: NDArray[Any]) -> None:
            np.multiply(m2 @ x, 0.5, out=out)

        def nxt(cur: NDArray[Any], prev: NDArray[Any], out: NDArray[Any]) -> None:
            np.subtract(m2 @ cur, prev, out=out)
    else:

        def first(x: NDArray[Any], out: NDArray[Any]) -> None:
            w = matvec(x)
            w -= b * x
            np.multiply(w, inv_a, out=out)

        def nxt(cur: NDArray[Any], prev: NDArray[Any], out: NDArray[Any]) -> None:
            w = matvec(cur)
            w -= b * cur
            w *= 2.0 * inv_a
            np.subtract(w, prev, out=out)

    w_max = int(min(MAX_WINDOW, max(1, ACC_BUDGET // (2 * per_vec))))
    kc_max = int(min(KC_MAX, ACC_BUDGET // per_vec))  # >= 3: the block is a ring buffer of T_k
    i = 0
    while i < times.size:
        tau0 = float(times[i]) - t_start
        if a * tau0 > CHEB_MAX_X:  # long gap: step there first
            start = chebyshev_step(matvec, start, tau0, emin, emax)
            t_start = float(times[i])
            continue
        j = i
        while j < times.size and j - i < w_max and a * (times[j] - t_start) <= CHEB_MAX_X:
            j += 1
        taus = times[i:j] - t_start
        n_terms = np.array([cheb_length(a * tau) for tau in taus])
        k_total = int(n_terms.max())
        weights = _weights(taus, a, 0, k_total)
        x0 = np.concatenate([start.real, start.imag], axis=axis) if real else start
        acc = np.zeros((taus.size, 2) + x0.shape) if real else np.zeros((taus.size,) + x0.shape, dtype=np.complex128)
        block = np.empty((kc_max,) + x0.shape, dtype=x0.dtype)
        t_prev: NDArray[Any] = x0
        t_cur: NDArray[Any] = x0
        done = 0
        last = start
        k = 0
        while k < k_total:
            kc = min(kc_max, k_total - k)
            for q in range(kc):
                kk = k + q
                if kk == 0:
                    block[q] = x0
                elif kk == 1:
                    first(x0, block[q])
                else:
                    nxt(t_cur, t_prev, block[q])
                t_prev, t_cur = t_cur, block[q]
            lo = done + int(np.count_nonzero(n_terms[done:] <= k))  # active times: the suffix [lo, T)
            if lo < taus.size:
                w = weights[lo:, k:k + kc]
                flat = block[:kc].reshape(kc, -1)
                parity = np.arange(k, k + kc) % 2
                with blas_threads():
                    if real:
                        for par in (0, 1):
                            sel = parity == par
                            if np.any(sel):
                                acc[lo:, par] += (w[:, sel] @ flat[sel]).reshape((taus.size - lo,) + x0.shape)
                    else:
                        wc = w * np.where(parity == 1, -1j, 1.0)
                        acc[lo:] += (wc @ flat).reshape((taus.size - lo,) + x0.shape)
            k += kc
            while done < taus.size and n_terms[done] <= k:
                last = _finish(acc[done], float(taus[done]), b, real, axis)
                done += 1
                yield last.copy()
        start = last
        t_start = float(times[j - 1])
        i = j


def _finish(acc: NDArray[Any], tau: float, b: float, real: bool, axis: int) -> NDArray[np.complex128]:
    """Combine the accumulated series into the complex state e^{-ib tau} (even - i odd) psi."""
    if real:
        e_re, e_im = np.split(acc[0], 2, axis=axis)
        o_re, o_im = np.split(acc[1], 2, axis=axis)
        out = np.empty(e_re.shape, dtype=np.complex128)
        out.real = e_re + o_im
        out.imag = e_im - o_re
    else:
        out = np.array(acc, dtype=np.complex128, copy=True)
    out *= np.exp(-1j * b * tau)
    return out
