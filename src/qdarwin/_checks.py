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


def is_qobj(x: Any) -> bool:
    """True for a ``qutip.Qobj`` (checked by duck typing, so QuTiP stays optional)."""
    return type(x).__name__ == "Qobj" and hasattr(x, "full")


def as_array(x: Any, name: str = "x") -> NDArray[Any]:
    """Return ``x`` as a NumPy array, accepting ``qutip.Qobj`` (via ``.full()``).

    Raises
    ------
    ValueError
        Naming ``name``: text, ragged or mixed input, and integers too large for float64
        (for example ``10**400``, which NumPy would otherwise keep as Python objects).

    Examples
    --------
    >>> as_array([1, 2], "x").tolist()
    [1, 2]
    """
    if is_qobj(x):
        return np.asarray(x.full())
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{name}: cannot be converted to an array ({exc})") from None
    if arr.dtype == object:
        flat = arr.reshape(-1).tolist()
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat)
        if flat and numbers:  # Python ints beyond int64: fine as floats unless beyond float64
            try:
                return np.asarray(x, dtype=np.float64)
            except OverflowError:
                raise ValueError(f"{name}: integer too large for a float64 (|value| > 1.8e308)") from None
        raise ValueError(f"{name}: expected numbers, got objects of mixed type")
    if arr.dtype.kind in "US":
        raise ValueError(f"{name}: expected numbers, got text {x!r:.60}")
    if arr.dtype == np.bool_:
        raise ValueError(f"{name}: expected numbers, got booleans")
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
    if is_qobj(x) and hasattr(x, "dims"):
        dims = x.dims[0]
        return [int(d) for d in np.ravel(dims)]
    return None


def check_finite(arr: NDArray[Any], name: str) -> None:
    """Raise if ``arr`` has NaN or infinite entries."""
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite entries")


def check_real_scalar(x: Any, name: str, *, finite: bool = True) -> float:
    """Return ``x`` as a float; raise for complex, bool, array, non-numeric or (optionally) non-finite.

    Integers beyond float64 range (``10**400``) are a ValueError naming ``name``, not an
    OverflowError.

    Examples
    --------
    >>> check_real_scalar(3, "t")
    3.0
    """
    try:
        if isinstance(x, (bool, np.bool_, complex, str, bytes)) or is_qobj(x) or np.ndim(x) != 0 or np.iscomplexobj(x):
            raise TypeError
        val = float(x)
    except OverflowError:
        raise ValueError(f"{name}: {_int_text(x) if isinstance(x, int) else repr(x)[:40]} is too large for a float64 (|value| > 1.8e308)") from None
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {x!r:.60}") from None
    if finite and not math.isfinite(val):
        raise ValueError(f"{name} must be finite, got {val}")
    return val


def check_int(x: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``x`` as an int; raise if it is not integral, below ``minimum`` or above ``maximum``.

    Examples
    --------
    >>> check_int(3.0, "n", minimum=1)
    3
    """
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        if isinstance(x, (float, np.floating)) and math.isfinite(float(x)) and float(x).is_integer():
            x = int(x)
        else:
            raise ValueError(f"{name} must be an integer, got {x!r:.60}")
    x = int(x)
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {_int_text(x)}")
    if maximum is not None and x > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {_int_text(x)}")
    return x


def _int_text(x: int) -> str:
    """Short text of a possibly huge int (``10**400`` prints as ``~1e400``)."""
    digits = str(abs(x))
    if len(digits) <= 18:
        return str(x)
    return f"{'-' if x < 0 else ''}~{digits[0]}e{len(digits) - 1}"


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


def check_tolerance(x: Any, name: str = "rtol") -> float:
    """A tolerance: a finite real number >= 0.

    Examples
    --------
    >>> check_tolerance(1e-10)
    1e-10
    """
    val = check_real_scalar(x, name)
    if val < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {val}")
    return val


def check_nonnegative(x: Any, name: str) -> float:
    """A finite real number >= 0 (rates, times, weights).

    Examples
    --------
    >>> check_nonnegative(2, "gamma")
    2.0
    """
    val = check_real_scalar(x, name)
    if val < 0:
        raise ValueError(f"{name} must be >= 0, got {val}")
    return val


def validate_dims(dims: Any, size: int, name: str = "dims") -> list[int]:
    """Subsystem dimensions: positive integers (``2.0`` is accepted, ``2.5`` is not) whose product is ``size``.

    Examples
    --------
    >>> validate_dims([2, 3.0], 6)
    [2, 3]
    """
    if isinstance(dims, (str, bytes)) or not hasattr(dims, "__iter__"):
        raise ValueError(f"{name}: expected a sequence of subsystem dimensions, got {dims!r:.60}")
    d: list[int] = []
    prod = 1
    for i, x in enumerate(dims):
        d.append(check_int(x, f"{name}[{i}]", minimum=1))
        prod *= d[-1]
        if prod > size:  # stop early: no 400-digit products in messages, no huge lists walked
            raise ValueError(f"{name}: product does not match state dimension {size} (the first {i + 1} dimensions give {_int_text(prod)})")
    if not d:
        raise ValueError(f"{name}: need at least one subsystem")
    if prod != size:
        raise ValueError(f"{name}: product {prod} does not match state dimension {size}")
    return d


def validate_state(state: Any, name: str = "state", *, atol: float = DM_ATOL) -> tuple[NDArray[np.complex128], bool]:
    """Validate a ket (``(D,)``, ``(D, 1)`` or a ket ``Qobj``) or a density matrix (``(D, D)``).

    Returns ``(array, is_ket)``: the flattened normalised ket, or the Hermitian-symmetrised
    density matrix (finite, trace 1, positive semidefinite; see :func:`validate_density_matrix`).

    Examples
    --------
    >>> arr, is_ket = validate_state([1, 0])
    >>> arr.shape, is_ket
    ((2,), True)
    """
    arr = as_array(state, name)
    if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] != 1):
        return validate_ket(arr, name, atol=atol), True
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"not a valid density matrix: {name} must be a ket (D,) or square (D, D), got shape {tuple(arr.shape)}")
    return validate_density_matrix(arr, name, atol=atol), False


def as_density_matrix(state: Any, name: str = "rho", *, atol: float = DM_ATOL) -> NDArray[np.complex128]:
    """A validated density matrix from a density matrix or a ket (array or ``qutip.Qobj``).

    Kets become ``|psi><psi|``; see :func:`validate_state` for the checks.

    Examples
    --------
    >>> as_density_matrix([0, 1]).real.tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """
    arr, is_ket = validate_state(state, name, atol=atol)
    return np.outer(arr, arr.conj()) if is_ket else arr


def parse_real(value: Any, name: str) -> float:
    """A finite real number from a number or its text (a CSV cell, a TOML value); bools refused.

    Examples
    --------
    >>> parse_real(" 2.5 ", "gamma"), parse_real(3, "n")
    (2.5, 3.0)
    """
    if isinstance(value, bool):
        raise ValueError(f"{name}: not a number: {value!r}")
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else value
        try:
            out = float(text.strip())
        except ValueError:
            raise ValueError(f"{name}: not a number: {value!r:.60}") from None
        if not math.isfinite(out):
            raise ValueError(f"{name}: NaN or infinite value {value!r:.60}")
        return out
    return check_real_scalar(value, name)


__all__ = [
    "is_qobj",
    "as_array",
    "as_real_array",
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
    "check_tolerance",
    "check_nonnegative",
    "validate_dims",
    "validate_state",
    "as_density_matrix",
    "parse_real",
]


# ---------------------------------------------------------------------------------------------
# Spin-environment validators (shared by the modules of qdarwin.spins)

BLOCH_SLACK = 1e-12  #: slack on ``0 <= a <= 1`` for Bloch-vector lengths
COHERENCE_SLACK = 1e-12  #: slack on ``|c|^2 <= p (1 - p)``


def check_log_base(base: Any, name: str = "base") -> float:
    """Factor ``ln 2 / ln(base)`` converting bits to the requested logarithm base (1.0 for base 2).

    Examples
    --------
    >>> check_log_base(2), round(check_log_base(math.e), 12)
    (1.0, 0.69314718056)
    """
    b = check_real_scalar(base, name)
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
    try:
        if is_qobj(c) or isinstance(c, (bool, np.bool_, str, bytes)) or np.ndim(c) != 0:
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


def check_size(n: Any, name: str, *, maximum: int, what: str = "") -> int:
    """An integer count ``1 <= n <= maximum``, refused before anything of that size is allocated."""
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool) and int(n) > maximum:
        raise ValueError(f"{name} = {_int_text(int(n))} is too large (at most {maximum:.3g}{what})")
    return check_int(n, name, minimum=1)


def _qobj_to_dm(x: Any) -> NDArray[np.complex128]:
    arr = np.asarray(x.full(), dtype=np.complex128)
    if arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] > 1:  # ket
        return np.asarray(np.outer(arr[:, 0], arr[:, 0].conj()))
    if arr.ndim == 2 and arr.shape[0] == 1 and arr.shape[1] > 1:  # bra
        return np.asarray(np.outer(arr[0].conj(), arr[0]))
    return arr


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
    if is_qobj(x):
        return _qobj_to_dm(x)
    if isinstance(x, (list, tuple)) and len(x) > 0 and any(is_qobj(v) for v in x):
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
    "check_probability",
    "check_bloch_length",
    "check_coherence",
    "check_size",
    "as_density_matrices",
    "BLOCH_SLACK",
    "COHERENCE_SLACK",
]
