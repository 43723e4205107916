"""Layering rules of the package, checked on the source (AST), see docs/architecture.md.

* the core (``info``, the pillars ``spins``/``thermal``/``dephasing``, ``darwinism``,
  ``tomography`` and the shared ``_checks``/``_typing``/``_threads``) imports none of ``io``,
  ``cli``, ``figures``, ``sweep``, matplotlib or h5py, not even lazily inside a function;
* no pillar imports another pillar;
* no import cycles among qdarwin modules (module-level imports);
* no module in ``src/`` over 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "qdarwin"
CORE_CANDIDATES = ("info", "spins", "thermal", "dephasing", "darwinism", "tomography")
CORE_SHARED = ("_checks", "_typing", "_threads")
PILLARS = ("spins", "thermal", "dephasing")
FORBIDDEN_FOR_CORE = ("qdarwin.io", "qdarwin.cli", "qdarwin.figures", "qdarwin.sweep", "matplotlib", "h5py")
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """Absolute name of the module an ``ImportFrom`` node refers to."""
    if node.level == 0:
        return node.module or ""
    is_pkg = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_pkg else base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, *, module_level_only: bool) -> set[str]:
    """Absolute names imported by ``module`` (``from pkg import sub`` counts as ``pkg.sub``)."""
    tree = ast.parse(MODULES[module].read_text())
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    if module_level_only:  # also imports nested in module-level if/try blocks, not in functions
        stack, nodes = list(tree.body), []
        while stack:
            n = stack.pop()
            nodes.append(n)
            if isinstance(n, (ast.If, ast.Try)):
                stack.extend(ast.iter_child_nodes(n))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.add(sub if sub in MODULES else target)
    return out


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _core_packages() -> list[str]:
    """The core packages that exist in this tree (listed, not skipped)."""
    return [c for c in CORE_CANDIDATES if (PKG / c).is_dir()]


def test_core_list_is_not_empty() -> None:
    assert {"info", "spins", "thermal", "dephasing"} <= set(_core_packages())


def test_core_imports_no_io_cli_figures_sweep_plotting() -> None:
    core = [f"qdarwin.{c}" for c in _core_packages()] + [f"qdarwin.{s}" for s in CORE_SHARED]
    bad = []
    for mod in MODULES:
        if any(_within(mod, c) for c in core):
            for imp in _imports(mod, module_level_only=False):
                if any(_within(imp, f) for f in FORBIDDEN_FOR_CORE):
                    bad.append(f"{mod} imports {imp}")
    assert not bad, "\n".join(bad)


def test_no_pillar_imports_another_pillar() -> None:
    bad = []
    for mod in MODULES:
        own = [p for p in PILLARS if _within(mod, f"qdarwin.{p}")]
        if not own:
            continue
        for imp in _imports(mod, module_level_only=False):
            other = [p for p in PILLARS if p != own[0] and _within(imp, f"qdarwin.{p}")]
            if other:
                bad.append(f"{mod} imports {imp}")
    assert not bad, "\n".join(bad)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), and self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    graph = {m: {i for i in _imports(m, module_level_only=True) if i in MODULES and i != m} for m in MODULES}
    # a package's __init__ importing its own submodules is not a cycle unless a submodule imports it back
    assert not _cycles(graph), _cycles(graph)


def test_cycle_detector_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_modules_are_at_most_600_lines() -> None:
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_resolution_of_relative_imports() -> None:
    node = ast.parse("from ..info import partial_trace").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _resolve("qdarwin.dephasing.model", node) == "qdarwin.info"
    node = ast.parse("from . import model").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _resolve("qdarwin.dephasing", node) == "qdarwin.dephasing"
    assert "qdarwin.dephasing.model" in _imports("qdarwin.dephasing", module_level_only=True)
