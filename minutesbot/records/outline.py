"""What each heading of a minutes file is, decided once for every extractor.

A heading is the file's title (the first), a housekeeping section (who is
here, who does which chore), an item under discussion (a heading with a
body of its own), or a container of items (no body of its own). A heading
that announces a look back at earlier actions ("Check AIs from last time")
is also a review section; it stays an item, as the record contract has it.
The entries (list items and paragraphs) are grouped by the heading they
stand under, and every line is stripped of its lead once, here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from minutesbot.records.document import Document, Entry, Line
from minutesbot.records.phrases import chore_label, people_like
from minutesbot.records.typos import mend_typos
from minutesbot.records.vocabulary import (
    CHORE_WORDS,
    DURATION,
    FILLER_WORDS,
    GENERIC_CHORE_WORDS,
    HANDLE,
    META_HEADING,
    OWNER_LINE,
    PARENTHESIS,
    SECTION_WORDS,
    TIMEBOX,
    WORD,
    clean_title,
    is_review_label,
    strip_lead,
)

TITLE, META, ITEM, CONTAINER = "title", "meta", "item", "container"
NO_ITEM_LINE = 10**9  # where the first item starts in a file without items


@dataclass
class Outline:
    """A document with the kind of each heading and its entries by heading."""

    document: Document
    # Each heading's text as the vocabulary reads it: plain, a misspelt meta word mended.
    words: list[str]
    kinds: list[str]
    # Whether each heading reads as housekeeping (the title may, and is still the title).
    meta: list[bool]
    reviews: set[int]
    sections: dict[int, list[Entry]]
    # Every line of every entry, with its entry, its position there and its text stripped.
    lines: list[tuple[Entry, int, Line, str]]
    first_item_line: int
    _source_lines: list[str] | None = field(default=None, repr=False, compare=False)
    _positions: dict[int, int] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, document: Document) -> Outline:
        sections: dict[int, list[Entry]] = {}
        lines = []
        for entry in document.entries:
            section = sections.get(entry.heading)
            if section is None:  # not setdefault: no list thrown away per entry
                section = sections[entry.heading] = []
            section.append(entry)
            if len(entry.lines) == 1:  # most entries: no list built for one line
                line = entry.lines[0]
                lines.append((entry, 0, line, strip_lead(line.text)))
            else:
                lines += [(entry, n, ln, strip_lead(ln.text)) for n, ln in enumerate(entry.lines)]
        words = [heading_words(h.text) for h in document.headings]
        meta = [_is_meta(text, sections.get(i, [])) for i, text in enumerate(words)]
        kinds = [
            TITLE if index == 0 else META if meta[index] else ITEM if h.has_body else CONTAINER
            for index, h in enumerate(document.headings)
        ]
        first = min(
            (h.line for h, kind in zip(document.headings, kinds, strict=True) if kind == ITEM),
            default=NO_ITEM_LINE,
        )
        reviews = {i for i, h in enumerate(document.headings) if is_review_label(h.text)}
        return cls(document, words, kinds, meta, reviews, sections, lines, first)

    def source_line(self, number: int) -> str:
        """Line ``number`` of the file as written (1 is the first)."""
        if self._source_lines is None:
            self._source_lines = self.document.text.split("\n")
        return self._source_lines[number - 1] if 0 < number <= len(self._source_lines) else ""

    def in_meta(self, heading_index: int) -> bool:
        """Whether a line under this heading sits in a housekeeping section, not in an item.

        Lines before the first heading (-1) and under the title (0) do.
        """
        if heading_index <= 0:
            return True
        if self.kinds[heading_index] == ITEM:
            return False
        headings = self.document.headings
        index = heading_index
        while index > 0:
            if self.kinds[index] == META:
                return True
            index = headings[index].parent
        return False

    def notes(self, heading_index: int) -> list[str]:
        """The text of the lines right below a heading (not below its sub-headings)."""
        return [ln.text for e in self.sections.get(heading_index, ()) for ln in e.lines]

    def next_list(self, entry: Entry) -> list[Entry]:
        """The entries of the list right after a paragraph (its top level); none when what
        follows is the rest of a list the paragraph stands in (that list, or one around
        it, was opened before the paragraph's innermost list: its id is no higher).

        The scan ends where the list does: a section's entries stand together
        (headings only ever follow), and list ids only grow, so while a list is
        open every entry carries its id or a nested list's, and one with a lower
        id stands after it. Each marker paragraph costs the length of its list
        (each looked at the whole rest of the file, and a marker inside an item
        took the rest of the item's list: 3 minutes for 20,000 markers).
        """
        entries = self.document.entries
        index = self._position(entry)
        if index + 1 >= len(entries):
            return []
        first = entries[index + 1]
        if first.heading != entry.heading or not first.is_item or first.list_id <= entry.list_id:
            return []
        found = []
        for n in range(index + 1, len(entries)):
            later = entries[n]
            if later.heading != entry.heading or later.list_id < first.list_id:
                break
            if later.list_id == first.list_id and later.depth == first.depth:
                found.append(later)
        return found

    def next_paragraph(self, entry: Entry) -> list[Entry]:
        """The paragraph right after a paragraph (``**Decision:**``, a blank line, the text)."""
        entries = self.document.entries
        index = self._position(entry)
        if entry.is_item or index + 1 >= len(entries):
            return []
        following = entries[index + 1]
        same_place = following.heading == entry.heading and following.depth == entry.depth
        return [following] if same_place and not following.is_item and following.cell < 0 else []

    def _position(self, entry: Entry) -> int:
        """Where ``entry`` (one of the document's) stands among its entries, in constant
        time: ``list.index`` compares each entry before it field by field."""
        if self._positions is None:
            self._positions = {id(e): n for n, e in enumerate(self.document.entries)}
        return self._positions[id(entry)]

    def section_path(self, index: int) -> list[str]:
        """The texts of the headings above heading ``index``, outermost first (not the title),
        markup stripped (an item's path holds them as its titles: owners and timebox cut)."""
        headings = self.document.headings
        path = []
        parent = headings[index].parent
        while parent > 0:
            path.append(clean_title(headings[parent].text))
            parent = headings[parent].parent
        return list(reversed(path))


_VOCABULARY = SECTION_WORDS | CHORE_WORDS | FILLER_WORDS
SECTION, CHORES, OTHER = "section", "chores", "other"


def _is_meta(words: str, section: list[Entry]) -> bool:
    """Whether a heading opens a housekeeping section (no item), by its words and body.

    Section names (participants, housekeeping, organisational items, meta,
    orga) are housekeeping whatever follows, also as a label in parentheses
    (``Next meetings (housekeeping)``). Chore names (minutes, roles, report,
    ``Community call and minutes transfer``, who presents in the call) are
    housekeeping when their body names people or chores, not when it discusses
    something (``Roles and rights in Keystone``, ``Low attendance today``, a
    sponsor, a timebox). ``Roles`` and ``Chores`` name no chore of their own:
    they are housekeeping over a chore line (``- Minutes: @x``), a topic over
    anything else (Keystone's roles, a list of personas). A heading of any
    name over nothing but chore lines (``## Orga`` / ``- Minutes: @x``) is
    housekeeping too; an owner line (``Presenter: @x``) is none.
    """
    kind = heading_class(words)
    if kind == SECTION:
        return True
    body = [e for e in section if e.lines]
    generic = kind == CHORES and _names_no_chore(words)
    if kind == CHORES and not generic:
        return not _topic(words, body)
    upper = [e for e in body if e.depth <= 1]
    if generic:
        return any(_names_chore(e) for e in upper)
    return bool(upper) and all(_names_chore(e) for e in upper)


@lru_cache(maxsize=8192)
def _names_no_chore(words: str) -> bool:
    """Whether a heading's chore words are only ``roles``/``chores``, which name no chore."""
    tokens = set(WORD.findall(words.lower()))
    chores = tokens & CHORE_WORDS
    return bool(chores) and chores <= GENERIC_CHORE_WORDS and not tokens & SECTION_WORDS


def _names_chore(entry: Entry) -> bool:
    """``Minutes: @x``: a chore and who has it (an owner line such as ``Presenter: @x`` is
    none, the spec's, even alone); in a table, a row's first cell naming a chore."""
    first = entry.lines[0].text
    if entry.cell == 0 and not entry.header:
        return chore_label(f"{first}:")
    return (
        ":" in first
        and not OWNER_LINE.match(first)
        and chore_label(strip_lead(entry.text), named=True)
    )


@lru_cache(maxsize=8192)
def heading_words(text: str) -> str:
    """A heading's text as the vocabulary reads it: plain, a misspelt meta word mended."""
    return mend_typos(clean_title(text))


@lru_cache(maxsize=8192)
def heading_class(words: str) -> str:
    """What a heading's words alone say: a housekeeping SECTION, CHORES (its body
    decides), or OTHER. Headings repeat from meeting to meeting: computed once each."""
    bare = words
    if "@" in bare:
        bare = HANDLE.sub(" ", bare)
    if "(" in bare or "[" in bare:
        bare = PARENTHESIS.sub(" ", bare)
    lowered = bare.lower()
    if "minute" in lowered:
        lowered = DURATION.sub(" ", lowered)
    tokens = WORD.findall(lowered)
    # Chore words, with words that join them; joining words alone ("the", "today") say nothing.
    known = all(t in _VOCABULARY for t in tokens) and not FILLER_WORDS.issuperset(tokens)
    if known and SECTION_WORDS.intersection(tokens):
        return SECTION
    if "(" in words or "[" in words:
        for group in PARENTHESIS.finditer(words):
            labels = WORD.findall(group.group(1).lower())
            if labels and all(t in SECTION_WORDS for t in labels):
                return SECTION
    if known or META_HEADING.search(DURATION.sub(" ", words) if "inute" in words else words):
        return CHORES
    return OTHER


def _topic(words: str, body: list[Entry]) -> bool:
    """A body that makes a heading with chore words a topic: a sponsor line, a timebox in
    the heading, or entries none of which names people or a chore."""
    first = body[0].lines[0].text if body else ""
    if OWNER_LINE.match(first) or TIMEBOX.search(words):
        return True
    return bool(body) and not any(people_like(e) for e in body)
