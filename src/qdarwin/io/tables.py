"""Readers of tabular input files: dephasing rate tables and coherence time series.

Rate files (``qdarwin dephasing check``):

* CSV, long format, one row per level pair: ``m,n,gamma[,omega,sigma_gamma,sigma_omega]``
  (0-based levels; '#' lines are comments; each unordered pair once, or both orders consistently).
* JSON: ``{"gamma": [[...]], "omega": [[...]], "sigma_gamma": s or [[...]], "sigma_omega": ...}``.

Time-series files (``qdarwin dephasing fit``): CSV ``t,m,n,re,im[,sigma]``, one row per time and
pair m != n. See ``docs/dephasing.md`` for examples.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .._checks import parse_real
from .results import load_table_file


def _level(value: Any, what: str) -> int:
    x = parse_real(value, what)
    if not float(x).is_integer() or x < 0:
        raise ValueError(f"{what}: level index must be an integer >= 0, got {value!r}")
    return int(x)


def _rates_from_rows(rows: list[dict[str, str]], path: Path) -> dict[str, Any]:
    cols = set(rows[0])
    missing = {"m", "n", "gamma"} - cols
    if missing:
        raise ValueError(f"{path}: CSV needs columns m,n,gamma[,omega,sigma_gamma,sigma_omega]; missing {sorted(missing)}")
    optional: list[str] = [c for c in ("omega", "sigma_gamma", "sigma_omega") if c in cols]
    entries: dict[tuple[int, int], dict[str, float]] = {}
    for i, row in enumerate(rows, start=2):
        m, n = _level(row["m"], f"{path} line {i} m"), _level(row["n"], f"{path} line {i} n")
        if m == n:
            raise ValueError(f"{path} line {i}: m and n must differ (diagonal rates are zero), got m = n = {m}")
        if (m, n) in entries:
            raise ValueError(f"{path} line {i}: pair ({m}, {n}) given twice")
        vals = {"gamma": parse_real(row["gamma"], f"{path} line {i} gamma")}
        for c in optional:
            vals[c] = parse_real(row.get(c, ""), f"{path} line {i} {c}")
        entries[(m, n)] = vals
    size = 1 + max(max(k) for k in entries)
    if size < 2:
        raise ValueError(f"{path}: need at least 2 levels")
    mats = {c: np.full((size, size), np.nan) for c in ("gamma", *optional)}
    for (m, n), vals in entries.items():
        for c, v in vals.items():
            mats[c][m, n] = v
    for c, mat in mats.items():
        sign = -1.0 if c == "omega" else 1.0
        fill = np.isnan(mat) & ~np.isnan(mat.T)
        mat[fill] = sign * mat.T[fill]
        np.fill_diagonal(mat, 0.0)
        gaps = np.argwhere(np.isnan(mat))
        if gaps.size:
            a, b = sorted(gaps[0].tolist())
            raise ValueError(f"{path}: no row for level pair ({a}, {b}); every pair m < n needs a {c} value")
    return {"gamma": mats["gamma"], **{c: mats[c] for c in optional}}


def _matrix(value: Any, key: str, path: Path) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{path}: {key} must be a number or a square list of lists of numbers") from None
    return arr


def load_rates_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a rate file (CSV long format or JSON) into ``gamma``, ``omega``, ``sigma_*`` arrays.

    Formats are described in the module docstring and in ``docs/dephasing.md``. Missing pairs,
    duplicates, text in number columns and NaN/inf raise ``ValueError`` naming file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_text("m,n,gamma\\n0,1,1.5\\n")
    >>> load_rates_file(p)["gamma"].tolist()
    [[0.0, 1.5], [1.5, 0.0]]
    """
    path = Path(path)
    data = load_table_file(path)
    if isinstance(data, list):
        return _rates_from_rows(data, path)
    if not isinstance(data, dict) or "gamma" not in data:
        raise ValueError(f'{path}: JSON must be an object with a "gamma" matrix')
    unknown = set(data) - {"gamma", "omega", "sigma_gamma", "sigma_omega", "description", "units"}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
    out = {k: _matrix(data[k], k, path) for k in ("gamma", "omega", "sigma_gamma", "sigma_omega") if data.get(k) is not None}
    if np.ndim(out["gamma"]) != 2:
        raise ValueError(f"{path}: gamma must be a square matrix (list of lists)")
    return out


def load_series_file(path: str | os.PathLike[str]) -> tuple[int, dict[tuple[int, int], dict[str, Any]]]:
    """Read a coherence time series (CSV ``t,m,n,re,im[,sigma]``) into per-pair arrays (m < n).

    Returns ``(n_levels, {(m, n): {"t": times, "z": complex values, "sigma": errors or None}})``;
    rows with m > n are conjugated into the pair (n, m).
    """
    path = Path(path)
    data = load_table_file(path)
    if not isinstance(data, list):
        raise ValueError(f"{path}: time series must be a CSV file with columns t,m,n,re,im[,sigma]")
    cols = set(data[0])
    missing = {"t", "m", "n", "re", "im"} - cols
    if missing:
        raise ValueError(f"{path}: CSV needs columns t,m,n,re,im[,sigma]; missing {sorted(missing)}")
    has_sigma = "sigma" in cols
    pairs: dict[tuple[int, int], dict[str, list[float | complex]]] = {}
    for i, row in enumerate(data, start=2):
        m, n = _level(row["m"], f"{path} line {i} m"), _level(row["n"], f"{path} line {i} n")
        if m == n:
            raise ValueError(f"{path} line {i}: m and n must differ (only coherences are fitted)")
        t = parse_real(row["t"], f"{path} line {i} t")
        re, im = parse_real(row["re"], f"{path} line {i} re"), parse_real(row["im"], f"{path} line {i} im")
        if m > n:  # rho_nm = conj(rho_mn)
            m, n, im = n, m, -im
        d = pairs.setdefault((m, n), {"t": [], "z": [], "sigma": []})
        d["t"].append(t)
        d["z"].append(complex(re, im))
        if has_sigma:
            d["sigma"].append(parse_real(row["sigma"], f"{path} line {i} sigma"))
    size = 1 + max(max(k) for k in pairs)
    for a in range(size):
        for b in range(a + 1, size):
            if (a, b) not in pairs:
                raise ValueError(f"{path}: no data for coherence ({a}, {b}); every pair m < n is needed")
    out = {
        k: {"t": np.array(v["t"]), "z": np.array(v["z"]), "sigma": np.array(v["sigma"]) if has_sigma else None}
        for k, v in pairs.items()
    }
    return size, out


__all__ = ["load_rates_file", "load_series_file"]
