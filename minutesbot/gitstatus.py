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
_GIT_STORING = ["git", "--no-pager", "--literal-pathspecs"]
GIT = [*_GIT_STORING, "--no-optional-locks"]
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

    Started with ``posix_spawn``; waited for with a blocking ``poll`` of the
    pipe and, where the system has them (Linux), of a descriptor of the
    process that shows its exit: a wait with a timeout in ``subprocess``
    looks for the exit in sleeps of 1, 2, 4 ... ms, and git closes its output
    some 0.1 ms before it exits: 1 ms of every query. A program still
    running after :data:`GIT_TIMEOUT_S` is stopped (elsewhere, only one that
    holds its output open so long). Where the program cannot be started (no
    git, no ``posix_spawn``, no descriptor left), or its exit status cannot
    be had (SIGCHLD ignored: the system reaped it), its output is None, as
    where it failed.
    """

    def __init__(self, argv: list[str], *, niceness: int = 0) -> None:
        self.pid: int | None = None
        self._pipe: int | None = None
        self._exit: int | None = None  # readable once the process has exited
        self._out: bytes | None = None
        if not hasattr(os, "posix_spawnp"):
            return
        try:
            read, write = _pipe_above_standard_streams()
        except OSError:
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
        try:
            self._exit = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            pass
        if niceness:
            # Set on the process's first thread; git starts its stat threads (which
            # inherit it) only once it has read its index, milliseconds later.
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
            self._stop()
            self._close()

    def _read(self) -> bytes | None:
        import select
        import time

        assert self._pipe is not None
        pipe, exited = self._pipe, self._exit
        watch = select.poll()
        for fd in (pipe, exited):
            if fd is not None:
                watch.register(fd, select.POLLIN)
        waiting = {fd for fd in (pipe, exited) if fd is not None}
        chunks = []
        deadline = time.monotonic() + GIT_TIMEOUT_S
        try:
            while waiting:
                left = deadline - time.monotonic()
                ready = watch.poll(left * 1000) if left > 0 else []
                if not ready:
                    self._stop()
                    return None
                for fd, _ in ready:
                    chunk = os.read(pipe, 1 << 16) if fd == pipe else b""
                    if chunk:
                        chunks.append(chunk)
                    else:  # the end of the output, or the process's exit
                        watch.unregister(fd)
                        waiting.discard(fd)
        finally:
            self._close()
        return b"".join(chunks) if self._exit_code() == 0 else None

    def _close(self) -> None:
        for fd in (self._pipe, self._exit):
            if fd is not None:
                os.close(fd)
        self._pipe = self._exit = None

    def _stop(self) -> None:
        """Kill the process and wait for it: through its descriptor where there is one,
        which cannot name another process that took the number of one already reaped."""
        import signal

        try:
            if self._exit is not None:
                signal.pidfd_send_signal(self._exit, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)  # type: ignore[arg-type]
        except ProcessLookupError:
            pass
        self._exit_code()

    def _exit_code(self) -> int:
        """The exit code (waiting for it); -1 where the system reaped the process itself."""
        assert self.pid is not None
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)


def _pipe_above_standard_streams() -> tuple[int, int]:
    """A pipe (read end, write end) whose ends are not 0, 1 or 2: a process started with
    a standard stream closed would get a pipe end in its place, and the child's output
    (put on 1) would not reach it."""
    read, write = os.pipe()
    if min(read, write) > 2:
        return read, write
    import fcntl

    moved: list[int] = []
    try:
        for fd in (read, write):
            moved.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3))
    except OSError:
        for fd in moved:
            os.close(fd)
        raise
    finally:
        os.close(read)
        os.close(write)
    return moved[0], moved[1]


def git(cwd: str, *args: str, niceness: int = 0, store: bool = False) -> Started:
    """Git, begun in the folder ``cwd`` (with ``-C``: ``posix_spawn`` has no working
    folder of its own), reading nothing and printing its errors nowhere; ``store``: it
    may take git's index lock to store what it learnt, as a plain ``git status`` does."""
    return Started([*(_GIT_STORING if store else GIT), "-C", cwd, *args], niceness=niceness)


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
    the user's ``git status`` alike. Git uses that cache only for a status of
    the whole tree, as the command line's (see :func:`prefetch`); a status of
    one folder stats only that folder's files, which in a big repository with
    the minutes in one folder costs less than the cache saves.
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
    where the index has none git would use there and git's configuration lets one be made
    (see :func:`_cache_wanted`); whether git was asked to.

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
    where = _git_index(top)
    if where is None:
        return False
    try:
        with open(where, "rb") as index:
            # Git writes the cache among the last of its extensions, after every entry:
            # its end is read first (at 50,000 files the whole index is 4 MB, 3 ms).
            size = os.fstat(index.fileno()).st_size
            index.seek(max(0, size - _INDEX_END_BYTES))
            if _has_untracked_cache(index.read(), top):
                return False
            index.seek(0)
            held = index.read()
    except OSError:
        return False
    if _has_untracked_cache(held, top) or not _cache_wanted(top):
        return False
    # Where the configuration leaves the cache unset, git keeps one it finds but never
    # makes one: this once, it is turned on.
    cache_on = ["-c", "core.untrackedCache=true"]
    return git(top, *cache_on, *STATUS, store=True).output() is not None


# How much of the end of git's index is read first for its untracked cache.
_INDEX_END_BYTES = 64 * 1024


def _git_index(top: str) -> str | None:
    """The path of git's index for the work tree ``top``: ``.git/index`` where ``.git`` is
    a folder and no variable of git's names another, else what git says (a linked work
    tree's, a submodule's: one ``git rev-parse`` more); None where git cannot say."""
    dot_git = os.path.join(top, ".git")
    if os.path.isdir(dot_git) and not {"GIT_DIR", "GIT_INDEX_FILE"} & os.environ.keys():
        return os.path.join(dot_git, "index")
    where = git(top, "rev-parse", "--git-path", "index").output()
    return None if where is None else os.path.join(top, os.fsdecode(where.rstrip(b"\n")))


def _has_untracked_cache(index: bytes, top: str) -> bool:
    """Whether git's ``index`` (or a part of it) holds an untracked cache git would use in
    the work tree ``top``: the extension's signature, its size (4 bytes), the size of the
    texts that follow (a variable-width number, 1 or 2 bytes for a work tree's path), then
    the first text, which names the work tree and the system. A cache made where the tree
    was before a move is one git ignores."""
    ident = b"Location %s, system %s\0" % (os.fsencode(top), os.uname().sysname.encode())
    at = index.find(ident, 10)
    while at >= 0:
        if index.startswith(b"UNTR", at - 9) or index.startswith(b"UNTR", at - 10):
            return True
        at = index.find(ident, at + 1)
    return False


def _cache_wanted(top: str) -> bool:
    """Whether the work tree's git configuration lets a missing untracked cache be made:
    where it is unset (git's default, "keep": use a cache, make none) or on. Off (a file
    system that keeps no folder times, say: a cache there would hide new files) or an
    explicit "keep" is left as it is."""
    said = git(top, "config", "--get", "core.untrackedCache").output()
    if said is None:  # unset
        return True
    return said.strip().lower() in (b"", b"true", b"yes", b"on", b"1")


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
