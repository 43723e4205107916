"""The thermal package re-exports exactly the union of its submodules' ``__all__``."""

from __future__ import annotations

import importlib
import pkgutil

import qdarwin.thermal as thermal


def test_all_is_union_of_submodule_all() -> None:
    names: list[str] = []
    for info in pkgutil.iter_modules(thermal.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"qdarwin.thermal.{info.name}")
        names += [n for n in getattr(mod, "__all__", []) if n not in names]
    assert sorted(thermal.__all__) == sorted(names)
    assert len(set(thermal.__all__)) == len(thermal.__all__)
    for n in thermal.__all__:
        assert hasattr(thermal, n), n
