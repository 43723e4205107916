"""Labelled (xarray) results of the energy/rate and projective-ensemble analysis (see docs/thermal-analysis.md).

The core only builds Datasets; writing is done by ``qdarwin.io.save_dataset``. Time
coordinates carry ``units = "1/J"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .ensemble import ensemble_summary
from .rates import chernoff_exponent, crossing_exponent, rate_function, scgf


def rates_dataset(
    laws: Sequence[Any],
    *,
    e: ArrayLike | None = None,
    beta: ArrayLike | None = None,
    probs: ArrayLike | None = None,
    beta_max: float = 20.0,
    attrs: dict[str, Any] | None = None,
) -> Any:
    """Dataset of rate functions and exponents for fractions of different sizes m.

    Parameters
    ----------
    laws : sequence of FractionEnergyLaw
        One law per fraction size (distinct m, same number of branches d).
    e : array_like, optional
        Energy-density grid of the rate functions (J per site); default 201 points on
        [-2.5, 2.5].
    beta : array_like, optional
        Grid of the SCGF (inverse energy units); default 81 points on [-2, 2].
    probs : array_like, optional
        System probabilities (zero-probability branches are dropped from kappa pairs).
    beta_max : float
        Legendre bound.
    attrs : dict, optional
        Extra attributes (e.g. N, preset, time window).

    Returns
    -------
    xarray.Dataset
        ``rate(branch, m, e)`` and ``scgf(branch, m, beta)`` [nats/site],
        ``kappa_cross(m)``, ``e_star(m)``, ``chernoff(m)``, ``chernoff_s(m)``,
        ``mean_density(branch, m)``, ``var_density(branch, m)``.

    Examples
    --------
    >>> from qdarwin.thermal.energy import make_energy_law
    >>> law = make_energy_law([-1.0, 1.0], [[0.25, 0.75], [0.75, 0.25]], 1)
    >>> ds = rates_dataset([law], e=[0.0], beta=[0.0])
    >>> round(float(ds["kappa_cross"].sel(m=1)), 9) == round(float(ds["chernoff"].sel(m=1)), 9)
    True
    """
    import xarray as xr


    laws = list(laws)
    if not laws:
        raise ValueError("laws: need at least one energy law")
    ms = [int(law.m) for law in laws]
    if len(set(ms)) != len(ms):
        raise ValueError(f"laws: fraction sizes must be distinct, got m = {ms}")
    d = laws[0].d
    if any(law.d != d for law in laws):
        raise ValueError("laws: all laws must have the same number of branches")
    e_arr = np.linspace(-2.5, 2.5, 201) if e is None else np.atleast_1d(np.asarray(e, dtype=float))
    b_arr = (
        np.linspace(-2.0, 2.0, 81) if beta is None else np.atleast_1d(np.asarray(beta, dtype=float))
    )
    cross = [crossing_exponent(law, probs=probs, beta_max=beta_max) for law in laws]
    cher = [chernoff_exponent(law, probs=probs) for law in laws]
    branch_m = ("branch", "m")
    ds = xr.Dataset(
        {
            "rate": (
                ("branch", "m", "e"),
                np.stack([rate_function(law, e_arr, beta_max=beta_max) for law in laws], axis=1),
            ),
            "scgf": (("branch", "m", "beta"), np.stack([scgf(law, b_arr) for law in laws], axis=1)),
            "kappa_cross": ("m", np.array([c.kappa for c in cross])),
            "e_star": ("m", np.array([c.e_star for c in cross])),
            "chernoff": ("m", np.array([c.exponent for c in cher])),
            "chernoff_s": ("m", np.array([c.s for c in cher])),
            "mean_density": (branch_m, np.stack([law.mean_density for law in laws], axis=1)),
            "var_density": (branch_m, np.stack([law.var_density for law in laws], axis=1)),
        },
        coords={"branch": np.arange(d), "m": ms, "e": e_arr, "beta": b_arr},
        attrs={
            "units_rate": "nats per site",
            "units_energy": "J per site",
            "beta_max": float(beta_max),
            **(attrs or {}),
        },
    )
    for name in ("rate", "scgf", "kappa_cross", "chernoff"):
        ds[name].attrs["units"] = "nat/site"
    return ds


def ensemble_dataset(ens: Any, *, attrs: dict[str, Any] | None = None) -> Any:
    """Dataset of a projective ensemble: ``weights(outcome)``, ``bloch(outcome, component)``
    (d = 2) or ``populations(outcome, branch)``, ``hist(bin)`` with ``bin_lo``/``bin_hi``; the
    scalar statistics are attributes.

    Examples
    --------
    >>> from qdarwin.thermal.ensemble import projective_ensemble
    >>> ds = ensemble_dataset(projective_ensemble(np.eye(2), [0.5, 0.5], bins=2))
    >>> ds["bloch"].sel(component="z").values.tolist(), float(ds.attrs["mean_z2"])
    ([1.0, -1.0], 1.0)
    """
    import xarray as xr


    data: dict[str, Any] = {
        "weights": ("outcome", ens.weights),
        "populations": (("outcome", "branch"), ens.populations),
    }
    coords: dict[str, Any] = {
        "outcome": np.arange(ens.weights.size),
        "branch": np.arange(ens.populations.shape[1]),
    }
    if ens.bloch is not None:
        data["bloch"] = (("outcome", "component"), ens.bloch)
        data["hist"] = ("bin", ens.hist)
        coords.update(
            component=["x", "y", "z"],
            bin=np.arange(ens.hist.size),
            bin_lo=("bin", ens.bin_edges[:-1]),
            bin_hi=("bin", ens.bin_edges[1:]),
        )
    summary = {k.replace(".", "_"): v for k, v in ensemble_summary(ens).items()}
    return xr.Dataset(data, coords=coords, attrs={**summary, **(attrs or {})})


__all__ = ["ensemble_dataset", "rates_dataset"]
