"""Which minutes files a command works on: those named (folders standing for the files
below them, as a walk of the minutes root finds them) and those a git range touched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from minutesbot.cli.common import github_client
from minutesbot.cli.invocation import fail, warn
from minutesbot.records.files import LINK_NOT_FOLLOWED

if TYPE_CHECKING:
    from minutesbot.config import Config
    from minutesbot.github.client import GitHub
    from minutesbot.records.gitrange import Changed


def minutes_files(
    files: tuple[Path, ...], root: Path, left_out: list[Path] | None = None
) -> list[Path]:
    """The minutes files ``files`` name (folders: those below them); one warning for each
    file or folder left out because a walk of the minutes root does not reach it (see
    :func:`minutesbot.records.files.reached`). The files left out (a folder leading out
    of the root may be a user's own arrangement) are added to ``left_out`` where given."""
    from minutesbot.links import shown_path
    from minutesbot.records.files import find_minutes_files, leads_outside

    outside: list[Path] = []
    paths = find_minutes_files(files, root, outside)
    if left_out is not None:
        left_out.extend(path for path in outside if not path.is_dir())
    for path in sorted(set(outside)):
        # Named as given (shown_path would resolve the very link it is about).
        listed = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        name = (
            str(path)
            if listed == ".." or listed.startswith(".." + os.sep) or ".." in path.parts
            else f"{Path(listed).as_posix()} in {shown_path(root)}/"
        )
        if not os.path.islink(path) or not leads_outside(str(path), str(root)):
            why = f"is {LINK_NOT_FOLLOWED}"
        elif path.is_dir():
            why = "links to a folder outside the minutes root, or to a hidden one in it"
        else:
            why = "links to a file outside the minutes root, or to a hidden one in it"
        warn(f"{name} {why}: not read")
    return paths


def changed_files(changed: str, root: Path) -> Changed:
    """The minutes files the git range ``BASE..HEAD`` touched; a bad range exits 2."""
    from minutesbot.records.gitrange import GitRangeError, changed_minutes

    try:
        result = changed_minutes(changed, root)
    except GitRangeError as exc:
        fail(str(exc), 2)
    for note in result.notes:
        warn(note)
    for path in result.refused:
        name = os.path.relpath(path, root.resolve())
        warn(f"{Path(name).as_posix()} in {changed}: {LINK_NOT_FOLLOWED}: not read")
    return result


def selected_minutes(
    files: tuple[Path, ...], changed: str | None, root: Path, verb: str
) -> tuple[list[Path], Changed | None]:
    """The minutes files a run works on: ``files`` (folders stand for the ``.md`` files
    below them), then those the git range ``changed`` touched; and the range's files.

    None at all ends the command: fine when the range changed no minutes, a
    usage error (exit 2) when nothing was named.
    """
    paths = minutes_files(files, root)
    in_range = None
    if changed:
        in_range = changed_files(changed, root)
        # Named as given or resolved; a symlinked folder's file is its own meeting.
        named = {p.resolve() for p in paths} | {Path(os.path.abspath(p)) for p in paths}
        paths += sorted(p for p in set(in_range.paths) if Path(os.path.abspath(p)) not in named)
    if not paths:
        if changed:
            click.echo(f"no minutes files changed in {changed}")
            raise SystemExit(0)
        fail(f"nothing to {verb}: name minutes FILES or --changed BASE..HEAD", 2)
    return paths, in_range


def minutes_and_client(
    files: tuple[Path, ...],
    changed: str | None,
    root: Path,
    verb: str,
    *,
    dry_run: bool,
    every: bool,
    config: Config,
) -> tuple[list[Path], Changed | None, GitHub | None]:
    """What a command that writes on GitHub for minutes files works with: the files and the
    range's files (see :func:`selected_minutes`), and the client (see :func:`github_client`;
    None: a dry run).

    A range that takes in the whole archive (see :meth:`Changed.whole_archive`) exits 2
    before anything is written, unless ``every`` (``--all``) says that is meant.
    """
    paths, in_range = selected_minutes(files, changed, root, verb)
    client = github_client(dry_run)
    if in_range is not None and client is not None and not every:
        too_much = in_range.whole_archive(config.max_changed_files, root)
        if too_much:
            fail(too_much, 2)
    return paths, in_range, client
