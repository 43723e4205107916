"""Atomic writers for datasets (NetCDF), JSON, text and figures, plus provenance stamps."""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import io
import json
import math
import os
import platform
import subprocess
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Iterator

import numpy as np


def _file_mode() -> int:
    """Permissions of a newly created regular file under the current umask (0644 for umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class WriteError(OSError):
    """A result file could not be written (disk full, permission, ...); the target is untouched."""

    def __str__(self) -> str:
        return str(self.strerror)


def _write_failed(target: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on device"
    return WriteError(exc.errno or 0, f"cannot write {target}: {reason}; finished results already written are intact")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it into place atomically.

    On an exception the temporary file is removed and ``path`` is left untouched. The final
    file gets the usual permissions of a new file (``0666 & ~umask``, 0644 by default), not the
    0600 of a temporary file. An ``OSError`` while writing (a full disk, say) is re-raised as
    :class:`WriteError`, one line naming the file.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix or ".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise _write_failed(target, exc) from None
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
            with open(tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp_path, _file_mode())
            os.replace(tmp_path, target)
        except WriteError:
            raise
        except OSError as exc:
            raise _write_failed(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def write_bytes(path: str | os.PathLike[str], data: bytes | memoryview) -> Path:
    """Write bytes atomically (see :func:`atomic_write`)."""
    with atomic_write(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return Path(path)


def _git_hash() -> str:
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or "unknown"
    except Exception:
        return "unknown"


def provenance() -> dict[str, str]:
    """Metadata stamped into every saved result: versions, git hash, machine, date (UTC)."""
    import scipy

    from .. import __version__

    info = {
        "qdarwin_version": __version__,
        "git_hash": _git_hash(),
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "python_version": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        import xarray

        info["xarray_version"] = xarray.__version__
    except ImportError:  # pragma: no cover - xarray is a dependency
        pass
    return info


#: Key added to a top-level JSON object that contains non-finite numbers (see :func:`to_jsonable`).
NONFINITE_KEY = "nonfinite"


def _nonfinite_text(f: float) -> str:
    return "inf" if f > 0 else "-inf" if f < 0 else "nan"


def _jsonable(obj: Any, found: dict[str, str] | None = None, where: str = "") -> Any:
    """JSON types; non-finite floats become ``"inf"``-style strings (``found is None``, used for
    canonical point keys) or ``null`` recorded in ``found[json_pointer]``."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v, found, f"{where}/{k}") for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v, found, f"{where}/{i}") for i, v in enumerate(obj)]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist(), found, where)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        if math.isfinite(f):
            return f
        if found is None:
            return _nonfinite_text(f)
        found[where or "/"] = _nonfinite_text(f)
        return None
    if isinstance(obj, (complex, np.complexfloating)):
        return {"re": _jsonable(obj.real, found, f"{where}/re"), "im": _jsonable(obj.imag, found, f"{where}/im")}
    if isinstance(obj, Path):
        return str(obj)
    return obj


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, complex numbers and non-finite floats to JSON types.

    Convention for infinities and NaN (JSON has no such numbers): the value is written as
    ``null`` and, when ``obj`` is a mapping, the output gets one more key ``"nonfinite"``
    mapping the JSON pointer (RFC 6901) of each such value to ``"inf"``, ``"-inf"`` or
    ``"nan"``. Numeric arrays therefore stay arrays of numbers and nulls (see
    ``docs/conventions.md``).

    Examples
    --------
    >>> to_jsonable({"xi": [1.5, float("inf")], "n": np.int64(3)})
    {'xi': [1.5, None], 'n': 3, 'nonfinite': {'/xi/1': 'inf'}}
    """
    found: dict[str, str] = {}
    out = _jsonable(obj, found)
    if found and isinstance(out, dict):
        out[NONFINITE_KEY] = found
    return out


def write_json(path: str | os.PathLike[str], obj: Any, *, indent: int = 2) -> Path:
    """Write ``obj`` as JSON atomically (numpy types converted; non-finite numbers as in :func:`to_jsonable`)."""
    with atomic_write(path, ".json") as tmp:
        tmp.write_text(json.dumps(to_jsonable(obj), indent=indent, allow_nan=False) + "\n")
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write text atomically."""
    with atomic_write(path) as tmp:
        tmp.write_text(text)
    return Path(path)


def _clean_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if v is None:
            out[k] = "none"
        elif isinstance(v, bool):
            out[k] = int(v)
        elif isinstance(v, (str, int, float, np.integer, np.floating)):
            out[k] = v
        elif isinstance(v, np.ndarray) and v.dtype.kind in "if":
            out[k] = v
        elif isinstance(v, (list, tuple)) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v) and v:
            out[k] = np.asarray(v)
        else:
            out[k] = json.dumps(_jsonable(v))  # strings for non-finite values: attributes round-trip
    return out


def save_dataset(ds: Any, path: str | os.PathLike[str], *, stamp: bool = True) -> Path:
    """Save an ``xarray.Dataset`` as NetCDF (h5netcdf engine) atomically.

    Attributes that NetCDF cannot hold (dicts, lists of strings, booleans) are stored as JSON
    strings; provenance (:func:`provenance`) is added unless ``stamp`` is false. Complex
    variables are supported (``invalid_netcdf``-free: they are split into ``<name>_real`` and
    ``<name>_imag``).
    """
    import xarray as xr

    ds = ds.copy()
    for name in list(ds.data_vars):
        var = ds[name]
        if np.iscomplexobj(var.values):
            ds[f"{name}_real"] = var.real.assign_attrs({**var.attrs, "complex_part": "real"})
            ds[f"{name}_imag"] = var.imag.assign_attrs({**var.attrs, "complex_part": "imag"})
            ds = ds.drop_vars(name)
    attrs = dict(ds.attrs)
    if stamp:
        attrs.update({k: v for k, v in provenance().items() if k not in attrs})
    ds.attrs = _clean_attrs(attrs)
    for name in ds.variables:
        ds[name].attrs = _clean_attrs(dict(ds[name].attrs))
    assert isinstance(ds, xr.Dataset)
    # serialise in memory, then write with Python I/O: a full disk is then a clean OSError,
    # never an HDF5 error state inside an open file (which crashed the interpreter at exit)
    # xarray takes a cluster-wide lock named after the target when a distributed client is
    # active; an in-memory target needs none, so serialise with the synchronous scheduler
    import dask

    with dask.config.set(scheduler="synchronous"):
        data = ds.to_netcdf(engine="h5netcdf")
    return write_bytes(path, bytes(data) if data is not None else b"")


def load_dataset(path: str | os.PathLike[str]) -> Any:
    """Load a NetCDF file written by :func:`save_dataset` (complex variables re-joined)."""
    import xarray as xr

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    with xr.open_dataset(p, engine="h5netcdf") as ds:
        ds = ds.load()
    for name in list(ds.data_vars):
        if isinstance(name, str) and name.endswith("_real") and ds[name].attrs.get("complex_part") == "real":
            base = name[: -len("_real")]
            if f"{base}_imag" in ds:
                attrs = {k: v for k, v in ds[name].attrs.items() if k != "complex_part"}
                ds[base] = (ds[name] + 1j * ds[f"{base}_imag"]).assign_attrs(attrs)
                ds = ds.drop_vars([name, f"{base}_imag"])
    return ds


def save_figure(fig: Any, stem: str | os.PathLike[str], *, formats: tuple[str, ...] = ("png", "pdf"), metadata: dict[str, str] | None = None) -> list[Path]:
    """Save a matplotlib figure as ``stem.png`` and ``stem.pdf`` atomically, with metadata."""
    stem = Path(stem)
    meta = {"Creator": f"qdarwin {provenance()['qdarwin_version']} ({provenance()['git_hash']})"}
    if metadata:
        meta.update(metadata)
    out = []
    for fmt in formats:
        target = stem.with_suffix(f".{fmt}")
        md = {k: v for k, v in meta.items() if fmt == "pdf" or k in ("Creator", "Title", "Description", "Software")}
        if fmt == "png":
            md = {"Software": meta["Creator"], **{k: v for k, v in meta.items() if k in ("Title", "Description")}}
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=150 if fmt == "png" else None, metadata=md, bbox_inches="tight")
        write_bytes(target, buf.getbuffer())
        out.append(target)
    return out


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a TOML file; raise ``ValueError`` with the file name and position on syntax errors."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    try:
        with open(p, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{p}: invalid TOML ({exc})") from None


def load_table_file(path: str | os.PathLike[str]) -> dict[str, Any] | list[dict[str, str]]:
    """Read a JSON file (returned as parsed) or a CSV file (a list of row dicts, '#' comments skipped)."""
    import csv

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{p}: not a UTF-8 text file") from None
    if p.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{p}: invalid JSON ({exc})") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ValueError(f"{p}: empty file")
    reader = csv.DictReader(lines)
    rows = []
    for k, row in enumerate(reader, start=2):
        if None in row:  # csv puts cells beyond the header under the key None
            raise ValueError(f"{p}: data row {k - 1} has more cells than the header ({len(reader.fieldnames or [])} columns)")
        rows.append({(key or "").strip(): (v or "").strip() for key, v in row.items()})
    if not rows:
        raise ValueError(f"{p}: no data rows")
    return rows


__all__ = [
    "NONFINITE_KEY",
    "WriteError",
    "atomic_write",
    "write_bytes",
    "provenance",
    "to_jsonable",
    "write_json",
    "write_text",
    "save_dataset",
    "load_dataset",
    "save_figure",
    "load_toml",
    "load_table_file",
]
