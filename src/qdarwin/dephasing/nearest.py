"""Nearest physical data, bootstrap significance and inversion (``docs/dephasing.md``).

``nearest_physical`` solves the convex projection

    minimise  sum_{m<n} wG_mn (G_mn - G^_mn)^2 + wW_mn (w_mn - w^_mn)^2   s.t.  G(Gamma, omega) >= 0

by ADMM (default) or by factorised least squares (``G = L L^+``); both agree to < 1e-6.
``invert_rates`` turns observed rates and frequencies into canonical operators.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, Optional, cast

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from .._threads import blas_threads
from .._typing import FloatArray, Progress
from .canonical import _echelon_kernel
from .._checks import check_tolerance
from .constraints import ConstraintReport, _check_kernel
from .gram import _gram_kernel
from .methods import Admm, ProjectionMethod, projection_method
from ._scaling import pow2_scale, pow4_scale, unscale
from .model import validate_frequencies, validate_rates, validate_sigma



class NearestPhysical(NamedTuple):
    """Projected rates, frequencies (``None`` for rates-only input) and weighted distance."""

    gamma: FloatArray
    omega: Optional[FloatArray]
    distance: float


class BootstrapResult(NamedTuple):
    """Parametric-bootstrap significance of a violation (see docs/dephasing.md)."""

    p_value: float
    distance: float  #: observed weighted distance d_obs to the physical set
    null_distances: FloatArray  #: distances d_b of the B draws around the projected point


@dataclass(frozen=True)
class InversionResult:
    """Result of :func:`invert_rates`.

    ``V`` (N, r) canonical operators and ``h`` (N,) canonical-gauge Hamiltonian (``h_0 = 0``),
    both ``None`` for unphysical data unless ``project=True`` (then they describe the projected
    data ``projected_gamma``, ``projected_omega``).
    """

    physical: bool
    V: Optional[NDArray[np.complex128]]
    h: Optional[FloatArray]
    rank: Optional[int]
    report: ConstraintReport
    projected_gamma: Optional[FloatArray]
    projected_omega: Optional[FloatArray]
    distance: float = 0.0


# --------------------------------------------------------------------------- linear map x -> vec(G)


def _vec_herm(g: NDArray[np.complex128]) -> FloatArray:
    n = g.shape[-1]
    iu = np.triu_indices(n, 1)
    s2 = np.sqrt(2.0)
    return np.concatenate([np.real(np.diagonal(g)), s2 * g[iu].real, s2 * g[iu].imag])


def _mat_herm(v: FloatArray, n: int) -> NDArray[np.complex128]:
    iu = np.triu_indices(n, 1)
    p = len(iu[0])
    g = np.diag(v[:n]).astype(np.complex128)
    up = (v[n: n + p] + 1j * v[n + p:]) / np.sqrt(2.0)
    g[iu] = up
    g[(iu[1], iu[0])] = up.conj()
    return g


def _unpack(x: FloatArray, n_levels: int, with_omega: bool) -> tuple[FloatArray, FloatArray | None]:
    iu = np.triu_indices(n_levels, 1)
    p = len(iu[0])
    g = np.zeros((n_levels, n_levels))
    g[iu] = x[:p]
    g = g + g.T
    if not with_omega:
        return g, None
    w = np.zeros((n_levels, n_levels))
    w[iu] = x[p: 2 * p]
    return g, w - w.T


def _pack(g: FloatArray, w: FloatArray | None) -> FloatArray:
    iu = np.triu_indices(g.shape[0], 1)
    return g[iu] if w is None else np.concatenate([g[iu], w[iu]])


def _x_to_vecg(x: FloatArray, n_levels: int, with_omega: bool) -> FloatArray:
    g, w = _unpack(x, n_levels, with_omega)
    c = -(g + 1j * w) if w is not None else -g.astype(np.complex128)
    return _vec_herm(_gram_kernel(c))


def _linear_map(n_levels: int, with_omega: bool) -> FloatArray:
    p = n_levels * (n_levels - 1) // 2
    dim = 2 * p if with_omega else p
    eye = np.eye(dim)
    return np.stack([_x_to_vecg(eye[j], n_levels, with_omega) for j in range(dim)], axis=1)


def _psd_clip(v: FloatArray, n: int) -> FloatArray:
    w, u = np.linalg.eigh(_mat_herm(v, n))
    return _vec_herm((u * np.clip(w, 0.0, None)) @ u.conj().T)


def _admm(xhat: FloatArray, wts: FloatArray, a: FloatArray, n: int, *, tol: float = 1e-13, max_iter: int = 200000) -> FloatArray:
    d = wts / wts.mean()
    kmat = np.linalg.inv(np.diag(d) + a.T @ a)
    dx = d * xhat
    z = _psd_clip(a @ xhat, n)
    u = np.zeros_like(z)
    scale = max(1.0, float(np.max(np.abs(xhat))))
    x = xhat
    for _ in range(max_iter):
        x = kmat @ (dx + a.T @ (z - u))
        ax = a @ x
        z_new = _psd_clip(ax + u, n)
        u = u + ax - z_new
        r = float(np.linalg.norm(ax - z_new))
        s = float(np.linalg.norm(a.T @ (z_new - z)))
        z = z_new
        if r < tol * scale and s < tol * scale:
            break
    return x


def _lsq(xhat: FloatArray, wts: FloatArray, n_levels: int, with_omega: bool) -> FloatArray:
    n = n_levels - 1
    il = np.tril_indices(n)
    g_hat, w_hat = _unpack(xhat, n_levels, with_omega)
    c = -(g_hat + 1j * w_hat) if w_hat is not None else -g_hat.astype(np.complex128)
    gram = _gram_kernel(c)
    ev, uu = np.linalg.eigh(gram)
    sq = (uu * np.sqrt(np.clip(ev, 0.0, None))) @ uu.conj().T
    # NumPy's stubs type every ``qr`` overload as QRResult; mode="r" returns R alone
    r = cast(NDArray[np.complex128], np.linalg.qr(sq, mode="r"))
    l0 = r.conj().T
    sw = np.sqrt(wts)
    h0 = w_hat[1:, 0] if w_hat is not None else np.zeros(0)

    def model(p: FloatArray) -> FloatArray:
        k = len(il[0])
        lm = np.zeros((n, n), dtype=np.complex128)
        lm[il] = p[:k] + (1j * p[k: 2 * k] if with_omega else 0.0)
        gm = lm @ lm.conj().T
        dg = np.real(np.diagonal(gm))
        gam = np.zeros((n_levels, n_levels))
        gam[0, 1:] = gam[1:, 0] = dg / 2
        gam[1:, 1:] = 0.5 * (dg[:, None] + dg[None, :]) - gm.real
        np.fill_diagonal(gam, 0.0)
        if not with_omega:
            return _pack(gam, None)
        h = np.concatenate([[0.0], p[2 * k:]])
        phi = np.zeros((n_levels, n_levels))
        phi[1:, 1:] = -gm.imag
        om = h[:, None] - h[None, :] + phi
        return _pack(gam, om)

    p0 = np.concatenate([l0[il].real, l0[il].imag, h0]) if with_omega else l0[il].real.copy()
    sol = least_squares(lambda p: sw * (model(p) - xhat), p0, method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
    return model(sol.x)


def _nearest_kernel(
    xhat: FloatArray, wts: FloatArray, n_levels: int, with_omega: bool, method: ProjectionMethod, a: FloatArray | None = None
) -> tuple[FloatArray, float]:
    a = _linear_map(n_levels, with_omega) if a is None else a
    n = n_levels - 1
    lam = float(np.linalg.eigvalsh(_mat_herm(a @ xhat, n))[0])
    if lam >= -1e-14 * max(1.0, float(np.max(np.abs(xhat)))):
        return xhat.copy(), 0.0
    if isinstance(method, Admm):
        x = _admm(xhat, wts, a, n, tol=method.tol, max_iter=method.max_iter)
    else:
        x = _lsq(xhat, wts, n_levels, with_omega)
    return x, float(np.sqrt(np.sum(wts * (x - xhat) ** 2)))


def _weights(w: Any, n: int, name: str) -> FloatArray:
    if w is None:
        return np.ones((n, n))
    return validate_sigma(w, n, name, what="weights")


def nearest_physical(
    gamma: Any,
    omega: Any = None,
    weights_gamma: Any = None,
    weights_omega: Any = None,
    *,
    method: ProjectionMethod | Literal["admm", "lsq"] = "admm",
) -> NearestPhysical:
    """Closest physical (Gamma, omega) in the weighted least-squares sense (see docs/dephasing.md).

    Parameters
    ----------
    gamma : array_like, shape (N, N)
        Measured rates; negative estimates are accepted here.
    omega : array_like, shape (N, N), optional
        Measured total frequencies. ``None``: rates only (projects ``Re G``; ``omega`` returned as ``None``).
    weights_gamma, weights_omega : float or array_like, shape (N, N), optional
        Positive weights (typically ``1/sigma^2``); default 1.
    method : Admm(...), LeastSquares(), or "admm" / "lsq"
        ADMM on ``(x, Z >= 0)`` or factorised least squares ``G = L L^+``
        (see :mod:`qdarwin.dephasing.methods`).

    Returns
    -------
    NearestPhysical
        ``(gamma, omega, distance)`` with ``distance = sqrt(minimum)`` (0 for physical input).

    Examples
    --------
    >>> g = [[0, 1, 1], [1, 0, 4.5], [1, 4.5, 0]]
    >>> res = nearest_physical(g)
    >>> (res.gamma * 9).round(6).tolist()[0], round(res.distance, 6)
    ([0.0, 10.0, 10.0], 0.166667)
    """
    g = validate_rates(gamma, allow_negative=True)
    n = g.shape[0]
    om = None if omega is None else validate_frequencies(omega, n)
    how = projection_method(method)
    wg = _weights(weights_gamma, n, "weights_gamma")
    wo = _weights(weights_omega, n, "weights_omega")
    with_omega = om is not None
    f = pow2_scale(g, om)  # extreme magnitudes: exact power-of-2 rescaling, results in input units
    xhat = _pack(g, om) / f
    wts = _pack(wg, wo if with_omega else None)
    fw = pow2_scale(wts)
    x, dist = _nearest_kernel(xhat, wts / fw, n, with_omega, how)
    gp, wp = _unpack(unscale(x, f, "the projected rates"), n, with_omega)
    return NearestPhysical(gp, wp, float(unscale(unscale(dist, f, "the distance"), math.sqrt(fw) if fw != 1.0 else 1.0, "the distance")))


def bootstrap_p_value(
    gamma: Any,
    omega: Any,
    sigma_gamma: Any,
    sigma_omega: Any = None,
    *,
    n_boot: int = 200,
    rng: np.random.Generator,
    progress: Progress | None = None,
) -> BootstrapResult:
    """Parametric-bootstrap p-value of the distance to the physical set (see docs/dephasing.md).

    Projects the data with weights ``1/sigma^2`` (distance ``d_obs``), draws ``n_boot`` noisy
    copies ``x* + sigma eps`` of the projected point, and returns
    ``p = (1 + #{d_b >= d_obs}) / (1 + B)``. Small p: incompatible with any Markovian
    pure-dephasing model (or systematic errors). ``progress(done, n_boot, "bootstrap")`` is
    called after each draw when given.

    Examples
    --------
    >>> res = bootstrap_p_value([[0, 1.0], [1.0, 0]], None, 0.1, n_boot=9, rng=np.random.default_rng(0))
    >>> res.p_value, res.distance
    (1.0, 0.0)
    """
    g = validate_rates(gamma, allow_negative=True)
    n = g.shape[0]
    om = None if omega is None else validate_frequencies(omega, n)
    sg = validate_sigma(sigma_gamma, n, "sigma_gamma")
    with_omega = om is not None
    so = validate_sigma(sigma_omega, n, "sigma_omega") if with_omega and sigma_omega is not None else None
    if with_omega and so is None:
        raise ValueError("sigma_omega: required when omega is given")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer, got {n_boot!r}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")
    f = pow2_scale(g, om, sg, so)  # the distances are dimensionless: one common scale leaves them unchanged
    sig = _pack(sg, so) / f
    wts = 1.0 / sig**2
    if not np.all(np.isfinite(wts)):
        raise ValueError("sigma_gamma / sigma_omega: uncertainties too small relative to the rates (1/sigma^2 overflows)")
    xhat = _pack(g, om) / f
    a = _linear_map(n, with_omega)
    with blas_threads():
        xstar, d_obs = _nearest_kernel(xhat, wts, n, with_omega, Admm(), a)
        draws = xstar[None, :] + sig[None, :] * rng.standard_normal((int(n_boot), xhat.size))
        null = np.empty(len(draws))
        for b, xb in enumerate(draws):
            null[b] = _nearest_kernel(xb, wts, n, with_omega, Admm(), a)[1]
            if progress is not None:
                progress(b + 1, len(draws), "bootstrap")
    p = (1.0 + float(np.sum(null >= d_obs))) / (1.0 + int(n_boot))
    return BootstrapResult(p, d_obs, null)


def invert_rates(
    gamma: Any,
    omega: Any = None,
    rtol: float = 1e-10,
    project: bool = False,
    weights_gamma: Any = None,
    weights_omega: Any = None,
) -> InversionResult:
    """Canonical operators and Hamiltonian from observed rates and frequencies (see docs/dephasing.md).

    Physical data give ``V = [0; echelon_cholesky(G)]`` and ``h_n = omega_n0`` (``h = 0`` without
    ``omega``), reproducing Gamma and omega exactly. Unphysical data never raise: the result has
    ``physical=False`` and, with ``project=True``, the operators of the nearest physical data.

    Examples
    --------
    >>> res = invert_rates([[0, 1, 2], [1, 0, 1.5], [2, 1.5, 0]], [[0, 0, 0], [0, 0, 0.5], [0, -0.5, 0]])
    >>> res.physical, res.rank, res.V.round(6).tolist()[2]
    (True, 2, [(1.06066+0.353553j), (1.658312+0j)])
    """
    g = validate_rates(gamma)
    n = g.shape[0]
    om = None if omega is None else validate_frequencies(omega, n)
    rt = check_tolerance(rtol)
    report = _check_kernel(g, om, rt)
    if report.physical:
        target_g, target_w, dist = g, om, 0.0
        proj_g: FloatArray | None = None
        proj_w: FloatArray | None = None
    elif project:
        res = nearest_physical(g, om, weights_gamma, weights_omega)
        target_g, target_w, dist = res.gamma, res.omega, res.distance
        proj_g, proj_w = res.gamma, res.omega
    else:
        return InversionResult(False, None, None, None, report, None, None, 0.0)
    f = pow4_scale(target_g, target_w)  # G / f exact and sqrt(f) exact: L(G) = sqrt(f) L(G / f)
    c = -(target_g / f + 1j * target_w / f) if target_w is not None else -(target_g / f).astype(np.complex128)
    gram = _gram_kernel(c)
    gram = 0.5 * (gram + gram.conj().T)
    lmat = unscale(_echelon_kernel(gram, rt), math.sqrt(f), "the canonical operators")
    v = np.vstack([np.zeros((1, lmat.shape[1]), dtype=np.complex128), lmat])
    h = np.zeros(n) if target_w is None else target_w[:, 0].copy()
    return InversionResult(report.physical, v, h, int(lmat.shape[1]), report, proj_g, proj_w, dist)


__all__ = [
    "NearestPhysical",
    "BootstrapResult",
    "InversionResult",
    "nearest_physical",
    "bootstrap_p_value",
    "invert_rates",
]
