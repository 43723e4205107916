"""Run every ```python block of README.md and docs/*.md.

Each file's blocks run in order in one fresh namespace (``__name__ == "__docs__"``, so
``if __name__ == "__main__":`` sections are skipped), with the working directory set to a
temporary directory and ``MPLBACKEND=Agg``. A failure names the file, the block number
(1-based, counting only ```python blocks of that file) and its first line in the file.
Blocks that are not meant to run use another fence (```text, ```console, ```bash).
Also builds the documentation site with ``mkdocs build --strict`` (broken links, missing
references and docstrings mkdocstrings cannot parse fail the build).
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")


def python_blocks(path: Path) -> list[tuple[int, str]]:
    """Return ``(first_line, source)`` of each ```python fenced block, in order.

    ``first_line`` is the 1-based line number of the first code line in the file.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            line = lines[j]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            j += 1
        if lang == "python":
            blocks.append((i + 2, "\n".join(body) + "\n"))
        i = j + 1
    return blocks


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_docs_have_python_blocks() -> None:
    counts = {_rel(p): len(python_blocks(p)) for p in DOC_FILES}
    pages = ("tutorial-spins", "tutorial-thermal", "tutorial-dephasing", "coming-from-qutip-quspin")
    for page in pages:
        assert counts.get(f"docs/{page}.md", 0) > 0, f"docs/{page}.md has no ```python block"


def test_fence_parser() -> None:
    import tempfile

    text = "a\n```python\nx = 1\n```\n```text\nnot run\n```\n  ```python\n  y = x + 1\n  ```\n"
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.md"
        p.write_text(text)
        assert python_blocks(p) == [(3, "x = 1\n"), (9, "y = x + 1\n")]


@pytest.mark.parametrize("path", [p for p in DOC_FILES if python_blocks(p)], ids=_rel)
def test_doc_python_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    # docs may register example sweep functions; keep the process-wide registry unchanged
    from qdarwin.sweep import registry

    monkeypatch.setattr(registry, "_USER", dict(registry._USER))
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    failure = None
    try:
        for number, (line, source) in enumerate(blocks, start=1):
            try:
                # blank-line padding: traceback line numbers are line numbers of the .md file
                code = compile("\n" * (line - 1) + source, _rel(path), "exec")
                exec(code, namespace)
            except Exception as exc:  # report any failure with its file and line
                frames = traceback.format_exception(exc, limit=-6, chain=False)
                tb = "".join(frames)
                failure = (
                    f"{_rel(path)}: python block {number} (starting at line {line}) raised "
                    f"{type(exc).__name__}: {exc}\n{tb}"
                )
                break
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")
    if failure is not None:
        pytest.fail(failure, pytrace=False)


def test_site_builds_strict(tmp_path: Path) -> None:
    """The documented build command succeeds with zero warnings (strict mode)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp_path / "site")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    site = tmp_path / "site"
    for page in ("index.html", "cli/index.html", "theory-dephasing/index.html"):
        assert (site / page).is_file(), page
    import importlib
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_hook", ROOT / "docs" / "hooks" / "generate.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    missing = []
    for name in hook.API_PACKAGES:
        api = (site / "api" / name / "index.html").read_text(encoding="utf-8")
        mod = importlib.import_module(f"qdarwin.{name}")
        missing += [f"{name}.{n}" for n in mod.__all__ if f'id="qdarwin.{name}.{n}"' not in api]
    assert not missing, f"public names missing from the API reference: {missing}"
    assert "qdarwin thermal run" in (site / "cli/index.html").read_text(encoding="utf-8")


def test_site_pages_cite_papers_not_private_notes() -> None:
    """Home, installation and theory pages cite the papers and docs pages, never private notes."""
    import re

    pages = ["index.md", "install.md", "theory-spins.md", "theory-thermal.md", "theory-dephasing.md"]
    bad = re.compile(r"spec §|shared/spec|\bissue \d|§\s?\d")
    hits = [(p, m.group(0)) for p in pages for m in bad.finditer((ROOT / "docs" / p).read_text(encoding="utf-8"))]
    assert not hits, hits
    papers = {"theory-spins.md": "arXiv:1512.07578", "theory-thermal.md": "arXiv:2603.15743",
              "theory-dephasing.md": "Oi & Schirmer"}
    for page, ref in papers.items():
        assert ref in (ROOT / "docs" / page).read_text(encoding="utf-8"), page
