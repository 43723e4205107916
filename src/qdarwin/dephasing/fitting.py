"""Fitting dephasing rates and frequencies to measured coherence decay (``docs/dephasing.md``).

Each coherence is modelled as ``z(t) = A exp(-(Gamma + i omega) t)`` with complex amplitude A.
Initial values come from linear fits of ``ln|z|`` and of the unwrapped phase; the fit is refined
by nonlinear least squares on the stacked (Re, Im) residuals divided by sigma. Parameter errors
come from ``(J^T J)^-1``, scaled by the reduced chi^2 when sigma is not given.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from .._checks import as_array
from .._typing import FloatArray




class CoherenceFit(NamedTuple):
    """Fit of one coherence: rate, angular frequency, amplitude, their errors and the reduced chi^2."""

    gamma: float
    omega: float
    amplitude: complex
    sigma_gamma: float
    sigma_omega: float
    chi2_red: float


class RatesFit(NamedTuple):
    """Pairwise fits of a density-matrix time series (all ``(N, N)``; omega antisymmetric)."""

    gamma: FloatArray
    omega: FloatArray
    sigma_gamma: FloatArray
    sigma_omega: FloatArray
    chi2_red: FloatArray  #: reduced chi^2 per pair (about 1 for Markovian decay and correct sigma)
    population_drift: float  #: max |rho_mm(t) - rho_mm(t_0)|; pure dephasing keeps it ~ noise


def _validate_series(t: Any, z: Any) -> tuple[FloatArray, NDArray[np.complex128]]:
    tt = as_array(t, "t")
    if np.iscomplexobj(tt) or not np.issubdtype(tt.dtype, np.number) or tt.ndim != 1:
        raise ValueError("t: expected a 1-D array of real times")
    tt = tt.astype(np.float64)
    if not np.all(np.isfinite(tt)):
        raise ValueError("t: times must be finite")
    if tt.size < 3:
        raise ValueError(f"t: need at least 3 time points to fit, got {tt.size}")
    zz = as_array(z, "z")
    if not np.issubdtype(zz.dtype, np.number):
        raise ValueError("z: expected numbers")
    zz = zz.astype(np.complex128)
    if zz.shape != tt.shape:
        raise ValueError(f"z: shape {zz.shape} does not match t {tt.shape}")
    if not np.all(np.isfinite(zz)):
        raise ValueError("z: contains NaN or infinite entries")
    return tt, zz


def _validate_sig(sigma: Any, shape: tuple[int, ...], name: str = "sigma") -> Optional[FloatArray]:
    if sigma is None:
        return None
    s = as_array(sigma, name)
    if np.iscomplexobj(s) or not np.issubdtype(s.dtype, np.number):
        raise ValueError(f"{name}: must be real")
    try:
        s = np.broadcast_to(s.astype(np.float64), shape)
    except ValueError:
        raise ValueError(f"{name}: shape {s.shape} cannot be broadcast to {shape}") from None
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise ValueError(f"{name}: uncertainties must be finite and > 0")
    return np.array(s)


def _initial(t: FloatArray, z: NDArray[np.complex128], sig: FloatArray | None) -> FloatArray:
    a = np.abs(z)
    thresh = 3 * sig if sig is not None else 1e-12 * max(float(a.max()), 1e-300)
    mask: NDArray[np.bool_] | NDArray[np.intp] = a > thresh
    if mask.sum() < 2:
        mask = np.argsort(a)[-2:]
    tm, zm = t[mask], z[mask]
    w = np.abs(zm) ** 2
    # weighted linear fits: ln|z| = c - Gamma t ; arg z = phi0 - omega t
    design = np.stack([np.ones_like(tm), tm], axis=1) * np.sqrt(w)[:, None]
    sol_a = np.linalg.lstsq(design, np.log(np.abs(zm)) * np.sqrt(w), rcond=None)[0]
    order = np.argsort(tm)
    ph = np.empty_like(tm)
    ph[order] = np.unwrap(np.angle(zm[order]))
    sol_p = np.linalg.lstsq(design, ph * np.sqrt(w), rcond=None)[0]
    gamma0, omega0 = -sol_a[1], -sol_p[1]
    amp0 = np.exp(sol_a[0] + 1j * sol_p[0])
    return np.array([gamma0, omega0, amp0.real, amp0.imag])


def _fit_one(t: FloatArray, z: NDArray[np.complex128], sig: FloatArray | None) -> CoherenceFit:
    s = np.ones_like(t) if sig is None else sig
    p0 = _initial(t, z, sig)

    def resid(p: FloatArray) -> FloatArray:
        m = (p[2] + 1j * p[3]) * np.exp(-(p[0] + 1j * p[1]) * t)
        d = (m - z) / s
        return np.concatenate([d.real, d.imag])

    def jac(p: FloatArray) -> FloatArray:
        e = np.exp(-(p[0] + 1j * p[1]) * t)
        m = (p[2] + 1j * p[3]) * e
        cols = [-t * m, -1j * t * m, e, 1j * e]
        return np.stack([np.concatenate([(c / s).real, (c / s).imag]) for c in cols], axis=1)

    sol = least_squares(resid, p0, jac=jac, method="lm", xtol=1e-14, ftol=1e-14, gtol=1e-14, max_nfev=2000)
    r = sol.fun
    dof = max(r.size - 4, 1)
    chi2 = float(r @ r) / dof
    jm = sol.jac
    cov = np.linalg.pinv(jm.T @ jm)
    if sig is None:
        cov = cov * chi2
    err = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    return CoherenceFit(float(sol.x[0]), float(sol.x[1]), complex(sol.x[2] + 1j * sol.x[3]), float(err[0]), float(err[1]), chi2)


def fit_coherence(t: Any, z: Any, sigma: Any = None) -> CoherenceFit:
    """Fit ``z(t) = A exp(-(Gamma + i omega) t)`` to one measured coherence (see docs/dephasing.md).

    Parameters
    ----------
    t : array_like, shape (T,)
        Times (T >= 3).
    z : array_like, shape (T,), complex
        Measured coherence rho_mn(t).
    sigma : float or array_like, shape (T,), optional
        Standard error of Re z and Im z. If omitted, errors are scaled by the reduced chi^2.

    Returns
    -------
    CoherenceFit
        ``(gamma, omega, amplitude, sigma_gamma, sigma_omega, chi2_red)``; ``gamma`` may be a
        negative estimate.

    Examples
    --------
    >>> t = np.linspace(0, 2, 21)
    >>> fit = fit_coherence(t, 0.25 * np.exp(-(0.7 + 3.0j) * t))
    >>> round(fit.gamma, 9), round(fit.omega, 9)
    (0.7, 3.0)
    """
    tt, zz = _validate_series(t, z)
    return _fit_one(tt, zz, _validate_sig(sigma, tt.shape))


def fit_rates(times: Any, rho_series: Any, sigma: Any = None) -> RatesFit:
    """Fit every coherence of a density-matrix time series: Gamma_mn and omega_mn with errors.

    Parameters
    ----------
    times : array_like, shape (T,)
        Measurement times.
    rho_series : array_like, shape (T, N, N)
        Reconstructed density matrices (only the upper triangle m < n is used).
    sigma : float or array_like broadcastable to (T, N, N), optional
        Standard error of the real and imaginary parts of each element.

    Returns
    -------
    RatesFit
        ``gamma`` symmetric, ``omega`` antisymmetric (``omega_mn`` with ``rho_mn ~ e^{-i omega_mn t}``),
        errors, reduced chi^2 per pair and the population drift.

    Examples
    --------
    >>> from qdarwin.dephasing import evolve
    >>> t = np.linspace(0, 2, 15)
    >>> g = np.array([[0, 1.0, 2.0], [1.0, 0, 1.5], [2.0, 1.5, 0]])
    >>> fit = fit_rates(t, evolve(np.full((3, 3), 1 / 3), t, g))
    >>> fit.gamma.round(9).tolist()[0]
    [0.0, 1.0, 2.0]
    """
    tt = as_array(times, "times")
    rho = as_array(rho_series, "rho_series")
    if rho.ndim != 3 or rho.shape[1] != rho.shape[2] or rho.shape[1] < 2:
        raise ValueError(f"rho_series: expected shape (T, N, N) with N >= 2, got {tuple(rho.shape)}")
    if tt.ndim != 1 or tt.shape[0] != rho.shape[0]:
        raise ValueError(f"times: expected shape ({rho.shape[0]},) matching rho_series, got {tuple(tt.shape)}")
    if not np.issubdtype(rho.dtype, np.number) or not np.all(np.isfinite(rho)):
        raise ValueError("rho_series: contains NaN, infinite or non-numeric entries")
    sig = _validate_sig(sigma, rho.shape)
    n = rho.shape[1]
    out = {k: np.zeros((n, n)) for k in ("g", "w", "sg", "sw", "chi")}
    for m in range(n):
        for k in range(m + 1, n):
            tv, zv = _validate_series(tt, rho[:, m, k])
            fit = _fit_one(tv, zv, None if sig is None else sig[:, m, k])
            out["g"][m, k] = out["g"][k, m] = fit.gamma
            out["w"][m, k], out["w"][k, m] = fit.omega, -fit.omega
            out["sg"][m, k] = out["sg"][k, m] = fit.sigma_gamma
            out["sw"][m, k] = out["sw"][k, m] = fit.sigma_omega
            out["chi"][m, k] = out["chi"][k, m] = fit.chi2_red
    pops = np.real(np.diagonal(rho, axis1=1, axis2=2))
    order = np.argsort(np.asarray(tt, dtype=float))
    drift = float(np.max(np.abs(pops - pops[order[0]])))
    return RatesFit(out["g"], out["w"], out["sg"], out["sw"], out["chi"], drift)


__all__ = ["CoherenceFit", "RatesFit", "fit_coherence", "fit_rates"]
