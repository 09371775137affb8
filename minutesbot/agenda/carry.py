"""What an agenda carries forward: open action items and topics put off.

Which actions are open is decided by :mod:`minutesbot.records.tracking` (an
item reported done in a later review, or left out of the team's latest
review, is not open; one re-listed every week is one debt); here, which of
them the agenda lists one by one: the recent ones. Topics are carried while
they are put off as a whole and every following call lists them again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from typing import Any

from minutesbot.agenda.history import History
from minutesbot.agenda.model import CarriedAction, CarriedItem, OpenActions, Topic, origin_of
from minutesbot.agenda.skeleton import is_layout_heading
from minutesbot.records.document import Document
from minutesbot.records.items import is_put_off_group, substantive
from minutesbot.records.matching import normalise_text, texts_match
from minutesbot.records.record import Record
from minutesbot.records.vocabulary import HANDLE, PUT_OFF_NOTE_WORDS, PUT_OFF_TAIL, handles

RECURRING_WINDOW = 5  # a standing topic: in the last this many meetings ...
RECURRING_MIN = 3  # ... at least this often
# An owner's parenthesis in a title: "Ongoing work (@garloff)".
_OWNER_PAREN = re.compile(r"(?<!\s)\s*\([^()@]*@[^()]*\)")


def carried_actions(
    debts: list[dict[str, Any]], records: list[Record], team: str, recent: int
) -> OpenActions:
    """The open actions the agenda lists one by one, how many older ones it leaves out, and
    how many recent ones naming nobody.

    ``debts`` are the team's open actions, each once where it was first
    written (as :func:`minutesbot.records.tracking.open_debts` and ``minutesbot
    actions --open`` give them). One is listed while it is recent: written or
    last listed still open within the last ``recent`` meetings of ``records``
    (the meetings held before the new one). Older debts are not listed: the
    team has let them rest, and the agenda says how to see them. Nor are those
    naming nobody (``AI: use the term consistently``): nobody answers for them
    at the call; the corpus reviews listed three of fifteen again.
    """
    by_source = {r.source: r for r in records}
    since = records[-recent].date or "" if 0 < recent <= len(records) else ""
    days = sorted(r.date or "" for r in records)
    listed: list[CarriedAction] = []
    older = unowned = 0
    for debt in debts:
        record = by_source.get(debt["source"])
        seen = max(debt["last_listed"] or "", debt["date"] or "")
        if record is None or seen < since:
            older += 1
            continue
        if not debt["owners"]:
            unowned += 1
            continue
        line = debt["line"]
        listed.append(
            CarriedAction(
                list(debt["owners"]),
                debt["text"],
                origin_of(record, line, team),
                debt["item"],
                [ref.ref for ref in record.issues if line in ref.lines],
                seen=seen,
                meetings=len(days) - bisect_left(days, record.date or ""),
            )
        )
    return OpenActions(debts, listed, older, unowned, recent)


def topic_key(title: str) -> str:
    """An item title without owners, timebox or deferral note, for comparing across meetings."""
    return normalise_text(HANDLE.sub(" ", clean_topic(title)))


def clean_topic(title: str) -> str:
    """``Ongoing work (@garloff) -> moved to the next meeting`` -> ``Ongoing work``."""
    text = PUT_OFF_TAIL.sub("", title)
    text = _OWNER_PAREN.sub("", text)
    return text.strip(" -–:") or title


def recurring_topics(records: list[Record], carried: list[CarriedItem]) -> list[Topic]:
    """Topics on most of the last agendas (``Ongoing work``), unless already carried as put off."""
    recent = records[-RECURRING_WINDOW:]
    seen: dict[str, Topic] = {}
    counts: Counter[str] = Counter()
    for record in recent:
        keys = set()
        for item in record.items:
            key = topic_key(item.title)
            if key and not is_layout_heading(item.title):
                seen[key] = Topic(clean_topic(item.title), list(item.owners))  # latest wording wins
                keys.add(key)
        counts.update(keys)
    carried_keys = [topic_key(c.title) for c in carried]
    return [
        topic
        for key, topic in seen.items()
        if counts[key] >= RECURRING_MIN and not any(texts_match(key, c) for c in carried_keys)
    ]


def _notes(document: Document, line: int) -> tuple[int | None, list[str]]:
    """The heading at ``line`` (its index) and the text of the notes right below it."""
    index = next((i for i, h in enumerate(document.headings) if h.line == line), None)
    if index is None:
        return None, []
    return index, [ln.text for e in document.entries if e.heading == index for ln in e.lines]


def _group_topics(document: Document, index: int | None) -> list[tuple[str, list[str], int]]:
    """The topics a "Postponed items" heading lists: title, owners, line of each entry."""
    entries = [
        e for e in document.entries if index is not None and e.heading == index and e.is_item
    ]
    top = min((e.depth for e in entries), default=0)
    return [
        (clean_topic(e.text), handles(e.text), e.line)
        for e in entries
        if e.depth == top and len(e.text.split()) <= PUT_OFF_NOTE_WORDS
    ]


def deferred_items(history: History, records: list[Record], side: set[str]) -> list[CarriedItem]:
    """Topics put off as a whole and not taken up since, with the age of the first putting-off.

    A topic stays carried while every following call lists it again without
    taking it up (put off once more, or its heading left with the carry note
    only). A later item with its title that has notes of its own took it up; a
    regular call that has no heading for it any more dropped it (side meetings
    never do), so nothing is carried unseen for longer than one call.
    """
    carried: dict[str, CarriedItem] = {}
    first_index: dict[str, int] = {}

    def put_off(
        key: str,
        title: str,
        owners: list[str],
        phrase: str,
        record: Record,
        line: int,
        issues: list[str],
        index: int,
    ) -> None:
        match = next((k for k in carried if texts_match(k, key)), None)
        if match is None:
            carried[key] = CarriedItem(
                title,
                owners,
                phrase,
                origin_of(record, line, history.team.name),
                0,
                issues,
                seen=record.date or "",
            )
            first_index[key] = index
            return
        known = carried[match]
        known.seen = record.date or ""
        known.owners = list(dict.fromkeys(known.owners + owners))
        known.issues = list(dict.fromkeys(known.issues + issues))

    for index, record in enumerate(records):
        # Only a topic carried, or one put off here, needs the notes: few files are read.
        needed = carried or any(item.deferred is not None for item in record.items)
        document = history.document(record) if needed else None
        if document is not None and carried and record.source not in side:
            listed = [topic_key(h.text) for h in document.headings] + [
                topic_key(e.text) for e in document.entries if e.is_item
            ]
            for key in [
                k for k in carried if not any(texts_match(k, heading) for heading in listed)
            ]:
                del carried[key]
        for item in record.items:
            key = topic_key(item.title)
            if not key or is_layout_heading(item.title) or document is None:
                continue
            heading, notes = _notes(document, item.line)
            if item.deferred is not None and is_put_off_group(item.title):
                for title, owners, line in _group_topics(document, heading):
                    if topic_key(title):
                        put_off(
                            topic_key(title), title, owners, item.deferred, record, line, [], index
                        )
                continue
            if item.deferred is not None:
                put_off(
                    key,
                    clean_topic(item.title),
                    list(item.owners),
                    item.deferred,
                    record,
                    item.line,
                    list(item.issues),
                    index,
                )
            elif substantive(notes):
                for match in [k for k in carried if texts_match(k, key)]:
                    del carried[match]
    for key, item in carried.items():
        item.meetings = len(records) - first_index[key]
    return list(carried.values())
