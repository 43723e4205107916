"""Quantum Chernoff information of spin records (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578): closed forms and environment averages.

All Chernoff informations are in **nats**. For one spin the two conditional states have equal
Bloch length, so the optimal exponent is ``c* = 1/2`` and the per-spin overlap is
``Q_k(1/2) = 1 - lambda_k f_k(t) sin^2 theta_k(t)``. The environment-typical value is the
**log of the mean** overlap (:func:`typical_chernoff`); the mean of per-spin logs
(:func:`mean_of_logs`) is larger by Jensen's inequality and is provided under its own name.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize_scalar

from .._checks import as_density_matrices, validate_density_matrix
from ..info.chernoff import ZERO_EIG_RTOL, ChernoffResult
from .._checks import as_real_array, check_bloch_length
from .._typing import StateLike
from .model import SpinEnvironment, _phase, check_environment, _unit_vectors, _v_components
from ._common import scalar_or_array as _out


def _neg_log1m(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``-ln(1 - x)`` accurate for small x, ``inf`` at x = 1."""
    with np.errstate(divide="ignore"):
        return -np.log1p(-np.clip(x, 0.0, 1.0))


def mixedness_lambda(a: ArrayLike) -> Any:
    """Mixedness ``lambda = 1 - sqrt(1 - a^2)`` in [0, 1] (1 pure, 0 maximally mixed).

    Computed as ``a^2 / (1 + sqrt(1 - a^2))`` (no cancellation for small ``a``).

    Examples
    --------
    >>> round(mixedness_lambda(0.6), 12)
    0.2
    """
    aa = check_bloch_length(as_real_array(a, "a"))
    return _out(aa**2 / (1.0 + np.sqrt(1.0 - aa**2)))


def field_factor_f(g: ArrayLike, omega: ArrayLike, t: ArrayLike) -> Any:
    """``f(t) = sin^2(beta/2) = g^2 [w^2 sin^2(2wt) + 4 omega^2 sin^4(wt)] / w^4`` (dimensionless).

    ``beta`` is the rotation angle of ``V = U_down^dag U_up``; ``f = sin^2(2gt)`` at ``omega = 0``.
    Arguments broadcast; ``w = sqrt(g^2 + omega^2) = 0`` gives 0.

    Examples
    --------
    >>> import numpy as np
    >>> round(field_factor_f(0.5, 0.0, np.pi / 4), 12)  # sin^2(pi/4)
    0.5
    """
    gg, om, tt = as_real_array(g, "g"), as_real_array(omega, "omega"), as_real_array(t, "t")
    _, vy, vz = _v_components(gg, om, tt)
    return _out(vy * vy + vz * vz)


def insensitive_axis(g: ArrayLike, omega: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
    """Unit insensitive axis ``m(t)`` (rotation axis of ``U_down^dag U_up``), shape (..., 3).

    ``m ∝ (0, omega sin(wt), w cos(wt))``; its overall sign is irrelevant. For ``w = 0`` the
    axis is ``z`` (and irrelevant, since then ``f = 0``).

    Examples
    --------
    >>> insensitive_axis(1.0, 0.0, 0.3).tolist()
    [0.0, 0.0, 1.0]
    """
    gg, om, tt = as_real_array(g, "g"), as_real_array(omega, "omega"), as_real_array(t, "t")
    gg, om, tt = np.broadcast_arrays(gg, om, tt)
    w, wt = _phase(gg, om, tt)
    with np.errstate(over="ignore", invalid="ignore"):
        my = om * np.sin(wt)
        mz = np.where(w > 0, w * np.cos(wt), 1.0)
        norm = np.hypot(my, mz)
    bad = ~np.isfinite(norm)
    if np.any(bad):  # huge couplings: m is a direction, divide by w first
        scale = np.where(w > 0, w, 1.0)
        my = np.where(bad, om / scale * np.sin(wt), my)
        mz = np.where(bad, np.where(w > 0, np.cos(wt), 1.0), mz)
        norm = np.hypot(my, mz)
    return np.stack([np.zeros_like(my), my / norm, mz / norm], axis=-1)


def _spin_f_sin2(
    theta: NDArray[np.float64],
    phi: NDArray[np.float64],
    g: NDArray[np.float64],
    omega: NDArray[np.float64],
    t: NDArray[np.float64],
) -> NDArray[np.float64]:
    """``f sin^2 theta(t) = |v|^2 - (n.v)^2`` with ``v = sin(beta/2) m`` (robust, no division)."""
    _, vy, vz = _v_components(g, omega, t)
    n = _unit_vectors(theta, phi)
    ndv = n[..., 1] * vy + n[..., 2] * vz
    return np.clip(vy * vy + vz * vz - ndv * ndv, 0.0, 1.0)


def _lambda_f_sin2(a: ArrayLike, theta: ArrayLike, phi: ArrayLike, g: ArrayLike, omega: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
    """Validated ``lambda f sin^2 theta(t)`` per spin (``lambda = a^2/(1 + sqrt(1 - a^2))``, stable form)."""
    aa = check_bloch_length(as_real_array(a, "a"))
    lam = aa**2 / (1.0 + np.sqrt(1.0 - aa**2))
    fs = _spin_f_sin2(
        as_real_array(theta, "theta"),
        as_real_array(phi, "phi"),
        as_real_array(g, "g"),
        as_real_array(omega, "omega"),
        as_real_array(t, "t"),
    )
    return lam * fs


def spin_overlap(
    a: ArrayLike, theta: ArrayLike, phi: ArrayLike, g: ArrayLike, omega: ArrayLike, t: ArrayLike
) -> Any:
    """Per-spin Chernoff overlap ``Q_k(1/2) = 1 - lambda f(t) sin^2 theta(t)`` (dimensionless).

    Parameters
    ----------
    a : Bloch length in [0, 1]; theta, phi : initial direction (radians);
    g, omega : coupling and field; t : time. All broadcast.

    Examples
    --------
    >>> import numpy as np
    >>> round(spin_overlap(1.0, np.pi / 2, 0.0, 0.5, 0.0, np.pi / 4), 12)
    0.5
    """
    return _out(1.0 - _lambda_f_sin2(a, theta, phi, g, omega, t))


def spin_chernoff(
    a: ArrayLike, theta: ArrayLike, phi: ArrayLike, g: ArrayLike, omega: ArrayLike, t: ArrayLike
) -> Any:
    """Chernoff information of one spin's conditional states, ``-ln[1 - lambda f sin^2 theta(t)]`` (nats).

    Closed form by the robust route (components of ``U_down^dag U_up``);
    ``inf`` for orthogonal (pure, fully distinguished) records, 0 at ``t = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> round(spin_chernoff(1.0, np.pi / 2, 0.0, 0.5, 0.0, 15 * np.pi / 64), 12)
    0.599641227094
    """
    return _out(_neg_log1m(_lambda_f_sin2(a, theta, phi, g, omega, t)))


def _env_one_minus_overlap(env: SpinEnvironment, t: ArrayLike) -> NDArray[np.float64]:
    if not isinstance(env, SpinEnvironment):
        raise ValueError("env must be a SpinEnvironment")
    tt = as_real_array(t, "t")[..., None]
    return env.lam * _spin_f_sin2(env.theta, env.phi, env.g, env.omega, tt)


def typical_chernoff(env: SpinEnvironment, t: ArrayLike) -> Any:
    """Environment-typical Chernoff information ``-ln < 1 - lambda_k f_k sin^2 theta_k(t) >_k`` (nats).

    The **log of the mean** overlap at the common optimum ``c = 1/2`` (docs/spins-api.md): the
    estimator that matches exact fragment-averaged information.

    Parameters
    ----------
    env : SpinEnvironment
    t : float or array_like
        Time(s); an array gives an array of the same shape.

    Examples
    --------
    >>> env = SpinEnvironment(g=[0.5, 0.0])
    >>> import numpy as np
    >>> round(typical_chernoff(env, np.pi / 2), 12)  # mean overlap (0 + 1)/2
    0.69314718056
    """
    check_environment(env)
    return _out(_neg_log1m(_env_one_minus_overlap(env, t).mean(axis=-1)))


def mean_of_logs(env: SpinEnvironment, t: ArrayLike) -> Any:
    """Mean of the per-spin Chernoff informations ``< xi_k >_k`` (nats; >= :func:`typical_chernoff`).

    Not the default estimator: it over-predicts redundancy (docs/spins-api.md). ``inf`` if any spin
    records perfectly.

    Examples
    --------
    >>> env = SpinEnvironment(g=[0.5, 0.5], a=[1.0, 0.0])
    >>> import numpy as np
    >>> round(mean_of_logs(env, np.pi / 4), 12)  # (ln 2 + 0)/2
    0.34657359028
    """
    return _out(_neg_log1m(_env_one_minus_overlap(env, t)).mean(axis=-1))


def _batch_dms(x: Any, name: str) -> NDArray[np.complex128]:
    arr = as_density_matrices(x, name)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[-1] != arr.shape[-2] or arr.shape[0] < 1:
        raise ValueError(f"{name}: expected shape (N, d, d), got {arr.shape}")
    return np.stack([validate_density_matrix(r, f"{name}[{k}]") for k, r in enumerate(arr)])


def typical_chernoff_states(
    rhos_up: StateLike, rhos_down: StateLike, *, xatol: float = 1e-12
) -> ChernoffResult:
    """Typical Chernoff information of general per-spin conditional states (nats).

    ``xi = -ln min_{0<=c<=1} < Q_k(c) >_k`` with ``Q_k(c) = tr(rho_k^c sigma_k^{1-c})`` (one common
    ``c``, log of the mean), using the log-domain eigen-decomposition  (zero
    eigenvalues exact zeros, end points the one-sided limits).

    Parameters
    ----------
    rhos_up, rhos_down : array_like, shape (N, d, d)
        Conditional states of each spin (validated density matrices).
    xatol : float
        Tolerance of the bounded Brent minimisation.

    Returns
    -------
    ChernoffResult
        ``(xi, c_opt)``; ``xi = inf`` when every pair has orthogonal supports.

    Examples
    --------
    >>> import numpy as np
    >>> up = np.array([np.diag([1.0, 0.0]), np.diag([1.0, 0.0])])
    >>> down = np.array([np.diag([0.0, 1.0]), np.diag([1.0, 0.0])])
    >>> round(typical_chernoff_states(up, down).xi, 12)  # mean overlap 1/2
    0.69314718056
    """
    r = _batch_dms(rhos_up, "rhos_up")
    s = _batch_dms(rhos_down, "rhos_down")
    if r.shape != s.shape:
        raise ValueError(
            f"rhos_up and rhos_down must have the same shape, got {r.shape} and {s.shape}"
        )
    a, va = np.linalg.eigh(r)
    b, vb = np.linalg.eigh(s)
    a = np.where(a > ZERO_EIG_RTOL * a.max(axis=-1, keepdims=True), a, 0.0)
    b = np.where(b > ZERO_EIG_RTOL * b.max(axis=-1, keepdims=True), b, 0.0)
    w = np.abs(np.conj(np.swapaxes(va, -1, -2)) @ vb) ** 2  # (N, i, j)
    w = np.where((a[:, :, None] > 0) & (b[:, None, :] > 0), w, 0.0)
    with np.errstate(divide="ignore"):
        la, lb = np.log(a), np.log(b)

    def mean_q(c: float) -> float:
        ac = np.where(a > 0, np.exp(c * np.where(a > 0, la, 0.0)), 0.0)
        bc = np.where(b > 0, np.exp((1.0 - c) * np.where(b > 0, lb, 0.0)), 0.0)
        return float(np.einsum("ki,kij,kj->", ac, w, bc) / a.shape[0])

    def log_q(c: float) -> float:
        q = mean_q(c)
        return math.log(q) if q > 0 else -math.inf

    if mean_q(0.5) <= 0.0:
        return ChernoffResult(math.inf, math.nan)
    res = minimize_scalar(log_q, bounds=(0.0, 1.0), method="bounded", options={"xatol": xatol})
    val, c_opt = min([(log_q(0.0), 0.0), (log_q(1.0), 1.0), (float(res.fun), float(res.x))])
    return ChernoffResult(max(-val, 0.0), c_opt)


__all__ = [
    "field_factor_f",
    "insensitive_axis",
    "mean_of_logs",
    "mixedness_lambda",
    "spin_chernoff",
    "spin_overlap",
    "typical_chernoff",
    "typical_chernoff_states",
]
