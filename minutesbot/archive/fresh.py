"""Which minutes files may have changed since the index last looked, found cheaply.

Every query asks this first, so it must cost far less than a stat of every
file (50,000 stats take longer than the rest of a query). Two ways:

- In a git work tree, git already knows: ``git status`` compares every
  tracked file's stat with its index in C (ctime included, so an edit that
  restores the modification time shows), and its untracked cache lists new
  files without reading every folder. A file git does not list has the
  content of the commit checked out. So the index remembers that commit and
  the files git listed as changed; next time the files that may differ are
  those listed then or now, plus those the commits in between touched (one
  ``git diff-tree``). Only these are stat'ed. The files are those git
  knows, tracked or untracked and not ignored: an ignored ``.md`` is not
  part of the minutes. A symlinked file is stat'ed every time (git sees the
  link, not its target), and so is every file below a symlinked folder the
  walk of :mod:`minutesbot.records.files` enters (git lists the link as one
  path): those folders are walked on every query, and a change git shows to
  a path that is or was such a link makes the whole selection be looked at.
- Elsewhere, a stat of every file (:func:`scan`), summed up in a
  fingerprint that is compared with the stored one in one go.

Either way, :class:`Plan` says which files to compare with the index (by
stat, then by content hash), and what to store once they are.
"""

from __future__ import annotations

import json
import os
import stat as stat_module
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from minutesbot.archive.gitview import (
    GitView,
    committed_between,
    git_files,
    parse_status,
    tracked,
    untracked_in,
)
from minutesbot.gitstatus import GitStatus
from minutesbot.records.files import (
    enters,
    is_hidden,
    is_minutes_name,
    leads_outside,
    walk,
    walk_reaches,
)

# mtime_ns, size, ctime_ns: a file whose stat is the stored one is taken as unchanged.
Stat = tuple[int, int, int]
# A file changed shortly before it was stat'ed may change again within the same tick of
# the file system's clock, keeping its stat: it is compared by content next time. A tick
# is a few ms where timestamps have nanoseconds (Linux updates them once per jiffy), up
# to 2 s where they have whole seconds (FAT keeps even seconds).
RACY_NS = 20_000_000
RACY_COARSE_NS = 2_000_000_000


def _stat_of(st: os.stat_result) -> Stat:
    return st.st_mtime_ns, st.st_size, st.st_ctime_ns


def is_racy(st: Stat, since_ns: int, until_ns: int) -> bool:
    """Whether a file stat'ed between ``since_ns`` and ``until_ns`` may change again without
    its stat changing: it changed (ctime; mtime where ctime is the creation time) within a
    clock tick of the stat. A time further in the future is no risk: a change sets it to now.
    """
    coarse = st[0] % 1_000_000_000 == 0 or st[2] % 1_000_000_000 == 0
    tick = RACY_COARSE_NS if coarse else RACY_NS
    return any(since_ns - tick <= t <= until_ns + tick for t in (st[0], st[2]))


@dataclass
class Scan:
    """The minutes files on disk: ``files`` maps source to its stat; ``links`` are the
    symlinked ones and those below a symlinked folder, ``linked`` those folders.

    ``fingerprint`` sums up the stats of every file and folder, so "nothing
    changed" is one comparison with the value the index stored, not a lookup
    per file (which on 50,000 files costs more than the stats themselves).
    An edit changes the file's ctime; adding, removing or renaming a file
    changes its folder's mtime (and the count).
    """

    files: dict[str, Stat]
    fingerprint: str = ""
    links: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)


def scan(root: Path) -> Scan:
    """Every minutes file below ``root``, with its stat.

    The selection of :mod:`minutesbot.records.files` (every ``*.md`` file
    below, symlinked files leading inside the root included, nothing hidden or
    under a hidden folder, symlinked folders entered as
    :func:`~minutesbot.records.files.enters` says),
    walked here through descriptors because it runs on every query outside git
    and sums the folders' stats as it goes.
    """
    files: dict[str, Stat] = {}
    links: set[str] = set()
    linked: set[str] = set()
    folders = mtimes = sizes = ctimes = 0
    stack = [(str(root), "", False)]
    while stack:
        folder, prefix, through = stack.pop()
        try:
            # Listed through a descriptor, each file's stat resolves one name, not a path.
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            continue
        try:
            folders += os.fstat(fd).st_mtime_ns
            for entry in os.scandir(fd):
                name = entry.name
                if is_hidden(name):
                    continue
                if is_minutes_name(name) and entry.is_file():
                    # (Listed through a descriptor: the entry's path is its name.)
                    if entry.is_symlink() and leads_outside(os.path.join(folder, name), str(root)):
                        continue  # not read through a link (see records.files)
                    st = entry.stat()
                    files[prefix + name] = (st.st_mtime_ns, st.st_size, st.st_ctime_ns)
                    if through or entry.is_symlink():
                        links.add(prefix + name)
                    mtimes += st.st_mtime_ns
                    sizes += st.st_size
                    ctimes += st.st_ctime_ns
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((os.path.join(folder, name), f"{prefix}{name}/", through))
                elif entry.is_symlink() and not through:
                    path = os.path.join(folder, name)
                    if enters(path, str(root)):
                        linked.add(prefix + name)
                        stack.append((path, f"{prefix}{name}/", True))
        except OSError:
            pass
        finally:
            os.close(fd)
    fingerprint = f"{len(files)}:{folders}:{mtimes}:{sizes}:{ctimes}"
    return Scan(files, fingerprint, links, linked)


def stat_files(root: Path, sources: set[str]) -> Scan:
    """The stats of those of ``sources`` that are minutes files on disk (regular files, or
    symlinks to them inside the root: see :mod:`minutesbot.records.files`), and that a
    walk of the root reaches: one git lists below a folder since made a symlink the walk
    does not enter (a team folder linked elsewhere) is none."""
    found = Scan({})
    seen: dict[str, bool | None] = {}
    reached: dict[str, bool] = {}
    for source in sources:
        folder = source.rpartition("/")[0]
        if folder not in reached:
            reached[folder] = walk_reaches(folder, str(root), seen)[0]
        if not reached[folder]:
            continue
        path = os.path.join(root, source)
        try:
            st = os.lstat(path)
            if stat_module.S_ISLNK(st.st_mode):
                found.links.add(source)  # looked at again next time, wherever it leads
                if leads_outside(path, str(root)):
                    continue
                st = os.stat(path)
        except OSError:
            continue
        if stat_module.S_ISREG(st.st_mode):
            found.files[source] = _stat_of(st)
    return found


def linked_folders(root: Path, paths: set[str]) -> set[str]:
    """Those of ``paths`` (git's, relative to the root) that are symlinked folders a walk
    of the root enters."""
    return {
        path
        for path in paths
        if not any(map(is_hidden, path.split("/")))
        and os.path.islink(os.path.join(root, path))
        and enters(os.path.join(root, path), str(root))
    }


def stat_linked(root: Path, linked: set[str]) -> Scan:
    """The minutes files below the symlinked folders ``linked``, stat'ed, all as links."""
    sources = {
        path.relative_to(root).as_posix() for link in linked for path in walk(root / link, root)
    }
    found = stat_files(root, sources)
    found.links = set(found.files)
    found.linked = set(linked)
    return found


# -- what to compare ----------------------------------------------------------------------------


@dataclass
class Plan:
    """The files to compare with the index: ``disk`` holds their stats (those that
    exist); ``scope`` names every file considered (None: every file), so one the index
    holds, in ``scope`` and not on disk, was removed. ``state`` is what to store once
    the index matches; ``same_state``: the stored state is that already, so nothing
    changed unless a file in ``scope`` differs from its row (a second edit of a file git
    lists as changed). ``since``: when the stats were taken (see :func:`is_racy`)."""

    disk: Scan
    scope: set[str] | None
    state: dict[str, str]
    same_state: bool
    since: int
    until: int


class Freshness:
    """How the minutes below ``root`` look now, compared with what an index stored.

    Created as early as possible: in a git work tree it starts ``git status``
    at once, which then runs while Python imports the rest and opens the
    index. The disk is looked at once per instance (a refresh that takes the
    write lock plans again against what another process may have stored
    meanwhile, without a second look).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._since = time.time_ns()
        self._git = GitStatus.of(str(root))
        self._full: tuple[Scan, dict[str, str]] | None = None

    def close(self) -> None:
        """Stop a ``git status`` whose answer is no longer wanted (an index opened and
        closed without a refresh): no process or pipe left behind."""
        if self._git is not None:
            self._git[0].cancel()

    def plan(self, stored: dict[str, str]) -> Plan:
        """What to compare, given the index's ``stored`` meta ({} to compare every file)."""
        view = None
        if self._git is not None:
            status, prefix = self._git
            out = status.output()
            view = None if out is None else parse_status(out, status.top, prefix)
        if view is not None:
            found = self._git_plan(stored, view)
            if found is not None:
                return found
        if self._full is None:
            self._full = self._look_at_all(view)
        disk, state = self._full
        return self._plan(disk, None, state, stored)

    def _plan(
        self, disk: Scan, scope: set[str] | None, state: dict[str, str], stored: dict[str, str]
    ) -> Plan:
        same = state == {key: stored.get(key) for key in state}
        return Plan(disk, scope, state, same, self._since, time.time_ns())

    def _look_at_all(self, view: GitView | None) -> tuple[Scan, dict[str, str]]:
        """Every file and its stat (as git lists them, else by a walk), and the state to
        store once the index holds them."""
        if view is not None:
            others: set[str] = set()
            known = git_files(self.root, view, others)
            untracked = untracked_in(self.root, view)
            if known is not None and untracked is not None:
                disk = stat_files(self.root, known)
                _merge(disk, stat_linked(self.root, linked_folders(self.root, others)))
                return disk, {
                    **view.state(view.dirty | untracked),
                    SHAPES: json.dumps(
                        _shapes(self.root, [*view.others, *view.folders]), sort_keys=True
                    ),
                    **_links_state(disk),
                }
        disk = scan(self.root)
        return disk, {"mode": "walk", "fingerprint": disk.fingerprint, **_links_state(disk)}

    def _git_plan(self, stored: dict[str, str], view: GitView) -> Plan | None:
        """Only the files that may have changed since the stored git state (None: that
        state is not one to compare with)."""
        if (
            stored.get("mode") != "git"
            or stored.get("git_top") != view.top
            or stored.get("git_prefix") != view.prefix
        ):
            return None
        old_dirty, links, linked = (
            _stored_names(stored.get(key, "[]")) for key in ("git_dirty", "links", "linked")
        )
        if old_dirty is None or links is None or linked is None:
            return None  # the stored state no longer reads (damage): look at every file
        shapes = _shapes(self.root, [*view.others, *view.folders])
        if json.dumps(shapes, sort_keys=True) != stored.get(SHAPES):
            # A symlink, folder or path gone that git lists as changed is new, or leads
            # elsewhere, or was listed before and is not now (a link pointed back at what
            # its commit says, restored after it was deleted): the files below it may
            # come or go. Look at every file, once: while it stays as it is, not again.
            return None
        listed = set(view.others)
        if linked_folders(self.root, listed) != linked & listed:
            return None  # such a link leads, now, where a walk enters it, or no longer does
        others: set[str] = set()
        committed = committed_between(self.root, view, stored.get("git_head", ""), others)
        untracked = untracked_in(self.root, view)
        if committed is None or untracked is None:
            return None
        if others & linked or linked_folders(self.root, others):
            return None  # a commit brought, took or changed a symlinked folder: look again
        dirty = view.dirty | untracked
        below_links = stat_linked(self.root, linked)
        scope = old_dirty | dirty | links | committed | set(below_links.files)
        disk = stat_files(self.root, scope)
        _merge(disk, below_links)
        # Listed before, not now, and no commit touched it: back to the committed content,
        # or no longer one git knows (ignored since); ask git which.
        unsure = {s for s in old_dirty - dirty - committed if s in disk.files}
        if unsure:
            known = tracked(self.root, view, unsure)
            if known is None:
                return None
            for source in unsure - known:
                del disk.files[source]
        state = {
            **view.state(dirty),
            SHAPES: json.dumps(shapes, sort_keys=True),
            "links": json.dumps(sorted(links - scope | disk.links)),
            "linked": json.dumps(sorted(linked)),
        }
        return self._plan(disk, scope, state, stored)


def _stored_names(stored: str) -> set[str] | None:
    """A list of paths the index stored (JSON); None where it no longer reads as one."""
    try:
        names = json.loads(stored)
    except (TypeError, ValueError):
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return set(names)


# The stored key of what the paths git lists as changed, other than minutes files, are
# (see _shapes).
SHAPES = "git_dirty_shapes"


def _shapes(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """What those of ``paths`` (git's, relative to the root) that are no regular file are
    now: a symlink, by where it leads; a folder (an untracked one git lists whole), by
    its time, which a link or file added to it changes; a path gone, as "" (a deleted
    link leaves no trace of what it was)."""
    found = {}
    for path in paths:
        full = os.path.join(root, path)
        try:
            st = os.lstat(full)
        except OSError:
            found[path] = ""
            continue
        if stat_module.S_ISLNK(st.st_mode):
            try:
                found[path] = "link " + os.readlink(full)
            except OSError:
                found[path] = ""
        elif stat_module.S_ISDIR(st.st_mode):
            found[path] = f"folder {st.st_mtime_ns}"
    return found


def _merge(disk: Scan, more: Scan) -> None:
    disk.files.update(more.files)
    disk.links |= more.links
    disk.linked |= more.linked


def _links_state(disk: Scan) -> dict[str, str]:
    return {
        "links": json.dumps(sorted(disk.links)),
        "linked": json.dumps(sorted(disk.linked)),
    }
