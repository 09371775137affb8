"""GraphQL: many issues in one request (a hundred aliases each), as REST would take one each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from minutesbot.github.model import REF, IssueSummary, parse_issue_ref
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
    return {
        ref: None if found is None else "open" if found.state == "open" else "closed"
        for ref, found in issue_summaries(transport, refs).items()
    }


def issue_summaries(transport: Transport, refs: Iterable[str]) -> dict[str, IssueSummary | None]:
    """State (``open``, ``closed``, ``merged``) and title of each issue or pull request;
    None where unknown.

    One aliased GraphQL request per 100 refs; a ref GitHub cannot resolve
    (deleted, private, a discussion) gets None without failing the rest.
    """
    wanted = list(dict.fromkeys(refs))
    found: dict[str, IssueSummary | None] = {ref: None for ref in wanted}
    for batch in batches(wanted):
        data, errors = query(transport, aliased_query(batch, "state title"), "GraphQL issue states")
        for i, ref in enumerate(batch):
            node = (data.get(f"i{i}") or {}).get("issueOrPullRequest")
            if node and node.get("state"):
                found[ref] = IssueSummary(str(node["state"]).lower(), node.get("title") or "")
            elif f"i{i}" in errors:
                log.info("%s", transport.scrub(f"{ref}: {errors[f'i{i}']}"))
    return found


def recent_comments(transport: Transport, refs: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The last :data:`RECENT_COMMENTS` comments of each ref (``databaseId``, ``createdAt``,
    ``body``), in one request for up to a hundred refs."""
    fields = f"comments(last: {RECENT_COMMENTS}) {{ nodes {{ databaseId createdAt body }} }}"
    data, _errors = query(transport, aliased_query(refs, fields), "GraphQL latest comments")
    found = {}
    for i, ref in enumerate(refs):
        node = (data.get(f"i{i}") or {}).get("issueOrPullRequest") or {}
        found[ref] = (node.get("comments") or {}).get("nodes") or []
    return found


def aliased_query(refs: list[str], fields: str) -> str:
    """One alias per ref (``i0: repository(...) { issueOrPullRequest(number: N) {...} }``),
    asking ``fields`` of the issue or pull request it names."""
    parts = []
    for i, ref in enumerate(refs):
        full_name, number = parse_issue_ref(ref)
        owner, repo = full_name.split("/")
        parts.append(
            f"i{i}: repository(owner: {json.dumps(owner)}, name: {json.dumps(repo)}) "
            f"{{ issueOrPullRequest(number: {number}) {{ __typename "
            f"... on Issue {{ {fields} }} ... on PullRequest {{ {fields} }} }} }}"
        )
    return "query {\n  " + "\n  ".join(parts) + "\n}"
