"""Whose turn the chores are: a rotation the team would accept.

For each chore the team has had lately (reporting in the community call,
taking the minutes), the suggestion is someone who attended recently and
did the chore least recently: never before counts as longest ago, and the
person who did it at the last meeting that named someone is never suggested
again. Ties go to the one who attends most, then alphabetically, so the
result is stable. The team's habit is followed: where most recent meetings
gave both chores to one person, one person is suggested for both (the one
who did either least recently); where the team splits them, two.
"""

from __future__ import annotations

from collections import Counter

from minutesbot.agenda.model import RoleSuggestion
from minutesbot.records.record import Record

RECENT = 8  # attended recently: present in one of the last this many meetings ...
REGULAR_SHARE = 0.5  # ... and in this share of them, where there is anyone such
HABIT = 6  # the team's habit: read from the last this many meetings naming both chores
BOTH = ("reporter", "minutes")


def suggest_roles(records: list[Record], away: set[str]) -> dict[str, RoleSuggestion]:
    """For each chore of the last meetings, whose turn it is (see the module docstring)."""
    recent = records[-RECENT:]
    chores = list(dict.fromkeys(role for r in recent for role in r.roles))
    candidates = _candidates(recent, away)
    last_done = {chore: _last_done(records, chore) for chore in chores}
    suggestions: dict[str, RoleSuggestion] = {}
    if all(c in chores for c in BOTH) and _one_for_both(records):
        pick = _pick(
            candidates, [last_done[c] for c in BOTH], [_last_person(records, c) for c in BOTH]
        )
        for chore in BOTH:
            suggestions[chore] = _suggestion(chore, pick, last_done[chore])
    for chore in chores:
        if chore not in suggestions:
            pick = _pick(candidates, [last_done[chore]], [_last_person(records, chore)])
            suggestions[chore] = _suggestion(chore, pick, last_done[chore])
    return suggestions


def _candidates(recent: list[Record], away: set[str]) -> list[Counter[str]]:
    """Who attended recently, with their attendance: the regulars first, then everyone
    present lately; those known to be away on the new date left out."""
    counts: Counter[str] = Counter()
    for record in recent:
        counts.update({p.handle for p in record.participants if p.handle})
    if not counts:  # minutes without a participants list: those who did chores lately
        counts.update(who for r in recent for names in r.roles.values() for who in names)
    counts = Counter({who: n for who, n in counts.items() if who not in away}) or counts
    needed = max(1, round(REGULAR_SHARE * len(recent)))
    return [Counter({who: n for who, n in counts.items() if n >= needed}), counts]


def _last_done(records: list[Record], chore: str) -> dict[str, str]:
    """Each person's latest date doing ``chore``."""
    last: dict[str, str] = {}
    for record in records:
        for who in record.roles.get(chore, []):
            last[who] = record.date or ""
    return last


def _last_person(records: list[Record], chore: str) -> set[str]:
    """Who did ``chore`` at the last meeting that named someone for it."""
    for record in reversed(records):
        if record.roles.get(chore):
            return set(record.roles[chore])
    return set()


def _one_for_both(records: list[Record]) -> bool:
    """Whether the team's habit is one person for both chores: most of the last meetings
    that named someone for each gave both to the same person."""
    both = [r for r in records if all(r.roles.get(c) for c in BOTH)][-HABIT:]
    same = sum(1 for r in both if set(r.roles["reporter"]) & set(r.roles["minutes"]))
    return bool(both) and 2 * same > len(both)


def _pick(
    candidates: list[Counter[str]], done: list[dict[str, str]], last_time: list[set[str]]
) -> str | None:
    """The candidate who did the chores (all of ``done``) least recently, never one who
    did one of them the last time; from the regulars if one may, else from all."""
    for group in candidates:
        allowed = [who for who in group if not any(who in people for people in last_time)]
        if allowed:
            return min(
                allowed, key=lambda who: (max(d.get(who, "") for d in done), -group[who], who)
            )
    return None


def _suggestion(chore: str, who: str | None, done: dict[str, str]) -> RoleSuggestion:
    return RoleSuggestion(chore, who, done.get(who) if who else None)
