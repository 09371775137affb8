"""Search: open issues and pull requests across an owner's repositories."""

from __future__ import annotations

from minutesbot.github.model import FoundIssue
from minutesbot.github.transport import Transport

SEARCH_LIMIT = 50


def open_labelled(
    transport: Transport, label: str, owner: str, limit: int = SEARCH_LIMIT
) -> list[FoundIssue]:
    """Open issues and pull requests labelled ``label`` in the repositories of ``owner``.

    One search across the user's or organization's repositories (the label
    is usually set on issues in many of them), newest first, at most
    ``limit``: an agenda has room for a few dozen topics, not more.
    """
    query = f'label:"{label}" is:open user:{owner}'

    def fetch() -> list[FoundIssue]:
        found = []
        for issue in transport.gh.search_issues(query, sort="created", order="desc"):
            # The page URL names the repository and the kind: asking issue.repository or
            # issue.pull_request would cost a request each (PyGithub completes the object).
            *_, repo_owner, repo, path, number = issue.html_url.rsplit("/", 4)
            kind = "pull" if path == "pull" else "issue"
            ref = f"{repo_owner}/{repo}#{number}".lower()
            found.append(FoundIssue(ref, kind, issue.title, issue.html_url))
            if len(found) >= limit:
                break
        return found

    return transport.read(f"searching open issues labelled {label!r} of {owner}", fetch)
