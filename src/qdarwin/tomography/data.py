"""Product-Pauli measurement data: settings and outcome counts, validated once.

A *setting* is one letter X, Y or Z per qubit (qubit 0 leftmost, the most significant tensor
factor, as everywhere in qdarwin); an *outcome* is a bitstring of the same length with 0 for
the +1 eigenvalue. Counts are stored dense, ``counts[s, b]`` with ``b`` the outcome read as a
binary number (qubit 0 the most significant bit). The file format is described in
docs/tomography.md; files are read by :func:`qdarwin.io.pauli_counts.read_pauli_counts`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .._typing import IntArray
from ._pauli import LETTERS, setting_digits

#: Largest dense count table accepted (settings x outcomes); refused before allocating.
MAX_COUNT_ENTRIES = 2**25
#: Largest number of qubits in a data set.
MAX_QUBITS = 20


@dataclass(frozen=True)
class PauliCounts:
    """Outcome counts of product-Pauli settings.

    Attributes
    ----------
    n_qubits : int
    system : tuple of int
        Qubits forming the system S (the rest is the environment); may be empty for a
        marginal that does not contain S.
    settings : tuple of str
        One letter X/Y/Z per qubit for each setting, no duplicates.
    counts : ndarray of int64, shape (n_settings, 2**n_qubits)
        ``counts[s, b]``: how often outcome ``b`` (qubit 0 = most significant bit, 0 = +1
        eigenvalue) was seen in setting ``s``.
    """

    n_qubits: int
    system: tuple[int, ...]
    settings: tuple[str, ...]
    counts: IntArray

    @property
    def shots(self) -> IntArray:
        """Total shots of each setting, shape ``(n_settings,)``."""
        return self.counts.sum(axis=1)

    @property
    def environment(self) -> tuple[int, ...]:
        """The qubits not in the system, in increasing order."""
        return tuple(q for q in range(self.n_qubits) if q not in self.system)


def _check_setting(label: Any, n_qubits: int) -> str:
    if not isinstance(label, str):
        raise ValueError(f"settings: setting labels must be strings of X/Y/Z, got {label!r}")
    s = label.strip().upper()
    bad = sorted({ch for ch in s if ch not in LETTERS})
    if bad:
        raise ValueError(f"settings: setting {label!r} has letters {''.join(bad)!r}; only X, Y, Z are allowed")
    if len(s) != n_qubits:
        raise ValueError(f"settings: setting {label!r} has {len(s)} letters, expected n_qubits = {n_qubits}")
    return s


def _check_count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise ValueError(f"{where}: count must be a non-negative integer, got {value!r}")
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or not float(value).is_integer():
            raise ValueError(f"{where}: count must be a non-negative integer, got {value!r}")
    v = int(value)
    if v < 0:
        raise ValueError(f"{where}: count must be a non-negative integer, got {value!r}")
    if v > 2**53:
        raise ValueError(f"{where}: count {value!r} is too large (limit 2**53)")
    return v


def check_n_qubits(n_qubits: Any) -> int:
    """Validate a qubit count (1..MAX_QUBITS)."""
    if isinstance(n_qubits, bool) or not isinstance(n_qubits, (int, np.integer)):
        raise ValueError(f"n_qubits must be a positive integer, got {n_qubits!r}")
    n = int(n_qubits)
    if not 1 <= n <= MAX_QUBITS:
        raise ValueError(f"n_qubits must lie in 1..{MAX_QUBITS}, got {n}")
    return n


def check_system(system: Any, n_qubits: int) -> tuple[int, ...]:
    """Validate the system qubits (an int or a list of distinct ints in range)."""
    items = [system] if isinstance(system, (int, np.integer)) and not isinstance(system, bool) else system
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"system must be a qubit index or a list of qubit indices, got {system!r}")
    out = []
    for q in items:
        if isinstance(q, bool) or not isinstance(q, (int, np.integer)) or not 0 <= int(q) < n_qubits:
            raise ValueError(f"system: qubit index {q!r} is out of range 0..{n_qubits - 1}")
        out.append(int(q))
    if len(set(out)) != len(out):
        raise ValueError(f"system: duplicate qubit indices {out}")
    return tuple(sorted(out))


def _check_size(n_settings: int, n_qubits: int) -> None:
    if n_settings * 2**n_qubits > MAX_COUNT_ENTRIES:
        raise ValueError(
            f"settings: {n_settings} settings x 2^{n_qubits} outcomes = {n_settings * 2**n_qubits} "
            f"count entries exceed the limit {MAX_COUNT_ENTRIES}; use fewer settings or qubits"
        )


def pauli_counts_from_mapping(
    settings: Mapping[str, Mapping[str, Any]], n_qubits: Any, *, system: Any = (0,)
) -> PauliCounts:
    """Validated :class:`PauliCounts` from ``{setting: {bitstring: count}}``.

    Raises ``ValueError`` (naming the setting and outcome) for letters other than X/Y/Z,
    wrong lengths, duplicate settings, non-integer or negative counts and settings without
    counts.

    Examples
    --------
    >>> d = pauli_counts_from_mapping({"Z": {"0": 7, "1": 3}, "X": {"0": 5, "1": 5},
    ...                                "Y": {"0": 5, "1": 5}}, 1)
    >>> d.settings, d.counts.tolist()
    (('Z', 'X', 'Y'), [[7, 3], [5, 5], [5, 5]])
    """
    n = check_n_qubits(n_qubits)
    sys_q = check_system(system, n)
    if not isinstance(settings, Mapping) or not settings:
        raise ValueError("settings: expected a non-empty mapping {setting: {bitstring: count}}")
    _check_size(len(settings), n)
    labels: list[str] = []
    table = np.zeros((len(settings), 2**n), dtype=np.int64)
    for i, (label, outcomes) in enumerate(settings.items()):
        s = _check_setting(label, n)
        if s in labels:
            raise ValueError(f"settings: setting {s!r} appears twice")
        labels.append(s)
        if not isinstance(outcomes, Mapping):
            raise ValueError(f"settings[{label!r}]: expected a mapping {{bitstring: count}}, got {type(outcomes).__name__}")
        for bits, value in outcomes.items():
            b = str(bits).strip()
            if len(b) != n or any(ch not in "01" for ch in b):
                raise ValueError(
                    f"settings[{label!r}]: outcome {bits!r} must be a bitstring of {n} characters 0/1"
                )
            table[i, int(b, 2)] += _check_count(value, f"settings[{label!r}][{bits!r}]")
    return make_pauli_counts(n, labels, table, system=sys_q)


def make_pauli_counts(n_qubits: Any, settings: Sequence[str], counts: Any, *, system: Any = (0,)) -> PauliCounts:
    """Validated :class:`PauliCounts` from setting labels and a dense count table.

    Examples
    --------
    >>> make_pauli_counts(1, ["Z", "X", "Y"], [[10, 0], [5, 5], [5, 5]]).shots.tolist()
    [10, 10, 10]
    """
    n = check_n_qubits(n_qubits)
    sys_q = check_system(system, n) if len(np.atleast_1d(system)) else ()
    labels = tuple(_check_setting(s, n) for s in settings)
    if not labels:
        raise ValueError("settings: no settings given")
    if len(set(labels)) != len(labels):
        dup = next(s for s in labels if labels.count(s) > 1)
        raise ValueError(f"settings: setting {dup!r} appears twice")
    _check_size(len(labels), n)
    arr = np.asarray(counts)
    if arr.shape != (len(labels), 2**n):
        raise ValueError(f"counts: expected shape ({len(labels)}, {2**n}), got {arr.shape}")
    if arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
        raise ValueError("counts: must be non-negative integers")
    if arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
        raise ValueError("counts: must be non-negative integers")
    if np.any(arr < 0):
        s, b = np.argwhere(arr < 0)[0]
        raise ValueError(f"counts: negative count for setting {labels[s]!r} outcome {format(int(b), f'0{n}b')}")
    table = arr.astype(np.int64)
    empty = np.flatnonzero(table.sum(axis=1) == 0)
    if empty.size:
        raise ValueError(f"settings: setting {labels[int(empty[0])]!r} has no counts (0 shots)")
    return PauliCounts(n, sys_q, labels, table)


def all_settings(n_qubits: int) -> tuple[str, ...]:
    """All ``3^n`` product settings in lexicographic order X < Y < Z.

    Examples
    --------
    >>> all_settings(2)[:4]
    ('XX', 'XY', 'XZ', 'YX')
    """
    n = check_n_qubits(n_qubits)
    _check_size(3**n, 0)
    return tuple("".join(p) for p in itertools.product(LETTERS, repeat=n))


def fragment_settings(n_qubits: int, groups: Iterable[Sequence[int]], *, fill: str = "Z") -> tuple[str, ...]:
    """Settings covering every X/Y/Z pattern on each qubit group; other qubits get ``fill``.

    This is the simplest informationally complete design for marginal (S+F) tomography: each
    group (e.g. S together with one fragment F) gets all ``3^|group|`` local settings.

    Examples
    --------
    >>> len(fragment_settings(4, [(0, 1), (0, 2)]))
    15
    """
    n = check_n_qubits(n_qubits)
    if fill not in LETTERS:
        raise ValueError(f"fill must be one of X, Y, Z, got {fill!r}")
    out: dict[str, None] = {}
    for g in groups:
        q = list(check_system(list(g), n))
        for pattern in itertools.product(LETTERS, repeat=len(q)):
            s = [fill] * n
            for a, letter in zip(q, pattern):
                s[a] = letter
            out["".join(s)] = None
            _check_size(len(out), 0)
    return tuple(out)


def marginal_counts(data: PauliCounts, qubits: Sequence[int]) -> PauliCounts:
    """Counts of the qubits ``qubits`` (sorted), pooled over settings that agree on them.

    Settings whose letters agree on ``qubits`` are merged (their marginal counts added),
    so ``3^k`` local settings result when the data cover the group. The system of the
    marginal is the position of ``data.system`` inside the group (empty if S is outside).

    Examples
    --------
    >>> d = make_pauli_counts(2, ["ZZ", "ZX"], [[5, 0, 0, 5], [3, 2, 2, 3]])
    >>> m = marginal_counts(d, [0])
    >>> m.settings, m.counts.tolist()
    (('Z',), [[10, 10]])
    """
    q = list(check_system(list(qubits), data.n_qubits))
    if not q:
        raise ValueError("qubits: need at least one qubit")
    n, k = data.n_qubits, len(q)
    rest = tuple(a for a in range(n) if a not in q)
    marg = data.counts.reshape((-1,) + (2,) * n).sum(axis=tuple(1 + a for a in rest)).reshape(-1, 2**k)
    digits = setting_digits(data.settings, n)[:, q]
    keys, inverse = np.unique(digits, axis=0, return_inverse=True)
    pooled = np.zeros((keys.shape[0], 2**k), dtype=np.int64)
    np.add.at(pooled, np.ravel(inverse), marg)
    labels = tuple("".join(LETTERS[d - 1] for d in row) for row in keys)
    sys_pos = tuple(q.index(s) for s in data.system if s in q)
    return PauliCounts(k, sys_pos, labels, pooled)


def missing_settings(data: PauliCounts) -> tuple[str, ...]:
    """Product settings absent from ``data`` (full tomography needs all ``3^n``)."""
    have = set(data.settings)
    if 3**data.n_qubits > MAX_COUNT_ENTRIES:
        raise ValueError(f"n_qubits = {data.n_qubits}: 3^n settings are too many for full tomography")
    return tuple(s for s in all_settings(data.n_qubits) if s not in have)


def require_complete(data: PauliCounts, what: str = "full tomography") -> None:
    """Raise a ``ValueError`` naming the missing settings when not all ``3^n`` are present."""
    miss = missing_settings(data)
    if miss:
        shown = ", ".join(miss[:5]) + (", ..." if len(miss) > 5 else "")
        raise ValueError(
            f"missing settings: {len(miss)} of {3**data.n_qubits} product settings absent ({shown}); "
            f"{what} needs every X/Y/Z pattern on these qubits"
        )


__all__ = [
    "MAX_COUNT_ENTRIES",
    "PauliCounts",
    "all_settings",
    "check_n_qubits",
    "check_system",
    "fragment_settings",
    "make_pauli_counts",
    "marginal_counts",
    "missing_settings",
    "pauli_counts_from_mapping",
    "require_complete",
]
