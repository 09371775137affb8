"""Action items across meetings: which later meeting closed which earlier action.

Teams rarely tick off an action item where it was written. A later meeting
reviews it instead ("Check AIs from last time", "Pending action items") and
re-lists it with ``done``, or someone simply repeats the action marked done.
This module links such a later entry back to the earlier, still-open ones,
so ``minutesbot actions --open`` does not report work finished weeks ago.

Matching rules, in order of cost:

- only within one team, and only a *later* meeting (by date) closes an earlier
  one; undated records neither close nor get closed, as their order is unknown;
- the closing entry has status ``done`` or ``dropped``, the closed one ``open``;
- the owners overlap (or both name nobody): a review re-listing an action of
  ``@a and @b`` as ``@a`` still closes it;
- the texts are alike after normalisation (emphasis, links, case,
  punctuation, status words removed): equal, or one's words all contained in
  the other's (reviews often shorten or extend the text), or a word-level
  ``difflib`` ratio of at least 0.8.

An open entry that re-lists an earlier open action (the same rules, a later
day) is a *repeat*: ``repeat_of`` points to the first writing, so lists of
what people owe show each debt once.

Reviews (:func:`find_review`) add two rules for the callers that pass them:

- an entry of a review with a done or dropped mark closes like an action,
  even when written without ``AI``: ``@fkr: connect @x with AOV ✅`` below
  "Checking AIs of last week";
- a team that reviews its actions has dealt with those its latest review no
  longer lists: an open action of an earlier meeting that matches no entry
  of that review is closed as ``unlisted``.

The functions here are pure (no I/O, no SQLite) so the archive, ``new`` and
the tests can share them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from minutesbot.records.actions import entries_as_actions
from minutesbot.records.document import Document, Entry
from minutesbot.records.outline import Outline
from minutesbot.records.record import Action, Record
from minutesbot.records.vocabulary import STATUS_WORDS, is_review_label

CLOSING_STATUSES = ("done", "dropped")
UNLISTED = "unlisted"
SIMILARITY = 0.8
# Fewer words than this are too generic ("fix it") for containment to mean identity.
MIN_CONTAINED_WORDS = 3

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<?https?://\S+>?")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Closure:
    """The later entry that reported an action done or dropped."""

    source: str
    date: str | None
    line: int
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "date": self.date, "line": self.line, "status": self.status}


@dataclass
class TrackedAction:
    """One action item where it was written, and what became of it later."""

    action: Action
    source: str
    date: str | None
    team: str | None
    closed_by: Closure | None = None
    # The first writing of this action when this entry only re-lists it still
    # open (a weekly review's "still open"): the same debt, not a new one.
    repeat_of: TrackedAction | None = None

    @property
    def status(self) -> str:
        """The status now: the closing entry's, else the action's own."""
        return self.closed_by.status if self.closed_by else self.action.status

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "date": self.date,
            "team": self.team,
            "line": self.action.line,
            "owners": list(self.action.owners),
            "text": self.action.text,
            "item": self.action.item,
            "status": self.status,
            "written_status": self.action.status,
            "closed_by": self.closed_by.to_dict() if self.closed_by else None,
            "repeat_of": (
                {"source": self.repeat_of.source, "line": self.repeat_of.action.line}
                if self.repeat_of
                else None
            ),
        }


@dataclass
class Review:
    """A meeting's look back at earlier action items: where it starts, and the entries it
    lists, each read as an action (owners, text, status) whether written with ``AI`` or not."""

    source: str
    date: str | None
    line: int
    entries: list[Action]


def find_review(record: Record, document: Document) -> Review | None:
    """The entries that ``record``'s review sections list (None: it has no review).

    A review is a heading labelled like one, or a line labelled like one with
    the list it introduces (its sub-entries, or the list right after it). An
    entry written without ``AI`` (``@fkr: mail the CSPs ✅``) is read as if it
    had been (:func:`~minutesbot.records.actions.entries_as_actions`), so its
    owners and status mean what they mean in an action.
    """
    outline = Outline.of(document)
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
    return Review(record.source, record.date, label_line, listed) if listed else None


def normalise_text(text: str) -> str:
    """The words of an action's text, for comparison: no markup, case or status words."""
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text).lower()
    words = [w for w in _NON_WORD.split(text) if w and w not in STATUS_WORDS]
    return " ".join(words)


def texts_match(a: str, b: str) -> bool:
    """Whether two normalised action texts describe the same action."""
    if a == b:
        return bool(a)
    list_a, list_b = a.split(), b.split()
    words_a, words_b = set(list_a), set(list_b)
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) >= MIN_CONTAINED_WORDS and shorter <= longer:
        return True
    # Compared word by word: one changed word in four ("write" / "review the
    # upgrade docs") is another action, a character ratio would call it alike.
    # The words both share bound the ratio from above; most pairs fail that
    # cheap test, and building a SequenceMatcher costs more than the rest.
    shared = sum(min(list_a.count(w), list_b.count(w)) for w in words_a & words_b)
    if 2 * shared < SIMILARITY * (len(list_a) + len(list_b)):
        return False
    return SequenceMatcher(None, list_a, list_b, autojunk=False).ratio() >= SIMILARITY


def track_actions(
    records: Iterable[Record], reviews: Mapping[str, Review] | None = None
) -> list[TrackedAction]:
    """Every action of ``records``, each with the later entry that closed it, if any.

    The result keeps the order of the input (records, then actions within
    each); a record needs only ``source``, ``team``, ``date`` and ``actions``.
    ``reviews`` (by source, see :func:`find_review`) add the review rules.
    """
    records = list(records)
    reviews = reviews or {}
    tracked = [
        TrackedAction(action, r.source, r.date, r.team) for r in records for action in r.actions
    ]
    by_team: dict[str | None, list[TrackedAction]] = defaultdict(list)
    for t in tracked:
        if t.date:
            by_team[t.team].append(t)
    latest: dict[str | None, Review] = {}
    for record in records:
        review = reviews.get(record.source)
        if review is None or not record.date:
            continue
        written = {a.line for a in record.actions}
        # Entries written without "AI" are no actions of their own, but may close one.
        by_team[record.team] += [
            TrackedAction(e, record.source, record.date, record.team)
            for e in review.entries
            if e.line not in written and e.status in CLOSING_STATUSES
        ]
        if record.team not in latest or (latest[record.team].date or "") <= record.date:
            latest[record.team] = review
    for entries in by_team.values():
        _close_within_team(entries)
    for team, review in latest.items():
        _close_unlisted(by_team[team], review)
    return tracked


def _close_unlisted(entries: list[TrackedAction], review: Review) -> None:
    """Close the open actions of meetings before ``review`` that it does not list."""
    closure = Closure(review.source, review.date, review.line, UNLISTED)
    listed = [(e, normalise_text(e.text)) for e in review.entries]
    for t in entries:
        if t.status != "open" or (t.date or "") >= (review.date or ""):
            continue
        norm = normalise_text(t.action.text)
        if not any(
            owners_overlap(t.action.owners, e.owners) and texts_match(norm, e_norm)
            for e, e_norm in listed
        ):
            t.closed_by = closure


def owners_overlap(a: list[str], b: list[str]) -> bool:
    """The same people, or at least one in common (both naming nobody counts as the same)."""
    first, second = {o.lower() for o in a}, {o.lower() for o in b}
    return first == second or bool(first & second)


def _close_within_team(entries: list[TrackedAction]) -> None:
    """Walk one team's actions by date; each closer closes the earlier open matches.

    Open actions are kept in buckets by owner (``""`` for none), so a closer
    is compared only with actions sharing an owner (or, naming nobody, with
    the actions naming nobody), not with the whole team.
    """
    entries.sort(key=lambda t: (t.date, t.source, t.action.line))
    open_by_owner: dict[str, list[tuple[TrackedAction, str]]] = defaultdict(list)
    i = 0
    while i < len(entries):
        date = entries[i].date
        j = i
        while j < len(entries) and entries[j].date == date:
            j += 1
        same_day = entries[i:j]
        for closer in same_day:
            if closer.action.status in CLOSING_STATUSES:
                _close_matches(closer, open_by_owner)
        # Added only after the day's closers ran: a meeting never closes its own actions.
        for t in same_day:
            if t.action.status == "open":
                norm = normalise_text(t.action.text)
                t.repeat_of = _first_open_match(t, norm, open_by_owner)
                for owner in _owner_keys(t.action.owners):
                    open_by_owner[owner].append((t, norm))
        i = j


def _first_open_match(
    entry: TrackedAction, norm: str, open_by_owner: dict[str, list[tuple[TrackedAction, str]]]
) -> TrackedAction | None:
    """The earliest still-open first writing, of an earlier day, that ``entry`` repeats."""
    best = None
    for owner in _owner_keys(entry.action.owners):
        for candidate, candidate_norm in open_by_owner.get(owner, ()):
            if (
                candidate.repeat_of is None
                and candidate.closed_by is None
                and candidate.date != entry.date
                and texts_match(candidate_norm, norm)
            ):
                if best is None or (candidate.date, candidate.source) < (best.date, best.source):
                    best = candidate
                break
    return best


def _owner_keys(owners: list[str]) -> list[str]:
    return sorted({o.lower() for o in owners}) or [""]


def _close_matches(
    closer: TrackedAction, open_by_owner: dict[str, list[tuple[TrackedAction, str]]]
) -> None:
    closure = Closure(closer.source, closer.date, closer.action.line, closer.action.status)
    norm = normalise_text(closer.action.text)
    for owner in _owner_keys(closer.action.owners):
        bucket = open_by_owner.get(owner)
        if not bucket:
            continue
        still_open = []
        for candidate, candidate_norm in bucket:
            if candidate.closed_by is None and texts_match(candidate_norm, norm):
                candidate.closed_by = closure
            if candidate.closed_by is None:
                still_open.append((candidate, candidate_norm))
        open_by_owner[owner] = still_open
