"""Issues opened, listed and edited, for the imitation; and the GraphQL fields about them.

These endpoints serve ``minutesbot track`` (an issue per action item) and the
agenda label ``publish`` takes off: list a repository's issues (by label and
state, paged as GitHub pages), open one (a 422 for an assignee who cannot
be assigned there, as GitHub answers), edit one (body, state and reason,
labels). GraphQL answers ``assignableUsers`` and a repository's ``issues``
connection (by label and state, newest update first). Mixed into
:class:`ghfake.server.FakeGitHub`.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

Answer = tuple[int, Any, dict[str, str]]

_REPO = (
    r'repository\(\s*owner:\s*("(?:[^"\\]|\\.)*")\s*,\s*name:\s*("(?:[^"\\]|\\.)*")\s*\)\s*\{\s*'
)
_ASSIGNABLE = re.compile(
    rf'(\w+)\s*:\s*{_REPO}assignableUsers\(\s*query:\s*("(?:[^"\\]|\\.)*")\s*,\s*first:\s*(\d+)'
)
_ISSUES = re.compile(rf"(\w+)\s*:\s*{_REPO}issues\(([^)]*)\)")
_LABELS_ARG = re.compile(r'labels:\s*\[((?:\s*"(?:[^"\\]|\\.)*"\s*,?)*)\]')
_STATES_ARG = re.compile(r"states:\s*\[?\s*(OPEN|CLOSED)")
_FIRST_ARG = re.compile(r"first:\s*(\d+)")
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")


class IssueData:
    """Handlers ``h_*`` for the issues of a repository; state lives on each ``_Repo``."""

    def issues_in(self, full_name: str) -> list[Any]:
        """The issues of a repository (not its pull requests), lowest number first."""
        repo = self.repos[full_name.lower()]
        with self._lock:
            return [i for _, i in sorted(repo.issues.items()) if i.kind == "issue"]

    def close_issue(self, ref: str, reason: str = "completed") -> None:
        """A person closes the issue on GitHub."""
        full_name, number = ref.split("#")
        with self._lock:
            issue = self.repos[full_name.lower()].issues[int(number)]
            issue.state, issue.state_reason = "closed", reason
            issue.closed = issue.updated = time.time()

    # -- REST -------------------------------------------------------------
    def h_list_issues(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=False)
        state = q.get("state", "open")
        labels = [name.strip().lower() for name in q.get("labels", "").split(",") if name.strip()]
        found = [
            issue
            for issue in repo.issues.values()
            if issue.kind in ("issue", "pull")
            and (state == "all" or issue.state == state)
            and all(name in (x.lower() for x in issue.labels) for name in labels)
        ]
        key = {"updated": lambda i: (i.updated, i.number)}.get(
            q.get("sort", "created"), lambda i: (i.created, i.number)
        )
        found.sort(key=key, reverse=q.get("direction", "desc") == "desc")
        per_page = min(int(q.get("per_page", self.default_per_page)), 100)
        page = max(int(q.get("page", 1)), 1)
        last = max((len(found) + per_page - 1) // per_page, 1)
        items = [self._issue_json(repo, i) for i in found[(page - 1) * per_page : page * per_page]]
        path = f"{self.base_url}/repos/{repo.owner}/{repo.name}/issues"
        return 200, items, self._link(path, q, page, last)

    def h_create_issue(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        from ghfake.server import _Issue

        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=True)
        body = body or {}
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            self._invalid("Issue", "missing_field", "title")
        assignees = [str(a) for a in body.get("assignees") or []]
        for login in assignees:
            if login.lower() not in repo.assignable:
                self._invalid("Issue", "invalid", "assignees")
        text = body.get("body")
        if isinstance(text, str) and len(text) > 65536:
            self._invalid(
                "Issue", "custom", "body", "body is too long (maximum is 65536 characters)"
            )
        number = max([*repo.issues, *repo.pulls, 0]) + 1
        issue = _Issue(
            number,
            title,
            body=text if isinstance(text, str) else None,
            labels=tuple(dict.fromkeys(str(name) for name in body.get("labels") or [])),
            assignees=tuple(assignees),
            author=self.login,
        )
        repo.issues[number] = issue
        data = self._issue_json(repo, issue)
        return 201, data, {"Location": data["url"]}

    def h_update_issue(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo, issue = self._issue(p, for_write=True)
        body = body or {}
        if "title" in body:
            issue.title = str(body["title"])
        if "body" in body:
            issue.body = body["body"]
        if "labels" in body:
            issue.labels = tuple(dict.fromkeys(str(name) for name in body["labels"] or []))
        if "assignees" in body:
            issue.assignees = tuple(str(a) for a in body["assignees"] or [])
        state = body.get("state")
        if state not in (None, "open", "closed"):
            self._invalid("Issue", "invalid", "state")
        reason = body.get("state_reason")
        if reason is not None and reason not in STATE_REASONS:
            self._invalid("Issue", "invalid", "state_reason")
        if state and state != issue.state:
            issue.state = state
            issue.closed = time.time() if state == "closed" else None
            issue.state_reason = (reason or "completed") if state == "closed" else "reopened"
        issue.updated = time.time()
        return 200, self._issue_json(repo, issue), {}

    # -- GraphQL ----------------------------------------------------------
    def graphql_repository_fields(
        self, query: str, data: dict[str, Any], errors: list[dict[str, Any]]
    ) -> None:
        """Answer the ``assignableUsers`` and ``issues`` aliases of ``query`` into ``data``."""
        for alias, owner, name, wanted, first in _ASSIGNABLE.findall(query):
            repo = self.graphql_repo(alias, owner, name, data, errors)
            if repo is not None:
                needle = json.loads(wanted).lower()
                logins = sorted(login for login in repo.assignable if login.startswith(needle))
                nodes = [{"login": login} for login in logins[: int(first)]]
                data[alias] = {"assignableUsers": {"nodes": nodes}}
        for alias, owner, name, arguments in _ISSUES.findall(query):
            repo = self.graphql_repo(alias, owner, name, data, errors)
            if repo is None:
                continue
            labels_arg = _LABELS_ARG.search(arguments)
            labels = (
                [json.loads(x).lower() for x in re.findall(r'"(?:[^"\\]|\\.)*"', labels_arg[1])]
                if labels_arg
                else []
            )
            state = _STATES_ARG.search(arguments)
            first = _FIRST_ARG.search(arguments)
            found = [
                issue
                for issue in repo.issues.values()
                if issue.kind == "issue"
                and (state is None or issue.state == state[1].lower())
                and all(label in (x.lower() for x in issue.labels) for label in labels)
            ]
            found.sort(key=lambda i: (i.updated, i.number), reverse=True)
            nodes = [
                {
                    "number": issue.number,
                    "url": f"{self.origin}/{repo.owner}/{repo.name}/issues/{issue.number}",
                    "stateReason": (issue.state_reason or "").upper() or None,
                    "body": issue.body or "",
                }
                for issue in found[: int(first[1]) if first else 100]
            ]
            data[alias] = {"issues": {"nodes": nodes}}

    def graphql_repo(
        self, alias: str, owner: str, name: str, data: dict[str, Any], errors: list[dict[str, Any]]
    ) -> Any:
        """The repository an alias names (``owner`` and ``name`` as JSON strings), or None
        with GitHub's NOT_FOUND error for it."""
        owner, name = json.loads(owner), json.loads(name)
        repo = self.repos.get(f"{owner}/{name}".lower())
        if repo is None or repo.access == "none":
            data[alias] = None
            errors.append(
                {
                    "type": "NOT_FOUND",
                    "path": [alias],
                    "locations": [],
                    "message": f"Could not resolve to a Repository with the name '{owner}/{name}'.",
                }
            )
            return None
        return repo
