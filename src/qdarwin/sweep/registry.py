"""Registry of sweepable functions, resolved lazily by dotted path.

A sweep names its function either by a registry name (``"spins.random_band_redundancy"``) or
directly as ``"package.module:function"``. Nothing is imported until a sweep is validated, so a
pillar that is missing or broken only affects the sweeps that use it, with a clear error.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping

import numpy as np

_BUILTIN: dict[str, tuple[str, str]] = {
    "demo.random_walk": ("qdarwin.sweep.functions:random_walk", "Gaussian random walk with drift (demo; seed, optional delay)"),
    "info.binary_entropy": ("qdarwin.sweep.functions:binary_entropy", "H(p) in bits"),
    "spins.random_band_redundancy": (
        "qdarwin.sweep.functions:random_band_redundancy",
        "typical Chernoff information and QCB redundancy vs time, random-band couplings (seed)",
    ),
    "thermal.near_degeneracy": (
        "qdarwin.sweep.functions:near_degeneracy",
        "I(S:F_m) late-time curves of interpolating(phi) in the chaotic Ising ring (thermal Fig. 3)",
    ),
    "dephasing.hamming_margin": (
        "qdarwin.sweep.functions:hamming_margin",
        "constraint margin of 3-qubit Hamming-distance rates over (mu1, mu2) (dephasing Fig. 3)",
    ),
}
_USER: dict[str, Callable[..., Any] | str] = {}


def register(name: str, target: Callable[..., Any] | str) -> None:
    """Register a sweepable function under ``name`` (a callable or a ``"module:function"`` path).

    Callables must be importable by reference (module-level) to run on Dask workers; the
    function receives the point's parameters as keyword arguments and returns an
    ``xarray.Dataset`` or a dict of scalars/arrays (see :func:`to_dataset`).
    """
    if not isinstance(name, str) or not name:
        raise ValueError("a sweep function name must be a non-empty string")
    if not (callable(target) or (isinstance(target, str) and ":" in target)):
        raise ValueError(f"target for {name!r} must be a callable or 'module:function', got {target!r}")
    _USER[name] = target


def available_functions() -> dict[str, str]:
    """Registry names with one-line descriptions."""
    out = {k: v[1] for k, v in _BUILTIN.items()}
    out.update({k: (v if isinstance(v, str) else getattr(v, "__qualname__", repr(v))) for k, v in _USER.items()})
    return dict(sorted(out.items()))


def _import_path(path: str, name: str) -> Callable[..., Any]:
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"sweep function {name!r} is not available: cannot import {module_name} ({exc})") from None
    try:
        fn = getattr(module, attr)
    except AttributeError:
        raise ValueError(f"sweep function {name!r} is not available: {module_name} has no {attr!r}") from None
    if not callable(fn):
        raise ValueError(f"sweep function {name!r}: {path} is not callable")
    return fn


def resolve(name: str) -> Callable[..., Any]:
    """The callable behind a registry name or a ``"module:function"`` path.

    Raises
    ------
    ValueError
        Unknown name (the message lists the available ones) or an import failure.

    Examples
    --------
    >>> resolve("demo.random_walk").__name__
    'random_walk'
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"sweep function must be a non-empty string, got {name!r}")
    if name in _USER:
        target = _USER[name]
        return target if callable(target) else _import_path(target, name)
    if name in _BUILTIN:
        return _import_path(_BUILTIN[name][0], name)
    if ":" in name:
        return _import_path(name, name)
    raise ValueError(f"unknown sweep function {name!r}; available: {', '.join(available_functions())} (or 'module:function')")


def to_dataset(result: Any) -> Any:
    """Convert a function's result to an ``xarray.Dataset``.

    Datasets pass through; a dict maps names to scalars (0-d variables) or arrays (dimensions
    ``<name>_dim0``, ...); a bare number becomes the variable ``value``.

    Examples
    --------
    >>> ds = to_dataset({"x": 1.5, "v": [1, 2]})
    >>> float(ds["x"]), ds["v"].dims
    (1.5, ('v_dim0',))
    """
    import xarray as xr

    if isinstance(result, xr.Dataset):
        return result
    if isinstance(result, xr.DataArray):
        return result.to_dataset(name=result.name or "value")
    if isinstance(result, Mapping):
        data = {}
        for key, value in result.items():
            arr = np.asarray(value)
            if arr.dtype == object:
                raise ValueError(f"result entry {key!r} is not numeric or string data")
            data[str(key)] = (tuple(f"{key}_dim{i}" for i in range(arr.ndim)), arr)
        return xr.Dataset(data)
    if isinstance(result, (int, float, complex, np.number, np.ndarray)):
        return to_dataset({"value": result})
    raise ValueError(f"a sweep function must return an xarray.Dataset or a dict, got {type(result).__name__}")


__all__ = ["register", "resolve", "available_functions", "to_dataset"]
