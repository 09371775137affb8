"""A deterministic count of the work minutesbot's own code does, for linearity tests.

Wall-clock time is no measure in a test (machines differ, load varies), and a
count of Python lines misses the work a single operation hides: ``name not in
names`` on a list scans the whole list, and that is how parsing went quadratic
(issue 16, point 9). So the package's modules are loaded with their syntax
tree rewritten to count:

- one unit for each turn of a loop or of a comprehension;
- for ``x in y`` and ``x not in y``, the length of ``y`` when it is a list,
  tuple or string (a scan), one unit otherwise (a hash look-up);
- for ``y.index(x)``, ``y.count(x)`` and ``y.remove(x)`` on a list or tuple,
  the length of ``y`` (a scan, comparing each element: an entry found in the
  entries so made a file of 20,000 markers take minutes), even where the
  scan stops early. On a string they count nothing, as any other call: the
  package calls them on a line, a token or a part of the text it walks once.

Regular expressions are audited apart (``test_regex_audit``), and the
markdown library is not counted: only minutesbot's code. The count runs in
a child process, so that the rewritten modules never meet the tests' own.

Run as ``python work_counter.py SCRIPT``: the script's statements run with
``count(fn)`` available (it returns the units ``fn()`` took) and
``report(value)`` to print the JSON answer.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

PACKAGE = "minutesbot"
_SCANNED = (list, tuple, str, bytes)


class Work:
    units = 0


def _tick() -> bool:
    Work.units += 1
    return True


def _contains(item: object, container: object) -> bool:
    Work.units += len(container) if isinstance(container, _SCANNED) else 1  # type: ignore[arg-type]
    return item in container  # type: ignore[operator]


# The methods of a list or tuple that scan it.
_SCANNING_METHODS = frozenset({"index", "count", "remove"})


def _scan(container: object) -> object:
    if isinstance(container, (list, tuple)):
        Work.units += len(container)
    return container


class _Counting(ast.NodeTransformer):
    """Adds the counting calls: ``_work_tick()`` in every loop, ``_work_contains`` for ``in``,
    ``_work_scan`` around what a scanning method is called on."""

    def _tick(self) -> ast.expr:
        return ast.Call(ast.Name("_work_tick", ast.Load()), [], [])

    def _loop(self, node: ast.For | ast.While | ast.AsyncFor) -> ast.AST:
        self.generic_visit(node)
        node.body.insert(0, ast.Expr(self._tick()))
        return node

    visit_For = visit_While = visit_AsyncFor = _loop

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.ifs.insert(0, self._tick())
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.In, ast.NotIn)):
            return node
        call = ast.Call(
            ast.Name("_work_contains", ast.Load()), [node.left, node.comparators[0]], []
        )
        return ast.UnaryOp(ast.Not(), call) if isinstance(node.ops[0], ast.NotIn) else call

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr in _SCANNING_METHODS:
            node.func.value = ast.Call(ast.Name("_work_scan", ast.Load()), [node.func.value], [])
        return node


class _Loader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):  # type: ignore[override]
        # Always from the source: the loader would otherwise take a valid .pyc from
        # __pycache__ (written by any ordinary import of the package) and count nothing.
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)

    def source_to_code(self, data, path, *, _optimize=-1):  # type: ignore[override]
        tree = ast.fix_missing_locations(_Counting().visit(ast.parse(data, path)))
        return compile(tree, path, "exec", dont_inherit=True)

    def exec_module(self, module) -> None:  # type: ignore[override]
        module.__dict__.update(_work_tick=_tick, _work_contains=_contains, _work_scan=_scan)
        super().exec_module(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # type: ignore[override]
        if name != PACKAGE and not name.startswith(PACKAGE + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        spec.loader = _Loader(spec.loader.name, spec.loader.path)
        spec.cached = None  # and never written to __pycache__ (see _Loader.get_code)
        return spec


def count(fn: Callable[[], object]) -> int:
    """The units of work ``fn()`` takes."""
    before = Work.units
    fn()
    return Work.units - before


def measure(script: str, project: Path) -> object:
    """Run ``script`` in a child process with counted modules; its ``report(value)``."""
    done = subprocess.run(
        [sys.executable, "-B", str(Path(__file__)), script],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(Path.cwd()))  # the checkout measured
    sys.meta_path.insert(0, _Finder())
    exec(sys.argv[1], {"count": count, "report": lambda value: print(json.dumps(value))})
