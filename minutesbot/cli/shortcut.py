"""The archive's questions read without click when their options are plain.

``minutesbot history acme/widgets#7 --root minutes --json`` asks click for
nothing but reading a few options, and importing click costs 7-8 ms of CPU:
on a 50,000-file archive that is a tenth of the question, spent while
``git status`` needs both cores (docs/archive.md). So the command line of
``index``, ``history``, ``actions``, ``decisions`` and ``search`` is read
here when every word in it is plain: an option of the command's own,
spelled out, its value one that needs no judging. Anything else goes to
click, which reads it, says what is wrong or shows the help: ``--help``,
``--limit=5``, ``--``, a word starting with ``-``, a value starting with
``-``, a ``--limit`` that is not a number from 1 (or has leading zeros), a
day that is no ``YYYY-MM-DD``, a ``--root`` that is no readable folder, the
shell completion click offers.

Either way the same functions do the work (:mod:`minutesbot.cli.answers`).
tests/test_cli_shortcut.py checks that each option here is the one click
declares in :mod:`minutesbot.cli.archive`, and that whatever is read here
click reads the same.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

# The kinds of value this module reads; anything else is click's.
FLAG, TEXT, COUNT, DAY, FOLDER = "flag", "text", "count", "day", "folder"

_PAGE = {"--limit": ("limit", COUNT), "--all": ("show_all", FLAG)}
_EVERY = {"--root": ("root", FOLDER), "--json": ("as_json", FLAG)}
# Each command: its argument (its name, and whether it is one word or many), and its
# options (each as spelled: the parameter it sets and the kind of its value).
Options = dict[str, tuple[str, str]]
COMMANDS: dict[str, tuple[tuple[str, bool] | None, Options]] = {
    "index": (None, _EVERY),
    "history": (("ref", False), {"--repo": ("repo", TEXT), **_PAGE, **_EVERY}),
    "actions": (
        None,
        {
            "--owner": ("owner", TEXT),
            "--open": ("only_open", FLAG),
            "--done": ("only_done", FLAG),
            "--team": ("team", TEXT),
            **_PAGE,
            **_EVERY,
        },
    ),
    "decisions": (
        None,
        {
            "--team": ("team", TEXT),
            "--since": ("since", DAY),
            "--until": ("until", DAY),
            **_PAGE,
            **_EVERY,
        },
    ),
    "search": (("query", True), {**_PAGE, **_EVERY}),
}


def read(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command ``args`` name and its parameters, as click would pass them; None where
    a word is not plain (see the module's text), for click to read."""
    if not args or args[0] not in COMMANDS:
        return None
    argument, options = COMMANDS[args[0]]
    values: dict[str, Any] = {param: _default(kind) for param, kind in options.values()}
    words = []
    rest = iter(args[1:])
    for word in rest:
        if word in options:
            param, kind = options[word]
            if kind == FLAG:
                values[param] = True
                continue
            value = _value(kind, next(rest, None))
            if value is None:
                return None
            values[param] = value
        elif word.startswith("-"):
            return None
        else:
            words.append(word)
    if argument is None:
        return (args[0], values) if not words else None
    param, many = argument
    if not words or (len(words) > 1 and not many):
        return None
    values[param] = tuple(words) if many else words[0]
    return args[0], values


def _left_to_click() -> bool:
    """Whatever the words: on Windows, where click expands ``*`` and ``~`` in them first,
    and where a shell asks for completions (``_MINUTESBOT_COMPLETE``, named after the
    program as it was called)."""
    return os.name == "nt" or any(
        name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ
    )


def _default(kind: str) -> Any:
    from minutesbot.cli.answers import PAGE

    return {FLAG: False, COUNT: PAGE}.get(kind)


def _value(kind: str, word: str | None) -> Any:
    """The value ``word`` gives an option of ``kind``; None where it is click's to judge."""
    if word is None or word.startswith("-"):
        return None
    if kind == COUNT:
        plain = word.isascii() and word.isdigit() and not word.startswith("0")
        return int(word) if plain else None
    if kind == DAY:
        try:
            return date.fromisoformat(word)
        except ValueError:
            return None
    if kind == FOLDER:
        return Path(word) if os.path.isdir(word) and os.access(word, os.R_OK) else None
    return word


def run(args: list[str]) -> int | None:
    """Do what ``args`` (the words after ``minutesbot``) ask, and give the exit status;
    None, having done nothing, where click is to read them."""
    found = None if _left_to_click() else read(args)
    if found is None:
        return None
    from minutesbot.cli import answers
    from minutesbot.cli.invocation import interrupted, without_click

    command, values = found
    try:
        with without_click():
            getattr(answers, command)(**values)
    except KeyboardInterrupt:
        interrupted()
    return 0
