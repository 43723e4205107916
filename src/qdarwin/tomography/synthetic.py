"""Synthetic product-Pauli data for branching (GHZ-like) states, for tests and examples.

The branching state of a system qubit S and ``N`` environment qubits,

.. math:: |\\psi\\rangle = \\sqrt{p_0}\\,|0\\rangle|0\\rangle^{\\otimes N}
          + \\sqrt{1-p_0}\\,|1\\rangle \\bigotimes_k (\\cos\\theta_k|0\\rangle + \\sin\\theta_k|1\\rangle),

is the pure-decoherence state of the experiments on redundant records (NV centre and 13C
nuclei, Unden et al., PRL 123, 140402 (2019); photonic simulators, Chen et al., Sci. Bull. 64,
580 (2019)): ``theta_k = pi/2`` is a perfect record (a GHZ state), smaller angles partial
records. Local noise is a per-qubit depolarizing channel ``rho -> (1-p) rho + p I/2`` and a
dephasing channel ``rho -> (1-q) rho + q Z rho Z``. Finite statistics: each setting gets
``shots`` multinomial draws.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import check_int, check_real_scalar
from .._typing import ComplexArray, FloatArray, IntArray
from ._pauli import matrix_to_pauli, pauli_indices, pauli_to_matrix, probabilities_from_pauli, setting_digits
from .data import PauliCounts, check_n_qubits, make_pauli_counts

# rows of each matrix: eigenvectors (+1 first) of X, Y, Z, i.e. the measurement basis change
_BASIS = np.array(
    [
        [[1, 1], [1, -1]] / np.sqrt(2),
        [[1, -1j], [1, 1j]] / np.sqrt(2),
        [[1, 0], [0, 1]],
    ],
    dtype=np.complex128,
)


def _prob(x: Any, name: str) -> float:
    v = check_real_scalar(x, name)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {v}")
    return v


def branching_state(n_env: int, *, p0: float = 0.5, theta: float | Sequence[float] = math.pi / 2) -> ComplexArray:
    """Ket of the branching state (system qubit 0, environment qubits 1..N).

    Parameters
    ----------
    n_env : int
        Number of environment qubits N.
    p0 : float in [0, 1]
        Weight of the system branch ``|0>``.
    theta : float or sequence of N floats
        Record angles: environment qubit k holds ``cos(theta_k)|0> + sin(theta_k)|1>`` in the
        ``|1>`` branch (``pi/2``: perfect record).

    Examples
    --------
    >>> np.round(branching_state(2), 4).tolist()
    [(0.7071+0j), 0j, 0j, 0j, 0j, 0j, 0j, (0.7071+0j)]
    """
    n = check_int(n_env, "n_env", minimum=1)
    check_n_qubits(n + 1)
    p = _prob(p0, "p0")
    th = np.broadcast_to(np.asarray(theta, dtype=np.float64), (n,)) if np.ndim(theta) == 0 else np.asarray(theta, dtype=np.float64)
    if th.shape != (n,) or not np.all(np.isfinite(th)):
        raise ValueError(f"theta: expected one finite angle or {n} angles, got shape {th.shape}")
    zero = np.zeros(2**n, dtype=np.complex128)
    zero[0] = 1.0
    rec: NDArray[Any] = np.ones(1, dtype=np.complex128)
    for t in th:
        rec = np.kron(rec, np.array([math.cos(t), math.sin(t)], dtype=np.complex128))
    return np.concatenate((math.sqrt(p) * zero, math.sqrt(1 - p) * rec))


def _noise_factors(n: int, depolarizing: float, dephasing: float) -> FloatArray:
    """Per-Pauli damping ``prod_a f(P_a)`` of the local noise, shape ``(4^n,)``."""
    dep = 1.0 - depolarizing
    deph = 1.0 - 2.0 * dephasing
    one = np.array([1.0, dep * deph, dep * deph, dep])
    out = np.ones(1)
    for _ in range(n):
        out = np.kron(out, one)
    return out


def noisy_density_matrix(state: Any, *, depolarizing: float = 0.0, dephasing: float = 0.0) -> ComplexArray:
    """Density matrix of ``state`` (ket or matrix on n qubits) after local noise on every qubit.

    Examples
    --------
    >>> rho = noisy_density_matrix(np.array([1, 0]), depolarizing=0.2)
    >>> rho.real.round(12).tolist()
    [[0.9, 0.0], [0.0, 0.1]]
    """
    arr = np.asarray(state, dtype=np.complex128)
    rho = np.outer(arr, arr.conj()) if arr.ndim == 1 else arr
    d = rho.shape[0]
    n = d.bit_length() - 1
    if rho.shape != (d, d) or 2**n != d:
        raise ValueError(f"state: expected a qubit ket or density matrix, got shape {arr.shape}")
    check_n_qubits(n)
    if n > 10:
        raise ValueError(f"state: {n} qubits is too large for a dense density matrix (limit 10)")
    c = matrix_to_pauli(rho, n) * _noise_factors(n, _prob(depolarizing, "depolarizing"), _prob(dephasing, "dephasing"))
    return pauli_to_matrix(c, n)


def _flip(p: FloatArray, axis: int, f: FloatArray) -> FloatArray:
    """Classical bit-flip channel with per-setting probability ``f`` on outcome axis ``axis``."""
    flipped = np.flip(p, axis=axis)
    shape = (-1,) + (1,) * (p.ndim - 1)
    return (1.0 - f.reshape(shape)) * p + f.reshape(shape) * flipped


def setting_probabilities(
    state: Any, settings: Sequence[str], *, depolarizing: float = 0.0, dephasing: float = 0.0
) -> FloatArray:
    """Outcome distributions of product-Pauli settings, shape ``(n_settings, 2^n)``.

    ``state`` is a ket (any number of qubits up to 20: the basis change is applied qubit by
    qubit) or a density matrix (up to 10 qubits). Local noise enters as the classical bit-flip
    channel it induces on each outcome: depolarizing ``p`` flips every outcome bit with
    probability ``p/2``, dephasing ``q`` flips X and Y outcomes with probability ``q``.

    Examples
    --------
    >>> setting_probabilities(np.array([1, 0]), ["Z", "X"]).round(12).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    arr = np.asarray(state, dtype=np.complex128)
    d = arr.shape[0]
    n = d.bit_length() - 1
    if 2**n != d or arr.ndim not in (1, 2) or (arr.ndim == 2 and arr.shape != (d, d)):
        raise ValueError(f"state: expected a qubit ket or density matrix, got shape {arr.shape}")
    check_n_qubits(n)
    pd, pq = _prob(depolarizing, "depolarizing"), _prob(dephasing, "dephasing")
    data = make_pauli_counts(n, list(settings), np.ones((len(settings), d), dtype=np.int64))
    dig = setting_digits(data.settings, n)
    if arr.ndim == 2:
        if n > 10:
            raise ValueError(f"state: {n} qubits is too large for a dense density matrix (limit 10)")
        probs = probabilities_from_pauli(matrix_to_pauli(arr, n), pauli_indices(dig))
    else:
        chunk = max(1, 2**22 // d)
        probs = np.empty((len(data.settings), d))
        for lo in range(0, len(data.settings), chunk):
            sub = dig[lo : lo + chunk]
            psi = np.broadcast_to(arr.reshape((1,) + (2,) * n), (sub.shape[0],) + (2,) * n).copy()
            for a in range(n):
                u = _BASIS[sub[:, a] - 1]  # (s, 2, 2)
                psi = np.moveaxis(np.einsum("sij,sj...->si...", u, np.moveaxis(psi, 1 + a, 1)), 1, 1 + a)
            probs[lo : lo + chunk] = (np.abs(psi) ** 2).reshape(sub.shape[0], d)
    if pd or pq:
        p = probs.reshape((-1,) + (2,) * n)
        for a in range(n):
            f = pd / 2 + np.where(dig[:, a] < 3, pq, 0.0) * (1 - pd)
            p = _flip(p, 1 + a, f)
        probs = p.reshape(-1, d)
    probs = np.clip(probs, 0.0, None)
    return probs / probs.sum(axis=1, keepdims=True)


def sample_counts(probabilities: Any, shots: Any, *, rng: np.random.Generator) -> IntArray:
    """Multinomial counts, ``shots`` per setting (an int or one per setting).

    Examples
    --------
    >>> sample_counts([[1.0, 0.0]], 5, rng=np.random.default_rng(0)).tolist()
    [[5, 0]]
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator (e.g. numpy.random.default_rng(seed))")
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("probabilities: expected a finite non-negative array of shape (n_settings, n_outcomes)")
    n_shots = np.broadcast_to(np.asarray(shots), (p.shape[0],))
    if n_shots.dtype.kind not in "iu" or np.any(n_shots < 1):
        raise ValueError(f"shots must be positive integers, got {shots!r}")
    return rng.multinomial(n_shots, p / p.sum(axis=1, keepdims=True)).astype(np.int64)


def synthetic_counts(
    state: Any,
    settings: Sequence[str],
    shots: int,
    *,
    rng: np.random.Generator,
    system: Sequence[int] | int = (0,),
    depolarizing: float = 0.0,
    dephasing: float = 0.0,
) -> PauliCounts:
    """Simulated :class:`PauliCounts` of ``state`` with local noise and finite shots.

    Examples
    --------
    >>> from qdarwin.tomography import all_settings
    >>> d = synthetic_counts(branching_state(1), all_settings(2), 100, rng=np.random.default_rng(1))
    >>> d.n_qubits, len(d.settings), d.shots.tolist()[:3]
    (2, 9, [100, 100, 100])
    """
    probs = setting_probabilities(state, settings, depolarizing=depolarizing, dephasing=dephasing)
    n = probs.shape[1].bit_length() - 1
    return make_pauli_counts(n, list(settings), sample_counts(probs, shots, rng=rng), system=system)


__all__ = [
    "branching_state",
    "noisy_density_matrix",
    "sample_counts",
    "setting_probabilities",
    "synthetic_counts",
]
