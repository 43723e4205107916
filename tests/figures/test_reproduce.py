"""Tests for the reproduction driver: claims, error capture, files written atomically."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from qdarwin.figures import FigureRecipe, claim_close, claim_range, claim_true, recipes
from qdarwin.figures.reproduce import claims_markdown, run_recipe


@dataclass(frozen=True)
class _Params:
    n: int


def _recipe(fail: bool = False) -> FigureRecipe:
    def compute(params: _Params, progress: object) -> list[int]:
        if fail:
            raise ValueError("boom")
        return list(range(params.n))

    def plot(result: list[int]) -> plt.Figure:
        fig, ax = plt.subplots()
        ax.plot(result)
        return fig

    return FigureRecipe(
        name="demo",
        pillar="spins",
        title="demo",
        params=lambda full: _Params(10 if full else 3),
        compute=compute,
        plot=plot,
        claims=lambda r: [claim_close("demo/len", "length", 3, len(r), atol=0)],
    )


class TestClaims:
    def test_close(self) -> None:
        assert claim_close("k", "q", 1.0, 1.0 + 1e-10, atol=1e-9).passed
        assert not claim_close("k", "q", 1.0, 1.1, rtol=0.01).passed
        assert claim_close("k", "q", float("inf"), float("inf")).passed

    def test_range_and_true(self) -> None:
        assert claim_range("k", "q", 0.1, 0.2, 0.15).passed
        assert not claim_range("k", "q", 0.1, 0.2, 0.25).passed
        assert not claim_true("k", "q", "monotone", False, criterion="diff > 0").passed


class TestRunRecipe:
    def test_writes_png_and_pdf(self, tmp_path: Path) -> None:
        out = run_recipe(_recipe(), full=False, outdir=tmp_path)
        assert out.error is None
        assert (tmp_path / "spins" / "demo.png").stat().st_size > 0
        assert (tmp_path / "spins" / "demo.pdf").stat().st_size > 0
        assert [c.passed for c in out.claims] == [True]

    def test_error_is_recorded(self, tmp_path: Path) -> None:
        out = run_recipe(_recipe(fail=True), full=False, outdir=tmp_path)
        assert out.error == "ValueError: boom"
        md = claims_markdown([out], full=False)
        assert "ERROR" in md and "0 / 0 claims pass (0 PASS*); 0 fail; 1 recipe error" in md


def test_unknown_pillar() -> None:
    with pytest.raises(ValueError, match="unknown pillar"):
        recipes("nope")


def test_registry_names_unique() -> None:
    names = [(r.pillar, r.name) for r in recipes()]
    assert len(names) == len(set(names))


def test_claims_json_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qdarwin.figures import reproduce as rep

    monkeypatch.setattr(rep, "recipes", lambda pillar=None: [_recipe()])
    rep.reproduce("spins", outdir=tmp_path)
    data = json.loads((tmp_path / "claims_spins.json").read_text())
    assert data["recipes"][0]["claims"][0]["passed"] is True
    assert "PASS" in (tmp_path / "claims_spins.md").read_text()
