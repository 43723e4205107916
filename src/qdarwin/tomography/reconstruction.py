"""State reconstruction from product-Pauli counts: linear inversion, PLS, maximum likelihood.

* ``"linear"``: linear inversion. Each Pauli expectation value ``<P>`` is estimated from all
  settings that agree with ``P`` on its support (their outcome parities pooled), and
  ``rho = 2^-n sum_P <P> P``. Unbiased, Hermitian, unit trace, not necessarily positive.
* ``"pls"``: projected least squares: the density matrix closest in Hilbert-Schmidt norm to the
  linear-inversion estimate, obtained by projecting its eigenvalues onto the probability
  simplex (Smolin, Gambetta, Smith, PRL 108, 070502 (2012), arXiv:1106.5458).
* ``"mle"``: maximum likelihood by accelerated projected gradient ascent on the likelihood
  (gradient = Hradil's ``R`` operator, PRA 55, R1561 (1997); method of Shang, Zhang, Ng,
  PRA 95, 062336 (2017), arXiv:1609.07881), stopped when ``lambda_max(R) - 1 <= tol``, which bounds the
  log-likelihood gap by ``N_total (lambda_max(R) - 1)`` (Glancy, Knill, Girard, NJP 14, 095017
  (2012), arXiv:1202.5270).

No ``4^n x 4^n`` matrix is ever formed: counts become Pauli expectation values by
Walsh-Hadamard transforms and Pauli vectors become matrices by per-qubit 4x4 maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .._threads import blas_threads
from .._typing import ComplexArray, FloatArray
from ._pauli import (
    matrix_to_pauli,
    pauli_indices,
    pauli_label,
    pauli_to_matrix,
    pooled_pauli_sums,
    probabilities_from_pauli,
    setting_digits,
)
from .data import PauliCounts

Method = Literal["linear", "pls", "mle"]
METHODS = ("linear", "pls", "mle")
#: Gradient gap accepted when the likelihood stalls at machine precision.
STALL_TOL = 1e-6
#: Largest number of qubits reconstructed as one joint state (4^n Pauli coefficients).
MAX_JOINT_QUBITS = 10


@dataclass(frozen=True)
class Reconstruction:
    """A reconstructed state.

    Attributes
    ----------
    rho : ndarray, shape (2**n, 2**n)
    method : str
    min_eigenvalue_linear : float
        Smallest eigenvalue of the linear-inversion estimate (negative: unphysical data or
        shot noise; large negative values flag a problem with the data).
    iterations : int
        MLE iterations (0 for the other methods).
    converged : bool
        MLE reached ``tol`` (always true for the other methods).
    """

    rho: ComplexArray
    method: str
    min_eigenvalue_linear: float
    iterations: int = 0
    converged: bool = True


def _check_joint(data: PauliCounts) -> None:
    if data.n_qubits > MAX_JOINT_QUBITS:
        raise ValueError(
            f"n_qubits = {data.n_qubits}: a joint {2**data.n_qubits}-dimensional state is too large "
            f"(limit {MAX_JOINT_QUBITS} qubits); use the marginal (fragment) analysis"
        )


def pauli_expectations(data: PauliCounts) -> tuple[FloatArray, FloatArray]:
    """Pooled Pauli expectation values ``<P>`` and the shots behind each, shape ``(4^n,)``.

    Entries with zero shots (Pauli strings no setting measures) are NaN.

    Examples
    --------
    >>> from qdarwin.tomography import make_pauli_counts
    >>> e, shots = pauli_expectations(make_pauli_counts(1, "XYZ", [[5, 5], [5, 5], [8, 2]]))
    >>> e.tolist(), shots.tolist()
    ([1.0, 0.0, 0.0, 0.6], [30.0, 10.0, 10.0, 10.0])
    """
    _check_joint(data)
    n = data.n_qubits
    idx = pauli_indices(setting_digits(data.settings, n))
    sums = pooled_pauli_sums(data.counts, idx, n)
    shots = np.bincount(idx.ravel(), weights=np.repeat(data.shots.astype(np.float64), idx.shape[1]), minlength=4**n).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        exp = np.where(shots > 0, sums / np.where(shots > 0, shots, 1.0), np.nan)
    return exp, shots


def linear_inversion(data: PauliCounts) -> ComplexArray:
    """Linear-inversion estimate ``2^-n sum_P <P> P`` (Hermitian, unit trace).

    Raises ``ValueError`` naming a Pauli string no setting measures.

    Examples
    --------
    >>> from qdarwin.tomography import make_pauli_counts
    >>> rho = linear_inversion(make_pauli_counts(1, "XYZ", [[5, 5], [5, 5], [10, 0]]))
    >>> rho.real.round(12).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    exp, shots = pauli_expectations(data)
    bad = np.flatnonzero(shots == 0)
    if bad.size:
        lab = pauli_label(int(bad[0]), data.n_qubits)
        raise ValueError(
            f"missing settings: no setting measures the Pauli string {lab} ({bad.size} of {4**data.n_qubits} "
            "unmeasured); full tomography needs every X/Y/Z pattern on these qubits"
        )
    rho = pauli_to_matrix(exp, data.n_qubits)
    return 0.5 * (rho + rho.conj().T)


def project_to_density_matrix(mu: ComplexArray) -> ComplexArray:
    """Closest density matrix in Hilbert-Schmidt norm to a Hermitian unit-trace matrix.

    The eigenvalues are projected onto the probability simplex (Smolin, Gambetta, Smith,
    PRL 108, 070502 (2012), arXiv:1106.5458); batched over leading axes.

    Examples
    --------
    >>> import numpy as np
    >>> project_to_density_matrix(np.diag([1.2, -0.2]).astype(complex)).real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    with blas_threads():
        lam, vec = np.linalg.eigh(mu)
    lam = lam[..., ::-1]
    vec = vec[..., ::-1]
    d = lam.shape[-1]
    cums = np.cumsum(lam, axis=-1)
    k = np.arange(1, d + 1)
    theta = (cums - 1.0) / k
    ok = lam - theta > 0
    r = d - 1 - np.argmax(ok[..., ::-1], axis=-1)  # last index where ok
    t = np.take_along_axis(theta, r[..., None], axis=-1)
    new = np.clip(lam - t, 0.0, None)
    out = (vec * new[..., None, :]) @ np.swapaxes(vec.conj(), -1, -2)
    return np.asarray(0.5 * (out + np.swapaxes(out.conj(), -1, -2)))


def _log_likelihood(counts: FloatArray, probs: FloatArray, nonzero: Any = None) -> float:
    """``sum n log p`` over the outcomes with counts (``nonzero``: their flat indices, precomputed)."""
    nz = np.flatnonzero(counts) if nonzero is None else nonzero
    n, p = counts.ravel()[nz], probs.ravel()[nz]
    if np.any(p <= 0):
        return -np.inf
    return float(np.sum(n * np.log(p)))


def maximum_likelihood(
    data: PauliCounts, *, tol: float | None = None, max_iter: int = 5000, rho0: ComplexArray | None = None
) -> tuple[ComplexArray, int, bool]:
    """Maximum-likelihood state by accelerated projected-gradient ascent.

    The log-likelihood ``L = sum_{s,b} n_{s,b} log p_{s,b}`` has gradient ``N_total R`` with
    ``R = N_total^-1 sum_{s,b} n_{s,b} / p_{s,b} Pi_{s,b}`` (the operator of Hradil's
    ``R rho R`` iteration). Each step is ``rho -> Proj(y + t R(y))`` with Nesterov momentum,
    backtracking on ``t`` and restart when the likelihood drops; ``Proj`` is the projection
    onto density matrices of :func:`project_to_density_matrix` (Shang, Zhang, Ng, PRA 95,
    062336 (2017), arXiv:1609.07881). Stopping rule: ``lambda_max(R) - 1 <= tol``, which
    bounds the log-likelihood gap by ``N_total tol`` (Glancy, Knill, Girard, NJP 14, 095017
    (2012), arXiv:1202.5270). Default ``tol = 1e-8``. When the likelihood no longer changes in
    double precision the iteration stops and counts as converged if ``lambda_max(R) - 1 <= 1e-6``.

    Returns
    -------
    (rho, iterations, converged)

    Examples
    --------
    >>> from qdarwin.tomography import make_pauli_counts
    >>> rho, it, ok = maximum_likelihood(make_pauli_counts(1, "XYZ", [[50, 50], [50, 50], [90, 10]]))
    >>> np.round(rho.real, 6).tolist(), ok
    ([[0.9, 0.0], [0.0, 0.1]], True)
    """
    _check_joint(data)
    n = data.n_qubits
    d = 2**n
    idx = pauli_indices(setting_digits(data.settings, n))
    counts = data.counts.astype(np.float64)
    total = float(counts.sum())
    eps = 1e-8 if tol is None else float(tol)
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"tol must be positive, got {tol}")
    rho = np.eye(d, dtype=np.complex128) / d
    if rho0 is not None:  # warm start, mixed with 1% white noise so that every p_{s,b} > 0
        rho = 0.99 * np.asarray(rho0, dtype=np.complex128) + 0.01 * rho

    def probs_of(r: ComplexArray) -> FloatArray:
        return probabilities_from_pauli(matrix_to_pauli(r, n), idx)

    nz = np.flatnonzero(counts)
    n_nz = counts.ravel()[nz]

    def grad(p: FloatArray) -> ComplexArray:
        w = np.zeros(counts.shape)
        pn = p.ravel()[nz]
        w.ravel()[nz] = n_nz / np.where(pn > 0, pn, 1.0)
        R = pauli_to_matrix(pooled_pauli_sums(w, idx, n), n) / total
        return np.asarray(0.5 * (R + R.conj().T))

    p = probs_of(rho)
    ll = _log_likelihood(counts, p, nz) / total
    y, py, lly = rho, p, ll
    theta, step = 1.0, 1.0 / d
    converged = False
    it = 0
    with blas_threads():
        for it in range(1, max_iter + 1):
            Ry = grad(py)
            if y is rho and float(np.linalg.eigvalsh(Ry)[-1]) - 1.0 <= eps:
                converged = True
                break
            while True:
                z = project_to_density_matrix(y + step * Ry)
                pz = probs_of(z)
                llz = _log_likelihood(counts, pz, nz) / total
                dz = z - y
                if llz >= lly + float(np.vdot(Ry, dz).real) - float(np.vdot(dz, dz).real) / (2 * step) or step < 1e-14:
                    break
                step *= 0.5
            if llz <= ll:
                if y is rho:  # machine precision of L reached: polish with the gradient gap as merit
                    rho, gap = _polish(rho, grad(p), grad, probs_of, step, eps)
                    converged = gap <= max(eps, STALL_TOL)
                    break
                theta, y, py, lly = 1.0, rho, p, ll  # restart the momentum at rho
                continue
            theta_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * theta**2))
            beta = (theta - 1.0) / theta_new
            y_new = z + beta * (z - rho)
            rho, p, ll, theta = z, pz, llz, theta_new
            py_new = probs_of(y_new) if beta > 0 else pz
            lly_new = _log_likelihood(counts, py_new, nz) / total if beta > 0 else llz
            if np.isfinite(lly_new):
                y, py, lly = y_new, py_new, lly_new
            else:
                theta, y, py, lly = 1.0, rho, p, ll
            step *= 1.5
            if it % 10 == 0:  # certificate at the current iterate
                R = grad(p)
                if float(np.linalg.eigvalsh(R)[-1]) - 1.0 <= eps:
                    converged = True
                    break
    return rho, it, converged


def _polish(
    rho: ComplexArray, R: ComplexArray, grad: Any, probs_of: Any, step: float, eps: float, max_steps: int = 200
) -> tuple[ComplexArray, float]:
    """Projected-gradient steps accepted while ``lambda_max(R) - 1`` decreases.

    Near the optimum the likelihood changes below double precision while the gradient gap
    (linear in the distance to the optimum) is still resolved, so it serves as the merit.
    """
    gap = float(np.linalg.eigvalsh(R)[-1]) - 1.0
    for _ in range(max_steps):
        if gap <= eps:
            break
        z = project_to_density_matrix(rho + step * R)
        pz = probs_of(z)
        if np.any(~np.isfinite(pz)):
            break
        Rz = grad(pz)
        gz = float(np.linalg.eigvalsh(Rz)[-1]) - 1.0
        if gz < gap:
            rho, R, gap = z, Rz, gz
            step *= 1.5
        elif step > 1e-12:
            step *= 0.5
        else:
            break
    return rho, gap


def reconstruct(data: PauliCounts, *, method: Method = "pls", tol: float | None = None, max_iter: int = 5000) -> Reconstruction:
    """Reconstruct the joint state of all qubits in ``data``.

    Parameters
    ----------
    data : PauliCounts
        Must contain all ``3^n`` settings (every Pauli string measured).
    method : {"pls", "mle", "linear"}
        See the module docstring; ``"linear"`` may return a non-positive matrix.
    tol, max_iter : MLE stopping rule (``lambda_max(R) - 1 <= tol``), see :func:`maximum_likelihood`.

    Returns
    -------
    Reconstruction

    Examples
    --------
    >>> from qdarwin.tomography import make_pauli_counts
    >>> r = reconstruct(make_pauli_counts(1, "XYZ", [[5, 5], [5, 5], [12, -0]]), method="pls")
    >>> r.rho.real.round(12).tolist(), r.method
    ([[1.0, 0.0], [0.0, 0.0]], 'pls')
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    mu = linear_inversion(data)
    with blas_threads():
        lam_min = float(np.linalg.eigvalsh(mu)[0])
    if method == "linear":
        return Reconstruction(mu, "linear", lam_min)
    if method == "pls":
        return Reconstruction(project_to_density_matrix(mu), "pls", lam_min)
    start = project_to_density_matrix(mu)
    rho, it, ok = maximum_likelihood(data, tol=tol, max_iter=max_iter, rho0=start)
    return Reconstruction(rho, "mle", lam_min, it, ok)


__all__ = [
    "METHODS",
    "MAX_JOINT_QUBITS",
    "Reconstruction",
    "linear_inversion",
    "maximum_likelihood",
    "pauli_expectations",
    "project_to_density_matrix",
    "reconstruct",
]
