"""Who comes, who carries the load: attendance, chores, actions and commit delays.

:func:`compute_stats` reads the index only (the stored records and action
entries; no minutes file is parsed) and, where the minutes root is in a git
work tree, the commit history (see :mod:`minutesbot.stats.gitlog`). The
figures are plain dictionaries, so the terminal tables
(:mod:`minutesbot.stats.table`), ``--json`` and the charts
(:mod:`minutesbot.stats.charts`, the only module that imports matplotlib)
all show the same numbers.

People are told apart by handle (``@garloff``); a participant written
without one by the name, in any case.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from minutesbot.archive.period import Scope

if TYPE_CHECKING:
    from minutesbot.archive import Archive

ACTION_KINDS = ("opened", "relisted", "closed")


@dataclass
class Delay:
    """How long after its meeting a minutes file was first committed (on or after the day)."""

    source: str
    date: str
    committed: str | None  # the commit's day; None: no commit on or after the meeting day
    days: int | None


@dataclass
class Stats:
    since: str | None
    until: str | None
    teams: list[str]
    months: list[str] = field(default_factory=list)
    # team -> month -> meetings held
    meetings: dict[str, Counter[str]] = field(default_factory=dict)
    # team -> person -> month -> meetings attended
    attendance: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    # person -> how the person is written (the handle with @, else the name as first seen)
    people: dict[str, str] = field(default_factory=dict)
    # person -> chore ("reporter", "minutes", ...) -> meetings
    chores: dict[str, Counter[str]] = field(default_factory=dict)
    # chore -> meetings whose chore line names nobody ("404 - No volunteer found")
    unfilled: Counter[str] = field(default_factory=Counter)
    # team -> month -> opened / relisted / closed action entries
    actions: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    # team -> actions opened in the period that no later meeting closed
    still_open: Counter[str] = field(default_factory=Counter)
    # team -> delays; None when the minutes root is no git work tree (``git_note`` says why)
    delays: dict[str, list[Delay]] | None = None
    git_note: str = ""

    def attended(self, person: str) -> int:
        """Meetings ``person`` attended, all teams of the selection together."""
        return sum(
            sum(months[person].values()) for months in self.attendance.values() if person in months
        )

    def by_month(self, person: str) -> Counter[str]:
        """Meetings ``person`` attended per month, all teams together."""
        total: Counter[str] = Counter()
        for months in self.attendance.values():
            total.update(months.get(person, {}))
        return total

    def ranked_people(self) -> list[str]:
        """People who attended, by meetings attended, most first (then as written)."""
        attended = {p: self.attended(p) for p in self.people}
        return sorted(
            (p for p, n in attended.items() if n),
            key=lambda p: (-attended[p], self.people[p].casefold()),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: long lists of rows, one figure each, easy to load into anything."""
        return {
            "since": self.since,
            "until": self.until,
            "teams": self.teams,
            "months": self.months,
            "meetings": [
                {"team": t, "month": m, "meetings": n}
                for t, months in sorted(self.meetings.items())
                for m, n in sorted(months.items())
            ],
            "attendance": [
                {"team": t, "person": self.people[p], "month": m, "meetings": n}
                for t, people in sorted(self.attendance.items())
                for p, months in sorted(people.items())
                for m, n in sorted(months.items())
            ],
            "chores": [
                {"person": self.people.get(p, p), "chore": c, "meetings": n}
                for p, chores in sorted(self.chores.items())
                for c, n in sorted(chores.items())
            ],
            "unfilled": dict(sorted(self.unfilled.items())),
            "actions": [
                {"team": t, "month": m, **{k: counts[k] for k in ACTION_KINDS}}
                for t, months in sorted(self.actions.items())
                for m, counts in sorted(months.items())
            ],
            "still_open": dict(sorted(self.still_open.items())),
            "delays": None
            if self.delays is None
            else [{"team": t, **d.__dict__} for t, ds in sorted(self.delays.items()) for d in ds],
            "git_note": self.git_note,
        }


def compute_stats(
    archive: Archive,
    *,
    since: str | None = None,
    until: str | None = None,
    team: str | None = None,
    git: bool = True,
) -> Stats:
    """The figures of the meetings held ``since``..``until`` (ISO dates, both included,
    either open), of every team or of ``team`` (any case)."""
    from minutesbot.records.dates import held_on

    scope = Scope(team, since, until)
    records = archive.records(scope)
    for record in records:  # counted in the month the meeting counts as held in
        record["date"] = held_on(record["date"], record["source"])
    stats = Stats(since, until, sorted({r["team"] or "" for r in records}))
    for record in records:
        _count_record(stats, record)
    for entry in archive.action_entries(scope):
        team_actions = stats.actions.setdefault(entry["team"] or "", defaultdict(Counter))
        team_actions[entry["date"][:7]][entry["kind"]] += 1
        if entry["kind"] == "opened" and entry["status"] == "open":
            stats.still_open[entry["team"] or ""] += 1
    stats.actions = {t: dict(months) for t, months in stats.actions.items()}
    stats.months = _months({m for months in stats.meetings.values() for m in months})
    if git:
        from minutesbot.stats.gitlog import commit_days

        days, stats.git_note = commit_days(archive.root)
        if days is not None:
            stats.delays = _delays(records, days)
    return stats


def _count_record(stats: Stats, record: dict[str, Any]) -> None:
    team, month = record["team"] or "", record["date"][:7]
    stats.meetings.setdefault(team, Counter())[month] += 1
    present = stats.attendance.setdefault(team, {})
    seen = set()
    for person in record["participants"]:
        key = _person(stats, person["handle"], person["name"])
        if key and key not in seen:
            seen.add(key)
            present.setdefault(key, Counter())[month] += 1
    for chore, names in record["roles"].items():
        if not names:
            stats.unfilled[chore] += 1
        for name in dict.fromkeys(names):
            # Chores name handles; a name with a space is a person without one.
            key = _person(stats, None if " " in name else name, name)
            stats.chores.setdefault(key, Counter())[chore] += 1


def _person(stats: Stats, handle: str | None, name: str | None) -> str:
    """The key of a person (``@handle``, else the name folded), noting how to write it."""
    if handle:
        key = f"@{handle}"
        stats.people.setdefault(key, key)
        return key
    written = " ".join((name or "").split())
    key = written.casefold()
    if key:
        stats.people.setdefault(key, written)
    return key


def _months(found: set[str]) -> list[str]:
    """Every month from the first to the last of ``found`` (``YYYY-MM``), gaps included."""
    if not found:
        return []
    first, last = min(found), max(found)
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))  # as numbers: "10000-01" sorts before "9999-12"
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _delays(records: list[dict[str, Any]], days: dict[str, list[str]]) -> dict[str, list[Delay]]:
    """Per team, each meeting's delay to the first commit of its file on or after its day.

    A file committed only before its meeting (an agenda prepared ahead, never
    committed since) has no delay; one not committed at all is left out.
    """
    delays: dict[str, list[Delay]] = {}
    for record in records:
        committed = days.get(record["source"])
        if not committed:
            continue
        after = next((day for day in committed if day >= record["date"]), None)
        span = (
            (date.fromisoformat(after) - date.fromisoformat(record["date"])).days if after else None
        )
        delays.setdefault(record["team"] or "", []).append(
            Delay(record["source"], record["date"], after, span)
        )
    return delays
