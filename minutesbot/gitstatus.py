"""``git status`` of the work tree holding the minutes, begun as early as possible.

On a big archive in a git work tree, a query spends most of its time waiting
for ``git status`` (it stats every tracked file, in C). The command line
begins it before importing anything else (:func:`prefetch`), so that it runs
on another core while Python imports click and the archive; the archive
takes it over (:meth:`GitStatus.of`).

Every git a query may run (this status, and the ``ls-files`` and
``diff-tree`` of :mod:`minutesbot.archive.gitview`) runs through
:class:`Started`, which needs nothing but ``os`` to start a program
(``select`` and ``time`` once it reads the output): importing
``subprocess`` (and with it ``threading``, ``signal``, ``locale`` and
``selectors``) took 3 ms before git could start, and a query never needed
it otherwise.
"""

from __future__ import annotations

import os

# --no-optional-locks: a query only reads. Without it ``git status`` takes the index lock
# to store what it refreshed (a user's ``git commit`` meanwhile fails on index.lock), and
# it rewrites the whole index each time the index's own folder changed, which every query
# does (SQLite creates and removes its write-ahead log there): 4 MB at 50,000 files.
READ_ONLY = "--no-optional-locks"
GIT = ["git", "--no-pager", "--literal-pathspecs", READ_ONLY]
GIT_TIMEOUT_S = 600

# How much lower than the query git runs (niceness added to the query's own). On a big
# work tree git stats the files in 20 threads whatever the number of cores; at equal
# priority they leave the query's own Python a twentieth of the machine while it
# imports, and the query waits for its imports, not for git. At nice 10 the 20 threads
# together still weigh as much as two ordinary processes, so git keeps its share on a
# busy machine.
YIELD_TO_THE_QUERY = 10


class Started:
    """A program started with its output going to a pipe, read when asked for.

    Started with ``posix_spawn`` and waited for with a blocking ``poll`` of the
    pipe: a wait with a timeout in ``subprocess`` looks for the exit in sleeps
    of 1, 2, 4 ... ms, and git closes its output some 0.1 ms before it exits:
    1 ms of every query. A program still running after :data:`GIT_TIMEOUT_S`
    is stopped. Where the program cannot be started (no git, no
    ``posix_spawn``), its output is None, as where it failed.
    """

    def __init__(self, argv: list[str], *, niceness: int = 0) -> None:
        self.pid: int | None = None
        self._pipe: int | None = None
        self._out: bytes | None = None
        if not hasattr(os, "posix_spawnp"):
            return
        read, write = os.pipe()
        if min(read, write) <= 2:
            # A standard stream was closed: the pipe took its number, and the child's
            # output would not be ours. Give up; the caller does without git.
            os.close(read)
            os.close(write)
            return
        try:
            self.pid = os.posix_spawnp(
                argv[0],
                argv,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, write, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
            )
        except OSError:
            os.close(read)
            return
        finally:
            os.close(write)
        self._pipe = read
        if niceness:
            try:
                mine = os.getpriority(os.PRIO_PROCESS, 0)
                os.setpriority(os.PRIO_PROCESS, self.pid, min(19, mine + niceness))
            except OSError:
                pass

    def output(self) -> bytes | None:
        """What the program printed, once it has exited; None where it failed, hung past
        :data:`GIT_TIMEOUT_S` (it is stopped then), or was never started."""
        if self._pipe is not None:
            self._out = self._read()
        return self._out

    def cancel(self) -> None:
        """Stop the program: its output will not be read."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
            self._stop()

    def _read(self) -> bytes | None:
        import select
        import time

        assert self._pipe is not None
        pipe, self._pipe = self._pipe, None
        chunks = []
        deadline = time.monotonic() + GIT_TIMEOUT_S
        watch = select.poll()
        watch.register(pipe, select.POLLIN)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not watch.poll(left * 1000):
                    self._stop()
                    return None
                chunk = os.read(pipe, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(pipe)
        return b"".join(chunks) if self._exit_code() == 0 else None

    def _stop(self) -> None:
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)  # type: ignore[arg-type]
        except ProcessLookupError:
            pass
        self._exit_code()

    def _exit_code(self) -> int:
        assert self.pid is not None
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def git(cwd: str, *args: str, niceness: int = 0, store: bool = False) -> Started:
    """Git, begun in the folder ``cwd`` (with ``-C``: ``posix_spawn`` has no working
    folder of its own), reading nothing and printing its errors nowhere; ``store``: it
    may take git's index lock to store what it learnt, as a plain ``git status`` does."""
    argv = [word for word in GIT if not (store and word == READ_ONLY)]
    return Started([*argv, "-C", cwd, *args], niceness=niceness)


# What a query asks git (after ``git -C top``; benchmarks/archive.py times it alone). Git
# uses its untracked cache where its index holds one, unless the configuration turns the
# cache off (see keep_untracked_cache).
STATUS = [
    "status",
    "--porcelain=v2",
    "-z",
    "--branch",
    # Only the commit checked out is read: no walk of history to count how far the branch
    # is ahead of or behind its upstream.
    "--no-ahead-behind",
    "--untracked-files=normal",
    "--no-renames",
    "--ignore-submodules=all",
]


class GitStatus:
    """``git status`` of one work tree (all of it, or only the folder ``only``): started
    when made, its output read when needed.

    Untracked files are listed as git shows them by default (a folder with
    nothing tracked shown once), so that git's untracked cache serves ours and
    the user's ``git status`` alike.
    """

    def __init__(self, top: str, only: str | None = None) -> None:
        self.top = top
        self._git = git(top, *STATUS, *(["--", only] if only else []), niceness=YIELD_TO_THE_QUERY)

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
        return self._git.output()

    def cancel(self) -> None:
        """Stop git: its answer will not be read."""
        self._git.cancel()


def keep_untracked_cache(folder: str) -> bool:
    """Have git store its untracked cache in its index, in the work tree holding ``folder``,
    where the index has none and git's configuration does not turn it off; whether git
    was asked to.

    A query's status never writes git's index (see :data:`GIT`), so it never
    stores that cache, and without one git reads every folder on every query:
    20 ms more at 50,000 files. Once stored, git keeps it (and a ``git
    status`` of the user's keeps it up to date). Asked of ``minutesbot
    index`` only: storing takes git's index lock, which a ``git commit``
    needs, and rewrites the index (4 MB at 50,000 files).
    """
    top = work_tree_top(os.path.realpath(folder))
    if top is None:
        return False
    where = git(top, "rev-parse", "--git-path", "index").output()
    if where is None:
        return False
    try:
        with open(os.path.join(top, os.fsdecode(where.rstrip(b"\n"))), "rb") as index:
            held = index.read()
    except OSError:
        return False
    if _has_untracked_cache(held) or _cache_turned_off(top):
        return False
    # Where the configuration leaves the cache unset, git keeps one it finds but never
    # makes one: this once, it is turned on.
    cache_on = ["-c", "core.untrackedCache=true"]
    return git(top, *cache_on, *STATUS, store=True).output() is not None


def _has_untracked_cache(index: bytes) -> bool:
    """Whether git's ``index`` holds the untracked cache: the extension's signature, its
    size (4 bytes), the size of the texts that follow (a variable-width number, 1 or 2
    bytes for a work tree's path) and the first text, which names the work tree."""
    at = index.rfind(b"UNTR")
    while at >= 0:
        if index.startswith(b"Location ", at + 9) or index.startswith(b"Location ", at + 10):
            return True
        at = index.rfind(b"UNTR", 0, at)
    return False


def _cache_turned_off(top: str) -> bool:
    """Whether the work tree's git configuration turns the untracked cache off (a file
    system that keeps no folder times, say: a cache there would hide new files)."""
    said = git(top, "config", "--type=bool", "--get", "core.untrackedCache").output()
    return said is not None and said.strip() == b"false"


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
