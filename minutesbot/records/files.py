"""Which files are minutes: one rule for every part that looks for them.

A minutes file is a ``.md`` file below the minutes root, neither hidden nor
in a hidden folder (``.minutesbot/``, ``.github/``). A walk takes symlinked
files but enters no symlinked folder: a link to a parent would make it
endless. A team is a folder of the root; it has minutes when a minutes file
lies below it (:mod:`minutesbot.teams` lists them). ``find_minutes_files``
(parse, lint, publish, ``new``), the archive's scan, the git ranges of
``--changed`` and the team listings all ask here; this module imports
nothing heavy, as the archive's scan runs on every query.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath

SUFFIX = ".md"


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def is_minutes_name(name: str) -> bool:
    """Whether a file of this name is minutes (its folders aside)."""
    return name.endswith(SUFFIX) and not is_hidden(name)


def is_minutes_path(relative: PurePath) -> bool:
    """Whether the file at ``relative`` (to the minutes root) is minutes."""
    return is_minutes_name(relative.name) and not any(map(is_hidden, relative.parts))


def walk(folder: Path) -> Iterator[Path]:
    """The minutes files below ``folder``, folder by folder (unsorted)."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                for entry in listing:
                    if is_hidden(entry.name):
                        continue
                    if is_minutes_name(entry.name) and entry.is_file():
                        yield current / entry.name
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append(current / entry.name)
        except OSError:
            continue


def find_minutes_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, with each directory replaced by the minutes files below it (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(walk(path)))
        else:
            found.append(path)
    return found
