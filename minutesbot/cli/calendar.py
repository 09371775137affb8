"""``minutesbot calendar``: the teams' meetings as an iCalendar feed."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import click

from minutesbot.cli.common import root_option, teams_option
from minutesbot.cli.days import parse_day
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail, get_config, root_folder, warn


@main.command("calendar")
@teams_option("A team to include (repeatable; default: every team a calendar applies to).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the feed to FILE and print each team's next meeting (default: print the feed).",
)
@click.option(
    "--from",
    "start",
    metavar="YYYY-MM-DD",
    callback=parse_day,
    help="With --output: the next meeting on or after this day (default: today).",
)
@root_option
def calendar_command(
    teams: tuple[str, ...], output: Path | None, start: date | None, root: Path | None
) -> None:
    """Write the teams' meeting series from their yaml2ics calendar as an ICS feed.

    DTSTAMP is the time of the run, or SOURCE_DATE_EPOCH when it is set, so a
    feed kept in a repository changes only when the calendar does.
    """
    from minutesbot.calendar import CalendarError
    from minutesbot.calendar.feed import build_feed
    from minutesbot.calendar.team import CalendarCache, calendar_teams, for_team
    from minutesbot.teams import team_folders

    config = get_config()
    names = list(dict.fromkeys(teams)) or calendar_teams(
        config, team_folders(root_folder(root, required=False))
    )
    if not names:
        fail("no team has a calendar: set calendar in [tool.minutesbot] (docs/calendar.md)", 2)
    cache = CalendarCache()
    calendars = []
    try:
        for name in names:
            found = for_team(config, name, cache, required=bool(teams))
            if found is None:
                warn(f"team {name}: the calendar names no meeting of it; left out of the feed")
                continue
            calendars.append(found)
            for series, entry in found.unmatched():
                warn(f"{series.where}: except_on {entry} removes no meeting of {series.summary!r}")
        feed = build_feed(calendars, _stamp())
    except CalendarError as exc:
        fail(str(exc), 2)
    if output is None:
        click.echo(feed, nl=False)
        return
    _write(output, feed)
    day = start or datetime.now().date()
    series = sum(len(c.series) for c in calendars)
    teams_word = "team" if len(calendars) == 1 else "teams"
    click.echo(f"{output}: {len(calendars)} {teams_word}, {series} series")
    for found in calendars:
        click.echo(_summary(found, day))


def _stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _write(target: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary file beside the target, then renamed."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        fail(f"{target}: cannot write the feed ({exc.strerror or exc})")


def _summary(found, day: date) -> str:  # found: minutesbot.calendar.team.TeamCalendar
    """``container: next 2026-05-15 09:05 CEST (07:05 UTC); skipped ...; pad URL``."""
    meeting = found.next_meeting(day)
    parts = [f"next {meeting.describe()}" if meeting else f"no meeting on or after {day}"]
    ahead = [o.day.isoformat() for o in found.skipped() if o.day >= day]
    if ahead:
        parts.append("skipped " + ", ".join(ahead))
    pad = found.pad_url(meeting.day if meeting else day)
    if pad:
        parts.append(f"pad {pad}")
    return f"{found.team}: " + "; ".join(parts)
