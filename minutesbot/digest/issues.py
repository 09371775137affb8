"""Titles and states of the issues a digest lists, from GitHub when a token is at hand.

Offline is normal (a laptop, a pad prepared without secrets): the digest is
complete without GitHub and says that titles and states were not looked up.
With ``GITHUB_TOKEN`` set, the GitHub layer is imported (only then: a digest
never loads PyGithub otherwise) and asked once for every issue and pull
request of the digest, in one aliased GraphQL request per hundred refs. A
GitHub failure never costs the digest: it becomes a warning and a note.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from minutesbot.digest import Digest

OFFLINE_NOTE = "Offline: issue titles and states not looked up (no GITHUB_TOKEN)."


def add_issue_details(digest: Digest, env: Mapping[str, str] = os.environ) -> list[str]:
    """Fill in each issue's title and state from GitHub when a token is set; sets
    ``digest.github_note`` and returns warnings to show."""
    # Discussions are not issues to GitHub's issueOrPullRequest: they stay without.
    refs = list(dict.fromkeys(i.ref for i in digest.issues if i.kind != "discussion"))
    if not refs:
        return []
    if not env.get("GITHUB_TOKEN", "").strip():
        digest.github_note = OFFLINE_NOTE
        return []
    from minutesbot.github.client import GitHub
    from minutesbot.github.graphql import GRAPHQL_BATCH
    from minutesbot.github.policy import GitHubError

    try:
        client = GitHub.from_env(env)
        assert client is not None  # a token is set
        found = client.issue_summaries(refs)
    except GitHubError as exc:  # its message is scrubbed of the token by the layer
        digest.github_note = "Issue titles and states not looked up: GitHub did not answer."
        return [f"issue titles and states not looked up: {exc}"]
    for issue in digest.issues:
        summary = found.get(issue.ref)
        if summary is not None:
            issue.title, issue.state = summary.title, summary.state
    unknown = sum(1 for summary in found.values() if summary is None)
    requests = -(-len(refs) // GRAPHQL_BATCH)
    digest.github_note = (
        f"Issue titles and states from GitHub: {len(refs)} looked up in "
        f"{requests} request{'s' if requests > 1 else ''}"
        + (f", {unknown} unknown." if unknown else ".")
    )
    return []
