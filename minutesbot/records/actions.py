"""Action items and decisions, line by line, as the record contract's markers have them.

An action is a line with a marker (``AI``, ``TODO``, ``Action item:``), a
task box (``[ ] @x ...``) or a trailing ``(AI @x)``; a marker with no text
of its own makes each entry of the list below it an action. Its status is
``done`` or ``dropped`` when the line (or its first sub-entry) says so, else
``open``. A decision is a line opening with ``Decision:`` (or the entries
below such a label), or an entry of a "Decisions" section.
"""

from __future__ import annotations

import re
from dataclasses import replace

from minutesbot.records.document import Entry, Line
from minutesbot.records.items import item_finder, unique
from minutesbot.records.outline import Outline
from minutesbot.records.record import Action, Decision, Record
from minutesbot.records.vocabulary import (
    ACTION,
    ACTION_FIRST,
    BOX,
    DECISION,
    DECISION_FIRST,
    DECISIONS_HEADING,
    DONE_LINE,
    DONE_START,
    DROPPED,
    DROPPED_LINE,
    HANDLE,
    JOIN,
    LIST_MARK,
    OWNERS,
    OWNERS_AT_END,
    TRAILING_AI,
    clean_title,
    handles,
    strip_lead,
)


def extract_actions(outline: Outline) -> list[Action]:
    """Every action item of the file, in the order its lines are read."""
    found: list[Action] = []
    for entry, position, line, text in outline.lines:
        if text and (text[0] in ACTION_FIRST or "(" in text):
            found += _line_action(outline, entry, position, line, text)
    return found


def _line_action(
    outline: Outline, entry: Entry, position: int, line: Line, text: str
) -> list[Action]:
    status = None
    box = BOX.match(text)
    owners: list[str]
    if box:
        rest = text[box.end() :]
        owners_m = OWNERS.match(rest)
        marker = ACTION.match(rest)
        if marker:
            rest = rest[marker.end() :]
            owners_m = OWNERS.match(rest)
        if not owners_m and not marker:
            return []
        status = "done" if box.group("mark").lower() == "x" else "open"
        owners = handles(owners_m.group(0)) if owners_m else []
        body = rest[owners_m.end() :] if owners_m else rest
    else:
        marker = ACTION.match(text)
        if marker:
            owners, body = _after_marker(marker, text)
        else:
            trailing = TRAILING_AI.search(line.text)
            if not trailing:
                return []
            owners = handles(trailing.group("who"))
            inside = JOIN.sub("", HANDLE.sub("", trailing.group("who")).strip(" ,&/"), count=1)
            # "(AI: @x to ask via matrix)" says the task; "(AI @x via @y)" only who.
            body = inside if len(inside.split()) > 1 else line.text[: trailing.start()]
    body = JOIN.sub("", body.strip(), count=1).strip(" -–—,;")
    if not body:
        if marker and not box and position == len(entry.lines) - 1:
            return _marker_list(outline, entry, owners)
        return []
    if status is None:
        status = _status(entry, position, line, body)
    return [Action(owners=unique(owners), text=body, status=status, item=None, line=line.number)]


def _after_marker(marker: re.Match[str], text: str) -> tuple[list[str], str]:
    """Owners and text of a line that opens with a marker: ``AI (x, y): ...``, ``AI @x ...``,
    ``AI: ... (AI @x)``."""
    rest = text[marker.end() :]
    owners: list[str] = []
    paren = marker.group("paren")
    if paren is not None:
        owners = handles(paren) or [
            w.lower() for w in re.split(r"[\s,/&]+", paren) if re.fullmatch(r"[A-Za-z0-9][\w-]*", w)
        ]
    owners_m = OWNERS.match(rest)
    if owners_m:
        owners += handles(owners_m.group(0))
        rest = rest[owners_m.end() :]
    trailing = TRAILING_AI.search(rest)
    if trailing and not owners:
        owners = handles(trailing.group("who"))
        rest = rest[: trailing.start()]
    return owners, rest


def _marker_list(outline: Outline, entry: Entry, owners: list[str]) -> list[Action]:
    """A marker with no text of its own (``AI:``, ``ToDo:``): each entry of the list
    below it is an action, as the spec has it for ``Decision:``.

    The list is the marker's sub-entries, or, for a marker standing as a
    paragraph, the list right after it. An entry's owners are the handles it
    starts with (``@fkr to mail CSPs``), else the marker's. Entries that are
    actions by themselves (a marker, a box, ``(AI @x)``) are left to be read
    as such.
    """
    found = []
    below = entry.children or ([] if entry.is_item else outline.next_list(entry))
    for child in below:
        first = child.lines[0]
        text = strip_lead(first.text)
        if not text or ACTION.match(text) or BOX.match(text) or TRAILING_AI.search(first.text):
            continue
        owners_m = OWNERS.match(text)
        mine = handles(owners_m.group(0)) if owners_m else owners
        body = JOIN.sub("", text[owners_m.end() :] if owners_m else text, count=1)
        body = body.strip(" -–—,;")
        named = OWNERS_AT_END.search(body)
        if named and not owners_m:  # "Testcase (@kgube)"
            mine, body = handles(named.group(1)), body[: named.start()].rstrip(" -–—,;")
        if body:
            status = _status(child, 0, first, body)
            found.append(Action(unique(mine), body, status, None, first.number))
    return found


def _status(entry: Entry, position: int, line: Line, body: str) -> str:
    if line.struck or DONE_LINE.search(body):
        return "done"
    if DROPPED_LINE.search(body):
        return "dropped"
    if position == 0:
        for child in entry.children:
            first = child.lines[0].text if child.lines else ""
            if DONE_START.match(first):
                return "done"
            if DROPPED.match(strip_lead(first)) or DROPPED_LINE.search(first):
                return "dropped"
    return "open"


def entry_as_action(outline: Outline, record: Record, entry: Entry) -> Action | None:
    """An entry of a review section read as an action, whether written with ``AI`` or not.

    ``@fkr: mail the CSPs ✅`` below "Checking AIs of last week" is read as
    ``AI @fkr: mail the CSPs ✅`` would be, by the rules above, so its owners
    and status mean what they mean in an action; an entry that is an action
    already is that action (a copy).
    """
    written = {a.line: a for a in record.actions}
    if entry.line in written:
        return replace(written[entry.line])
    first = entry.lines[0]
    # "AI " goes where it would stand in the source: after the list mark, and after a task
    # box that follows it directly ("- [x] AI @x ...").
    mark = LIST_MARK.match(outline.source_line(entry.line))
    if mark is None:
        return None  # no list mark to write "AI" after (a list in a quote)
    box = BOX.match(first.text) if mark.group("box") else None
    cut = box.end() if box else 0
    marked = Line(first.number, f"{first.text[:cut]}AI {first.text[cut:]}", first.scan)
    read = [
        a
        for a in _line_action(outline, entry, 0, marked, strip_lead(marked.text))
        if a.line == entry.line
    ]
    if not read:
        return None
    if first.struck:
        read[0].status = "done"  # "~~@x: do y~~": the added "AI" is not struck
    item = item_finder(record.items)(entry.line)
    return replace(read[0], item=item.title if item else None)


# -- decisions --------------------------------------------------------------------------
def extract_decisions(outline: Outline) -> list[Decision]:
    """Every decision: marked lines first, then the entries of decision sections."""
    found: list[Decision] = []
    for entry, position, _line, text in outline.lines:
        if text and text[0] in DECISION_FIRST:
            found += _line_decision(outline, entry, position, text)
    return found + _decision_sections(outline, {d.line for d in found})


def _line_decision(outline: Outline, entry: Entry, position: int, text: str) -> list[Decision]:
    m = DECISION.match(text)
    if not m:
        return []
    rest = text[m.end() :].strip()
    line = entry.lines[position]
    if rest:
        return [] if rest.endswith("?") else [Decision(rest, None, line.number)]
    if position != len(entry.lines) - 1:
        follow = entry.lines[position + 1 :]
        return [Decision(strip_lead(ln.text), None, ln.number) for ln in follow]
    return [
        Decision(strip_lead(child.text), None, child.line)
        for child in entry.children or outline.next_list(entry)
        if child.text and not ACTION.match(strip_lead(child.text))
    ]


def _decision_sections(outline: Outline, known: set[int]) -> list[Decision]:
    found = []
    for index, heading in enumerate(outline.document.headings):
        if not DECISIONS_HEADING.match(clean_title(heading.text)):
            continue
        section = outline.sections.get(index)
        if not section:
            continue
        known = known | {d.line for d in found}
        top = min(e.depth for e in section)
        for entry in section:
            if entry.depth == top and entry.line not in known and entry.text:
                text = DECISION.sub("", strip_lead(entry.text), count=1)
                found.append(Decision(text, None, entry.line))
    return found
