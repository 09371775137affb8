"""The review of earlier action items in one minutes file, as part of its record.

Teams look back at what they owed ("Check AIs from last time", "Pending
action items", "AIs from last call:") and mark each entry done, dropped or
still open. The parser reads that look-back once, here, into
:attr:`~minutesbot.records.record.Record.review`; what the entries mean for
earlier actions is decided from records alone by
:mod:`minutesbot.records.tracking`, without reading the file again.
"""

from __future__ import annotations

from minutesbot.records.actions import entries_as_actions
from minutesbot.records.document import Entry
from minutesbot.records.outline import Outline
from minutesbot.records.record import Record, Review
from minutesbot.records.vocabulary import is_review_label


def extract_review(outline: Outline, record: Record) -> Review | None:
    """The entries that the file's review sections list (None: it has no review).

    A review is a heading labelled like one, or a line labelled like one with
    the list it introduces (its sub-entries, or the list right after it). An
    entry written without ``AI`` (``@fkr: mail the CSPs ✅``) is read as if it
    had been (:func:`~minutesbot.records.actions.entries_as_actions`), so its
    owners and status mean what they mean in an action. ``record`` must hold
    the file's actions and items already.
    """
    document = outline.document
    entries: list[Entry] = []
    label_line = 0
    for index in sorted(outline.reviews):
        below = [e for e in outline.sections.get(index, ()) if e.is_item]
        top = min((e.depth for e in below), default=0)
        entries += [e for e in below if e.depth == top]
        label_line = label_line or document.headings[index].line
    for entry in document.entries:
        if entry.lines and is_review_label(entry.text):
            entries += entry.children or ([] if entry.is_item else outline.next_list(entry))
            label_line = label_line or entry.line
    entries = list({e.line: e for e in entries}.values())  # a label inside a review section
    listed = entries_as_actions(outline, record, entries)
    return Review(label_line, listed) if listed else None
