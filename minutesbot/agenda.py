"""What the next call's agenda carries forward from a team's history.

:func:`build_agenda` reads the team's records (oldest first) and gathers what
must not fall through the cracks: action items still open (via
:mod:`minutesbot.tracking`, so an item reported done in a later review is not
carried), topics put off and not discussed since, people known to be away on
the new date, and whose turn the chores are. Each carried thing keeps where
it came from: the meeting's date, the file and line, and a link relative to
the new file. The result is plain data for a Jinja2 template
(:mod:`minutesbot.render`).
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, TypeVar

from minutesbot.anchors import line_anchor
from minutesbot.away import span_covering
from minutesbot.cadence import CadenceError, StartTime, next_date, start_time
from minutesbot.config import Config
from minutesbot.dates import date_in_filename, still_to_come
from minutesbot.document import Document, read_document
from minutesbot.parser import HANDLE, MinutesError, find_minutes_files, handles, parse_file
from minutesbot.reading import read_minutes
from minutesbot.render import TemplateError, render_agenda
from minutesbot.record import Action, Record
from minutesbot.skeleton import Skeleton, default_skeleton, is_layout_heading, skeleton_from
if TYPE_CHECKING:
    from minutesbot.github import FoundIssue
from minutesbot.tracking import (Review, find_review, normalise_text, owners_overlap, texts_match,
                                 track_actions)

REGULAR_WINDOW = 8        # regular attendees: in the last this many meetings ...
RECURRING_WINDOW = 5      # a standing topic: in the last this many meetings ...
RECURRING_MIN = 3         # ... at least this often
REGULAR_SHARE = 0.5       # ... present at least this often
ABSENCE_HORIZON = 120     # days: older absence notes are not read for the new date

# How minutes say a topic was put off: "postponed", "skipped", "moved to the next meeting".
_PUT_OFF = (r"(?:postponed?|deferred|not discussed|skipped|carried over|to be continued"
            r"|(?:moved|pushed|shifted) to (?:the |a )?(?:next|later|another|following|\d[\d./-]*))")
_LATER = r"next (?:week|time|meeting|call)\b(?!\s*:)"      # "Next week: holiday" is news
_NOT_AGAIN = r"(?!\s+(?:from|since)\b)"                    # "(postponed from last week)": back now
# A heading marked as put off: "(postponed)", "- skipped", ": not discussed", "-> next meeting".
_MARKED = re.compile(rf"(?:[(\[,:]|\s[-–—]|->|→|=>)\s*{_PUT_OFF}\b{_NOT_AGAIN}"
                     rf"|(?:->|→|=>)\s*{_LATER}", re.I)
# A note that says no more than that: "not discussed yet", "skipped, @x not present".
_STATEMENT = re.compile(rf"^\W*({_PUT_OFF}|{_LATER}){_NOT_AGAIN}\b(.*)$", re.I)
STATEMENT_WORDS = 12
# A heading over a list of topics put off ("Postponed items"): each entry is a topic.
_GROUP = re.compile(r"^\W*(?:postponed|deferred|not discussed|skipped|carried over)\b", re.I)
# What a note holds besides words: links, refs, handles, timeboxes ("see PR #12", "10 min").
_NOISE_WORD = re.compile(r"://|^\W*@|#\d|^\W*(?:see|issues?|prs?|pull|request|links?|min(?:ute)?s?|h|hours?)"
                         r"\W*$|^[^a-z]*$", re.I)
_LABEL = re.compile(r"^\W*(?:sponsor|owner|presenter|lead|by|timebox|duration)\s*:", re.I)
_CARRY_NOTE = re.compile(r"^\W*carried since\b", re.I)     # the default template's note
_DEFERRAL_TAIL = re.compile(
    r"\s*(?:->|→|=>|[-–—:(\[])?\s*(?:postponed?|deferred|next week|next time|next meeting|not discussed"
    r"|skipped|to be continued|moved to|carried over)\b.*$", re.I)
_OWNER_PAREN = re.compile(r"\s*\((?:[^()]*@[^()]*)\)")


@dataclass
class Origin:
    """Where a carried thing was written: meeting date, file, line, link from the new file."""

    date: str
    source: str
    line: int
    link: str


@dataclass
class CarriedAction:
    """An open action where it was first written; ``seen``: the last meeting that listed it."""

    owners: list[str]
    text: str
    origin: Origin
    item: str | None
    issues: list[str] = field(default_factory=list)
    seen: str = ""


@dataclass
class CarriedItem:
    """A topic put off and not discussed since; ``meetings`` held since it was first put off."""

    title: str
    owners: list[str]
    deferred: str
    since: Origin
    meetings: int
    issues: list[str] = field(default_factory=list)
    seen: str = ""


@dataclass
class Topic:
    """A topic on most recent agendas (a standing report), repeated as an empty heading."""

    title: str
    owners: list[str]


@dataclass
class Away:
    """Someone an earlier meeting said is away on the new date: who, the days, the note."""

    who: str
    handle: bool
    start: date
    end: date
    text: str
    origin: Origin


@dataclass
class RoleSuggestion:
    """Who is next for a chore: the regular attendee who did it least recently."""

    role: str
    who: str | None
    last: str | None


@dataclass
class Agenda:
    """Everything the template needs for one team's next call."""

    team: str
    date: date
    date_text: str
    start: StartTime | None
    skeleton: Skeleton
    previous: Origin | None
    actions: list[CarriedAction]
    deferred: list[CarriedItem]
    recurring: list[Topic]
    away: list[Away]
    roles: dict[str, RoleSuggestion]
    issue_urls: dict[str, str]
    issue_states: dict[str, str | None] = field(default_factory=dict)
    github_note: str | None = None
    # Open issues carrying the team's agenda label (with a token), as topics.
    labelled: list[FoundIssue] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The title heading of the layout with the new date in place of the old one."""
        return self.retitle(self.skeleton.sections[0].heading or "{date}")

    def retitle(self, heading: str) -> str:
        """``heading`` with the last meeting's date, as written there, replaced by the new one."""
        if "{date}" in heading:
            return heading.replace("{date}", self.date_text)
        if self.previous:
            old = date.fromisoformat(self.previous.date)
            for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y%m%d", "%B %d, %Y", "%b %d, %Y"):
                if old.strftime(fmt) in heading:
                    return heading.replace(old.strftime(fmt), self.date_text)
        return self.date_text

    def suggestion(self, roles: list[str]) -> RoleSuggestion | None:
        """The suggestion for the first of ``roles`` the team has had lately."""
        return next((self.roles[r] for r in roles if r in self.roles), None)

    @property
    def carried_refs(self) -> list[str]:
        """Every issue a carried action or topic links to, once, in order."""
        refs = [r for a in self.actions for r in a.issues] + [r for d in self.deferred for r in d.issues]
        return list(dict.fromkeys(refs))


@dataclass
class History:
    """A team's dated records, oldest first, and the minutes root they were read from.

    The documents of the files are read when first needed and kept, and shared
    with the histories :meth:`upto` cuts from this one.
    """

    root: Path
    records: list[Record]
    warnings: list[str]
    documents: dict[str, Document] = field(default_factory=dict, repr=False)
    reviews: dict[str, Review | None] = field(default_factory=dict, repr=False)

    def text(self, record: Record, max_bytes: int) -> str:
        """The record's file, decoded as the parser decoded it (so line numbers agree)."""
        return read_minutes(self.root / record.source, max_bytes)[0]

    def document(self, record: Record, max_bytes: int) -> Document:
        """The record's file as headings and entries (the notes below an item)."""
        if record.source not in self.documents:
            self.documents[record.source] = read_document(self.text(record, max_bytes))
        return self.documents[record.source]

    def review(self, record: Record, max_bytes: int) -> Review | None:
        """The record's review of earlier action items, if it has one."""
        if record.source not in self.reviews:
            self.reviews[record.source] = find_review(record, self.document(record, max_bytes))
        return self.reviews[record.source]

    def upto(self, count: int) -> "History":
        """The history before its ``count``-th meeting, as it was known then."""
        return History(self.root, self.records[:count], [], self.documents, self.reviews)


def team_folders(root: Path) -> list[str]:
    """The folders of a minutes root (hidden ones left out), with minutes or not yet."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def team_names(root: Path) -> list[str]:
    """The teams of a minutes root: its folders that hold minutes files."""
    return [name for name in team_folders(root) if any((root / name).rglob("*.md"))]


def agenda_teams(root: Path, config: Config) -> list[str]:
    """The teams an agenda may be written for when none is named.

    The folders with minutes; while there are none, the configured teams and
    the empty folders (a team set up before its first call).
    """
    return team_names(root) or sorted(set(config.teams) | set(team_folders(root)))


def load_history(root: Path, team: str, config: Config) -> History:
    """The team's dated records, oldest first; undated or unreadable files become warnings."""
    records: list[Record] = []
    warnings: list[str] = []
    folder = root / team
    for path in find_minutes_files([folder]) if folder.is_dir() else []:
        try:
            record = parse_file(path, root=root, config=config)
        except MinutesError as exc:
            warnings.append(f"{exc}; skipped")
            continue
        if not record.date:
            warnings.append(f"{record.source}: no meeting date in the title or the file name; skipped")
            continue
        record.team = team
        records.append(record)
    records.sort(key=lambda r: (r.date or "", r.source))
    return History(root, records, warnings)


def _link(source: str, line: int, team: str) -> str:
    """The source file relative to the new file (which sits in the team's folder)."""
    relative = Path(os.path.relpath(source, team)).as_posix()
    return relative + line_anchor(relative, line)


def _origin(record: Record, line: int, team: str) -> Origin:
    return Origin(record.date or "", record.source, line, _link(record.source, line, team))


def open_actions(records: list[Record], team: str,
                 reviews: Mapping[str, Review] | None = None) -> list[CarriedAction]:
    """Actions no later meeting reported done or dropped, each once (its first writing).

    Reviews re-list an open action every week ("OPEN"); such repeats are the
    same action and are folded into the earliest one. With the team's
    ``reviews``, what the latest one no longer lists is not carried either.
    """
    by_source = {r.source: r for r in records}
    carried: list[tuple[CarriedAction, str]] = []
    for tracked in track_actions(records, reviews):
        if tracked.status != "open":
            continue
        action = tracked.action
        norm = normalise_text(action.text)
        record = by_source[tracked.source]
        refs = [ref.ref for ref in record.issues if action.line in ref.lines]
        earlier = next((c for c, c_norm in carried if _same_action(action, norm, c, c_norm)), None)
        if earlier is not None:
            earlier.seen = max(earlier.seen, record.date or "")
            earlier.issues = list(dict.fromkeys(earlier.issues + refs))
            continue
        carried.append((CarriedAction(list(action.owners), action.text,
                                      _origin(record, action.line, team), action.item, refs,
                                      seen=record.date or ""), norm))
    return [c for c, _norm in carried]


Carried = TypeVar("Carried", CarriedAction, CarriedItem)


def recent_only(carried: list[Carried], records: list[Record], meetings: int | None) -> list[Carried]:
    """What the last ``meetings`` meetings listed or put off (all of it for None)."""
    if not meetings or meetings >= len(records):
        return carried
    since = records[-meetings].date or ""
    return [c for c in carried if c.seen >= since]


def _same_action(action: Action, norm: str, earlier: CarriedAction, earlier_norm: str) -> bool:
    return owners_overlap(action.owners, earlier.owners) and texts_match(norm, earlier_norm)


def topic_key(title: str) -> str:
    """An item title without owners, timebox or deferral note, for comparing across meetings."""
    return normalise_text(HANDLE.sub(" ", clean_topic(title)))


def clean_topic(title: str) -> str:
    """``Ongoing work (@garloff) -> moved to the next meeting`` -> ``Ongoing work``."""
    text = _DEFERRAL_TAIL.sub("", title)
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
                seen[key] = Topic(clean_topic(item.title), list(item.owners))   # latest wording wins
                keys.add(key)
        counts.update(keys)
    carried_keys = [topic_key(c.title) for c in carried]
    return [topic for key, topic in seen.items()
            if counts[key] >= RECURRING_MIN and not any(texts_match(key, c) for c in carried_keys)]


def put_off_phrase(title: str, notes: list[str]) -> str | None:
    """How an item was put off as a whole (``postponed``), or None when it was taken up.

    Either its heading says so ("Topic (not discussed)", "Topic -> moved to the
    next meeting"), or its notes open with a short note saying so, or such a
    note stands beside at most one other line ("Issue #95" / "skipped, @x not
    present"). Notes that discuss the topic and end "postponed to R5" or
    "continue next meeting" are a discussion, not a topic put off.
    """
    marked = _MARKED.search(title)
    if marked:
        return _phrase(marked.group(0))
    if not any(map(_STATEMENT.match, notes)):
        return None
    said = _substantive(notes)
    statements = [m for m in map(_STATEMENT.match, said)
                  if m and len(m.group(2).split()) <= STATEMENT_WORDS]
    if statements and (statements[0].string == said[0] or len(said) <= 2):
        return _phrase(statements[0].group(1))
    return None


def _phrase(text: str) -> str:
    return " ".join(re.sub(r"^\W+", "", text).lower().split())


def _substantive(notes: list[str]) -> list[str]:
    """The notes that say something: not a link, a sponsor line, a timebox or the carry note."""
    return [line for line in notes
            if not _LABEL.match(line) and not _CARRY_NOTE.match(line)
            and not all(_NOISE_WORD.search(word) for word in line.split())]


def _notes(document: Document, line: int) -> tuple[int | None, list[str]]:
    """The heading at ``line`` (its index) and the text of the notes right below it."""
    index = next((i for i, h in enumerate(document.headings) if h.line == line), None)
    if index is None:
        return None, []
    return index, [ln.text for e in document.entries if e.heading == index for ln in e.lines]


def _group_topics(document: Document, index: int | None) -> list[tuple[str, list[str], int]]:
    """The topics a "Postponed items" heading lists: title, owners, line of each entry."""
    entries = [e for e in document.entries if index is not None and e.heading == index and e.is_item]
    top = min((e.depth for e in entries), default=0)
    return [(clean_topic(e.text), handles(e.text), e.line) for e in entries
            if e.depth == top and len(e.text.split()) <= STATEMENT_WORDS]


def deferred_items(history: History, records: list[Record], team: str, side: set[str],
                   max_bytes: int) -> list[CarriedItem]:
    """Topics put off as a whole and not taken up since, with the age of the first putting-off.

    A topic stays carried while every following call lists it again without
    taking it up (put off once more, or its heading left with the carry note
    only). A later item with its title that has notes of its own took it up; a
    regular call that has no heading for it any more dropped it (side meetings
    never do), so nothing is carried unseen for longer than one call.
    """
    carried: dict[str, CarriedItem] = {}
    first_index: dict[str, int] = {}

    def put_off(key: str, title: str, owners: list[str], phrase: str, record: Record, line: int,
                issues: list[str], index: int) -> None:
        match = next((k for k in carried if texts_match(k, key)), None)
        if match is None:
            carried[key] = CarriedItem(title, owners, phrase, _origin(record, line, team), 0, issues,
                                       seen=record.date or "")
            first_index[key] = index
            return
        known = carried[match]
        known.seen = record.date or ""
        known.owners = list(dict.fromkeys(known.owners + owners))
        known.issues = list(dict.fromkeys(known.issues + issues))

    for index, record in enumerate(records):
        document = history.document(record, max_bytes) if record.items or carried else None
        if document is not None and carried and record.source not in side:
            listed = [topic_key(h.text) for h in document.headings] + \
                [topic_key(e.text) for e in document.entries if e.is_item]
            for key in [k for k in carried if not any(texts_match(k, heading) for heading in listed)]:
                del carried[key]
        for item in record.items:
            key = topic_key(item.title)
            if not key or is_layout_heading(item.title) or document is None:
                continue
            heading, notes = _notes(document, item.line)
            group = _GROUP.match(item.title)
            if group:
                for title, owners, line in _group_topics(document, heading):
                    if topic_key(title):
                        put_off(topic_key(title), title, owners, _phrase(group.group(0)), record, line, [],
                                index)
                continue
            phrase = put_off_phrase(item.title, notes)
            if phrase is not None:
                put_off(key, clean_topic(item.title), list(item.owners), phrase, record, item.line,
                        list(item.issues), index)
            elif _substantive(notes):
                for match in [k for k in carried if texts_match(k, key)]:
                    del carried[match]
    for key, item in carried.items():
        item.meetings = len(records) - first_index[key]
    return list(carried.values())


def away_on_day(records: list[Record], day: date, team: str) -> list[Away]:
    """Absence notes of earlier meetings that cover ``day``."""
    found: list[Away] = []
    for record in records:
        said_on = date.fromisoformat(record.date or "")
        if not 0 < (day - said_on).days <= ABSENCE_HORIZON:
            continue
        for absence in record.absences:
            span = span_covering(absence.text, said_on, day) if absence.who else None
            if span is None or not absence.who:
                continue
            handle = bool(HANDLE.fullmatch("@" + absence.who))
            who = absence.who.lower() if handle else absence.who
            found = [a for a in found if a.who != who]
            found.append(Away(who, handle, span[0], span[1], absence.text,
                              _origin(record, absence.line, team)))
    return found


def regular_attendees(records: list[Record]) -> Counter[str]:
    """Handles present in at least half of the last meetings, with their attendance."""
    recent = records[-REGULAR_WINDOW:]
    counts: Counter[str] = Counter()
    for record in recent:
        counts.update({p.handle for p in record.participants if p.handle})
    needed = max(2, round(REGULAR_SHARE * len(recent))) if len(recent) > 1 else 1
    return Counter({who: n for who, n in counts.items() if n >= needed})


def suggest_roles(records: list[Record], away: set[str]) -> dict[str, RoleSuggestion]:
    """For each chore the team has had lately, the regular who did it least recently.

    Nobody who has never done it goes before somebody who has; ties go to
    the one who attends most, then alphabetically, so the result is stable.
    """
    recent = records[-REGULAR_WINDOW:]
    chores = list(dict.fromkeys(role for r in recent for role in r.roles))
    regulars = regular_attendees(records)
    if not regulars:
        regulars = Counter(who for r in recent for names in r.roles.values() for who in names)
    suggestions = {}
    for chore in chores:
        last: dict[str, str] = {}
        for record in records:
            for who in record.roles.get(chore, []):
                last[who] = record.date or ""
        candidates = [who for who in regulars if who not in away] or list(regulars)
        if not candidates:
            suggestions[chore] = RoleSuggestion(chore, None, None)
            continue
        best = min(candidates, key=lambda who: (last.get(who, ""), -regulars[who], who))
        suggestions[chore] = RoleSuggestion(chore, best, last.get(best))
    return suggestions


def issue_urls(records: list[Record]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for record in records:
        for ref in record.issues:
            urls.setdefault(ref.ref, ref.url)
    return urls


def _nobody_present_yet(record: Record, today: date) -> bool:
    """Dated today or later and listing nobody present: the call has not been written up."""
    return (record.date or "") >= today.isoformat() and not record.participants


def still_an_agenda(record: Record, today: date) -> bool:
    """Whether a file is the agenda of a meeting not held yet, rather than its minutes.

    Dated after today (see :func:`minutesbot.dates.still_to_come`): an agenda.
    Dated today or tomorrow, within that day of slack for time zones: an
    agenda as long as it lists nobody present, as the minutes of a call name
    who came and an agenda (``new`` writes none) does not.
    """
    return still_to_come(record.date, today) or _nobody_present_yet(record, today)


def _name_suffix(name: str) -> str | None:
    """What a file name adds to the date it starts with: ``-overflow.md``, ``.md``."""
    day = date_in_filename(name)
    for prefix in (day.strftime("%Y%m%d"), day.isoformat()) if day else ():
        if name.startswith(prefix):
            return name[len(prefix):]
    return None


def side_meetings(records: list[Record], config: Config, team: str) -> set[str]:
    """The sources of side meetings: an overflow, a workshop, a breakout beside the call.

    They are told by their names: ``20230710-overflow.md`` adds to the date
    what the team's usual names (the most common shape, and the configured
    ``filename``) do not.
    """
    suffixes = {r.source: _name_suffix(Path(r.source).name) for r in records}
    counts = Counter(suffix for suffix in suffixes.values() if suffix is not None)
    usual = {_name_suffix(agenda_filename(config, team, date(2000, 1, 1)))}
    if counts:
        usual.add(counts.most_common(1)[0][0])
    return {source for source, suffix in suffixes.items() if suffix is not None and suffix not in usual}


def build_agenda(history: History, team: str, config: Config, *, day: date | None = None,
                 today: date | None = None) -> Agenda:
    """The agenda of the team's next call (or of ``day``), offline: no GitHub yet.

    Files of meetings still to come are agendas (one ``new`` wrote before,
    say), not history: the next date is the one they are for, so ``new``
    run twice finds its own file instead of planning the meeting after.
    """
    today = today or date.today()
    team_config = config.team(team)
    held = [r for r in history.records if not still_an_agenda(r, today)]
    side = side_meetings(held, config, team)
    regular = [r for r in held if r.source not in side] or held
    when = day or next_date([date.fromisoformat(r.date or "") for r in regular], team_config, today)
    # Only what was known before the new date counts (a --date in the past rewrites history).
    earlier = [r for r in held if (r.date or "") < when.isoformat()]
    model = next((r for r in reversed(earlier) if r.source not in side), earlier[-1] if earlier else None)
    skeleton = skeleton_from(history.text(model, config.max_file_bytes)) if model else default_skeleton()
    away = away_on_day(earlier, when, team)
    previous = _origin(model, 1, team) if model else None
    # A side meeting's "open action items" are its own, not a review of the team's.
    reviews = {r.source: review for r in earlier
               if r.source not in side and (review := history.review(r, config.max_file_bytes))}
    deferred = recent_only(deferred_items(history, earlier, team, side, config.max_file_bytes), earlier,
                           team_config.carry_meetings)
    return Agenda(
        team=team, date=when, date_text=when.strftime(team_config.date_format),
        start=start_time(when, team_config), skeleton=skeleton, previous=previous,
        actions=recent_only(open_actions(earlier, team, reviews), earlier, team_config.carry_meetings),
        deferred=deferred, recurring=recurring_topics(earlier, deferred),
        away=away, roles=suggest_roles(earlier, {a.who for a in away}),
        issue_urls=issue_urls(earlier),
    )


class AgendaProblem(Exception):
    """The agenda cannot be made: no meeting date, a broken template, a bad file name pattern."""


@dataclass
class PreparedAgenda:
    """An agenda ready to be written: the data, its markdown, its file name in the team's folder."""

    agenda: Agenda
    text: str
    name: str


def agenda_filename(config: Config, team: str, day: date) -> str:
    """The team's file name pattern (``filename``, default ``{date:%Y%m%d}.md``) for ``day``."""
    pattern = config.team(team).filename
    try:
        return pattern.format(date=day, team=team)
    except (KeyError, IndexError, ValueError) as exc:
        raise AgendaProblem(f"team {team}: file name pattern {pattern!r} is invalid ({exc})") from None


def prepare_agenda(root: Path, team: str, config: Config, *, day: date | None = None,
                   today: date | None = None, env: Mapping[str, str] = os.environ,
                   warn: Callable[[str], None] = lambda _message: None) -> PreparedAgenda:
    """Everything ``minutesbot new`` writes for ``team``, shared with the Action's agenda
    pull request so that both produce the same file. ``warn`` hears what is worth saying
    but does not stop the agenda (unreadable minutes, issue states not checked)."""
    from minutesbot.agenda_github import add_github  # it imports this module

    today = today or date.today()
    history = load_history(root, team, config)
    for message in history.warnings:
        warn(message)
    for record in history.records:
        if _nobody_present_yet(record, today) and not still_to_come(record.date, today):
            warn(f"{record.source}: dated {record.date} and lists nobody present: read as the agenda "
                 "of a meeting still to come, not as minutes")
    try:
        agenda = build_agenda(history, team, config, day=day, today=today)
    except CadenceError as exc:
        raise AgendaProblem(f"team {team}: {exc}") from None
    for message in add_github(agenda, config, env):
        warn(message)
    try:
        text = render_agenda(agenda, config)
    except TemplateError as exc:
        raise AgendaProblem(str(exc)) from None
    return PreparedAgenda(agenda, text, agenda_filename(config, team, agenda.date))
