"""A directory of per-point results that survives SIGKILL and concurrent writers.

Layout of a store rooted at ``root``::

    root/manifest.json          the spec of the run that created the store (written once)
    root/manifests/<hash>.json  any later, different spec opened on the same directory
    root/points/<key>.nc        one small NetCDF per finished point (params in an attribute)
    root/errors/<key>.json      one JSON record per failed point (error text and traceback)

Every file is written to a temporary name in its final directory and moved into place with
``os.replace`` (the manifest with ``os.link``, which refuses to overwrite), so a point is either
fully present or absent whatever moment the writer is killed, and no file shared between
points is ever rewritten: any number of processes may write different points of one store at
the same time. Temporary files left by a killed writer start with ``.`` and are ignored.

Spec changes: when a store is opened with a ``spec`` different from the one in
``manifest.json``, the original manifest is kept unchanged (it describes the run that created
the directory) and the new spec is recorded in ``manifests/<hash>.json``; ``spec_changed`` is
then true and :meth:`PointStore.spec_history` lists every spec seen. Points are keyed by their
own parameters, never by the spec, so finished points remain valid and are reused.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import json
import os
import tempfile
import traceback as _tb
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .results import _file_mode, _jsonable, _write_failed, load_dataset, provenance, save_dataset, write_json

PARAMS_ATTR = "qdarwin_point_params"
KEY_ATTR = "qdarwin_point_key"
_POINT_ATTRS = (PARAMS_ATTR, KEY_ATTR, "point_created_utc")
_PROVENANCE_KEYS = ("qdarwin_version", "git_hash", "numpy_version", "scipy_version", "python_version", "machine", "created_utc", "xarray_version")


def canonical_json(obj: Any) -> str:
    """Canonical JSON text of ``obj``: sorted keys, no spaces, numpy types converted.

    Examples
    --------
    >>> canonical_json({"b": 1, "a": [0.5, "x"]})
    '{"a":[0.5,"x"],"b":1}'
    """
    return json.dumps(_jsonable(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@functools.lru_cache(maxsize=1)
def _cached_provenance() -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in provenance().items() if k != "created_utc")


def _plain(attrs: Any) -> bool:
    """True if a raw NetCDF variable needs no CF decoding (no scaling, time units, non-NaN fill)."""
    if {"scale_factor", "add_offset", "calendar", "dtype"} & set(attrs):
        return False
    units = attrs.get("units", "")
    if isinstance(units, (str, bytes)) and " since " in (units.decode() if isinstance(units, bytes) else units):
        return False
    fill = attrs.get("_FillValue")
    return fill is None or bool(np.all(np.isnan(np.asarray(fill, dtype=float))))


def _outer_align(first: Any, points: list[Any]) -> list[Any]:
    """Bring ragged points to common inner dimensions (outer join, NaN where a point has no value).

    Index coordinates become the sorted union of the points' values; dimensions without a
    coordinate are padded at the end to the longest point. Fast-read points (no coordinates)
    carry ``first``'s coordinates.
    """
    full = [ds if ds.coords or ds is first else ds.assign_coords({d: first[d] for d in first.dims if d in first.coords}) for ds in points]
    dims: dict[str, Any] = {}
    for ds in full:
        for d, n in ds.sizes.items():
            if d in ds.coords:
                prev = dims.get(d)
                dims[d] = ds[d].values if prev is None or isinstance(prev, int) else np.union1d(prev, ds[d].values)
            elif not isinstance(dims.get(d), np.ndarray):
                dims[d] = max(int(dims.get(d, 0)), n)
    out = []
    for ds in full:
        coord_dims = {d: v for d, v in dims.items() if isinstance(v, np.ndarray) and d in ds.dims}
        ds = ds.reindex(coord_dims) if coord_dims else ds
        pads = {d: (0, v - ds.sizes[d]) for d, v in dims.items() if isinstance(v, int) and d in ds.dims and ds.sizes[d] < v}
        out.append(ds.pad(pads) if pads else ds)
    return out


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class PointStore:
    """Atomic per-point result store (see the module docstring for the layout).

    Parameters
    ----------
    root : path
        Directory of the store; created (with parents) unless ``create`` is false.
    spec : dict, optional
        Description of the run (e.g. a sweep's config). Written to ``manifest.json`` when the
        store is created; a different spec on an existing store is recorded, not overwritten.
    create : bool, keyword-only
        If false, ``root`` must already exist (``FileNotFoundError`` otherwise).

    Examples
    --------
    >>> import tempfile, xarray as xr
    >>> store = PointStore(tempfile.mkdtemp(), spec={"function": "demo"})
    >>> key = PointStore.key_for({"n": 3})
    >>> store.put(key, xr.Dataset({"y": 9.0}), {"n": 3})
    >>> store.has(key), float(store.get(key)["y"]), store.params(key)
    (True, 9.0, {'n': 3})
    """

    def __init__(self, root: str | os.PathLike[str], spec: Mapping[str, Any] | None = None, *, create: bool = True) -> None:
        self.root = Path(root)
        if not create and not self.root.is_dir():
            raise FileNotFoundError(f"no such result directory: {self.root}")
        if self.root.exists() and not self.root.is_dir():
            raise ValueError(f"result directory {self.root} exists and is not a directory")
        self.points_dir = self.root / "points"
        self.errors_dir = self.root / "errors"
        self.manifest_path = self.root / "manifest.json"
        self.spec_changed = False
        if create:
            self.points_dir.mkdir(parents=True, exist_ok=True)
            self.errors_dir.mkdir(parents=True, exist_ok=True)
        if spec is not None:
            self._record_spec(dict(spec))

    # ------------------------------------------------------------------ manifest
    def _record_spec(self, spec: dict[str, Any]) -> None:
        record = {"spec": _jsonable(spec), "spec_hash": self.key_for(spec), "created_utc": _now(), **dict(_cached_provenance())}
        if not self.manifest_path.exists():
            if self._create_exclusive(self.manifest_path, record):
                return
        current = self.manifest()
        if canonical_json(current.get("spec")) == canonical_json(record["spec"]):
            return
        self.spec_changed = True
        path = self.root / "manifests" / f"{record['spec_hash']}.json"
        if not path.exists():
            self._create_exclusive(path, record)

    @staticmethod
    def _create_exclusive(path: Path, record: Mapping[str, Any]) -> bool:
        """Write ``record`` to ``path`` only if absent (atomic link); True if this call created it."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise _write_failed(path, exc) from None
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(json.dumps(_jsonable(record), indent=2) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, _file_mode())
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            return True
        except OSError as exc:
            raise _write_failed(path, exc) from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def manifest(self) -> dict[str, Any]:
        """The manifest record (``{"spec": ..., "spec_hash": ..., provenance...}``); {} if absent."""
        if not self.manifest_path.exists():
            return {}
        return json.loads(self.manifest_path.read_text())

    @property
    def spec(self) -> dict[str, Any] | None:
        """The spec of the run that created the store (None if it was created without one)."""
        return self.manifest().get("spec")

    def spec_history(self) -> list[dict[str, Any]]:
        """Every spec recorded on this store, oldest first (the manifest's spec first)."""
        out = [self.manifest()] if self.manifest_path.exists() else []
        extra_dir = self.root / "manifests"
        if extra_dir.is_dir():
            extra = [json.loads(p.read_text()) for p in extra_dir.glob("*.json") if not p.name.startswith(".")]
            out.extend(sorted(extra, key=lambda r: (r.get("created_utc", ""), r.get("spec_hash", ""))))
        return [r["spec"] for r in out if "spec" in r]

    # ------------------------------------------------------------------ keys
    @staticmethod
    def key_for(params: Mapping[str, Any]) -> str:
        """Stable key of a parameter dict: first 24 hex digits of SHA-256 of its canonical JSON.

        Numpy scalars hash like the equal Python numbers; ``1`` and ``1.0`` give different keys
        (normalise types before keying if they must agree).

        Examples
        --------
        >>> PointStore.key_for({"a": 1, "b": 2.5}) == PointStore.key_for({"b": 2.5, "a": 1})
        True
        >>> len(PointStore.key_for({}))
        24
        """
        if not isinstance(params, Mapping):
            raise ValueError(f"params must be a dict, got {type(params).__name__}")
        return hashlib.sha256(canonical_json(dict(params)).encode()).hexdigest()[:24]

    def _point_path(self, key: str) -> Path:
        self._check_key(key)
        return self.points_dir / f"{key}.nc"

    def _error_path(self, key: str) -> Path:
        self._check_key(key)
        return self.errors_dir / f"{key}.json"

    @staticmethod
    def _check_key(key: str) -> None:
        if not isinstance(key, str) or not key or key.startswith(".") or any(c in key for c in "/\\\0"):
            raise ValueError(f"invalid point key {key!r}")

    def has(self, key: str) -> bool:
        """True if the point ``key`` has finished (its NetCDF file is in place)."""
        return self._point_path(key).exists()

    def keys(self) -> set[str]:
        """Keys of all finished points."""
        if not self.points_dir.is_dir():
            return set()
        return {p.name[:-3] for p in self.points_dir.iterdir() if p.name.endswith(".nc") and not p.name.startswith(".")}

    def __len__(self) -> int:
        return len(self.keys())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.has(key)

    # ------------------------------------------------------------------ write
    def put(self, key: str, ds: Any, params: Mapping[str, Any]) -> None:
        """Store a finished point atomically (overwrites an earlier result for ``key``).

        The point's params are stored as the JSON attribute ``qdarwin_point_params``; provenance
        attributes are added. An error record for ``key`` is removed afterwards.
        """
        import xarray as xr

        if not isinstance(ds, xr.Dataset):
            raise ValueError(f"a point result must be an xarray.Dataset, got {type(ds).__name__}")
        path = self._point_path(key)
        out = ds.copy()
        out.attrs = {**dict(_cached_provenance()), **ds.attrs, PARAMS_ATTR: canonical_json(dict(params)), KEY_ATTR: key, "point_created_utc": _now()}
        save_dataset(out, path, stamp=False)
        err = self._error_path(key)
        if err.exists():
            err.unlink(missing_ok=True)

    def put_error(self, key: str, params: Mapping[str, Any], error: BaseException | str, *, traceback: str | None = None, error_type: str | None = None) -> None:
        """Record a failed point: error type, message and traceback, as ``errors/<key>.json``.

        ``error`` is the exception (its traceback is formatted) or a message; ``traceback`` and
        ``error_type`` override what is derived from it (e.g. for errors reported by a remote
        worker).
        """
        if isinstance(error, BaseException):
            record = {
                "error_type": type(error).__name__,
                "error": str(error),
                "traceback": "".join(_tb.format_exception(type(error), error, error.__traceback__)),
            }
        else:
            record = {"error_type": "Error", "error": str(error), "traceback": ""}
        if traceback is not None:
            record["traceback"] = traceback
        if error_type is not None:
            record["error_type"] = error_type
        write_json(self._error_path(key), {"key": key, "params": dict(params), "created_utc": _now(), **record})

    def clear_error(self, key: str) -> None:
        """Remove the error record of ``key`` (e.g. before retrying it)."""
        self._error_path(key).unlink(missing_ok=True)

    # ------------------------------------------------------------------ read
    def errors(self) -> dict[str, dict[str, Any]]:
        """Error records of failed points that have not finished since: ``{key: record}``."""
        if not self.errors_dir.is_dir():
            return {}
        done = self.keys()
        out: dict[str, dict[str, Any]] = {}
        for p in sorted(self.errors_dir.iterdir()):
            if p.suffix == ".json" and not p.name.startswith("."):
                key = p.name[:-5]
                if key not in done:
                    try:
                        out[key] = json.loads(p.read_text())
                    except (OSError, json.JSONDecodeError):
                        continue
        return out

    def get(self, key: str) -> Any:
        """The stored Dataset of point ``key`` (``KeyError`` if it has not finished)."""
        path = self._point_path(key)
        if not path.exists():
            raise KeyError(f"point {key} not in store {self.root}")
        return load_dataset(path)

    def params(self, key: str) -> dict[str, Any]:
        """The params a point was stored with."""
        return json.loads(self.get(key).attrs[PARAMS_ATTR])

    def _read_fast(self, key: str, like: Any) -> Any:
        """Read the data variables of point ``key`` shaped like ``like`` (a loaded point).

        Uses h5py directly (about 5x faster than ``xarray.open_dataset`` for tiny files);
        falls back to :meth:`get` when the raw variables or index coordinates do not match
        ``like`` in name, shape, dtype or values (complex or encoded variables, ragged points).
        The fast result has no coordinates: they equal those of ``like``.
        """
        import h5py
        import xarray as xr

        try:
            with h5py.File(self._point_path(key), "r", locking=False) as fh:
                raw = {}
                for name in like.data_vars:
                    var = fh.get(str(name))
                    ref = like[name]
                    if not isinstance(var, h5py.Dataset) or var.shape != ref.shape or var.dtype != ref.dtype or not _plain(var.attrs):
                        return self.get(key)
                    raw[name] = (ref.dims, var[()])
                for dim in like.dims:
                    if dim in like.coords:
                        coord = fh.get(str(dim))
                        if not isinstance(coord, h5py.Dataset) or coord.shape != like[dim].shape or not np.array_equal(coord[()], like[dim].values):
                            return self.get(key)
                params = fh.attrs[PARAMS_ATTR]
        except (OSError, KeyError):
            return self.get(key)
        if isinstance(params, bytes):
            params = params.decode()
        return xr.Dataset(raw, attrs={PARAMS_ATTR: str(params)})

    def clean_temporary(self) -> int:
        """Remove temporary files left by killed writers; only call when no writer is running."""
        n = 0
        for d in (self.points_dir, self.errors_dir, self.root / "manifests", self.root):
            if d.is_dir():
                for p in d.iterdir():
                    if p.name.startswith(".") and p.is_file():
                        p.unlink(missing_ok=True)
                        n += 1
        return n

    # ------------------------------------------------------------------ combine
    def collect(self, dims: str | Sequence[str], *, keys: Iterable[str] | None = None) -> Any:
        """Combine finished points into one Dataset with the grid axes ``dims`` as coordinates.

        Each point's coordinate along ``dims`` is read from its params. Coordinates are the sorted
        distinct values found; grid cells without a finished point are NaN (integer and boolean
        variables are then promoted to float; string variables get ""). Attributes of the first point are kept (minus the
        per-point ones); params that are not in ``dims`` and equal for every point are added as
        ``param_<name>`` attributes. Points whose inner dimensions differ (a size or a time axis
        that depends on a grid parameter) are joined like ``xarray.align(join="outer")``: the
        inner coordinate is the union of the points' values and absent entries are NaN.

        Parameters
        ----------
        dims : str or sequence of str
            Parameter names to use as grid axes (outermost first).
        keys : iterable of str, optional
            Restrict to these finished points (default: all).

        Raises
        ------
        ValueError
            No points; a point lacking a dim param; two points on the same grid cell; points
            whose variables have different dimension names.
        """
        import xarray as xr

        dims = [dims] if isinstance(dims, str) else list(dims)
        if len(set(dims)) != len(dims):
            raise ValueError(f"collect dims must be distinct, got {dims}")
        chosen = sorted(self.keys() if keys is None else set(keys) & self.keys())
        if not chosen:
            raise ValueError(f"no finished points to collect in {self.root}")
        first = self.get(chosen[0])
        points = [first] + [self._read_fast(k, first) for k in chosen[1:]]
        if any(ds.coords or ds.sizes != first.sizes for ds in points[1:]):
            points = _outer_align(first, points)
        params = [json.loads(ds.attrs[PARAMS_ATTR]) for ds in points]
        for k, p in zip(chosen, params):
            missing = [d for d in dims if d not in p]
            if missing:
                raise ValueError(f"point {k} has no parameter(s) {missing} (its params: {sorted(p)})")
        coords: dict[str, list[Any]] = {}
        for d in dims:
            vals = {canonical_json(p[d]): p[d] for p in params}
            try:
                coords[d] = sorted(vals.values())
            except TypeError:
                coords[d] = [vals[c] for c in sorted(vals)]
        index = {d: {canonical_json(v): i for i, v in enumerate(coords[d])} for d in dims}
        cells = [tuple(index[d][canonical_json(p[d])] for d in dims) for p in params]
        if len(set(cells)) != len(cells):
            seen: dict[tuple[int, ...], str] = {}
            for k, c in zip(chosen, cells):
                if c in seen:
                    raise ValueError(f"points {seen[c]} and {k} fall on the same grid cell of {dims}; add the parameter that distinguishes them to dims")
                seen[c] = k
        shape = tuple(len(coords[d]) for d in dims)
        complete = len(cells) == int(np.prod(shape))
        first = points[0]
        for d in dims:
            if d in first.dims or d in first.variables:
                raise ValueError(f"grid axis {d!r} clashes with a dimension or variable of the point datasets")
        data_vars: dict[str, Any] = {}
        for name in first.data_vars:
            var = first[name]
            for k, ds in zip(chosen, points):
                if name not in ds or ds[name].dims != var.dims or ds[name].shape != var.shape:
                    raise ValueError(f"variable {name!r} of point {k} does not match the first point (dims {var.dims}, shape {var.shape})")
            if var.dtype.kind in "USO":
                arr = np.full(shape + var.shape, "", dtype=object)  # strings: missing cells are ""
            else:
                dtype = var.dtype if complete or var.dtype.kind in "fc" else np.dtype(float)
                arr = np.full(shape + var.shape, np.nan, dtype=dtype) if not complete else np.empty(shape + var.shape, dtype=dtype)
            for c, ds in zip(cells, points):
                arr[c] = ds[name].values
            if arr.dtype == object:
                arr = arr.astype(str)
            data_vars[name] = (tuple(dims) + var.dims, arr, dict(var.attrs))
        inner_coords = {c: first.coords[c] for c in first.coords}
        out = xr.Dataset(data_vars, coords={**{d: np.asarray(coords[d]) for d in dims}, **inner_coords})
        attrs = {k: v for k, v in first.attrs.items() if k not in _POINT_ATTRS}
        others = sorted({n for p in params for n in p} - set(dims))
        for n in others:
            distinct = {canonical_json(p.get(n)) for p in params}
            if len(distinct) == 1 and n in params[0]:
                v = params[0][n]
                attrs[f"param_{n}"] = v if isinstance(v, (int, float, str)) and not isinstance(v, bool) else canonical_json(v)
        attrs["n_points"] = len(chosen)
        attrs["grid_complete"] = int(complete)
        out.attrs = attrs
        return out


__all__ = ["PointStore", "canonical_json", "PARAMS_ATTR", "KEY_ATTR"]
