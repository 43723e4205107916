"""Sweepable functions: one grid point in, one small ``xarray.Dataset`` out.

Each function takes scalar keyword parameters (their annotations are used to validate sweep
configs), an integer ``seed`` where randomness is involved (the generator is built from it, so a
point is reproducible on any worker), and returns a Dataset whose variables carry ``units``.
Pillar functions are imported inside the body, so this module imports nothing heavy and a
missing pillar gives a clear error at resolve time (see :mod:`qdarwin.sweep.registry`).
"""

from __future__ import annotations

import math
import time as _time
from typing import Any

import numpy as np


def random_walk(n_steps: int, drift: float, seed: int, delay: float = 0.0) -> Any:
    """Demo/test function: a Gaussian random walk with drift, positions after each step.

    ``delay`` (seconds) sleeps before returning, to emulate a slow point.

    Examples
    --------
    >>> ds = random_walk(4, 1.0, seed=0)
    >>> ds["position"].dims, ds["position"].shape
    (('step',), (4,))
    """
    import xarray as xr

    if n_steps < 1:
        raise ValueError(f"n_steps must be >= 1, got {n_steps}")
    if delay < 0:
        raise ValueError(f"delay must be >= 0, got {delay}")
    rng = np.random.default_rng(seed)
    pos = np.cumsum(rng.standard_normal(n_steps) + drift)
    if delay:
        _time.sleep(delay)
    return xr.Dataset(
        {"position": ("step", pos, {"units": "1", "long_name": "walker position"}), "final": ((), pos[-1], {"units": "1"})},
        coords={"step": np.arange(1, n_steps + 1)},
        attrs={"description": "Gaussian random walk with drift (demo)"},
    )


def binary_entropy(p: float) -> Any:
    """H(p) of a two-outcome distribution, in bits (a sweep over ``p``; raises outside [0, 1]).

    Examples
    --------
    >>> float(binary_entropy(0.5)["entropy"])
    1.0
    """
    import xarray as xr

    from ..info import binary_entropy as h2

    return xr.Dataset({"entropy": ((), float(h2(p)), {"units": "bit"})})


def random_band_redundancy(
    n_env: int,
    seed: int,
    band_width: float = 1.0,
    t_max: float = 5.0,
    n_times: int = 51,
    delta: float = 1e-10,
    a: float = 1.0,
    theta: float = math.pi / 2,
) -> Any:
    """Typical Chernoff information and QCB redundancy vs time for one random-band realisation.

    Pure-decoherence spin environment (Zwolak, Riedel, Zurek, arXiv:1512.07578): ``n_env`` spins, couplings ``g_k``
    i.i.d. uniform on ``[0, band_width]`` drawn from ``default_rng(seed)``, ``omega = 0``,
    Bloch length ``a`` and polar angle ``theta`` for every spin. Times ``linspace(0, t_max,
    n_times)``. Variables: ``chernoff(time)`` (nats, log of the mean overlap), ``redundancy(time)``
    (``R_delta`` = N xi / ln(1/delta), fragments), ``couplings(spin)``.

    Examples
    --------
    >>> ds = random_band_redundancy(8, seed=1, n_times=3)
    >>> dict(ds.sizes), float(ds["chernoff"][0]), float(ds["redundancy"][0])
    ({'time': 3, 'spin': 8}, 0.0, 0.0)
    """
    import xarray as xr

    from ..spins.chernoff import typical_chernoff
    from ..spins.model import SpinEnvironment
    from ..spins.redundancy import redundancy_qcb

    if n_env < 1:
        raise ValueError(f"n_env must be >= 1, got {n_env}")
    if n_times < 1:
        raise ValueError(f"n_times must be >= 1, got {n_times}")
    rng = np.random.default_rng(seed)
    g = rng.uniform(0.0, band_width, n_env)
    env = SpinEnvironment(a=a, theta=theta, phi=0.0, g=g, omega=0.0)
    times = np.linspace(0.0, t_max, n_times)
    xi = np.asarray(typical_chernoff(env, times), dtype=float)
    r = np.asarray(redundancy_qcb(n_env, xi, delta), dtype=float)
    return xr.Dataset(
        {
            "chernoff": ("time", xi, {"units": "nat", "long_name": "typical Chernoff information (log of mean overlap)"}),
            "redundancy": ("time", r, {"units": "fragments", "long_name": "QCB redundancy R_delta"}),
            "couplings": ("spin", g, {"units": "energy (hbar = 1)"}),
        },
        coords={"time": times, "spin": np.arange(n_env)},
        attrs={"model": "random band, g ~ U[0, band_width], omega = 0", "conventions": "hbar = 1; xi in nats"},
    )


def near_degeneracy(
    n_sites: int,
    sin_phi: float,
    t_window: list[float] | None = None,
    theta: float = math.pi / 4,
    method: str = "auto",
) -> Any:
    """I(S:F_m) of the ``interpolating(phi)`` broadcast in the chaotic Ising ring (Cao, Nussinov, arXiv:2603.15743, Fig. 3).

    ``phi = arcsin(sin_phi)``; the branches are evolved to each time of ``t_window`` (default
    20, 30, 40) and ``I(time, m)`` (bits) is returned with its window average ``I_late(m)`` and the
    energy splitting ``Delta = 2 h_x sin phi`` (attribute).

    Examples
    --------
    >>> ds = near_degeneracy(6, 0.5, t_window=[1.0])
    >>> round(float(ds["I_late"].sel(m=3)), 9), round(ds.attrs["Delta"], 9)  # I(N/2) = S(S) = 1 bit
    (1.0, 0.904508497)
    """
    from ..thermal.information import mi_dataset
    from ..thermal.models import ChaoticIsing, interpolating

    if not -1.0 <= sin_phi <= 1.0:
        raise ValueError(f"sin_phi must lie in [-1, 1], got {sin_phi}")
    window = [20.0, 30.0, 40.0] if t_window is None else [float(t) for t in t_window]
    env = ChaoticIsing(n_sites)
    setup = interpolating(math.asin(sin_phi), theta=theta)
    ds = mi_dataset(env, setup, window, method=method, window=window)
    ds["I_late"] = ds["I"].mean("time").assign_attrs(units=ds["I"].attrs.get("units", "bit"), long_name="I(S:F_m) averaged over the time window")
    ds.attrs["Delta"] = 2.0 * float(env.hx) * abs(sin_phi)
    return ds


def hamming_margin(mu1: float, mu2: float, gamma: float = 1.0) -> Any:
    """Constraint check of three-qubit Hamming-distance dephasing rates (Oi and Schirmer Fig. 3).

    Coherences differing in one bit decay at ``gamma``, in two bits at ``mu1 * gamma`` (mu_1), in
    three bits at ``mu2 * gamma`` (mu_2): the paper's naming, as in ``qdarwin dephasing limits``
    and Fig. 3 (``hamming_rates(3, [1, mu1, mu2], gamma)``). Variables:
    ``margin`` (rate units; >= 0 iff physical), ``physical`` (0/1), ``constraint`` (the paper's
    number of the first violated constraint, 0 when allowed).

    Examples
    --------
    >>> ds = hamming_margin(1.0, 1.0)  # e_1 = e_2 = e_3 = 1
    >>> round(float(ds["margin"]), 9), int(ds["physical"]), int(ds["constraint"])
    (1.0, 1, 0)
    """
    import xarray as xr

    from ..dephasing.constraints import check_constraints
    from ..dephasing.speed_limits import hamming_rates

    report = check_constraints(hamming_rates(3, [1.0, mu1, mu2], gamma))
    first = report.first_violation
    return xr.Dataset(
        {
            "margin": ((), float(report.margin), {"units": "rate (units of gamma)"}),
            "physical": ((), np.int8(bool(report.physical)), {"units": "1"}),
            "constraint": ((), np.int64(0 if first is None else first + 1), {"units": "1", "long_name": "paper constraint number of the first violation (0: allowed)"}),
        }
    )


__all__ = ["random_walk", "binary_entropy", "random_band_redundancy", "near_degeneracy", "hamming_margin"]
