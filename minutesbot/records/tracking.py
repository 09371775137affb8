"""Action states: what became of each action item, computed once from a team's records.

This is the one place that decides whether an action is still open. The
archive stores what it computes (``minutesbot actions``, ``history``, the
digest and stats read it from there) and ``new`` starts its agenda from the
same states, so the two never disagree.

Teams rarely tick off an action item where it was written. A later meeting
reviews it instead ("Check AIs from last time", the record's
:attr:`~minutesbot.records.record.Record.review`) and re-lists it with
``done``, or someone simply repeats the action marked done. The rules:

- only within one team, and only a *later* meeting (by date) closes an earlier
  one; undated records neither close nor get closed, as their order is unknown;
- the closing entry has status ``done`` or ``dropped``, the closed one ``open``,
  and both are the same action (:func:`~minutesbot.records.matching.same_action`);
- an entry of a review closes like an action even when written without
  ``AI``: ``@fkr: connect @x with AOV ✅`` below "Checking AIs of last week";
- a team that reviews its actions has dealt with those its latest review no
  longer lists: an open action of an earlier meeting that matches no entry
  of that review is closed as ``unlisted``. A side meeting's review (an
  overflow call's "open action items") is its own, not the team's;
- a review entry that matches none of the owner's open actions by wording
  re-words one of those the review does not list otherwise: it is paired
  with the one sharing the most words
  (:func:`~minutesbot.records.matching.pair_rewordings`), among the actions
  written or listed at the team's previous meeting with actions;
- an open entry that re-lists an earlier open action (a later day) is a
  *repeat*: ``repeat_of`` points to the first writing, whose ``last_listed``
  is the latest day it was listed still open (with ``AI`` or in a review);
- an entry that is no task (:func:`~minutesbot.records.actionable.why_not_an_action`:
  ``AI: Who?``) has no state: it is left out.

The callers pass the meetings held (not the agendas of meetings still to
come, see :meth:`~minutesbot.records.record.Record.still_an_agenda`). The
functions here are pure (no I/O, no SQLite).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from minutesbot.config import Config
from minutesbot.records.actionable import why_not_an_action
from minutesbot.records.matching import Wording, pair_rewordings, same_action
from minutesbot.records.meetings import held, side_meetings, usual_name
from minutesbot.records.record import Action, Record

CLOSING_STATUSES = ("done", "dropped")
UNLISTED = "unlisted"


@dataclass(frozen=True)
class Closure:
    """The later entry that reported an action done or dropped (or the review that left
    it out: ``unlisted``)."""

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
    # On a first writing: the latest day a later entry listed it still open.
    last_listed: str | None = None
    # A review's entry written without "AI": it may close or re-list an action, but is none.
    mention: bool = field(default=False, repr=False)
    # An entry of the team's review (with "AI" or without): it looks back at earlier actions.
    reviewing: bool = field(default=False, repr=False)
    _wording: Wording | None = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> str:
        """The status now: the closing entry's, else the action's own."""
        return self.closed_by.status if self.closed_by else self.action.status

    @property
    def wording(self) -> Wording:
        if self._wording is None:
            self._wording = Wording(self.action)
        return self._wording

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
            "last_listed": self.last_listed,
        }


def track_actions(records: Iterable[Record], *, side: Collection[str] = ()) -> list[TrackedAction]:
    """Every action of ``records`` that is a task, each with what became of it.

    The result keeps the order of the input (records, then actions within
    each); a record needs ``source``, ``team``, ``date``, ``actions`` and
    ``review``. ``side``: the sources of side meetings, whose reviews do not
    speak for the team.
    """
    records = list(records)
    tracked = [
        TrackedAction(action, r.source, r.date, r.team)
        for r in records
        for action in r.actions
        if why_not_an_action(action.text) is None
    ]
    by_team: dict[str | None, list[TrackedAction]] = defaultdict(list)
    for t in tracked:
        if t.date:
            by_team[t.team].append(t)
    latest: dict[str | None, Record] = {}
    by_place = {(t.source, t.action.line): t for t in tracked}
    for record in records:
        if record.review is None or not record.date or record.source in side:
            continue
        for e in record.review.entries:
            if (record.source, e.line) in by_place:
                by_place[record.source, e.line].reviewing = True
            elif why_not_an_action(e.text) is None:
                by_team[record.team].append(
                    TrackedAction(
                        e, record.source, record.date, record.team, mention=True, reviewing=True
                    )
                )
        if record.team not in latest or (latest[record.team].date or "") <= record.date:
            latest[record.team] = record
    for entries in by_team.values():
        _close_within_team(entries)
    for team, record in latest.items():
        _close_unlisted(by_team[team], record)
    return tracked


def _close_unlisted(entries: list[TrackedAction], record: Record) -> None:
    """Close the open actions of meetings before ``record`` that its review does not list."""
    assert record.review is not None
    closure = Closure(record.source, record.date, record.review.line, UNLISTED)
    listed = [Wording(e) for e in record.review.entries]
    for t in entries:
        if t.mention or t.status != "open" or (t.date or "") >= (record.date or ""):
            continue
        if (t.last_listed or "") < (record.date or "") and not any(
            same_action(t.wording, e) for e in listed
        ):
            t.closed_by = closure


def _close_within_team(entries: list[TrackedAction]) -> None:
    """Walk one team's actions by date; each closer closes the earlier open matches.

    Open actions are kept in buckets by owner (``""`` for none), so a closer
    is compared only with actions sharing an owner (or, naming nobody, with
    the actions naming nobody), not with the whole team.
    """
    entries.sort(key=lambda t: (t.date, t.source, t.action.line))
    open_by_owner: dict[str, list[TrackedAction]] = defaultdict(list)
    # The same open actions by their exact wording (see _first_open_match).
    open_by_wording: dict[tuple[tuple[str, ...], tuple[str, ...]], list[TrackedAction]] = (
        defaultdict(list)
    )
    previous = ""  # the team's previous day with actions
    i = 0
    while i < len(entries):
        date = entries[i].date
        j = i
        while j < len(entries) and entries[j].date == date:
            j += 1
        same_day = entries[i:j]
        matched: dict[int, list[TrackedAction]] = {}  # id of an entry -> what it matched
        for closer in same_day:
            if closer.action.status in CLOSING_STATUSES:
                matched[id(closer)] = _close_matches(closer, open_by_owner)
        # Added only after the day's closers ran: a meeting never closes its own actions.
        for t in same_day:
            if t.action.status != "open":
                continue
            t.repeat_of = _first_open_match(t, open_by_owner, open_by_wording)
            if t.repeat_of is not None:
                _listed(t.repeat_of, t)
                matched[id(t)] = [t.repeat_of]
            if not t.mention:  # repeats too: a later "done" closes every listing
                for owner in t.wording.owner_keys:
                    open_by_owner[owner].append(t)
                open_by_wording[_exact(t)].append(t)
        _pair_reworded(same_day, matched, open_by_owner, previous)
        previous = date or ""
        i = j


def _listed(first: TrackedAction, entry: TrackedAction) -> None:
    first.last_listed = max(first.last_listed or "", entry.date or "")


def _pair_reworded(
    same_day: list[TrackedAction],
    matched: dict[int, list[TrackedAction]],
    open_by_owner: dict[str, list[TrackedAction]],
    previous: str,
) -> None:
    """Pair the day's review entries that matched nothing with the open actions, written or
    listed at the previous meeting with actions, that the same review did not match
    (:func:`~minutesbot.records.matching.pair_rewordings`): a pair closes or re-lists."""
    by_source: dict[str, list[TrackedAction]] = defaultdict(list)
    for t in same_day:
        if t.reviewing and t.action.status in (*CLOSING_STATUSES, "open"):
            by_source[t.source].append(t)
    for review in by_source.values():
        left = [t for t in review if not matched.get(id(t))]
        if not left:
            continue
        taken = {id(a) for t in review for a in matched.get(id(t), ())}
        candidates = {
            id(a): a
            for t in left
            for owner in t.wording.owner_keys
            for a in open_by_owner.get(owner, ())
            if a.repeat_of is None
            and a.closed_by is None
            and id(a) not in taken
            and (a.date or "") < (t.date or "")
            and max(a.date or "", a.last_listed or "") >= previous
        }
        earlier = sorted(candidates.values(), key=lambda a: (a.date or "", a.source, a.action.line))
        for i, j in pair_rewordings([t.wording for t in left], [a.wording for a in earlier]):
            entry, action = left[i], earlier[j]
            if entry.action.status == "open":
                entry.repeat_of = action
                _listed(action, entry)
            else:
                action.closed_by = Closure(
                    entry.source, entry.date, entry.action.line, entry.action.status
                )


def _exact(t: TrackedAction) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(t.wording.owner_keys), tuple(t.wording.folded)


def _first_open_match(
    entry: TrackedAction,
    open_by_owner: dict[str, list[TrackedAction]],
    open_by_wording: dict[tuple[tuple[str, ...], tuple[str, ...]], list[TrackedAction]],
) -> TrackedAction | None:
    """The still-open first writing, of an earlier day, that ``entry`` repeats (directly,
    or through a listing paired with it): through a listing with the same owners and the
    same words where there is one, else the earliest. (``AI @alice: x`` and ``AI @bob,
    @alice: x`` both listed again, or two actions worded alike but for a word: each
    listing is its own action's, not both the first one's.)

    The listings worded exactly as ``entry`` are looked at first: one that matches
    is better than any other, and a weekly review re-lists most actions word for word,
    so most entries are not compared with every open action of their owners.
    """
    best = _best_match(entry, open_by_wording.get(_exact(entry), ()), None, None)[0]
    if best is not None:
        return best
    best, best_rank = None, None
    for owner in entry.wording.owner_keys:
        best, best_rank = _best_match(entry, open_by_owner.get(owner, ()), best, best_rank)
    return best


def _best_match(
    entry: TrackedAction,
    candidates: Iterable[TrackedAction],
    best: TrackedAction | None,
    best_rank: tuple[bool, bool, str, str] | None,
) -> tuple[TrackedAction | None, tuple[bool, bool, str, str] | None]:
    """The best of ``best`` and the still-open first writings ``candidates`` list (see
    :func:`_first_open_match`), with its rank."""
    owners = entry.wording.owner_keys
    words = entry.wording.folded
    for candidate in candidates:
        first = candidate.repeat_of or candidate
        if (
            first.closed_by is not None
            or candidate.closed_by is not None
            or candidate.date == entry.date
        ):
            continue
        rank = (
            candidate.wording.owner_keys != owners,
            candidate.wording.folded != words,
            first.date or "",
            first.source,
        )
        if best_rank is not None and rank >= best_rank:
            continue  # no better than what was found: the wording need not be compared
        if same_action(candidate.wording, entry.wording):
            best, best_rank = first, rank
    return best, best_rank


def _close_matches(
    closer: TrackedAction, open_by_owner: dict[str, list[TrackedAction]]
) -> list[TrackedAction]:
    """Close the open actions ``closer`` reports done or dropped; return them."""
    closure = Closure(closer.source, closer.date, closer.action.line, closer.action.status)
    closed: list[TrackedAction] = []
    for owner in closer.wording.owner_keys:
        bucket = open_by_owner.get(owner)
        if not bucket:
            continue
        for candidate in bucket:
            if candidate.closed_by is None and same_action(candidate.wording, closer.wording):
                candidate.closed_by = closure
                closed.append(candidate)
        open_by_owner[owner] = [c for c in bucket if c.closed_by is None]
    return closed


def team_states(
    records: list[Record], config: Config, team: str | None, today: date
) -> list[TrackedAction]:
    """The action states of one team as of ``today``: its meetings held, side meetings' reviews
    left out (see :mod:`minutesbot.records.meetings`)."""
    meetings = held(records, today)
    usual = usual_name(config, team) if team else None
    return track_actions(meetings, side=side_meetings(meetings, usual))


def open_debts(states: list[TrackedAction]) -> list[TrackedAction]:
    """The actions still owed, each once: first writings whose state is open."""
    return [t for t in states if t.repeat_of is None and t.status == "open"]
