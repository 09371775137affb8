"""The layout of a team's minutes, read from its latest file.

Each team keeps its own layout (``## :family: Participants`` and ``##
:notebook: Agenda`` in one, ``### Participants`` and ``### Pending action
items`` in another). The agenda for the next call repeats it: the headings of
the latest minutes that are not discussion items, at their levels and in
their order, with the items themselves left out. What the layout lacks and
the agenda needs (a participants section, a place for the pending action
items) is added where such teams usually have it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from minutesbot.records.document import Document, read_document
from minutesbot.records.phrases import LABEL_END
from minutesbot.records.vocabulary import FOR_LATER as _LATER
from minutesbot.records.vocabulary import HANDLE, META_HEADING, NOBODY, PLACEHOLDER
from minutesbot.records.vocabulary import LAYOUT_ACTIONS as _ACTIONS
from minutesbot.records.vocabulary import LAYOUT_AGENDA as _AGENDA
from minutesbot.records.vocabulary import LAYOUT_META as _META
from minutesbot.records.vocabulary import LAYOUT_PARTICIPANTS as _PARTICIPANTS
from minutesbot.records.vocabulary import ROLE_WORDS as _ROLE_WORDS

_ONCE = ("participants", "actions", "agenda")
# The closing ``#`` marks are cut in Python (_without_closing_marks): a lazy group before
# an optional closing sequence backtracks cubically on a line of "#  #  #".
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def is_layout_heading(text: str) -> bool:
    """Whether a heading belongs to the layout (participants, chores, agenda), not to a topic."""
    return any(p.search(text) for p in (_PARTICIPANTS, _ACTIONS, _AGENDA, _META))


def role_keys(text: str) -> list[str]:
    """The chores a heading or a label names (``minutes``, ``reporter``, ...)."""
    return [key for key, pattern in _ROLE_WORDS.items() if pattern.search(text)]


@dataclass
class RoleLine:
    """A chore line of the housekeeping section: its label (with its ``:`` or ``?``) and roles."""

    label: str
    roles: list[str]


@dataclass
class Section:
    """One heading of the layout and what the agenda puts below it.

    ``kind`` is ``title``, ``participants``, ``roles`` (a chore heading, or a
    housekeeping section with chore lines), ``housekeeping``, ``actions`` or
    ``agenda``; ``heading`` is None for a place the layout has no heading for
    (items at the end of a file with no agenda heading). ``body`` holds
    standing lines repeated as written (an agenda's house rules).
    """

    kind: str
    level: int
    heading: str | None
    body: list[str] = field(default_factory=list)
    role_lines: list[RoleLine] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def hashes(self) -> str:
        return "#" * self.level

    @property
    def item_level(self) -> int:
        """The level of the items below this section (for the agenda)."""
        return min(self.level + 1, 6) if self.heading else self.level


@dataclass
class Skeleton:
    sections: list[Section]

    def find(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)


def default_skeleton() -> Skeleton:
    """The layout for a team with no minutes yet."""
    return Skeleton(
        [
            Section("title", 1, "{date}"),
            Section("participants", 2, "Participants"),
            Section(
                "roles",
                2,
                "Housekeeping",
                role_lines=[
                    RoleLine("Report in the community call:", ["reporter"]),
                    RoleLine("Responsible for the minutes:", ["minutes"]),
                ],
            ),
            Section("actions", 2, "Pending action items"),
            Section("agenda", 2, "Agenda"),
        ]
    )


def _raw_heading(lines: list[str], number: int, fallback: str) -> str:
    """The heading as written (links and emphasis kept), without its ``#`` marks."""
    if 0 < number <= len(lines):
        m = _HEADING_MARK.match(lines[number - 1])
        if m:
            return _without_closing_marks(m.group(1))
    return fallback


def _without_closing_marks(text: str) -> str:
    """``Title ##`` -> ``Title``; ``C#`` stays (closing marks follow a space)."""
    text = text.strip()
    bare = text.rstrip("#")
    return bare.rstrip() if bare != text and bare[-1:] in (" ", "\t") else text


def skeleton_from(text: str) -> Skeleton:
    """The layout of a minutes file: its title, meta headings and agenda heading."""
    return skeleton_of(read_document(text))


def skeleton_of(doc: Document, notes: Collection[int] = ()) -> Skeleton:
    """The layout of a minutes file already read (see :func:`skeleton_from`).

    ``notes``: the lines of the meeting's own actions and decisions; a paragraph holding
    one is no house rule to repeat, nor a chore line (each agenda would assign it again)."""
    if not doc.headings:
        return default_skeleton()
    lines = doc.text.split("\n")
    sections: list[Section] = []
    title = doc.headings[0]
    sections.append(Section("title", title.level, _raw_heading(lines, title.line, title.text)))
    item_level: int | None = None
    dropped: set[int] = set()
    for index, heading in enumerate(doc.headings[1:], start=1):
        if heading.parent in dropped:
            dropped.add(index)
            continue
        raw = _raw_heading(lines, heading.line, heading.text)
        kind = _kind(doc, index)
        if kind in _ONCE and any(s.kind == kind for s in sections):
            kind = None  # a second agenda or review section would carry everything twice
        if kind is None:
            dropped.add(index)
            if item_level is None:
                item_level = heading.level
            continue
        section = Section(kind, heading.level, raw)
        if kind in ("roles", "housekeeping"):
            section.role_lines = _role_lines(doc, index, set(notes))
            section.roles = [] if _LATER.search(heading.text) else role_keys(heading.text)
            if section.role_lines or section.roles:
                section.kind = "roles"
        elif kind == "agenda":
            section.body = _standing_lines(doc, index, lines, set(notes))
        sections.append(section)
    return _complete(Skeleton(sections), title.level, item_level)


def _kind(doc: Document, index: int) -> str | None:
    """What a heading is in the layout; None for a discussion item."""
    heading = doc.headings[index]
    text = heading.text
    if _PARTICIPANTS.search(text):
        return "participants"
    if _ACTIONS.search(text):
        return "actions"
    if _AGENDA.search(text):
        return "agenda"
    if _META.search(text) and (
        META_HEADING.search(text) or not heading.has_body or _only_names(doc, index)
    ):
        # Housekeeping as the parser reads it, or a chore heading holding names
        # ("Moderation: - @x"); "OSISM - report" with notes below it is an item.
        return "housekeeping"
    has_children = index + 1 < len(doc.headings) and doc.headings[index + 1].parent == index
    if not heading.has_body and has_children and not _inside_meta(doc, index):
        return "agenda"
    return None


def _only_names(doc: Document, index: int) -> bool:
    """Whether the notes right below a heading name people and nothing else: handles,
    placeholders, "tbd", or chore lines ("Minutes: @x")."""
    for entry in doc.entries:
        if entry.heading != index:
            continue
        rest = HANDLE.sub(" ", entry.text)
        label, colon, after = rest.partition(":")
        if not (PLACEHOLDER.match(rest) or NOBODY.match(rest) or (colon and role_keys(label))):
            return False
    return True


def _inside_meta(doc: Document, index: int) -> bool:
    parent = doc.headings[index].parent
    while parent > 0:
        if _META.search(doc.headings[parent].text):
            return True
        parent = doc.headings[parent].parent
    return False


def _role_lines(doc: Document, index: int, notes: set[int]) -> list[RoleLine]:
    """The chore lines below a heading; a line holding an action or a decision (a line of
    ``notes``: ``[ ] @x report on https://...``) is none."""
    found = []
    for entry in doc.entries:
        if entry.heading != index or not notes.isdisjoint(range(entry.line, entry.end + 1)):
            continue
        for line in entry.lines:
            end = LABEL_END.search(line.text)
            label = line.text[: end.end()] if end else ""
            keys = role_keys(label)
            if keys and not _LATER.search(line.text):
                found.append(RoleLine(label.strip(" -*_"), keys))
    return found


def _standing_lines(doc: Document, index: int, lines: list[str], notes: set[int]) -> list[str]:
    """The agenda heading's own paragraphs (house rules), kept as written; lists are notes,
    and so is a paragraph holding an action or a decision (a line of ``notes``)."""
    kept = []
    for entry in doc.entries:
        if (
            entry.heading == index
            and not entry.is_item
            and entry.depth == 0
            and notes.isdisjoint(range(entry.line, entry.end + 1))
        ):
            kept.extend(lines[entry.line - 1 : entry.end])
            kept.append("")
    return kept[:-1]


def _complete(skeleton: Skeleton, title_level: int, item_level: int | None) -> Skeleton:
    """Add the participants, actions and agenda places the layout lacks."""
    sections = skeleton.sections
    top = [s for s in sections[1:] if s.kind != "agenda"] or sections[1:]
    level = min((s.level for s in top), default=min(title_level + 1, 6))
    if skeleton.find("participants") is None:
        sections.insert(1, Section("participants", level, "Participants"))
    if skeleton.find("actions") is None:
        # After the last housekeeping section at the top level, before the agenda.
        position = 1
        for i, s in enumerate(sections):
            if s.kind in ("participants", "roles", "housekeeping") and s.level == level:
                position = i + 1
                while position < len(sections) and sections[position].level > level:
                    position += 1
        sections.insert(position, Section("actions", level, "Pending action items"))
    if skeleton.find("agenda") is None:
        sections.append(Section("agenda", item_level or level, None))
    return skeleton
