"""Next week's agenda as a pull request: one per team and meeting date.

The Action's last step. For each team whose minutes a push touched (the
team is the first folder below the minutes root) :func:`plan_team` makes
exactly the file ``minutesbot new`` would write
(:func:`minutesbot.agenda.prepare_agenda`), and :func:`open_or_update` puts
it on the branch ``minutesbot/agenda/<team>/<YYYYMMDD>`` and opens a pull
request from it -- or, when the Action runs again (a corrected minutes
file), updates that same branch, file and pull request.

People edit the agenda in its pull request before the call. So the pull
request's body carries a hidden marker with the blob sha of the file
minutesbot last wrote; a file on the branch that no longer has that sha was
edited by someone and is left alone. A pull request closed without merging
is not reopened, and an agenda already on the default branch (merged, or
written by hand) is not proposed again.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from minutesbot.agenda.prepare import prepare_agenda
from minutesbot.config import Config
from minutesbot.links import Links
from minutesbot.records.dates import date_in_filename, still_to_come
from minutesbot.report import Outcome, Report

BRANCH = "minutesbot/agenda/{team}/{date:%Y%m%d}"
MARKER = "<!-- minutesbot:agenda team={team} date={date} blob={blob} -->"
_RECORDED_BLOB = re.compile(r"<!-- minutesbot:agenda [^>]*?blob=([0-9a-f]{40}) -->")
PERMISSIONS_HINT = (
    "the token needs contents: write and pull-requests: write here, and a "
    "workflow's GITHUB_TOKEN also the setting 'Allow GitHub Actions to create and "
    "approve pull requests' (docs/action.md)"
)


def teams_touched(paths: Iterable[Path], root: Path, today: date | None = None) -> list[str]:
    """The first folder below ``root`` of every path that has one, sorted, once each.

    A file named for a meeting still to come is an agenda (merging the agenda
    pull request adds one): it asks for no agenda after it.
    """
    top = root.resolve()
    teams = set()
    for path in paths:
        parts = path.resolve().relative_to(top).parts
        if len(parts) > 1 and not still_to_come(date_in_filename(path.name), today):
            teams.add(parts[0])
    return sorted(teams)


def blob_sha(text: str) -> str:
    """The sha git (and the contents API) gives the file holding ``text``."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class AgendaPlan:
    """One team's agenda pull request as it should be."""

    team: str
    day: date
    branch: str
    path: str  # in the repository, e.g. minutes/container/20240425.md
    local: Path  # the same file in the checkout
    text: str
    title: str
    summary: str
    previous_url: str = ""
    github_note: str | None = None

    def body(self, blob: str) -> str:
        """The pull request's description, with the marker recording ``blob``."""
        since = (
            f" from the minutes up to [the last meeting]({self.previous_url})"
            if self.previous_url
            else ""
        )
        lines = [
            f"Next meeting's agenda for team **{self.team}** on {self.day.isoformat()}, "
            f"prepared by minutesbot{since}: {self.summary}.",
            "",
            f"Edit `{self.path}` in this pull request before the call. When the minutes change, "
            "minutesbot updates the file here -- unless someone has edited it in the meantime.",
        ]
        if self.github_note:
            lines += ["", self.github_note]
        return (
            "\n".join(
                lines + ["", MARKER.format(team=self.team, date=self.day.isoformat(), blob=blob)]
            )
            + "\n"
        )


def agenda_pr_report() -> Report:
    """An empty report of agenda pull requests, one outcome per team."""
    return Report(
        "minutesbot agenda-pr",
        (("team", "subject"), ("outcome", "outcome"), ("pull request or reason", "url_or_detail")),
    )


def plan_team(
    root: Path,
    team: str,
    config: Config,
    links: Links,
    *,
    today: date | None = None,
    env: Mapping[str, str] = os.environ,
    warn: Callable[[str], None] = lambda _message: None,
) -> AgendaPlan:
    """The agenda ``minutesbot new`` would write for ``team``, and where it goes.

    Raises :class:`minutesbot.agenda.AgendaProblem` when no agenda can be made.
    """
    prepared = prepare_agenda(root, team, config, today=today, env=env, warn=warn)
    agenda = prepared.agenda
    carried = f"{len(agenda.actions)} open action items, {len(agenda.deferred)} topics carried" + (
        f", {len(agenda.away)} away" if agenda.away else ""
    )
    return AgendaPlan(
        team=team,
        day=agenda.date,
        branch=BRANCH.format(team=team, date=agenda.date),
        path=f"{links.prefix}{team}/{prepared.name}",
        local=root / team / prepared.name,
        text=prepared.text,
        title=f"{team}: agenda for {agenda.date_text}",
        summary=carried,
        previous_url=links.url(agenda.previous.source) if agenda.previous else "",
        github_note=agenda.github_note,
    )


def open_or_update(plan: AgendaPlan, client: Any, repository: str) -> Outcome:
    """Bring the team's branch, file and pull request to ``plan`` through the GitHub layer.

    Every step looks before it writes, so running again after a failure (or
    after a correction of the minutes) finishes the job instead of repeating it.
    """
    from minutesbot.github.model import same_body
    from minutesbot.github.policy import GitHubError

    try:
        base = client.default_branch(repository)
        if client.file_on(repository, base, plan.path) is not None:
            return Outcome(plan.team, "skipped", f"{plan.path} is already on {base}")
        pulls = client.pulls_from(repository, plan.branch)
        pull = next((p for p in pulls if p.state == "open"), None)
        if pull is None and pulls:
            return Outcome(
                plan.team,
                "skipped",
                f"pull request #{pulls[0].number} from {plan.branch} was closed; "
                "delete the branch to have a new one opened",
                url=pulls[0].url,
            )
        if client.branch_head(repository, plan.branch) is None:
            start = client.branch_head(repository, base)
            if start is None:
                return Outcome(plan.team, "failed", f"{repository}: branch {base} not found")
            client.ensure_branch(repository, plan.branch, start)
        current = client.file_on(repository, plan.branch, plan.path)
        if current is not None and pull is not None and not same_body(current.text, plan.text):
            recorded = _RECORDED_BLOB.search(pull.body)
            if recorded is None or recorded[1] != current.sha:
                return Outcome(
                    plan.team,
                    "skipped",
                    f"{plan.path} was edited in pull request #{pull.number} "
                    "after minutesbot wrote it; left as it is",
                    url=pull.url,
                )
        wrote = client.put_file(
            repository,
            plan.branch,
            plan.path,
            plan.text,
            f"Agenda of {plan.team} for {plan.day.isoformat()}",
            current.sha if current else None,
        )
        blob = current.sha if wrote == "unchanged" and current else blob_sha(plan.text)
        done = client.upsert_pull(repository, plan.branch, base, plan.title, plan.body(blob))
    except GitHubError as exc:
        hint = f" -- {PERMISSIONS_HINT}" if exc.reason in ("forbidden", "not-found") else ""
        return Outcome(plan.team, "failed", f"{exc}{hint}")
    outcome = (
        "unchanged"
        if (wrote, done.action) == ("unchanged", "unchanged")
        else ("created" if done.action == "created" else "updated")
    )
    return Outcome(
        plan.team,
        outcome,
        f"pull request #{done.number} {done.url} ({plan.path} {wrote} "
        f"on {plan.branch}; {plan.summary})",
        url=done.url,
    )


def settle(plan: AgendaPlan, client: Any | None, repository: str) -> Outcome:
    """Skip an agenda the checkout has already; without a client, say what would be done."""
    if plan.local.exists():
        return Outcome(plan.team, "skipped", f"{plan.path} exists in the checkout already")
    if client is None:
        return Outcome(
            plan.team,
            "planned",
            f"would open or update a pull request from {plan.branch} with {plan.path} "
            f"({plan.summary})",
        )
    return open_or_update(plan, client, repository)
