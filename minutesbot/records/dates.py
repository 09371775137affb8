"""Meeting dates written the ways people write them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "januar", "jänner"),
            ("february", "feb", "februar"),
            ("march", "mar", "märz", "maerz"),
            ("april", "apr"),
            ("may", "mai"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov"),
            ("december", "dec", "dezember", "dez"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# Weekday names written beside a date (English and German, whole or cut short).
WEEKDAY = re.compile(
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag"
    r"|mittwoch|donnerstag|freitag|samstag|sonntag|mo|di|mi|do|fr|sa|so)\b\.?",
    re.I,
)
_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)"), ("d", "m", "y")),
    (
        re.compile(
            rf"(?<![\w])({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I
        ),
        ("m", "d", "y"),
    ),
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+({_MONTH})\.?,?\s+(\d{{4}})(?!\d)", re.I
        ),
        ("d", "m", "y"),
    ),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), ("y", "m", "d")),
    # 02.05.24 (German, short year) and 02/05/2024 (day first, as in Europe; a title whose
    # day and month are the file name's swapped is read as the file name has it).
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?![\d.])"), ("d", "m", "yy")),
    (re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"), ("d", "m", "y")),
]
# Where _PATTERNS has the dates written with numbers, day first: 02.05.2024, 02.05.24,
# 02/05/2024 (a month name or a year first leaves no doubt about the order).
_DAY_FIRST = frozenset({1, 5, 6})
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


def _make(parts: dict[str, str]) -> date | None:
    month = parts["m"]
    number = int(month) if month.isdigit() else MONTHS.get(month.lower())
    year = int(parts["y"]) if "y" in parts else 2000 + int(parts["yy"])
    try:
        return date(year, number or 0, int(parts["d"]))
    except ValueError:
        return None


def dates_in_text(text: str) -> list[tuple[int, int, date]]:
    """Every real calendar date written in ``text``: (start, end, date), in reading order.

    Where two ways of writing overlap, the one starting first wins, then the
    one listed first in ``_PATTERNS``.
    """
    return [(start, end, day) for start, end, day, _rank in _dates(text)]


def _dates(text: str) -> list[tuple[int, int, date, int]]:
    """As dates_in_text, with the rank in ``_PATTERNS`` of the way each is written."""
    candidates = sorted(
        (m.start(), rank, m.end(), day)
        for rank, (pattern, order) in enumerate(_PATTERNS)
        for m in pattern.finditer(text)
        if (day := _make(dict(zip(order, m.groups(), strict=True)))) is not None
    )
    found: list[tuple[int, int, date, int]] = []
    for start, rank, end, day in candidates:
        if not found or start >= found[-1][1]:
            found.append((start, end, day, rank))
    return found


def date_in_text(text: str) -> date | None:
    """The first real calendar date written in ``text``, or None."""
    found = _dates(text)
    return found[0][2] if found else None


def written_day_first(text: str) -> bool:
    """Whether the first date in ``text`` is written with numbers, day first (``05/02/2024``,
    ``05.02.24``): a writer used to month first may have swapped them. ISO dates
    (``2023-08-07``) and month names are never read the other way round."""
    found = _dates(text)
    return bool(found) and found[0][3] in _DAY_FIRST


def date_in_filename(name: str) -> date | None:
    """The date in a file name: ``20240418.md``, ``2024-04-18-notes.md``,
    ``team-2024_04_18.md``, ``18.04.2024.md``; the first real one."""
    for m in _FILE_DATE.finditer(name):
        day = _make({"y": m.group(1), "m": m.group(2), "d": m.group(3)})
        if day:
            return day
    return date_in_text(name.rsplit(".", 1)[0] if name.endswith(".md") else name)


def swapped(day: date, other: date) -> bool:
    """Whether ``day`` is ``other`` with day and month swapped (05/02 for 02/05)."""
    return day != other and (day.year, day.day, day.month) == (
        other.year,
        other.month,
        other.day,
    )


def as_date(value: date | str | None) -> date | None:
    """A date, or an ISO date string read as one; None for anything else."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value


def still_to_come(meeting: date | str | None, today: date | None = None) -> bool:
    """Whether a file is dated after today: the agenda of a meeting not yet held.

    A day of slack, so that no time zone makes today's minutes look early.
    """
    meeting = as_date(meeting)
    if meeting is None:
        return False
    if today is None:
        from datetime import datetime

        today = datetime.now(UTC).date()
    return meeting.toordinal() > today.toordinal() + 1


# A title date this far from the file name's is a typo in one of them (2014 for 2024).
NAME_SLACK_DAYS = 14


def far_from_name(day: date | str | None, name: str) -> date | None:
    """The file name's date when ``day`` (the title's) is more than two weeks from it."""
    named = date_in_filename(name)
    day = as_date(day)
    if day is None or named is None:
        return None
    return named if abs((day - named).days) > NAME_SLACK_DAYS else None


def held_on(day: str | None, source: str) -> str | None:
    """The day (ISO) the meeting of the file ``source`` (a path: its name counts, not its
    folders') counts as held on: its title's ``day``, or the file name's where the title's
    is far from it (see :func:`far_from_name`)."""
    named = far_from_name(day, source.rpartition("/")[2])
    return named.isoformat() if named else day


# -- dates said relative to a day (absence notes) ----------------------------------------
Span = tuple[date, date]
_ORD = r"(?:st|nd|rd|th)?"
_DATE_TOKENS = [
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})?(?![\d])")),
    ("md", re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}){_ORD}\b(?:,?\s+(\d{{4}}))?", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}}){_ORD}(?:\s+of)?\s+({_MONTH})\b\.?(?:\s+(\d{{4}}))?", re.I)),
    ("d", re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I)),
    ("cw", re.compile(r"\b(?:CW|KW|cwk|week)\s*(\d{1,2})\b", re.I)),
]


def _ahead(build: Callable[[int], date | None], year: int, said_on: date) -> date | None:
    """The date in ``year``, or the year after when that is long before the note."""
    found = build(year)
    if found is not None and found < said_on - timedelta(days=7):
        found = build(year + 1)
    return found


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _token_date(kind: str, groups: tuple[str | None, ...], said_on: date) -> Span | None:
    """The day (or ISO week) a date token names."""
    if kind == "ymd":
        day = _safe(int(groups[0] or 0), int(groups[1] or 0), int(groups[2] or 0))
    elif kind == "dmy":
        d, m, y = int(groups[0] or 0), int(groups[1] or 0), groups[2]
        day = (
            _safe(int(y), m, d) if y else _ahead(lambda yr: _safe(yr, m, d), said_on.year, said_on)
        )
    elif kind in ("md", "dm"):
        month_text, day_text = (groups[0], groups[1]) if kind == "md" else (groups[1], groups[0])
        m, d = MONTHS[(month_text or "").lower()], int(day_text or 0)
        y = groups[2]
        day = (
            _safe(int(y), m, d) if y else _ahead(lambda yr: _safe(yr, m, d), said_on.year, said_on)
        )
    elif kind == "d":
        d = int(groups[0] or 0)
        day = _safe(said_on.year, said_on.month, d)
        if day is not None and day < said_on:
            following = said_on.replace(day=1) + timedelta(days=32)
            day = _safe(following.year, following.month, d)
    else:
        week = int(groups[0] or 0)
        if not 1 <= week <= 53:
            return None
        year = said_on.year if week >= said_on.isocalendar()[1] - 4 else said_on.year + 1
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return monday, monday + timedelta(days=6)
    return (day, day) if day else None


def dates_after(text: str, said_on: date) -> list[tuple[int, int, Span]]:
    """The dates a note written on ``said_on`` names, as (start, end, span), in order.

    A date without a year is the next such date after ``said_on`` (a week of
    slack), "the 15th" the next 15th, "CW28" that ISO week; where two ways of
    writing overlap, the one listed first wins.
    """
    found: list[tuple[int, int, Span]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_TOKENS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            span = _token_date(kind, m.groups(), said_on)
            if span:
                found.append((m.start(), m.end(), span))
                taken.append((m.start(), m.end()))
    return sorted(found)
