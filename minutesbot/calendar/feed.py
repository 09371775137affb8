"""The teams' meetings as an iCalendar feed (RFC 5545), written with ``icalendar``.

One VEVENT per series: DTSTART and DTEND with the series' TZID (and a
VTIMEZONE for it, so a client needs no zone database of its own), an RRULE
whose UNTIL is the end of the ``until`` day in UTC (RFC 5545 wants UTC
there when DTSTART has a zone), the ``except_on`` occurrences as EXDATE,
``also_on`` as RDATE, and the teams as CATEGORIES. UIDs are the calendar's
``uid`` where it has one and otherwise made from the summary, start and
zone, so they stay the same from one run to the next; a ``uid`` the
calendar gives twice (it happens: the SCS ops series of 2026) gets the
start appended on its later uses, as two events must not share one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from minutesbot.calendar.expand import expand
from minutesbot.calendar.series import Moment, Series, as_datetime, day_of
from minutesbot.calendar.team import TeamCalendar

PRODID = "-//minutesbot//team meetings//EN"


def build_feed(
    calendars: Iterable[TeamCalendar], stamp: datetime, name: str | None = None
) -> bytes:
    """The feed of every series of ``calendars``; a series two teams share is written once.

    ``stamp`` is the DTSTAMP of every event (pass a fixed one for output
    that only changes when the calendar does).
    """
    from icalendar import Calendar

    teams: dict[Series, list[str]] = {}
    for team_calendar in calendars:
        for series in team_calendar.series:
            teams.setdefault(series, []).append(team_calendar.team)
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    all_teams = sorted({t for names in teams.values() for t in names})
    feed.add("x-wr-calname", name or "Meetings of " + ", ".join(all_teams))
    uids = _uids(list(teams))
    for series in sorted(teams, key=lambda s: (_utc(s, s.begin), s.where)):
        feed.add_component(_event(series, uids[series], teams[series], stamp))
    if teams:
        first = min(day_of(s.begin) for s in teams) - timedelta(days=366)
        last = max(day_of(s.until or s.begin) for s in teams) + timedelta(days=366)
        feed.add_missing_timezones(first_date=first, last_date=last)
    return feed.to_ical()


def _event(series: Series, uid: str, teams: list[str], stamp: datetime):  # -> icalendar.Event
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", series.summary)
    event.add("dtstart", _value(series, series.begin))
    if series.duration is None:
        event.add("dtend", day_of(series.begin) + timedelta(days=1))
    else:
        event.add("dtend", _value(series, as_datetime(series.begin) + series.duration))
    if series.every is not None:
        unit, count = series.every
        freq = {
            "seconds": "SECONDLY",
            "minutes": "MINUTELY",
            "hours": "HOURLY",
            "days": "DAILY",
            "weeks": "WEEKLY",
            "months": "MONTHLY",
            "years": "YEARLY",
        }[unit]
        rule: dict[str, object] = {"freq": freq, "until": _until(series)}
        if count != 1:
            rule["interval"] = count
        event.add("rrule", rule)
        expansion = expand(series)
        if expansion.skipped:
            event.add("exdate", [_value(series, o.wall) for o in expansion.skipped])
        extra = sorted(
            {o.wall for o in expansion.meetings + expansion.skipped} - set(_rule_walls(series)),
            key=as_datetime,
        )
        if extra:
            event.add("rdate", [_value(series, wall) for wall in extra])
    if series.description:
        event.add("description", series.description)
    if series.location:
        event.add("location", series.location)
    if series.url:
        event.add("url", series.url)
    event.add("categories", teams)
    return event


def _rule_walls(series: Series) -> list[Moment]:
    """The occurrences of the rule alone (without ``also_on``)."""
    from dataclasses import replace

    return [o.wall for o in expand(replace(series, also_on=(), except_on=())).meetings]


def _value(series: Series, wall: Moment) -> date | datetime:
    """A time as the feed writes it: a date for a whole day, with the series' TZID, or in
    UTC for a fixed offset (which has no zone name to give)."""
    if series.all_day:
        return day_of(wall)
    start = as_datetime(wall).replace(tzinfo=series.zone)
    return start if series.zone_name else start.astimezone(UTC)


def _until(series: Series) -> date | datetime:
    until = series.until
    assert until is not None
    if series.all_day:
        return day_of(until)
    last = until if isinstance(until, datetime) else datetime.combine(until, time(23, 59, 59))
    return last.replace(tzinfo=series.zone).astimezone(UTC)


def _utc(series: Series, wall: Moment) -> datetime:
    return as_datetime(wall).replace(tzinfo=series.zone).astimezone(UTC)


def _uids(series: list[Series]) -> dict[Series, str]:
    seen: set[str] = set()
    uids: dict[Series, str] = {}
    for s in series:
        uid = s.uid or _made_uid(s)
        if uid in seen:
            local, at, domain = uid.rpartition("@")
            start = f"{as_datetime(s.begin):%Y%m%dT%H%M}"
            uid = f"{local}-{start}@{domain}" if at else f"{uid}-{start}"
        seen.add(uid)
        uids[s] = uid
    return uids


def _made_uid(series: Series) -> str:
    key = "\n".join(
        (
            series.summary,
            as_datetime(series.begin).isoformat(),
            series.zone_name or str(series.zone),
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + "@minutesbot"
