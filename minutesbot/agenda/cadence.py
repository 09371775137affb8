"""When the next call is, and when it starts.

A configured cadence is an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=TH``, or
``FREQ=WEEKLY;INTERVAL=2;BYDAY=FR``) read by python-dateutil. Without one the
rhythm is read off the history: the median gap of the last eight meetings,
rounded to whole weeks, on the weekday most of them fell on (a call moved
once to another day does not move the next one). Skip dates
(holidays, a summer break written as ``2024-07-15..2024-08-31``) are never
chosen; the next occurrence after them is.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from statistics import median

from minutesbot.config import ZONE_NAME, TeamConfig, cadence_problem

INFER_FROM = 8  # the last this many meetings give the usual gap
WEEK = 7
# An anchored RRULE could in theory never produce a date (COUNT=1 in the past);
# looking this far ahead is a generous bound on any real meeting rhythm.
HORIZON_DAYS = 3 * 366

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class CadenceError(Exception):
    """The team's cadence, skip dates, time or time zone cannot be used."""


@dataclass(frozen=True)
class StartTime:
    """The call's start in the team's zone and in UTC."""

    local: datetime
    utc: datetime

    def describe(self) -> str:
        """``10:05 CEST (08:05 UTC)``; the UTC date is named when it differs."""
        utc = self.utc.strftime("%H:%M UTC")
        if self.utc.date() != self.local.date():
            utc = self.utc.strftime("%Y-%m-%d ") + utc
        return f"{self.local.strftime('%H:%M')} {self.local.tzname()} ({utc})"


def parse_skip(entries: Iterable[str]) -> list[tuple[date, date]]:
    """Skip entries as inclusive ranges: ``2024-12-26`` or ``2024-07-15..2024-08-31``."""
    ranges = []
    for entry in entries:
        first, sep, last = str(entry).partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if sep else start
        except ValueError:
            raise CadenceError(
                f"skip date {entry!r} is not YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
            ) from None
        if end < start:
            raise CadenceError(f"skip range {entry!r} ends before it starts")
        ranges.append((start, end))
    return ranges


def _skipped(day: date, skip: list[tuple[date, date]]) -> bool:
    return any(start <= day <= end for start, end in skip)


def next_date(history: list[date], team: TeamConfig, today: date) -> date:
    """The next meeting after the last one in ``history`` and not before ``today``.

    The cadence of the configuration wins; else the rhythm inferred from the
    history; with no history and no cadence, ``today``.
    """
    skip = parse_skip(team.skip)
    last = max(history) if history else None
    earliest = max(today, last + timedelta(days=1)) if last else today
    if team.cadence:
        return _from_rule(team.cadence, last or today, earliest, skip)
    if last is None:
        return _first_free(today, WEEK, skip)
    gap = inferred_gap(history)
    candidate = _on_weekday(last + timedelta(days=gap), usual_weekday(history))
    while candidate < earliest:
        candidate += timedelta(days=gap)
    return _first_free(candidate, gap, skip)


def _first_free(candidate: date, step: int, skip: list[tuple[date, date]]) -> date:
    for _ in range(HORIZON_DAYS // step + 1):
        if not _skipped(candidate, skip):
            return candidate
        candidate += timedelta(days=step)
    raise CadenceError("the skip dates leave no meeting date in the next three years")


def usual_weekday(history: list[date]) -> int:
    """The weekday of the call: the one most of the last meetings fell on (a tie goes to
    the latest one's), so a call moved once does not move the next one; but when the
    last two agree, theirs, so a team that moved its call for good is followed at once."""
    recent = sorted(set(history))[-INFER_FROM:]
    if len(recent) >= 2 and recent[-1].weekday() == recent[-2].weekday():
        return recent[-1].weekday()
    counts = Counter(day.weekday() for day in recent)
    most = max(counts.values())
    return next(day.weekday() for day in reversed(recent) if counts[day.weekday()] == most)


def _on_weekday(day: date, weekday: int) -> date:
    """The day of ``weekday`` nearest to ``day`` (at most three days off)."""
    return day + timedelta(days=(weekday - day.weekday() + 3) % WEEK - 3)


def inferred_gap(history: list[date]) -> int:
    """Median days between the last meetings, in whole weeks (one meeting: a week).

    A half week rounds down: a gap of two weeks is more often a missing file
    or a cancelled call in a weekly rhythm than the other way round.
    """
    recent = sorted(set(history))[-INFER_FROM:]
    gaps = [(b - a).days for a, b in pairwise(recent)]
    if not gaps:
        return WEEK
    weeks = max(1, math.ceil(median(gaps) / WEEK - 0.5))
    return weeks * WEEK


def _from_rule(cadence: str, anchor: date, earliest: date, skip: list[tuple[date, date]]) -> date:
    """The first occurrence of the RRULE on or after ``earliest`` that is not skipped.

    The rule is anchored on the last meeting (its DTSTART unless the cadence
    gives one), so ``INTERVAL=2`` keeps to the weeks the team actually meets.
    """
    from dateutil.rrule import rrulestr

    problem = cadence_problem(cadence)
    if problem:
        raise CadenceError(f"cadence {cadence!r} {problem}")
    text = cadence.strip()
    if not text.upper().startswith(("RRULE:", "DTSTART")):
        text = "RRULE:" + text
    start = datetime.combine(anchor, time())
    try:
        rule = rrulestr(
            text, dtstart=None if "DTSTART" in text.upper() else start, ignoretz=True, forceset=True
        )
    except (ValueError, TypeError) as exc:
        raise CadenceError(f"cadence {cadence!r} is not an RRULE: {exc}") from None
    after = datetime.combine(earliest, time()) - timedelta(seconds=1)
    horizon = after + timedelta(days=HORIZON_DAYS)
    occurrence = rule.after(after)
    while occurrence is not None and occurrence <= horizon:
        if not _skipped(occurrence.date(), skip):
            return occurrence.date()
        occurrence = rule.after(occurrence)
    raise CadenceError(
        f"cadence {cadence!r} has no meeting date after {earliest.isoformat()} that is not skipped"
    )


def start_time(day: date, team: TeamConfig) -> StartTime | None:
    """The start on ``day`` in the team's zone and in UTC; None without a configured time.

    The offset is looked up for that very day, so a call at 10:05 Berlin time
    is 08:05 UTC in summer and 09:05 UTC in winter.
    """
    if not team.time:
        return None
    from dateutil import tz

    m = _TIME.match(team.time.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise CadenceError(f"time {team.time!r} is not HH:MM")
    try:
        # A name only: dateutil reads a path given to it as a zone file.
        zone = tz.gettz(team.timezone) if ZONE_NAME.fullmatch(team.timezone or "UTC") else None
    except (ValueError, OSError):
        zone = None
    if zone is None:
        raise CadenceError(
            f"time zone {team.timezone!r} is unknown (an IANA name like Europe/Berlin)"
        )
    local = datetime.combine(day, time(int(m.group(1)), int(m.group(2))), tzinfo=zone)
    if not tz.datetime_exists(local):
        # The clock jumps over this time on this day; the meeting starts at the same instant
        # as the hour before would have, one hour later on the wall clock.
        local = tz.resolve_imaginary(local)
    return StartTime(local, local.astimezone(tz.UTC))
