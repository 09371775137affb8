"""The package's layout stays as issue 9 left it: no import cycle, no class over ~200 lines,
no module over 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "minutesbot"
MAX_CLASS_LINES = 200
MAX_MODULE_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _body_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in functions:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("minutesbot"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return found


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _body_imports(path, modules) - {name} for name, path in modules.items()}
    cycles, done = [], set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            cycles.append(" -> ".join(stack[stack.index(name) :] + [name]))
            return
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert not cycles


def test_no_class_over_about_200_lines():
    big = [
        f"{path.relative_to(PACKAGE.parent)}: {node.name} ({node.end_lineno - node.lineno} lines)"
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno > MAX_CLASS_LINES
    ]
    assert not big


def test_no_module_over_400_lines():
    big = [
        f"{path.relative_to(PACKAGE.parent)}: {lines} lines"
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not big
