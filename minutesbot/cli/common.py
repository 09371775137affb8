"""Helpers every command module shares: errors, configuration, output."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from minutesbot.config import Config, ConfigError, load_config


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line to stderr and exit; never a traceback."""
    click.echo(f"minutesbot: error: {message}", err=True)
    raise SystemExit(code)


def warn(message: str) -> None:
    click.echo(f"minutesbot: warning: {message}", err=True)


def changed_files(changed: str, root: Path) -> list[Path]:
    """The minutes files the git range ``BASE..HEAD`` touched; a bad range exits 2."""
    from minutesbot.records.gitrange import GitRangeError, changed_minutes

    try:
        result = changed_minutes(changed, root)
    except GitRangeError as exc:
        fail(str(exc), 2)
    for note in result.notes:
        warn(note)
    return result.paths


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
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON Lines, one object per result."
)
