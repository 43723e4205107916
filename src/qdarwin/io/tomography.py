"""Readers and writers for single-spin tomography files (CSV or JSON).

Formats (documented in docs/experiment.md, examples in examples/experiment/):

* Counts, CSV long format: ``spin,state,basis,n_plus,shots`` — one row per environment spin,
  conditional state (``up``/``down``: the system pointer state) and basis (``x``/``y``/``z``);
  ``n_plus`` is the number of +1 outcomes out of ``shots``.
* Bloch vectors, CSV: ``spin,state,x,y,z,se_x,se_y,se_z`` — estimated conditional Bloch vectors
  with standard errors.
* JSON: ``{"format": "counts" | "bloch", "n_env": optional int, "system": {"p": .., "c": ..},
  "spins": [{"label": "C1", "up": ..., "down": ...}, ...]}`` where for counts ``up``/``down`` are
  ``{"x": [n_plus, shots], "y": [...], "z": [...]}`` and for Bloch vectors
  ``{"bloch": [x, y, z], "se": [sx, sy, sz]}``.

Lines starting with ``#`` in CSV files are comments.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..spins.experiment import BlochEstimates, TomographyCounts, TomographyData
from .results import load_table_file, write_text

_STATES = {"up": 0, "down": 1}
_BASES = {"x": 0, "y": 1, "z": 2}


@dataclass(frozen=True)
class TomographyFile:
    """Parsed tomography file: the data plus optional metadata."""

    data: TomographyData
    n_env: int | None = None
    system_p: float | None = None
    system_c: complex | None = None


def _num(value: Any, what: str, *, integer: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{what}: expected a finite number, got {value!r}")
    if integer and x != int(x):
        raise ValueError(f"{what}: expected an integer count, got {value!r}")
    return x


def _state(value: str, where: str) -> int:
    key = str(value).strip().lower()
    if key not in _STATES:
        raise ValueError(f"{where}: state must be 'up' or 'down', got {value!r}")
    return _STATES[key]


def _from_rows(rows: list[dict[str, str]], path: Path) -> TomographyData:
    cols = set(rows[0])
    counts_cols = {"spin", "state", "basis", "n_plus", "shots"}
    bloch_cols = {"spin", "state", "x", "y", "z", "se_x", "se_y", "se_z"}
    labels: list[str] = []
    for row in rows:
        name = row.get("spin", "")
        if name and name not in labels:
            labels.append(name)
    index = {name: k for k, name in enumerate(labels)}
    n = len(labels)
    if counts_cols <= cols:
        n_plus = np.full((n, 2, 3), -1.0)
        shots = np.full((n, 2, 3), -1.0)
        for i, row in enumerate(rows, start=1):
            where = f"{path.name} row {i}"
            basis = row["basis"].strip().lower()
            if basis not in _BASES:
                raise ValueError(f"{where}: basis must be x, y or z, got {row['basis']!r}")
            k, s, a = index[row["spin"]], _state(row["state"], where), _BASES[basis]
            if n_plus[k, s, a] >= 0:
                raise ValueError(f"{where}: duplicate entry for spin {row['spin']} {row['state']} {basis}")
            n_plus[k, s, a] = _num(row["n_plus"], f"{where} n_plus", integer=True)
            shots[k, s, a] = _num(row["shots"], f"{where} shots", integer=True)
        missing = np.argwhere(n_plus < 0)
        if missing.size:
            k, s, a = missing[0]
            raise ValueError(f"{path.name}: missing counts for spin {labels[k]} state {('up', 'down')[s]} basis {'xyz'[a]}")
        return TomographyCounts(n_plus.astype(np.int64), shots.astype(np.int64), tuple(labels))
    if bloch_cols <= cols:
        bloch = np.full((n, 2, 3), np.nan)
        se = np.full((n, 2, 3), np.nan)
        seen = np.zeros((n, 2), dtype=bool)
        for i, row in enumerate(rows, start=1):
            where = f"{path.name} row {i}"
            k, s = index[row["spin"]], _state(row["state"], where)
            if seen[k, s]:
                raise ValueError(f"{where}: duplicate entry for spin {row['spin']} {row['state']}")
            seen[k, s] = True
            bloch[k, s] = [_num(row[c], f"{where} {c}") for c in ("x", "y", "z")]
            se[k, s] = [_num(row[c], f"{where} {c}") for c in ("se_x", "se_y", "se_z")]
        if not seen.all():
            k, s = np.argwhere(~seen)[0]
            raise ValueError(f"{path.name}: missing Bloch vector for spin {labels[k]} state {('up', 'down')[s]}")
        return BlochEstimates(bloch, se, tuple(labels))
    raise ValueError(
        f"{path.name}: unrecognised columns {sorted(cols)}; expected spin,state,basis,n_plus,shots "
        "(counts) or spin,state,x,y,z,se_x,se_y,se_z (Bloch vectors)"
    )


def _from_json(obj: Any, path: Path) -> TomographyFile:
    if not isinstance(obj, dict) or "spins" not in obj or not isinstance(obj["spins"], list) or not obj["spins"]:
        raise ValueError(f"{path.name}: expected an object with a non-empty 'spins' list")
    fmt = str(obj.get("format", "")).lower()
    spins = obj["spins"]
    labels = tuple(str(sp.get("label", f"spin{k}")) for k, sp in enumerate(spins))
    try:
        if fmt == "counts":
            arr = np.array([[[sp[st][b] for b in "xyz"] for st in ("up", "down")] for sp in spins], dtype=float)
            if arr.shape != (len(spins), 2, 3, 2):
                raise ValueError("each basis entry must be [n_plus, shots]")
            data: TomographyData = TomographyCounts(arr[..., 0].astype(np.int64), arr[..., 1].astype(np.int64), labels)
            if np.any(arr != np.round(arr)):
                raise ValueError("counts must be integers")
        elif fmt == "bloch":
            bloch = np.array([[sp[st]["bloch"] for st in ("up", "down")] for sp in spins], dtype=float)
            se = np.array([[sp[st]["se"] for st in ("up", "down")] for sp in spins], dtype=float)
            data = BlochEstimates(bloch, se, labels)
        else:
            raise ValueError(f"'format' must be 'counts' or 'bloch', got {obj.get('format')!r}")
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path.name}: malformed spin entry ({type(exc).__name__}: {exc})") from None
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    system = obj.get("system", {}) or {}
    c = system.get("c")
    if isinstance(c, (list, tuple)):
        c = complex(float(c[0]), float(c[1]))
    n_env = obj.get("n_env")
    return TomographyFile(
        data,
        None if n_env is None else int(n_env),
        None if system.get("p") is None else float(system["p"]),
        None if c is None else complex(c),
    )


def read_tomography(path: str | os.PathLike[str]) -> TomographyFile:
    """Read a tomography file (CSV counts, CSV Bloch vectors, or JSON); raise ``ValueError`` if malformed."""
    p = Path(path)
    table = load_table_file(p)
    if isinstance(table, list):
        return TomographyFile(_from_rows(table, p))
    return _from_json(table, p)


def write_counts_csv(path: str | os.PathLike[str], counts: TomographyCounts) -> Path:
    """Write counts in the CSV long format (atomically)."""
    lines = ["spin,state,basis,n_plus,shots"]
    for k, name in enumerate(counts.labels):
        for s, st in enumerate(("up", "down")):
            for a, b in enumerate("xyz"):
                lines.append(f"{name},{st},{b},{counts.n_plus[k, s, a]},{counts.shots[k, s, a]}")
    return write_text(path, "\n".join(lines) + "\n")


__all__ = ["TomographyFile", "read_tomography", "write_counts_csv"]
