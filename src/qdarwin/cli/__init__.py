"""Command-line interface (typer + rich): a thin layer over the numerical core."""
