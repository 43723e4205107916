"""Pillar 2: broadcasting into thermalizing chaotic chains (Cao & Nussinov, arXiv:2603.15743).

Every public name of the submodules (each module's ``__all__``) is re-exported here; see
docs/thermal.md, docs/thermal-analysis.md and docs/thermal-dynamics.md.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from . import (
    cluster,
    datasets,
    degeneracy,
    energy,
    energy_law,
    ensemble,
    evolution,
    gram_mi,
    information,
    lean,
    memory,
    models,
    plan,
    rates,
    redundancy,
    run,
    sector,
)

_SUBMODULES: tuple[ModuleType, ...] = (
    models, sector, evolution, memory, gram_mi, information, lean, plan, run, cluster, energy_law, energy,
    redundancy, rates, ensemble, datasets, degeneracy,
)

__all__: list[str] = list(dict.fromkeys(name for mod in _SUBMODULES for name in mod.__all__))
globals().update({name: getattr(mod, name) for mod in _SUBMODULES for name in mod.__all__})


def __getattr__(name: str) -> Any:
    """Only for static checkers: the names of ``__all__`` are bound above."""
    raise AttributeError(f"module 'qdarwin.thermal' has no attribute {name!r}")
