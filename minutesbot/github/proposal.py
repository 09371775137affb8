"""A change proposed as a pull request: files on a branch of their own, and the pull request.

The agenda of the next meeting and the minutes pulled from the pad both go
to the repository this way (``minutesbot/agenda/TEAM/DATE``,
``minutesbot/minutes/TEAM/DATE``). :func:`propose` brings the branch, its
files and the pull request to the :class:`Proposal`, looking before each
write, so that running again (after a failure, or with a newer version of
the file) finishes or updates the job instead of repeating it.

People edit the proposed file in its pull request. So the pull request's
body carries a hidden marker with the blob sha of the file minutesbot last
wrote; a file on the branch that no longer has that sha was edited by
someone and is left alone. A pull request closed without merging is not
reopened. Every commit is signed off (``Signed-off-by:``, the DCO trailer
the SCS repositories require) by the configured ``sign-off`` identity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from minutesbot.github.model import blob_sha
from minutesbot.report import Outcome

_RECORDED_BLOB = re.compile(r"<!-- minutesbot:\w+ [^>]*?blob=([0-9a-f]{40}) -->")
PERMISSIONS_HINT = (
    "the token needs contents: write and pull-requests: write here, and a "
    "workflow's GITHUB_TOKEN also the setting 'Allow GitHub Actions to create and "
    "approve pull requests' (docs/action.md)"
)


def signed_off(message: str, identity: str) -> str:
    """``message`` with the ``Signed-off-by:`` trailer of ``identity`` (``Name <email>``)."""
    return f"{message}\n\nSigned-off-by: {identity}"


@dataclass
class Proposal:
    """One pull request as it should be.

    ``path`` and ``text`` are the file people may edit in the pull request;
    ``attachments`` (path -> bytes, such as images) go onto the branch first
    and are only ever added. ``marker`` names the proposal in the hidden
    marker (``minutesbot:agenda team=... date=...``). ``again_when_on_base``:
    whether a file already on the default branch is proposed anew when it
    differs (minutes pulled again) or never (an agenda merged or written by
    hand).
    """

    subject: str
    branch: str
    path: str
    text: str
    title: str
    description: str
    marker: str
    message: str
    summary: str
    attachments: dict[str, bytes] = field(default_factory=dict)
    again_when_on_base: bool = False

    def body(self, blob: str) -> str:
        """The pull request's description, with the marker recording ``blob``."""
        return f"{self.description.rstrip()}\n\n<!-- {self.marker} blob={blob} -->\n"


def _on_base(proposal: Proposal, client: Any, repository: str, base: str) -> Outcome | None:
    """The outcome when the default branch settles the matter already, else None."""
    from minutesbot.github.model import same_body

    there = client.file_on(repository, base, proposal.path)
    if there is None or (proposal.again_when_on_base and not same_body(there.text, proposal.text)):
        return None
    return Outcome(proposal.subject, "skipped", f"{proposal.path} is already on {base}")


def propose(proposal: Proposal, client: Any, repository: str, identity: str) -> Outcome:
    """Bring the branch, its files and the pull request to ``proposal``; commits signed off
    by ``identity``."""
    from minutesbot.github.model import same_body
    from minutesbot.github.policy import GitHubError

    subject = proposal.subject
    try:
        base = client.default_branch(repository)
        settled = _on_base(proposal, client, repository, base)
        if settled is not None:
            return settled
        pulls = client.pulls_from(repository, proposal.branch)
        pull = next((p for p in pulls if p.state == "open"), None)
        if pull is None and pulls:
            return Outcome(
                subject,
                "skipped",
                f"pull request #{pulls[0].number} from {proposal.branch} was closed; "
                "delete the branch to have a new one opened",
                url=pulls[0].url,
            )
        if client.branch_head(repository, proposal.branch) is None:
            start = client.branch_head(repository, base)
            if start is None:
                return Outcome(subject, "failed", f"{repository}: branch {base} not found")
            client.ensure_branch(repository, proposal.branch, start)
        current = client.file_on(repository, proposal.branch, proposal.path)
        if current is not None and pull is not None and not same_body(current.text, proposal.text):
            recorded = _RECORDED_BLOB.search(pull.body)
            if recorded is None or recorded[1] != current.sha:
                return Outcome(
                    subject,
                    "skipped",
                    f"{proposal.path} was edited in pull request #{pull.number} "
                    "after minutesbot wrote it; left as it is",
                    url=pull.url,
                )
        message = signed_off(proposal.message, identity)
        for path, data in sorted(proposal.attachments.items()):
            there = client.file_on(repository, proposal.branch, path)
            client.put_file(
                repository, proposal.branch, path, data, message, there.sha if there else None
            )
        wrote = client.put_file(
            repository,
            proposal.branch,
            proposal.path,
            proposal.text,
            message,
            current.sha if current else None,
        )
        blob = current.sha if wrote == "unchanged" and current else blob_sha(proposal.text)
        done = client.upsert_pull(
            repository, proposal.branch, base, proposal.title, proposal.body(blob)
        )
    except GitHubError as exc:
        hint = f" -- {PERMISSIONS_HINT}" if exc.reason in ("forbidden", "not-found") else ""
        return Outcome(subject, "failed", f"{exc}{hint}")
    unchanged = (wrote, done.action) == ("unchanged", "unchanged")
    outcome = "unchanged" if unchanged else ("created" if done.action == "created" else "updated")
    return Outcome(
        subject,
        outcome,
        f"pull request #{done.number} {done.url} ({proposal.path} {wrote} "
        f"on {proposal.branch}; {proposal.summary})",
        url=done.url,
    )
