"""A team's meetings in a calendar: which events are its, the next one, its pad.

Which events are the team's: those whose summary contains the configured
``calendar-event`` text (case ignored), or by default, as the SCS calendar
is written, those whose ``Minutes:`` link ends in the team's folder
(``Minutes: https://github.com/SovereignCloudStack/minutes/tree/main/container``
is team ``container``'s). A team often has several: one per year, a new
one when the time changes, a single extra session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from minutesbot.calendar import CalendarError
from minutesbot.calendar.expand import Expansion, Occurrence, expand
from minutesbot.calendar.reader import Calendar, read_calendar
from minutesbot.calendar.series import Moment, Series, day_of
from minutesbot.calendar.source import resolve
from minutesbot.config import Config


class NoEvents(CalendarError):
    """The calendar holds no event of the team."""


@dataclass(frozen=True)
class TeamCalendar:
    """The series of one team, read from the calendar at ``where``."""

    team: str
    where: str
    series: tuple[Series, ...]

    @cached_property
    def _expansions(self) -> tuple[Expansion, ...]:
        return tuple(expand(s) for s in self.series)

    def meetings(self) -> list[Occurrence]:
        """Every meeting of every series (skipped ones left out), earliest first."""
        return sorted((o for e in self._expansions for o in e.meetings), key=lambda o: o.start)

    def skipped(self) -> list[Occurrence]:
        """The occurrences ``except_on`` removes, earliest first."""
        return sorted((o for e in self._expansions for o in e.skipped), key=lambda o: o.start)

    def unmatched(self) -> list[tuple[Series, Moment]]:
        """``except_on`` entries that remove nothing: a typo, or a time the series no longer has."""
        return [
            (s, m) for s, e in zip(self.series, self._expansions, strict=False) for m in e.unmatched
        ]

    def next_meeting(
        self, earliest: date, skip: Callable[[date], bool] = lambda _day: False
    ) -> Occurrence | None:
        """The first meeting on or after ``earliest`` whose day ``skip`` does not refuse."""
        return next((o for o in self.meetings() if o.day >= earliest and not skip(o.day)), None)

    def on(self, day: date) -> Occurrence | None:
        """The meeting on ``day``, if the calendar has one."""
        return next((o for o in self.meetings() if o.day == day), None)

    def is_skipped(self, day: date) -> bool:
        """True when ``except_on`` removes a meeting on ``day`` and no other series has one."""
        return any(o.day == day for o in self.skipped()) and self.on(day) is None

    def series_for(self, day: date) -> Series | None:
        """The series that runs on ``day``; else the latest one begun before it; else the first."""
        running = [s for s in self.series if day_of(s.begin) <= day <= day_of(s.until or s.begin)]
        begun = [s for s in self.series if day_of(s.begin) <= day]
        for group in (running, begun):
            if group:
                return max(group, key=lambda s: day_of(s.begin))
        return min(self.series, key=lambda s: day_of(s.begin), default=None)

    def pad_url(self, day: date) -> str | None:
        """The pad named by the series of ``day`` (``HedgeDoc: https://...``)."""
        for series in (
            self.series_for(day),
            *sorted(self.series, key=lambda s: day_of(s.begin), reverse=True),
        ):
            if series is not None and series.pad_url:
                return series.pad_url
        return None

    def last_day(self) -> date | None:
        """The day the latest series ends."""
        return max((day_of(s.until or s.begin) for s in self.series), default=None)


def select(calendar: Calendar, team: str, event: str | None = None) -> tuple[Series, ...]:
    """The team's events: by ``event`` text in the summary, else by the Minutes link."""
    if event:
        wanted = event.casefold().strip()
        return tuple(s for s in calendar.series if wanted in s.summary.casefold())
    return tuple(s for s in calendar.series if s.minutes_folder == team)


class CalendarCache:
    """Calendars read once per run: several teams usually share one calendar."""

    def __init__(self) -> None:
        self._read: dict[str, Calendar] = {}

    def get(self, ref: str) -> Calendar:
        if ref not in self._read:
            self._read[ref] = read_calendar(ref)
        return self._read[ref]


def team_calendar(calendar: Calendar, team: str, event: str | None = None) -> TeamCalendar:
    """The team's series in ``calendar`` (see :func:`select`).

    No event for the team is an error: a configured calendar that names no
    meeting of the team is a mistake to fix, not a reason to guess.
    """
    where = calendar.files[0]
    series = select(calendar, team, event)
    if not series:
        if event:
            raise NoEvents(
                f"{where}: no event's summary contains {event!r} (calendar-event of team {team})"
            )
        raise NoEvents(
            f"{where}: no event links the minutes of team {team} "
            f"(a 'Minutes: .../{team}' line in its description); "
            "set calendar-event to a part of its summary"
        )
    return TeamCalendar(team, where, series)


def for_team(
    config: Config, team: str, cache: CalendarCache | None = None, required: bool = False
) -> TeamCalendar | None:
    """The team's calendar as configured; None when no calendar applies to it.

    The shared top-level ``calendar`` holds every team's meetings, so a team
    it names no meeting of is simply planned without one; a team's own
    ``calendar`` or ``calendar-event`` that finds nothing is an error, and so
    is any team without a calendar when ``required`` (the team was asked for).
    """
    settings = config.team(team)
    ref = settings.calendar or config.calendar
    if not ref:
        if required:
            raise CalendarError(
                f"team {team} has no calendar: set calendar in [tool.minutesbot] "
                f"or in [tool.minutesbot.teams.{team}]"
            )
        return None
    calendar = (cache or CalendarCache()).get(resolve(ref, config.base_dir))
    try:
        return team_calendar(calendar, team, settings.calendar_event)
    except NoEvents:
        if required or settings.calendar or settings.calendar_event:
            raise
        return None


def calendar_teams(config: Config, folders: list[str]) -> list[str]:
    """The teams a calendar applies to: the configured ones with a calendar of their own
    or a shared one, and with a shared one also every team folder of the minutes root."""
    named = [t for t, settings in config.teams.items() if settings.calendar or config.calendar]
    return sorted(set(named) | (set(folders) if config.calendar else set()))
