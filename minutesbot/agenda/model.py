"""The agenda as data: what the next call carries forward, each thing with its origin.

Plain dataclasses for the template (:mod:`minutesbot.agenda.render`); built
by :func:`minutesbot.agenda.prepare.build_agenda`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from minutesbot.agenda.cadence import StartTime
from minutesbot.agenda.skeleton import Skeleton
from minutesbot.links import relative_link
from minutesbot.records.actions import says_status
from minutesbot.records.dates import dates_in_text
from minutesbot.records.record import Record

if TYPE_CHECKING:
    from minutesbot.github.model import FoundIssue


class AgendaProblem(Exception):
    """The agenda cannot be made: no meeting date, a broken template, a bad file name pattern."""


@dataclass
class Origin:
    """Where a carried thing was written: meeting date, file, line, link from the new file."""

    date: str
    source: str
    line: int
    link: str


@dataclass
class CarriedAction:
    """An open action where it was first written; ``seen``: the last meeting that listed it;
    ``meetings``: how many meetings ago it was written (1: at the last one).

    ``tracked``: its issue (``minutesbot track``) when that was closed on GitHub,
    and ``closed_as`` what that says of the action (``done`` or ``dropped``).
    """

    owners: list[str]
    text: str
    origin: Origin
    item: str | None
    issues: list[str] = field(default_factory=list)
    seen: str = ""
    meetings: int = 0
    tracked: str | None = None
    closed_as: str | None = None

    @property
    def marker(self) -> str:
        """What its line starts with: ``AI``, or ``[ ] AI`` where the text alone would say a
        status (``[ ] @x done`` carries the text "done"): a box says the status before any
        word does, so the line reads back as the open action it carries. One closed on
        GitHub is written with its status (``closed_as``), and reads back so."""
        return "[ ] AI" if not self.closed_as and says_status(self.text) else "AI"


@dataclass
class OpenActions:
    """The team's open actions as the agenda carries them: ``listed`` one by one, and how
    many it leaves out, ``older`` ones (last mentioned before the last ``carry_meetings``
    meetings) and recent ones naming nobody (``unowned``).

    ``debts`` is every open action of the history, each once (what ``minutesbot
    actions --open`` lists), of which the others are a choice.
    """

    debts: list[dict[str, Any]]
    listed: list[CarriedAction]
    older: int = 0
    unowned: int = 0
    carry_meetings: int = 0


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
    open_actions: OpenActions
    deferred: list[CarriedItem]
    recurring: list[Topic]
    away: list[Away]
    roles: dict[str, RoleSuggestion]
    issue_urls: dict[str, str]
    issue_states: dict[str, str | None] = field(default_factory=dict)
    github_note: str | None = None
    # Open issues carrying the team's agenda label (with a token), as topics.
    labelled: list[FoundIssue] = field(default_factory=list)

    # The names the open actions had before they were grouped, which templates read (a
    # team's own too): each stands for its part of ``open_actions``.
    actions = property(attrgetter("open_actions.listed"))
    open_debts = property(attrgetter("open_actions.debts"))
    older_actions = property(attrgetter("open_actions.older"))
    unowned_actions = property(attrgetter("open_actions.unowned"))
    carry_meetings = property(attrgetter("open_actions.carry_meetings"))

    @property
    def carried(self) -> str:
        """What the agenda carries, counted: "2 open action items, 1 topic carried"."""
        actions, topics = len(self.open_actions.listed), len(self.deferred)
        return (
            f"{actions} open action item{'s' if actions != 1 else ''}, "
            f"{topics} topic{'s' if topics != 1 else ''} carried"
        )

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
            for start, end, day in dates_in_text(heading):
                if day == old:
                    return heading[:start] + self.date_text + heading[end:]
        return self.date_text

    def suggestion(self, roles: list[str]) -> RoleSuggestion | None:
        """The suggestion for the first of ``roles`` the team has had lately."""
        return next((self.roles[r] for r in roles if r in self.roles), None)

    @property
    def carry_text(self) -> str:
        """``last meeting`` or ``last 3 meetings``: the meetings whose actions are listed."""
        n = self.open_actions.carry_meetings
        return "last meeting" if n == 1 else f"last {n} meetings"

    def probably_done(self, action: CarriedAction) -> bool:
        """Whether an issue or pull request the action links to is closed (with a token)."""
        return any(self.issue_states.get(ref) == "closed" for ref in action.issues)

    @property
    def carried_refs(self) -> list[str]:
        """Every issue a carried action or topic links to, once, in order."""
        refs = [r for a in self.open_actions.listed for r in a.issues] + [
            r for d in self.deferred for r in d.issues
        ]
        return list(dict.fromkeys(refs))


def origin_of(record: Record, line: int, team: str) -> Origin:
    """Where ``line`` of ``record`` is, linked from the new file (in the team's folder)."""
    return Origin(record.date or "", record.source, line, relative_link(record.source, line, team))
