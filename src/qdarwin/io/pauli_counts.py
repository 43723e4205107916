"""Read and write product-Pauli tomography counts (JSON or CSV), strictly validated.

JSON (documented in docs/tomography.md)::

    {"n_qubits": 3, "system": [0],
     "settings": {"XZZ": {"000": 12, "101": 3, ...}, "YXZ": {...}, ...}}

one letter X/Y/Z per qubit (qubit 0 leftmost, the most significant tensor factor), outcome
bitstrings with 0 for the +1 eigenvalue, integer counts; outcomes never seen may be omitted.
``n_qubits`` (inferred from the settings when absent), ``system`` (default ``[0]``) and a free
``description`` are the only other keys allowed.

CSV: a header ``setting,outcome,count`` and one row per (setting, outcome); optional comment
lines ``# system: 0`` (comma-separated qubits) and ``# n_qubits: 3``; other ``#`` lines are
comments. Settings and outcomes are read as text, so leading zeros are kept.

Every problem (missing file, empty file, invalid JSON, unknown keys, letters other than X/Y/Z,
wrong bitstring lengths, non-integer or negative counts, duplicate entries, settings without
counts) raises a ``ValueError`` whose first line names the file and the offending entry.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..tomography.data import PauliCounts, pauli_counts_from_mapping
from .results import write_text

_KEYS = {"n_qubits", "system", "settings", "description"}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _from_json(text: str, name: str) -> PauliCounts:
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: invalid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise ValueError(f"{name}: expected a JSON object with keys n_qubits, system, settings")
    unknown = sorted(set(obj) - _KEYS)
    if unknown:
        raise ValueError(f"{name}: unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(_KEYS))}")
    if "settings" not in obj:
        raise ValueError(f"{name}: missing key 'settings'")
    settings = obj["settings"]
    if not isinstance(settings, dict) or not settings:
        raise ValueError(f"{name}: 'settings' must be a non-empty object {{setting: {{bitstring: count}}}}")
    n = obj.get("n_qubits", len(str(next(iter(settings)))))
    return pauli_counts_from_mapping(settings, n, system=obj.get("system", [0]))


def _from_csv(text: str, name: str) -> PauliCounts:
    meta: dict[str, str] = {}
    rows: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            body = s.lstrip("#").strip()
            key, sep, value = body.partition(":")
            if sep and key.strip().lower() in ("system", "n_qubits"):
                meta[key.strip().lower()] = value.strip()
            continue
        rows.append(line)
    if not rows:
        raise ValueError(f"{name}: no data rows (expected a header setting,outcome,count)")
    reader = csv.DictReader(rows)
    cols = [c.strip() for c in (reader.fieldnames or [])]
    if cols != ["setting", "outcome", "count"]:
        raise ValueError(f"{name}: header must be 'setting,outcome,count', got {','.join(cols)!r}")
    settings: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(reader, start=2):
        vals = [(row.get(c) or "").strip() for c in ("setting", "outcome", "count")]
        if None in row or any(v == "" for v in vals):
            raise ValueError(f"{name} row {i}: expected 3 fields setting,outcome,count")
        s, b, c = vals
        try:
            count: Any = int(c)
        except ValueError:
            try:
                count = float(c)
            except ValueError:
                raise ValueError(f"{name} row {i}: count must be a non-negative integer, got {c!r}") from None
        entry = settings.setdefault(s, {})
        if b in entry:
            raise ValueError(f"{name} row {i}: duplicate entry for setting {s!r} outcome {b!r}")
        entry[b] = count
    if not settings:
        raise ValueError(f"{name}: no data rows")
    try:
        system: Any = [int(x) for x in meta["system"].split(",")] if "system" in meta else [0]
        n: Any = int(meta["n_qubits"]) if "n_qubits" in meta else len(next(iter(settings)))
    except ValueError:
        raise ValueError(f"{name}: '# system:' and '# n_qubits:' lines take integers") from None
    return pauli_counts_from_mapping(settings, n, system=system)


def read_pauli_counts(path: str | os.PathLike[str]) -> PauliCounts:
    """Read a product-Pauli counts file (``.json``, or ``.csv`` for anything else).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.json"
    >>> _ = p.write_text('{"n_qubits": 1, "settings": {"Z": {"0": 9, "1": 1}, "X": {"0": 5, "1": 5}, "Y": {"0": 5}}}')
    >>> read_pauli_counts(p).counts.tolist()
    [[9, 1], [5, 5], [5, 0]]
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    if p.is_dir():
        raise ValueError(f"{p}: is a directory, expected a counts file")
    try:
        text = p.read_text()
    except UnicodeDecodeError:
        raise ValueError(f"{p.name}: not a text file (expected JSON or CSV counts)") from None
    if not text.strip():
        raise ValueError(f"{p.name}: empty file")
    try:
        if p.suffix.lower() == ".json":
            return _from_json(text, p.name)
        return _from_csv(text, p.name)
    except ValueError as exc:
        msg = str(exc)
        raise ValueError(msg if msg.startswith(p.name) else f"{p.name}: {msg}") from None


def write_pauli_counts(path: str | os.PathLike[str], data: PauliCounts, *, description: str | None = None) -> Path:
    """Write counts as JSON (``.json``) or CSV (otherwise), atomically; zero counts omitted."""
    p = Path(path)
    n = data.n_qubits
    table = {
        s: {format(int(b), f"0{n}b"): int(data.counts[i, b]) for b in np.flatnonzero(data.counts[i])}
        for i, s in enumerate(data.settings)
    }
    if p.suffix.lower() == ".json":
        obj: dict[str, Any] = {"n_qubits": n, "system": list(data.system), "settings": table}
        if description:
            obj = {"description": description, **obj}
        return write_text(p, json.dumps(obj, indent=1) + "\n")
    lines = [f"# n_qubits: {n}", f"# system: {','.join(map(str, data.system))}", "setting,outcome,count"]
    if description:
        lines.insert(0, f"# {description}")
    lines += [f"{s},{b},{c}" for s, outs in table.items() for b, c in outs.items()]
    return write_text(p, "\n".join(lines) + "\n")


__all__ = ["read_pauli_counts", "write_pauli_counts"]
