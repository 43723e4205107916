"""MkDocs hook: generate the API reference (one page per subpackage) and the CLI reference.

Adding a subpackage to the API reference is one line: append its name to ``API_PACKAGES``.
Each page lists every name of the subpackage's ``__all__`` through mkdocstrings (numpy style),
so a public name without a usable docstring fails the strict build. The CLI page is the help
text of every command of the typer app (``typer.main.get_command``), rendered at build time.
"""

from __future__ import annotations

import importlib
from typing import Any

from mkdocs.structure.files import File, Files

#: Subpackages with an API page, in navigation order, with a one-line description
#: (add one line per new subpackage).
API_PACKAGES = {
    "info": "Shared information theory: entropies (bits), partial trace, mutual information, Holevo, Chernoff (nats).",
    "spins": "Spin environments (Zwolak, Riedel & Zurek 2016, arXiv:1512.07578).",
    "thermal": "Thermalizing environments (Cao & Nussinov, arXiv:2603.15743).",
    "dephasing": "Dephasing constraints and speed limits (Oi & Schirmer).",
    "darwinism": "Quantum Darwinism of any state or model: partial information, Holevo, discord, redundancy, objectivity (bits).",
    "tomography": "Multi-qubit Pauli tomography: reconstruction (linear, PLS, MLE), bootstrap intervals, synthetic data.",
    "sweep": "Parameter sweeps on Dask: grids, atomic per-point results, resume.",
    "io": "Reading and writing results (atomic writes, NetCDF, JSON, figures).",
    "io.report": "The browsable reproduction report results/index.html.",
    "figures": "Figure recipes, claims and the reproduction driver (matplotlib; outer layer).",
}


def _api_page(name: str) -> str:
    mod = importlib.import_module(f"qdarwin.{name}")
    lines = [f"# `qdarwin.{name}`", "", API_PACKAGES[name], "", f"Every public name of `qdarwin.{name}` (its `__all__`).", ""]
    for member in mod.__all__:
        lines += [f"::: qdarwin.{name}.{member}", ""]
    return "\n".join(lines)


def _api_index() -> str:
    lines = ["# API reference", "", "One page per subpackage, generated from the numpydoc docstrings "
             "(every name in the subpackage's `__all__`). Units and log bases are stated in each "
             "docstring; the conventions are collected in [Conventions](../conventions.md).", ""]
    for name in API_PACKAGES:
        mod = importlib.import_module(f"qdarwin.{name}")
        lines.append(f"- [`qdarwin.{name}`]({name}.md): {API_PACKAGES[name]} ({len(mod.__all__)} names)")
    return "\n".join(lines) + "\n"


def _cli_page() -> str:
    import typer.main

    from qdarwin.cli.main import app

    root = typer.main.get_command(app)
    lines = ["# Command line", "", "Generated from the `qdarwin` command itself (its `--help` texts). "
             "Every error in user input is one line on stderr and exit code 2.", ""]

    def walk(cmd: Any, path: list[str]) -> None:
        ctx = cmd.context_class(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        title = " ".join(path)
        formatter = ctx.make_formatter()
        # click's plain-text help (typer's own help is rich console output, not a string); typer
        # may ship its own copy of click, so the base class is looked up on the command itself
        base = next(c for c in type(cmd).__mro__ if c.__name__ == "Command" and c.__module__.endswith("click.core"))
        base.format_help(cmd, ctx, formatter)
        text = formatter.getvalue().rstrip()
        lines.extend([f"{'#' * min(len(path) + 1, 4)} `{title}`", "", "```text", text, "```", ""])
        if hasattr(cmd, "list_commands"):
            for sub in cmd.list_commands(ctx):
                sc = cmd.get_command(ctx, sub)
                if sc is not None and not sc.hidden:
                    walk(sc, [*path, sub])

    walk(root, ["qdarwin"])
    return "\n".join(lines)


def on_config(config: Any) -> Any:
    config.nav.append({"API reference": [{"Overview": "api/index.md"}] + [f"api/{n}.md" for n in API_PACKAGES]})
    return config


def on_files(files: Files, config: Any) -> Files:
    import os

    os.environ.setdefault("COLUMNS", "100")
    pages = {"cli.md": _cli_page(), "api/index.md": _api_index()}
    pages.update({f"api/{n}.md": _api_page(n) for n in API_PACKAGES})
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files
