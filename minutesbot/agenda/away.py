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
from datetime import date, timedelta

from minutesbot.agenda.model import Away, origin_of
from minutesbot.records.dates import Span, dates_after
from minutesbot.records.record import Record
from minutesbot.records.vocabulary import HANDLE, NEXT_MEETING

ABSENCE_HORIZON = 120  # days: older absence notes are not read for the new date

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
    (re.compile(NEXT_MEETING, re.I), (1, 1)),
]
_NUMBERS = {"two": 2, "2": 2, "three": 3, "3": 3}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks_after(said_on: date, first: int, last: int) -> Span:
    """Calendar weeks ``first``..``last`` after the week of ``said_on`` (1 = next week)."""
    monday = _monday(said_on)
    return monday + timedelta(weeks=first), monday + timedelta(weeks=last, days=6)


def absence_spans(text: str, said_on: date) -> list[Span]:
    """The days, as inclusive ranges, that an absence note said on ``said_on`` covers."""
    spans: list[Span] = []
    start: date | None = None
    for position, _end, (first, last) in dates_after(text, said_on):
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
