"""``git status`` of the work tree holding the minutes, begun as early as possible.

On a big archive in a git work tree, a query spends most of its time waiting
for ``git status`` (it stats every tracked file, in C). The command line
begins it before importing anything else (:func:`prefetch`), so that it runs
on another core while Python imports click and the archive; the archive
takes it over (:meth:`GitStatus.of`). This module imports nothing but ``os``
and ``subprocess`` (which imports ``threading`` itself) for that reason.
"""

from __future__ import annotations

import os
import subprocess
import threading

# --no-optional-locks: a query only reads. Without it ``git status`` takes the index lock
# to store what it refreshed (a user's ``git commit`` meanwhile fails on index.lock), and
# it rewrites the whole index each time the index's own folder changed, which every query
# does (SQLite creates and removes its write-ahead log there): 4 MB at 50,000 files.
GIT = ["git", "--no-pager", "--literal-pathspecs", "--no-optional-locks"]
GIT_TIMEOUT_S = 600


def _yield_to_the_query() -> None:
    """Lower git's priority (in the child, before exec).

    On a big work tree git stats the files in 20 threads whatever the number of
    cores; at equal priority they leave the query's own Python a twentieth of
    the machine while it imports, and the query waits for its imports, not for
    git. At nice 10 the 20 threads together still weigh as much as two ordinary
    processes, so git keeps its share on a busy machine.
    """
    os.nice(10)


class GitStatus:
    """``git status`` of one work tree (all of it, or only the folder ``only``): started
    when made, its output read when needed.

    Untracked files are listed as git shows them by default (a folder with
    nothing tracked shown once), so that git's untracked cache serves ours and
    the user's ``git status`` alike.
    """

    def __init__(self, top: str, only: str | None = None) -> None:
        self.top = top
        self._process: subprocess.Popen[bytes] | None = None
        self._out: bytes | None = None
        try:
            self._process = subprocess.Popen(
                [
                    *GIT,
                    "-c",
                    "core.untrackedCache=true",
                    "status",
                    "--porcelain=v2",
                    "-z",
                    "--branch",
                    # Only the commit checked out is read: no walk of history to count how
                    # far the branch is ahead of or behind its upstream.
                    "--no-ahead-behind",
                    "--untracked-files=normal",
                    "--no-renames",
                    "--ignore-submodules=all",
                    *(["--", only] if only else []),
                ],
                cwd=top,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                preexec_fn=_yield_to_the_query if hasattr(os, "nice") else None,
            )
        except OSError:
            pass

    @classmethod
    def of(cls, root: str) -> tuple[GitStatus, str] | None:
        """The status of the work tree holding ``root``, and the root's path in it (``""``
        or ``"minutes/"``); None outside a work tree. A status begun by :func:`prefetch`
        for the same work tree is taken over."""
        global _prefetched
        resolved = os.path.realpath(root)
        top = work_tree_top(resolved)
        early, _prefetched = _prefetched, None
        if early is not None and early.top != top:
            early.cancel()
            early = None
        if top is None:
            return None
        folder = os.path.relpath(resolved, top).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        return early or cls(top, folder if prefix else None), prefix

    def output(self) -> bytes | None:
        """What git printed (waiting for it), or None where it failed."""
        process, self._process = self._process, None
        if process is not None:
            self._out = finished(process)
        return self._out

    def cancel(self) -> None:
        """Stop git: its answer will not be read."""
        if self._process is not None:
            self._process.kill()
            self._process.communicate()
            self._process = None


def finished(process: subprocess.Popen[bytes]) -> bytes | None:
    """What the git ``process`` printed, once it has exited; None where it failed, or hung
    past :data:`GIT_TIMEOUT_S` (it is stopped then).

    A blocking wait, with a timer to stop a git that hangs. A wait with a
    timeout (``communicate(timeout=...)``) looks for git's exit in sleeps of 1,
    2, 4 ... ms, and git closes its output some 0.1 ms before it exits: 1 ms
    of every query.
    """
    timer = threading.Timer(GIT_TIMEOUT_S, process.kill)
    timer.start()
    try:
        out, _ = process.communicate()
    finally:
        timer.cancel()
    return out if process.returncode == 0 else None


# The status a command that reads the index began before anything else.
_prefetched: GitStatus | None = None


def prefetch(folder: str) -> None:
    """Begin ``git status`` of the work tree holding ``folder`` (where the minutes root
    usually is); :meth:`GitStatus.of` takes it over, or stops it when the root is in
    another work tree."""
    global _prefetched
    top = work_tree_top(os.path.realpath(folder))
    if top is not None and _prefetched is None:
        _prefetched = GitStatus(top)


def work_tree_top(folder: str) -> str | None:
    """The nearest folder holding a ``.git``: the work tree git finds from ``folder``."""
    while not os.path.lexists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return folder
