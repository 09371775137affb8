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
from collections.abc import Callable
from dataclasses import replace

from minutesbot.records.actionable import says_what_to_do
from minutesbot.records.document import Entry, Line
from minutesbot.records.items import item_finder, item_heading, unique
from minutesbot.records.outline import Outline
from minutesbot.records.record import Action, Decision, Item, Record
from minutesbot.records.vocabulary import (
    ACTION,
    ACTION_FIRST,
    ARROW_DECISION,
    ARROW_START,
    BOX,
    DECISION,
    DECISION_FIRST,
    DECISIONS_HEADING,
    DONE_LINE,
    DONE_START,
    DROPPED,
    DROPPED_LINE,
    EMOJI,
    JOIN,
    LABEL_WORDS,
    LIST_MARK,
    NO_ACTION,
    OWNER_ARROW,
    OWNER_TAIL,
    OWNERS,
    PAREN_OWNERS,
    SYMBOLS_LEAD,
    TASK_AFTER_OWNERS,
    TRAILING_AI,
    handles,
    strip_lead,
)


def extract_actions(outline: Outline) -> list[Action]:
    """Every action item of the file, in the order its lines are read."""
    found: list[Action] = []
    for entry, position, line, text in outline.lines:
        # A marker inside a code span is quoted, not written: the words outside code say.
        words = text if line.prose is None else strip_lead(line.prose)
        if words and (words[0] in ACTION_FIRST or "(" in words):
            if words is text or _marked(words, line.prose or ""):
                found += _line_action(outline, entry, position, line, text)
    headed = _heading_actions(outline)
    return sorted(found + headed, key=lambda a: a.line) if headed else found


def _heading_actions(outline: Outline) -> list[Action]:
    """Headings are lines too: ``#### TODO: write the guide``, ``### Cert renewal (AI
    @x)``. A heading that is a marker alone (``## AI``, a topic on artificial
    intelligence, or ``#### To-do`` over a list) makes no action of its own."""
    found: list[Action] = []
    for heading in outline.document.headings[1:]:
        text = strip_lead(heading.text)
        if not text or (text[0] not in ACTION_FIRST and "(" not in text):
            continue
        marker = ACTION.match(text)
        if marker and not OWNERS.sub("", text[marker.end() :], count=1).strip(" *_:"):
            continue  # "## AI", "### TODO @x": no task written
        if marker or (text.rstrip(" .!").endswith(")") and TRAILING_AI.search(text)):
            line = Line(heading.line, heading.text, heading.scan)
            entry = Entry([line], heading.line, heading.line, 0, False)
            found += _line_action(outline, entry, 0, line, text)
    return found


def _marked(words: str, prose: str) -> bool:
    return bool(BOX.match(words) or ACTION.match(words) or TRAILING_AI.search(prose))


def _line_action(
    outline: Outline, entry: Entry, position: int, line: Line, text: str
) -> list[Action]:
    status = None
    box = BOX.match(text)
    owners: list[str]
    task = ""
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
            owners, task = _trailing(trailing.group("who"))
            body = task or strip_lead(line.text[: trailing.start()])
    if box or marker or task:
        body = JOIN.sub("", body.strip(" *_"), count=1)
    # else the line before "(AI @x)", as written ("To do: renew it"): nothing joins it
    body = body.strip(" *_").strip(" -–—,;")
    if NO_ACTION.match(body):
        return []
    if marker and not box and _label_over_list(body, entry, position):
        body = ""  # "AI for this week:" over a list: the entries are the actions
    if not body:
        if marker and not box and position == len(entry.lines) - 1:
            listed = _marker_list(outline, entry, owners)
            if listed or not owners:
                return listed
            above = _task_above(outline, entry, line, owners)
            return [above] if above else []
        return []
    if status is None:
        status = _status(entry, position, line, body)
    return [Action(owners=unique(owners), text=body, status=status, item=None, line=line.number)]


def _label_over_list(body: str, entry: Entry, position: int) -> bool:
    """``AI for this week:``, ``TODO: Fixup:``: a few words ending in a colon, with
    sub-entries below and no verb of a task (``AI @x: Survey CSPs:`` over its questions
    is the task), label the list as a bare ``AI:`` does. An emoji's code is no colon
    (``AI @x: agenda :tada:`` is the task)."""
    label = EMOJI.sub("", body).rstrip()
    return (
        label.endswith(":")
        and len(label.split()) <= LABEL_WORDS
        and bool(entry.children)
        and position == len(entry.lines) - 1
        and not says_what_to_do(body)
    )


def _after_marker(marker: re.Match[str], text: str) -> tuple[list[str], str]:
    """Owners and text of a line that opens with a marker: ``AI @x: ...``, ``AI for @x,
    @y: ...``, ``ToDo (@x): ...``, ``AI: ... (AI @x)``. A parenthesis after the marker
    names handles only (``TODO (with R5): move`` names nobody); what follows the owners
    up to a colon is theirs (``AI @x and others: ...``), and so are the handles of a
    parenthesis right after them (``AI @x (@y) to ...``)."""
    # Stray emphasis marks are no text (the body drops them too): "AI: * @x" names @x.
    rest = OWNER_ARROW.sub("", text[marker.end() :].lstrip(" *_"), count=1)
    paren = marker.group("paren")
    owners = handles(paren) if paren is not None else []
    owners_m = OWNERS.match(rest)
    if owners_m:
        owners += handles(owners_m.group(0))
        rest = OWNER_TAIL.sub("", rest[owners_m.end() :], count=1)
        more = PAREN_OWNERS.match(rest)  # "AI @x (@y) to set it up": @y is with @x
        if more:
            owners += handles(more.group(0))
            rest = rest[more.end() :]
    trailing = TRAILING_AI.search(rest)
    if trailing and not owners:
        owners = _trailing(trailing.group("who"))[0]
        rest = rest[: trailing.start()]
    return owners, rest


def _trailing(who: str) -> tuple[list[str], str]:
    """Owners and task of a ``(AI @x ...)`` parenthesis at a line's end.

    The owners are the handles right after the marker; what follows them is
    the task when a colon, dash, comma or ``to`` introduces it and it is more
    than a word (``(AI: @x to ask via matrix)``, ``(AI @x: ping @y)``);
    ``(AI @x via @y)``, ``(AI @x, w/ @y)`` or ``(AI @x: Invite)`` say only who,
    and the line before the parenthesis is the task.
    """
    found = OWNERS.match(who)
    if not found:
        return handles(who)[:1], ""
    owners, rest = handles(found.group(0)), who[found.end() :]
    if not TASK_AFTER_OWNERS.match(rest):
        return owners, ""
    task = JOIN.sub("", rest.strip(), count=1).strip(" -–—,;:")
    return owners, task if len(task.split()) > 1 else ""


def _task_above(outline: Outline, entry: Entry, line: Line, owners: list[str]) -> Action | None:
    """``AI: @x`` alone, nothing below it: who takes the task the entry above it names
    (``- Ask the board first`` / ``- AI: @x``), or the item's title, as the text before a
    trailing ``(AI @x)`` is the task."""
    if entry.parent is not None:
        task = strip_lead(entry.parent.lines[0].text)
    elif entry.heading >= 0:
        task = item_heading(outline.document.headings[entry.heading].text)[0]
    else:
        return None
    return Action(unique(owners), task, _status(entry, 0, line, ""), None, line.number)


def _marker_list(outline: Outline, entry: Entry, owners: list[str]) -> list[Action]:
    """A marker with no text of its own (``AI:``, ``ToDo:``): each entry of the list
    below it is an action, as the spec has it for ``Decision:``.

    The list is the marker's sub-entries, or, for a marker standing as a
    paragraph, the list right after it. An entry's owners are the handles it
    starts with (``@fkr to mail CSPs``), else the marker's; a handle in
    parentheses at its end is no owner (``Testcase (@kgube)``: not right after
    a marker). Entries that are actions by themselves (a marker, a box,
    ``(AI @x)``) are left to be read as such.
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
        # As for a line with its marker: stray emphasis marks at either end are no text.
        rest = (text[owners_m.end() :] if owners_m else text).strip(" *_")
        body = JOIN.sub("", rest, count=1).strip(" -–—,;")
        if body:
            status = _status(child, 0, first, body)
            found.append(Action(unique(mine), body, status, None, first.number))
    return found


def says_status(text: str) -> bool:
    """Whether an action's text, written after ``AI @x:``, would be read as its status
    (``done``, ``(obsolete)``, ``✅``) -- so that it reads back done or dropped."""
    return bool(DONE_LINE.search(text) or DROPPED_LINE.search(text))


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


def entries_as_actions(outline: Outline, record: Record, entries: list[Entry]) -> list[Action]:
    """Entries of a review section read as actions, whether written with ``AI`` or not.

    ``@fkr: mail the CSPs ✅`` below "Checking AIs of last week" is read as
    ``AI @fkr: mail the CSPs ✅`` would be, by the rules above, so its owners
    and status mean what they mean in an action; an entry that is an action
    already is that action (a copy). An entry that reads as no action is left out.
    """
    written = {a.line: a for a in record.actions}
    item_at = item_finder(record.items)
    read = (_entry_as_action(outline, written, item_at, entry) for entry in entries)
    return [action for action in read if action is not None]


def _entry_as_action(
    outline: Outline,
    written: dict[int, Action],
    item_at: Callable[[int], Item | None],
    entry: Entry,
) -> Action | None:
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
    item = item_at(entry.line)
    return replace(read[0], item=item.title if item else None)


# -- decisions --------------------------------------------------------------------------
# First characters SYMBOLS_LEAD leaves alone: no emoji or symbol to strip before a marker.
_PLAIN_LEAD = frozenset("[(`@#'\"")


def extract_decisions(outline: Outline) -> list[Decision]:
    """Every decision: marked lines first, then the headings and sections of decisions."""
    found: list[Decision] = []
    for entry, position, line, text in outline.lines:
        if not text:
            continue
        words = text if line.prose is None else strip_lead(line.prose)
        if not words[0].isalnum() and words[0] not in _PLAIN_LEAD:  # "✅ Decision: ..."
            text, words = SYMBOLS_LEAD.sub("", text), SYMBOLS_LEAD.sub("", words)
        if words[:1] in DECISION_FIRST and (line.prose is None or DECISION.match(words)):
            found += _line_decision(outline, entry, position, text)
        elif ">" in words:  # an arrow: "... -> Decision: x"
            arrow = ARROW_DECISION.search(words)
            if arrow:
                found += _line_decision(outline, entry, position, words[arrow.end() :])
    return found + _decision_sections(outline, {d.line for d in found})


def _line_decision(outline: Outline, entry: Entry, position: int, text: str) -> list[Decision]:
    m = DECISION.match(text)
    if not m:
        return []
    rest = text[m.end() :].strip()
    line = entry.lines[position]
    if rest.endswith("?"):
        # A question is no decision; its answer below, after an arrow, is ("Decision: one
        # package or several?" / "--> we split them").
        answers = entry.children if position == len(entry.lines) - 1 else []
        return [
            Decision(strip_lead(child.text), None, child.line)
            for child in answers
            if ARROW_START.match(child.lines[0].text) and strip_lead(child.text)
        ]
    if rest:
        return [Decision(rest, None, line.number)]
    if position != len(entry.lines) - 1:
        follow = entry.lines[position + 1 :]
        return [Decision(strip_lead(ln.text), None, ln.number) for ln in follow]
    # A marker with no text of its own: each entry of the list that follows it (an action
    # item too: the spec says each), its sub-entries for a list entry, the next list or
    # else the next paragraph for a paragraph; a question is none.
    if entry.is_item:
        below = entry.children
    else:
        below = entry.children or outline.next_list(entry) or outline.next_paragraph(entry)
    decided = [(strip_lead(child.text), child.line) for child in below]
    return [Decision(text, None, line) for text, line in decided if text and text[-1] != "?"]


def _decision_sections(outline: Outline, known: set[int]) -> list[Decision]:
    """``### Decision: use X`` is a decision; each entry under a heading named ``Decisions``
    (``Agreements``, ``Resolutions``) is one, a table there giving one per row."""
    found = []
    for index, heading in enumerate(outline.document.headings):
        title = SYMBOLS_LEAD.sub("", outline.words[index])
        marked = DECISION.match(title)
        rest = title[marked.end() :].strip() if marked else ""
        if rest and not rest.endswith("?"):
            found.append(Decision(rest, None, heading.line))
            continue
        if not DECISIONS_HEADING.match(title):
            continue
        section = [e for e in outline.sections.get(index, []) if e.cell <= 0 and not e.header]
        if not section:
            continue
        known = known | {d.line for d in found}
        # Each entry of its own (not inside a list item): the items of each list and each
        # paragraph, so that a paragraph after a list does not hide the list's items.
        for entry in section:
            if entry.parent is None and entry.line not in known and entry.text:
                text = DECISION.sub("", strip_lead(entry.text), count=1)
                found.append(Decision(text, None, entry.line))
    return found
