"""Synthetic coherence time series, so the experimental workflow (see docs/dephasing.md) can be tried end to end."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np
from numpy.typing import NDArray

from .._checks import check_real_scalar, validate_density_matrix
from .model import validate_frequencies, validate_rates, validate_times


class SyntheticData(NamedTuple):
    """Noisy density matrices ``rho`` (T, N, N) at ``times`` (T,), noise level ``sigma``."""

    times: NDArray[np.float64]
    rho: NDArray[np.complex128]
    sigma: float


def synthetic_coherence_data(
    gamma: Any,
    omega: Any,
    times: Any,
    *,
    noise: float,
    rng: np.random.Generator,
    rho0: Optional[Any] = None,
) -> SyntheticData:
    """Tomography-like data ``rho_mn(t) = rho_mn(0) e^{-(Gamma_mn + i omega_mn) t} + noise``.

    The closed-form evolution is applied to any non-negative rates, physical or not (so that
    unphysical test sets such as two qubits with Gamma14 = Gamma23 = 2.6 Gamma can be simulated).
    Independent Gaussian noise of standard deviation ``noise`` is added to the real and imaginary
    parts of every coherence m < n (mirrored to keep rho Hermitian); populations are left exact.

    Parameters
    ----------
    gamma : array_like, shape (N, N)
        Rates (>= 0).
    omega : array_like, shape (N, N) or None
        Total angular frequencies (antisymmetric); ``None`` means zero.
    times : array_like, shape (T,)
        Times >= 0.
    noise : float
        Standard deviation (>= 0) of the noise on Re and Im of each coherence.
    rng : numpy.random.Generator
        Source of randomness.
    rho0 : array_like, shape (N, N), optional
        Initial state; default the uniform superposition (all rho_mn(0) = 1/N).

    Examples
    --------
    >>> data = synthetic_coherence_data([[0, 1.0], [1.0, 0]], None, [0.0, 1.0], noise=0.0,
    ...                                 rng=np.random.default_rng(0))
    >>> round(float(data.rho[1, 0, 1].real), 12) == round(0.5 * float(np.exp(-1.0)), 12)
    True
    """
    g = validate_rates(gamma)
    n = g.shape[0]
    om = np.zeros((n, n)) if omega is None else validate_frequencies(omega, n)
    t = np.atleast_1d(validate_times(times, "times"))
    sd = check_real_scalar(noise, "noise")
    if sd < 0:
        raise ValueError(f"noise must be >= 0, got {sd}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")
    r0 = np.full((n, n), 1.0 / n, dtype=np.complex128) if rho0 is None else validate_density_matrix(rho0, "rho0")
    if r0.shape != (n, n):
        raise ValueError(f"rho0: shape {r0.shape} does not match gamma {(n, n)}")
    rho = r0 * np.exp(-(g + 1j * om) * t[:, None, None])
    eps = sd * (rng.standard_normal((t.size, n, n)) + 1j * rng.standard_normal((t.size, n, n)))
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    eps = eps * upper
    rho = rho + eps + np.conj(np.swapaxes(eps, 1, 2))
    return SyntheticData(t, rho, sd)


__all__ = ["SyntheticData", "synthetic_coherence_data"]
