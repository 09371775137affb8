"""People in the minutes: who attended, who did this meeting's chores, who is away."""

from __future__ import annotations

import re
from collections.abc import Iterator

from minutesbot.records.document import Entry, Line
from minutesbot.records.outline import ITEM, Outline
from minutesbot.records.phrases import (
    LABEL_END,
    about_a_chore,
    chore_label,
    chore_segments,
    names_line,
    no_later,
    role_value,
    split_label,
    without_durations,
)
from minutesbot.records.record import Absence, Person
from minutesbot.records.vocabulary import (
    ABSENCE,
    ABSENCE_HINTS,
    FOR_LATER,
    HANDLE,
    MINUTES,
    NAMED_ABSENT,
    NOTES_LABEL,
    OTHER_CHORES,
    PARTICIPANTS_HEADING,
    PARTICIPANTS_LINE,
    PEOPLE_SEPARATOR,
    PLACEHOLDER,
    REPORT,
    ROLE_WORDS,
    handles,
    strip_lead,
)


# -- participants ------------------------------------------------------------------
def extract_participants(outline: Outline) -> list[Person]:
    """The people of participants sections, and of ``Participants: ...`` lines before
    the first item; each once."""
    doc = outline.document
    people: list[Person] = []
    for index, words in enumerate(outline.words):
        if PARTICIPANTS_HEADING.search(words) and outline.kinds[index] != ITEM:
            section = outline.sections.get(index, [])
            listed = [e for e in section if e.is_item]
            # A table of attendees: a row each, the person in its first column.
            rows = [e for e in section if e.cell == 0 and not e.header]
            if listed:
                top = min(e.depth for e in listed)
                chosen = [e for e in listed if e.depth == top]
            elif rows:
                chosen = rows
            else:
                chosen = [e for e in section if all(names_line(ln.text) for ln in e.lines)]
            for entry in chosen:
                people += _people(entry)
    for entry in doc.entries:
        if entry.line >= outline.first_item_line or not entry.lines:
            continue
        m = PARTICIPANTS_LINE.match(strip_lead(entry.lines[0].text))
        if not m:
            continue
        if m.group(2).strip():
            for part in re.split(r"[,;]", m.group(2)):
                people += _person(part)
        else:
            for child in entry.children or outline.next_list(entry):
                people += _people(child)
    seen = set()
    found = []
    for person in people:
        if person.key and person.key not in seen:
            seen.add(person.key)
            found.append(person)
    return found


def _people(entry: Entry) -> list[Person]:
    """The people of a list entry (its first line), or of each line of a paragraph."""
    found: list[Person] = []
    for line in entry.lines[:1] if entry.is_item else entry.lines:
        if line.struck:
            continue
        parts = (
            PEOPLE_SEPARATOR.split(line.text)
            if line.text.count("@") > 1 or not entry.is_item
            else [line.text]
        )
        for part in parts:
            found += _person(part)
    return found


# Compiled once: _person runs for every line of a participants list.
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LAST_PARENTHESIS = re.compile(r"(?<!\s)\s*\([^()]*\)\s*$")
_LETTER = re.compile(r"[^\W\d_]")


def _person(text: str) -> list[Person]:
    text = text.strip()
    if PLACEHOLDER.match(text) or "add yourself" in text.lower():
        return []
    who = list(HANDLE.finditer(text))
    if who:
        first = who[0]
        before = text[: first.start()].strip(" (,-–:")
        name = before if _ASCII_LETTER.search(before) and len(who) == 1 else None
        return [Person(m.group(1).lower(), name) for m in who]
    name = _LAST_PARENTHESIS.sub("", text).strip(" .,;:")
    if not _LETTER.search(name) or len(name.split()) > 5:
        return []
    return [Person(None, name)]


# -- chores ------------------------------------------------------------------------
def extract_roles(outline: Outline) -> dict[str, list[str]]:
    """Who did this meeting's chores: chore lines in housekeeping (or before the first
    item), then headings that name a chore over the names below them."""
    roles: dict[str, dict[str, None]] = {}  # each chore's people, in order, once
    role_headings: set[int] = set()
    entries = outline.document.entries
    in_meta = {index: outline.in_meta(index) for index in {e.heading for e in entries}}
    for entry_index, entry in enumerate(entries):
        if in_meta[entry.heading] or entry.line < outline.first_item_line:
            if _chore_lines(outline, entry_index, roles):
                role_headings.add(entry.heading)
    # The title ("# Minutes 2022-08-25") names the file, not a chore.
    for index, words in enumerate(outline.words[1:], start=1):
        words = without_durations(words)
        if not outline.meta[index] or index in role_headings or FOR_LATER.search(words):
            continue
        keys = [key for key, pattern in _HEADING_CHORES.items() if pattern.search(words)]
        if not keys or PARTICIPANTS_HEADING.search(words):
            continue
        if re.search(r"housekeeping|recurring|organi[sz]ational", words, re.I):
            continue
        # "## Minutes" over "- @x", "## Minutes: @x": the people below or in the heading.
        body = outline.sections.get(index, [])
        names = handles(words) + [n for e in body for n in (role_value(no_later(e.text)) or [])]
        for key in keys:
            _add_role(roles, key, names)
    return {key: list(names) for key, names in roles.items()}


# The chores a housekeeping heading may name, over the people below it.
_HEADING_CHORES = {
    "reporter": REPORT,
    "minutes": MINUTES,
    "facilitation": ROLE_WORDS["facilitation"],
    "moderation": ROLE_WORDS["moderation"],
}


def _chore_lines(outline: Outline, entry_index: int, roles: dict[str, dict[str, None]]) -> bool:
    """Read the chore lines of one entry into ``roles``; whether one named a reporter or a
    minutes taker."""
    entries = outline.document.entries
    entry = entries[entry_index]
    if entry.cell > 0:
        return False  # read with the first cell of its row
    named = False
    lines = [part for ln in entry.lines for part in chore_segments(strip_lead(no_later(ln.text)))]
    if entry.cell == 0:  # a table row: "| Minutes | @x |" reads as "Minutes: @x"
        # The row's other cells follow it (only them: a scan of every later entry per row
        # would be quadratic in a long table).
        row: list[str] = []
        for later in range(entry_index + 1, len(entries)):
            if entries[later].line != entry.line:
                break
            if entries[later].cell > 0:
                row.append(entries[later].text)
        lines = [f"{lines[0] if lines else ''}: {' '.join(row)}"]
    position = 0
    while position < len(lines):
        text = lines[position]
        position += 1
        for key, pattern in OTHER_CHORES.items():
            if pattern.match(text) and not FOR_LATER.search(text):
                names = role_value(text.split(":", 1)[1])
                if names is not None:
                    _add_role(roles, key, names)
        if not about_a_chore(without_durations(text)) or PARTICIPANTS_LINE.match(text):
            continue
        if ABSENCE.search(text) and not LABEL_END.search(text):
            continue  # "@x on vacation (unavailable for the community call)": no chore
        # A question wrapped over several lines: read on to its '?' or ':'.
        # A line that names a chore starts a chore of its own, unless it carries
        # on the sentence (lower case: "... and transforming etherpad / to minutes
        # in GitHub?").
        while (
            not LABEL_END.search(text)
            and not HANDLE.search(text)
            and position < len(lines)
            and (not about_a_chore(lines[position]) or lines[position][:1].islower())
        ):
            text = f"{text} {lines[position]}"
            position += 1
        if FOR_LATER.search(text):
            continue
        label, value = split_label(text)
        label = without_durations(label)
        minutes = bool(MINUTES.search(label) or NOTES_LABEL.match(text))
        if not (REPORT.search(label) or minutes):
            continue
        names = role_value(value)
        if names is None and position < len(lines):
            names = role_value(lines[position])
            position += names is not None
        # Sub-entries that name a chore of their own answer for it alone.
        answers = [c for c in entry.children if not chore_label(strip_lead(c.text))]
        if names is None and answers:
            names = [n for c in answers for n in (role_value(no_later(c.text)) or [])]
        if names is None:
            names = _handles_entry_after(entries=outline.document.entries, index=entry_index)
        if names is None:
            continue
        named = True
        if REPORT.search(label):
            _add_role(roles, "reporter", names)
        if minutes:
            _add_role(roles, "minutes", names)
    return named


def _handles_entry_after(entries: list[Entry], index: int) -> list[str] | None:
    """Handles of the next entry when it holds nothing else (an answer below a question)."""
    if index + 1 >= len(entries):
        return None
    following = entries[index + 1]
    if following.heading != entries[index].heading or following.parent is not entries[index].parent:
        return None
    text = following.text
    found = handles(text)
    if found and not HANDLE.sub("", text).strip(" ,;&*_-"):
        return found
    return None


def _add_role(roles: dict[str, dict[str, None]], key: str, names: list[str]) -> None:
    roles.setdefault(key, {}).update(dict.fromkeys(names))


# -- absences -------------------------------------------------------------------------
def extract_absences(outline: Outline) -> list[Absence]:
    """People said to be away; a line naming nobody is about systems, not people."""
    # One scan of the whole text finds the few lines worth a closer look.
    lowered = outline.document.text.lower()
    hinted: set[int] = set()
    line, counted = 1, 0
    for start in sorted(at for word in ABSENCE_HINTS for at in _occurrences(lowered, word)):
        line += lowered.count("\n", counted, start)
        counted = start
        hinted.add(line)
    if not hinted:
        return []
    found: list[Absence] = []
    for _entry, _position, ln, text in outline.lines:
        if text and ln.number in hinted and ABSENCE.search(ln.text):
            found += _absence(ln)
    return found


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` starts in ``text``, each place."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _absence(line: Line) -> list[Absence]:
    who: list[str | None] = list(handles(line.text))
    if not who:
        named = NAMED_ABSENT.match(strip_lead(line.text))
        if not named:
            return []
        who = [named.group(1)]
    text = " ".join(HANDLE.sub("", line.text).split()).strip(" :,-&")
    return [Absence(person, text, line.number) for person in who]
