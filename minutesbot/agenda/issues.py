"""What GitHub adds to an agenda when a token is at hand: the state of linked
issues, the actions whose tracked issue was closed, and the open issues
labelled for the team's agenda.

Offline is the normal case (a laptop, a fork's workflow without secrets):
the agenda is complete without GitHub and says that issue states were not
checked. With ``GITHUB_TOKEN`` set, :mod:`minutesbot.github.client` is imported
(only then, so that ``new`` never loads PyGithub otherwise) and asked for
the state of every issue a carried item links to, in one GraphQL request per
hundred refs; in the same request, for a team whose actions ``minutesbot
track`` keeps as issues, the issues of its label closed most recently, so
that an action whose issue was closed on GitHub shows as done. A GitHub
failure never costs the agenda: it becomes a warning and a note.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from minutesbot.agenda.model import Agenda
from minutesbot.config import Config

if TYPE_CHECKING:
    from minutesbot.github.client import GitHub
    from minutesbot.github.model import TrackedIssue

OFFLINE_NOTE = "Offline: issue states not checked (no GITHUB_TOKEN)."


def add_github(agenda: Agenda, config: Config, env: Mapping[str, str] = os.environ) -> list[str]:
    """Fill in issue states (and labelled issues) from GitHub when a token is set;
    returns warnings to show."""
    label = config.team(agenda.team).agenda_label
    offline = OFFLINE_NOTE + (f" Issues labelled {label} not listed." if label else "")
    if not env.get("GITHUB_TOKEN", "").strip():
        agenda.github_note = offline
        return []
    from minutesbot.github.client import GitHub
    from minutesbot.github.policy import GitHubError

    warnings: list[str] = []
    refs = agenda.carried_refs
    settings = config.team(agenda.team)
    tracked_in = (settings.action_issues, settings.action_label) if settings.action_issues else None
    try:
        client = GitHub.from_env(env)
        if client is None:
            agenda.github_note = offline
            return warnings
        agenda.issue_states, closed_issues = (
            client.states_and_closed(refs, tracked_in) if refs or tracked_in else ({}, [])
        )
    except GitHubError as exc:  # its message is scrubbed of the token by the layer
        agenda.github_note = "Issue states not checked: GitHub did not answer."
        return [f"issue states not checked: {exc}"]
    unknown = sum(1 for state in agenda.issue_states.values() if state is None)
    closed = sum(1 for state in agenda.issue_states.values() if state == "closed")
    agenda.github_note = f"Issue states checked on GitHub: {len(refs)} linked, {closed} closed" + (
        f", {unknown} unknown." if unknown else "."
    )
    if tracked_in:
        done = _closed_on_github(agenda, closed_issues)
        agenda.github_note += f" Actions whose issue was closed on GitHub: {done}."
    if label:
        warnings += _add_labelled(agenda, client, label, config.owner())
        if not warnings:
            agenda.github_note += (
                f" Open issues labelled {label}, as topics: {len(agenda.labelled)}."
            )
    return warnings


def _closed_on_github(agenda: Agenda, closed: list[TrackedIssue]) -> int:
    """Mark the carried actions whose issue (found by its marker) was closed; how many.

    Closed as completed, the action is done; as not planned, dropped; a
    duplicate is a concurrent run's twin and says nothing of the action.
    """
    from minutesbot.track.plan import marker_for

    by_marker = {i.marker: i for i in closed if i.state_reason != "duplicate"}
    marked = 0
    for action in agenda.open_actions.listed:
        marker = marker_for(
            agenda.team, action.origin.source, action.owners, action.text, action.item
        )
        issue = by_marker.get(marker)
        if issue is None:
            continue
        action.tracked = issue.ref
        action.closed_as = "dropped" if issue.state_reason == "not_planned" else "done"
        agenda.issue_urls.setdefault(issue.ref, issue.url)
        agenda.issue_states[issue.ref] = "closed"
        marked += 1
    return marked


def _add_labelled(agenda: Agenda, client: GitHub, label: str, owner: str | None) -> list[str]:
    """The open issues labelled ``label`` in ``owner``'s repositories become topics,
    except those a carried action or topic links to already."""
    from minutesbot.github.policy import GitHubError

    if not owner:
        return [f"issues labelled {label!r} not listed: no owner to search (set default-owner)"]
    try:
        found = client.open_labelled(label, owner)
    except GitHubError as exc:
        return [f"issues labelled {label!r} not listed: {exc}"]
    carried = set(agenda.carried_refs)
    agenda.labelled = [issue for issue in found if issue.ref not in carried]
    for issue in agenda.labelled:
        agenda.issue_urls.setdefault(issue.ref, issue.url)
        agenda.issue_states.setdefault(issue.ref, "open")
    return []
