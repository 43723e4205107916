"""Shared helpers for CLI tests: run a command, parse its JSON, check one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

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


def run_cli(
    argv: Sequence[str],
    *,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    preexec_fn: Callable[[], None] | None = None,
) -> tuple[int, str, str]:
    """Run ``python -m qdarwin argv`` in a subprocess with stdout and stderr redirected to FILES.

    Files, not pipes, are what a user gets with ``2> log``: rich sees no terminal there. Returns
    ``(exit code, stdout text, stderr text)``.
    """
    import tempfile

    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = Path(tmp) / "stdout.txt", Path(tmp) / "stderr.txt"
        with open(out_path, "w") as out, open(err_path, "w") as err:
            proc = subprocess.run(
                [sys.executable, "-m", "qdarwin", *argv],
                stdout=out, stderr=err, cwd=cwd, env=full_env, timeout=timeout, preexec_fn=preexec_fn,
            )
        return proc.returncode, out_path.read_text(), err_path.read_text()


def assert_one_line_error_in_file(argv: Sequence[str], fragment: str, **kwargs: Any) -> str:
    """Assert exit code 2 and exactly one stderr line (containing ``fragment``) with stderr a file.

    No progress-bar output, no traceback, nothing else on stderr. Returns the line.
    """
    rc, out, err = run_cli(argv, **kwargs)
    lines = err.splitlines()
    assert rc == 2, (rc, out, err)
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and fragment in lines[0], err
    return lines[0]
