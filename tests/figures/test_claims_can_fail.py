"""Every claim of every recipe can fail on a wrong computation.

Each recipe is computed once in quick mode; its result is then corrupted in several generic ways
(every computed float scaled up or down, shifted, arrays reversed, booleans flipped, integers
changed; the input parameters are left alone) and the claims are re-evaluated on the corrupted
result. A claim that passes under every corruption could never report a wrong computation: the
test names it. Also: the report page and the claims table agree with claims.json.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qdarwin.figures import Claim, claim_close, claim_quoted_range, claim_true, recipes
from qdarwin.figures._recipe import cite

Fn = Callable[[Any], Any]
_RNG = np.random.default_rng(20261202)


def _noise(x: Any) -> Any:
    """Elementwise relative noise (5 %) plus absolute noise (0.01): breaks equalities and symmetries."""
    shape = np.shape(x)
    z = x * (1.0 + 0.05 * _RNG.standard_normal(shape)) + 0.01 * _RNG.standard_normal(shape)
    return float(z) if shape == () else z


#: (name, float/complex transform, int transform, bool transform, reverse arrays)
Variant = tuple[str, Fn, Fn, Fn, bool]


def _ID(x: Any) -> Any:
    """Identity (leave this kind of value alone)."""
    return x


VARIANTS: list[Variant] = [
    ("x1.5", lambda x: x * 1.5, _ID, _ID, False),
    ("x0.5", lambda x: x * 0.5, _ID, _ID, False),
    ("+0.1", lambda x: x + 0.1, _ID, _ID, False),
    ("-0.1", lambda x: x - 0.1, _ID, _ID, False),
    ("+1e-6 rel", lambda x: x + 1e-6 * (1.0 + np.abs(x)), _ID, _ID, False),
    ("noise", _noise, _ID, _ID, False),
    ("ints + 1, None -> 0", _ID, lambda i: 0 if i is None else i + 1, _ID, False),
    ("bools flipped", _ID, _ID, lambda b: ~b if isinstance(b, np.ndarray) else not b, False),
    ("bools: 10 % flipped", _ID, _ID, lambda b: b ^ (_RNG.random(np.shape(b)) < 0.1) if isinstance(b, np.ndarray) else not b, False),
    ("bools all False", _ID, _ID, lambda b: np.zeros_like(b) if isinstance(b, np.ndarray) else False, False),
    ("arrays reversed", _ID, _ID, _ID, True),
]


def _corrupt(obj: Any, v: Variant) -> Any:
    """A copy of ``obj`` with every computed number corrupted by ``v`` (``params`` fields untouched)."""
    _, f, g, h, reverse = v
    if obj is None:
        return g(None) if g is not _ID else None
    if isinstance(obj, (bool, np.bool_)):
        return h(bool(obj))
    if isinstance(obj, (int, np.integer)):
        return g(int(obj))
    if isinstance(obj, (float, np.floating, complex, np.complexfloating)):
        return f(obj) if np.isfinite(obj) else obj
    if isinstance(obj, np.ndarray):
        if obj.dtype == bool:
            out = h(obj)
        elif np.issubdtype(obj.dtype, np.integer):
            out = obj + 1 if g is not _ID else obj.copy()
        elif np.issubdtype(obj.dtype, np.inexact):
            out = np.where(np.isfinite(obj), f(obj), obj)
        else:
            out = obj.copy()
        return out[::-1].copy() if reverse and out.ndim >= 1 and out.shape[0] > 1 else out
    if isinstance(obj, dict):
        return {k: _corrupt(val, v) for k, val in obj.items()}
    if isinstance(obj, list):
        return [_corrupt(val, v) for val in obj]
    if isinstance(obj, tuple):
        items = [_corrupt(val, v) for val in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else tuple(items)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        new = copy.copy(obj)
        for fld in dataclasses.fields(obj):
            if fld.name != "params":
                object.__setattr__(new, fld.name, _corrupt(getattr(obj, fld.name), v))
        return new
    return obj


def _children(obj: Any) -> list[Any]:
    if isinstance(obj, dict):
        return list(obj)
    if isinstance(obj, (list, tuple)):
        return list(range(len(obj)))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [f.name for f in dataclasses.fields(obj) if f.name != "params"]
    return []


def _get(obj: Any, key: Any) -> Any:
    return obj[key] if isinstance(obj, (dict, list, tuple)) else getattr(obj, key)


def _paths(obj: Any, depth: int = 3) -> list[tuple[Any, ...]]:
    """Paths to every computed part of a result (fields, dict entries, tuple items), outermost first."""
    out: list[tuple[Any, ...]] = []
    if depth == 0:
        return out
    for k in _children(obj):
        out.append((k,))
        out.extend((k, *rest) for rest in _paths(_get(obj, k), depth - 1))
    return out


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    """Copy of ``obj`` with the part at ``path`` replaced by ``value``."""
    key, rest = path[0], path[1:]
    new_child = _set(_get(obj, key), rest, value) if rest else value
    if isinstance(obj, dict):
        return {**obj, key: new_child}
    if isinstance(obj, (list, tuple)):
        items = list(obj)
        items[key] = new_child
        if isinstance(obj, list):
            return items
        return type(obj)(*items) if hasattr(obj, "_fields") else tuple(items)
    new = copy.copy(obj)
    object.__setattr__(new, key, new_child)
    return new


def _at(obj: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        obj = _get(obj, k)
    return obj


RECIPES = recipes()
#: (recipe, full): every recipe in quick mode, plus the full-size claims that are cheap to compute
CASES = [(r, False) for r in RECIPES] + [(r, True) for r in RECIPES if r.name == "fig5_partial_degeneracy"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("recipe", "full"), CASES, ids=[f"{r.pillar}/{r.name}{'-full' if f else ''}" for r, f in CASES]
)
def test_every_claim_can_fail(recipe: Any, full: bool) -> None:
    from qdarwin._threads import blas_threads

    with blas_threads():
        result = recipe.compute(recipe.params(full), None)
        honest = recipe.claims(result)
        assert honest, "a recipe without claims checks nothing"
        if not full:  # quick mode passes; at full size a claim may fail honestly (it then can fail)
            assert all(c.passed for c in honest), [c.key for c in honest if not c.passed]
        assert all(c.criterion for c in honest), [c.key for c in honest if not c.criterion]
        survivors = {c.key for c in honest if c.passed}
        def attempt(corrupted: Any) -> None:
            nonlocal survivors
            try:
                with np.errstate(all="ignore"):
                    bad = recipe.claims(corrupted)
            except (ValueError, TypeError, FloatingPointError, IndexError, ZeroDivisionError, KeyError):
                return  # a corrupted result the claims refuse to evaluate: not a silent pass
            survivors -= {c.key for c in bad if not c.passed}

        # the whole result corrupted at once, then (while claims survive) one computed part at a time
        for variant in VARIANTS:
            attempt(_corrupt(result, variant))
            if not survivors:
                break
        for path in _paths(result):
            for variant in VARIANTS[:2] + VARIANTS[6:7]:
                if survivors:
                    attempt(_set(result, path, _corrupt(_at(result, path), variant)))
    assert not survivors, f"claims that pass on every corrupted result (cannot fail): {sorted(survivors)}"


class TestClaimModel:
    def test_criterion_required(self) -> None:
        with pytest.raises(ValueError, match="criterion"):
            claim_true("k", "q", "x", True, criterion="")

    def test_close_criterion_and_nan(self) -> None:
        c = claim_close("k", "q", 1.0, 1.05, atol=0.1)
        assert c.passed and c.criterion == "|computed - expected| <= 0.1"
        assert not claim_close("k", "q", 1.0, float("nan"), atol=0.1).passed

    def test_quoted_precision_is_flagged(self) -> None:
        inside = claim_quoted_range("k", "q", 0.81, 0.86, 0.83, decimals=2)
        rounding = claim_quoted_range("k", "q", 0.81, 0.86, 0.8062, decimals=2)
        outside = claim_quoted_range("k", "q", 0.81, 0.86, 0.8049, decimals=2)
        assert (inside.status, rounding.status, outside.status) == ("PASS", "PASS*", "FAIL")
        assert "quoted precision" in rounding.note and inside.note == ""
        assert rounding.as_dict()["status"] == "PASS*"

    def test_sources_cite_papers_not_private_notes(self) -> None:
        assert "arXiv:1512.07578" in cite("spins", "Fig. 1")
        assert cite("thermal", page="theory-thermal.md#x") == "docs/theory-thermal.md#x"


def _fake_outcomes(tmp_path: Path) -> list[Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qdarwin.figures import FigureRecipe
    from qdarwin.figures.reproduce import run_recipe

    def plot(r: Any) -> Any:
        fig, ax = plt.subplots()
        ax.plot([0, 1], [r, r])
        return fig

    rec = FigureRecipe(
        name="demo", pillar="spins", title="Fig. 9: demo", params=lambda full: 1.0,
        compute=lambda p, progress: p, plot=plot,
        claims=lambda r: [
            claim_close("demo/ok", "passes", 1.0, r, atol=1e-9),
            claim_close("demo/bad", "fails <here>", 2.0, r, atol=1e-9),
            claim_quoted_range("demo/star", "rounding", 0.81, 0.86, 0.806, decimals=2),
        ],
    )
    return [rec, run_recipe(rec, full=False, outdir=tmp_path)]


def test_report_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from qdarwin.figures import reproduce as rep

    rec, _ = _fake_outcomes(tmp_path / "scratch")
    monkeypatch.setattr(rep, "recipes", lambda pillar=None: [rec])
    rep.reproduce(outdir=tmp_path / "res")
    page = (tmp_path / "res" / "index.html").read_text()
    data = json.loads((tmp_path / "res" / "claims.json").read_text())
    # every referenced file exists (relative to the page), no network, no script
    refs = re.findall(r'(?:src|href)="([^"#][^"]*)"', page)
    assert refs and all((tmp_path / "res" / r).is_file() for r in refs), refs
    assert "<script" not in page and "http" not in page
    # every claim of claims.json appears, with its status
    for r in data["recipes"]:
        for c in r["claims"]:
            row = re.search(rf'<tr class="(\w+)" id="claim-{re.escape(c["key"].replace("/", "-"))}">', page)
            assert row, c["key"]
            assert row.group(1) == {"PASS": "PASS", "PASS*": "PASSs", "FAIL": "FAIL"}[c["status"]]
    # failures impossible to miss: banner, list at the top linking to the figure, escaped text
    assert '<div class="banner bad">2 / 3 claims pass &mdash; 1 FAIL</div>' in page
    assert page.index("Failing claims") < page.index("<figure>")
    assert "fails &lt;here&gt;" in page
    md = (tmp_path / "res" / "claims.md").read_text()
    assert "**FAIL**" in md and "PASS*" in md and "quoted precision" in md


def test_claim_dict_round_trip() -> None:
    c = Claim("k", "q", 1, 2, False, "abs 0", "src", "computed == expected")
    d = c.as_dict()
    assert d["status"] == "FAIL" and d["criterion"] == "computed == expected"
