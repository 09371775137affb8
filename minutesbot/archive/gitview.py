"""What git says of the minutes: the files that may differ from the commit checked out.

``git status`` (see :mod:`minutesbot.gitstatus`) compares every tracked
file's stat with git's index in C (ctime included, so an edit that restores
the modification time shows), and its untracked cache lists new files
without reading every folder. A file it does not list has the content of the
commit checked out. Revisions and paths go to git after ``--end-of-options``
and ``--``, paths taken literally.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from minutesbot.gitstatus import git
from minutesbot.records.files import is_minutes_path

# Paths passed to one git command at most (beyond, every file is compared instead).
MAX_ARGS = 1000


def parse_status(out: bytes, top: str, prefix: str) -> GitView | None:
    """The files ``git status --porcelain=v2 -z --branch`` lists below ``prefix``."""
    view = GitView(top, prefix, "")
    for record in out.split(b"\0"):
        if not record:
            continue
        kind = record[:1]
        if record.startswith(b"# branch.oid "):
            view.head = record[13:].decode("ascii", "replace")
        elif kind in (b"1", b"u"):
            # "1 XY sub mH mI mW hH hI path", "u XY sub m1 m2 m3 mW h1 h2 h3 path"
            fields = 8 if kind == b"1" else 10
            view.add(record.split(b" ", fields)[fields])
        elif kind == b"2":
            return None  # renames were asked not to be shown: git is not what we think
        elif kind == b"?":
            view.add(record[2:])
    return view


@dataclass
class GitView:
    """What ``git status`` said: the commit checked out, and the minutes files (sources
    relative to the root) that may differ from it; ``folders``: untracked folders git
    shows as one entry; ``others``: the other paths listed (a symlinked folder among them)."""

    top: str
    prefix: str
    head: str
    dirty: set[str] = field(default_factory=set)
    folders: list[str] = field(default_factory=list)
    others: set[str] = field(default_factory=set)

    def add(self, raw: bytes) -> None:
        path = os.fsdecode(raw)
        if path.endswith("/") and self.prefix.startswith(path):
            # Nothing tracked in the root, or in a folder holding it: git shows that folder
            # as one entry, and every file of the root is to be listed.
            self.folders.append(".")
            return
        if not path.startswith(self.prefix):
            return
        source = path[len(self.prefix) :]
        if source.endswith("/"):
            self.folders.append(source)
        elif is_minutes_path(PurePosixPath(source)):
            self.dirty.add(source)
        else:
            self.others.add(source)

    def state(self, dirty: set[str] | None = None) -> dict[str, str]:
        """What the index stores to compare the next view with (``dirty``: the files
        listed as changed, if more than ``self.dirty``)."""
        return {
            "mode": "git",
            "git_top": self.top,
            "git_prefix": self.prefix,
            "git_head": self.head,
            "git_dirty": json.dumps(sorted(self.dirty if dirty is None else dirty)),
        }


def _git(root: Path, *args: str) -> bytes | None:
    return git(str(root), *args).output()


def _sources(out: bytes, prefix: str, others: set[str] | None = None) -> set[str]:
    """The minutes files among git's ``-z`` paths (relative to the top) below ``prefix``;
    the other paths below it go to ``others`` when given (git lists a symlinked folder
    as a path of its own, not the files in it)."""
    found = set()
    for raw in out.split(b"\0"):
        path = os.fsdecode(raw)
        if not path.startswith(prefix) or path == prefix:
            continue
        if is_minutes_path(PurePosixPath(path[len(prefix) :])):
            found.add(path[len(prefix) :])
        elif others is not None:
            others.add(path[len(prefix) :])
    return found


def _is_commit_id(value: str) -> bool:
    return len(value) in (40, 64) and all(c in "0123456789abcdef" for c in value)


def tracked(root: Path, view: GitView, sources: set[str]) -> set[str] | None:
    """Which of ``sources`` git tracks (None: too many to ask on one command line)."""
    if len(sources) > MAX_ARGS:
        return None
    # Paths given are relative to the folder git runs in (the root), shown from the top.
    out = _git(root, "ls-files", "-z", "--full-name", "--cached", "--", *sorted(sources))
    return None if out is None else _sources(out, view.prefix)


def git_files(root: Path, view: GitView, others: set[str] | None = None) -> set[str] | None:
    """Every minutes file git knows below the root: tracked, or untracked and not ignored
    (the other paths it knows go to ``others``, when given)."""
    out = _git(
        root,
        "ls-files",
        "-z",
        "--full-name",
        "--cached",
        "--others",
        "--exclude-standard",
        "--",
        ".",
    )
    return None if out is None else _sources(out, view.prefix, others)


def untracked_in(root: Path, view: GitView) -> set[str] | None:
    """The minutes files in the untracked folders git showed as one entry."""
    if not view.folders:
        return set()
    if len(view.folders) > MAX_ARGS:
        return None
    out = _git(
        root, "ls-files", "-z", "--full-name", "--others", "--exclude-standard", "--", *view.folders
    )
    return None if out is None else _sources(out, view.prefix)


def committed_between(
    root: Path, view: GitView, old: str, others: set[str] | None = None
) -> set[str] | None:
    """The minutes files that differ between commit ``old`` and the one checked out (the
    other paths that differ go to ``others``, when given)."""
    if old == view.head:
        return set()
    if not (_is_commit_id(old) and _is_commit_id(view.head)):
        return None
    out = _git(
        root,
        "diff-tree",
        "-r",
        "-z",
        "--name-only",
        "--no-renames",
        "--end-of-options",
        old,
        view.head,
        "--",
        ".",
    )
    return None if out is None else _sources(out, view.prefix, others)
