"""The real SCS calendar (../shared/calendar/scs): every series of every file gives the
dates its YAML describes, checked two independent ways.

1. A plain loop in this test steps each series' interval on the wall clock
   from the raw YAML (read with ``yaml.safe_load``, not minutesbot's reader),
   up to the end of the ``until`` day, and leaves out ``except_on``.
2. The ICS feed minutesbot writes is parsed back with ``icalendar`` and
   expanded by ``recurring-ical-events``: same meetings, at the same UTC
   instants as the wall clock of the loop placed in the zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import yaml
from conftest import SHARED, require_shared

from minutesbot.calendar import CalendarError
from minutesbot.calendar.expand import expand
from minutesbot.calendar.feed import build_feed
from minutesbot.calendar.reader import read_calendar
from minutesbot.calendar.team import TeamCalendar, team_calendar

STAMP = datetime(2026, 5, 13, tzinfo=UTC)
# Without ../shared the list is a stand-in, so the fixture still skips (or fails under CI).
ALL_YML = sorted(
    p.relative_to(SHARED / "calendar" / "scs").as_posix()
    for p in (SHARED / "calendar" / "scs").rglob("*.yml")
) or ["(absent)"]


@pytest.fixture(scope="module")
def scs() -> Path:
    return require_shared("calendar", "scs")


def raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def is_yaml2ics(path: Path) -> bool:
    data = raw(path)
    return isinstance(data, dict) and ("events" in data or "include" in data)


def own_events(path: Path) -> list[dict]:
    """The events written in this file itself (not those it includes)."""
    return raw(path).get("events") or []


def step(begin: datetime, unit: str, count: int) -> datetime:
    if unit == "weeks":
        return begin + timedelta(weeks=count)
    assert unit == "months", f"the SCS calendar repeats by weeks or months, not {unit}"
    months = begin.month - 1 + count
    return begin.replace(year=begin.year + months // 12, month=months % 12 + 1)


def expected_walls(event: dict) -> tuple[list[datetime], list[datetime]]:
    """The wall-clock starts the YAML describes, by stepping the interval (and adding
    also_on), and the except_on entries that fall on no meeting (the calendar has a few)."""
    begin = event["begin"]
    rep = event.get("repeat")
    if not rep:
        return [begin], []
    ((unit, count),) = rep["interval"].items()
    until = rep["until"]
    last = until if isinstance(until, datetime) else datetime.combine(until, time.max)
    walls, k = [], 0
    while (wall := step(begin, unit, count * k)) <= last:
        walls.append(wall)
        k += 1
    walls = sorted(set(walls) | set(rep.get("also_on") or []))
    skipped = rep.get("except_on") or []
    return [w for w in walls if w not in skipped], [m for m in skipped if m not in walls]


def feed_starts(calendar: TeamCalendar) -> dict[str, list[datetime]]:
    """UID -> the starts recurring-ical-events finds in the feed minutesbot writes."""
    parsed = icalendar.Calendar.from_ical(build_feed([calendar], STAMP))
    found: dict[str, list[datetime]] = {}
    for event in recurring_ical_events.of(parsed).between(date(2015, 1, 1), date(2035, 1, 1)):
        found.setdefault(str(event["UID"]), []).append(event.decoded("DTSTART"))
    return {uid: sorted(starts) for uid, starts in found.items()}


@pytest.mark.parametrize("name", ALL_YML)
def test_every_series_gives_the_dates_its_yaml_describes(scs: Path, name: str) -> None:
    path = scs / name
    if not is_yaml2ics(path):
        # communitycall-data.yml feeds another generator; it is refused in one line.
        with pytest.raises(
            CalendarError, match=r"^.*communitycall-data\.yml: not a yaml2ics calendar"
        ):
            read_calendar(str(path))
        return
    events = own_events(path)
    calendar = read_calendar(str(path))
    # The events of the file itself, not of those it includes.
    series = [s for s in calendar.series if s.where.rsplit(":", 1)[0] == calendar.files[0]]
    assert [s.summary for s in series] == [e["summary"] for e in events]
    for event, one in zip(events, series, strict=True):
        zone = ZoneInfo(event.get("timezone") or raw(path)["timezone"])
        walls, unmatched = expected_walls(event)
        assert [o.wall for o in expand(one).meetings] == walls, one.where
        assert list(expand(one).unmatched) == unmatched, one.where
        assert [o.start.astimezone(UTC) for o in expand(one).meetings] == [
            w.replace(tzinfo=zone).astimezone(UTC) for w in walls
        ], one.where


@pytest.mark.parametrize("name", [n for n in ALL_YML if n != "communitycall-data.yml"])
def test_the_feed_expanded_by_recurring_ical_events_gives_the_same_meetings(
    scs: Path, name: str
) -> None:
    calendar = read_calendar(str(scs / name))
    if not calendar.series:
        return
    everything = TeamCalendar("all", calendar.files[0], calendar.series)
    found = feed_starts(everything)
    assert len(found) == len(calendar.series), "one UID per series"
    by_start = {
        tuple((s.replace(tzinfo=None), s.astimezone(UTC)) for s in starts)
        for starts in found.values()
    }
    for one in calendar.series:
        # The same wall-clock times (which the week-stepping test checks against the YAML)
        # at the same UTC instants: the offset moves at a DST switch, the wall clock does not.
        mine = tuple((o.wall, o.start.astimezone(UTC)) for o in expand(one).meetings)
        assert mine in by_start, one.where


def test_a_dst_switch_keeps_the_wall_clock_and_moves_utc(scs: Path) -> None:
    container = team_calendar(read_calendar(str(scs / "container.yml")), "container")
    starts = [s for starts in feed_starts(container).values() for s in starts]
    berlin = {s.date(): s for s in starts}
    # The clocks went forward on 2025-03-30 and back on 2025-10-26.
    for before, after in (
        (date(2025, 3, 21), date(2025, 4, 4)),
        (date(2025, 10, 17), date(2025, 10, 31)),
    ):
        a, b = berlin[before], berlin[after]
        assert (a.hour, a.minute) == (b.hour, b.minute) == (9, 5)
        assert a.utcoffset() != b.utcoffset()
        assert {a.utcoffset(), b.utcoffset()} == {
            timedelta(hours=1),
            timedelta(hours=2),
        }
    assert berlin[date(2025, 3, 21)].astimezone(UTC).hour == 8
    assert berlin[date(2025, 4, 4)].astimezone(UTC).hour == 7


def test_a_meeting_on_the_until_day_is_kept(scs: Path) -> None:
    ops = team_calendar(read_calendar(str(scs / "ops_sec_iam.yml")), "ops")
    days = {o.day for o in ops.meetings()}
    assert {date(2025, 12, 19), date(2026, 3, 16)} <= days
    feed_days = {s.date() for starts in feed_starts(ops).values() for s in starts}
    assert {date(2025, 12, 19), date(2026, 3, 16)} <= feed_days


def test_next_meeting_skipped_dates_and_pad(scs: Path) -> None:
    container = team_calendar(read_calendar(str(scs / "main.yml")), "container")
    nxt = container.next_meeting(date(2026, 4, 18))
    assert nxt is not None and nxt.describe() == "2026-05-15 09:05 CEST (07:05 UTC)"
    assert [o.day for o in container.skipped() if o.day.year == 2026] == [
        date(2026, 4, 3),
        date(2026, 5, 1),
    ]
    assert container.is_skipped(date(2026, 5, 1))
    assert container.pad_url(date(2026, 5, 15)) == "https://input.scs.community/scs-team-container"
    assert (
        container.pad_url(date(2025, 6, 6)) == "https://input.scs.community/2025-scs-team-container"
    )
    sig = team_calendar(read_calendar(str(scs / "main.yml")), "sig-standardization")
    # 2026-05-21 is except_on (SCS Summit): the next one after it is two weeks later.
    assert sig.next_meeting(date(2026, 5, 8)).day == date(2026, 6, 4)
    assert sig.next_meeting(date(2027, 1, 1)) is None


def test_the_corpus_minutes_fall_on_calendar_meetings(scs: Path, corpus_minutes: Path) -> None:
    """The team's minutes files inside the span of its series are (nearly all) on a calendar
    meeting, and none is on a day the calendar skips; the until day counts as a meeting."""
    series = []
    for name in ("main.yml", *[n for n in ALL_YML if n.startswith("archive/")]):
        series += read_calendar(str(scs / name)).series
    checked = hits = 0
    until_days = []
    for team in ("container", "iaas", "sig-standardization"):
        mine = TeamCalendar(team, "", tuple(s for s in series if s.minutes_folder == team))
        spans = [(s.begin.date(), (s.until or s.begin.date())) for s in mine.series]
        meetings = {o.day for o in mine.meetings()}
        until_days += [(team, s.until) for s in mine.series if s.until in meetings]
        for path in (corpus_minutes / team).glob("20??????.md"):
            day = date(int(path.stem[:4]), int(path.stem[4:6]), int(path.stem[6:]))
            if not any(a <= day <= b for a, b in spans):
                continue
            checked += 1
            hits += day in meetings
            assert not mine.is_skipped(day), f"{team}/{path.name} is on a date the calendar skips"
    assert checked > 200
    assert hits >= 0.95 * checked, f"{hits} of {checked} minutes on calendar meetings"
    # Where a series has a meeting on its until day, the team met: until is inclusive.
    assert len(until_days) >= 5
    for team, day in until_days:
        assert (corpus_minutes / team / f"{day:%Y%m%d}.md").is_file(), (team, day)
