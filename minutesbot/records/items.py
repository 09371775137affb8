"""The items of a meeting: their titles, owners, timeboxes, whether they were put off,
the issues they mention, and which actions and decisions belong to which item."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache

from minutesbot.records.outline import ITEM, Outline
from minutesbot.records.record import IssueRef, Item, Record
from minutesbot.records.refs import refs_in, refs_without_owner
from minutesbot.records.vocabulary import (
    CARRY_NOTE,
    HANDLE,
    NOISE_WORD,
    NOTE_LABEL,
    OWNER_LINE,
    PARENTHESIS,
    PUT_OFF_GROUP,
    PUT_OFF_MARK,
    PUT_OFF_NOTE,
    PUT_OFF_NOTE_WORDS,
    TIMEBOX,
    TIMEBOX_TAIL,
    TIMEBOX_WORD,
    clean_title,
    handles,
)


def extract_items(outline: Outline) -> list[Item]:
    """An item for every heading the outline calls one, in document order."""
    items = []
    for index, heading in enumerate(outline.document.headings):
        if outline.kinds[index] != ITEM:
            continue
        title, owners, timebox = item_heading(heading.text)
        item = Item(
            title=title,
            path=[item_heading(above)[0] for above in outline.section_path(index)],
            owners=unique([*owners, *_owner_line(outline, index)]),
            timebox=timebox,
            line=heading.line,
            end_line=heading.end,
        )
        item.deferred = put_off(title, outline.notes(index))
        items.append(item)
    return items


def _owner_line(outline: Outline, heading_index: int) -> list[str]:
    """The handles of a ``Sponsor: @x`` line opening the item's notes."""
    body = outline.sections.get(heading_index)
    first = body[0].lines[0].text if body and body[0].lines else ""
    return handles(first) if OWNER_LINE.match(first) else []


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


@lru_cache(maxsize=4096)
def item_heading(text: str) -> tuple[str, tuple[str, ...], int | None]:
    """Title, owners and timebox of an item heading (computed once each: the same headings
    come back meeting after meeting, and one stands over many items in their paths).

    Every parenthesis (or bracket) holding a handle or a timebox is the
    owner/timebox parenthesis and leaves the title; others stay
    (``(OpenStack)``). A timebox outside any parenthesis counts too.
    """
    text = clean_title(text)
    owners = handles(text)
    timebox = None
    title = text
    for group in reversed(list(PARENTHESIS.finditer(text))):
        inner = group.group(1)
        if HANDLE.search(inner) or TIMEBOX.search(inner) or TIMEBOX_WORD.search(inner):
            box = TIMEBOX.search(inner)
            if box and timebox is None:
                timebox = int(box.group(1))
            title = title[: group.start()] + " " + title[group.end() :]
    if timebox is None:
        box = TIMEBOX.search(title)
        if box:
            timebox = int(box.group(1))
            tail = TIMEBOX_TAIL.search(title)
            if tail:
                title = title[: tail.start()]
    title = " ".join(title.split()).strip(" ,;-–")
    return title or text, tuple(owners), timebox


# -- put off ----------------------------------------------------------------------
def put_off(title: str, notes: list[str]) -> str | None:
    """How an item was put off as a whole (``postponed``), or None when it was taken up.

    A heading over a list of topics put off ("Postponed items") is put off
    itself. Otherwise either its heading says so ("Topic (not discussed)",
    "Topic -> moved to the next meeting"), or its notes open with a short
    note saying so, or such a note stands beside at most one other line
    ("Issue #95" / "skipped, @x not present"). Notes that discuss the topic
    and end "postponed to R5" or "continue next meeting" are a discussion,
    not a topic put off.
    """
    group = PUT_OFF_GROUP.match(title)
    if group:
        return _phrase(group.group(0))
    marked = PUT_OFF_MARK.search(title)
    if marked:
        return _phrase(marked.group(0))
    if not any(map(PUT_OFF_NOTE.match, notes)):
        return None
    said = substantive(notes)
    statements = [
        m
        for m in map(PUT_OFF_NOTE.match, said)
        if m and len(m.group(2).split()) <= PUT_OFF_NOTE_WORDS
    ]
    if statements and (statements[0].string == said[0] or len(said) <= 2):
        return _phrase(statements[0].group(1))
    return None


def is_put_off_group(title: str) -> bool:
    """Whether an item's heading is a list of topics put off ("Postponed items")."""
    return bool(PUT_OFF_GROUP.match(title))


def _phrase(text: str) -> str:
    return " ".join(re.sub(r"^\W+", "", text).lower().split())


def substantive(notes: list[str]) -> list[str]:
    """The notes that say something: not a link, a sponsor line, a timebox or the carry note."""
    return [
        line
        for line in notes
        if not NOTE_LABEL.match(line)
        and not CARRY_NOTE.match(line)
        and not all(NOISE_WORD.search(word) for word in line.split())
    ]


# -- refs and membership ------------------------------------------------------------
def extract_refs(
    outline: Outline, default_owner: str | None, team_repo: str | None
) -> list[IssueRef]:
    """Every issue and pull request the file mentions, once, with the lines that do."""
    by_ref: dict[str, IssueRef] = {}
    for number, scan in _ref_sources(outline):
        for ref in refs_in(scan, default_owner, team_repo):
            known = by_ref.get(ref.ref)
            if known is None:
                by_ref[ref.ref] = IssueRef(ref.ref, ref.kind, ref.url, [number])
                continue
            if known.kind == "issue" and ref.kind != "issue" and "github.com" in ref.url:
                known.kind, known.url = ref.kind, ref.url
            if known.lines[-1] != number:  # sources go by line: a repeat is the last one
                known.lines.append(number)
    return list(by_ref.values())


def _ref_sources(outline: Outline) -> list[tuple[int, str]]:
    """The text of each line that may hold refs (headings, entries, what is only searched
    for refs), by line number; a line with neither a ``#`` nor a GitHub URL holds none."""
    doc = outline.document
    every = [(h.line, h.scan) for h in doc.headings]
    every += [(line.number, line.scan) for _entry, _n, line, _text in outline.lines]
    every += [(ln.number, ln.scan) for ln in doc.scan_only]
    sources = [(n, scan) for n, scan in every if "#" in scan or "github.com" in scan]
    sources.sort(key=lambda pair: pair[0])
    return sources


def refs_lacking_an_owner(outline: Outline) -> list[tuple[int, str]]:
    """Each ``repo#N`` (line, as written) that names no issue for want of a default owner."""
    return [
        (number, written)
        for number, scan in _ref_sources(outline)
        for written in refs_without_owner(scan)
    ]


def item_finder(items: list[Item]) -> Callable[[int], Item | None]:
    """A function giving the item whose lines hold a line (items in document order)."""
    starts = [item.line for item in items]

    def item_at(line: int) -> Item | None:
        index = bisect_right(starts, line) - 1
        if index >= 0 and line <= items[index].end_line:
            return items[index]
        return None

    return item_at


def assign(record: Record) -> None:
    """Give each action, decision and ref the item whose lines hold it."""
    item_at = item_finder(record.items)  # each item ends before the next heading
    record.actions.sort(key=lambda a: a.line)
    record.decisions.sort(key=lambda d: d.line)
    for action in record.actions:
        item = item_at(action.line)
        if item:
            action.item = item.title
            item.actions.append(action)
    for decision in record.decisions:
        item = item_at(decision.line)
        if item:
            decision.item = item.title
            item.decisions.append(decision)
    for ref in record.issues:
        # Each ref once per item: refs come once each, so only its own lines can repeat it.
        holding: set[int] = set()
        for line in ref.lines:
            item = item_at(line)
            if item is not None and id(item) not in holding:
                holding.add(id(item))
                item.issues.append(ref.ref)
