"""Which files are minutes: one rule for every part that looks for them.

A minutes file is a ``.md`` file below the minutes root, neither hidden nor
in a hidden folder (``.minutesbot/``, ``.github/``), found where it is
listed: a symlink is not resolved, so its path and team are the link's own.
A walk takes symlinked files that lead to a file inside the root, and enters
a symlinked folder where it brings another team's notes into the root
(:func:`enters`): a team folder linking to another folder of the root, or a
link inside a team folder to a folder of another team. It follows no link
that leads outside the minutes root or into a hidden part of it, to a file
or a folder (nothing there is read through a link, nor written: see ``new``;
a link in a pull request must not make the checks read the runner's files,
nor ``.git/config``, where a checkout may keep its token), nor one to the
root itself or within the link's own team (a link to a parent or a
``latest -> 2024`` shortcut would list a meeting twice or endlessly), nor a
link inside a folder it entered through a link: every real folder is read
at most once per link to it, so no set of links makes a walk endless or
exponential. A team is a folder of the root; it has minutes when a minutes
file lies below it (:mod:`minutesbot.teams` lists them).
``find_minutes_files`` (parse, lint, publish, ``new``), the archive's scan,
the git ranges of ``--changed`` and the team listings all ask here; this
module imports nothing heavy, as the archive's scan runs on every query.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import Literal

SUFFIX = ".md"


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def is_minutes_name(name: str) -> bool:
    """Whether a file of this name is minutes (its folders aside)."""
    return name.endswith(SUFFIX) and not is_hidden(name)


def team_of(source: str) -> str | None:
    """The team of the file at ``source`` (its path below the root): its first folder;
    none for a file right in the root."""
    head, sep, _ = source.partition("/")
    return head if sep else None


def is_minutes_path(relative: PurePath) -> bool:
    """Whether the file at ``relative`` (to the minutes root) is minutes."""
    return is_minutes_name(relative.name) and not any(map(is_hidden, relative.parts))


def _within(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _visible_part(target: str, top: str) -> bool:
    """Whether ``target`` (resolved) is the resolved root ``top`` or lies in it outside
    every hidden folder (``.git/``, ``.minutesbot/``) and is no hidden file."""
    if target == top:
        return True
    return _within(target, top) and not any(
        map(is_hidden, os.path.relpath(target, top).split(os.sep))
    )


def leads_outside(link: str, root: str) -> bool:
    """Whether the symlink ``link`` (to a file or a folder) leads outside the minutes
    ``root``, or to a hidden part of it (``iaas/x.md -> ../.git/config``): a walk does
    not follow it, and the commands that read the root say so."""
    return not _visible_part(os.path.realpath(link), os.path.realpath(root))


def enters(link: str, root: str) -> bool:
    """Whether a walk of ``root`` enters the symlinked folder ``link`` (a path below
    ``root`` reached through no other link): its target lies inside the root, in no
    hidden folder, is not the root, and is outside the team folder holding the link (a
    team folder that is itself a link may lead to any other folder of the root)."""
    top = os.path.realpath(root)
    target = os.path.realpath(link)
    if target == top or not _visible_part(target, top) or not os.path.isdir(target):
        return False
    parts = Path(os.path.relpath(link, root)).parts
    if len(parts) < 2:
        return True
    return not _within(target, os.path.realpath(os.path.join(root, parts[0])))


def walk_reaches(folder: str, root: str, seen: dict[str, bool | None]) -> tuple[bool, bool]:
    """Whether a walk of ``root`` reaches ``folder`` (its path below the root, with
    ``/``; ``""`` for the root) by the folders that path names, and whether through a
    symlinked folder: each folder is a real one, or the first that is a symlink is one
    the walk enters (:func:`enters`) and none after it is a symlink. ``seen`` keeps
    what each folder is, for the next question (None: a real folder; True / False: a
    symlink the walk enters / does not)."""
    linked = False
    at = 0
    while at < len(folder):
        end = folder.find("/", at)
        end = len(folder) if end < 0 else end
        name = folder[:end]
        at = end + 1
        if name not in seen:
            path = os.path.join(root, name)
            seen[name] = enters(path, root) if os.path.islink(path) else None
        entered = seen[name]
        if entered is None:
            continue
        if not entered or linked:
            return False, linked
        linked = True
    return True, linked


def walk(
    folder: Path,
    root: Path | None = None,
    outside: list[Path] | None = None,
    entered: list[Path] | None = None,
) -> Iterator[Path]:
    """The minutes files below ``folder``, folder by folder (unsorted), as the walk of
    ``root`` (the minutes root; default ``folder`` itself, as for a folder below no root)
    would find them there: none where that walk does not reach ``folder`` (see
    :func:`reached`). What it leaves out goes to ``outside``: ``folder`` itself, then,
    the symlinked files and folders below it that lead outside the root (or to a hidden
    part of it); the folders entered go to ``entered``."""
    place = None if root is None else _place(folder, root)
    if place is None:
        root, place = folder, ""
    reach = (False, False) if place is False else walk_reaches(place, str(root), {})
    if not reach[0]:  # a folder named on the command line that a walk of the root skips
        if outside is not None:
            outside.append(folder)
        return
    named = folder
    if not _within(os.path.abspath(folder), os.path.abspath(root)):
        # Spelled otherwise than the root (see _place): walked as the root spells it, so
        # that each link below is judged by its place there, and named as given.
        folder = Path(root, place)

    def as_named(found: Path) -> Path:
        return found if folder is named else named / found.relative_to(folder)

    stack = [(folder, reach[1])]
    while stack:
        current, linked = stack.pop()
        try:
            with os.scandir(current) as listing:
                for entry in listing:
                    if is_hidden(entry.name):
                        continue
                    if is_minutes_name(entry.name) and entry.is_file():
                        if not entry.is_symlink() or not leads_outside(entry.path, str(root)):
                            yield as_named(current / entry.name)
                        elif outside is not None:
                            outside.append(as_named(current / entry.name))
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append((current / entry.name, linked))
                    elif entry.is_symlink() and not linked:
                        if enters(entry.path, str(root)):
                            stack.append((current / entry.name, True))
                            if entered is not None:
                                entered.append(current / entry.name)
                        elif (
                            outside is not None
                            and entry.is_dir()
                            and leads_outside(entry.path, str(root))
                        ):
                            outside.append(as_named(current / entry.name))
        except OSError:
            continue


def find_minutes_files(
    paths: Iterable[Path], root: Path | None = None, outside: list[Path] | None = None
) -> list[Path]:
    """The files named, with each directory replaced by the minutes files below it (sorted),
    as a walk of the minutes ``root`` finds them (see :func:`walk`). A file named below
    the root is read where that walk reaches it (:func:`reached`: a shell's
    ``minutes/*/*.md`` names a pull request's links too); one named elsewhere, as named.
    ``outside`` collects what is left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(walk(path, root, outside)))
            continue
        if root is None or (place := _place(path, root)) is None:
            found.append(path)  # below no root: read as named
        elif place is not False and _reached_at(place, path, root):
            found.append(path)
        elif outside is not None:
            outside.append(path)
    return found


def _place(path: Path, root: Path) -> str | None | Literal[False]:
    """Where ``path`` lies below ``root`` (``/``-separated; ``""``: the root itself): the
    rest of its name after the root, or after the highest folder on its way that is the
    root's folder however either is spelled (a link to the root, a working folder reached
    through a link, as ``$PWD`` gives it). None where no folder on its way is the root's
    (read as named); False where the system resolves its ``..`` elsewhere than its text
    says (``ops/../x`` after a link ``ops``) below the root, or where it lies, resolved,
    in a hidden part of the root."""
    listed = os.path.abspath(path)
    top = os.path.abspath(root)
    if _within(listed, top):
        below = os.path.relpath(listed, top)
    else:
        found = _highest_root_folder(listed, root)
        if found is None:
            real, real_top = os.path.realpath(path), os.path.realpath(root)
            hidden = _within(real, real_top) and not _visible_part(real, real_top)
            return False if hidden else None
        below = os.path.relpath(listed, found)
    if ".." in Path(path).parts and os.path.realpath(path) != os.path.realpath(listed):
        return False
    return "" if below == "." else below.replace(os.sep, "/")


def _highest_root_folder(listed: str, root: Path) -> str | None:
    """The highest folder on the way to ``listed`` that is the root's folder (the same
    device and inode): a link inside the root back to it is below that one."""
    try:
        wanted = os.stat(root)
    except OSError:
        return None
    found, folder = None, listed
    while True:
        try:
            st = os.stat(folder)
        except OSError:
            pass
        else:
            if (st.st_dev, st.st_ino) == (wanted.st_dev, wanted.st_ino):
                found = folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return found
        folder = parent


def _reached_at(place: str, path: Path, root: Path) -> bool:
    if os.path.isdir(path):
        return walk_reaches(place, str(root), {})[0]
    return walk_reaches(place.rpartition("/")[0], str(root), {})[0] and not (
        os.path.islink(path) and leads_outside(str(path), str(root))
    )


def reached(path: Path, root: Path) -> bool | None:
    """Whether a walk of ``root`` reaches ``path``, a file (which need not exist yet: one
    to write) or a folder, by the folders its path names (see :func:`walk_reaches`), and,
    a symlinked file, where it leads (see :func:`leads_outside`); None where ``path`` is
    not below the root at all. The one rule for what is read or written by name."""
    place = _place(path, root)
    if place is None or place is False:
        return place
    return _reached_at(place, path, root)


# Why a file or folder met below the root is not read (see :func:`reached`).
LINK_NOT_FOLLOWED = "reached through a symbolic link a walk of the minutes root does not follow"


def unreached(path: Path, root: Path) -> str | None:
    """Why nothing is read or written at ``path`` by name (a file to read or write, a
    team's folder): a symbolic link on its way that a walk of ``root`` does not follow
    (see :func:`reached`); None where there is none."""
    if reached(path, root) is not False:
        return None
    return (
        f"{path} leads outside the minutes root {root}, or where a walk of it does not go "
        "(a symbolic link?)"
    )


def linked_names(root: Path, files: Iterable[Path]) -> list[Path]:
    """The other names the walk of ``root`` gives ``files`` (resolved paths): those below
    the symlinked folders it enters (a change to ``hackathon/20240105.md`` is one to
    ``docs/20240105.md`` where ``docs`` links to ``hackathon``)."""
    wanted = {Path(os.path.realpath(f)) for f in files}
    if not wanted:
        return []
    links: list[Path] = []
    for _ in walk(root, root, entered=links):
        pass
    return [
        path
        for link in links
        for path in sorted(walk(link, root))
        if Path(os.path.realpath(path)) in wanted
    ]
