"""The next call's date and start: from the team's calendar where one is configured,
else from the cadence or the history (:mod:`minutesbot.agenda.cadence`).

The calendar wins where both are given: it is what the team's invitations
say. A cadence, time or time zone that disagrees with it is worth a
warning, not an error (the configuration is probably older than the
calendar's latest series). The configured ``skip`` dates still apply on top
of the calendar's own ``except_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from minutesbot.agenda.cadence import StartTime, next_date, parse_skip, start_time
from minutesbot.config import TeamConfig
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting


@dataclass(frozen=True)
class Slot:
    """When the call is: its day, and its start where a time is known."""

    day: date
    start: StartTime | None


def plan(
    history: list[date], setting: TeamSetting, around: Surroundings, day: date | None = None
) -> Slot:
    """The slot of the team's next call after ``history`` (or of ``day``, when given)."""
    from minutesbot.calendar.team import for_team

    team, settings, today, warn = setting.name, setting.settings, around.today, around.warn
    calendar = for_team(setting.config, team)
    if calendar is None:
        return _configured(day or next_date(history, settings, today), settings)
    if day is not None:
        meeting = calendar.on(day)
        if meeting is None and calendar.is_skipped(day):
            warn(f"team {team}: {day} is skipped in {calendar.where} (except_on)")
        return Slot(day, _start(meeting)) if meeting else _configured(day, settings)
    skip = parse_skip(settings.skip)
    last = max(history, default=None)
    earliest = max(today, last + timedelta(days=1)) if last else today
    meeting = calendar.next_meeting(earliest, lambda d: any(a <= d <= b for a, b in skip))
    if meeting is None:
        source = "cadence" if settings.cadence else "history"
        warn(
            f"team {team}: {calendar.where} has no meeting on or after {earliest} "
            f"(its series end {calendar.last_day()}); the date comes from the {source}"
        )
        return _configured(next_date(history, settings, today), settings)
    slot = Slot(meeting.day, _start(meeting))
    for message in _conflicts(slot, meeting.describe(), history, settings, today):
        warn(f"team {team}: {message}; the calendar wins")
    return slot


def _configured(day: date, settings: TeamConfig) -> Slot:
    return Slot(day, start_time(day, settings))


def _start(meeting) -> StartTime | None:  # meeting: minutesbot.calendar.expand.Occurrence
    if meeting.series.all_day:
        return None
    return StartTime(meeting.start, meeting.start.astimezone(UTC))


def _conflicts(
    slot: Slot, described: str, history: list[date], settings: TeamConfig, today: date
) -> list[str]:
    """Where the cadence, time or time zone of the configuration say otherwise."""
    found = []
    if settings.cadence:
        other = next_date(history, settings, today)
        if other != slot.day:
            found.append(
                f"the calendar's next meeting is {slot.day}, "
                f"cadence {settings.cadence!r} gives {other}"
            )
    configured = start_time(slot.day, settings)
    if configured and slot.start and configured.utc != slot.start.utc:
        found.append(
            f"the calendar's meeting starts {described}, "
            f"the configured time {configured.describe()}"
        )
    return found
