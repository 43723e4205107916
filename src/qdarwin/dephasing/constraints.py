"""Constraint check for observed dephasing rates and frequencies (``docs/dephasing.md``).

The headline quantity is the **margin** ``m = lambda_min(Q^T C Q)`` (a rate): if m < 0, ``-m`` is
the smallest uniform extra decay rate that would make the data physical. Level margins
``m_n`` (levels 0 ... n only) are monotone and locate the first violated constraint; the
paper's Schur-pivot hierarchy and the range residuals are reported as well. Physically
inconsistent data never raise: they give a report with ``physical=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Optional, cast

import numpy as np
from numpy.typing import NDArray

from .._checks import check_tolerance
from .._threads import blas_threads
from .gram import _gram_kernel, helmert_basis
from ._scaling import pow2_scale, unscale
from .model import _loop_kernel, validate_frequencies, validate_rates, validate_sigma

PINV_RCOND = 1e-12  #: singular values below this times the largest count as zero


@dataclass(frozen=True)
class ConstraintReport:
    """Result of :func:`check_constraints` (fields as in docs/dephasing.md).

    ``first_violation`` is a 0-based level n (paper constraint n+1), ``None`` if physical.
    """

    physical: bool
    margin: float
    level_margins: NDArray[np.float64]
    pivots: NDArray[np.float64]
    range_residuals: NDArray[np.float64]
    first_violation: Optional[int]
    violating_direction: NDArray[np.complex128]
    gram: NDArray[np.complex128]
    lambda_min_G: float
    tol: float
    message: str

    @property
    def paper_constraint(self) -> Optional[int]:
        """The paper's 1-based constraint number of the first violation (``first_violation + 1``)."""
        return None if self.first_violation is None else self.first_violation + 1


@dataclass(frozen=True)
class BatchConstraintReport:
    """Vectorised check of many rate sets: arrays over the batch shape ``(...)``.

    ``first_violation`` is -1 where the data are physical.
    """

    physical: NDArray[np.bool_]
    margin: NDArray[np.float64]
    level_margins: NDArray[np.float64]
    first_violation: NDArray[np.int64]
    tol: NDArray[np.float64]


class MarginUncertainty(NamedTuple):
    """``(margin, sigma)`` of the margin (see docs/dephasing.md); ``z = margin / sigma``."""

    margin: float
    sigma: float

    @property
    def z(self) -> float:
        """Significance ``margin / sigma`` (z below about -3: a significant violation)."""
        if self.sigma > 0:
            return self.margin / self.sigma
        return float("-inf") if self.margin < 0 else float("inf")


# --------------------------------------------------------------------------- kernels


def _level_margins_kernel(c: NDArray[np.complex128]) -> tuple[NDArray[np.float64], NDArray[np.complex128]]:
    """Level margins (..., N-1) and the full-problem eigenvector mapped back to levels (..., N).

    The Helmert columns are nested (column j-1 lives on levels 0..j), so ``Q_{n+1}^T C_[0..n] Q_{n+1}``
    is the leading n x n block of ``A = Q^T C Q``: one congruence, then eigenvalues of leading blocks.
    Real data (no loop frequencies) are handled in real arithmetic.
    """
    n = c.shape[-1]
    q = helmert_basis(n)
    cm: NDArray[np.float64] | NDArray[np.complex128] = c.real if not np.any(c.imag) else c
    a = np.swapaxes(q, 0, 1) @ cm @ q
    a = 0.5 * (a + np.conj(np.swapaxes(a, -1, -2)))
    out = np.empty(c.shape[:-2] + (n - 1,))
    for lev in range(1, n - 1):
        out[..., lev - 1] = np.linalg.eigvalsh(a[..., :lev, :lev])[..., 0]
    w, v = np.linalg.eigh(a)
    out[..., n - 2] = w[..., 0]
    vec = (v[..., :, 0] @ q.T).astype(np.complex128)
    return out, vec


def _pivots_kernel(g: NDArray[np.complex128]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    n = g.shape[0]
    piv = np.zeros(n)
    res = np.zeros(n)
    piv[0] = float(g[0, 0].real)
    gscale = float(np.max(np.abs(g), initial=0.0))
    for i in range(1, n):
        gl = g[:i, :i]
        col = g[:i, i]
        w, v = np.linalg.eigh(gl)
        cut = max(PINV_RCOND * float(np.max(np.abs(w))), PINV_RCOND * gscale, 1e-280)
        keep = np.abs(w) > cut
        x = (v[:, keep] / w[keep]) @ (v[:, keep].conj().T @ col)
        piv[i] = float((g[i, i] - col.conj() @ x).real)
        res[i] = float(np.linalg.norm(col - gl @ x))
    return piv, res


def _tolerance(gamma: NDArray[np.float64], phi: NDArray[np.float64] | None, rtol: float) -> NDArray[np.float64]:
    scale = np.max(np.abs(gamma), axis=(-2, -1))
    if phi is not None:
        scale = np.maximum(scale, np.max(np.abs(phi), axis=(-2, -1)))
    return rtol * scale


def _message(physical: bool, margin: float, first: int | None) -> str:
    if physical:
        return (
            "Consistent with a Markovian pure-dephasing process: all constraints hold "
            f"(margin {margin:.3g}; a uniform decay rate of up to {max(margin, 0.0):.3g} could be removed)."
        )
    return (
        "Not generated by any Markovian pure-dephasing process: the constraint for levels "
        f"0–{first} fails first (margin {margin:.3g}); adding a uniform decay rate of {-margin:.3g} "
        "to every coherence would be needed."
    )


def _normalise_direction(u: NDArray[np.complex128]) -> NDArray[np.complex128]:
    a = np.abs(u)
    if a.max(initial=0.0) == 0:
        return u
    k = int(np.flatnonzero(a >= a.max() * (1 - 1e-9))[0])
    u = u * (np.conj(u[k]) / abs(u[k]))
    u = u / np.linalg.norm(u)
    u.real[np.abs(u.real) < 1e-15] = 0.0
    u.imag[np.abs(u.imag) < 1e-15] = 0.0
    return u


# --------------------------------------------------------------------------- public API


def check_constraints(gamma: Any, omega: Any = None, rtol: float = 1e-10) -> ConstraintReport:
    """Check whether rates (and frequencies) come from a Markovian pure-dephasing process.

    Parameters
    ----------
    gamma : array_like, shape (N, N)
        Dephasing rates Gamma_mn (symmetric, zero diagonal, >= 0).
    omega : array_like, shape (N, N), optional
        Total frequencies, or shifts in any gauge (antisymmetric). ``None``: rates-only data,
        checked with Phi = 0 ("some shifts exist that make the rates physical").
    rtol : float
        Tolerance ``tol = rtol * max(max|Gamma|, max|Phi|)``.

    Returns
    -------
    ConstraintReport
        Never raises for well-formed but unphysical data.

    Raises
    ------
    ValueError
        Malformed input (shape, NaN, asymmetric, negative rates, ...).

    Examples
    --------
    >>> from qdarwin.dephasing import two_qubit_rates
    >>> rep = check_constraints(two_qubit_rates(1.0, 2.5, 2.5))
    >>> rep.physical, round(rep.margin, 9), rep.first_violation
    (False, -0.5, 3)
    """
    g = validate_rates(gamma)
    n = g.shape[0]
    om = None if omega is None else validate_frequencies(omega, n)
    rt = check_tolerance(rtol)
    return _check_kernel(g, om, rt)


def _check_kernel(g: NDArray[np.float64], om: NDArray[np.float64] | None, rtol: float) -> ConstraintReport:
    f = pow2_scale(g, om)
    if f != 1.0:  # extreme magnitudes: evaluate on exactly rescaled data, report in input units
        r = _check_kernel(g / f, None if om is None else om / f, rtol)
        what = "the constraint margin"
        return ConstraintReport(
            physical=r.physical,
            margin=float(unscale(r.margin, f, what)),
            level_margins=unscale(r.level_margins, f, what),
            pivots=unscale(r.pivots, f, what),
            range_residuals=unscale(r.range_residuals, f, what),
            first_violation=r.first_violation,
            violating_direction=r.violating_direction,
            gram=unscale(r.gram, f, "the Gram matrix"),
            lambda_min_G=float(unscale(r.lambda_min_G, f, what)),
            tol=float(unscale(r.tol, f, what)),
            message=_message(r.physical, float(unscale(r.margin, f, what)), r.first_violation),
        )
    phi = None if om is None else _loop_kernel(om)
    # loop frequencies suffice (gauge invariance)
    c = np.asarray(-(g + 1j * (phi if phi is not None else 0.0)), dtype=np.complex128)
    tol = float(_tolerance(g, phi, rtol))
    # one small problem: no BLAS thread limiting (threadpoolctl costs milliseconds per call)
    lm, u = _level_margins_kernel(c)
    gram = _gram_kernel(c)
    gram = 0.5 * (gram + gram.conj().T)
    piv, res = _pivots_kernel(gram)
    lam_g = float(np.linalg.eigvalsh(gram)[0])
    margin = float(lm[-1])
    bad = np.flatnonzero(lm < -tol)
    first = int(bad[0]) + 1 if bad.size else None
    physical = first is None
    return ConstraintReport(
        physical=physical,
        margin=margin,
        level_margins=lm,
        pivots=piv,
        range_residuals=res,
        first_violation=first,
        violating_direction=_normalise_direction(u),
        gram=gram,
        lambda_min_G=lam_g,
        tol=tol,
        message=_message(physical, margin, first),
    )


def check_constraints_batch(gamma: Any, omega: Any = None, rtol: float = 1e-10) -> BatchConstraintReport:
    """Vectorised :func:`check_constraints` over leading axes: Gamma of shape ``(..., N, N)``.

    Computes the margins by batched ``eigvalsh`` (no Python loop over the batch).

    Examples
    --------
    >>> from qdarwin.dephasing import two_qubit_rates
    >>> rep = check_constraints_batch(np.stack([two_qubit_rates(1, 1, 1), two_qubit_rates(1, 2.5, 2.5)]))
    >>> rep.physical.tolist(), rep.first_violation.tolist()
    ([True, False], [-1, 3])
    """
    g = validate_rates(gamma, batch=True)
    n = g.shape[-1]
    om = None if omega is None else validate_frequencies(omega, n, batch_shape=g.shape[:-2])
    rt = check_tolerance(rtol)
    f = pow2_scale(g, om)  # extreme magnitudes: exact power-of-2 rescaling, results in input units
    g = g / f
    om = None if om is None else om / f
    phi = None if om is None else _loop_kernel(om)
    c = np.asarray(-(g + 1j * (phi if phi is not None else 0.0)), dtype=np.complex128)
    tol = _tolerance(g, phi, rt)
    with blas_threads():
        lm, _ = _level_margins_kernel(c)
    lm, tol = unscale(lm, f, "the constraint margin"), unscale(tol, f, "the tolerance")
    bad = lm < -tol[..., None]
    any_bad = bad.any(axis=-1)
    first = np.where(any_bad, np.argmax(bad, axis=-1) + 1, -1).astype(np.int64)
    return BatchConstraintReport(
        # ``any_bad`` is a NumPy bool scalar when the batch shape is (); it duck-types as a 0-d array
        physical=cast(NDArray[np.bool_], ~any_bad), margin=lm[..., -1].copy(), level_margins=lm, first_violation=first, tol=tol
    )


def margin_uncertainty(gamma: Any, omega: Any, sigma_gamma: Any, sigma_omega: Any = None) -> MarginUncertainty:
    """Delta-method standard error of the margin (see docs/dephasing.md).

    ``sigma^2 = sum_{j<k} 4 [ s_jk^2 (Re u_j^* u_k)^2 + t_jk^2 (Im u_j^* u_k)^2 ]`` with ``u = Q v``
    the margin's eigenvector mapped back to levels. Biased low when the smallest eigenvalues
    are nearly degenerate (use :func:`qdarwin.dephasing.bootstrap_p_value` then).

    Parameters
    ----------
    gamma, omega : array_like, shape (N, N)
        Rates and frequencies (``omega`` may be ``None``).
    sigma_gamma, sigma_omega : float or array_like, shape (N, N)
        Independent standard errors of Gamma_jk and omega_jk (``sigma_omega`` ignored if ``None``).

    Returns
    -------
    MarginUncertainty
        ``(margin, sigma)`` with property ``z``.

    Examples
    --------
    >>> m, s = margin_uncertainty([[0, 1.0], [1.0, 0]], None, 0.1)
    >>> round(m, 12), round(s, 12)
    (1.0, 0.1)
    """
    g = validate_rates(gamma)
    n = g.shape[0]
    om = None if omega is None else validate_frequencies(omega, n)
    sg = validate_sigma(sigma_gamma, n, "sigma_gamma")
    so = np.zeros((n, n)) if sigma_omega is None else validate_sigma(sigma_omega, n, "sigma_omega")
    f = pow2_scale(g, om)
    phi = None if om is None else _loop_kernel(om / f)
    c = np.asarray(-(g / f + 1j * (phi if phi is not None else 0.0)), dtype=np.complex128)
    lm, u = _level_margins_kernel(c)
    prod = np.conj(u)[:, None] * u[None, :]
    iu = np.triu_indices(n, 1)
    fs = pow2_scale(sg, so)
    var = 4.0 * np.sum((sg[iu] / fs) ** 2 * prod.real[iu] ** 2 + (so[iu] / fs) ** 2 * prod.imag[iu] ** 2)
    return MarginUncertainty(
        float(unscale(lm[-1], f, "the constraint margin")), float(unscale(np.sqrt(var), fs, "the margin uncertainty"))
    )


__all__ = [
    "ConstraintReport",
    "BatchConstraintReport",
    "MarginUncertainty",
    "check_constraints",
    "check_constraints_batch",
    "margin_uncertainty",
]
