"""Static checks in the test suite, so the single CI command also runs them (style guide §2, §10).

* mypy over ``src/qdarwin`` with the ``[tool.mypy]`` settings of ``pyproject.toml``;
* pyflakes over ``src/`` and ``tests/`` (unused imports and names, undefined names, ...).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pyflakes.reporter import Reporter

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_src_is_clean() -> None:
    from mypy import api

    stdout, stderr, status = api.run(
        [
            "--config-file", str(ROOT / "pyproject.toml"),
            "--cache-dir", str(ROOT / ".mypy_cache"),
            str(ROOT / "src" / "qdarwin"),
        ]
    )
    assert status == 0, f"mypy found problems (exit status {status}):\n{stdout}{stderr}"


class _Collect(Reporter):
    """A pyflakes reporter that records every message instead of printing it."""

    def __init__(self) -> None:
        super().__init__(io.StringIO(), io.StringIO())
        self.messages: list[str] = []

    def unexpectedError(self, filename: str, msg: str) -> None:
        self.messages.append(f"{filename}: {msg}")

    def syntaxError(self, filename: str, msg: str, lineno: int, offset: Any, text: Any) -> None:
        self.messages.append(f"{filename}:{lineno}:{offset}: syntax error: {msg}")

    def flake(self, message: Any) -> None:
        self.messages.append(str(message))


def test_pyflakes_src_and_tests_are_clean() -> None:
    from pyflakes.api import checkRecursive

    reporter = _Collect()
    checkRecursive([str(ROOT / "src"), str(ROOT / "tests")], reporter)
    assert not reporter.messages, "pyflakes:\n" + "\n".join(reporter.messages)
