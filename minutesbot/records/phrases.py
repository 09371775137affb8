"""What one line of housekeeping says: people, a chore and who has it, nobody.

The outline asks these to tell a housekeeping section from a topic that
merely names a chore or the participants (its body names people, or it
discusses something); the people extractor asks them to read who attended
and who did which chore.
"""

from __future__ import annotations

import re

from minutesbot.records.document import Entry
from minutesbot.records.vocabulary import (
    CHORE,
    CHORE_HINTS,
    CHORE_WORDS,
    DURATION,
    FOR_LATER,
    HANDLE,
    NAME,
    NOBODY,
    OTHER_CHORES,
    PARTICIPANTS_LINE,
    PEOPLE_SEPARATOR,
    PLACEHOLDER,
    WORD,
    handles,
    strip_lead,
)

# A parenthesis with the spaces before it (tried where a run of spaces starts).
_PARENTHESIS = re.compile(r"(?<!\s)\s*+\([^()]*+\)")

# Where a chore line's question or label ends: "Who takes the minutes?", "Minutes: @x".
LABEL_END = re.compile(r"[?:]")


def names_line(text: str) -> bool:
    """A line of a participants section that names people and says nothing else."""
    parts = [part.strip() for part in PEOPLE_SEPARATOR.split(text) if part.strip()]
    return bool(parts) and all(
        (HANDLE.search(part) and len(part.split()) <= 4) or NAME.match(part) for part in parts
    )


def no_later(text: str) -> str:
    """The text without parentheses about a later meeting (``@fkr (next week: @x)``)."""
    if "(" not in text:
        return text
    return _PARENTHESIS.sub(lambda m: " " if FOR_LATER.search(m.group(0)) else m.group(0), text)


def split_label(text: str) -> tuple[str, str]:
    """``Responsible for the minutes: @x`` -> label and value.

    A question followed by another that names a chore is one label: ``Who
    transfers the minutes? Who reports in the community call?``.
    """
    m = LABEL_END.search(text)
    if not m:
        found = HANDLE.search(text)
        if found:
            return text, text
        return text, ""
    label, value = text[: m.start()], text[m.end() :].lstrip("?: ")
    more = LABEL_END.search(value)
    if more and about_a_chore(value[: more.start()]) and not HANDLE.search(value[: more.start()]):
        rest, value = split_label(value)
        label = f"{label} {rest}"
    return label, value


def role_value(value: str) -> list[str] | None:
    """The people a chore line names: handles, a name as written, nobody ([]), or None."""
    value = strip_lead(value).strip()
    if not value:
        return None
    found = handles(value)
    if found:
        return found
    if NOBODY.match(value):
        return []
    # A question, a sentence about a chore, a link ("Minutes: https://..."): nobody named.
    if "?" in value or "://" in value or about_a_chore(value):
        return None
    words = value.strip(" .,;:!")
    if re.search(r"[A-Za-z]", words) and len(words.split()) <= 3:
        return [words.lower()]
    return None


def about_a_chore(text: str) -> bool:
    """``CHORE.search``, skipped on the many lines that hold none of the words it needs
    (lower-cased: their letters fold to no other letter in re's case-insensitive match,
    as "i" does to "ı"): it costs microseconds a line."""
    lowered = text.lower()
    return any(hint in lowered for hint in CHORE_HINTS) and bool(CHORE.search(text))


def without_durations(text: str) -> str:
    """``text`` with its durations ("a few minutes") blanked: no chore is named there."""
    # Every duration holds "minute" in some case, and "nute" lowers from nothing else.
    return DURATION.sub(" ", text) if "nute" in text.lower() else text


def chore_label(text: str, named: bool = False) -> bool:
    """A line that names a chore before a colon or question mark (``Minutes: @x``);
    with ``named``, and people or nobody after it, not a sentence (``Report: it works``)."""
    if ":" not in text and "?" not in text:
        return False
    label, value = LABEL_END.split(text, maxsplit=1)
    if label.count("(") > label.count(")"):
        return False  # the colon is inside a parenthesis: "... the minutes (AI: POs)"
    head = without_durations(label)
    chore = bool(
        about_a_chore(head)
        or any(p.match(text) for p in OTHER_CHORES.values())
        or CHORE_WORDS.intersection(WORD.findall(head.lower()))
    )
    return chore and (not named or role_value(no_later(value)) is not None)


_SEGMENT_SEPARATOR = re.compile(r"(?<!\s)\s*+[,;|]\s*+|(?<=\S)\s++/\s++")


def chore_segments(text: str) -> list[str]:
    """A line naming several chores cut into one part each: ``Moderation: @a, Minutes:
    @b`` -> ``Moderation: @a``, ``Minutes: @b`` (a part without a label of its own
    stays with the one before it: ``Minutes: @a, @b``)."""
    if text.count(":") < 2:
        return [text]
    parts = _SEGMENT_SEPARATOR.split(text)
    if sum(chore_label(part, named=True) for part in parts) < 2:
        return [text]
    out: list[str] = []
    for part in parts:
        if out and not chore_label(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def people_like(entry: Entry) -> bool:
    """An entry a participants or chores section holds: people, a chore line, nobody."""
    text = strip_lead(entry.text)
    if chore_label(text) or PARTICIPANTS_LINE.match(text) or PLACEHOLDER.match(text):
        return True
    plain = _PARENTHESIS.sub(" ", text).strip()
    if NOBODY.match(plain) or names_line(plain) or HANDLE.match(plain):
        return True
    return bool(HANDLE.search(plain)) and len(HANDLE.sub(" ", plain).split()) <= 4
