"""``qdarwin`` command line: ``reproduce`` plus one sub-command group per pillar.

Errors in user input (``ValueError``, missing files, refused sizes) are printed as one line on
stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, cast

import click
import typer

# typer >= 0.20 vendors click as typer._click; older versions use click itself.
_EXIT = tuple({click.exceptions.Exit, typer.Exit})
_ABORT = tuple({click.exceptions.Abort, typer.Abort})
_USAGE = tuple({click.ClickException, getattr(typer, "TyperException", click.ClickException)})

from ._common import console, err_console

app = typer.Typer(
    name="qdarwin",
    help="Quantum Darwinism toolkit: spin environments, thermalizing chains, dephasing constraints.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    from . import analyze, dephasing, spins, spins_estimate, sweep, thermal, thermal_rates

    spins.app.command("estimate")(spins_estimate.estimate)
    thermal.app.command("rates")(thermal_rates.rates)
    thermal.app.command("ensemble")(thermal_rates.ensemble)

    app.add_typer(spins.app, name="spins", help="Spin environments: Chernoff information, redundancy, exact information.")
    app.add_typer(thermal.app, name="thermal", help="Thermalizing (chaotic) environments: dynamics, I(S:F), rate functions.")
    app.add_typer(dephasing.app, name="dephasing", help="Dephasing rates: physicality check, canonical operators, speed limits.")
    app.add_typer(sweep.app, name="sweep", help="Parameter sweeps on Dask: run, status, collect.")
    app.command("analyze")(analyze.analyze)
    from . import tomography

    app.command("tomography")(tomography.tomography)


@app.command()
def reproduce(
    pillar: Optional[str] = typer.Argument(None, help="spins, thermal or dephasing (default: all)."),
    full: bool = typer.Option(False, "--full", help="Publication sizes (slow) instead of quick mode."),
    out: Path = typer.Option(Path("results"), "--out", "-o", help="Output directory."),
    only: Optional[list[str]] = typer.Option(None, "--only", help="Run only the named recipe(s)."),
    list_: bool = typer.Option(False, "--list", help="List the recipes and exit."),
) -> None:
    """Regenerate the papers' figures (PNG + PDF) and the claims table (Markdown + JSON)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from ..figures.registry import recipes
    from ..figures.reproduce import reproduce as run

    todo = recipes(pillar)
    if list_:
        for r in todo:
            console.print(f"{r.pillar:10s} {r.name:32s} {r.title}")
        return
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console
    ) as prog:
        overall = prog.add_task("recipes", total=len([r for r in todo if not only or r.name in only]))
        current: dict[str, TaskID] = {}

        def listener(kind: str, name: str, payload: object) -> None:
            if kind == "start":
                current[name] = prog.add_task(f"  {name}", total=None)
            elif kind == "progress":
                done, total, _ = cast("tuple[int, int, str]", payload)  # (done, total, desc) from run_recipe
                prog.update(current[name], completed=done, total=total)
            elif kind == "done":
                prog.update(current[name], total=1, completed=1, visible=True)
                prog.advance(overall)

        outcomes = run(pillar, full=full, outdir=out, only=only, listener=listener)
    n_pass = sum(c.passed for o in outcomes for c in o.claims)
    n_all = sum(len(o.claims) for o in outcomes)
    errors = [o for o in outcomes if o.error]
    for o in outcomes:
        status = "[red]ERROR[/red]" if o.error else ("[green]ok[/green]" if all(c.passed for c in o.claims) else "[yellow]claims failed[/yellow]")
        console.print(f"{o.pillar:10s} {o.name:32s} {o.seconds:7.1f} s  {status}")
        if o.error:
            console.print(f"           {o.error}", markup=False)
        for c in o.claims:
            if not c.passed:
                console.print(f"           FAIL {c.key}: expected {c.expected}, computed {c.computed}", markup=False)
    stem = "claims" if pillar is None else f"claims_{pillar}"
    console.print(f"{n_pass}/{n_all} claims pass; table in {out / (stem + '.md')} and {out / (stem + '.json')}")
    if errors or n_pass < n_all:
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the qdarwin version."""
    from .. import __version__

    console.print(__version__)


_register()


def main(argv: list[str] | None = None) -> int:
    """Console entry point with one-line errors (exit 2) for bad input."""
    try:
        rv = app(args=argv, standalone_mode=False)
    except _EXIT as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except _ABORT:
        err_console.print("aborted")
        return 130
    except _USAGE as exc:
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"error: {exc}", markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except (ValueError, FileNotFoundError, MemoryError, KeyError, OSError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        err_console.print(f"error: {msg}", markup=False, highlight=False)
        return 2
    return int(rv or 0) if isinstance(rv, int) else 0


def _entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
