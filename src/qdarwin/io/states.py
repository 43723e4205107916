"""Read (and write) quantum states for ``qdarwin analyze``: .npy, .npz, NetCDF and HDF5.

Pickles are never loaded (``allow_pickle=False``): a pickled file can run arbitrary code.

* ``.npy``: one array, the ket ``(D,)`` or density matrix ``(D, D)``;
* ``.npz``: array ``state`` (the key can be changed), optional integer array ``dims``;
* ``.nc`` / ``.nc4`` / ``.h5`` / ``.hdf5``: a NetCDF file (as written by
  :func:`write_state` or ``qdarwin.io.save_dataset``) with variable ``state`` (complex
  numbers as ``state_real`` / ``state_imag``) and optional attribute or variable ``dims``;
  plain HDF5 files with a dataset ``state`` (and optional ``dims``) are read with h5py.

Local dimensions written in the file are used unless the caller gives ``dims``.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .results import atomic_write, load_dataset, save_dataset

NETCDF_SUFFIXES = (".nc", ".nc4", ".h5", ".hdf5", ".he5")
SUFFIXES = (".npy", ".npz") + NETCDF_SUFFIXES


@dataclass(frozen=True)
class StateFile:
    """A state read from a file: the array, the local dimensions found in it (or None), the path."""

    state: NDArray[Any]
    dims: list[int] | None
    path: Path


def _dims(value: Any, path: Path) -> list[int] | None:
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf" or arr.ndim > 1 or arr.size == 0 or np.any(arr != np.round(arr)) or np.any(arr < 1):
        raise ValueError(f"{path.name}: 'dims' must be a list of positive integers, got {value!r}")
    return [int(x) for x in np.ravel(arr)]


def _numeric(arr: Any, path: Path, what: str) -> NDArray[Any]:
    a = np.asarray(arr)
    if a.dtype.kind not in "iufc":
        raise ValueError(f"{path.name}: {what} must be a numeric array, got dtype {a.dtype}")
    return a


def _check_magic(path: Path, kind: str) -> None:
    """Refuse files whose header is not .npy / .npz before numpy looks at them (pickles included)."""
    with open(path, "rb") as fh:
        head = fh.read(6)
    if kind == "npy" and head == b"\x93NUMPY":
        return
    if kind == "npz" and head[:4] == b"PK\x03\x04":
        return
    if head[:1] == b"\x80":
        raise ValueError(f"{path.name}: is a Python pickle, which qdarwin never loads (unsafe); save a numeric array")
    raise ValueError(f"{path.name}: not a .{kind} file (unrecognised header {head!r})")


def _load_npy(path: Path) -> StateFile:
    _check_magic(path, "npy")
    try:
        arr = np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ValueError(f"{path.name}: holds Python objects (a pickle), which qdarwin never loads; save a numeric array") from None
        raise ValueError(f"{path.name}: not a readable .npy array ({exc})") from None
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path.name}: not a readable .npy array ({exc})") from None
    if isinstance(arr, np.lib.npyio.NpzFile):
        raise ValueError(f"{path.name}: is an .npz archive; give it the .npz suffix")
    return StateFile(_numeric(arr, path, "the state"), None, path)


def _load_npz(path: Path, key: str) -> StateFile:
    _check_magic(path, "npz")
    try:
        with np.load(path, allow_pickle=False) as data:
            names = list(data.files)
            if key not in names:
                raise ValueError(f"{path.name}: no array {key!r} (found: {', '.join(names) or 'none'})")
            state = data[key]
            dims = data["dims"] if "dims" in names else None
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ValueError(f"{path.name}: holds Python objects (a pickle), which qdarwin never loads; save numeric arrays") from None
        raise
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path.name}: not a readable .npz archive ({exc})") from None
    return StateFile(_numeric(state, path, f"array {key!r}"), _dims(dims, path), path)


def _load_hdf5_plain(path: Path, key: str) -> StateFile:
    import h5py

    try:
        with h5py.File(path, "r") as fh:
            if key not in fh:
                raise ValueError(f"{path.name}: no dataset {key!r} (found: {', '.join(fh.keys()) or 'none'})")
            state = np.asarray(fh[key][()])
            dims = fh[key].attrs.get("dims", fh.attrs.get("dims"))
            if dims is None and "dims" in fh:
                dims = np.asarray(fh["dims"][()])
    except OSError as exc:
        raise ValueError(f"{path.name}: not a readable NetCDF/HDF5 file ({exc})") from None
    return StateFile(_numeric(state, path, f"dataset {key!r}"), _dims(dims, path), path)


def _load_netcdf(path: Path, key: str) -> StateFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # plain HDF5: h5netcdf's phony-dims notice
            ds = load_dataset(path)
    except (OSError, ValueError):
        return _load_hdf5_plain(path, key)
    if key not in ds:
        if key in _h5_keys(path):
            return _load_hdf5_plain(path, key)
        raise ValueError(f"{path.name}: no variable {key!r} (found: {', '.join(map(str, ds.data_vars)) or 'none'})")
    dims = ds.attrs.get("dims", ds[key].attrs.get("dims"))
    if dims is None and "dims" in ds:
        dims = ds["dims"].values
    return StateFile(_numeric(ds[key].values, path, f"variable {key!r}"), _dims(dims, path), path)


def _h5_keys(path: Path) -> list[str]:
    import h5py

    try:
        with h5py.File(path, "r") as fh:
            return list(fh.keys())
    except OSError:
        return []


def read_state(path: str | os.PathLike[str], *, key: str = "state") -> StateFile:
    """Read a ket or density matrix from ``.npy``, ``.npz``, NetCDF or HDF5 (never pickles).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        Unknown suffix, missing ``key``, pickled or non-numeric content, unreadable file.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bell.npz"
    >>> _ = write_state(p, np.array([1, 0, 0, 1]) / np.sqrt(2), [2, 2])
    >>> sf = read_state(p)
    >>> sf.dims, sf.state.shape
    ([2, 2], (4,))
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    if p.is_dir():
        raise ValueError(f"{p}: is a directory, expected a state file ({', '.join(SUFFIXES)})")
    suffix = p.suffix.lower()
    if suffix == ".npy":
        return _load_npy(p)
    if suffix == ".npz":
        return _load_npz(p, key)
    if suffix in NETCDF_SUFFIXES:
        return _load_netcdf(p, key)
    raise ValueError(f"{p.name}: unknown state file type {suffix or '(no suffix)'!r}; use one of {', '.join(SUFFIXES)}")


def write_state(path: str | os.PathLike[str], state: Any, dims: Sequence[int] | None = None) -> Path:
    """Write a ket or density matrix atomically as ``.npz`` (``state``, ``dims``) or NetCDF.

    A ``qutip.Qobj`` is written with its dims unless ``dims`` is given.
    """
    p = Path(path)
    if type(state).__name__ == "Qobj":
        dims = dims if dims is not None else [int(d) for d in np.ravel(state.dims[0])]
        state = state.full()
    arr = np.asarray(state)
    if arr.dtype.kind not in "iufc":
        raise ValueError(f"state must be a numeric array, got dtype {arr.dtype}")
    d = None if dims is None else np.asarray([int(x) for x in dims], dtype=np.int64)
    suffix = p.suffix.lower()
    if suffix == ".npz":
        with atomic_write(p, ".npz") as tmp:
            with open(tmp, "wb") as fh:
                if d is None:
                    np.savez(fh, state=arr)
                else:
                    np.savez(fh, state=arr, dims=d)
        return p
    if suffix in NETCDF_SUFFIXES:
        import xarray as xr

        axes = ("row",) if arr.ndim == 1 else ("row", "col")
        ds = xr.Dataset({"state": (axes, arr)}, attrs={} if d is None else {"dims": d})
        return save_dataset(ds, p)
    raise ValueError(f"{p.name}: write .npz or NetCDF ({', '.join(NETCDF_SUFFIXES)})")


__all__ = ["StateFile", "read_state", "write_state", "SUFFIXES"]
