"""The minutes record: what one minutes file says, as plain data.

This module is the single home of the record's shape, which
the record contract (docs/record.md) fixes: every other part of
minutesbot (the archive, ``new``, ``publish``, ``lint``) reads these classes,
and ``to_dict``/``from_dict`` give the JSON form ``minutesbot parse --json``
prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from minutesbot.records.dates import held_on, still_to_come

SCHEMA = "minutesbot.record/1"


@dataclass
class Person:
    handle: str | None
    name: str | None = None

    @property
    def key(self) -> str:
        """What identifies the person: the handle, else the lower-cased name."""
        return self.handle or (self.name or "").lower()


@dataclass
class Absence:
    who: str | None
    text: str
    line: int


@dataclass
class IssueRef:
    ref: str
    kind: str
    url: str
    lines: list[int] = field(default_factory=list)

    @property
    def repo(self) -> str:
        return self.ref.split("#", 1)[0]

    @property
    def number(self) -> int:
        return int(self.ref.rsplit("#", 1)[1])


@dataclass
class Action:
    owners: list[str]
    text: str
    status: str
    item: str | None
    line: int


@dataclass
class Decision:
    text: str
    item: str | None
    line: int


@dataclass
class Item:
    title: str
    path: list[str]
    owners: list[str]
    timebox: int | None
    line: int
    end_line: int
    issues: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    deferred: str | None = None


@dataclass
class Review:
    """A look back at earlier action items ("Check AIs from last time"): where it starts,
    and each entry it lists, read as an action (owners, text, status) whether written
    with ``AI`` or not. An entry ``done``/``dropped`` reports an earlier action so; an
    ``open`` one says it is still owed."""

    line: int
    entries: list[Action] = field(default_factory=list)


@dataclass
class Warning_:
    """A problem found while reading a file that did not stop the parse."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Record:
    source: str
    team: str | None
    date: str | None
    title: str | None
    participants: list[Person] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)
    absences: list[Absence] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    issues: list[IssueRef] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    review: Review | None = None
    line_count: int = 0
    warnings: list[Warning_] = field(default_factory=list)

    def still_an_agenda(self, today: date | None = None) -> bool:
        """Whether the file is the agenda of a meeting not held yet, rather than its minutes.

        The one rule ``publish``, ``new``, the index and the agenda pull request
        share: held (:attr:`held_on`) after ``today`` (with a day of slack for
        time zones, see :func:`~minutesbot.records.dates.still_to_come`), or
        today or later and listing nobody present -- the minutes of a call name
        who came, an agenda does not.
        """
        return still_to_come(self.held_on, today) or self.nobody_present_yet(today)

    def nobody_present_yet(self, today: date | None = None) -> bool:
        """Held ``today`` or later and listing nobody present: not written up yet."""
        today = today or date.today()
        return (self.held_on or "") >= today.isoformat() and not self.participants

    @property
    def held_on(self) -> str | None:
        """The day the meeting counts as held on: its date, unless that is far from the
        file name's (see :func:`~minutesbot.records.dates.held_on`)."""
        return held_on(self.date, self.source)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the spec (warnings are reported, not recorded)."""
        return {
            "schema": SCHEMA,
            "source": self.source,
            "team": self.team,
            "date": self.date,
            "title": self.title,
            "participants": [{"handle": p.handle, "name": p.name} for p in self.participants],
            "roles": {k: list(v) for k, v in self.roles.items()},
            "absences": [{"who": a.who, "text": a.text, "line": a.line} for a in self.absences],
            "items": [_item_dict(i) for i in self.items],
            "issues": [
                {"ref": r.ref, "kind": r.kind, "url": r.url, "lines": list(r.lines)}
                for r in self.issues
            ],
            "actions": [_action_dict(a) for a in self.actions],
            "decisions": [_decision_dict(d) for d in self.decisions],
            "review": (
                {
                    "line": self.review.line,
                    "entries": [_action_dict(a) for a in self.review.entries],
                }
                if self.review
                else None
            ),
            "line_count": self.line_count,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Rebuild a record from its JSON form (as stored in the archive)."""
        actions = [Action(**a) for a in data.get("actions", [])]
        decisions = [Decision(**d) for d in data.get("decisions", [])]
        items = []
        for i in data.get("items", []):
            item = Item(
                title=i["title"],
                path=list(i["path"]),
                owners=list(i["owners"]),
                timebox=i.get("timebox"),
                line=i["line"],
                end_line=i.get("end_line", i["line"]),
                issues=list(i.get("issues", [])),
                decisions=[Decision(**d) for d in i.get("decisions", [])],
                actions=[Action(**a) for a in i.get("actions", [])],
                deferred=i.get("deferred"),
            )
            items.append(item)
        return cls(
            source=data["source"],
            team=data.get("team"),
            date=data.get("date"),
            title=data.get("title"),
            participants=[
                Person(p.get("handle"), p.get("name")) for p in data.get("participants", [])
            ],
            roles={k: list(v) for k, v in (data.get("roles") or {}).items()},
            absences=[Absence(**a) for a in data.get("absences", [])],
            items=items,
            issues=[
                IssueRef(r["ref"], r["kind"], r.get("url", ""), list(r.get("lines", [])))
                for r in data.get("issues", [])
            ],
            actions=actions,
            decisions=decisions,
            review=(
                Review(review["line"], [Action(**a) for a in review["entries"]])
                if (review := data.get("review"))
                else None
            ),
            line_count=data.get("line_count", 0),
        )


def _action_dict(a: Action) -> dict[str, Any]:
    return {
        "owners": list(a.owners),
        "text": a.text,
        "status": a.status,
        "item": a.item,
        "line": a.line,
    }


def _decision_dict(d: Decision) -> dict[str, Any]:
    return {"text": d.text, "item": d.item, "line": d.line}


def _item_dict(i: Item) -> dict[str, Any]:
    return {
        "title": i.title,
        "path": list(i.path),
        "owners": list(i.owners),
        "timebox": i.timebox,
        "line": i.line,
        "end_line": i.end_line,
        "issues": list(i.issues),
        "decisions": [_decision_dict(d) for d in i.decisions],
        "actions": [_action_dict(a) for a in i.actions],
        "deferred": i.deferred,
    }
