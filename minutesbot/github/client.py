"""The client the rest of minutesbot holds: one :class:`~minutesbot.github.transport.Transport`
and the few things asked through it, each kept in its own module (comments, pull requests,
search, GraphQL)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from minutesbot.github import comments, graphql, issues, pulls, search
from minutesbot.github.model import (
    Comment,
    FoundIssue,
    IssueSummary,
    Pull,
    RemoteFile,
    TrackedIssue,
    Upsert,
)
from minutesbot.github.policy import Policy
from minutesbot.github.transport import DEFAULT_API_URL, Transport


class GitHub:
    """A client for the few things minutesbot asks of GitHub."""

    def __init__(
        self, token: str, api_url: str = DEFAULT_API_URL, policy: Policy | None = None
    ) -> None:
        self.transport = Transport(token, api_url, policy)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> GitHub | None:
        """The client the Actions variables describe; None without ``GITHUB_TOKEN``."""
        token = env.get("GITHUB_TOKEN", "").strip()
        if not token:
            return None
        return cls(token, env.get("GITHUB_API_URL") or DEFAULT_API_URL, Policy.from_env(env))

    @property
    def waited(self) -> float:
        """Seconds spent waiting for GitHub (pauses and failed tries) so far."""
        return self.transport.waited

    # -- comments (minutesbot.github.comments) -----------------------------
    def comments(self, ref: str) -> list[Comment]:
        return comments.comments(self.transport, ref)

    def upsert_comment(
        self,
        ref: str,
        marker: str,
        body: str,
        alternatives: Iterable[str] = (),
        legacy: Sequence[str] = (),
    ) -> Upsert:
        return comments.upsert_comment(self.transport, ref, marker, body, alternatives, legacy)

    def remove_comments(self, ref: str, marker: str) -> int:
        return comments.remove_comments(self.transport, ref, marker)

    def remove_duplicates(self, created: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        return comments.remove_duplicates(self.transport, created)

    # -- branches, files, pull requests (minutesbot.github.pulls) ----------
    def default_branch(self, full_name: str) -> str:
        return pulls.default_branch(self.transport, full_name)

    def branch_head(self, full_name: str, branch: str) -> str | None:
        return pulls.branch_head(self.transport, full_name, branch)

    def file_on(self, full_name: str, branch: str, path: str) -> RemoteFile | None:
        return pulls.file_on(self.transport, full_name, branch, path)

    def ensure_branch(self, full_name: str, branch: str, sha: str) -> bool:
        return pulls.ensure_branch(self.transport, full_name, branch, sha)

    def put_file(
        self,
        full_name: str,
        branch: str,
        path: str,
        text: str | bytes,
        message: str,
        expected: str | None,
    ) -> str:
        return pulls.put_file(self.transport, full_name, branch, path, text, message, expected)

    def pulls_from(self, full_name: str, branch: str) -> list[Pull]:
        return pulls.pulls_from(self.transport, full_name, branch)

    def upsert_pull(self, full_name: str, head: str, base: str, title: str, body: str) -> Upsert:
        return pulls.upsert_pull(self.transport, full_name, head, base, title, body)

    # -- issues minutesbot opens (minutesbot.github.issues) ----------------
    def labelled(self, full_name: str, label: str) -> issues.Labelled:
        return issues.Labelled(self.transport, full_name, label)

    def ensure_issue(
        self, listing: issues.Labelled, marker: str, title: str, body: str, assignees: list[str]
    ) -> tuple[str, TrackedIssue]:
        return issues.ensure_issue(self.transport, listing, marker, title, body, assignees)

    def settle_issue(
        self,
        issue: TrackedIssue,
        what: str,
        settled: Callable[[TrackedIssue], bool],
        edit: dict[str, Any],
    ) -> bool:
        return issues.settle(self.transport, issue, what, settled, edit)

    def issue_duplicates(
        self, full_name: str, label: str, markers: Iterable[str]
    ) -> dict[str, tuple[TrackedIssue, list[TrackedIssue]]]:
        return issues.duplicates(self.transport, full_name, label, markers)

    def remove_label(self, ref: str, label: str, labels: list[str]) -> bool:
        return issues.remove_label(self.transport, ref, label, labels)

    def assignable(self, full_name: str, handles: Iterable[str]) -> set[str]:
        return graphql.assignable(self.transport, full_name, handles)

    # -- search and GraphQL -------------------------------------------------
    def open_labelled(
        self, label: str, owner: str, limit: int = search.SEARCH_LIMIT
    ) -> list[FoundIssue]:
        return search.open_labelled(self.transport, label, owner, limit)

    def issue_states(self, refs: Iterable[str]) -> dict[str, str | None]:
        return graphql.issue_states(self.transport, refs)

    def issue_summaries(self, refs: Iterable[str]) -> dict[str, IssueSummary | None]:
        return graphql.issue_summaries(self.transport, refs)

    def states_and_closed(
        self, refs: Iterable[str], closed_in: tuple[str, str] | None
    ) -> tuple[dict[str, str | None], list[TrackedIssue]]:
        """Issue states (as :meth:`issue_states`) and, in the same request, the issues of
        ``closed_in`` (repository, label) closed most recently."""
        found, closed = graphql.summaries_and(self.transport, refs, closed_in)
        return {ref: graphql.simple_state(s) for ref, s in found.items()}, closed

    def issue_labels(self, refs: Iterable[str]) -> dict[str, list[str] | None]:
        return graphql.issue_labels(self.transport, refs)
