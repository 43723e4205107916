"""Synthetic single-spin tomography: exact conditional Bloch vectors, simulated counts, an NV-like bath.

Used by the worked example (docs/experiment.md), the coverage benchmark
(``benchmarks/bench_spins_coverage.py``) and the tests of :mod:`qdarwin.spins.experiment`.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .._checks import check_int, check_real_scalar, check_size
from .._typing import FloatArray
from .data import TomographyCounts
from .model import MAX_SPINS, SpinEnvironment, bloch_state, check_environment, conditional_states

_PAULIS = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)
#: NV-like bath: distances uniform in [R_MIN, R_MAX] (couplings ``scale/r^3``), fields uniform in [W_MIN, W_MAX].
R_MIN, R_MAX, W_MIN, W_MAX = 1.0, 2.5, 0.2, 0.6


def model_bloch_vectors(env: SpinEnvironment, t: float) -> FloatArray:
    """Exact conditional Bloch vectors of every spin of ``env`` at time ``t``, shape (N, 2, 3).

    Examples
    --------
    >>> env = SpinEnvironment(a=1.0, theta=math.pi / 2, phi=0.0, g=1.0, omega=0.0)
    >>> model_bloch_vectors(env, math.pi / 4).round(12).tolist()  # +x rotated by -+pi/2 about z
    [[[0.0, 1.0, 0.0], [0.0, -1.0, 0.0]]]
    """
    check_environment(env)
    tt = check_real_scalar(t, "t")
    rho0 = bloch_state(env.a, env.theta, env.phi)
    up, down = conditional_states(rho0, env.g, env.omega, tt)
    stack = np.stack([up, down], axis=1)  # (N, 2, 2, 2)
    return np.asarray(np.einsum("aij,nsji->nsa", _PAULIS, stack).real)


def synthetic_counts(
    env: SpinEnvironment, t: float, shots: int, rng: np.random.Generator, *, labels: Sequence[str] = ()
) -> TomographyCounts:
    """Simulated tomography counts: ``shots`` per basis, binomial outcomes from the exact states.

    Examples
    --------
    >>> env = nv_like_bath(3, np.random.default_rng(0))
    >>> synthetic_counts(env, 1.0, 100, np.random.default_rng(1)).n_plus.shape
    (3, 2, 3)
    """
    n = check_size(shots, "shots", maximum=2**53)
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")
    r = model_bloch_vectors(env, t)
    p_plus = np.clip((1.0 + r) / 2.0, 0.0, 1.0)
    return TomographyCounts(rng.binomial(n, p_plus), np.full(r.shape, n), tuple(labels))


def nv_like_bath(n_spins: int, rng: np.random.Generator, *, a: float = 0.8, coupling_scale: float = 1.0) -> SpinEnvironment:
    """An NV-like nuclear-spin bath: random hyperfine couplings and random initial directions.

    Couplings ``g_k`` are drawn from a dipolar-like heavy-tailed law (``coupling_scale / r^3`` with
    distances uniform in [1, 2.5], random sign), fields ``omega_k`` (Larmor precession, same
    units) uniform in [0.2, 0.6], partially polarised spins of Bloch length ``a`` along
    isotropically random directions.

    Examples
    --------
    >>> nv_like_bath(4, np.random.default_rng(0)).n_env
    4
    """
    n = check_size(n_spins, "n_spins", maximum=MAX_SPINS)
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")
    dist = rng.uniform(R_MIN, R_MAX, n)
    g = coupling_scale * rng.choice([-1.0, 1.0], n) / dist**3
    omega = rng.uniform(W_MIN, W_MAX, n)
    theta = np.arccos(rng.uniform(-1.0, 1.0, n))
    phi = rng.uniform(0.0, 2 * math.pi, n)
    return SpinEnvironment(a=np.full(n, a), theta=theta, phi=phi, g=g, omega=omega)


def nv_like_population_xi(t: float, *, a: float = 0.8, coupling_scale: float = 1.0, nodes: int = 400) -> float:
    """Population typical Chernoff information ``-ln min_c E[Q(c)]`` (nats) of :func:`nv_like_bath`.

    Both conditional states of a spin are rotations of the same initial state, so ``Q(c)`` is
    symmetric about ``c = 1/2`` and ``c* = 1/2``. There ``1 - Q = (1 - n_up.n_down)/2 (1 - sqrt(1 - a^2))``;
    averaged over isotropic directions ``n_up.n_down`` has mean ``tr(R)/3`` with R the relative
    rotation, ``(tr R + 1)/4 = m^2``, ``m = 1 - 2 g^2 sin^2(Omega t)/Omega^2``,
    ``Omega = sqrt(g^2 + omega^2)``. The remaining average over r and omega is Gauss-Legendre
    quadrature (``nodes`` per axis).

    Examples
    --------
    >>> round(nv_like_population_xi(0.0), 12)
    0.0
    """
    tt = check_real_scalar(t, "t")
    aa = check_real_scalar(a, "a")
    scale = check_real_scalar(coupling_scale, "coupling_scale")
    k = check_int(nodes, "nodes", minimum=2)
    if k > 100_000:
        raise ValueError(f"nodes must be <= 100000 (a nodes^2 grid is built), got {k}")
    if not 0.0 <= aa <= 1.0:
        raise ValueError(f"a must lie in [0, 1], got {aa}")
    x, w = np.polynomial.legendre.leggauss(k)
    r = (R_MIN + R_MAX) / 2 + (R_MAX - R_MIN) / 2 * x
    om = (W_MIN + W_MAX) / 2 + (W_MAX - W_MIN) / 2 * x
    g = scale / r[:, None] ** 3
    big = np.sqrt(g**2 + om[None, :] ** 2)
    m = 1.0 - 2.0 * g**2 * np.sin(big * tt) ** 2 / big**2
    u = (1.0 - math.sqrt(1.0 - aa * aa)) / 2.0 * (4.0 / 3.0) * (1.0 - m**2)
    mean_u = float((w / 2) @ u @ (w / 2))
    return -math.log1p(-mean_u)


__all__ = ["model_bloch_vectors", "synthetic_counts", "nv_like_bath", "nv_like_population_xi"]
