"""Which days an absence note covers, read relative to the meeting it was written in.

Minutes say "@x won't be available next week", "on vacation until
2024-05-03", "on PTO between April 3rd and April 11th", "from the 15th on
(back on the 7th of August)", "in CW28 and CW29", "Oct 17: is not
available". Each date is read in the light of the meeting it was said in: a
date without a year is the next such date after that meeting, "next week"
is the calendar week after it. A note with nothing in it that points ahead
("not present today") covers no later day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from minutesbot.agenda.model import Away, origin_of
from minutesbot.records.dates import MONTHS
from minutesbot.records.record import Record
from minutesbot.records.vocabulary import HANDLE

Span = tuple[date, date]
ABSENCE_HORIZON = 120  # days: older absence notes are not read for the new date

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_DATE_TOKENS = [
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})?(?![\d])")),
    ("md", re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}){_ORD}\b(?:,?\s+(\d{{4}}))?", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}}){_ORD}(?:\s+of)?\s+({_MONTH})\b\.?(?:\s+(\d{{4}}))?", re.I)),
    ("d", re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I)),
    ("cw", re.compile(r"\b(?:CW|KW|cwk|week)\s*(\d{1,2})\b", re.I)),
]
_UNTIL_WORDS = re.compile(r"(?:until|till|til|through|thru|up to)\s*$", re.I)
# These close a range only after a start ("between A and B", "from A to B").
_END_WORDS = re.compile(r"(?:to|and|-|–)\s*$", re.I)
_BACK_WORDS = re.compile(r"(?:back|returning|return)\s+(?:(?:on|at|in)\s*)?$", re.I)
_START_WORDS = re.compile(r"(?:from|between|since|starting|as of)\s*$", re.I)
_RELATIVE = [
    (re.compile(r"\bnext (?:couple|few)(?: of)? weeks\b", re.I), (1, 3)),
    (re.compile(r"\bnext (two|2|three|3) weeks\b", re.I), None),
    (re.compile(r"\bin (?:two|2) weeks\b", re.I), (2, 2)),
    (re.compile(r"\bin (?:three|3) weeks\b", re.I), (3, 3)),
    (re.compile(r"\bnext (?:week|meeting|call|time)\b", re.I), (1, 1)),
]
_NUMBERS = {"two": 2, "2": 2, "three": 3, "3": 3}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks_after(said_on: date, first: int, last: int) -> Span:
    """Calendar weeks ``first``..``last`` after the week of ``said_on`` (1 = next week)."""
    monday = _monday(said_on)
    return monday + timedelta(weeks=first), monday + timedelta(weeks=last, days=6)


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


def _tokens(text: str, said_on: date) -> list[tuple[int, int, Span]]:
    """Date tokens in order of position, overlapping weaker matches dropped."""
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


def absence_spans(text: str, said_on: date) -> list[Span]:
    """The days, as inclusive ranges, that an absence note said on ``said_on`` covers."""
    spans: list[Span] = []
    start: date | None = None
    for position, _end, (first, last) in _tokens(text, said_on):
        before = re.sub(r"\bthe\s*$", "", text[:position], flags=re.I)
        if _START_WORDS.search(before):
            if start is not None:
                spans.append((start, start + timedelta(days=13)))
            start = first
        elif (
            _BACK_WORDS.search(before)
            or _UNTIL_WORDS.search(before)
            or (start is not None and _END_WORDS.search(before))
        ):
            back = bool(_BACK_WORDS.search(before))
            end = first - timedelta(days=1) if back else last
            begin = start or said_on + timedelta(days=1)
            if begin <= end:
                spans.append((begin, end))
            start = None
        else:
            spans.append((first, last))
    if start is not None:
        # "from the 15th on": open-ended; two weeks is the usual length of such a break.
        spans.append((start, start + timedelta(days=13)))
    for pattern, weeks in _RELATIVE:
        m = pattern.search(text)
        if not m:
            continue
        if weeks is None:
            weeks = (1, _NUMBERS[m.group(1).lower()])
        spans.append(_weeks_after(said_on, *weeks))
        break
    return spans


def span_covering(text: str, said_on: date, day: date) -> Span | None:
    """The span of a note said on ``said_on`` that puts its person away on ``day``, if any."""
    if day <= said_on:
        return None
    return next(((a, b) for a, b in absence_spans(text, said_on) if a <= day <= b), None)


def away_on_day(records: list[Record], day: date, team: str) -> list[Away]:
    """Absence notes of earlier meetings that cover ``day``."""
    found: list[Away] = []
    for record in records:
        said_on = date.fromisoformat(record.date or "")
        if not 0 < (day - said_on).days <= ABSENCE_HORIZON:
            continue
        for absence in record.absences:
            span = span_covering(absence.text, said_on, day) if absence.who else None
            if span is None or not absence.who:
                continue
            handle = bool(HANDLE.fullmatch("@" + absence.who))
            who = absence.who.lower() if handle else absence.who
            found = [a for a in found if a.who != who]
            found.append(
                Away(
                    who,
                    handle,
                    span[0],
                    span[1],
                    absence.text,
                    origin_of(record, absence.line, team),
                )
            )
    return found
