"""Spin-environment model: conditional unitaries, conditional states, decoherence factors.

Conventions (Zwolak, Riedel, Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578; docs/spins-api.md): Pauli matrices (eigenvalues +-1), hbar = 1,
``H = sigma^z_S (x) sum_k g_k sigma^z_k + sum_k omega_k sigma^x_k``, basis ``|up> = (1, 0)``
(system label ``s = +1``), ``|down> = (0, 1)`` (``s = -1``). The decoherence factor is
``gamma_k = tr[U_up rho_k U_down^dag]`` so that ``rho_S^{up,down}(t) = rho_S^{up,down}(0) gamma``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import (
    as_density_matrices,
    as_real_array,
    check_bloch_length,
    check_coherence,
    check_probability,
    check_real_scalar,
    check_size,
    validate_density_matrix,
)
from .._typing import StateLike

_I2 = np.eye(2, dtype=complex)
_SX = np.array([[0, 1], [1, 0]], dtype=complex)
_SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
_SZ = np.array([[1, 0], [0, -1]], dtype=complex)

#: Most environment spins a :class:`SpinEnvironment` holds (5 per-spin float64 arrays: 4 GB).
MAX_SPINS = 100_000_000


def _phase(g: NDArray[np.float64], omega: NDArray[np.float64], t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(w, w t)`` with ``w = sqrt(g^2 + omega^2)``; a phase beyond float64 range is a ValueError."""
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.hypot(g, omega)
        wt = w * t
    if not np.all(np.isfinite(wt)):
        raise ValueError("g, omega, t: the phase sqrt(g^2 + omega^2) t overflows a float64")
    return w, wt


def _v_components(
    g: NDArray[np.float64], omega: NDArray[np.float64], t: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Components of ``V = U_down^dag U_up = cos(b/2) I - i sin(b/2) m.sigma``.

    Returns ``(cos(b/2), v_y, v_z)`` with ``v = sin(b/2) m`` (``v_x = 0``). Closed form:
    ``cos(b/2) = cos^2(wt) + S^2 (omega^2 - g^2)``, ``v_y = 2 S^2 g omega``, ``v_z = 2 cos(wt) S g``
    with ``S = sin(wt)/w``; no special cases (``w = 0`` gives ``V = I``).
    """
    w, wt = _phase(g, omega, t)
    cw = np.cos(wt)
    pos = w > 0
    with np.errstate(over="ignore", invalid="ignore"):
        s = np.where(pos, np.sin(wt) / np.where(pos, w, 1.0), t)  # sin(wt)/w -> t at w = 0
        cb = cw * cw + s * s * (omega * omega - g * g)
        vy = 2.0 * s * s * g * omega
        vz = 2.0 * cw * s * g
    bad = ~(np.isfinite(cb) & np.isfinite(vy) & np.isfinite(vz))
    if np.any(bad):  # huge t or couplings: S g and S omega are bounded by 1, multiply them first
        sg = np.where(pos, np.sin(wt) * (g / np.where(pos, w, 1.0)), 0.0)
        so = np.where(pos, np.sin(wt) * (omega / np.where(pos, w, 1.0)), 0.0)
        cb = np.where(bad, cw * cw + (so * so - sg * sg), cb)
        vy = np.where(bad, 2.0 * sg * so, vy)
        vz = np.where(bad, 2.0 * cw * sg, vz)
    return cb, vy, vz


def bloch_state(a: ArrayLike, theta: ArrayLike, phi: ArrayLike) -> NDArray[np.complex128]:
    """Qubit density matrix ``(I + a n.sigma)/2`` with ``n = (sin th cos ph, sin th sin ph, cos th)``.

    Parameters
    ----------
    a : float or array_like
        Bloch vector length in [0, 1] (1: pure).
    theta, phi : float or array_like
        Polar and azimuthal angles (radians). All three broadcast.

    Returns
    -------
    ndarray, shape (..., 2, 2), complex

    Raises
    ------
    ValueError
        "Bloch vector length must be in [0, 1]".

    Examples
    --------
    >>> bloch_state(1.0, 0.0, 0.0).real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    aa = check_bloch_length(as_real_array(a, "a"))
    th = as_real_array(theta, "theta")
    ph = as_real_array(phi, "phi")
    aa, th, ph = np.broadcast_arrays(aa, th, ph)
    nx, ny, nz = np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)
    rho = 0.5 * (
        _I2
        + aa[..., None, None]
        * (nx[..., None, None] * _SX + ny[..., None, None] * _SY + nz[..., None, None] * _SZ)
    )
    return rho


def conditional_unitary(
    s: ArrayLike, g: ArrayLike, omega: ArrayLike, t: ArrayLike
) -> NDArray[np.complex128]:
    """Single-spin unitary for system branch ``s``: ``U = exp[-i t (s g sigma^z + omega sigma^x)]``.

    Parameters
    ----------
    s : int or array_like
        System branch label, +1 (up) or -1 (down).
    g, omega : float or array_like
        Coupling and transverse field (units of inverse time).
    t : float or array_like
        Time (any real). All arguments broadcast.

    Returns
    -------
    ndarray, shape (..., 2, 2), complex; an SU(2) matrix.

    Examples
    --------
    >>> import numpy as np
    >>> u = conditional_unitary(1, 0.5, 0.0, np.pi / 2)  # exp(-i pi/4 sigma^z)
    >>> np.round(u.diagonal() * np.sqrt(2), 12).tolist()
    [(1-1j), (1+1j)]
    """
    ss = as_real_array(s, "s")
    if not np.all(np.isin(ss, (-1.0, 1.0))):
        raise ValueError("s must be +1 (up) or -1 (down)")
    gg, om, tt = as_real_array(g, "g"), as_real_array(omega, "omega"), as_real_array(t, "t")
    ss, gg, om, tt = np.broadcast_arrays(ss, gg, om, tt)
    w, wt = _phase(gg, om, tt)
    pos = w > 0
    cw = np.cos(wt)
    with np.errstate(over="ignore", invalid="ignore"):
        sn = tt * np.sinc(wt / np.pi)  # sin(wt)/w, the limit t at w = 0
        sg, so = sn * (ss * gg), sn * om
    bad = ~(np.isfinite(sg) & np.isfinite(so))
    if np.any(bad):  # huge t: sin(wt) (s g, omega)/w is bounded, divide by w first
        sg = np.where(bad, np.where(pos, np.sin(wt) * (ss * gg / np.where(pos, w, 1.0)), 0.0), sg)
        so = np.where(bad, np.where(pos, np.sin(wt) * (om / np.where(pos, w, 1.0)), 0.0), so)
    cw, sg, so = (x[..., None, None] for x in (cw, sg, so))
    return cw * _I2 - 1j * (sg * _SZ + so * _SX)


def conditional_states(
    rho0: StateLike, g: ArrayLike, omega: ArrayLike, t: ArrayLike
) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """Conditional spin states ``rho_{k|s}(t) = U_s rho0 U_s^dag`` for ``s = up, down``.

    Parameters
    ----------
    rho0 : array_like (2, 2) or (..., 2, 2), or qutip.Qobj
        Initial spin state(s) (validated).
    g, omega, t : float or array_like
        Coupling, field, time; broadcast against the batch shape of ``rho0``.

    Returns
    -------
    (rho_up, rho_down) : ndarrays of shape (..., 2, 2)

    Examples
    --------
    >>> import numpy as np
    >>> up, down = conditional_states(bloch_state(1, np.pi / 2, 0), 0.5, 0.0, np.pi / 2)
    >>> round(abs(float(np.trace(up @ down).real)), 12)  # Bloch vectors rotated by +-pi/2
    0.0
    """
    r = _validate_dm_batch(rho0, "rho0")
    out = []
    for s in (1, -1):
        u = conditional_unitary(s, g, omega, t)
        out.append(u @ r @ np.conj(np.swapaxes(u, -1, -2)))
    return out[0], out[1]


def _validate_dm_batch(rho: Any, name: str) -> NDArray[np.complex128]:
    arr = as_density_matrices(rho, name)
    if arr.ndim == 2:
        return validate_density_matrix(arr, name)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(
            f"not a valid density matrix: {name} must have shape (..., d, d), got {arr.shape}"
        )
    flat = arr.reshape(-1, arr.shape[-1], arr.shape[-1])
    return np.stack(
        [validate_density_matrix(x, f"{name}[{i}]") for i, x in enumerate(flat)]
    ).reshape(arr.shape)


def decoherence_factor(rho0: StateLike, g: ArrayLike, omega: ArrayLike, t: ArrayLike) -> Any:
    """Decoherence factor ``gamma = tr[U_up rho0 U_down^dag]`` of one spin (complex, dimensionless).

    Parameters
    ----------
    rho0 : array_like (2, 2) or (..., 2, 2)
        Initial spin state (validated).
    g, omega, t : float or array_like
        Coupling, field and time (broadcast).

    Returns
    -------
    complex or ndarray of complex

    Examples
    --------
    >>> import numpy as np
    >>> gam = decoherence_factor(bloch_state(1, np.pi / 2, 0), 0.5, 0.0, np.pi / 4)
    >>> round(abs(gam) ** 2, 12)  # 1 - sin^2(2 g t) = cos^2(pi/4)
    0.5
    """
    r = _validate_dm_batch(rho0, "rho0")
    u_up = conditional_unitary(1, g, omega, t)
    u_dn = conditional_unitary(-1, g, omega, t)
    val = np.trace(np.conj(np.swapaxes(u_dn, -1, -2)) @ u_up @ r, axis1=-2, axis2=-1)
    return complex(val) if np.ndim(val) == 0 else val


@dataclass(frozen=True, eq=False)
class SpinEnvironment:
    """N environment spins (per-spin ``a, theta, phi, g, omega``) and the system state ``(p, c)``.

    Attributes
    ----------
    a, theta, phi, g, omega : ndarray, shape (N,)
        Bloch length, polar and azimuthal angle of each initial spin state, coupling and field.
        Scalars broadcast to the common length.
    p : float
        System population of ``|up>`` (default 1/2).
    c : complex or None
        System coherence ``rho_S^{up,down}(0)``; ``None`` means a pure system, ``sqrt(p q)``.

    Raises
    ------
    ValueError
        Bloch length outside [0, 1], arrays of unequal length, N < 1, p outside [0, 1],
        ``|c|^2 > p q`` ("system state is not positive").

    Examples
    --------
    >>> env = SpinEnvironment.identical(3, a=0.6)
    >>> env.n_env, round(float(env.lam[0]), 12)
    (3, 0.2)
    """

    a: Any = 1.0
    theta: Any = math.pi / 2
    phi: Any = 0.0
    g: Any = 1.0
    omega: Any = 0.0
    p: float = 0.5
    c: complex | None = None

    def __post_init__(self) -> None:
        arrs = {
            k: np.atleast_1d(as_real_array(getattr(self, k), k))
            for k in ("a", "theta", "phi", "g", "omega")
        }
        for k, v in arrs.items():
            if v.ndim != 1:
                raise ValueError(
                    f"{k} must be a scalar or a 1-D per-spin array, got shape {v.shape}"
                )
        lengths = {k: v.size for k, v in arrs.items() if v.size != 1}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"per-spin arrays must have equal length, got {lengths}")
        n = next(iter(lengths.values()), 1)
        if n < 1:
            raise ValueError("the environment needs N >= 1 spins")
        arrs["a"] = check_bloch_length(arrs["a"])
        for k, v in arrs.items():
            full = np.broadcast_to(v, (n,)).copy()
            full.setflags(write=False)
            object.__setattr__(self, k, full)
        pv = check_probability(self.p)
        object.__setattr__(self, "p", pv)
        object.__setattr__(self, "c", check_coherence(self.c, pv))

    @classmethod
    def identical(
        cls,
        n_env: int,
        a: float = 1.0,
        theta: float = math.pi / 2,
        phi: float = 0.0,
        g: float = 1.0,
        omega: float = 0.0,
        p: float = 0.5,
        c: complex | None = None,
    ) -> SpinEnvironment:
        """``n_env`` identical spins (scalars only)."""
        n = check_size(n_env, "n_env", maximum=MAX_SPINS, what=" spins: 5 float64 arrays of n_env entries")
        vals = {}
        for k, v in (("a", a), ("theta", theta), ("phi", phi), ("g", g), ("omega", omega)):
            vals[k] = np.full(n, check_real_scalar(v, k))
        return cls(p=p, c=c, **vals)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SpinEnvironment:
        """Build from a mapping (e.g. a TOML table) with keys ``n_env?, a, theta, phi, g, omega, p, c``.

        Values may be scalars or per-spin lists; ``n_env`` fixes the length when all values are
        scalars (and must match list lengths otherwise). ``c`` may be a number or ``[re, im]``.
        Unknown keys raise ValueError naming them.
        """
        if not isinstance(data, Mapping):
            raise ValueError("spin environment description must be a mapping (table)")
        allowed = {"n_env", "a", "theta", "phi", "g", "omega", "p", "c"}
        unknown = sorted(str(k) for k in set(data) - allowed)
        if unknown:
            raise ValueError(
                f"unknown spin-environment keys: {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
            )
        kw: dict[str, Any] = {
            k: data[k] for k in ("a", "theta", "phi", "g", "omega", "p") if k in data
        }
        c = data.get("c")
        if isinstance(c, (list, tuple)):
            if len(c) != 2:
                raise ValueError("c as a list must be [real, imag]")
            c = complex(check_real_scalar(c[0], "c (real part)"), check_real_scalar(c[1], "c (imaginary part)"))
        kw["c"] = c
        if "n_env" in data:
            n = check_size(data["n_env"], "n_env", maximum=MAX_SPINS, what=" spins: 5 float64 arrays of n_env entries")
            for k in ("a", "theta", "phi", "g", "omega"):
                if k in kw:
                    v = np.atleast_1d(np.asarray(kw[k]))
                    if v.size != 1 and v.size != n:
                        raise ValueError(f"{k} has {v.size} entries but n_env = {n}")
                    if v.size == 1:
                        kw[k] = np.full(int(n), as_real_array(v, k)[0])
            if not any(
                np.atleast_1d(np.asarray(kw.get(k, 0.0))).size == n
                for k in ("a", "theta", "phi", "g", "omega")
            ):
                kw["g"] = np.full(int(n), 1.0)
        return cls(**kw)

    @property
    def n_env(self) -> int:
        """Number of environment spins N."""
        return int(self.a.size)

    @property
    def lam(self) -> NDArray[np.float64]:
        """Mixedness ``lambda = 1 - sqrt(1 - a^2)`` of each spin (1 pure, 0 maximally mixed)."""
        return self.a**2 / (1.0 + np.sqrt(1.0 - self.a**2))

    @property
    def bloch_vectors(self) -> NDArray[np.float64]:
        """Initial Bloch vectors ``a n``, shape (N, 3)."""
        return self.a[:, None] * _unit_vectors(self.theta, self.phi)

    def spin_states(self) -> NDArray[np.complex128]:
        """Initial spin density matrices, shape (N, 2, 2)."""
        return bloch_state(self.a, self.theta, self.phi)

    def system_state(self) -> NDArray[np.complex128]:
        """Initial system density matrix ``[[p, c], [c*, q]]``."""
        assert self.c is not None
        return np.array([[self.p, self.c], [np.conj(self.c), 1.0 - self.p]], dtype=complex)


def _unit_vectors(theta: NDArray[np.float64], phi: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.stack(
        [np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], axis=-1
    )


def check_environment(env: Any, name: str = "env") -> SpinEnvironment:
    """``env`` if it is a :class:`SpinEnvironment`, else a ValueError naming ``name``.

    Examples
    --------
    >>> check_environment(SpinEnvironment(g=[1.0])).n_env
    1
    """
    if not isinstance(env, SpinEnvironment):
        raise ValueError(f"{name} must be a qdarwin.spins.SpinEnvironment, got {type(env).__name__}")
    return env


def decoherence_factors(env: SpinEnvironment, t: ArrayLike) -> NDArray[np.complex128]:
    """Per-spin decoherence factors ``gamma_k(t) = tr[U_up rho_k U_down^dag]`` (closed form).

    Parameters
    ----------
    env : SpinEnvironment
    t : float or array_like, shape (T...)
        Time(s), any real.

    Returns
    -------
    ndarray, shape (T..., N), complex

    Notes
    -----
    :math:`\\gamma_k = \\cos(\\beta/2) - i a_k\\, n_k \\cdot \\sin(\\beta/2)\\hat m`, with the components
    of :math:`V = U_\\downarrow^\\dagger U_\\uparrow` in closed form (see ``_v_components``).

    Examples
    --------
    >>> import numpy as np
    >>> env = SpinEnvironment.identical(2, g=0.5)
    >>> np.round(np.abs(decoherence_factors(env, np.pi / 4)) ** 2, 12).tolist()
    [0.5, 0.5]
    """
    check_environment(env)
    tt = as_real_array(t, "t")[..., None]
    cb, vy, vz = _v_components(env.g, env.omega, tt)
    nvec = _unit_vectors(env.theta, env.phi)
    return cb - 1j * env.a * (nvec[:, 1] * vy + nvec[:, 2] * vz)


__all__ = [
    "SpinEnvironment",
    "bloch_state",
    "conditional_states",
    "conditional_unitary",
    "decoherence_factor",
    "decoherence_factors",
]
