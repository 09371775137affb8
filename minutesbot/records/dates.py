"""Meeting dates written the ways people write them."""

from __future__ import annotations

import re
from datetime import UTC, date

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
]
_FILE_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def _make(parts: dict[str, str]) -> date | None:
    month = parts["m"]
    number = int(month) if month.isdigit() else MONTHS.get(month.lower())
    try:
        return date(int(parts["y"]), number or 0, int(parts["d"]))
    except ValueError:
        return None


def dates_in_text(text: str) -> list[tuple[int, int, date]]:
    """Every real calendar date written in ``text``: (start, end, date), in reading order.

    Where two ways of writing overlap, the one starting first wins, then the
    one listed first in ``_PATTERNS``.
    """
    candidates = sorted(
        (m.start(), rank, m.end(), day)
        for rank, (pattern, order) in enumerate(_PATTERNS)
        for m in pattern.finditer(text)
        if (day := _make(dict(zip(order, m.groups(), strict=True)))) is not None
    )
    found: list[tuple[int, int, date]] = []
    for start, _rank, end, day in candidates:
        if not found or start >= found[-1][1]:
            found.append((start, end, day))
    return found


def date_in_text(text: str) -> date | None:
    """The first real calendar date written in ``text``, or None."""
    found = dates_in_text(text)
    return found[0][2] if found else None


def date_in_filename(name: str) -> date | None:
    """``20240418.md`` or ``2024-04-18-notes.md``: the date the name starts with."""
    m = _FILE_DATE.match(name)
    if not m:
        return None
    return _make({"y": m.group(1), "m": m.group(2), "d": m.group(3)})


def still_to_come(meeting: date | str | None, today: date | None = None) -> bool:
    """Whether a file is dated after today: the agenda of a meeting not yet held.

    A day of slack, so that no time zone makes today's minutes look early.
    """
    if meeting is None:
        return False
    if isinstance(meeting, str):
        try:
            meeting = date.fromisoformat(meeting)
        except ValueError:
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
    if day is None or named is None:
        return None
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return None
    return named if abs((day - named).days) > NAME_SLACK_DAYS else None
