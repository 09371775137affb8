"""Helpers every command module shares: errors, configuration, output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from minutesbot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from minutesbot.archive import Archive, RefreshResult
    from minutesbot.records.gitrange import Changed


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line to stderr and exit; never a traceback."""
    click.echo(f"minutesbot: error: {message}", err=True)
    raise SystemExit(code)


def warn(message: str) -> None:
    click.echo(f"minutesbot: warning: {message}", err=True)


def changed_files(changed: str, root: Path) -> Changed:
    """The minutes files the git range ``BASE..HEAD`` touched; a bad range exits 2."""
    from minutesbot.records.gitrange import GitRangeError, changed_minutes

    try:
        result = changed_minutes(changed, root)
    except GitRangeError as exc:
        fail(str(exc), 2)
    for note in result.notes:
        warn(note)
    return result


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` option as a date (a click callback)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def get_config() -> Config:
    """The configuration for the working directory, read once per process."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if root.obj is None:
        try:
            root.obj = load_config(Path.cwd())
        except ConfigError as exc:
            fail(str(exc), 2)
    return root.obj


root_option = click.option(
    "--root",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The minutes root that sources and teams are relative to "
    "(default: minutes-root of the configuration, 'minutes').",
)
all_option = click.option(
    "--all",
    "every",
    is_flag=True,
    help="Write even when --changed is a whole archive (a branch's first push, "
    "more files than max-changed-files).",
)
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON Lines, one object per result."
)


@contextmanager
def open_archive(root: Path | None) -> Iterator[tuple[Archive, RefreshResult]]:
    """The archive of the minutes root, refreshed, for the ``with`` block; failures there
    (opening, refreshing, a query, an unknown ``--team``) end the command with one line.

    A first query on a big archive builds the index, so it shows the progress
    bar too (on a terminal only).
    """
    from minutesbot.archive import Archive, ArchiveError, UnknownTeam

    config = get_config()
    try:
        with Archive.open(config.root(root), config, warn) as archive:
            result = archive.refresh(progress=True)
            for message in result.warnings:
                warn(message)
            yield archive, result
    except UnknownTeam as exc:
        fail(str(exc), 2)
    except ArchiveError as exc:
        fail(str(exc))


DAY = click.DateTime(formats=["%Y-%m-%d"])
since_option = click.option(
    "--since", type=DAY, metavar="YYYY-MM-DD", help="Meetings on or after this day."
)
until_option = click.option(
    "--until", type=DAY, metavar="YYYY-MM-DD", help="Meetings on or before this day."
)


def period(since: datetime | None, until: datetime | None) -> dict[str, str | None]:
    """``since`` and ``until`` as ISO days; a period that ends before it starts exits 2."""
    first = since.date().isoformat() if since else None
    last = until.date().isoformat() if until else None
    if first and last and first > last:
        fail(f"--since {first} is after --until {last}: no day is in that period", 2)
    return {"since": first, "until": last}
