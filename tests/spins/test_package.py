"""The package re-exports exactly the public names of its submodules."""

from __future__ import annotations

import importlib
import pkgutil

import qdarwin.spins as S


def test_all_is_union_of_submodules() -> None:
    union: list[str] = []
    for info in pkgutil.iter_modules(S.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"qdarwin.spins.{info.name}")
        union += list(getattr(mod, "__all__", []))
    assert len(S.__all__) == len(set(S.__all__))
    assert sorted(S.__all__) == sorted(set(union))
    for name in S.__all__:
        assert hasattr(S, name), name
