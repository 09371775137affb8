"""What GitHub adds to an agenda when a token is at hand: the state of linked issues.

Offline is the normal case (a laptop, a fork's workflow without secrets):
the agenda is complete without GitHub and says that issue states were not
checked. With ``GITHUB_TOKEN`` set, :mod:`minutesbot.github` is imported
(only then, so that ``new`` never loads PyGithub otherwise) and asked for
the state of every issue a carried item links to, in one GraphQL request per
hundred refs. A GitHub failure never costs the agenda: it becomes a warning
and a note.
"""
from __future__ import annotations

import os
from typing import Mapping

from minutesbot.agenda import Agenda
from minutesbot.config import Config

OFFLINE_NOTE = "Offline: issue states not checked (no GITHUB_TOKEN)."


def add_github(agenda: Agenda, config: Config, env: Mapping[str, str] = os.environ) -> list[str]:
    """Fill in issue states from GitHub when a token is set; returns warnings to show."""
    if not env.get("GITHUB_TOKEN", "").strip():
        agenda.github_note = OFFLINE_NOTE
        return []
    from minutesbot.github import GitHub, GitHubError

    warnings: list[str] = []
    refs = agenda.carried_refs
    try:
        client = GitHub.from_env(env)
        if client is None:
            agenda.github_note = OFFLINE_NOTE
            return warnings
        agenda.issue_states = client.issue_states(refs) if refs else {}
    except GitHubError as exc:   # its message is scrubbed of the token by the layer
        agenda.github_note = "Issue states not checked: GitHub did not answer."
        return [f"issue states not checked: {exc}"]
    unknown = sum(1 for state in agenda.issue_states.values() if state is None)
    closed = sum(1 for state in agenda.issue_states.values() if state == "closed")
    agenda.github_note = (f"Issue states checked on GitHub: {len(refs)} linked, {closed} closed"
                          + (f", {unknown} unknown." if unknown else "."))
    if config.team(agenda.team).agenda_label:
        warnings.append("listing issues labelled for the agenda is not available yet "
                        "(the GitHub layer has no label query)")
    return warnings
