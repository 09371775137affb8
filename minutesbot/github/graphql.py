"""GraphQL: many issues in one request (a hundred aliases each), as REST would take one each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from minutesbot.github.model import REF, IssueSummary, TrackedIssue, parse_issue_ref
from minutesbot.github.policy import Transient
from minutesbot.github.transport import Transport, log

GRAPHQL_BATCH = 100
# Comments are listed newest last; a concurrent run's comment is among the last few.
RECENT_COMMENTS = 30


def query(transport: Transport, text: str, what: str) -> tuple[dict[str, Any], dict[str, str]]:
    """POST a query (a read, so retried); returns data and the errors by alias."""
    requester = transport.requester

    def post() -> Any:
        _headers, answer = requester.requestJsonAndCheck(
            "POST", requester.graphql_url, input={"query": text, "variables": {}}
        )
        errors = answer.get("errors") or []
        if answer.get("data") is None and errors:
            kinds = {e.get("type") for e in errors}
            message = "; ".join(str(e.get("message")) for e in errors)
            if "RATE_LIMITED" in kinds:
                raise Transient(f"GraphQL: {message}", "rate-limited", 60.0)
            raise transport.error("GraphQL", message, "failed")
        return answer

    answer = transport.read(what, post)
    by_alias = {
        str(e["path"][0]): str(e.get("message", e.get("type")))
        for e in answer.get("errors") or []
        if e.get("path")
    }
    return answer.get("data") or {}, by_alias


def batches(refs: Iterable[str]) -> list[list[str]]:
    """The valid ``owner/repo#N`` refs among ``refs``, once each, a query's worth at a time."""
    valid = [ref for ref in dict.fromkeys(refs) if REF.match(ref)]
    return [valid[start : start + GRAPHQL_BATCH] for start in range(0, len(valid), GRAPHQL_BATCH)]


def issue_states(transport: Transport, refs: Iterable[str]) -> dict[str, str | None]:
    """``open`` or ``closed`` (merged too) for each issue or pull request; None where
    unknown (see :func:`issue_summaries`)."""
    return {ref: simple_state(found) for ref, found in issue_summaries(transport, refs).items()}


def simple_state(found: IssueSummary | None) -> str | None:
    """``open``, ``closed`` (merged too), or None where unknown."""
    return None if found is None else "open" if found.state == "open" else "closed"


def issue_summaries(transport: Transport, refs: Iterable[str]) -> dict[str, IssueSummary | None]:
    """State (``open``, ``closed``, ``merged``) and title of each issue or pull request;
    None where unknown.

    One aliased GraphQL request per 100 refs; a ref GitHub cannot resolve
    (deleted, private, a discussion) gets None without failing the rest.
    """
    return summaries_and(transport, refs)[0]


def summaries_and(
    transport: Transport, refs: Iterable[str], closed_in: tuple[str, str] | None = None
) -> tuple[dict[str, IssueSummary | None], list[TrackedIssue]]:
    """:func:`issue_summaries`, and with ``closed_in`` (repository, label) the issues
    there with that label closed most recently (a hundred) -- asked in the same request.

    This is how an agenda learns which tracked actions were closed on GitHub
    without a request of their own.
    """
    wanted = list(dict.fromkeys(refs))
    found: dict[str, IssueSummary | None] = {ref: None for ref in wanted}
    closed: list[TrackedIssue] = []
    extra = [_closed_alias(*closed_in)] if closed_in else []
    for batch in batches(wanted) or ([[]] if extra else []):
        parts = _aliases(batch, "state title") + extra
        data, errors = query(transport, _query(parts), "GraphQL issue states")
        for i, ref in enumerate(batch):
            node = (data.get(f"i{i}") or {}).get("issueOrPullRequest")
            if node and node.get("state"):
                found[ref] = IssueSummary(str(node["state"]).lower(), node.get("title") or "")
            elif f"i{i}" in errors:
                log.info("%s", transport.scrub(f"{ref}: {errors[f'i{i}']}"))
        if extra and closed_in:
            closed = _closed_issues(data, closed_in[0], closed_in[1])
            extra = []
    return found, closed


CLOSED_LIMIT = 100


def _closed_alias(full_name: str, label: str) -> str:
    owner, repo = full_name.split("/")
    return (
        f"closed: repository(owner: {json.dumps(owner)}, name: {json.dumps(repo)}) "
        f"{{ issues(labels: [{json.dumps(label)}], states: CLOSED, first: {CLOSED_LIMIT}, "
        "orderBy: {field: UPDATED_AT, direction: DESC}) "
        "{ nodes { number url stateReason body } } }"
    )


def _closed_issues(data: dict[str, Any], full_name: str, label: str) -> list[TrackedIssue]:
    nodes = ((data.get("closed") or {}).get("issues") or {}).get("nodes") or []
    return [
        TrackedIssue(
            ref=f"{full_name}#{node['number']}".lower(),
            number=int(node["number"]),
            state="closed",
            state_reason=str(node.get("stateReason") or "completed").lower(),
            title="",
            body=str(node.get("body") or ""),
            labels=[label],
            url=str(node.get("url") or ""),
        )
        for node in nodes
        if isinstance(node, dict) and isinstance(node.get("number"), int)
    ]


def issue_labels(transport: Transport, refs: Iterable[str]) -> dict[str, list[str] | None]:
    """The labels of each issue or pull request (None where unknown), a hundred a request."""
    wanted = list(dict.fromkeys(refs))
    found: dict[str, list[str] | None] = {ref: None for ref in wanted}
    fields = "labels(first: 100) { nodes { name } }"
    for batch in batches(wanted):
        data, _errors = query(transport, aliased_query(batch, fields), "GraphQL issue labels")
        for i, ref in enumerate(batch):
            node = (data.get(f"i{i}") or {}).get("issueOrPullRequest")
            if node:
                nodes = (node.get("labels") or {}).get("nodes") or []
                found[ref] = [str(n.get("name")) for n in nodes if isinstance(n, dict)]
    return found


def assignable(transport: Transport, full_name: str, handles: Iterable[str]) -> set[str]:
    """Which of ``handles`` can be assigned issues in ``full_name`` (lower case).

    GitHub refuses an issue whose assignees include anyone else; one aliased
    request asks for a hundred handles at a time.
    """
    owner, repo = full_name.split("/")
    wanted = list(dict.fromkeys(h.lower() for h in handles))
    found: set[str] = set()
    for start in range(0, len(wanted), GRAPHQL_BATCH):
        batch = wanted[start : start + GRAPHQL_BATCH]
        parts = [
            f"u{i}: repository(owner: {json.dumps(owner)}, name: {json.dumps(repo)}) "
            f"{{ assignableUsers(query: {json.dumps(handle)}, first: 10) {{ nodes {{ login }} }} }}"
            for i, handle in enumerate(batch)
        ]
        data, errors = query(transport, _query(parts), f"{full_name}: GraphQL assignable users")
        if errors and not any(data.get(f"u{i}") for i in range(len(batch))):
            raise transport.error(full_name, "; ".join(sorted(set(errors.values()))), "not-found")
        for i, handle in enumerate(batch):
            nodes = ((data.get(f"u{i}") or {}).get("assignableUsers") or {}).get("nodes") or []
            if any(str(n.get("login", "")).lower() == handle for n in nodes if n):
                found.add(handle)
    return found


def recent_comments(transport: Transport, refs: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The last :data:`RECENT_COMMENTS` comments of each ref (``databaseId``, ``createdAt``,
    ``body``, ``author``), in one request for up to a hundred refs."""
    fields = (
        f"comments(last: {RECENT_COMMENTS}) "
        "{ nodes { databaseId createdAt body author { login __typename } } }"
    )
    data, _errors = query(transport, aliased_query(refs, fields), "GraphQL latest comments")
    found = {}
    for i, ref in enumerate(refs):
        node = (data.get(f"i{i}") or {}).get("issueOrPullRequest") or {}
        found[ref] = (node.get("comments") or {}).get("nodes") or []
    return found


def aliased_query(refs: list[str], fields: str) -> str:
    """One alias per ref (``i0: repository(...) { issueOrPullRequest(number: N) {...} }``),
    asking ``fields`` of the issue or pull request it names."""
    return _query(_aliases(refs, fields))


def _aliases(refs: list[str], fields: str) -> list[str]:
    parts = []
    for i, ref in enumerate(refs):
        full_name, number = parse_issue_ref(ref)
        owner, repo = full_name.split("/")
        parts.append(
            f"i{i}: repository(owner: {json.dumps(owner)}, name: {json.dumps(repo)}) "
            f"{{ issueOrPullRequest(number: {number}) {{ __typename "
            f"... on Issue {{ {fields} }} ... on PullRequest {{ {fields} }} }} }}"
        )
    return parts


def _query(parts: list[str]) -> str:
    return "query {\n  " + "\n  ".join(parts) + "\n}"
