"""Minutes files into records, as ``shared/spec/minutes-record.md`` defines them.

:func:`minutesbot.document.read_document` turns the markdown into headings
and entries; the extractors here read meaning from them: which headings are
discussion items and which are housekeeping, who attended, who took the
minutes, what was decided and who owes what. Each extractor follows the
spec's wording and takes no hint from any particular file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

from minutesbot.config import Config
from minutesbot.records.dates import date_in_filename, date_in_text
from minutesbot.records.document import Document, Entry, Heading, Line, read_document
from minutesbot.records.reading import MinutesError, read_minutes
from minutesbot.records.record import (
    Absence,
    Action,
    Decision,
    IssueRef,
    Item,
    Person,
    Record,
    Warning_,
)
from minutesbot.records.refs import refs_in

__all__ = ["MinutesError", "find_minutes_files", "parse_file", "parse_text"]

HANDLE = re.compile(r"(?<![\w.@`-])@([A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)(?![\w@])")
_EMOJI = re.compile(r":[a-z0-9_+-]*[a-z][a-z0-9_+-]*:")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")

_PARTICIPANTS_HEADING = re.compile(r"\b(participants?|attendees|attendance)\b", re.I)
_PARTICIPANTS_LINE = re.compile(
    r"^\s*(participants|participation|attendees|present)\s*:\s*(.*)$", re.I
)
_META_HEADING = re.compile(
    r"\b(participants?|attendees|attendance|housekeeping|recurring items?|organi[sz]ational"
    r"|designate people|who (?:presents|is presenting|reports|is reporting))\b"
    r"|^(?:roles|chores)\b"
    r"|\bminutes?\b.*\b(?:transfer|taking|taker|writing)\b|\b(?:transfer|taking|taker)\b.*\bminutes?\b"
    r"|\b(?:community|team)(?: team)? call\b.*\b(?:report\w*|minutes|present\w*|transfer)\b"
    r"|\b(?:report\w*|present\w*|summary)\b.*\b(?:community|team)(?: team)? call\b",
    re.I,
)
_DECISIONS_HEADING = re.compile(
    r"^\s*(?:decisions?|decisions (?:taken|made)|agreements?|resolutions?)\s*:?\s*$", re.I
)

# Roles (chores of this meeting).
_REPORT = re.compile(
    r"\b(?:community|team)(?: team)? call\b|\breport(?:s|ing|er)?\b|\bpresent(?:s|ing|er)?\b", re.I
)
_MINUTES = re.compile(r"\bminute|\btransfer\b|\bprotocol\b|\bnote[ -]?tak", re.I)
_CHORE = re.compile(
    r"\b(?:community|team)(?: team)? call\b|\bminute|\bprotocol\b|\bnote[ -]?tak"
    r"|^\W*report(?:ing|er)?\b",
    re.I,
)
_OTHER_CHORES = {
    "facilitation": re.compile(r"^\W*facilitat\w*\s*:", re.I),
    "moderation": re.compile(r"^\W*moderat\w*\s*:", re.I),
}
_LATER = re.compile(
    r"\bnext (?:week|meeting|time|call)\b|\bfor the \d+|\bon \d{4}-\d{2}-\d{2}\b", re.I
)
_NOBODY = re.compile(
    r"^\W*(?:404\b.*|no volunteer.*|nobody.*|no ?one.*|none|open|tbd|tba|n/?a|\?+|-+|—)\W*$", re.I
)

# Action items, decisions, absences.
_LEAD = re.compile(r"^[\s>*_~\-–—=→⇒]*(?:-+>|=+>|→|⇒)?\s*")
_ACTION = re.compile(
    r"^(?:(?P<ai>AI)(?!['’\w])|(?P<todo>TODO|To-?Do|To Do(?=\s*:))(?![\w'])"
    r"|(?P<action>Action(?: item)?)\s*(?=(?:\([^)]*\))?\s*:))"
    r"(?:\s*\((?P<paren>[^)]*)\))?\s*:?\s*",
    re.I,
)
_ACTION_FIRST = frozenset("AaTt[")
_DECISION_FIRST = frozenset("DdAaRr")
_BOX = re.compile(r"^\[(?P<mark>[ xX])\]\s+")
_TRAILING_AI = re.compile(
    r"\(\s*(?:AI|action item|todo)\s*:?\s*(?P<who>@[^)]*)\)\s*[.!]?\s*$", re.I
)
_OWNERS_AT_END = re.compile(r"\(\s*(@[\w-]+(?:\s*(?:,|&|/|\band\b)?\s*@[\w-]+)*)\s*\)\s*[.!]?\s*$")
_OWNERS = re.compile(r"^(?:@[\w-]+(?:\s*(?:,|&|\+|/|\band\b)?\s*@[\w-]+)*)\s*")
_JOIN = re.compile(r"^(?:[:,\-–]\s*|to\s+(?=\w))", re.I)
_DONE_LINE = re.compile(
    r"\bDONE\b|\berledigt\b|\(\s*done\s*\)|✅|✔|☑|:white_check_mark:|:heavy_check_mark:"
    r"|:ballot_box_with_check:|(?:[-–:>|,(]|^)\s*done\s*[.!)]*\s*$",
)
_DONE_START = re.compile(r"^\W*(?:done|erledigt|completed|finished)\b|^\W*(?:✅|✔|☑)", re.I)
_DROPPED = re.compile(r"won[’']?t do|\bobsolete\b|\bdropped\b|\bcancell?ed\b", re.I)
_DROPPED_LINE = re.compile(
    r"\(\s*(?:won[’']?t do|obsolete|dropped|cancell?ed)\s*\)"
    r"|(?-i:\b(?:WON'T DO|OBSOLETE|DROPPED|CANCELL?ED)\b)"
    r"|(?:[-–:>|,]|^)\s*(?:won[’']?t do|obsolete|dropped|cancell?ed)\s*[.!]*\s*$",
    re.I,
)
# A parenthesis may stand before the colon: "Decision (for now): ...".
_DECISION = re.compile(
    r"^(?:decision|decided|agreed|agreement|resolution)(?:\s*\([^()]*\))?\s*:\s*", re.I
)
_ABSENCE = re.compile(
    r"\b(?:won[’']?t|will not|can[’']?t|cannot|not|unable to) (?:be )?"
    r"(?:available|attend\w*|join\w*|make it|be there|present)\b"
    r"|\bon (?:vacation|holidays?|leave|pto|parental leave|sick leave)\b|\babsent\b"
    r"|\bout of (?:the )?office\b|\bOOO\b|\b(?:is|am|are|will be) away\b|\bexcused\b"
    r"|\bon sick\b|\bis sick\b|\bapologi[sz]es\b",
    re.I,
)
# Words every absence line contains one of; lower-case literals scan fast.
_ABSENCE_HINT = re.compile(
    r"avail|attend|join|make it|be there|present|vacation|holiday|leave|pto|absent"
    r"|office|ooo|away|excused|sick|apologi"
)
_NAMED_ABSENT = re.compile(
    r"^([A-Z][\w-]+(?: [A-Z][\w-]+)?)\s+(?:is |was |will be |has been )?"
    r"(?:on (?:vacation|holiday|leave|pto)"
    r"|absent|away|excused|sick|out of office|not available|won[’']?t be|will not be|can[’']?t)"
)
_DEFERRED = re.compile(
    r"\b(postponed?|deferred|next week|next time|next meeting|not discussed|skipped|to be continued"
    r"|moved to)\b",
    re.I,
)
_DEFERRED_STRONG = re.compile(
    r"\b(postponed?|deferred|not discussed|skipped|to be continued|moved to)\b", re.I
)
_OWNER_LINE = re.compile(r"^\W*(?:sponsor|owner|presenter|lead|by)\s*:", re.I)
_TIMEBOX = re.compile(r"(?<![\w.])~?\s*(\d+)\s*(?:min(?:ute)?s?\b|[’'](?!\w))", re.I)
_GROUP = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_TIMEBOX_WORD = re.compile(r"\d\s*min\b|\bmin\b|π", re.I)
_TIMEBOX_TAIL = re.compile(r"[\s,;\-–]*~?\s*\d+\s*(?:min(?:ute)?s?|[’'])\s*$", re.I)


def find_minutes_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, with each directory replaced by the ``*.md`` files below it."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*.md")
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return found


def parse_file(
    path: Path,
    *,
    root: Path | None = None,
    config: Config | None = None,
    default_owner: str | None = None,
) -> Record:
    """Read and parse one minutes file; :class:`MinutesError` names the file."""
    config = config or Config()
    text, warnings = read_minutes(path, config.max_file_bytes)
    record = parse_decoded(text, source_of(path, root), config=config, default_owner=default_owner)
    record.warnings[:0] = warnings
    return record


def parse_decoded(
    text: str, source: str, *, config: Config, default_owner: str | None = None
) -> Record:
    """Parse a file's already decoded text; ``source`` is its path below the minutes root."""
    parts = Path(source).parts
    team = parts[0] if len(parts) > 1 else None
    return parse_text(
        text,
        source=source,
        team=team,
        default_owner=config.owner(default_owner),
        team_repo=config.team(team).repo,
    )


def source_of(path: Path, root: Path | None) -> str:
    """A file's ``source``: its path relative to the minutes root (its name outside the root)."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix() if root is None else path.name


def parse_text(
    text: str,
    *,
    source: str = "minutes.md",
    team: str | None = None,
    default_owner: str | None = None,
    team_repo: str | None = None,
) -> Record:
    """Parse the text of one minutes file (already decoded) into a record."""
    doc = read_document(text)
    front = _front_matter(doc.front_matter)
    team = front.get("team") or team
    title_heading = doc.headings[0] if doc.headings else None
    title = _clean_title(title_heading.text) if title_heading else front.get("title")
    record = Record(source=source, team=team, date=None, title=title, line_count=doc.line_count)
    meeting_date = None
    for candidate in (
        front.get("date"),
        title_heading.text if title_heading else None,
        front.get("title"),
    ):
        if candidate:
            meeting_date = date_in_text(candidate)
            if meeting_date:
                break
    meeting_date = meeting_date or date_in_filename(Path(source).name)
    if meeting_date is None:
        record.warnings.append(
            Warning_(
                title_heading.line if title_heading else None,
                "no meeting date in the title heading or the file name",
            )
        )
    record.date = meeting_date.isoformat() if meeting_date else None

    Extraction(doc, record, default_owner, team_repo).run()
    return record


def _front_matter(content: str | None) -> dict[str, str]:
    """The flat ``key: value`` pairs of YAML front matter (what minutes use of it)."""
    if not content:
        return {}
    values = {}
    for raw in content.splitlines():
        key, sep, value = raw.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            values[key.strip().lower()] = value.strip().strip("'\"")
    return values


def _clean_title(text: str) -> str:
    text = _TAG.sub("", text)
    text = _EMOJI.sub("", text)
    return " ".join(text.split())


def handles(text: str) -> list[str]:
    """``@handles`` in text, lower-cased, once each, in order."""
    seen: dict[str, None] = {}
    for m in HANDLE.finditer(text):
        seen.setdefault(m.group(1).lower(), None)
    return list(seen)


def _strip_lead(text: str) -> str:
    return _LEAD.sub("", text, count=1)


class Extraction:
    """The extractors over one document, writing into one record."""

    def __init__(
        self, doc: Document, record: Record, default_owner: str | None, team_repo: str | None
    ) -> None:
        self.doc = doc
        self.record = record
        self.default_owner = default_owner
        self.team_repo = team_repo
        headings = doc.headings
        self.meta = [bool(_META_HEADING.search(h.text)) for h in headings]
        self.item_of_heading: dict[int, Item] = {}
        # One scan of the whole text finds the few lines worth a closer look.
        lowered = doc.text.lower()
        self.absence_lines: set[int] = set()
        line, counted = 1, 0
        for m in _ABSENCE_HINT.finditer(lowered):
            line += lowered.count("\n", counted, m.start())
            counted = m.start()
            self.absence_lines.add(line)
        self.sections: dict[int, list[Entry]] = {}
        for entry in doc.entries:
            self.sections.setdefault(entry.heading, []).append(entry)

    # -- structure -------------------------------------------------------
    def run(self) -> None:
        self.items()
        first_item_line = min((i.line for i in self.record.items), default=10**9)
        self.participants(first_item_line)
        self.roles(first_item_line)
        for entry in self.doc.entries:
            self.entry_lines(entry)
        self.issue_refs()
        self.decision_sections()
        self.assign()

    def section_path(self, index: int) -> list[str]:
        path = []
        parent = self.doc.headings[index].parent
        while parent > 0:
            path.append(_clean_title(self.doc.headings[parent].text))
            parent = self.doc.headings[parent].parent
        if parent == 0 or index == 0:
            pass
        return list(reversed(path))

    def in_meta(self, heading_index: int) -> bool:
        """Whether a line under this heading sits in a housekeeping section, not in an item."""
        if heading_index <= 0:
            return heading_index == 0 or heading_index < 0
        if heading_index in self.item_of_heading:
            return False
        index = heading_index
        while index > 0:
            if self.meta[index]:
                return True
            index = self.doc.headings[index].parent
        return False

    def items(self) -> None:
        doc = self.doc
        for index, heading in enumerate(doc.headings):
            if index == 0 or not heading.has_body or self.meta[index]:
                continue
            title, owners, timebox = _item_heading(heading.text)
            owners += self._owner_line(index)
            item = Item(
                title=title,
                path=self.section_path(index),
                owners=_unique(owners),
                timebox=timebox,
                line=heading.line,
                end_line=heading.end,
            )
            item.deferred = self._deferral(index, heading)
            self.item_of_heading[index] = item
            self.record.items.append(item)

    def _owner_line(self, heading_index: int) -> list[str]:
        body = self.sections.get(heading_index)
        first = body[0].lines[0].text if body and body[0].lines else ""
        return handles(first) if _OWNER_LINE.match(first) else []

    def _deferral(self, heading_index: int, heading: Heading) -> str | None:
        m = _DEFERRED.search(heading.text)
        if m:
            return m.group(1).lower()
        body = [ln for e in self.sections.get(heading_index, ()) for ln in e.lines]
        for ln in body:
            m = _DEFERRED.match(_strip_lead(ln.text))
            if m or (len(body) <= 2 and (m := _DEFERRED_STRONG.search(ln.text))):
                return m.group(1).lower()
        return None

    # -- participants ------------------------------------------------------
    def participants(self, first_item_line: int) -> None:
        people: list[Person] = []
        for index, heading in enumerate(self.doc.headings):
            if _PARTICIPANTS_HEADING.search(heading.text) and index not in self.item_of_heading:
                section = self.sections.get(index, [])
                listed = [e for e in section if e.is_item]
                # A table of attendees: a row each, the person in its first column.
                rows = [e for e in section if e.cell == 0 and not e.header]
                if listed:
                    top = min(e.depth for e in listed)
                    chosen = [e for e in listed if e.depth == top]
                elif rows:
                    chosen = rows
                else:
                    chosen = [e for e in section if all(_names_line(ln.text) for ln in e.lines)]
                for entry in chosen:
                    people += _people(entry)
        for entry in self.doc.entries:
            if entry.line >= first_item_line or not entry.lines:
                continue
            m = _PARTICIPANTS_LINE.match(_strip_lead(entry.lines[0].text))
            if not m:
                continue
            if m.group(2).strip():
                for part in re.split(r"[,;]", m.group(2)):
                    people += _person(part)
            else:
                for child in entry.children or self._next_list(entry):
                    people += _people(child)
        seen = set()
        for person in people:
            if person.key and person.key not in seen:
                seen.add(person.key)
                self.record.participants.append(person)

    def _next_list(self, entry: Entry) -> list[Entry]:
        """The entries of the list right after a paragraph (its top level)."""
        entries = self.doc.entries
        index = entries.index(entry)
        following = [e for e in entries[index + 1 :] if e.heading == entry.heading]
        if not following or not following[0].is_item:
            return []
        list_id = following[0].list_id
        return [e for e in following if e.list_id == list_id and e.depth == following[0].depth]

    # -- roles -------------------------------------------------------------
    def roles(self, first_item_line: int) -> None:
        roles = self.record.roles
        role_headings: dict[int, bool] = {}
        entries = self.doc.entries
        for entry_index, entry in enumerate(entries):
            if not (self.in_meta(entry.heading) or entry.line < first_item_line):
                continue
            lines = [_strip_lead(ln.text) for ln in entry.lines]
            position = 0
            while position < len(lines):
                text = lines[position]
                position += 1
                for key, pattern in _OTHER_CHORES.items():
                    if pattern.match(text) and not _LATER.search(text):
                        names = _role_value(text.split(":", 1)[1])
                        if names is not None:
                            _add_role(roles, key, names)
                if not _CHORE.search(text) or _PARTICIPANTS_LINE.match(text):
                    continue
                # A question wrapped over several lines: read on to its '?' or ':'.
                # A line that names a chore starts a chore of its own, unless it carries
                # on the sentence (lower case: "... and transforming etherpad / to minutes
                # in GitHub?").
                while (
                    not re.search(r"[?:]", text)
                    and not HANDLE.search(text)
                    and position < len(lines)
                    and (not _CHORE.search(lines[position]) or lines[position][:1].islower())
                ):
                    text = f"{text} {lines[position]}"
                    position += 1
                if _LATER.search(text):
                    continue
                label, value = _split_label(text)
                if not (_REPORT.search(label) or _MINUTES.search(label)):
                    continue
                names = _role_value(value)
                if names is None and position < len(lines):
                    names = _role_value(lines[position])
                    position += names is not None
                if names is None and entry.children:
                    names = [n for child in entry.children for n in (_role_value(child.text) or [])]
                if names is None:
                    names = self._handles_entry_after(entry_index)
                if names is None:
                    continue
                role_headings[entry.heading] = True
                if _REPORT.search(label):
                    _add_role(roles, "reporter", names)
                if _MINUTES.search(label):
                    _add_role(roles, "minutes", names)
        for index, heading in enumerate(self.doc.headings):
            if not self.meta[index] or role_headings.get(index) or _LATER.search(heading.text):
                continue
            if not (_REPORT.search(heading.text) or _MINUTES.search(heading.text)):
                continue
            if _PARTICIPANTS_HEADING.search(heading.text) or re.search(
                r"housekeeping|recurring", heading.text, re.I
            ):
                continue
            body = self.sections.get(index, [])
            names = [n for e in body for n in (_role_value(e.text) or [])]
            if _REPORT.search(heading.text):
                _add_role(roles, "reporter", names)
            if _MINUTES.search(heading.text):
                _add_role(roles, "minutes", names)

    def _handles_entry_after(self, index: int) -> list[str] | None:
        """Handles of the next entry when it holds nothing else (an answer below a question)."""
        entries = self.doc.entries
        if index + 1 >= len(entries):
            return None
        following = entries[index + 1]
        if (
            following.heading != entries[index].heading
            or following.parent is not entries[index].parent
        ):
            return None
        text = following.text
        found = handles(text)
        if found and not HANDLE.sub("", text).strip(" ,;&*_-"):
            return found
        return None

    # -- actions, decisions, absences -------------------------------------------
    def entry_lines(self, entry: Entry) -> None:
        for position, line in enumerate(entry.lines):
            text = _strip_lead(line.text)
            if not text:
                continue
            first = text[0]
            if first in _ACTION_FIRST or "(" in text:
                self.line_action(entry, position, line, text)
            if first in _DECISION_FIRST:
                self.line_decision(entry, position, line, text)
            if line.number in self.absence_lines and _ABSENCE.search(line.text):
                self.absence(line)

    def line_action(self, entry: Entry, position: int, line: Line, text: str) -> None:
        status = None
        box = _BOX.match(text)
        owners: list[str]
        if box:
            rest = text[box.end() :]
            owners_m = _OWNERS.match(rest)
            marker = _ACTION.match(rest)
            if marker:
                rest = rest[marker.end() :]
                owners_m = _OWNERS.match(rest)
            if not owners_m and not marker:
                return
            status = "done" if box.group("mark").lower() == "x" else "open"
            owners = handles(owners_m.group(0)) if owners_m else []
            body = rest[owners_m.end() :] if owners_m else rest
        else:
            marker = _ACTION.match(text)
            if marker:
                rest = text[marker.end() :]
                owners = []
                paren = marker.group("paren")
                if paren is not None:
                    owners = handles(paren) or [
                        w.lower()
                        for w in re.split(r"[\s,/&]+", paren)
                        if re.fullmatch(r"[A-Za-z0-9][\w-]*", w)
                    ]
                owners_m = _OWNERS.match(rest)
                if owners_m:
                    owners += handles(owners_m.group(0))
                    rest = rest[owners_m.end() :]
                body = rest
                trailing = _TRAILING_AI.search(body)
                if trailing and not owners:
                    owners = handles(trailing.group("who"))
                    body = body[: trailing.start()]
            else:
                trailing = _TRAILING_AI.search(line.text)
                if not trailing:
                    return
                owners = handles(trailing.group("who"))
                inside = _JOIN.sub("", HANDLE.sub("", trailing.group("who")).strip(" ,&/"), count=1)
                # "(AI: @x to ask via matrix)" says the task; "(AI @x via @y)" only who.
                body = inside if len(inside.split()) > 1 else line.text[: trailing.start()]
        body = _JOIN.sub("", body.strip(), count=1).strip(" -–—,;")
        if not body:
            if marker and not box and position == len(entry.lines) - 1:
                self.marker_list(entry, owners)
            return
        if status is None:
            status = self._status(entry, position, line, body)
        action = Action(
            owners=_unique(owners), text=body, status=status, item=None, line=line.number
        )
        self.record.actions.append(action)

    def marker_list(self, entry: Entry, owners: list[str]) -> None:
        """A marker with no text of its own (``AI:``, ``ToDo:``): each entry of the list
        below it is an action, as the spec has it for ``Decision:``.

        The list is the marker's sub-entries, or, for a marker standing as a
        paragraph, the list right after it. An entry's owners are the handles
        it starts with (``@fkr to mail CSPs``), else the marker's. Entries that
        are actions by themselves (a marker, a box, ``(AI @x)``) are left to be
        read as such.
        """
        below = entry.children or ([] if entry.is_item else self._next_list(entry))
        for child in below:
            first = child.lines[0]
            text = _strip_lead(first.text)
            if (
                not text
                or _ACTION.match(text)
                or _BOX.match(text)
                or _TRAILING_AI.search(first.text)
            ):
                continue
            owners_m = _OWNERS.match(text)
            mine = handles(owners_m.group(0)) if owners_m else owners
            body = _JOIN.sub("", text[owners_m.end() :] if owners_m else text, count=1).strip(
                " -–—,;"
            )
            named = _OWNERS_AT_END.search(body)
            if named and not owners_m:  # "Testcase (@kgube)"
                mine, body = handles(named.group(1)), body[: named.start()].rstrip(" -–—,;")
            if body:
                status = self._status(child, 0, first, body)
                self.record.actions.append(Action(_unique(mine), body, status, None, first.number))

    @staticmethod
    def _status(entry: Entry, position: int, line: Line, body: str) -> str:
        if line.struck:
            return "done"
        if _DONE_LINE.search(body):
            return "done"
        if _DROPPED_LINE.search(body):
            return "dropped"
        if position == 0:
            for child in entry.children:
                first = child.lines[0].text if child.lines else ""
                if _DONE_START.match(first):
                    return "done"
                if _DROPPED.match(_strip_lead(first)) or _DROPPED_LINE.search(first):
                    return "dropped"
        return "open"

    def line_decision(self, entry: Entry, position: int, line: Line, text: str) -> None:
        m = _DECISION.match(text)
        if not m:
            return
        rest = text[m.end() :].strip()
        if rest:
            if not rest.endswith("?"):
                self.record.decisions.append(Decision(rest, None, line.number))
            return
        if position != len(entry.lines) - 1:
            follow = entry.lines[position + 1 :]
            for ln in follow:
                self.record.decisions.append(Decision(_strip_lead(ln.text), None, ln.number))
            return
        for child in entry.children or self._next_list(entry):
            if child.text and not _ACTION.match(_strip_lead(child.text)):
                self.record.decisions.append(Decision(_strip_lead(child.text), None, child.line))

    def decision_sections(self) -> None:
        for index, heading in enumerate(self.doc.headings):
            if not _DECISIONS_HEADING.match(_clean_title(heading.text)):
                continue
            known = {d.line for d in self.record.decisions}
            section = self.sections.get(index)
            if not section:
                continue
            top = min(e.depth for e in section)
            for entry in section:
                if entry.depth == top and entry.line not in known and entry.text:
                    text = _DECISION.sub("", _strip_lead(entry.text), count=1)
                    self.record.decisions.append(Decision(text, None, entry.line))

    def absence(self, line: Line) -> None:
        """People said to be away; a line naming nobody is about systems, not people."""
        who: list[str | None] = list(handles(line.text))
        if not who:
            named = _NAMED_ABSENT.match(_strip_lead(line.text))
            if not named:
                return
            who = [named.group(1)]
        text = " ".join(HANDLE.sub("", line.text).split()).strip(" :,-&")
        for person in who:
            self.record.absences.append(Absence(person, text, line.number))

    # -- refs ----------------------------------------------------------------
    def issue_refs(self) -> None:
        by_ref: dict[str, IssueRef] = {}
        sources: list[tuple[int, str]] = [(h.line, h.scan) for h in self.doc.headings]
        sources += [(ln.number, ln.scan) for e in self.doc.entries for ln in e.lines]
        sources += [(ln.number, ln.scan) for ln in self.doc.scan_only]
        sources.sort(key=lambda pair: pair[0])
        for number, scan in sources:
            if "#" not in scan and "github.com" not in scan:
                continue
            for ref in refs_in(scan, self.default_owner, self.team_repo):
                known = by_ref.get(ref.ref)
                if known is None:
                    by_ref[ref.ref] = IssueRef(ref.ref, ref.kind, ref.url, [number])
                    continue
                if known.kind == "issue" and ref.kind != "issue" and "github.com" in ref.url:
                    known.kind, known.url = ref.kind, ref.url
                if number not in known.lines:
                    known.lines.append(number)
        self.record.issues = list(by_ref.values())

    # -- item membership -----------------------------------------------------
    def assign(self) -> None:
        """Give each action, decision and ref the item whose lines hold it."""
        items = self.record.items  # in document order, each ending before the next heading
        starts = [item.line for item in items]

        def item_at(line: int) -> Item | None:
            index = bisect_right(starts, line) - 1
            if index >= 0 and line <= items[index].end_line:
                return items[index]
            return None

        self.record.actions.sort(key=lambda a: a.line)
        self.record.decisions.sort(key=lambda d: d.line)
        for action in self.record.actions:
            item = item_at(action.line)
            if item:
                action.item = item.title
                item.actions.append(action)
        for decision in self.record.decisions:
            item = item_at(decision.line)
            if item:
                decision.item = item.title
                item.decisions.append(decision)
        for ref in self.record.issues:
            for line in ref.lines:
                item = item_at(line)
                if item and ref.ref not in item.issues:
                    item.issues.append(ref.ref)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _item_heading(text: str) -> tuple[str, list[str], int | None]:
    """Title, owners and timebox of an item heading.

    Every parenthesis (or bracket) holding a handle or a timebox is the
    owner/timebox parenthesis and leaves the title; others stay
    (``(OpenStack)``). A timebox outside any parenthesis counts too.
    """
    text = _clean_title(text)
    owners = handles(text)
    timebox = None
    title = text
    for group in reversed(list(_GROUP.finditer(text))):
        inner = group.group(1)
        if HANDLE.search(inner) or _TIMEBOX.search(inner) or _TIMEBOX_WORD.search(inner):
            box = _TIMEBOX.search(inner)
            if box and timebox is None:
                timebox = int(box.group(1))
            title = title[: group.start()] + " " + title[group.end() :]
    if timebox is None:
        box = _TIMEBOX.search(title)
        if box:
            timebox = int(box.group(1))
            tail = _TIMEBOX_TAIL.search(title)
            if tail:
                title = title[: tail.start()]
    title = " ".join(title.split()).strip(" ,;-–")
    return title or text, owners, timebox


def _split_label(text: str) -> tuple[str, str]:
    """``Responsible for the minutes: @x`` -> label and value."""
    m = re.search(r"[?:]", text)
    if not m:
        found = HANDLE.search(text)
        if found:
            return text, text
        return text, ""
    return text[: m.start()], text[m.end() :].lstrip("?: ")


def _role_value(value: str) -> list[str] | None:
    """The people a chore line names: handles, a name as written, nobody ([]), or None."""
    value = _strip_lead(value).strip()
    if not value:
        return None
    found = handles(value)
    if found:
        return found
    if _NOBODY.match(value):
        return []
    if "?" in value or _CHORE.search(value):
        return None
    words = value.strip(" .,;:!")
    if re.search(r"[A-Za-z]", words) and len(words.split()) <= 3:
        return [words.lower()]
    return None


def _add_role(roles: dict[str, list[str]], key: str, names: list[str]) -> None:
    bucket = roles.setdefault(key, [])
    for name in names:
        if name not in bucket:
            bucket.append(name)


_PLACEHOLDER = re.compile(r"^\W*(?:\.\.\.|…|-|add yourself|your name|name|tbd)?\W*$", re.I)


# A name as written in a list of people: capitalised words (``Kurt``, ``Anna Lena
# Meyer``), particles such as ``van`` or ``de`` between them.
_NAME = re.compile(
    r"^[^\W\d_a-z][\w.'’-]*(?:\s+(?:[^\W\d_a-z][\w.'’-]*|v[ao]n|de[rn]?|d[aiu]|l[ae]|zu))"
    r"{0,3}$"
)
_PEOPLE_SEPARATOR = re.compile(r"[,;]|\s+&\s+")


def _names_line(text: str) -> bool:
    """A line of a participants section that names people and says nothing else."""
    parts = [part.strip() for part in _PEOPLE_SEPARATOR.split(text) if part.strip()]
    return bool(parts) and all(
        (HANDLE.search(part) and len(part.split()) <= 4) or _NAME.match(part) for part in parts
    )


def _people(entry: Entry) -> list[Person]:
    """The people of a list entry (its first line), or of each line of a paragraph."""
    found: list[Person] = []
    for line in entry.lines[:1] if entry.is_item else entry.lines:
        if line.struck:
            continue
        parts = (
            _PEOPLE_SEPARATOR.split(line.text)
            if line.text.count("@") > 1 or not entry.is_item
            else [line.text]
        )
        for part in parts:
            found += _person(part)
    return found


def _person(text: str) -> list[Person]:
    text = text.strip()
    if _PLACEHOLDER.match(text) or "add yourself" in text.lower():
        return []
    who = list(HANDLE.finditer(text))
    if who:
        people = []
        first = who[0]
        before = text[: first.start()].strip(" (,-–:")
        name = before if re.search(r"[A-Za-z]", before) and len(who) == 1 else None
        for m in who:
            people.append(Person(m.group(1).lower(), name))
        return people
    name = re.sub(r"\s*\([^)]*\)\s*$", "", text).strip(" .,;:")
    if not re.search(r"[^\W\d_]", name) or len(name.split()) > 5:
        return []
    return [Person(None, name)]


def iter_records(
    paths: Iterable[Path], *, root: Path | None, config: Config, default_owner: str | None = None
) -> Iterator[Record | MinutesError]:
    """Parse each file, yielding its record or the error that stopped it."""
    for path in paths:
        try:
            yield parse_file(path, root=root, config=config, default_owner=default_owner)
        except MinutesError as exc:
            yield exc
