"""A record as a person reads it at a glance (``minutesbot parse`` without --json)."""

from __future__ import annotations

from minutesbot.records.record import Action, Record


def _who(people: list[str]) -> str:
    return ", ".join(f"@{p}" if " " not in p else p for p in people) or "nobody"


def _action(action: Action) -> str:
    owners = " ".join(f"@{o}" for o in action.owners) or "(no owner)"
    mark = {"done": "[x]", "dropped": "[-]"}.get(action.status, "[ ]")
    return f"{mark} {owners}: {action.text}"


def summarize(record: Record) -> str:
    """Several lines: date, people, chores, then each item with its refs, decisions, actions."""
    out = [f"{record.source} · {record.date or 'no date'} · team {record.team or '-'}"]
    if record.title and record.title != record.date:
        out.append(f"  {record.title}")
    names = [p.handle and f"@{p.handle}" or p.name or "" for p in record.participants]
    out.append(f"  participants ({len(names)}): {', '.join(names) or '-'}")
    for role, people in record.roles.items():
        out.append(f"  {role}: {_who(people)}")
    for absence in record.absences:
        # A handle is taken out of the text; a name without '@' stays in it.
        named = not absence.who or absence.text.startswith(absence.who)
        out.append("  away: " + (absence.text if named else f"@{absence.who} {absence.text}"))
    for item in record.items:
        extra = []
        if item.owners:
            extra.append(" ".join(f"@{o}" for o in item.owners))
        if item.timebox is not None:
            extra.append(f"{item.timebox} min")
        path = " / ".join(item.path)
        head = f"{path} / {item.title}" if path else item.title
        deferred = f"  (deferred: {item.deferred})" if item.deferred else ""
        out.append(
            f"  - {head}"
            + (f" ({', '.join(extra)})" if extra else "")
            + f"  [line {item.line}]"
            + deferred
        )
        for ref in item.issues:
            out.append(f"      ref {ref}")
        for decision in item.decisions:
            out.append(f"      decided: {decision.text}")
        for action in item.actions:
            out.append(f"      {_action(action)}")
    loose = [a for a in record.actions if a.item is None]
    for action in loose:
        out.append(f"  {_action(action)}  [line {action.line}]")
    for decision in (d for d in record.decisions if d.item is None):
        out.append(f"  decided: {decision.text}  [line {decision.line}]")
    return "\n".join(out)
