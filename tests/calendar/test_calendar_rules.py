"""yaml2ics rules beyond what the SCS calendar uses, and bad calendars as one-line errors."""

from __future__ import annotations

import os
import re
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from minutesbot.calendar import CalendarError
from minutesbot.calendar.expand import expand
from minutesbot.calendar.feed import build_feed
from minutesbot.calendar.reader import read_calendar
from minutesbot.calendar.team import TeamCalendar, team_calendar

STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def write(tmp_path: Path, text: str, name: str = "cal.yml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def events(tmp_path: Path, text: str) -> Path:
    """A calendar file in Berlin time holding the events of ``text``."""
    body = textwrap.indent(textwrap.dedent(text).strip(), "  ")
    return write(tmp_path, "name: Test\ntimezone: Europe/Berlin\nevents:\n" + body)


def one(tmp_path: Path, event: str):
    return read_calendar(str(events(tmp_path, event))).series[0]


def feed_walls(series) -> list[datetime | date]:
    parsed = icalendar.Calendar.from_ical(build_feed([TeamCalendar("t", "", (series,))], STAMP))
    events = recurring_ical_events.of(parsed).between(date(2000, 1, 1), date(2040, 1, 1))
    return sorted(e.decoded("DTSTART") for e in events)


def test_a_wall_time_the_clock_skips_is_read_with_the_offset_before_the_gap(
    tmp_path: Path,
) -> None:
    series = one(
        tmp_path,
        """
        - summary: Night shift
          begin: 2025-03-29 02:30:00
          duration: {minutes: 30}
          repeat: {interval: {days: 1}, until: 2025-03-31}
    """,
    )
    starts = [o.start.astimezone(UTC) for o in expand(series).meetings]
    # 02:30 on 2025-03-30 does not exist in Berlin: it is 01:30 UTC (03:30 CEST).
    assert [s.strftime("%m-%d %H:%M") for s in starts] == [
        "03-29 01:30",
        "03-30 01:30",
        "03-31 00:30",
    ]
    assert [s.astimezone(UTC) for s in feed_walls(series)] == starts


def test_a_fixed_offset_a_zone_of_its_own_and_a_whole_day(tmp_path: Path) -> None:
    path = events(
        tmp_path,
        """
        - summary: Offset
          begin: 2025-10-20 15:00:00 -07:00
          duration: {hours: 1}
          repeat: {interval: {weeks: 1}, until: 2025-11-03}
        - summary: Tokyo
          timezone: Asia/Tokyo
          begin: 2025-10-20 09:00:00
          end: 2025-10-20 09:30:00
        - summary: Holiday
          begin: 2025-12-24
          repeat: {interval: {years: 1}, until: 2027-12-24, except_on: [2026-12-24]}
    """,
    )
    offset, tokyo, holiday = read_calendar(str(path)).series
    assert offset.zone_name is None and offset.zone.utcoffset(None) == timedelta(hours=-7)
    # A fixed offset does not follow Berlin's switch on 2025-10-26: 22:00 UTC every week.
    assert {o.start.astimezone(UTC).hour for o in expand(offset).meetings} == {22}
    assert [s.astimezone(UTC) for s in feed_walls(offset)] == [
        o.start.astimezone(UTC) for o in expand(offset).meetings
    ]
    assert tokyo.zone_name == "Asia/Tokyo" and tokyo.duration == timedelta(minutes=30)
    assert holiday.all_day and [o.day for o in expand(holiday).meetings] == [
        date(2025, 12, 24),
        date(2027, 12, 24),
    ]
    assert feed_walls(holiday) == [date(2025, 12, 24), date(2027, 12, 24)]


def test_also_on_a_date_only_skip_and_an_unmatched_skip(tmp_path: Path) -> None:
    series = one(
        tmp_path,
        """
        - summary: Weekly
          begin: 2025-01-06 10:00:00
          duration: {minutes: 50}
          repeat:
            interval: {weeks: 1}
            until: 2025-01-27
            except_on: [2025-01-13, 2025-01-21 10:00:00]
            also_on: [2025-01-15 16:00:00]
    """,
    )
    result = expand(series)
    assert [o.wall for o in result.meetings] == [
        datetime(2025, 1, 6, 10),
        datetime(2025, 1, 15, 16),
        datetime(2025, 1, 20, 10),
        datetime(2025, 1, 27, 10),
    ]
    assert [o.day for o in result.skipped] == [date(2025, 1, 13)]
    assert result.unmatched == (datetime(2025, 1, 21, 10),)
    assert [s.replace(tzinfo=None) for s in feed_walls(series)] == [o.wall for o in result.meetings]


def test_links_selection_and_uids(tmp_path: Path) -> None:
    path = events(
        tmp_path,
        """
        - summary: Team Alpha Meeting
          uid: alpha@example.org
          begin: 2026-01-08 10:00:00
          duration: {minutes: 50}
          description: |
            Minutes: https://github.com/org/minutes/tree/main/alpha/
            Pad: <https://pad.example.org/alpha-2026>.
          repeat: {interval: {weeks: 2}, until: 2026-02-28}
        - summary: Team Alpha Meeting
          uid: alpha@example.org
          begin: 2026-03-05 11:00:00
          duration: {minutes: 50}
          description: "Minutes: https://github.com/org/minutes/tree/main/alpha"
          repeat: {interval: {weeks: 2}, until: 2026-06-30}
        - summary: Beta sync
          begin: 2026-01-09 10:00:00
          duration: {minutes: 50}
    """,
    )
    alpha = team_calendar(read_calendar(str(path)), "alpha")
    assert len(alpha.series) == 2
    assert alpha.pad_url(date(2026, 1, 22)) == "https://pad.example.org/alpha-2026"
    # The later series names no pad: the latest one that does is used.
    assert alpha.pad_url(date(2026, 4, 2)) == "https://pad.example.org/alpha-2026"
    beta = team_calendar(read_calendar(str(path)), "beta", event="beta SYNC")
    assert [s.summary for s in beta.series] == ["Beta sync"]
    both = build_feed([alpha, beta], STAMP)
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(both).walk("VEVENT")]
    # In order of start: alpha's first series, beta (no uid: one made from it), alpha's second.
    assert uids[0] == "alpha@example.org" and uids[2] == "alpha-20260305T1100@example.org"
    assert uids[1].endswith("@minutesbot")
    assert build_feed([alpha, beta], STAMP) == both, "the same calendar gives the same feed"
    with pytest.raises(CalendarError, match=r"cal\.yml: no event links the minutes of team gamma"):
        team_calendar(read_calendar(str(path)), "gamma")
    with pytest.raises(CalendarError, match=r"no event's summary contains 'delta'"):
        team_calendar(read_calendar(str(path)), "gamma", event="delta")


EVENT = """
name: Bad
timezone: Europe/Berlin
events:
  - summary: Weekly
    begin: 2025-01-06 10:00:00
    duration: {minutes: 50}
    repeat:
      interval: {weeks: 1}
      until: 2025-03-31
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "timezone: Europe/Berlin",
            "timezone: Europe/Berln",
            r"cal\.yml:2: unknown time zone 'Europe/Berln'",
        ),
        (
            "until: 2025-03-31",
            "until: 2024-12-31",
            r"cal\.yml:9: until 2024-12-31 is before begin 2025-01-06 10:00:00",
        ),
        ("      until: 2025-03-31\n", "", r"cal\.yml:8: a repeating event needs until"),
        ("{weeks: 1}", "{weeks: 1, days: 2}", r"cal\.yml:8: interval must name one of"),
        ("{weeks: 1}", "{fortnights: 1}", r"cal\.yml:8: interval must name one of"),
        (
            "{weeks: 1}",
            "{weeks: 0}",
            r"cal\.yml:8: interval weeks must be a whole number",
        ),
        (
            "{minutes: 50}",
            "{minutes: -5}",
            r"cal\.yml:6: duration minutes must be a number",
        ),
        (
            "    begin: 2025-01-06 10:00:00\n",
            "",
            r"cal\.yml:4: event 'Weekly' has no begin",
        ),
        (
            "begin: 2025-01-06 10:00:00",
            "begin: next monday",
            r"cal\.yml:5: begin must be a date",
        ),
        (
            "      until: 2025-03-31",
            "      until: 2025-03-31\n      exept_on: []",
            r"cal\.yml:10: unknown repeat field\(s\) exept_on",
        ),
        (
            "    duration:",
            "    locaton: here\n    duration:",
            r"cal\.yml:6: unknown event field\(s\) locaton",
        ),
        (
            "    duration:",
            "    begin: 2025-01-07 10:00:00\n    duration:",
            r"cal\.yml:6: not valid YAML: 'begin' is given twice \(also on line 5\)",
        ),
        ("{minutes: 50}", "{minutes: 50", r"cal\.yml:\d+: not valid YAML: "),
        (
            "  - summary: Weekly",
            "  - summary: [Weekly",
            r"cal\.yml:\d+: not valid YAML: ",
        ),
        ("events:", "event:", r"cal\.yml: not a yaml2ics calendar"),
    ],
)
def test_bad_calendars_are_one_line_errors(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in EVENT
    path = write(tmp_path, EVENT.replace(old, new, 1))
    with pytest.raises(CalendarError) as caught:
        read_calendar(str(path))
    text = str(caught.value)
    assert "\n" not in text
    # As messages show a path: from the working directory when beside it, else absolute.
    assert text.startswith((str(path), path.name, os.path.relpath(path)))
    assert re.search(message, text), text


def test_missing_files_and_includes(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match=r"cal\.yml:2: 'events' must be a list$"):
        read_calendar(str(write(tmp_path, "name: x\nevents: 3\n")))
    with pytest.raises(CalendarError, match=r"nothing\.yml: no such calendar file$"):
        read_calendar(str(tmp_path / "nothing.yml"))
    with pytest.raises(CalendarError, match=r"is a folder"):
        read_calendar(str(tmp_path))
    main = write(tmp_path, "name: Main\ninclude:\n  - teams/a.yml\n  - teams/b.yml\n", "main.yml")
    write(tmp_path, "timezone: UTC\nevents: []\n", "teams/a.yml")
    with pytest.raises(
        CalendarError,
        match=r"main\.yml:4: include: .*teams/b\.yml: no such calendar file",
    ):
        read_calendar(str(main))
    write(tmp_path, "include: [../main.yml]\n", "teams/b.yml")
    with pytest.raises(
        CalendarError,
        match=r"b\.yml:1: includes \.\./main\.yml, which includes this file",
    ):
        read_calendar(str(main))
    (tmp_path / "teams" / "b.yml").write_bytes(b"events: []\nname: \xff\n")
    with pytest.raises(CalendarError, match=r"b\.yml: not UTF-8 text"):
        read_calendar(str(main))
