"""What ``track`` wants of GitHub: per action item, its issue and the state it should be in.

Everything comes from the index (no minutes file is parsed here): the
actions the changed meetings bear on (written there, re-listed there still
open, or reported done or dropped there) with their state now, which is the
index's (see :func:`action_states`, the one place that asks).

An action's issue is known by a hidden first line of its body naming the
team, the meeting and a key of the action (:func:`marker_for`): its item,
owners and text, normalised the way action tracking compares them, so that
moving lines or fixing punctuation keeps the issue while a new wording is
a new action (and the old issue is closed as no longer in the minutes).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from minutesbot.config import Config
from minutesbot.links import Links
from minutesbot.records.parser import below_root
from minutesbot.records.tracking import UNLISTED

if TYPE_CHECKING:
    from minutesbot.archive import Archive
    from minutesbot.publish.backlinks import Renderer

ISSUE_TEMPLATE = "action-issue.md.j2"
CLOSED_TEMPLATE = "action-closed.md.j2"
MARKER = "<!-- minutesbot:action team={team} source={source} key={key} -->"
MARKED = re.compile(r"^<!-- minutesbot:action team=(\S+) source=(\S+) key=([0-9a-f]+) -->$")
CLOSING_MARKER = "<!-- minutesbot:action-closed -->"
TITLE_MAX = 100
# What ``reason`` GitHub gets when an issue is closed for each way an action ends.
STATE_REASONS = {"done": "completed", "dropped": "not_planned", "withdrawn": "not_planned"}
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")


def action_key(owners: list[str], text: str, item: str | None) -> str:
    """What tells an action from the others of its meeting, however its lines move."""
    from minutesbot.records.matching import normalise_text

    words = "\n".join(
        [item or "", " ".join(sorted(o.lower() for o in owners)), normalise_text(text)]
    )
    return hashlib.blake2b(words.encode("utf-8"), digest_size=6).hexdigest()


def marker_for(team: str, source: str, owners: list[str], text: str, item: str | None) -> str:
    """The hidden first line of the issue of one action written in ``source``."""
    return MARKER.format(
        team=quote(team, safe="._-"),
        source=quote(source, safe="/._-+"),
        key=action_key(owners, text, item),
    )


def marked_source(marker: str) -> str | None:
    """The minutes file a marker names (None for anything else)."""
    found = MARKED.match(marker)
    return unquote(found[2]) if found else None


def issue_title(text: str) -> str:
    """The action's text as an issue title: links as their text, no emphasis marks,
    one line, at most :data:`TITLE_MAX` characters (cut at a word, with an ellipsis)."""
    plain = " ".join(_EMPHASIS.sub("", _LINK.sub(r"\1", text)).split()) or "(an action item)"
    if len(plain) <= TITLE_MAX:
        return plain
    cut = plain[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


@dataclass
class Planned:
    """One action's issue as it should be: open, or closed as ``done``/``dropped``.

    ``rewrite``: the minutes where the action was written are among those
    tracked now, so a body that no longer reads as they do is updated.
    """

    team: str
    repo: str
    label: str
    marker: str
    source: str
    line: int
    owners: list[str]
    text: str
    state: str
    title: str
    rewrite: bool
    context: dict[str, Any]
    closed_by: dict[str, Any] | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class Meeting:
    """A meeting tracked now, in a team that tracks: its issues whose key it no longer
    holds are withdrawn (closed as no longer in the minutes)."""

    team: str
    repo: str
    label: str
    source: str
    date: str
    file_url: str
    markers: set[str]


@dataclass
class TrackPlan:
    actions: list[Planned] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def action_states(archive: Archive, sources: list[str]) -> dict[str, Any]:
    """The index's word on the actions ``sources`` bear on and on their state now: the
    one place ``track`` asks (see :meth:`minutesbot.archive.Archive.touching`)."""
    return archive.touching(sources)


def plan_tracking(
    archive: Archive,
    sources: list[str],
    config: Config,
    links: Links,
    *,
    teams: set[str] | None = None,
    team_titles: dict[str, str] | None = None,
) -> TrackPlan:
    """The issues the meetings ``sources`` ask for, in the teams that track actions
    (``action-issues``; only ``teams`` when given)."""
    plan = TrackPlan()
    states = action_states(archive, sources)
    files = states["files"]
    tracking = {
        source: info["team"]
        for source, info in files.items()
        if info["team"]
        and config.team(info["team"]).action_issues
        and (teams is None or info["team"] in teams)
    }
    for source in sources:
        info = files.get(source)
        if info is None:
            plan.problems.append(f"{source}: not in the index of {archive.root}")
        elif info["error"]:
            plan.problems.append(f"{source}: {info['error']}")
    titles = team_titles or {}
    for source, team in tracking.items():
        settings = config.team(team)
        assert settings.action_issues
        plan.meetings.append(
            Meeting(
                team,
                settings.action_issues,
                settings.action_label,
                source,
                files[source]["date"] or source,
                links.url(source),
                {marker_for(team, source, *entry) for entry in states["entries"][source]},
            )
        )
    for action in states["actions"]:
        team = action["team"]
        if not team or team not in tracking.values():
            continue
        if action["status"] == UNLISTED:
            # Left out of the team's latest review: no longer owed, but nobody said it was
            # done or dropped; its issue is left as it is (a person closes it, or a meeting).
            continue
        settings = config.team(team)
        assert settings.action_issues
        closed = action["closed_by"]
        plan.actions.append(
            Planned(
                team=team,
                repo=settings.action_issues,
                label=settings.action_label,
                marker=marker_for(
                    team, action["source"], action["owners"], action["text"], action["item"]
                ),
                source=action["source"],
                line=action["line"],
                owners=action["owners"],
                text=action["text"],
                state=action["status"],
                title=issue_title(action["text"]),
                rewrite=action["source"] in tracking,
                closed_by=closed,
                context={
                    "team": titles.get(team, team),
                    "date": action["date"] or action["source"],
                    "item": action["item"],
                    "source": action["source"],
                    "line": action["line"],
                    "permalink": links.url(action["source"], action["line"]),
                    "file_url": links.url(action["source"]),
                    "closing_permalink": links.url(closed["source"], closed["line"])
                    if closed
                    else "",
                },
            )
        )
    return plan


def relative_sources(paths: list[Path], root: Path) -> tuple[list[str], list[str]]:
    """Each path as the index names it (relative to the minutes root), and the problems of
    those outside it."""
    sources, problems = [], []
    for path in paths:
        source = below_root(path, root)
        if source is None:
            problems.append(f"{path}: not below the minutes root {root}")
        else:
            sources.append(source)
    return list(dict.fromkeys(sources)), problems


class IssueText:
    """Issue bodies and closing comments, rendered from the (overridable) templates with
    the minutes' text made safe as backlinks make it."""

    def __init__(self, config: Config) -> None:
        from minutesbot.publish.backlinks import Renderer

        self.issue: Renderer = Renderer(config, ISSUE_TEMPLATE)
        self.closing: Renderer = Renderer(config, CLOSED_TEMPLATE)

    def body(self, planned: Planned, assignable: set[str]) -> str:
        """The issue's body: owners who can be assigned are mentioned, the others named
        (without an @, so that nobody else of that name is notified)."""
        text = self.issue.text
        context = planned.context
        return self.issue.render(
            {
                **context,
                "team": text(context["team"]),
                "date": text(context["date"]),
                "item": text(context["item"]) if context["item"] else "",
                "source": text(context["source"]),
                "text": text(planned.text),
                "owners": [
                    {"name": f"@{o}", "assignable": True}
                    if o.lower() in assignable
                    else {"name": text(o), "assignable": False}
                    for o in planned.owners
                ],
                "repo": planned.repo,
            },
            planned.marker,
        )

    def closing_comment(
        self, status: str, team: str, date: str, source: str, permalink: str
    ) -> str:
        """The comment an issue is closed with: which meeting reported the action
        ``done`` or ``dropped``, or no longer lists it (``withdrawn``)."""
        text = self.closing.text
        context = {
            "status": status,
            "team": text(team),
            "date": text(date),
            "source": text(source),
            "permalink": permalink,
        }
        return self.closing.render(context, CLOSING_MARKER)
