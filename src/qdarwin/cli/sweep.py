"""``qdarwin sweep`` commands (thin: parse, call the core, print or hand to io)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ._common import console, err_console, make_progress, print_json, print_line, print_table

app = typer.Typer(no_args_is_help=True)

_JSON_HELP = "Print JSON instead of a table."


def _progress_columns() -> list[Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed", style="red"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]


@app.command("run")
def run(
    config: Path = typer.Argument(..., help="Sweep config (TOML): function, [grid], [fixed], seeds, out."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Local Dask worker processes (default: one per core)."),
    serial: bool = typer.Option(False, "--serial", help="Run in this process, one point after another (debugging)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Results directory (default: 'out' in the config, else results/sweeps/<config name>)."),
    write: str = typer.Option("worker", "--write", help="Who writes each point: 'worker' (default) or 'client' (no shared filesystem)."),
    retry_failed: bool = typer.Option(True, "--retry-failed/--no-retry-failed", help="Re-run points that failed before."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar (only when stderr is a terminal)."),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
) -> None:
    """Run (or resume) a sweep: finished points are skipped, each new point is written as it finishes."""
    import dataclasses

    from ..sweep import DaskScheduler, LocalDask, Serial, load_sweep, run_sweep, validate_sweep

    sweep, cfg_out = load_sweep(config)
    if serial and (scheduler or workers):
        raise ValueError("--serial cannot be combined with --scheduler or --workers")
    if scheduler and workers:
        raise ValueError("--workers applies to the local cluster; the workers of --scheduler are started separately")
    executor = Serial() if serial else DaskScheduler(scheduler) if scheduler else LocalDask(n_workers=workers)
    target = out or (Path(cfg_out) if cfg_out else Path("results") / "sweeps" / config.stem)
    validate_sweep(sweep)  # every config problem is reported before a cluster or a bar starts
    try:
        with make_progress(*_progress_columns(), enabled=progress) as prog:
            task = prog.add_task(sweep.function, total=None, failed=0)

            def update(done: int, total: int, failed: Any = 0) -> None:
                prog.update(task, completed=done, total=total, failed=failed)

            result = run_sweep(sweep, target, executor=executor, progress=update, retry_failed=retry_failed, write=write)
    except KeyboardInterrupt:
        err_console.print(f"interrupted: finished points are kept in {target}; run the same command again to resume")
        raise typer.Exit(130) from None
    if as_json:
        print_json({**dataclasses.asdict(result), "complete": result.complete, "wall_time_unit": "s"})
        if result.failed:
            raise typer.Exit(1)
        return
    print_table(
        f"sweep {sweep.function}",
        [
            ("results", str(result.out)),
            ("points", result.total),
            ("resumed (already done)", result.skipped),
            ("computed now", result.computed),
            ("failed", result.failed),
            ("wall time [s]", round(result.seconds, 2)),
        ],
    )
    for key, msg in list(result.errors.items())[:5]:
        print_line(f"failed {key}: {msg}")
    if result.failed:
        print_line(f"{result.failed} point(s) failed; details: qdarwin sweep status {result.out}")
        raise typer.Exit(1)
    if result.complete:
        print_line(f"complete; combine with: qdarwin sweep collect {result.out} -o {result.out / 'combined.nc'}")


@app.command("status")
def status(
    directory: Path = typer.Argument(..., help="Results directory of a sweep."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show how many points of a sweep are finished, failed or pending."""
    import dataclasses

    from ..sweep import sweep_status

    st = sweep_status(directory)
    if as_json:
        print_json(dataclasses.asdict(st))
        return
    print_line(f"results directory: {directory}")
    print_table(
        f"sweep {st.function}",
        [
            ("grid", " x ".join(f"{d}[{n}]" for d, n in zip(st.dims, st.shape))),
            ("points", st.total),
            ("done", st.done),
            ("failed", st.failed),
            ("pending", st.pending),
        ],
    )
    for key, rec in list(st.errors.items())[:10]:
        console.print(f"failed {key} {rec.get('params')}: {rec.get('error_type')}: {rec.get('error')}", markup=False, highlight=False)


@app.command("collect")
def collect(
    directory: Path = typer.Argument(..., help="Results directory of a sweep."),
    output: Path = typer.Option(..., "--output", "-o", help="NetCDF file to write (e.g. out.nc)."),
    complete: bool = typer.Option(False, "--complete", help="Refuse if any point is missing or failed."),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
) -> None:
    """Combine the finished points into one NetCDF with the grid axes as coordinates."""
    from ..io import save_dataset
    from ..sweep import collect_sweep

    ds = collect_sweep(directory, require_complete=complete)
    save_dataset(ds, output)
    dims = ", ".join(f"{d}={n}" for d, n in ds.sizes.items())
    if as_json:
        print_json(
            {
                "file": str(output),
                "dimensions": {str(d): int(n) for d, n in ds.sizes.items()},
                "variables": [str(v) for v in ds.data_vars],
                "finished_points": ds.attrs["n_finished"],
                "points": ds.attrs["n_points"],
                "failed_points": ds.attrs["n_failed"],
                "grid_complete": bool(ds.attrs["grid_complete"]),
            }
        )
        return
    print_table(
        f"collected {ds.attrs['sweep_function']}",
        [
            ("file", str(output)),
            ("dimensions", dims),
            ("variables", ", ".join(map(str, ds.data_vars))),
            ("finished points", f"{ds.attrs['n_finished']} / {ds.attrs['n_points']}"),
            ("failed points", ds.attrs["n_failed"]),
        ],
    )
    if not ds.attrs["grid_complete"]:
        console.print("missing points are NaN; run 'qdarwin sweep run' again to finish them")


@app.command("functions")
def functions(as_json: bool = typer.Option(False, "--json", help=_JSON_HELP)) -> None:
    """List the registered sweep functions."""
    from ..sweep import available_functions

    if as_json:
        print_json(available_functions())
        return
    print_table("sweep functions", list(available_functions().items()), columns=["function", "description"])
