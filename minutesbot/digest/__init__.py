"""A digest across teams: what each team's meetings of a period decided and did.

The SCS community call has a slide per team, condensed by hand from that
team's minutes; :func:`build_digest` gathers the same from the index (no
minutes file is read): per team the meetings held, decisions, actions
opened, re-listed and closed, and the issues discussed; and the teams that
wrote no minutes in the period, with their last meeting before it, so a
missing report shows instead of going unnoticed.

    with Archive.open(root, config) as archive:
        archive.refresh()
        digest = build_digest(archive, since="2025-01-01", until="2025-03-31")
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from minutesbot.archive.period import Scope

if TYPE_CHECKING:
    from minutesbot.archive import Archive


@dataclass
class Issue:
    """An issue, pull request or discussion a team's meetings of the period mention."""

    ref: str
    kind: str
    url: str
    # The ref as people write it: without the owner where it is the default one.
    short: str
    # Where: one entry (date, source, line, link) per meeting, oldest first.
    meetings: list[dict[str, Any]] = field(default_factory=list)
    # From GitHub when a token is given (see minutesbot.digest.issues); None otherwise.
    title: str | None = None
    state: str | None = None

    @property
    def mentions(self) -> int:
        """In how many of the period's meetings it came up."""
        return len(self.meetings)


@dataclass
class TeamDigest:
    """One team's meetings of the period and what they wrote.

    Every action entry of those meetings is in exactly one of ``opened`` (a
    new action, written open), ``relisted`` (an earlier action written again,
    still open) and ``closed`` (written done or dropped), as
    :func:`minutesbot.archive.period.action_entries` sorts them.
    """

    team: str
    name: str
    meetings: list[dict[str, Any]]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    opened: list[dict[str, Any]] = field(default_factory=list)
    relisted: list[dict[str, Any]] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Silent:
    """A team that wrote no minutes in the period; ``last``: its latest meeting before."""

    team: str
    name: str
    last: str | None


@dataclass
class Digest:
    since: str
    until: str | None
    teams: list[TeamDigest]
    silent: list[Silent]
    # What was (or was not) asked of GitHub, one sentence; empty until someone asks.
    github_note: str = ""

    @property
    def issues(self) -> list[Issue]:
        return [issue for team in self.teams for issue in team.issues]

    @property
    def totals(self) -> dict[str, int]:
        """Meetings, decisions, actions (opened, relisted, closed) and issues of all teams."""
        kinds = ("meetings", "decisions", "opened", "relisted", "closed", "issues")
        return {kind: sum(len(getattr(team, kind)) for team in self.teams) for kind in kinds}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_digest(
    archive: Archive, since: str, until: str | None = None, team: str | None = None
) -> Digest:
    """The digest of the meetings held ``since``..``until`` (ISO dates, both included;
    no ``until``: up to the latest), of every team or of ``team`` (any case).

    The teams are those with minutes and those configured (a configured team
    that never wrote minutes is reported silent, with no last meeting).
    """
    names = archive.team_names(team) or archive.teams()
    scope = Scope(team, since, until)
    links = archive.links

    def link(source: str, line: int) -> str:
        """On GitHub where the repository is known, else the file's path (a markdown
        link cannot point at a line of a local file)."""
        return links.url(source, line) or f"{links.local}{source}"

    owner = (archive.config.owner() or "").lower()
    by_team: dict[str, TeamDigest] = {}
    for meeting in archive.meetings(scope):
        found = by_team.get(meeting["team"] or "")
        if found is None:
            found = by_team[meeting["team"] or ""] = TeamDigest(
                meeting["team"] or "", _name(archive, meeting["team"]), []
            )
        found.meetings.append({**meeting, "link": link(meeting["source"], 1)})
    for decision in archive.decisions(scope):
        _team(by_team, decision).decisions.append(
            {**decision, "link": link(decision["source"], decision["line"])}
        )
    for entry in archive.action_entries(scope):
        kind = entry.pop("kind")
        getattr(_team(by_team, entry), kind).append(
            {**entry, "link": link(entry["source"], entry["line"])}
        )
    issues: dict[tuple[str, str], Issue] = {}
    for mention in archive.refs_in(scope):
        key = (mention["team"], mention["ref"])
        issue = issues.get(key)
        if issue is None:
            short = mention["ref"].removeprefix(f"{owner}/") if owner else mention["ref"]
            issue = issues[key] = Issue(mention["ref"], mention["kind"], mention["url"], short)
            _team(by_team, mention).issues.append(issue)
        issue.meetings.append(
            {
                "date": mention["date"],
                "source": mention["source"],
                "line": mention["line"],
                "link": link(mention["source"], mention["line"]),
            }
        )
    last = archive.last_meetings(since)
    silent = [
        Silent(name, _name(archive, name), last.get(name)) for name in names if name not in by_team
    ]
    return Digest(since, until, [by_team[name] for name in sorted(by_team)], silent)


def _team(by_team: dict[str, TeamDigest], row: dict[str, Any]) -> TeamDigest:
    """The team of ``row``: every row of the period is of a meeting the period holds."""
    return by_team[row["team"] or ""]


def _name(archive: Archive, team: str | None) -> str:
    """The team as people write it: its configured ``name``, else its folder (minutes
    straight in the root belong to no team)."""
    return archive.config.team(team).name or team or "(no team)"
