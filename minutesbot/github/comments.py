"""Comments: the backlink a minutes file leaves on an issue, found by its hidden marker.

A POST that was stored before it failed is found by its marker in the next
round (:meth:`~minutesbot.github.transport.Transport.rounds`), so no comment
is written twice; duplicates left by earlier races are deleted, the oldest
kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from minutesbot.github import graphql
from minutesbot.github.model import Comment, Upsert, parse_issue_ref, same_body
from minutesbot.github.policy import GitHubError
from minutesbot.github.transport import Transport

T = TypeVar("T")


def comments(transport: Transport, ref: str) -> list[Comment]:
    """Every comment on the issue or pull request, oldest first."""
    issue = transport.issue(ref)

    def fetch() -> list[Comment]:
        return [
            Comment(c.id, c.body or "", c.created_at, c.html_url, c) for c in issue.get_comments()
        ]

    return transport.read(f"{ref}: listing comments", fetch)


def _in_rounds(
    transport: Transport, ref: str, marker: str, step: Callable[[list[Comment]], T]
) -> T:
    """Run ``step`` on the comments marked ``marker`` (oldest first), freshly listed.

    A write that fails in an unknown state (a 502 after GitHub stored it, a
    timeout) raises :class:`~minutesbot.github.policy.Transient` out of
    ``step``; the next round lists the comments again before ``step``
    decides anew, so nothing is ever repeated without looking.
    """

    def listed() -> T:
        ours = (c for c in comments(transport, ref) if c.body.startswith(marker))
        return step(sorted(ours, key=lambda c: (c.created_at, c.id)))

    return transport.rounds(ref, listed)


def upsert_comment(
    transport: Transport, ref: str, marker: str, body: str, alternatives: Iterable[str] = ()
) -> Upsert:
    """Make the one comment whose body starts with ``marker`` read ``body``; one that reads
    as one of ``alternatives`` (a body as good as it) is left as it is."""
    also = tuple(alternatives)
    issue = transport.issue(ref)
    removed, attempted = 0, ""

    def step(ours: list[Comment]) -> Upsert:
        nonlocal removed, attempted
        for duplicate in ours[1:]:
            removed += _delete(transport, ref, duplicate.id)
        if not ours:
            attempted = "created"
            made = transport.write(f"{ref}: commenting", lambda: issue.create_comment(body))
            return Upsert("created", made.html_url, removed)
        keep = ours[0]
        if any(same_body(keep.body, wanted) for wanted in (body, *also)):
            return Upsert(attempted or "unchanged", keep.url, removed)
        attempted = "updated"
        transport.write(f"{ref}: updating comment {keep.id}", lambda: keep.handle.edit(body))
        return Upsert("updated", keep.url, removed)

    return _in_rounds(transport, ref, marker, step)


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

    return _in_rounds(transport, ref, marker, step)


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
    for batch in graphql.batches(markers):
        latest = graphql.recent_comments(transport, batch)
        for ref in batch:
            for marker in markers[ref]:
                found = sorted(
                    (c["createdAt"], c["databaseId"])
                    for c in latest[ref]
                    if str(c.get("body") or "").startswith(marker)
                )
                count = sum(_delete(transport, ref, comment_id) for _at, comment_id in found[1:])
                if count:
                    removed[(ref, marker)] = count
    return removed
