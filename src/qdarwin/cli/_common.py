"""Shared CLI helpers: consoles, JSON output, rich progress, one-line errors."""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any, Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


class CLIError(ValueError):
    """A user-facing error: printed as one line on stderr, exit code 2."""


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout (numpy types and non-finite floats converted)."""
    from ..io.results import to_jsonable

    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2) + "\n")


def print_table(title: str, rows: list[tuple[str, Any]] | list[list[Any]], columns: list[str] | None = None) -> None:
    """Print a readable rich table (two columns 'quantity', 'value' by default)."""
    table = Table(title=title, show_header=True, header_style="bold")
    cols = columns or ["quantity", "value"]
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*[_fmt(v) for v in row])
    console.print(table)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


@contextlib.contextmanager
def progress_bar(description: str, total: int | None = None, *, enabled: bool = True) -> Iterator[Callable[..., None]]:
    """A rich progress bar exposed as a ``progress(done, total, desc)`` callback (stderr)."""
    if not enabled:
        yield lambda *a, **k: None
        return
    cols = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*cols, console=err_console, transient=False) as prog:
        task = prog.add_task(description, total=total)

        def update(done: int, tot: int | None = None, desc: str = "") -> None:
            kw: dict[str, Any] = {"completed": done}
            if tot is not None:
                kw["total"] = tot
            if desc:
                kw["description"] = f"{description}: {desc}"
            prog.update(task, **kw)

        yield update
