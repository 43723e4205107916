"""The package namespace re-exports exactly the public names of its submodules."""

from __future__ import annotations

import importlib
import pkgutil

import qdarwin.dephasing as D


def test_all_is_union_of_submodule_all() -> None:
    union: list[str] = []
    for info in pkgutil.iter_modules(D.__path__):
        mod = importlib.import_module(f"qdarwin.dephasing.{info.name}")
        union += list(getattr(mod, "__all__", []))
    assert len(D.__all__) == len(set(D.__all__))
    assert sorted(D.__all__) == sorted(set(union))
    for name in D.__all__:
        assert getattr(D, name) is not None


def test_method_objects_and_strings_agree() -> None:
    import numpy as np

    w = np.array([[0.5, 0.2j], [1 + 0.5j, -0.3], [0, 0.8 + 0.1j]])
    a = D.canonical_form(w, method="givens")
    b = D.canonical_form(w, method=D.Givens())
    assert np.array_equal(a.V, b.V)
    g = [[0, 1, 1], [1, 0, 4.5], [1, 4.5, 0]]
    r1 = D.nearest_physical(g, method="lsq")
    r2 = D.nearest_physical(g, method=D.LeastSquares())
    r3 = D.nearest_physical(g, method=D.Admm(tol=1e-13))
    assert np.allclose(r1.gamma, r2.gamma) and np.allclose(r1.gamma, r3.gamma, atol=1e-6)
    for bad in ("qr", D.Admm):
        try:
            D.nearest_physical(g, method=bad)
        except ValueError as exc:
            assert "method must be" in str(exc)
        else:
            raise AssertionError("bad method accepted")
