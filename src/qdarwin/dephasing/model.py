"""Pure-dephasing model: rates, shifts, frequencies, Liouvillian, closed-form evolution.

Conventions (``docs/dephasing.md``): hbar = 1; levels 0 ... N-1; Hamiltonian
``H = diag(lam)``; dephasing operators ``V_k = diag(W[:, k])`` passed as one complex matrix
``W`` of shape ``(N, K)``. Rates and angular frequencies share one unit (e.g. 1/us, rad/us).
Each coherence evolves as ``rho_mn(t) = rho_mn(0) exp(-(Gamma_mn + i omega_mn) t)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import as_array, as_density_matrix, as_real_array, check_finite, check_real_scalar, is_qobj
from .._typing import ComplexArray, FloatArray
from ._scaling import pow2_scale, unscale

#: Absolute and relative tolerances for symmetry / zero-diagonal checks (see docs/dephasing.md).
SYM_ATOL = 1e-12
SYM_RTOL = 1e-9
#: Largest output array :func:`evolve` allocates (bytes).
MAX_BYTES = 2**31
# --------------------------------------------------------------------------- validation


def _diagonal_of(op: Any, name: str) -> ComplexArray:
    """The diagonal of a diagonal operator given as a ``qutip.Qobj`` (refuses off-diagonal ones)."""
    m = as_array(op, name).astype(np.complex128)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"{name}: expected a square operator, got shape {tuple(m.shape)}")
    check_finite(m, name)
    off = m - np.diag(np.diag(m))
    if np.any(np.abs(off) > SYM_ATOL + SYM_RTOL * float(np.max(np.abs(m), initial=0.0))):
        raise ValueError(f"{name}: dephasing operators must be diagonal in the energy basis")
    return np.diag(m).copy()


def validate_operators(w: Any, name: str = "W") -> ComplexArray:
    """Validate dephasing operators ``W`` (1-D: one operator; 2-D: ``(N, K)``) -> complex (N, K).

    Also accepts a diagonal ``qutip.Qobj`` operator or a list of them (the operators ``V_k``
    themselves; their diagonals become the columns of ``W``).

    Examples
    --------
    >>> validate_operators([0.0, 1.0, 2.0]).shape
    (3, 1)
    """
    if is_qobj(w):
        w = _diagonal_of(w, name)
    elif isinstance(w, (list, tuple)) and w and all(is_qobj(v) for v in w):
        w = np.stack([_diagonal_of(v, f"{name}[{k}]") for k, v in enumerate(w)], axis=1)
    arr = as_array(w, name)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected shape (N,) or (N, K), got {tuple(arr.shape)}")
    if arr.shape[0] < 2:
        raise ValueError(f"{name}: need N >= 2 levels, got N = {arr.shape[0]}")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name}: expected numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.complex128)
    check_finite(arr, name)
    return arr


def _real_square(x: Any, name: str, *, batch: bool = False) -> FloatArray:
    arr = as_array(x, name)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name}: expected numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        if np.any(arr.imag != 0):
            raise ValueError(f"{name}: must be real, got complex entries with non-zero imaginary part")
        arr = arr.real
    arr = arr.astype(np.float64)
    ok = arr.ndim >= 2 if batch else arr.ndim == 2
    if not ok or arr.shape[-1] != arr.shape[-2]:
        want = "(..., N, N)" if batch else "(N, N)"
        raise ValueError(f"{name}: expected a square matrix of shape {want}, got {tuple(arr.shape)}")
    if arr.shape[-1] < 2:
        raise ValueError(f"{name}: need N >= 2 levels, got N = {arr.shape[-1]}")
    check_finite(arr, name)
    return arr


def _sym_tol(arr: FloatArray) -> FloatArray:
    scale = np.max(np.abs(arr), axis=(-2, -1)) if arr.size else np.zeros(arr.shape[:-2])
    return SYM_ATOL + SYM_RTOL * scale


def _pair(idx: tuple[int | np.integer[Any], ...]) -> str:
    return f"({idx[-2]}, {idx[-1]})" if len(idx) == 2 else str(idx)


def validate_rates(gamma: Any, name: str = "gamma", *, allow_negative: bool = False, batch: bool = False) -> FloatArray:
    """Validate a rate matrix Gamma (see docs/dephasing.md) and return it symmetrised.

    Real, square ``(N, N)`` (or ``(..., N, N)`` with ``batch=True``), N >= 2, finite, symmetric
    and with zero diagonal within ``1e-12 + 1e-9 max|Gamma|``, off-diagonal >= -tol (unless
    ``allow_negative``; the fitting and projection routines accept negative estimates).

    Raises
    ------
    ValueError
        Naming the problem: non-square, complex, NaN/inf, asymmetric (worst pair), non-zero
        diagonal, negative rate (pair and value).

    Examples
    --------
    >>> validate_rates([[0, 1.0], [1.0, 0]]).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    g = _real_square(gamma, name, batch=batch)
    tol = _sym_tol(g)[..., None, None]
    asym = np.abs(g - np.swapaxes(g, -1, -2))
    bad = asym > tol
    if np.any(bad):
        idx = np.unravel_index(int(np.argmax(np.where(bad, asym, -1.0))), g.shape)
        raise ValueError(
            f"{name}: not symmetric; worst pair {_pair(idx)} differs by {float(asym[idx]):.3g}"
        )
    diag = np.abs(np.diagonal(g, axis1=-2, axis2=-1))
    if np.any(diag > tol[..., 0]):
        idx = np.unravel_index(int(np.argmax(diag)), diag.shape)
        raise ValueError(f"{name}: diagonal must be zero, got {name}[{idx[-1]},{idx[-1]}] = {float(diag[idx]):.3g}")
    g = 0.5 * (g + np.swapaxes(g, -1, -2))
    n = g.shape[-1]
    g[..., np.arange(n), np.arange(n)] = 0.0
    if not allow_negative:
        neg = g < -tol
        if np.any(neg):
            idx = np.unravel_index(int(np.argmin(np.where(neg, g, 0.0))), g.shape)
            raise ValueError(f"{name}: negative rate {name}{_pair(idx)} = {float(g[idx]):.6g}")
    return g


def validate_frequencies(omega: Any, n: int, name: str = "omega", *, batch_shape: tuple[int, ...] = ()) -> FloatArray:
    """Validate an antisymmetric real frequency (or shift) matrix of shape ``(N, N)``.

    Examples
    --------
    >>> validate_frequencies([[0, 2.0], [-2.0, 0]], 2).tolist()
    [[0.0, 2.0], [-2.0, 0.0]]
    """
    w = _real_square(omega, name, batch=bool(batch_shape))
    if w.shape[-1] != n or (batch_shape and w.shape[:-2] != batch_shape):
        raise ValueError(f"{name}: shape {tuple(w.shape)} does not match gamma {(*batch_shape, n, n)}")
    tol = _sym_tol(w)[..., None, None]
    err = np.abs(w + np.swapaxes(w, -1, -2))
    bad = err > tol
    if np.any(bad):
        idx = np.unravel_index(int(np.argmax(np.where(bad, err, -1.0))), w.shape)
        raise ValueError(
            f"{name}: not antisymmetric (omega_mn must equal -omega_nm); worst pair {_pair(idx)} off by {float(err[idx]):.3g}"
        )
    w = 0.5 * (w - np.swapaxes(w, -1, -2))
    return w


def validate_sigma(sigma: Any, n: int, name: str, *, what: str = "uncertainties") -> FloatArray:
    """Validate an uncertainty (or weight) matrix: scalar (broadcast) or ``(N, N)``, finite, > 0 off the diagonal."""
    arr = as_array(sigma, name)
    if arr.ndim == 0:
        arr = np.full((n, n), float(check_scalar_float(arr, name)))
    arr = _real_square(arr, name)
    if arr.shape != (n, n):
        raise ValueError(f"{name}: shape {tuple(arr.shape)} does not match gamma {(n, n)}")
    off = ~np.eye(n, dtype=bool)
    if np.any(arr[off] <= 0):
        raise ValueError(f"{name}: {what} must be > 0 off the diagonal")
    arr = 0.5 * (arr + arr.T)
    np.fill_diagonal(arr, 0.0)
    return arr


def check_scalar_float(x: Any, name: str) -> float:
    """A finite real scalar (also accepts 0-d arrays)."""
    return check_real_scalar(as_array(x, name), name)


def validate_times(t: Any, name: str = "t") -> FloatArray:
    """Times: real scalar or 1-D array, finite and >= 0 (the dynamics only runs forward)."""
    arr = as_array(t, name)
    if np.iscomplexobj(arr) or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name}: times must be real numbers")
    arr = arr.astype(np.float64)
    if arr.ndim > 1:
        raise ValueError(f"{name}: expected a scalar or 1-D array of times, got shape {tuple(arr.shape)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: times must be finite")
    if np.any(arr < 0):
        raise ValueError(f"{name}: times must be >= 0 (the dynamics only runs forward), got {float(arr.min()):.6g}")
    return arr


# --------------------------------------------------------------------------- kernels


def _rates_kernel(w: ComplexArray) -> tuple[FloatArray, FloatArray]:
    f = pow2_scale(w)
    if f != 1.0:
        g, dw = _rates_kernel(w / f)
        return unscale(g, f, "the rates from W", power=2), unscale(dw, f, "the frequency shifts from W", power=2)
    m = w @ w.conj().T
    d = np.real(np.diag(m))
    gamma = 0.5 * (d[:, None] + d[None, :]) - m.real
    np.fill_diagonal(gamma, 0.0)
    gamma = np.clip(0.5 * (gamma + gamma.T), 0.0, None)
    domega = -m.imag
    domega = 0.5 * (domega - domega.T)
    return gamma, domega


def rates_from_operators(w: Any) -> tuple[FloatArray, FloatArray]:
    """Dephasing rates and dissipative frequency shifts of diagonal Lindblad operators.

    Parameters
    ----------
    w : array_like, shape (N, K) or (N,)
        Column k holds the diagonal of ``V_k`` (complex allowed); a 1-D array is one operator.

    Returns
    -------
    gamma : ndarray, shape (N, N)
        ``Gamma_mn = 1/2 sum_k |a_mk - a_nk|^2`` (symmetric, zero diagonal; units of rate).
    domega : ndarray, shape (N, N)
        ``Delta omega_mn = -sum_k Im(a_mk a_nk^*)`` (antisymmetric; angular frequency).

    Raises
    ------
    ValueError
        Malformed ``w`` (shape, NaN/inf, text), or rates that overflow float64
        (``max|W|`` above about 1e154): express the data in a larger time unit.

    Notes
    -----
    Extreme magnitudes are evaluated rescaled by a power of two (exact), so ``W * c`` gives
    ``c**2`` times the rates of ``W`` whenever both are representable.
    With ``M = W W^dagger``: :math:`\\Gamma_{mn} = (M_{mm}+M_{nn})/2 - \\mathrm{Re}\\,M_{mn}`,
    :math:`\\Delta\\omega_{mn} = -\\mathrm{Im}\\,M_{mn}`, and
    :math:`\\rho_{mn}(t) \\propto e^{-(\\Gamma_{mn} + i\\omega_{mn})t}` (see docs/dephasing.md).

    Examples
    --------
    >>> g, dw = rates_from_operators([[0.5, 0.2j], [1 + 0.5j, -0.3], [0, 0.8 + 0.1j]])
    >>> round(float(g[0, 1]), 12), round(float(dw[0, 1]), 12)
    (0.315, 0.31)
    """
    return _rates_kernel(validate_operators(w))


def frequencies(lam: Any, w: Any) -> FloatArray:
    """Total angular frequencies ``omega_mn = lam_m - lam_n + Delta omega_mn`` (see docs/dephasing.md).

    Parameters
    ----------
    lam : array_like, shape (N,)
        Diagonal of the Hamiltonian (angular frequency units, hbar = 1).
    w : array_like, shape (N, K)
        Dephasing operators.

    Examples
    --------
    >>> float(frequencies([1.0, 0.0], [[0.0], [0.0]])[0, 1])
    1.0
    """
    wv = validate_operators(w)
    lam_arr = _validate_lam(lam, wv.shape[0])
    _, domega = _rates_kernel(wv)
    f = pow2_scale(lam_arr, domega)
    out = (lam_arr[:, None] / f - lam_arr[None, :] / f) + domega / f
    return unscale(out, f, "the frequencies lam_m - lam_n + Delta omega_mn")


def _validate_lam(lam: Any, n: int) -> FloatArray:
    arr = as_array(lam, "lam")
    if np.iscomplexobj(arr):
        if np.any(arr.imag != 0):
            raise ValueError("lam: Hamiltonian eigenvalues must be real")
        arr = arr.real
    arr = as_real_array(arr, "lam")
    if arr.shape != (n,):
        raise ValueError(f"lam: expected shape ({n},) matching W, got {tuple(arr.shape)}")
    return arr


def liouvillian(lam: Any, w: Any) -> ComplexArray:
    """The Lindblad generator as an ``(N^2, N^2)`` matrix on column-stacked ``vec(rho)``.

    Built from the master equation ``-i[H, rho] + sum_k (V rho V^+ - {V^+ V, rho}/2)`` with
    ``vec(A X B) = (B^T kron A) vec(X)``; element ``(m, n)`` of rho sits at index ``m + n N``.
    For diagonal operators the result is diagonal with entries ``-(Gamma_mn + i omega_mn)``.

    Examples
    --------
    >>> L = liouvillian([0.0, 0.0], [[0.0], [1.0]])
    >>> complex(L[2, 2])  # element (0, 1): -(Gamma_01) = -1/2
    (-0.5+0j)
    """
    wv = validate_operators(w)
    n = wv.shape[0]
    lam_arr = _validate_lam(lam, n)
    if 16 * n**4 > MAX_BYTES:
        raise ValueError(f"refusing to allocate {16 * n**4 / 2**30:.3g} GiB for the (N^2, N^2) Liouvillian (N = {n}); use rates_from_operators")
    eye = np.eye(n, dtype=np.complex128)
    h = np.diag(lam_arr).astype(np.complex128)
    out = -1j * (np.kron(eye, h) - np.kron(h.T, eye))
    for k in range(wv.shape[1]):
        v = np.diag(wv[:, k])
        vdv = v.conj().T @ v
        out += np.kron(v.conj(), v) - 0.5 * np.kron(eye, vdv) - 0.5 * np.kron(vdv.T, eye)
    if not np.all(np.isfinite(out)):
        raise ValueError("the Liouvillian overflows float64 (|entries| > 1.8e308); express lam and W in a larger time unit")
    return out


def evolve(rho0: Any, t: Any, gamma: Any, omega: Any = None) -> ComplexArray:
    """Closed-form pure-dephasing evolution ``rho_mn(t) = rho_mn(0) exp(-(Gamma_mn + i omega_mn) t)``.

    Parameters
    ----------
    rho0 : array_like or qutip.Qobj, shape (N, N) or (N,)
        Initial density matrix (or a normalised ket).
    t : float or array_like, shape (T,)
        Times (>= 0), in the inverse unit of the rates.
    gamma : array_like, shape (N, N)
        Rates (symmetric, zero diagonal, >= 0).
    omega : array_like, shape (N, N), optional
        Total angular frequencies (antisymmetric); zero if omitted.

    Returns
    -------
    ndarray
        ``(N, N)`` for scalar ``t``, else ``(T, N, N)``.

    Examples
    --------
    >>> r = evolve([[0.5, 0.5], [0.5, 0.5]], 1.0, [[0, 2.0], [2.0, 0]])
    >>> round(float(r[0, 1].real), 12) == round(0.5 * float(np.exp(-2.0)), 12)
    True
    """
    rho = as_density_matrix(rho0, "rho0")
    n = rho.shape[0]
    g = validate_rates(gamma)
    if g.shape[0] != n:
        raise ValueError(f"gamma: shape {g.shape} does not match rho0 {rho.shape}")
    om = np.zeros((n, n)) if omega is None else validate_frequencies(omega, n)
    n_times = int(np.size(as_array(t, "t")))  # size first: validating 10**9 times would copy them
    nbytes = 16 * max(n_times, 1) * n * n
    if nbytes > MAX_BYTES:
        raise ValueError(
            f"refusing to allocate {nbytes / 2**30:.1f} GiB for rho(t) ({n_times} times, N = {n}); evaluate fewer times per call"
        )
    times = validate_times(t)
    tt = times[..., None, None]
    with np.errstate(over="ignore", invalid="ignore"):
        gen_t = -(g + 1j * om) * tt
        if np.all(np.isfinite(gen_t)):
            return rho * np.exp(gen_t)
        decay = np.exp(-(g * tt))  # g t = inf (huge rates) decays to exactly 0
        phase = om * tt
    alive = decay > 0
    if np.any(alive & ~np.isfinite(phase)):
        raise ValueError("omega * t overflows float64; express omega and t in other units")
    return rho * decay * np.exp(-1j * np.where(alive, phase, 0.0))


def gauge_transform(
    lam: Any, w: Any, *, mixing: Any = None, shift: Any = None
) -> tuple[FloatArray, ComplexArray]:
    """Apply the two gauge transformations of docs/dephasing.md; the dynamics (Gamma, omega) are unchanged.

    1. Unitary mixing: pad ``W`` with zero columns to the size K' of ``mixing`` (a K' x K'
       unitary, K' >= K) and set ``W' = [W, 0] mixing^T``.
    2. Identity shift (after mixing): ``V_k -> V_k + alpha_k 1`` with
       ``lam_m -> lam_m + sum_k Im(alpha_k^* a_mk)`` (``a`` = entries before the shift).

    Parameters
    ----------
    lam : array_like, shape (N,)
        Hamiltonian diagonal.
    w : array_like, shape (N, K)
        Dephasing operators.
    mixing : array_like, shape (K', K'), optional
        Unitary with K' >= K.
    shift : array_like, shape (K',), optional
        Complex identity shifts alpha_k (K' = number of operators after mixing).

    Returns
    -------
    lam', W' : the transformed Hamiltonian diagonal and operators.

    Examples
    --------
    >>> lam2, w2 = gauge_transform([0.0, 1.0], [[0.0], [1.0]], shift=[0.5j])
    >>> bool(np.allclose(frequencies(lam2, w2), frequencies([0.0, 1.0], [[0.0], [1.0]])))
    True
    """
    wv = validate_operators(w)
    n, k = wv.shape
    lam_arr = _validate_lam(lam, n)
    if mixing is not None:
        u = as_array(mixing, "mixing").astype(np.complex128)
        if u.ndim != 2 or u.shape[0] != u.shape[1] or u.shape[0] < k:
            raise ValueError(f"mixing: expected a square (K', K') matrix with K' >= K = {k}, got shape {tuple(u.shape)}")
        check_finite(u, "mixing")
        if not np.allclose(u @ u.conj().T, np.eye(u.shape[0]), atol=1e-10):
            raise ValueError("mixing: matrix is not unitary")
        wv = np.hstack([wv, np.zeros((n, u.shape[0] - k), dtype=np.complex128)]) @ u.T
    if shift is not None:
        alpha = as_array(shift, "shift").astype(np.complex128).reshape(-1)
        if alpha.shape != (wv.shape[1],):
            raise ValueError(f"shift: expected {wv.shape[1]} values (one per operator), got {alpha.size}")
        check_finite(alpha, "shift")
        lam_arr = lam_arr + np.sum(np.imag(alpha.conj()[None, :] * wv), axis=1)
        wv = wv + alpha[None, :]
    return lam_arr, wv


def loop_shifts(omega: Any, ref: int = 0) -> FloatArray:
    """Gauge-invariant loop frequencies ``Phi_mn = omega_rm + omega_mn + omega_nr`` (see docs/dephasing.md).

    All Hamiltonian contributions cancel, so ``omega`` may be total frequencies or shifts in
    any gauge. ``Phi`` is antisymmetric with ``Phi_rn = 0``.

    Examples
    --------
    >>> om = np.array([[0, 0.31, -0.16], [-0.31, 0, -0.03], [0.16, 0.03, 0]])
    >>> round(float(loop_shifts(om)[1, 2]), 12)
    0.44
    """
    arr = as_array(omega, "omega")
    n = arr.shape[-1] if arr.ndim == 2 else 0
    w = validate_frequencies(arr, n)
    if not isinstance(ref, (int, np.integer)) or not 0 <= int(ref) < n:
        raise ValueError(f"ref: reference level must be an integer in [0, {n}), got {ref!r}")
    return _loop_kernel(w, int(ref))


def _loop_kernel(w: FloatArray, ref: int = 0) -> FloatArray:
    """Batched ``Phi_mn = w_rm + w_mn + w_nr`` for ``w`` of shape (..., N, N)."""
    row = w[..., ref, :]
    return row[..., :, None] + w - row[..., None, :]


__all__ = [
    "rates_from_operators",
    "frequencies",
    "liouvillian",
    "evolve",
    "loop_shifts",
    "gauge_transform",
    "validate_rates",
    "validate_frequencies",
    "validate_operators",
]
