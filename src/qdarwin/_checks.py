"""Argument validation used at public boundaries.

Every public function validates once, here, with messages that name the argument and the
expected shape; inner kernels trust their input. All checks raise :class:`ValueError`.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

DM_ATOL = 1e-10  #: Hermiticity and trace tolerance for density matrices.
PSD_ATOL = 1e-12  #: Smallest eigenvalue allowed: -PSD_ATOL * max(1, ||rho||).


def as_array(x: Any, name: str = "x") -> NDArray[Any]:
    """Return ``x`` as a NumPy array, accepting ``qutip.Qobj`` (via ``.full()``)."""
    if type(x).__name__ == "Qobj" and hasattr(x, "full"):
        return np.asarray(x.full())
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - numpy raises many types
        raise ValueError(f"{name}: cannot be converted to an array ({exc})") from exc
    if arr.dtype == object:
        raise ValueError(f"{name}: expected numbers, got objects of mixed type")
    return arr


def as_real_array(x: Any, name: str) -> NDArray[np.float64]:
    """Return ``x`` as a finite float64 array; complex, non-numeric or non-finite input raises."""
    arr = as_array(x, name)
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real")
    try:
        arr = arr.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be real numbers") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def qobj_dims(x: Any) -> list[int] | None:
    """Subsystem dimensions of a ``qutip.Qobj`` (``None`` for plain arrays)."""
    if type(x).__name__ == "Qobj" and hasattr(x, "dims"):
        dims = x.dims[0]
        return [int(d) for d in np.ravel(dims)]
    return None


def check_finite(arr: NDArray[Any], name: str) -> None:
    """Raise if ``arr`` has NaN or infinite entries."""
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite entries")


def check_real_scalar(x: Any, name: str, *, finite: bool = True) -> float:
    """Return ``x`` as a float; raise for complex, non-numeric or (optionally) non-finite."""
    try:
        if isinstance(x, complex) or np.iscomplexobj(x):
            raise TypeError
        val = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {x!r}") from None
    if finite and not math.isfinite(val):
        raise ValueError(f"{name} must be finite, got {val}")
    return val


def check_int(x: Any, name: str, *, minimum: int | None = None) -> int:
    """Return ``x`` as an int; raise if it is not integral or below ``minimum``."""
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        if isinstance(x, (float, np.floating)) and float(x).is_integer():
            x = int(x)
        else:
            raise ValueError(f"{name} must be an integer, got {x!r}")
    x = int(x)
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {x}")
    return x


def check_shape(arr: NDArray[Any], name: str, shape: str) -> None:
    """Check ``arr`` against a shape pattern such as ``'(n, n)'`` or ``'(..., n, n)'``.

    Letters stand for sizes that must agree with each other; ``...`` is any batch prefix.
    """
    parts = [p.strip() for p in shape.strip("() ").split(",") if p.strip()]
    batch = bool(parts) and parts[0] == "..."
    core = parts[1:] if batch else parts
    ok = arr.ndim >= len(core) if batch else arr.ndim == len(core)
    sizes: dict[str, int] = {}
    if ok:
        for p, n in zip(core, arr.shape[arr.ndim - len(core):]):
            if p.isdigit():
                ok = ok and int(p) == n
            else:
                ok = ok and sizes.setdefault(p, n) == n
    if not ok:
        raise ValueError(f"{name}: expected shape {shape}, got {tuple(arr.shape)}")


def validate_density_matrix(rho: Any, name: str = "rho", *, atol: float = DM_ATOL) -> NDArray[np.complex128]:
    """Validate a density matrix and return it as a Hermitian-symmetrised complex array.

    Accepts a ``(d, d)`` array or ``qutip.Qobj``. Checks: square, finite, Hermitian within
    ``atol``, trace 1 within ``atol``, smallest eigenvalue >= -1e-12.

    Raises
    ------
    ValueError
        "not a valid density matrix: ..." naming the failed condition.

    Examples
    --------
    >>> validate_density_matrix([[0.5, 0], [0, 0.5]]).shape
    (2, 2)
    """
    arr = as_array(rho, name)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError(f"not a valid density matrix: {name} must be square (d, d), got shape {arr.shape}")
    arr = arr.astype(np.complex128, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"not a valid density matrix: {name} contains NaN or inf")
    herm_err = float(np.max(np.abs(arr - arr.conj().T)))
    if herm_err > atol:
        raise ValueError(f"not a valid density matrix: {name} is not Hermitian (max |rho - rho^dag| = {herm_err:.3g})")
    tr = complex(np.trace(arr))
    if abs(tr - 1.0) > atol:
        raise ValueError(f"not a valid density matrix: {name} has trace {tr.real:.12g}, expected 1")
    sym = 0.5 * (arr + arr.conj().T)
    lam_min = float(np.linalg.eigvalsh(sym)[0])
    if lam_min < -PSD_ATOL * max(1.0, float(np.max(np.abs(sym)))):
        raise ValueError(f"not a valid density matrix: {name} has negative eigenvalue {lam_min:.3g}")
    return sym


def validate_ket(psi: Any, name: str = "psi", *, atol: float = DM_ATOL) -> NDArray[np.complex128]:
    """Validate a normalised state vector (1-D, or a column Qobj) and return it flattened."""
    arr = as_array(psi, name)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"not a valid state vector: {name} must be 1-D, got shape {arr.shape}")
    arr = arr.astype(np.complex128, copy=False)
    check_finite(arr, name)
    norm = float(np.linalg.norm(arr))
    if abs(norm - 1.0) > atol * 10:
        raise ValueError(f"not a valid state vector: {name} has norm {norm:.12g}, expected 1")
    return arr


def validate_probabilities(
    p: Any, name: str = "p", *, atol: float = 1e-10, normalize: bool = False, min_len: int = 1
) -> NDArray[np.float64]:
    """Validate a probability vector: finite, real, >= 0, summing to 1 within ``atol``.

    With ``normalize=True`` a non-negative vector with positive sum is renormalised instead.

    Examples
    --------
    >>> validate_probabilities([0.25, 0.75]).tolist()
    [0.25, 0.75]
    """
    arr = as_array(p, name)
    if np.iscomplexobj(arr):
        if np.any(np.abs(arr.imag) > 0):
            raise ValueError(f"{name}: probabilities must be real")
        arr = arr.real
    arr = np.atleast_1d(arr).astype(np.float64)
    if arr.ndim != 1 or arr.size < min_len:
        raise ValueError(f"{name}: expected a 1-D probability vector of length >= {min_len}, got shape {arr.shape}")
    check_finite(arr, name)
    if np.any(arr < -atol):
        raise ValueError(f"{name}: probabilities must be >= 0, got min {arr.min():.3g}")
    arr = np.clip(arr, 0.0, None)
    s = float(arr.sum())
    if normalize:
        if s <= 0:
            raise ValueError(f"{name}: cannot normalise, sum is {s}")
        return arr / s
    if abs(s - 1.0) > atol:
        raise ValueError(f"{name}: probabilities must sum to 1, got sum {s:.12g} (pass normalize=True to renormalise)")
    return arr


def validate_subsystems(keep: Sequence[int] | int, n_sub: int, name: str = "keep") -> list[int]:
    """Validate a list of unique subsystem indices in ``[0, n_sub)``."""
    idx = [keep] if isinstance(keep, (int, np.integer)) else list(keep)
    out: list[int] = []
    for k in idx:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise ValueError(f"{name}: subsystem indices must be integers, got {k!r}")
        if not 0 <= int(k) < n_sub:
            raise ValueError(f"{name}: index {k} out of range [0, {n_sub})")
        out.append(int(k))
    if len(set(out)) != len(out):
        raise ValueError(f"{name}: duplicate subsystem indices {out}")
    return out


def validate_delta(delta: Any, name: str = "delta") -> float:
    """Information deficit delta in the open interval (0, 1)."""
    d = check_real_scalar(delta, name)
    if not 0.0 < d < 1.0:
        raise ValueError(f"{name} must lie in the open interval (0, 1), got {d}")
    return d


__all__ = [
    "as_array",
    "qobj_dims",
    "check_finite",
    "check_real_scalar",
    "check_int",
    "check_shape",
    "validate_density_matrix",
    "validate_ket",
    "validate_probabilities",
    "validate_subsystems",
    "validate_delta",
]


# ---------------------------------------------------------------------------------------------
# Spin-environment validators (shared by the modules of qdarwin.spins)

BLOCH_SLACK = 1e-12  #: slack on ``0 <= a <= 1`` for Bloch-vector lengths
COHERENCE_SLACK = 1e-12  #: slack on ``|c|^2 <= p (1 - p)``


def _refuse_huge_int(x: Any, name: str) -> None:
    """A Python int beyond float64 range is a ValueError naming the argument (not OverflowError)."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) > 2**1023:
        raise ValueError(f"{name}: integer with {len(str(abs(x)))} digits is too large for a float64")


def check_real_number(x: Any, name: str) -> float:
    """:func:`check_real_scalar` that also turns integers beyond float64 range into a ValueError naming ``name``."""
    _refuse_huge_int(x, name)
    return check_real_scalar(x, name)


def check_deficit(delta: Any, name: str = "delta") -> float:
    """:func:`validate_delta` that also turns integers beyond float64 range into a ValueError naming ``name``."""
    _refuse_huge_int(delta, name)
    return validate_delta(delta, name)


def check_log_base(base: Any, name: str = "base") -> float:
    """Factor ``ln 2 / ln(base)`` converting bits to the requested logarithm base (1.0 for base 2).

    Examples
    --------
    >>> check_log_base(2), round(check_log_base(math.e), 12)
    (1.0, 0.69314718056)
    """
    b = check_real_number(base, name)
    if b <= 0 or b == 1:
        raise ValueError(f"{name} must be positive and != 1, got {b}")
    return 1.0 if b == 2.0 else math.log(2.0) / math.log(b)


def check_probability(p: Any, name: str = "p") -> float:
    """A probability in [0, 1] (the system population ``p``).

    Examples
    --------
    >>> check_probability(0.25)
    0.25
    """
    _refuse_huge_int(p, name)
    pv = check_real_scalar(p, name)
    if not 0.0 <= pv <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {pv}")
    return pv


def check_bloch_length(a: NDArray[np.float64], name: str = "a") -> NDArray[np.float64]:
    """Bloch-vector lengths in [0, 1] (within :data:`BLOCH_SLACK`, then clipped to the range)."""
    if np.any(a < -BLOCH_SLACK) or np.any(a > 1.0 + BLOCH_SLACK):
        raise ValueError(f"{name}: Bloch vector length must be in [0, 1]")
    return np.clip(a, 0.0, 1.0)


def check_coherence(c: Any, p: float, name: str = "c") -> complex:
    """System coherence ``c`` with ``|c|^2 <= p (1 - p)``; ``None`` means a pure system, ``sqrt(p q)``.

    Examples
    --------
    >>> check_coherence(None, 0.5)
    (0.5+0j)
    """
    if c is None:
        return complex(math.sqrt(p * (1.0 - p)))
    _refuse_huge_int(c, name)
    try:
        if is_qobj_like(c) or isinstance(c, (str, bytes)):
            raise TypeError
        cv = complex(c)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a number, got {c!r:.60}") from None
    if not (math.isfinite(cv.real) and math.isfinite(cv.imag)):
        raise ValueError(f"{name} must be finite")
    mod = abs(cv)
    if mod > 1.0 or mod * mod > p * (1.0 - p) + COHERENCE_SLACK:  # |c| <= 1/2 always
        raise ValueError(
            f"system state is not positive: |{name}| = {mod:.12g} > sqrt(p(1-p)) = {math.sqrt(p * (1 - p)):.12g}"
        )
    return cv


def is_qobj_like(x: Any) -> bool:
    """True for a ``qutip.Qobj`` (duck typing; QuTiP stays optional)."""
    return type(x).__name__ == "Qobj" and hasattr(x, "full")


def check_size(n: Any, name: str, *, maximum: int, what: str = "") -> int:
    """An integer count ``1 <= n <= maximum``, refused before anything of that size is allocated."""
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool) and int(n) > maximum:
        digits = str(int(n))
        shown = digits if len(digits) <= 18 else f"~{digits[0]}e{len(digits) - 1}"
        raise ValueError(f"{name} = {shown} is too large (at most {maximum:.3g}{what})")
    return check_int(n, name, minimum=1)


def _qobj_to_dm(x: Any) -> NDArray[np.complex128]:
    arr = np.asarray(x.full(), dtype=np.complex128)
    if arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] > 1:  # ket
        return np.asarray(np.outer(arr[:, 0], arr[:, 0].conj()))
    if arr.ndim == 2 and arr.shape[0] == 1 and arr.shape[1] > 1:  # bra
        return np.asarray(np.outer(arr[0].conj(), arr[0]))
    return arr


def as_operator(x: Any, name: str) -> NDArray[Any]:
    """An operator as an array, accepting a ``qutip.Qobj`` (its ``.full()`` matrix)."""
    return np.asarray(x.full()) if is_qobj_like(x) else as_array(x, name)


def as_density_matrices(x: Any, name: str) -> NDArray[Any]:
    """States as an array of shape (..., d, d), accepting ``qutip.Qobj`` kets and operators.

    A Qobj (ket, bra or operator), a 1-D array (a ket), a (d, d) array, a (..., d, d) array, or a
    list/tuple of those (stacked). Kets become ``|psi><psi|``; validation of the matrices (trace,
    Hermiticity, positivity) is left to :func:`validate_density_matrix`.

    Examples
    --------
    >>> as_density_matrices([1.0, 0.0], "psi").real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    if is_qobj_like(x):
        return _qobj_to_dm(x)
    if isinstance(x, (list, tuple)) and len(x) > 0 and any(is_qobj_like(v) for v in x):
        mats = [as_density_matrices(v, f"{name}[{k}]") for k, v in enumerate(x)]
        if len({m.shape for m in mats}) != 1:
            raise ValueError(f"{name}: states of different shapes {sorted({m.shape for m in mats})}")
        return np.stack(mats)
    arr = as_array(x, name)
    if arr.ndim == 1:
        if arr.size < 2 or not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: a ket needs >= 2 finite amplitudes, got shape {arr.shape}")
        return np.asarray(np.outer(arr, arr.conj()))
    return arr


__all__ += [
    "check_log_base",
    "check_real_number",
    "check_deficit",
    "check_probability",
    "check_bloch_length",
    "check_coherence",
    "check_size",
    "as_density_matrices",
    "as_operator",
    "BLOCH_SLACK",
    "COHERENCE_SLACK",
]
