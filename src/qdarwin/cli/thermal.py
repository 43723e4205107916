"""``qdarwin thermal`` commands (thin: parse, call the core, print or hand to io)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)
