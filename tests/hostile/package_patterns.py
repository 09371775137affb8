"""Every regular expression the package compiles, found by walking it.

Two sources, so that no pattern escapes the audit wherever it moves:
compiled patterns held by the modules (also in dicts, lists and tuples:
``{"facilitation": re.compile(...)}``), and patterns written literally in a
call of an ``re`` function (``re.search(r"[?:]", text)``), read from the
source with :mod:`ast`. Patterns that a module only imports from a library
(markdown-it's) are left out: they are the library's to answer for.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import minutesbot

_RE_FUNCTIONS = frozenset(
    {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
)


def _held(value: object) -> list[re.Pattern[str]]:
    values = (
        value.values()
        if isinstance(value, dict)
        else value
        if isinstance(value, (list, tuple))
        else [value]
    )
    out = []
    for item in values:
        if isinstance(item, tuple) and item and isinstance(item[0], re.Pattern):
            item = item[0]
        if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
            out.append(item)
    return out


def _assigned(tree: ast.Module) -> set[str]:
    """Names a module binds at its top level (not those it imports)."""
    names = set()
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _literal_calls(tree: ast.Module) -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_FUNCTIONS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            flags = 0
            for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                if (
                    isinstance(arg, ast.Attribute)
                    and isinstance(arg.value, ast.Name)
                    and arg.value.id == "re"
                ):
                    flags |= (
                        getattr(re, arg.attr, 0)
                        if isinstance(getattr(re, arg.attr, None), int)
                        else 0
                    )
            found.append((repr(node.args[0].value), re.compile(node.args[0].value, flags)))
    return found


def package_patterns() -> dict[str, re.Pattern[str]]:
    """``MODULE NAME`` (``MODULE 'PATTERN'`` for a literal; MODULE without its package) to
    pattern, each pattern once."""
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(minutesbot.__path__, "minutesbot.")
        if not info.name.endswith("__main__")
    ]
    by_key: dict[tuple[str, int], str] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for mod in modules:
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        own = _assigned(tree)
        named = [
            (name, p) for name, value in vars(mod).items() if name in own for p in _held(value)
        ]
        named += _literal_calls(tree)
        for name, pattern in named:
            key = (pattern.pattern, pattern.flags)
            if key not in by_key:
                by_key[key] = f"{mod.__name__.rpartition('.')[2]} {name}"
                patterns[by_key[key]] = pattern
    return patterns
