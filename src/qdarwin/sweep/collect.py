"""Status and collection of a sweep's results directory."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..io.store import PointStore, canonical_json
from .config import Sweep
from .execute import load_sweep_spec


@dataclasses.dataclass(frozen=True)
class SweepStatus:
    """Progress of a sweep on disk.

    Attributes
    ----------
    function : str
    dims : tuple of str
        Grid axes (outermost first).
    shape : tuple of int
    total, done, failed, pending : int
        Points in the grid, finished, failed (not finished since), not yet attempted.
    errors : dict
        ``{key: {"params": ..., "error_type": ..., "error": ...}}`` of the failed points.
    """

    function: str
    dims: tuple[str, ...]
    shape: tuple[int, ...]
    total: int
    done: int
    failed: int
    pending: int
    errors: dict[str, dict[str, Any]]


def sweep_status(out: str | os.PathLike[str]) -> SweepStatus:
    """Count finished, failed and pending points of the sweep last run into ``out``.

    Examples
    --------
    >>> import tempfile
    >>> from qdarwin.sweep import Sweep, run_sweep
    >>> d = tempfile.mkdtemp()
    >>> _ = run_sweep(Sweep("info.binary_entropy", grid={"p": [0.5, 2.0]}), d)
    >>> st = sweep_status(d)
    >>> st.total, st.done, st.failed, st.pending
    (2, 1, 1, 0)
    """
    sweep = load_sweep_spec(out)
    store = PointStore(out, create=False)
    keys = [PointStore.key_for(p) for p in sweep.points()]
    done = store.keys()
    errs = store.errors()
    grid_errors = {k: {f: errs[k].get(f) for f in ("params", "error_type", "error")} for k in keys if k in errs and k not in done}
    n_done = sum(k in done for k in keys)
    return SweepStatus(
        function=sweep.function,
        dims=sweep.dims,
        shape=sweep.shape,
        total=len(keys),
        done=n_done,
        failed=len(grid_errors),
        pending=len(keys) - n_done - len(grid_errors),
        errors=grid_errors,
    )


def collect_sweep(out: str | os.PathLike[str], *, sweep: Sweep | None = None, require_complete: bool = False) -> Any:
    """Combine a sweep's finished points into one ``xarray.Dataset``.

    The grid axes become coordinates in the order and with the values declared by the sweep
    (default: the sweep last run into ``out``); missing or failed points are NaN. Attributes
    record the function, the full sweep spec (JSON), fixed parameters (``param_<name>``), the
    number of finished/failed points, and the point functions' own attributes (units,
    conventions).

    Raises
    ------
    ValueError
        No finished point of the sweep, or ``require_complete`` and points are missing.

    Examples
    --------
    >>> import tempfile
    >>> from qdarwin.sweep import Sweep, run_sweep
    >>> d = tempfile.mkdtemp()
    >>> _ = run_sweep(Sweep("info.binary_entropy", grid={"p": [0.5, 0.0]}), d)
    >>> collect_sweep(d)["entropy"].values.tolist()
    [1.0, 0.0]
    """
    if sweep is None:
        sweep = load_sweep_spec(out)
    store = PointStore(out, create=False)
    keys = {PointStore.key_for(p) for p in sweep.points()}
    finished = keys & store.keys()
    if not finished:
        raise ValueError(f"no finished points of this sweep in {Path(out)} (run 'qdarwin sweep run' first)")
    missing = len(keys) - len(finished)
    if require_complete and missing:
        raise ValueError(f"{missing} of {len(keys)} points are not finished in {Path(out)}")
    ds = store.collect(list(sweep.dims), keys=finished)
    axes = sweep.axes
    index = {d: {canonical_json(v): i for i, v in enumerate(ds[d].values.tolist())} for d in sweep.dims}
    if missing:
        order = {d: [index[d].get(canonical_json(v)) for v in axes[d]] for d in sweep.dims}
        ds = _reindex(ds, sweep, order)
    else:
        ds = ds.isel({d: [index[d][canonical_json(v)] for v in axes[d]] for d in sweep.dims})
    n_failed = len(keys & set(store.errors()))
    ds.attrs.update(
        {
            "sweep_function": sweep.function,
            "sweep_spec": json.dumps(sweep.to_spec(), sort_keys=True),
            "n_points": len(keys),
            "n_finished": len(finished),
            "n_failed": n_failed,
            "grid_complete": int(missing == 0),
        }
    )
    return ds


def _reindex(ds: Any, sweep: Sweep, order: dict[str, list[int | None]]) -> Any:
    """Place the collected values on the declared grid; cells absent from ``ds`` become NaN."""
    import xarray as xr

    axes = sweep.axes
    dims = list(sweep.dims)
    data_vars = {}
    for name, var in ds.data_vars.items():
        inner = var.shape[len(dims):]
        dtype = var.dtype if var.dtype.kind in "fc" else np.dtype(float)
        arr = np.full(tuple(len(axes[d]) for d in dims) + inner, np.nan, dtype=dtype)
        src_idx = [np.array([i for i in order[d] if i is not None], dtype=int) for d in dims]
        dst_idx = [np.array([j for j, i in enumerate(order[d]) if i is not None], dtype=int) for d in dims]
        arr[np.ix_(*dst_idx)] = var.values[np.ix_(*src_idx)] if dims else var.values
        data_vars[name] = (var.dims, arr, dict(var.attrs))
    coords = {d: np.asarray(axes[d]) for d in dims}
    coords.update({c: ds.coords[c] for c in ds.coords if c not in dims})
    return xr.Dataset(data_vars, coords=coords, attrs=dict(ds.attrs))


__all__ = ["SweepStatus", "sweep_status", "collect_sweep"]
