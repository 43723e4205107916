"""Shared helpers for CLI tests: run a command, parse its JSON, check one-line errors."""

from __future__ import annotations

import json
from typing import Any, Callable, Sequence

import pytest

from qdarwin.cli.main import main


def run_json(
    capsys: pytest.CaptureFixture[str],
    argv: Sequence[str],
    *,
    extra: Sequence[str] = ("--json",),
    invoke: Callable[[list[str]], int] = main,
) -> Any:
    """Run ``argv + extra``, assert exit code 0 and return the parsed JSON on stdout."""
    rc = invoke(list(argv) + list(extra))
    out = capsys.readouterr()
    assert rc == 0, out.err
    return json.loads(out.out)


def assert_one_line_error(capsys: pytest.CaptureFixture[str], argv: Sequence[str], fragment: str) -> None:
    """Assert exit code 2, exactly one non-empty stderr line containing ``fragment``, no traceback."""
    rc = main(list(argv))
    out = capsys.readouterr()
    assert rc == 2
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert len(lines) == 1, out.err
    assert fragment in lines[0]
    assert "Traceback" not in out.err
