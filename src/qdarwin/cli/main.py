"""``qdarwin`` command line: ``reproduce`` plus one sub-command group per pillar.

Errors in user input (``ValueError``, missing files, refused sizes) are printed as one line on
stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional, cast

import click
import typer

# typer >= 0.20 vendors click as typer._click; older versions use click itself.
_EXIT = tuple({click.exceptions.Exit, typer.Exit})
_ABORT = tuple({click.exceptions.Abort, typer.Abort})
_USAGE = tuple({click.ClickException, getattr(typer, "TyperException", click.ClickException)})

from ._common import CLIError, console, err_console, make_progress, print_json, print_line

app = typer.Typer(
    name="qdarwin",
    help="Quantum Darwinism toolkit: spin environments, thermalizing chains, dephasing constraints.",
    no_args_is_help=True,
    rich_markup_mode=None,
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


def _version_callback(value: bool) -> None:
    if value:
        from .. import __version__

        print_line(f"qdarwin {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the qdarwin version and exit.")
    ] = False,
) -> None:
    """Quantum Darwinism toolkit: spin environments, thermalizing chains, dephasing constraints."""


def _check_output_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CLIError(f"--out {out}: exists and is not a directory")


@app.command()
def reproduce(
    pillar: Annotated[Optional[str], typer.Argument(help="spins, thermal or dephasing (default: all).")] = None,
    full: Annotated[bool, typer.Option("--full", help="Publication sizes (slow) instead of quick mode.")] = False,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (default ./results).")] = Path("results"),
    only: Annotated[Optional[list[str]], typer.Option("--only", metavar="<name>", help="Run only the named recipe(s).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the recipes and exit.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the outcome (recipes, files, claims) as JSON.")] = False,
) -> None:
    """Regenerate the papers' figures (PNG + PDF) and the claims table (Markdown + JSON)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn

    from ..figures.registry import recipes
    from ..figures.reproduce import reproduce as run

    todo = recipes(pillar)
    if list_:
        if json_out:
            print_json([{"pillar": r.pillar, "name": r.name, "title": r.title} for r in todo])
            return
        for r in todo:
            print_line(f"{r.pillar:10s} {r.name:32s} {r.title}")
        return
    unknown = sorted(set(only or ()) - {r.name for r in todo})
    if unknown:
        raise CLIError(f"--only: no recipe named {', '.join(unknown)}; see 'qdarwin reproduce --list'")
    _check_output_dir(out)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with make_progress(*columns) as prog:
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
    stem = "claims" if pillar is None else f"claims_{pillar}"
    report = out / ("index.html" if pillar is None else f"index_{pillar}.html")  # written by figures.reproduce.run
    if json_out:
        print_json(
            {
                "claims_passed": n_pass,
                "claims_total": n_all,
                "table": [str(out / (stem + ".md")), str(out / (stem + ".json"))],
                "report": str(report) if report.is_file() else None,
                "recipes": [
                    {"pillar": o.pillar, "name": o.name, "seconds": o.seconds, "files": o.files, "error": o.error,
                     "claims_failed": [c.key for c in o.claims if not c.passed]}
                    for o in outcomes
                ],
            }
        )
    else:
        for o in outcomes:
            status = "[red]ERROR[/red]" if o.error else ("[green]ok[/green]" if all(c.passed for c in o.claims) else "[yellow]claims failed[/yellow]")
            console.print(f"{o.pillar:10s} {o.name:32s} {o.seconds:7.1f} s  {status}")
            if o.error:
                print_line(f"           {o.error}")
            for c in o.claims:
                if not c.passed:
                    print_line(f"           FAIL {c.key}: expected {c.expected}, computed {c.computed}")
        print_line(f"{n_pass}/{n_all} claims pass; table in {out / (stem + '.md')} and {out / (stem + '.json')}")
        if report.is_file():
            print_line(f"report (figures next to their claims): {report}")
    if errors or n_pass < n_all:
        raise typer.Exit(1)


@app.command()
def version(
    json_out: Annotated[bool, typer.Option("--json", help="Print version, git hash and library versions as JSON.")] = False,
) -> None:
    """Print the qdarwin version (with --json: also the git hash and library versions)."""
    from .. import __version__

    if json_out:
        from ..io.results import provenance

        print_json({k: v for k, v in provenance().items() if k != "created_utc"})
        return
    print_line(__version__)


_register()


def _plain_help(typer_app: typer.Typer) -> None:
    """Help text is plain text, not rich markup: "[thermal]" or "[grid]" print as written and
    flags show no "<bool>" type. Applied to every registered command group, recursively."""
    typer_app.rich_markup_mode = None
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _plain_help(group.typer_instance)


def _usage_line(exc: Exception) -> str:
    """One line for a click usage error: its message plus where to find the help."""
    fmt = getattr(exc, "format_message", None)
    msg = " ".join((fmt() if callable(fmt) else str(exc)).split())
    ctx = getattr(exc, "ctx", None)
    return f"{msg} (see '{ctx.command_path} --help')" if ctx is not None else msg


def main(argv: list[str] | None = None) -> int:
    """Console entry point with one-line errors (exit 2) for bad input."""
    _plain_help(app)
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="qdarwin")
    except _EXIT as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except _ABORT:
        err_console.print("aborted")
        return 130
    except _USAGE as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help, as for --help
            ctx = getattr(exc, "ctx", None)
            print_line(ctx.get_help() if ctx is not None else str(exc))
            return 0
        err_console.print(f"error: {_usage_line(exc)}", markup=False, highlight=False)
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
