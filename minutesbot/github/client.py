"""The client the rest of minutesbot holds: one :class:`~minutesbot.github.transport.Transport`
and the few things asked through it, each kept in its own module (comments, pull requests,
search, GraphQL)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from minutesbot.github import comments, graphql, pulls, search
from minutesbot.github.model import (
    Comment,
    FoundIssue,
    IssueSummary,
    Pull,
    RemoteFile,
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

    def upsert_comment(self, ref: str, marker: str, body: str) -> Upsert:
        return comments.upsert_comment(self.transport, ref, marker, body)

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
        self, full_name: str, branch: str, path: str, text: str, message: str, expected: str | None
    ) -> str:
        return pulls.put_file(self.transport, full_name, branch, path, text, message, expected)

    def pulls_from(self, full_name: str, branch: str) -> list[Pull]:
        return pulls.pulls_from(self.transport, full_name, branch)

    def upsert_pull(self, full_name: str, head: str, base: str, title: str, body: str) -> Upsert:
        return pulls.upsert_pull(self.transport, full_name, head, base, title, body)

    # -- search and GraphQL -------------------------------------------------
    def open_labelled(
        self, label: str, owner: str, limit: int = search.SEARCH_LIMIT
    ) -> list[FoundIssue]:
        return search.open_labelled(self.transport, label, owner, limit)

    def issue_states(self, refs: Iterable[str]) -> dict[str, str | None]:
        return graphql.issue_states(self.transport, refs)

    def issue_summaries(self, refs: Iterable[str]) -> dict[str, IssueSummary | None]:
        return graphql.issue_summaries(self.transport, refs)
