"""Comments: the backlink a minutes file leaves on an issue, found by its hidden marker.

A POST that was stored before it failed is found by its marker in the next
round (:meth:`~minutesbot.github.transport.Transport.rounds`), so no comment
is written twice; duplicates left by earlier races are deleted, the oldest
kept.

Only comments minutesbot wrote count: a marked comment by anyone else (who
copied the marker, by mistake or to have minutesbot edit or delete their
text) is left alone. Who minutesbot is comes from the comment it created
in this run, else from GitHub (``viewer``, one request, only once a marked
comment is found). Answers are read as REST gives them and checked: a page
of comments that is no list, or an answer to a write that is no comment
(empty, ``null``, ``[]``, a login page), is an error, never half-used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from minutesbot.github import graphql
from minutesbot.github.model import (
    Actor,
    Comment,
    Upsert,
    actor,
    comment_from,
    parse_issue_ref,
    same_body,
)
from minutesbot.github.policy import GitHubError, Transient
from minutesbot.github.transport import Transport

T = TypeVar("T")
# Pages of comments read at most (a hundred each): an issue with more is no place for
# minutesbot's comment, and a server that always says "next" stops here.
MAX_PAGES = 300


def comments(transport: Transport, ref: str) -> list[Comment]:
    """Every comment on the issue or pull request, oldest first."""
    full_name, number = parse_issue_ref(ref)
    requester = transport.requester
    what = f"{ref}: listing comments"
    found: list[Comment] = []
    for page in range(1, MAX_PAGES + 1):

        def fetch(page: int = page) -> tuple[dict[str, Any], Any]:
            return requester.requestJsonAndCheck(
                "GET",
                f"/repos/{full_name}/issues/{number}/comments",
                parameters={"per_page": transport.policy.per_page, "page": page},
            )

        headers, data = transport.read(what, fetch)
        listed = [comment_from(item) for item in data] if isinstance(data, list) else [None]
        if None in listed:
            raise transport.error(what, "the answer is no list of comments", "failed")
        found += [c for c in listed if c is not None]
        if 'rel="next"' not in str((headers or {}).get("link", "")):
            return found
    raise transport.error(what, f"more than {MAX_PAGES} pages of comments", "failed")


def identity(transport: Transport) -> Actor:
    """Who the token writes as (``viewer``, asked once a run unless already known)."""
    if transport.me is None:
        data, _errors = graphql.query(transport, "query { viewer { login } }", "GraphQL viewer")
        login = (data.get("viewer") or {}).get("login")
        if not isinstance(login, str) or not login:
            raise transport.error("GraphQL viewer", "GitHub did not say who the token is", "failed")
        transport.me = actor(login)
    return transport.me


def _in_rounds(
    transport: Transport, ref: str, markers: Sequence[str], step: Callable[[list[Comment]], T]
) -> T:
    """Run ``step`` on minutesbot's comments that start with one of ``markers`` (those with
    the first marker first, each kind oldest first), freshly listed.

    A write that fails in an unknown state (a 502 after GitHub stored it, a
    timeout) raises :class:`~minutesbot.github.policy.Transient` out of
    ``step``; the next round lists the comments again before ``step``
    decides anew, so nothing is ever repeated without looking.
    """

    def rank(comment: Comment) -> tuple[int, str, int]:
        kind = next(n for n, m in enumerate(markers) if comment.body.startswith(m))
        return kind, comment.created_at, comment.id

    def listed() -> T:
        marked = [c for c in comments(transport, ref) if c.body.startswith(tuple(markers))]
        mine = [c for c in marked if c.author == identity(transport)] if marked else []
        return step(sorted(mine, key=rank))

    return transport.rounds(ref, listed)


def upsert_comment(
    transport: Transport,
    ref: str,
    marker: str,
    body: str,
    alternatives: Iterable[str] = (),
    legacy: Sequence[str] = (),
) -> Upsert:
    """Make the one comment whose body starts with ``marker`` read ``body``; one that reads
    as one of ``alternatives`` (a body as good as it) is left as it is.

    Without such a comment, one marked by one of ``legacy`` (the marker an
    older minutesbot gave the same file) is taken over and rewritten; other
    comments with a legacy marker may be another file's, and are left alone.
    """
    also = tuple(alternatives)
    full_name, number = parse_issue_ref(ref)
    requester = transport.requester
    removed, attempted = 0, ""

    def create() -> Comment:
        _headers, data = requester.requestJsonAndCheck(
            "POST", f"/repos/{full_name}/issues/{number}/comments", input={"body": body}
        )
        made = comment_from(data)
        if made is None:  # GitHub may have stored it all the same: look before writing again
            raise Transient("the answer to the new comment is no comment", "unavailable")
        transport.me = transport.me or made.author
        return made

    def edit(comment_id: int) -> None:
        _headers, data = requester.requestJsonAndCheck(
            "PATCH", f"/repos/{full_name}/issues/comments/{comment_id}", input={"body": body}
        )
        if comment_from(data) is None:
            raise Transient("the answer to the edit is no comment", "unavailable")

    def step(ours: list[Comment]) -> Upsert:
        nonlocal removed, attempted
        current = [c for c in ours if c.body.startswith(marker)]
        for duplicate in current[1:]:
            removed += _delete(transport, ref, duplicate.id)
        if not ours:
            attempted = "created"
            made = transport.write(f"{ref}: commenting", create)
            return Upsert("created", made.url, removed)
        keep = ours[0]  # the oldest with the marker, else the oldest with a legacy one
        if any(same_body(keep.body, wanted) for wanted in (body, *also)):
            return Upsert(attempted or "unchanged", keep.url, removed)
        attempted = "updated"
        transport.write(f"{ref}: updating comment {keep.id}", lambda: edit(keep.id))
        return Upsert("updated", keep.url, removed)

    return _in_rounds(transport, ref, (marker, *legacy), step)


def remove_comments(transport: Transport, ref: str, marker: str) -> int:
    """Delete every comment whose body starts with ``marker``; how many there were.

    Counted as seen, not as answered: a DELETE that GitHub carried out
    before failing shows up as gone in the next round.
    """
    seen: set[int] = set()

    def step(ours: list[Comment]) -> int:
        seen.update(c.id for c in ours)
        for comment in ours:
            _delete(transport, ref, comment.id)
        return len(seen)

    return _in_rounds(transport, ref, (marker,), step)


def _delete(transport: Transport, ref: str, comment_id: int) -> int:
    """Delete a comment; 1 when this call removed it, 0 when it was gone already."""
    full_name, _number = parse_issue_ref(ref)
    requester = transport.requester
    try:
        transport.write(
            f"{ref}: deleting comment {comment_id}",
            lambda: requester.requestJsonAndCheck(
                "DELETE", f"/repos/{full_name}/issues/comments/{comment_id}"
            ),
        )
    except GitHubError as exc:
        if exc.reason == "not-found":
            return 0
        raise
    return 1


def remove_duplicates(
    transport: Transport, created: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """After comments were created: delete every comment with a ref's marker but the oldest.

    Two runs that publish the same minutes at the same time both find no
    comment and both create one. Each run looks again once it has written
    (so at least one of them sees both comments) and keeps the oldest, which
    is the same comment for both. The look is one GraphQL request per
    hundred refs over their latest comments, so that the first publish stays
    at two REST requests per ref.
    """
    removed: dict[tuple[str, str], int] = {}
    markers: dict[str, list[str]] = {}
    for ref, marker in dict.fromkeys(created):
        markers.setdefault(ref, []).append(marker)
    me = identity(transport)
    for batch in graphql.batches(markers):
        latest = graphql.recent_comments(transport, batch)
        for ref in batch:
            for marker in markers[ref]:
                found = sorted(
                    (c["createdAt"], c["databaseId"])
                    for c in latest[ref]
                    if str(c.get("body") or "").startswith(marker) and _by(c) == me
                )
                count = sum(_delete(transport, ref, comment_id) for _at, comment_id in found[1:])
                if count:
                    removed[(ref, marker)] = count
    return removed


def _by(node: dict[str, Any]) -> Actor | None:
    """The author of a comment as GraphQL gives it (None: a deleted account)."""
    author = node.get("author")
    if not isinstance(author, dict) or not isinstance(author.get("login"), str):
        return None
    return actor(author["login"], str(author.get("__typename") or ""))
