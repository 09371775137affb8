"""One meeting out of a pad that holds many.

A team's pad collects its meetings one after the other, newest first or
newest last, each under a heading that names its date. The rules, in order:

1. **A meeting heading** is a heading (ATX or setext, read by markdown-it-py
   as the parser reads minutes) whose date stands at its start or at its
   end: ``# 2024-05-16``, ``## 2022-08-01 IaaS layout discussion``,
   ``## Cluster Stacks Meeting - 2025-01-28``. Weekday names, emoji
   shortcodes (``:calendar:``) and bracketed remarks beside the date do not
   count as words. A date inside brackets or amid words names something else
   (``### R7 (2024-09-04) RCs``, ``### Moved to 2025-10-31 meeting``): such
   a heading is part of the meeting above it. Dates are read as
   :mod:`minutesbot.dates` reads them (``2024-05-16``, ``16.05.2024``,
   ``May 16, 2024``...).
2. **A meeting runs** from its heading to the next heading that is either a
   meeting heading of another date (at any level: pads mix ``#`` and ``##``
   meetings when the template changed) or a heading above the meeting's own
   level (the pad's title or an appendix). Headings of its own level without
   a date are its sections (``# SCS Team Container R4 Retro``).
3. **Its end** leaves out blank lines and separator lines (``---``, ``***``,
   ``___`` after a blank line) before the next meeting.
4. The meeting of a date is the one meeting heading of that date that is not
   inside another meeting of the same date. None is an error; two are an
   error too (the pad would give one of two meetings, or a neighbour's
   lines, by chance).

Lines before the first meeting (the pad's title, links, a template) belong
to no meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from minutesbot.pads.transport import PadError
from minutesbot.records.dates import WEEKDAY, dates_in_text
from minutesbot.records.document import read_document

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:", re.I)
_WORD = re.compile(r"[^\W_]")
_SEPARATOR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


@dataclass(frozen=True)
class Meeting:
    """One meeting of a pad: its date, heading level and lines ``[start, end)`` (0-based)."""

    day: date
    level: int
    start: int
    end: int
    title: str


def _wordless(side: str) -> bool:
    """Whether one side of a heading's date holds no word of its own."""
    side = WEEKDAY.sub(" ", _SHORTCODE.sub(" ", _BRACKETED.sub(" ", side)))
    return _WORD.search(side) is None


def meeting_day(heading: str) -> date | None:
    """The date a heading names as its meeting's (rule 1), or None."""
    for start, end, day in dates_in_text(heading):
        before, after = heading[:start], heading[end:]
        if before.rstrip().endswith(("(", "[")) and after.lstrip().startswith((")", "]")):
            continue
        if _wordless(before) or _wordless(after):
            return day
    return None


def _trimmed_end(lines: list[str], start: int, stop: int) -> int:
    """``stop`` moved back over blank lines and separators (rule 3)."""
    end = stop
    while end > start + 1:
        last = lines[end - 1]
        if not last.strip():
            end -= 1
        elif _SEPARATOR.match(last) and (end - 2 <= start or not lines[end - 2].strip()):
            end -= 1
        else:
            break
    return end


def meetings(text: str) -> list[Meeting]:
    """Every meeting of the pad, in the pad's order."""
    lines = text.split("\n")
    headings = [
        (h.level, h.line - 1, h.text, meeting_day(h.text)) for h in read_document(text).headings
    ]
    found = []
    for index, (level, line, title, day) in enumerate(headings):
        if day is None:
            continue
        stop = len(lines)
        for other_level, other_line, _title, other_day in headings[index + 1 :]:
            if other_level < level or (
                other_day is not None and (other_day != day or other_level <= level)
            ):
                stop = other_line
                break
        found.append(Meeting(day, level, line, _trimmed_end(lines, line, stop), title))
    return found


def find_meeting(found: list[Meeting], day: date, where: str) -> Meeting:
    """The meeting of ``day`` (rule 4); PadError naming ``where`` when there is none or two."""
    same = [m for m in found if m.day == day]
    outer = [m for m in same if not any(o is not m and o.start < m.start < o.end for o in same)]
    if not outer:
        near = sorted({m.day for m in found}, key=lambda d: abs(d.toordinal() - day.toordinal()))
        listed = ", ".join(d.isoformat() for d in sorted(near[:4]))
        raise PadError(
            f"{where}: no meeting headed {day.isoformat()} in the pad ("
            + (f"nearest: {listed})" if listed else "it has no dated meeting headings)"),
            "no-meeting",
        )
    if len(outer) > 1:
        raise PadError(
            f"{where}: {len(outer)} meetings are headed {day.isoformat()} (lines "
            + ", ".join(str(m.start + 1) for m in outer)
            + "); keep one",
            "no-meeting",
        )
    return outer[0]


def cut_meeting(text: str, day: date, where: str = "pad") -> str:
    """The lines of the meeting of ``day``, as written in the pad, ending in a newline."""
    meeting = find_meeting(meetings(text), day, where)
    return "\n".join(text.split("\n")[meeting.start : meeting.end]) + "\n"


def newest_first(found: list[Meeting]) -> bool | None:
    """Whether the pad adds meetings at the top (True), the bottom (False), or cannot tell."""
    steps = list(pairwise(m.day for m in found))
    later = sum(b > a for a, b in steps)
    earlier = sum(b < a for a, b in steps)
    return None if later == earlier else earlier > later
