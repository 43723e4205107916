"""Pillar 2: broadcasting into thermalizing chaotic chains (spec thermalizing-environments.md).

Public names are re-exported lazily from the submodules listed in ``_SUBMODULES`` (each
submodule's ``__all__``), so importing the package computes nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

_SUBMODULES = ['models', 'sector', 'evolution', 'memory', 'information', 'energy', 'rates', 'ensemble', 'degeneracy']


def _public_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for mod in _SUBMODULES:
        try:
            m = importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{mod}":
                continue
            raise
        for name in getattr(m, "__all__", []):
            out.setdefault(name, mod)
    return out


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    mod = _public_map().get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{mod}"), name)


def __dir__() -> list[str]:
    return sorted(_public_map())
