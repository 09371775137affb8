"""What the GitHub layer hands back: comments, files, pull requests, issues found;
and the ``owner/repo#N`` references it is asked about."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from minutesbot.github.policy import GitHubError

REF = re.compile(r"^(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)#(?P<number>\d+)$")


def parse_issue_ref(ref: str) -> tuple[str, int]:
    """``owner/repo#N`` -> (``owner/repo``, N); GitHubError for anything else."""
    match = REF.match(ref)
    if not match:
        raise GitHubError(f"{ref}: not an owner/repo#N reference", reason="invalid")
    return f"{match['owner']}/{match['repo']}", int(match["number"])


def blob_sha(data: str | bytes) -> str:
    """The sha git (and the contents API) gives the file holding ``data``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def same_body(a: str, b: str) -> bool:
    """GitHub may hand back CRLF line ends and drop trailing blanks; neither is a change."""
    return a.replace("\r\n", "\n").rstrip() == b.replace("\r\n", "\n").rstrip()


Actor = tuple[str, bool]  # a login (lower case, without "[bot]") and whether it is a bot


def actor(login: str, kind: str = "") -> Actor:
    """Who wrote something, alike whether REST (``app[bot]``, type ``Bot``) or GraphQL
    (``app``, ``__typename`` ``Bot``) says it; a user ``app`` is someone else."""
    bot = login.endswith("[bot]") or kind.lower() == "bot"
    return login.lower().removesuffix("[bot]"), bot


@dataclass
class Comment:
    """A comment on an issue or pull request; ``created_at`` as GitHub writes it (ISO)."""

    id: int
    body: str
    created_at: str
    url: str
    author: Actor


def comment_from(data: Any) -> Comment | None:
    """The comment a REST answer describes; None when it is no comment (an empty answer,
    ``null``, a list, a login page, a field missing or of the wrong kind)."""
    if not isinstance(data, dict):
        return None
    user = data.get("user")
    fields = (data.get("id"), data.get("html_url"), data.get("created_at"))
    if not (isinstance(fields[0], int) and all(isinstance(f, str) for f in fields[1:])):
        return None
    if not (isinstance(user, dict) and isinstance(user.get("login"), str)):
        return None
    body = data.get("body")
    return Comment(
        fields[0],
        body if isinstance(body, str) else "",
        fields[2],
        fields[1],
        actor(user["login"], str(user.get("type") or "")),
    )


@dataclass
class Upsert:
    """What an upsert of a comment or a pull request did: ``created``, ``updated`` or
    ``unchanged``."""

    action: str
    url: str
    removed: int = 0
    number: int | None = None


@dataclass
class RemoteFile:
    """A file on a branch: its blob sha and its text."""

    sha: str
    text: str


@dataclass
class Pull:
    number: int
    state: str
    title: str
    body: str
    url: str
    handle: Any = field(repr=False, default=None)


@dataclass
class FoundIssue:
    """An issue or pull request a search found: ``owner/repo#N`` (lower case), title, page."""

    ref: str
    kind: str
    title: str
    url: str


@dataclass
class IssueSummary:
    """What a digest shows of an issue or pull request: ``open``, ``closed`` or
    ``merged``, and its title."""

    state: str
    title: str


@dataclass
class TrackedIssue:
    """An issue minutesbot opened: ``owner/repo#N`` (lower case), state, state reason
    (``completed``, ``not_planned``, ``duplicate``, or None), title, body, labels, page,
    assignees (lower case)."""

    ref: str
    number: int
    state: str
    state_reason: str | None
    title: str
    body: str
    labels: list[str]
    url: str
    assignees: list[str] = field(default_factory=list)
    handle: Any = field(repr=False, default=None)

    @property
    def marker(self) -> str:
        """The body's first line: the hidden marker that says what the issue tracks."""
        return self.body.replace("\r\n", "\n").split("\n", 1)[0].strip()
