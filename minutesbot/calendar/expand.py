"""The dates of a series: its rule expanded on the wall clock of its zone.

The rule (``every 2 weeks from begin until until``) is stepped in local
wall-clock time with python-dateutil and only then placed in the zone, so
a meeting at 09:05 in Berlin stays at 09:05 across the DST switch while
its UTC time moves by the hour. A wall time the clock skips (02:30 on the
spring switch day) is read with the offset before the gap, and a time it
passes twice with the first offset, as RFC 5545 says.

``until`` is inclusive: a date means up to the end of that day. The SCS
calendar is written that way (a series often ends on its last meeting, and
every such meeting in the corpus has minutes), although yaml2ics 0.3
writes ``UNTIL=<date>T000000`` and so drops the meeting on that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from minutesbot.calendar import CalendarError
from minutesbot.calendar.series import Moment, Series, as_datetime, day_of

# A bound on one series; a weekly meeting for 20 years is about 1000.
MAX_OCCURRENCES = 5000


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series."""

    series: Series
    wall: Moment  # naive wall-clock time in the series' zone, or the day

    @property
    def day(self) -> date:
        return day_of(self.wall)

    @property
    def start(self) -> datetime:
        """The aware start (midnight in the zone for a whole-day event)."""
        return as_datetime(self.wall).replace(tzinfo=self.series.zone)

    @property
    def end(self) -> datetime:
        if self.series.duration is None:
            return as_datetime(self.day + timedelta(days=1)).replace(tzinfo=self.series.zone)
        return (as_datetime(self.wall) + self.series.duration).replace(tzinfo=self.series.zone)

    def describe(self) -> str:
        """``2026-05-29 09:05 CEST (07:05 UTC)``, or the bare date for a whole day."""
        if self.series.all_day:
            return self.day.isoformat()
        start = self.start
        utc = start.astimezone(UTC)
        shown = (
            utc.strftime("%H:%M UTC")
            if utc.date() == self.day
            else utc.strftime("%Y-%m-%d %H:%M UTC")
        )
        return f"{start:%Y-%m-%d %H:%M} {start.tzname()} ({shown})"


@dataclass(frozen=True)
class Expansion:
    """What a series gives: its meetings, the occurrences ``except_on`` removes, and
    the ``except_on`` entries that match no occurrence (a typo, or a moved series)."""

    meetings: tuple[Occurrence, ...]
    skipped: tuple[Occurrence, ...]
    unmatched: tuple[Moment, ...]


def expand(series: Series) -> Expansion:
    """Every occurrence of ``series``, in order."""
    walls = sorted(
        set(_rule(series)) | {_as_kind(m, series) for m in series.also_on},
        key=as_datetime,
    )
    meetings, skipped = [], []
    matched: set[Moment] = set()
    for wall in walls:
        hit = [m for m in series.except_on if _excludes(m, wall)]
        (skipped if hit else meetings).append(Occurrence(series, wall))
        matched.update(hit)
    unmatched = tuple(m for m in series.except_on if m not in matched)
    return Expansion(tuple(meetings), tuple(skipped), unmatched)


def _rule(series: Series) -> list[Moment]:
    if series.every is None:
        return [series.begin]
    from dateutil.rrule import (
        DAILY,
        HOURLY,
        MINUTELY,
        MONTHLY,
        SECONDLY,
        WEEKLY,
        YEARLY,
        rrule,
    )

    freq = {
        "seconds": SECONDLY,
        "minutes": MINUTELY,
        "hours": HOURLY,
        "days": DAILY,
        "weeks": WEEKLY,
        "months": MONTHLY,
        "years": YEARLY,
    }
    unit, count = series.every
    until = series.until
    last = until if isinstance(until, datetime) else datetime.combine(until, time.max)  # type: ignore[arg-type]
    walls: list[Moment] = []
    for wall in rrule(freq[unit], interval=count, dtstart=as_datetime(series.begin), until=last):
        if len(walls) == MAX_OCCURRENCES:
            raise CalendarError(
                f"{series.where}: {series.summary!r} repeats more than "
                f"{MAX_OCCURRENCES} times before its until"
            )
        walls.append(wall if not series.all_day else wall.date())
    return walls


def _as_kind(moment: Moment, series: Series) -> Moment:
    """An ``also_on`` entry as the series counts: a day for a whole-day series, and
    a bare day of a timed series at the series' time of day."""
    if series.all_day:
        return day_of(moment)
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, as_datetime(series.begin).time())


def _excludes(entry: Moment, wall: Moment) -> bool:
    """A date skips every occurrence that day; a date-time the occurrence at that time."""
    if isinstance(entry, datetime) and isinstance(wall, datetime):
        return entry == wall
    return day_of(entry) == day_of(wall)
