"""Fast Pauli-basis kernels for product-Pauli tomography (no 4^n x 4^n matrices).

Conventions: qubit 0 is the leftmost letter of a setting and the most significant bit of an
outcome index; outcome bit 0 is the +1 eigenvalue. A Pauli string is indexed in base 4 with
digits I=0, X=1, Y=2, Z=3, qubit 0 most significant. A subset ``A`` of qubits is a bit mask
with the same bit order as outcomes.

Every n-qubit state is written ``rho = 2^-n sum_P c_P P`` with ``c_P = Tr(P rho)``; the
outcome distribution of setting ``s`` is ``p_s(b) = 2^-n sum_A (-1)^{b.A} c_{P(s, A)}`` where
``P(s, A)`` carries the letters of ``s`` on ``A`` and identities elsewhere. Hence counts map
to Pauli expectation values by a Walsh-Hadamard transform (``O(n 2^n)`` per setting) and
Pauli coefficients map to matrices by a per-qubit 4x4 transform (``O(n 4^n)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

LETTERS = "XYZ"
_DIGIT = {"X": 1, "Y": 2, "Z": 3}

# rows: matrix entries (00, 01, 10, 11) of a single-qubit operator; columns: I, X, Y, Z
_T = np.array([[1, 0, 0, 1], [0, 1, -1j, 0], [0, 1, 1j, 0], [1, 0, 0, -1]], dtype=np.complex128)
_T_INV = _T.conj().T  # entries -> Tr(P A) for each Pauli P


def setting_digits(settings: tuple[str, ...] | list[str], n_qubits: int) -> NDArray[np.int64]:
    """Digits (1, 2, 3 for X, Y, Z) of each setting, shape ``(n_settings, n_qubits)``."""
    if not settings:
        return np.zeros((0, n_qubits), dtype=np.int64)
    codes = np.frombuffer("".join(settings).encode("ascii"), dtype=np.uint8).reshape(len(settings), n_qubits)
    return (codes.astype(np.int64) - ord("W"))  # 'X'=88 -> 1, 'Y' -> 2, 'Z' -> 3


def mask_bits(n_qubits: int) -> NDArray[np.int64]:
    """``bits[A, a] = 1`` when qubit ``a`` belongs to subset ``A``; shape ``(2^n, n)``."""
    a = np.arange(2**n_qubits, dtype=np.int64)[:, None]
    return (a >> (n_qubits - 1 - np.arange(n_qubits, dtype=np.int64))[None, :]) & 1


def pauli_indices(digits: NDArray[np.int64]) -> NDArray[np.int64]:
    """Pauli index of ``P(s, A)`` for every setting ``s`` and subset ``A``; ``(n_settings, 2^n)``."""
    n = digits.shape[1]
    weights = digits * (4 ** (n - 1 - np.arange(n, dtype=np.int64)))[None, :]
    return (weights @ mask_bits(n).T).astype(np.int64)


_HADAMARD: dict[int, NDArray[np.float64]] = {}


def _hadamard(k: int) -> NDArray[np.float64]:
    """Unnormalised ``2^k x 2^k`` Sylvester-Hadamard matrix (cached)."""
    if k not in _HADAMARD:
        h = np.ones((1, 1))
        for _ in range(k):
            h = np.block([[h, h], [h, -h]])
        _HADAMARD[k] = h
    return _HADAMARD[k]


def wht(x: NDArray[Any]) -> NDArray[Any]:
    """Unnormalised Walsh-Hadamard transform along the last axis (length ``2^n``).

    The n bits are split into blocks of at most 6 and each block is one small matrix product
    (BLAS), so a ``(6561, 256)`` table costs a few milliseconds.
    """
    size = x.shape[-1]
    n = size.bit_length() - 1
    lead = x.shape[:-1]
    y: NDArray[Any] = np.asarray(x, dtype=np.result_type(x.dtype, np.float64)).reshape(-1, size)
    b = y.shape[0]
    done = 0
    while done < n:
        k = min(6, n - done)
        # transform the k least significant bits with one GEMM, then rotate them to the front
        y = (y.reshape(-1, 2**k) @ _hadamard(k)).reshape(b, 2 ** (n - k), 2**k)
        y = np.ascontiguousarray(y.transpose(0, 2, 1)) if k < n else y
        done += k
    return y.reshape(*lead, size)


def _apply_local(x: NDArray[np.complex128], t: NDArray[np.complex128], n: int) -> NDArray[np.complex128]:
    """Apply the 4x4 map ``t`` on each of the n base-4 digits of the last axis (batched)."""
    lead = x.shape[:-1]
    y: NDArray[np.complex128] = x.reshape(-1, 4**n)
    b = y.shape[0]
    for k in range(n):
        y = y.reshape(b, 4**k, 4, 4 ** (n - k - 1))
        y = np.einsum("ep,bipj->biej", t, y, optimize=False)
    return y.reshape(*lead, 4**n)


def pauli_to_matrix(c: NDArray[Any], n: int) -> NDArray[np.complex128]:
    """``2^-n sum_P c_P P`` for coefficient vectors ``c`` of shape ``(..., 4^n)``."""
    e = _apply_local(np.asarray(c, dtype=np.complex128), _T, n)
    lead = e.shape[:-1]
    e = e.reshape(*lead, *([2, 2] * n))
    nl = len(lead)
    order = list(range(nl)) + [nl + 2 * k for k in range(n)] + [nl + 2 * k + 1 for k in range(n)]
    return np.ascontiguousarray(e.transpose(order)).reshape(*lead, 2**n, 2**n) / 2**n


def matrix_to_pauli(rho: NDArray[Any], n: int) -> NDArray[np.float64]:
    """Pauli coefficients ``c_P = Tr(P rho)`` of Hermitian matrices ``(..., 2^n, 2^n)``."""
    r = np.asarray(rho, dtype=np.complex128)
    lead = r.shape[:-2]
    nl = len(lead)
    r = r.reshape(*lead, *([2] * (2 * n)))
    order = list(range(nl)) + [v for k in range(n) for v in (nl + k, nl + n + k)]
    e = r.transpose(order).reshape(*lead, 4**n)
    return _apply_local(e, _T_INV, n).real


def probabilities_from_pauli(c: NDArray[Any], idx: NDArray[np.int64]) -> NDArray[np.float64]:
    """Outcome distributions ``p_s(b)`` of every setting from Pauli coefficients.

    ``c``: ``(..., 4^n)``; ``idx``: :func:`pauli_indices`, ``(n_settings, 2^n)``; result
    ``(..., n_settings, 2^n)``.
    """
    g = np.asarray(c, dtype=np.float64)[..., idx]
    return wht(g) / idx.shape[-1]


def pooled_pauli_sums(values: NDArray[Any], idx: NDArray[np.int64], n: int) -> NDArray[np.float64]:
    """``sum_s WHT(values_s)[A]`` accumulated on the Pauli index ``P(s, A)``; ``(..., 4^n)``."""
    w = wht(np.asarray(values, dtype=np.float64))
    lead = w.shape[:-2]
    flat_idx = idx.ravel()
    if not lead:
        return np.bincount(flat_idx, weights=w.ravel(), minlength=4**n).astype(np.float64)
    w2 = w.reshape(-1, flat_idx.size)
    out = np.zeros((w2.shape[0], 4**n))
    for i in range(w2.shape[0]):
        out[i] = np.bincount(flat_idx, weights=w2[i], minlength=4**n)
    return out.reshape(*lead, 4**n)


def pauli_label(index: int, n: int) -> str:
    """Letters of a Pauli index (``'IXZ'`` style, qubit 0 first)."""
    return "".join("IXYZ"[(index >> (2 * (n - 1 - a))) & 3] for a in range(n))


__all__ = [
    "LETTERS",
    "mask_bits",
    "matrix_to_pauli",
    "pauli_indices",
    "pauli_label",
    "pauli_to_matrix",
    "pooled_pauli_sums",
    "probabilities_from_pauli",
    "setting_digits",
    "wht",
]
