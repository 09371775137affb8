"""Whose turn the chores are: the regular attendee who did each least recently."""

from __future__ import annotations

from collections import Counter

from minutesbot.agenda.model import RoleSuggestion
from minutesbot.records.record import Record

REGULAR_WINDOW = 8  # regular attendees: in the last this many meetings ...
REGULAR_SHARE = 0.5  # ... present at least this often


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
