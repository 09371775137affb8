"""The client the rest of minutesbot holds: one :class:`~minutesbot.github.transport.Transport`
and the few things asked through it, each kept in its own module (comments, pull requests,
search, GraphQL)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from minutesbot.github import comments as comment_api
from minutesbot.github import graphql, issues, pulls, search
from minutesbot.github.model import TrackedIssue
from minutesbot.github.policy import Policy
from minutesbot.github.transport import DEFAULT_API_URL, Transport

_P = ParamSpec("_P")
_R = TypeVar("_R")


class _Through(Generic[_P, _R]):
    """A function of a module of this package whose first parameter is the transport, as a
    method of :class:`GitHub`: the function alone says its parameters and what it does,
    the client only hands it its transport."""

    def __init__(self, function: Callable[Concatenate[Transport, _P], _R]) -> None:
        self.function = function
        self.__doc__ = function.__doc__

    @overload
    def __get__(self, client: None, owner: type) -> _Through[_P, _R]: ...
    @overload
    def __get__(self, client: GitHub, owner: type) -> Callable[_P, _R]: ...
    def __get__(self, client: GitHub | None, owner: type) -> Any:
        if client is None:
            return self
        return functools.partial(self.function, client.transport)


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
    comments = _Through(comment_api.comments)
    upsert_comment = _Through(comment_api.upsert_comment)
    remove_comments = _Through(comment_api.remove_comments)
    remove_duplicates = _Through(comment_api.remove_duplicates)

    # -- branches, files, pull requests (minutesbot.github.pulls) ----------
    default_branch = _Through(pulls.default_branch)
    branch_head = _Through(pulls.branch_head)
    file_on = _Through(pulls.file_on)
    ensure_branch = _Through(pulls.ensure_branch)
    put_file = _Through(pulls.put_file)
    pulls_from = _Through(pulls.pulls_from)
    upsert_pull = _Through(pulls.upsert_pull)

    # -- issues minutesbot opens (minutesbot.github.issues) ----------------
    def labelled(self, full_name: str, label: str) -> issues.Labelled:
        return issues.Labelled(self.transport, full_name, label)

    ensure_issue = _Through(issues.ensure_issue)
    settle_issue = _Through(issues.settle)
    issue_duplicates = _Through(issues.duplicates)
    remove_label = _Through(issues.remove_label)
    assignable = _Through(graphql.assignable)

    # -- search and GraphQL -------------------------------------------------
    open_labelled = _Through(search.open_labelled)
    issue_states = _Through(graphql.issue_states)
    issue_summaries = _Through(graphql.issue_summaries)
    issue_labels = _Through(graphql.issue_labels)

    def states_and_closed(
        self, refs: Iterable[str], closed_in: tuple[str, str] | None
    ) -> tuple[dict[str, str | None], list[TrackedIssue]]:
        """Issue states (as :meth:`issue_states`) and, in the same request, the issues of
        ``closed_in`` (repository, label) closed most recently."""
        found, closed = graphql.summaries_and(self.transport, refs, closed_in)
        return {ref: graphql.simple_state(s) for ref, s in found.items()}, closed
