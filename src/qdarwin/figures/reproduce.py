"""Run figure recipes, save figures and write the claims table (Markdown + JSON)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from ._recipe import PAPERS, Claim, FigureRecipe
from .registry import recipes

#: ``on_event(kind, recipe_name, payload)`` with kind in {"start", "progress", "done"}.
Listener = Optional[Callable[[str, str, Any], None]]


@dataclass
class RecipeOutcome:
    name: str
    pillar: str
    title: str
    seconds: float
    files: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    error: str | None = None


def run_recipe(recipe: FigureRecipe, *, full: bool, outdir: Path, listener: Listener = None) -> RecipeOutcome:
    """Compute, plot and save one recipe; errors are recorded, not raised."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .._threads import blas_threads
    from ..io import save_figure

    t0 = time.perf_counter()
    out = RecipeOutcome(recipe.name, recipe.pillar, recipe.title, 0.0)

    def progress(done: int, total: int, desc: str = "") -> None:
        if listener:
            listener("progress", recipe.name, (done, total, desc))

    try:
        with blas_threads():
            params = recipe.params(full)
            result = recipe.compute(params, progress)
            if recipe.plot is not None:
                fig = recipe.plot(result)
                files = save_figure(fig, outdir / recipe.pillar / recipe.name, metadata={"Title": recipe.title})
                plt.close(fig)
                out.files = [str(f) for f in files]
            out.claims = list(recipe.claims(result))
    except Exception as exc:  # a failing recipe is reported in the table, the others still run
        out.error = f"{type(exc).__name__}: {exc}"
    out.seconds = time.perf_counter() - t0
    return out


def claims_markdown(outcomes: list[RecipeOutcome], *, full: bool) -> str:
    """The claims table as Markdown (one section per recipe, failures and notes called out)."""
    lines = [
        "# qdarwin reproduction: claims table",
        "",
        f"Mode: {'full' if full else 'quick'}. Each row compares a number quoted by the paper (or an "
        "independent reference computation, see the theory pages under `docs/`) with the value computed "
        "now through qdarwin's public API; the criterion column says exactly what decides the result. "
        "PASS* marks a pass that needs its note (e.g. a value outside a quoted interval that passes only "
        "at the interval's quoted precision).",
        "",
    ]
    n_pass = sum(c.passed for o in outcomes for c in o.claims)
    n_star = sum(c.status == "PASS*" for o in outcomes for c in o.claims)
    n_all = sum(len(o.claims) for o in outcomes)
    n_err = sum(o.error is not None for o in outcomes)
    lines.append(f"**{n_pass} / {n_all} claims pass ({n_star} PASS*); {n_all - n_pass} fail; {n_err} recipe error(s).**")
    lines.append("")
    for o in outcomes:
        lines.append(f"## {o.pillar}: {o.title} (`{o.name}`, {o.seconds:.1f} s)")
        if o.files:
            lines.append("Files: " + ", ".join(f"`{f}`" for f in o.files))
        if o.error:
            lines.append(f"**ERROR:** {o.error}")
        if o.claims:
            lines.append("")
            lines.append("| claim | quantity | expected | computed | criterion | result | source |")
            lines.append("|---|---|---|---|---|---|---|")
            for c in o.claims:
                status = c.status if c.passed else "**FAIL**"
                lines.append(
                    f"| {c.key} | {_fmt(c.quantity)} | {_fmt(c.expected)} | {_fmt(c.computed)} | "
                    f"{_fmt(c.criterion or c.tolerance)} | {status} | {_fmt(c.source)} |"
                )
            notes = [c for c in o.claims if c.note]
            if notes:
                lines.append("")
                lines.extend(f"- `{c.key}` ({c.status}): {c.note}" for c in notes)
        lines.append("")
    return "\n".join(lines)


def _caption(recipe: FigureRecipe) -> str:
    """First paragraph of the recipe module's docstring (what the figure shows)."""
    import sys

    mod = sys.modules.get(getattr(recipe.compute, "__module__", ""), None)
    doc = (getattr(mod, "__doc__", None) or "").strip()
    return " ".join(doc.split("\n\n")[0].split()) if doc else recipe.title


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.10g}"
    return str(x).replace("|", "/")


def reproduce(
    pillar: str | None = None,
    *,
    full: bool = False,
    outdir: str | Path = "results",
    only: list[str] | None = None,
    listener: Listener = None,
) -> list[RecipeOutcome]:
    """Reproduce the figures of one pillar (or all) into ``outdir``.

    Writes ``claims.md`` / ``claims.json`` and the browsable report ``index.html`` (for one pillar:
    ``claims_<pillar>.*`` and ``index_<pillar>.html``).
    """
    from ..io import provenance, write_json, write_text
    from ..io.report import write_report

    t_start = time.perf_counter()

    out = Path(outdir)
    todo = [r for r in recipes(pillar) if (not only or r.name in only) and (full or not r.full_only)]
    if only and not todo:
        raise ValueError(f"no recipe named {', '.join(only)}; see 'qdarwin reproduce --list'")
    outcomes = []
    for r in todo:
        if listener:
            listener("start", r.name, r.title)
        o = run_recipe(r, full=full, outdir=out, listener=listener)
        outcomes.append(o)
        if listener:
            listener("done", r.name, o)
    stem = "claims" if pillar is None else f"claims_{pillar}"
    data = {
        "mode": "full" if full else "quick",
        "provenance": provenance(),
        "seconds": time.perf_counter() - t_start,
        "recipes": [
            {
                "name": o.name,
                "pillar": o.pillar,
                "title": o.title,
                "paper": PAPERS.get(o.pillar, ""),
                "caption": _caption(r),
                "seconds": o.seconds,
                "files": o.files,
                "error": o.error,
                "claims": [c.as_dict() for c in o.claims],
            }
            for r, o in zip(todo, outcomes)
        ],
    }
    write_text(out / f"{stem}.md", claims_markdown(outcomes, full=full))
    write_json(out / f"{stem}.json", data)
    write_report(out / ("index.html" if pillar is None else f"index_{pillar}.html"), data)
    return outcomes


__all__ = ["reproduce", "run_recipe", "claims_markdown", "RecipeOutcome"]
