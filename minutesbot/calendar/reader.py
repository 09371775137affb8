"""Reading a calendar in the yaml2ics format into :class:`Series`.

The format (yaml2ics 0.3, as the SCS calendar uses it): a file has a
``name``, a default ``timezone`` and a list of ``events`` and/or of files
to ``include`` (relative to it; an included file has its own default
zone). An event has ``summary``, ``begin``, ``duration`` (``{minutes: 50}``)
or ``end``, optional ``timezone`` and ``uid``, ``description``,
``location``, ``url``, and ``repeat`` with one ``interval`` unit, a
required ``until``, and ``except_on`` / ``also_on`` lists. Without
``duration`` and ``end`` the event takes the whole day. A ``begin`` with an
offset (``+02:00``) keeps that offset.

Every mistake is a CalendarError naming the file and the line, found on the
YAML nodes, so nobody has to count events to find the broken one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

import yaml

from minutesbot.calendar import CalendarError
from minutesbot.calendar.series import UNITS, Moment, Series, day_of
from minutesbot.calendar.source import Text, included, read_text

MAX_INCLUDE_DEPTH = 8
_EVENT_KEYS = frozenset(
    {
        "summary",
        "begin",
        "end",
        "duration",
        "timezone",
        "uid",
        "description",
        "location",
        "url",
        "repeat",
        "ics",
        # Passed through by yaml2ics to the ics package; minutesbot has no use for them.
        "created",
        "last_modified",
        "transparent",
        "alarms",
        "attendees",
        "categories",
        "status",
        "organizer",
        "geo",
        "classification",
    }
)
_REPEAT_KEYS = frozenset({"interval", "until", "except_on", "also_on"})
_DURATION_KEYS = frozenset({"weeks", "days", "hours", "minutes", "seconds"})
_RECURRENCE_LINES = ("RRULE", "RDATE", "EXDATE", "EXRULE")


class _Map(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int
    lines: dict[Any, int]


class _Seq(list):
    """A YAML sequence that remembers the line of each entry."""

    line: int
    lines: list[int]


class _Loader(yaml.SafeLoader):
    """The safe loader, keeping line numbers and refusing duplicate keys."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line, result.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"{key!r} is given twice (also on line {result.lines[key]})",
                    problem_mark=key_node.start_mark,
                )
        except TypeError:
            raise yaml.MarkedYAMLError(
                problem="a key must be a plain value", problem_mark=key_node.start_mark
            ) from None
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


@dataclass(frozen=True)
class Calendar:
    """The events of a calendar file and of every file it includes, in file order."""

    name: str | None
    series: tuple[Series, ...]
    files: tuple[str, ...]


def read_calendar(ref: str) -> Calendar:
    """The calendar at ``ref`` (a path or URL) with everything it includes."""
    return parse_calendar(read_text(ref))


def parse_calendar(text: Text) -> Calendar:
    """A calendar from text already read (its includes are read as files or URLs)."""
    series: list[Series] = []
    files: list[str] = []
    name = _read(text, series, files, (text.ref,))
    return Calendar(name, tuple(series), tuple(files))


def _read(text: Text, series: list[Series], files: list[str], chain: tuple[str, ...]) -> str | None:
    files.append(text.where)
    data = _load(text)
    where = text.where
    if not isinstance(data, _Map) or not ({"events", "include"} & set(data)):
        raise CalendarError(f"{where}: not a yaml2ics calendar (no 'events' or 'include' list)")
    zone = _zone(data, "timezone", where) if data.get("timezone") is not None else UTC
    name = None
    for child_ref, line in _entries(data, "include", where, str):
        child = included(child_ref, text)
        if child in chain:
            raise CalendarError(f"{where}:{line}: includes {child_ref}, which includes this file")
        if len(chain) >= MAX_INCLUDE_DEPTH:
            raise CalendarError(
                f"{where}:{line}: includes nest deeper than {MAX_INCLUDE_DEPTH} files"
            )
        try:
            child_text = read_text(child)
        except CalendarError as exc:
            raise CalendarError(f"{where}:{line}: include: {exc}") from None
        name = _read(child_text, series, files, (*chain, child)) or name
    for event, _line in _entries(data, "events", where, _Map):
        series.append(_series(event, zone, where))
    # The last name found wins, as yaml2ics has it.
    return str(data["name"]) if data.get("name") is not None else name


def _load(text: Text) -> Any:
    try:
        return yaml.load(text.text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = (exc.problem or exc.context or "cannot be read").strip()
        raise CalendarError(f"{text.where}{line}: not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise CalendarError(f"{text.where}: not valid YAML: {str(exc).splitlines()[0]}") from None


def _entries(data: _Map, key: str, where: str, kind: type) -> list[tuple[Any, int]]:
    """The entries of the list ``key`` (may be absent or empty), each with its line."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, _Seq):
        raise CalendarError(f"{where}:{data.lines[key]}: '{key}' must be a list")
    for entry, line in zip(value, value.lines, strict=False):
        if not isinstance(entry, kind):
            wanted = "an event (summary, begin, ...)" if kind is _Map else "a file name"
            raise CalendarError(f"{where}:{line}: each entry of '{key}' must be {wanted}")
    return list(zip(value, value.lines, strict=False))


def _zone(data: _Map, key: str, where: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = data[key]
    line = data.lines[key]
    if not isinstance(name, str) or not name.strip():
        raise CalendarError(f"{where}:{line}: {key} must be a time zone name like Europe/Berlin")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            f"{where}:{line}: unknown time zone {name!r} (an IANA name like Europe/Berlin)"
        ) from None


class _Event:
    """Reads the fields of one event, each error naming the field's line."""

    def __init__(self, data: _Map, where: str) -> None:
        self.data, self.where = data, where

    def at(self, key: str, data: _Map | None = None) -> str:
        data = data if data is not None else self.data
        return f"{self.where}:{data.lines.get(key, data.line)}"

    def error(self, key: str, message: str, data: _Map | None = None) -> CalendarError:
        return CalendarError(f"{self.at(key, data)}: {message}")

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, (_Map, _Seq)):
            raise self.error(key, f"{key} must be text")
        return str(value).strip()

    def moment(
        self,
        value: Any,
        key: str,
        zone: tzinfo,
        data: _Map | None = None,
        line: int | None = None,
    ) -> Moment:
        """A YAML date or date-time (or its ISO text) as wall-clock time in ``zone``."""
        value = _parsed(value)
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(zone).replace(tzinfo=None)
            return value
        if isinstance(value, date):
            return value
        where = f"{self.where}:{line}" if line else self.at(key, data)
        raise CalendarError(
            f"{where}: {key} must be a date (2025-02-21) or a date and time "
            f"(2025-02-21 09:05:00), not {value!r}"
        )


def _series(data: _Map, default_zone: tzinfo, file: str) -> Series:
    where = f"{file}:{data.line}"
    ev = _Event(data, file)
    unknown = sorted(str(k) for k in set(data) - _EVENT_KEYS)
    if unknown:
        raise ev.error(unknown[0], f"unknown event field(s) {', '.join(unknown)}")
    summary = ev.text("summary")
    if not summary:
        raise ev.error("summary", "the event has no summary")
    if "begin" not in data:
        raise ev.error("begin", f"event {summary!r} has no begin")
    raw_begin = _parsed(data["begin"])
    zone = _zone(data, "timezone", file) if data.get("timezone") is not None else default_zone
    if isinstance(raw_begin, datetime) and raw_begin.tzinfo is not None:
        # An explicit offset wins over every zone name, as in yaml2ics.
        zone = timezone(raw_begin.utcoffset() or timedelta(0))
    begin = ev.moment(raw_begin, "begin", zone)
    duration = _duration(ev, begin, zone)
    if duration is None and isinstance(begin, datetime):
        begin = begin.date()  # yaml2ics makes an event without duration or end whole-day
    every, until, except_on, also_on = _repeat(ev, begin, zone)
    _refuse_raw_recurrence(ev)
    return Series(
        summary=summary,
        begin=begin,
        zone=zone,
        duration=duration,
        every=every,
        until=until,
        except_on=except_on,
        also_on=also_on,
        uid=ev.text("uid"),
        description=ev.text("description") or "",
        location=ev.text("location"),
        url=ev.text("url"),
        where=where,
    )


def _duration(ev: _Event, begin: Moment, zone: tzinfo) -> timedelta | None:
    data = ev.data
    if data.get("duration") is not None:
        raw = data["duration"]
        if not isinstance(raw, _Map) or not raw or set(raw) - _DURATION_KEYS:
            raise ev.error(
                "duration",
                "duration must be a table of weeks, days, hours, minutes, "
                "seconds, like {minutes: 50}",
            )
        for key, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ev.error(key, f"duration {key} must be a number of 0 or more", raw)
        duration = timedelta(**{str(k): v for k, v in raw.items()})
        if duration <= timedelta(0):
            raise ev.error("duration", "duration must be longer than nothing")
        return duration
    if data.get("end") is None:
        return None
    end = ev.moment(data["end"], "end", zone)
    if type(end) is not type(begin):
        raise ev.error(
            "end",
            "end must be a date when begin is one, a date and time when begin is one",
        )
    if end <= begin:  # type: ignore[operator]
        raise ev.error("end", f"end {end} is not after begin {begin}")
    return end - begin  # type: ignore[operator]


def _repeat(
    ev: _Event, begin: Moment, zone: tzinfo
) -> tuple[tuple[str, int] | None, Moment | None, tuple[Moment, ...], tuple[Moment, ...]]:
    rep = ev.data.get("repeat")
    if rep is None:
        return None, None, (), ()
    if not isinstance(rep, _Map):
        raise ev.error("repeat", "repeat must be a table with interval and until")
    unknown = sorted(str(k) for k in set(rep) - _REPEAT_KEYS)
    if unknown:
        raise ev.error(unknown[0], f"unknown repeat field(s) {', '.join(unknown)}", rep)
    interval = rep.get("interval")
    if not isinstance(interval, _Map) or len(interval) != 1 or next(iter(interval)) not in UNITS:
        raise ev.error(
            "interval",
            "interval must name one of " + ", ".join(UNITS) + " with a count, like {weeks: 2}",
            rep,
        )
    unit, count = next(iter(interval.items()))
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ev.error(unit, f"interval {unit} must be a whole number of 1 or more", interval)
    if rep.get("until") is None:
        raise ev.error("interval", "a repeating event needs until (the format requires it)", rep)
    until = ev.moment(rep["until"], "until", zone, rep)
    if day_of(until) < day_of(begin) or (
        isinstance(until, datetime) and isinstance(begin, datetime) and until < begin
    ):
        raise ev.error("until", f"until {until} is before begin {begin}", rep)
    return (
        (unit, count),
        until,
        _moments(ev, rep, "except_on", zone),
        _moments(ev, rep, "also_on", zone),
    )


def _moments(ev: _Event, rep: _Map, key: str, zone: tzinfo) -> tuple[Moment, ...]:
    value = rep.get(key)
    if value is None:
        return ()
    if not isinstance(value, _Seq):
        return (ev.moment(value, key, zone, rep),)
    return tuple(
        ev.moment(v, key, zone, line=line) for v, line in zip(value, value.lines, strict=False)
    )


def _refuse_raw_recurrence(ev: _Event) -> None:
    """Raw ``ics:`` lines that make the event repeat would give dates minutesbot cannot
    see; other raw lines (a CATEGORIES, say) change nothing here."""
    raw = ev.text("ics") or ""
    for line in raw.splitlines():
        if line.split(":", 1)[0].split(";", 1)[0].strip().upper() in _RECURRENCE_LINES:
            raise ev.error(
                "ics",
                "a raw ics: recurrence line is not read by minutesbot; use repeat: instead",
            )


def _parsed(value: Any) -> Any:
    """ISO text of a date or date-time as one (YAML reads ``2025-02-21 09:05`` without
    seconds as text); anything else as it is."""
    if isinstance(value, str):
        try:
            return (
                datetime.fromisoformat(value.strip())
                if ":" in value
                else date.fromisoformat(value.strip())
            )
        except ValueError:
            pass
    return value
