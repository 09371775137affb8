"""The date options: ``--date`` (a meeting's day), ``--since`` and ``--until`` (a period)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` option as a date (a click callback)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_meeting_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` option naming a meeting's day: in the years 1000 to 9998, written
    with four digits (file names, titles), with room for what is worked out around it."""
    day = parse_day(ctx, param, value)
    if day and not 1000 <= day.year <= 9998:
        raise click.BadParameter(f"{value}: a meeting's day is in the years 1000 to 9998")
    return day


def date_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--date YYYY-MM-DD``, a meeting's day, passed as ``day`` (a date, or None)."""
    return click.option(
        "--date", "day", metavar="YYYY-MM-DD", callback=parse_meeting_day, help=help
    )


since_option = click.option(
    "--since", metavar="YYYY-MM-DD", callback=parse_day, help="Meetings on or after this day."
)
until_option = click.option(
    "--until", metavar="YYYY-MM-DD", callback=parse_day, help="Meetings on or before this day."
)
