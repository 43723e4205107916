"""Shared CLI helpers: consoles, JSON output, rich progress, one-line errors."""

from __future__ import annotations

import ast
import contextlib
import json
import math
import operator
import sys
from typing import Any, Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


class CLIError(ValueError):
    """A user-facing error: printed as one line on stderr, exit code 2."""


# ---------------------------------------------------------------------------------------------
# number parsing shared by every command: floats or small expressions (pi/2, sqrt(0.21))

_BINOPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_NAMES = {"pi": math.pi, "e": math.e, "inf": math.inf}
_FUNCS: dict[str, Callable[[float], float]] = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log}


def parse_number(text: str, name: str) -> float:
    """Parse a float or a small arithmetic expression (``pi/2``, ``15*pi/64``, ``sqrt(0.21)``).

    Examples
    --------
    >>> round(parse_number("15*pi/64", "t"), 10)
    0.7363107782
    """
    src = str(text).strip()
    try:
        return float(src)
    except ValueError:
        pass

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.Name) and node.id in _NAMES:
            return _NAMES[node.id]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
            and len(node.args) == 1
            and not node.keywords
        ):
            return _FUNCS[node.func.id](ev(node.args[0]))
        raise ValueError

    try:
        return float(ev(ast.parse(src, mode="eval")))
    except (ValueError, SyntaxError, ZeroDivisionError, OverflowError, TypeError):
        raise ValueError(
            f"cannot read {name} value {src!r}: use a number or an expression with pi, sqrt(), + - * / **"
        ) from None


def parse_scalar(value: Any, name: str) -> float:
    """A number from a TOML value or a CLI string (int, float or expression); bools refused.

    Examples
    --------
    >>> parse_scalar(3, "t"), parse_scalar("pi/pi", "t")
    (3.0, 1.0)
    """
    if isinstance(value, bool):
        raise ValueError(f"cannot read {name} value {value!r}: expected a number")
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"{name}: {value!r} is too large") from None
    return parse_number(str(value), name)


def parse_number_list(text: Any, name: str) -> list[float]:
    """A comma-separated list (or TOML list) of numbers/expressions; empty entries refused.

    Examples
    --------
    >>> parse_number_list("1, pi/pi,3", "times")
    [1.0, 1.0, 3.0]
    """
    items = list(text) if isinstance(text, (list, tuple)) else str(text).split(",")
    if not items or any(isinstance(v, str) and not v.strip() for v in items):
        raise ValueError(f"cannot read {name} value {text!r}: empty entry in the list")
    return [parse_scalar(v.strip() if isinstance(v, str) else v, name) for v in items]


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout (numpy types and non-finite floats converted)."""
    from ..io.results import to_jsonable

    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2) + "\n")


def print_table(title: str, rows: list[tuple[str, Any]] | list[list[Any]], columns: list[str] | None = None) -> None:
    """Print a readable rich table (two columns 'quantity', 'value' by default)."""
    table = Table(title=Text(title), show_header=True, header_style="bold")
    cols = columns or ["quantity", "value"]
    for c in cols:
        table.add_column(Text(c))
    for row in rows:
        table.add_row(*[Text(_fmt(v)) for v in row])  # cell text is literal: "[s]" is a unit, not markup
    console.print(table)


def print_line(text: str) -> None:
    """Print literal text on stdout, never wrapped (paths and commands stay copyable)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def show_progress(enabled: bool = True) -> bool:
    """Whether to draw progress bars: requested and stderr is a terminal.

    When stderr is a file or a pipe no bar is drawn at all, so that an error stays the one
    and only stderr line.
    """
    return bool(enabled) and err_console.is_terminal


def make_progress(*columns: Any, enabled: bool = True) -> Progress:
    """A rich ``Progress`` on stderr, disabled (prints nothing) unless :func:`show_progress`."""
    return Progress(*columns, console=err_console, disable=not show_progress(enabled))


@contextlib.contextmanager
def progress_bar(description: str, total: int | None = None, *, enabled: bool = True) -> Iterator[Callable[..., None]]:
    """A rich progress bar exposed as a ``progress(done, total, desc)`` callback (stderr).

    Nothing is drawn when stderr is not a terminal (see :func:`show_progress`).
    """
    if not show_progress(enabled):
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


class LazyProgress:
    """A ``progress(done, total, desc="")`` callback that opens its bar only when work starts.

    Validation errors raised before the first call therefore stay the one and only stderr line;
    nothing is drawn unless ``enabled`` and stderr is a terminal (:func:`progress_bar`).
    Close it with ``.stack.close()`` (or use ``with bar.stack:``).
    """

    def __init__(self, description: str, enabled: bool) -> None:
        self.description = description
        self.enabled = enabled
        self.stack = contextlib.ExitStack()
        self.update: Callable[..., None] | None = None

    def __call__(self, done: int, total: int, desc: str = "") -> None:
        if not self.enabled:
            return
        if self.update is None:
            self.update = self.stack.enter_context(progress_bar(self.description, total))
        self.update(done, total, desc)
