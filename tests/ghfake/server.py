"""A stateful imitation of the GitHub REST API (and one GraphQL query), over real HTTP.

Tests and benchmarks point PyGithub at it through ``GITHUB_API_URL`` and
then look at what it holds (the comments on each issue) and what it was
asked (requests per method). It answers in the shapes GitHub answers in
(``shared/github/recorded/``), with absolute URLs naming its own host and
port, exact ``Link`` pagination headers and rate-limit headers; every
response is recorded so that ``openapi_check`` can hold it against GitHub's
own OpenAPI description.

Faults are injected on demand (:meth:`FakeGitHub.inject`): error statuses,
a POST stored and then answered 502, rate limits with ``retry-after``,
answers slower than the client waits, dropped connections, or a whole
outage after K writes (a run dying half-way). Nothing here imports pytest,
so the benchmark can serve it too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from ghfake.gitdata import GitData
from ghfake.issuedata import IssueData
from loopback import Exchange, Loopback

WRITES = {"POST", "PATCH", "PUT", "DELETE"}
DOCS = "https://docs.github.com/rest"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
LOCKED_MESSAGE = "Unable to create comment because issue is locked."
INTEGRATION_MESSAGE = "Resource not accessible by integration"
PRIMARY_MESSAGE = "API rate limit exceeded for installation ID 1."


def _stamp(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _actor(login: str) -> dict[str, str]:
    """A comment's author as GraphQL gives it: a bot's login without its ``[bot]``."""
    bot = login.endswith("[bot]")
    return {"login": login.removesuffix("[bot]"), "__typename": "Bot" if bot else "User"}


def _node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"0:{kind}{number}".encode()).decode()


def _reactions(url: str) -> dict[str, Any]:
    """The reaction rollup of an issue or comment: none yet."""
    return {
        "url": url,
        "total_count": 0,
        **dict.fromkeys(("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"), 0),
    }


def _echo(style: str, authorization: str) -> tuple[int, str]:
    """The status and message of an answer that quotes the credentials (``echo-token``)."""
    from urllib.parse import quote

    token = authorization.split(" ")[-1]
    if style == "encoded":
        return 401, f"Bad credentials: token%20{quote(token, safe='')}"
    if style == "cut":
        return 500, f"upstream refused token {token[:-6]}"
    if style == "glued":
        return 500, f"upstream refused x{token}"
    return 500, f"upstream refused {authorization}"


@dataclass
class Fault:
    """One rule of misbehaviour; the first rule that fires answers the request.

    ``kind`` is one of ``status`` (answer ``status`` without doing anything),
    ``store-then-status`` (do the work, then answer ``status``), ``secondary``
    (403 secondary rate limit), ``too-many`` (429), ``primary`` (403 with
    ``x-ratelimit-remaining: 0``), ``slow`` (do the work, answer after
    ``delay`` seconds), ``drop`` (close the connection unanswered),
    ``store-then-drop``, ``echo-token`` (a 500 whose message quotes the
    credentials, as a careless proxy might; ``echo`` says how: ``whole``,
    ``encoded`` as a 401 ``Bad credentials: token%20<token>``, ``cut`` without
    its last 6 characters, ``glued`` after a letter), ``barrier`` (hold the request
    until ``parties`` requests the rule matches are waiting, then answer all
    of them: two clients that read at the same moment). A list of kinds
    picks one at random each time the rule fires.

    Answers no GitHub gives, as a broken proxy or a hostile server might
    (never recorded in ``exchanges``: they are off the description on purpose);
    with ``stored`` the work is done first: ``empty`` (a 2xx with no body),
    ``null``, ``list`` (``[]``), ``html`` (a 200 login page), ``string`` (a
    JSON string of ``size`` bytes where an object or list belongs),
    ``redirect-away`` (a 307 to another host), ``trickle`` (the whole answer,
    headers too, a byte every ``delay`` s), ``huge`` (a JSON list of ``size``
    bytes, sent until the client hangs up; ``declared`` sends its length).
    """

    kind: str | list[str]
    method: str | None = None
    path: str | None = None
    times: int | None = 1
    rate: float | None = None
    skip: int = 0
    after_writes: int | None = None
    status: int = 502
    delay: float = 1.0
    retry_after: int = 0
    parties: int = 2
    echo: str = "whole"
    stored: bool = False
    size: int = 5_000_000
    declared: bool = False
    sent: int = 0  # bytes of a huge answer the client took before hanging up
    fired: int = 0
    seen: int = 0
    kinds: Counter[str] = field(default_factory=Counter)  # how often each kind fired
    _barrier: threading.Barrier | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.kind == "barrier":
            self._barrier = threading.Barrier(self.parties)

    def meet(self) -> None:
        """Wait for the other parties (a few seconds at most: a lone client goes on)."""
        assert self._barrier is not None
        try:
            self._barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            self._barrier.reset()

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        return not self.path or re.search(self.path, path) is not None


@dataclass
class _Issue:
    number: int
    title: str
    kind: str = "issue"
    state: str = "open"
    locked: bool = False
    created: float = field(default_factory=time.time)
    labels: tuple[str, ...] = ()
    body: str | None = None
    assignees: tuple[str, ...] = ()
    state_reason: str | None = None
    author: str = "octocat"
    updated: float = 0.0
    closed: float | None = None

    def __post_init__(self) -> None:
        self.updated = self.updated or self.created
        if self.state == "closed":
            self.state_reason = self.state_reason or "completed"
            self.closed = self.closed or self.created


@dataclass
class _Repo:
    owner: str
    name: str
    id: int
    access: str = "write"
    issues: dict[int, _Issue] = field(default_factory=dict)
    # Who may be assigned issues (lower-case logins); see ghfake.issuedata.
    assignable: set[str] = field(default_factory=set)
    # For the git data, contents and pulls endpoints (ghfake.gitdata):
    refs: dict[str, str] = field(default_factory=dict)  # "heads/main" -> commit sha
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (branch, path) -> bytes
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Comment:
    id: int
    repo: str
    number: int
    body: str
    login: str
    created: float
    updated: float


_TEMPLATED_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "statuses_url": "/statuses/{sha}",
    "trees_url": "/git/trees{/sha}",
}

ROUTES: list[tuple[str, str, str]] = [
    # (method, path template as in the OpenAPI description, handler name)
    ("GET", "/rate_limit", "rate_limit"),
    ("GET", "/repos/{owner}/{repo}", "get_repo"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}", "get_issue"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "list_comments"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "create_comment"),
    ("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "get_comment"),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "edit_comment"),
    ("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "delete_comment"),
    ("POST", "/graphql", "graphql"),
    ("GET", "/repos/{owner}/{repo}/git/ref/{ref}", "get_ref"),
    ("POST", "/repos/{owner}/{repo}/git/refs", "create_ref"),
    ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", "update_ref"),
    ("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}", "delete_ref"),
    ("GET", "/repos/{owner}/{repo}/contents/{path}", "get_content"),
    ("PUT", "/repos/{owner}/{repo}/contents/{path}", "put_content"),
    ("DELETE", "/repos/{owner}/{repo}/contents/{path}", "delete_content"),
    ("GET", "/repos/{owner}/{repo}/pulls", "list_pulls"),
    ("POST", "/repos/{owner}/{repo}/pulls", "create_pull"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "get_pull"),
    ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}", "update_pull"),
    ("GET", "/search/issues", "search_issues"),
    ("GET", "/repos/{owner}/{repo}/issues", "list_issues"),
    ("POST", "/repos/{owner}/{repo}/issues", "create_issue"),
    ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", "update_issue"),
]
SLASHED = {"ref", "path"}  # parameters that may hold slashes (heads/main, minutes/a.md)


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(
        r"\\\{(\w+)\\\}",
        lambda m: f"(?P<{m[1]}>{'.+' if m[1] in SLASHED else '[^/]+'})",
        re.escape(template),
    )
    return re.compile(f"^{pattern}$")


_COMPILED = [(m, t, _template_regex(t), h) for m, t, h in ROUTES]
_SEARCH_TERM = re.compile(r'(?:(\w+):)?("[^"]*"|\S+)')


def _search_term_holds(key: str, value: str, repo: _Repo, issue: _Issue) -> bool:
    """One term of a search query; free words match the title."""
    if key == "label":
        return value.lower() in (name.lower() for name in issue.labels)
    if key in ("is", "state") and value in ("open", "closed"):
        return issue.state == value
    if key in ("is", "type") and value in ("issue", "pr"):
        return (issue.kind == "pull") == (value == "pr")
    if key in ("user", "org"):
        return repo.owner.lower() == value.lower()
    if key == "repo":
        return f"{repo.owner}/{repo.name}".lower() == value.lower()
    return value.lower() in issue.title.lower()


_GRAPHQL_ALIAS = re.compile(
    r'(\w+)\s*:\s*repository\(\s*owner:\s*("(?:[^"\\]|\\.)*")\s*,\s*name:\s*("(?:[^"\\]|\\.)*")\s*\)'
    r"\s*\{\s*issueOrPullRequest\(\s*number:\s*(\d+)\s*\)"
)


class _Reply(Exception):
    """Raised by a handler to answer with an error; ``errors`` are a 422's details."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.errors = errors

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"message": self.message, "documentation_url": DOCS}
        if self.errors is not None:
            data["errors"] = self.errors
        return data


def invalid(
    resource: str, code: str, field: str | None = None, message: str | None = None
) -> _Reply:
    """GitHub's 422: "Validation Failed", with what failed in ``errors``."""
    error = {"resource": resource, "code": code}
    error.update({k: v for k, v in (("field", field), ("message", message)) if v is not None})
    return _Reply(422, "Validation Failed", errors=[error])


def _comment_body(body: Any) -> str:
    """The ``body`` of a comment request, or the 422 GitHub gives for a missing or long one."""
    text = (body or {}).get("body")
    if not isinstance(text, str) or not text:
        raise invalid("IssueComment", "missing_field", "body")
    if len(text) > 65536:
        raise invalid(
            "IssueComment", "custom", "body", "body is too long (maximum is 65536 characters)"
        )
    return text


class FakeGitHub(GitData, IssueData, Loopback):
    """The imitation: state, faults, counters and the HTTP server around them."""

    def __init__(
        self,
        *,
        prefix: str = "",
        login: str = "github-actions[bot]",
        token: str | None = None,
        default_per_page: int = 30,
    ) -> None:
        self.prefix = prefix.rstrip("/")
        self.graphql_path = (
            self.prefix[:-3] if self.prefix.endswith("/v3") else self.prefix
        ) + "/graphql"
        self.login = login
        self.token = token
        self.default_per_page = default_per_page
        self.repos: dict[str, _Repo] = {}
        self.comments: dict[int, _Comment] = {}
        self.commits: list[tuple[str, str, str]] = []  # (branch, path, message) of file writes
        self.faults: list[Fault] = []
        self.exchanges: list[Exchange] = []
        self.counts: Counter[str] = Counter()
        self.writes_done = 0
        self.rate_limit = 5000
        self.rate_used = 0
        self.rate_reset = int(time.time()) + 3600
        self._next_id = 1000
        self._lock = threading.RLock()
        self._random = random.Random(0)
        self.base_url = self.origin = ""

    # -- life cycle -------------------------------------------------------
    def start(self) -> str:
        """Serve on a free port of 127.0.0.1; returns the API base URL."""
        handler = type("Handler", (_Handler,), {"fake": self})  # one handler class per server
        self.origin = self.listen(handler)
        self.base_url = self.origin + self.prefix
        return self.base_url

    # -- state set-up -----------------------------------------------------
    def add_repo(
        self, full_name: str, *, access: str = "write", assignable: tuple[str, ...] = ()
    ) -> None:
        """``access``: ``write``; ``read`` (writes answered 403, like another
        repository for a workflow's GITHUB_TOKEN); ``none`` (404 throughout).
        ``assignable``: logins that may be assigned issues there."""
        owner, name = full_name.split("/")
        with self._lock:
            key = full_name.lower()
            if key not in self.repos:
                self.repos[key] = _Repo(owner, name, id=len(self.repos) + 1)
            self.repos[key].access = access
            self.repos[key].assignable.update(login.lower() for login in assignable)

    def add_issue(
        self,
        ref: str,
        *,
        title: str | None = None,
        kind: str = "issue",
        state: str = "open",
        locked: bool = False,
        labels: tuple[str, ...] = (),
    ) -> None:
        """``ref`` is ``owner/repo#N``; the repository is added when missing."""
        full_name, number = ref.split("#")
        if full_name.lower() not in self.repos:
            self.add_repo(full_name)
        with self._lock:
            self.repos[full_name.lower()].issues[int(number)] = _Issue(
                int(number),
                title or f"Issue {number}",
                kind=kind,
                state=state,
                locked=locked,
                labels=tuple(labels),
            )

    def add_comment(self, ref: str, body: str, *, login: str | None = None) -> int:
        """A comment already there (a person's, or one left by an earlier run)."""
        full_name, number = ref.split("#")
        with self._lock:
            return self._store_comment(full_name.lower(), int(number), body, login or self.login)

    def comments_on(self, ref: str) -> list[str]:
        """The bodies of the comments on ``ref``, oldest first."""
        full_name, number = ref.lower().split("#")
        with self._lock:
            return [
                c.body
                for c in sorted(self.comments.values(), key=lambda c: c.id)
                if c.repo == full_name and c.number == int(number)
            ]

    def inject(self, kind: str | list[str], **options: Any) -> Fault:
        """Add a fault rule (see :class:`Fault`); returns it so tests can read ``fired``."""
        fault = Fault(kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def reset_counts(self) -> None:
        """Start counting afresh (the recorded exchanges stay, for the OpenAPI check)."""
        with self._lock:
            self.counts.clear()

    def seed(self, value: int) -> None:
        self._random.seed(value)

    @property
    def requests(self) -> int:
        return sum(self.counts.values())

    @property
    def writes(self) -> int:
        return sum(n for m, n in self.counts.items() if m in WRITES and m != "GRAPHQL")

    # -- shapes -----------------------------------------------------------
    def _user(self, login: str, kind: str | None = None) -> dict[str, Any]:
        """A simple-user: ``kind`` ``User`` (the default; ``Bot`` for ``[bot]`` logins) or
        ``Organization``."""
        api = f"{self.base_url}/users/{login}"
        return {
            "login": login,
            "id": abs(hash(login)) % 10_000_000,
            "node_id": _node_id("U", len(login)),
            "avatar_url": f"{self.origin}/avatars/{login}",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.origin}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": kind or ("Bot" if login.endswith("[bot]") else "User"),
            "site_admin": False,
        }

    def _repo_json(self, repo: _Repo) -> dict[str, Any]:
        api = f"{self.base_url}/repos/{repo.owner}/{repo.name}"
        html = f"{self.origin}/{repo.owner}/{repo.name}"
        org = self._user(repo.owner, "Organization")  # minutes and issues live in organisations
        data: dict[str, Any] = {
            "id": repo.id,
            "node_id": _node_id("R", repo.id),
            "name": repo.name,
            "full_name": f"{repo.owner}/{repo.name}",
            "owner": org,
            "organization": org,
            "private": False,
            "html_url": html,
            "description": None,
            "fork": False,
            "url": api,
            "homepage": None,
            "language": None,
            "mirror_url": None,
            "license": None,
            "clone_url": f"{html}.git",
            "git_url": f"git://{html.split('://')[1]}.git",
            "ssh_url": f"git@127.0.0.1:{repo.owner}/{repo.name}.git",
            "svn_url": html,
            "default_branch": "main",
            "archived": False,
            "disabled": False,
            "visibility": "public",
            "size": 1,
            "pushed_at": _stamp(0),
            "created_at": _stamp(0),
            "updated_at": _stamp(0),
            "network_count": 0,
            "subscribers_count": 0,
            "topics": [],
            "is_template": False,
            "temp_clone_token": "",
            "web_commit_signoff_required": False,
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": repo.access == "write",
                "triage": repo.access == "write",
                "pull": True,
            },
        }
        for flag in ("has_issues", "has_projects", "has_wiki", "has_discussions", "has_downloads"):
            data[flag] = True
        data["has_pages"] = False
        for setting, value in (
            ("allow_auto_merge", False),
            ("allow_forking", True),
            ("allow_merge_commit", True),
            ("allow_rebase_merge", True),
            ("allow_squash_merge", True),
            ("allow_update_branch", False),
            ("delete_branch_on_merge", False),
            ("use_squash_pr_title_as_default", False),
        ):
            data[setting] = value
        open_count = sum(1 for i in repo.issues.values() if i.state == "open")
        for counter in ("forks", "forks_count", "stargazers_count", "watchers", "watchers_count"):
            data[counter] = 0
        data["open_issues"] = data["open_issues_count"] = open_count
        plain = (
            "contributors",
            "deployments",
            "downloads",
            "events",
            "forks",
            "hooks",
            "languages",
            "merges",
            "stargazers",
            "subscribers",
            "subscription",
            "tags",
            "teams",
        )
        for name in plain:
            data[f"{name}_url"] = f"{api}/{name}"
        for key, suffix in _TEMPLATED_REPO_URLS.items():
            data[key] = api + suffix
        return data

    def _issue_json(self, repo: _Repo, issue: _Issue) -> dict[str, Any]:
        api = f"{self.base_url}/repos/{repo.owner}/{repo.name}/issues/{issue.number}"
        kind = "pull" if issue.kind == "pull" else "issues"
        html = f"{self.origin}/{repo.owner}/{repo.name}/{kind}/{issue.number}"
        count = sum(
            1
            for c in self.comments.values()
            if c.repo == f"{repo.owner}/{repo.name}".lower() and c.number == issue.number
        )
        data: dict[str, Any] = {
            "id": repo.id * 100_000 + issue.number,
            "node_id": _node_id("I", issue.number),
            "url": api,
            "repository_url": f"{self.base_url}/repos/{repo.owner}/{repo.name}",
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "html_url": html,
            "number": issue.number,
            "state": issue.state,
            "title": issue.title,
            "body": issue.body,
            "user": self._user(issue.author),
            "labels": [self._label_json(repo, name) for name in issue.labels],
            "assignee": self._user(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self._user(login) for login in issue.assignees],
            "milestone": None,
            "locked": issue.locked,
            "active_lock_reason": "resolved" if issue.locked else None,
            "comments": count,
            "closed_at": _stamp(issue.closed) if issue.closed is not None else None,
            "closed_by": self._user("octocat") if issue.state == "closed" else None,
            "state_reason": issue.state_reason,
            "created_at": _stamp(issue.created),
            "updated_at": _stamp(issue.updated),
            "author_association": "CONTRIBUTOR",
            "timeline_url": f"{api}/timeline",
            "performed_via_github_app": None,
            "reactions": _reactions(f"{api}/reactions"),
        }
        if issue.kind == "pull":
            data["pull_request"] = {
                "url": api.replace("/issues/", "/pulls/"),
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            }
        return data

    def _label_json(self, repo: _Repo, name: str) -> dict[str, Any]:
        number = sum(map(ord, name))
        return {
            "id": number,
            "node_id": _node_id("LA", number),
            "url": f"{self.base_url}/repos/{repo.owner}/{repo.name}/labels/{quote(name)}",
            "name": name,
            "color": "ededed",
            "default": False,
            "description": None,
        }

    def h_search_issues(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        """The qualifiers minutesbot uses: label:, is:open/closed, is:issue/pr, user:/org:, repo:"""
        terms = _SEARCH_TERM.findall(q.get("q", ""))
        if not terms:
            return (
                422,
                {
                    "message": "Validation Failed",
                    "errors": [{"resource": "Search", "field": "q", "code": "missing"}],
                    "documentation_url": "https://docs.github.com/rest/search/search#search-issues-and-pull-requests",
                },
                {},
            )
        found = []
        for repo in sorted(self.repos.values(), key=lambda r: (r.owner.lower(), r.name.lower())):
            for issue in sorted(repo.issues.values(), key=lambda i: -i.number):
                if all(
                    _search_term_holds(key.lower(), value.strip('"'), repo, issue)
                    for key, value in terms
                ):
                    # Search results carry a score and the body as text (empty, not null).
                    found.append({**self._issue_json(repo, issue), "body": "", "score": 1.0})
        per_page = min(int(q.get("per_page", self.default_per_page)), 100)
        page = max(int(q.get("page", 1)), 1)
        last = max((len(found) + per_page - 1) // per_page, 1)
        items = found[(page - 1) * per_page : page * per_page]
        return (
            200,
            {
                "total_count": len(found),
                "incomplete_results": False,
                "items": items,
                "search_type": "lexical",
            },
            self._link(f"{self.base_url}/search/issues", q, page, last),
        )

    def _comment_json(self, c: _Comment) -> dict[str, Any]:
        repo = self.repos[c.repo]
        full = f"{repo.owner}/{repo.name}"
        url = f"{self.base_url}/repos/{full}/issues/comments/{c.id}"
        return {
            "id": c.id,
            "node_id": _node_id("IC", c.id),
            "url": url,
            "html_url": f"{self.origin}/{full}/issues/{c.number}#issuecomment-{c.id}",
            "body": c.body,
            "user": self._user(c.login),
            "created_at": _stamp(c.created),
            "updated_at": _stamp(c.updated),
            "issue_url": f"{self.base_url}/repos/{full}/issues/{c.number}",
            "author_association": "NONE",
            "performed_via_github_app": None,
            "reactions": _reactions(f"{url}/reactions"),
        }

    # -- state access -----------------------------------------------------
    def _repo(self, key: str, *, for_write: bool) -> _Repo:
        repo = self.repos.get(key.lower())
        if repo is None or repo.access == "none":
            raise _Reply(404, "Not Found")
        if for_write and repo.access != "write":
            raise _Reply(403, INTEGRATION_MESSAGE)
        return repo

    def _issue(self, p: dict[str, str], *, for_write: bool = False) -> tuple[_Repo, _Issue]:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=for_write)
        issue = repo.issues.get(int(p["issue_number"]))
        if issue is None or issue.kind == "discussion":
            raise _Reply(404, "Not Found")
        return repo, issue

    def _comment(self, p: dict[str, str], *, for_write: bool = False) -> _Comment:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=for_write)
        comment = self.comments.get(int(p["comment_id"]))
        if comment is None or comment.repo != f"{repo.owner}/{repo.name}".lower():
            raise _Reply(404, "Not Found")
        return comment

    def _store_comment(self, repo: str, number: int, body: str, login: str) -> int:
        self._next_id += 1
        now = time.time()
        self.comments[self._next_id] = _Comment(self._next_id, repo, number, body, login, now, now)
        return self._next_id

    # -- handlers: each returns (status, body, headers) -------------------
    def h_rate_limit(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        core = {
            "limit": self.rate_limit,
            "remaining": max(self.rate_limit - self.rate_used, 0),
            "reset": self.rate_reset,
            "used": self.rate_used,
        }
        idle = {"limit": 5000, "remaining": 5000, "reset": self.rate_reset, "used": 0}
        resources = {
            "core": core,
            "graphql": idle,
            "search": {**idle, "limit": 30, "remaining": 30},
        }
        return 200, {"resources": resources, "rate": core}, {}

    def h_get_repo(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        return 200, self._repo_json(self._repo(f"{p['owner']}/{p['repo']}", for_write=False)), {}

    def h_get_issue(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        repo, issue = self._issue(p)
        return 200, self._issue_json(repo, issue), {}

    def h_list_comments(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        repo, issue = self._issue(p)
        key = f"{repo.owner}/{repo.name}".lower()
        found = [
            self._comment_json(c)
            for c in sorted(self.comments.values(), key=lambda c: c.id)
            if c.repo == key and c.number == issue.number
        ]
        per_page = min(int(q.get("per_page", self.default_per_page)), 100)
        page = max(int(q.get("page", 1)), 1)
        last = max((len(found) + per_page - 1) // per_page, 1)
        path = f"{self.base_url}/repos/{repo.owner}/{repo.name}/issues/{issue.number}/comments"
        return 200, found[(page - 1) * per_page : page * per_page], self._link(path, q, page, last)

    def _link(self, path: str, q: dict[str, str], page: int, last: int) -> dict[str, str]:
        """GitHub's Link header: prev, next, last, first -- each only where it applies."""
        if last == 1:
            return {}

        def url(n: int) -> str:
            return f"{path}?{urlencode({**q, 'page': n})}"

        rels = []
        if page > 1:
            rels.append((url(page - 1), "prev"))
        if page < last:
            rels += [(url(page + 1), "next"), (url(last), "last")]
        if page > 1:
            rels.append((url(1), "first"))
        return {"Link": ", ".join(f'<{u}>; rel="{r}"' for u, r in rels)}

    def h_create_comment(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        repo, issue = self._issue(p, for_write=True)
        if issue.locked:
            raise _Reply(403, LOCKED_MESSAGE)
        text = _comment_body(body)
        cid = self._store_comment(
            f"{repo.owner}/{repo.name}".lower(), issue.number, text, self.login
        )
        data = self._comment_json(self.comments[cid])
        return 201, data, {"Location": data["url"]}

    def h_get_comment(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        return 200, self._comment_json(self._comment(p)), {}

    def h_edit_comment(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        comment = self._comment(p, for_write=True)
        comment.body = _comment_body(body)
        comment.updated = time.time()
        return 200, self._comment_json(comment), {}

    def h_delete_comment(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        comment = self._comment(p, for_write=True)
        del self.comments[comment.id]
        return 204, None, {}

    def h_graphql(
        self, p: dict[str, str], q: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        """Answers the aliased ``issueOrPullRequest`` query the GitHub layer sends."""
        query = (body or {}).get("query", "")
        recent = re.search(r"comments\(last:\s*(\d+)\)", query)
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for alias, owner, name, number in _GRAPHQL_ALIAS.findall(query):
            repo = self.graphql_repo(alias, owner, name, data, errors)
            if repo is None:
                continue
            issue = repo.issues.get(int(number))
            if issue is None or issue.kind == "discussion":
                data[alias] = {"issueOrPullRequest": None}
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias, "issueOrPullRequest"],
                        "locations": [],
                        "message": "Could not resolve to an issue or pull request "
                        f"with the number of {number}.",
                    }
                )
                continue
            node = {
                "__typename": "PullRequest" if issue.kind == "pull" else "Issue",
                "state": issue.state.upper(),
                "title": issue.title,
                "locked": issue.locked,
            }
            if "labels(" in query:
                node["labels"] = {"nodes": [{"name": name} for name in issue.labels]}
            if recent:
                key = f"{repo.owner}/{repo.name}".lower()
                mine = sorted(
                    (
                        c
                        for c in self.comments.values()
                        if c.repo == key and c.number == issue.number
                    ),
                    key=lambda c: c.id,
                )[-int(recent[1]) :]
                node["comments"] = {
                    "nodes": [
                        {
                            "databaseId": c.id,
                            "createdAt": _stamp(c.created),
                            "body": c.body,
                            "author": _actor(c.login),
                        }
                        for c in mine
                    ]
                }
            data[alias] = {"issueOrPullRequest": node}
        self.graphql_repository_fields(query, data, errors)
        if re.search(r"\bviewer\s*\{", query):
            data["viewer"] = {"login": self.login}  # a bot's with its [bot], as GitHub says
        answer: dict[str, Any] = {"data": data}
        if errors:
            answer["errors"] = errors
        return 200, answer, {"x-ratelimit-resource": "graphql"}

    # -- dispatch ---------------------------------------------------------
    def _route(self, method: str, path: str) -> tuple[str | None, str | None, dict[str, str]]:
        if path == self.graphql_path:
            return ("/graphql", "graphql", {}) if method == "POST" else (None, None, {})
        if not path.startswith(self.prefix + "/"):
            return None, None, {}
        inner = path[len(self.prefix) :]
        for m, template, regex, handler in _COMPILED:
            match = regex.match(inner)
            if match and m == method:
                return template, handler, {k: unquote(v) for k, v in match.groupdict().items()}
        return None, None, {}

    def _pick_fault(self, method: str, path: str) -> tuple[Fault, str] | None:
        with self._lock:
            for fault in self.faults:
                if not fault.matches(method, path):
                    continue
                if fault.after_writes is not None and self.writes_done < fault.after_writes:
                    continue
                fault.seen += 1
                if fault.seen <= fault.skip:
                    continue
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                if fault.rate is not None and self._random.random() >= fault.rate:
                    continue
                fault.fired += 1
                kind = (
                    fault.kind if isinstance(fault.kind, str) else self._random.choice(fault.kind)
                )
                fault.kinds[kind] += 1
                return fault, kind
        return None

    def _spent(self) -> bool:
        """The primary limit: refuse while it is used up, start afresh after the reset."""
        with self._lock:
            if time.time() >= self.rate_reset:
                self.rate_used, self.rate_reset = 0, int(time.time()) + 3600
            return self.rate_used >= self.rate_limit

    def rate_headers(self, resource: str = "core") -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.rate_limit),
            "x-ratelimit-remaining": str(max(self.rate_limit - self.rate_used, 0)),
            "x-ratelimit-reset": str(self.rate_reset),
            "x-ratelimit-used": str(self.rate_used),
            "x-ratelimit-resource": resource,
        }

    def serve(self, h: _Handler) -> None:
        """Answer one request (called on the server's thread for it)."""
        url = urlsplit(h.path)
        method = h.command
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        template, handler, params = self._route(method, url.path)
        with self._lock:
            self.counts["GRAPHQL" if handler == "graphql" else method] += 1
        picked = self._pick_fault(method, url.path)
        kind = picked[1] if picked else None
        fault = picked[0] if picked else None
        if kind == "drop":
            h.drop()
            return
        if kind in ("status", "secondary", "too-many", "primary", "echo-token"):
            self._fault_reply(h, method, url.path, template, kind, fault)
            return
        if kind in GARBAGE and not fault.stored:
            _garbage(h, kind, fault)
            return
        if kind == "barrier":
            fault.meet()
        if self._spent():
            self._send(
                h,
                method,
                url.path,
                template,
                403,
                {"message": PRIMARY_MESSAGE, "documentation_url": DOCS},
                {},
            )
            return
        if (
            self.token is not None
            and h.headers.get("Authorization", "").split(" ")[-1] != self.token
        ):
            self._send(
                h,
                method,
                url.path,
                template,
                401,
                {"message": "Bad credentials", "documentation_url": DOCS},
                {},
            )
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        if handler is None:
            status, data, headers = 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        else:
            with self._lock:
                try:
                    status, data, headers = getattr(self, f"h_{handler}")(params, query, body)
                    if method in WRITES and handler != "graphql" and status < 400:
                        self.writes_done += 1
                except _Reply as reply:
                    status, data, headers = reply.status, reply.body(), reply.headers
        if kind == "store-then-drop":
            h.drop()
            return
        if kind == "store-then-status":
            self._fault_reply(h, method, url.path, template, "status", fault)
            return
        if kind in GARBAGE:
            _garbage(h, kind, fault)
            return
        if kind == "slow":
            time.sleep(fault.delay)
        self._send(h, method, url.path, template, status, data, headers)

    def _fault_reply(
        self, h: _Handler, method: str, path: str, template: str | None, kind: str, fault: Fault
    ) -> None:
        headers: dict[str, str] = {}
        if kind == "status":
            status = fault.status
            message = {
                401: "Bad credentials",
                500: "Server Error",
                502: "Bad Gateway",
                503: "Service Unavailable",
            }.get(status, "Error")
        elif kind in ("secondary", "too-many"):
            status, message = (403 if kind == "secondary" else 429), SECONDARY_MESSAGE
            headers["retry-after"] = str(fault.retry_after)
        elif kind == "primary":
            status, message = 403, PRIMARY_MESSAGE
            headers["x-ratelimit-remaining"] = "0"
            headers["x-ratelimit-reset"] = str(int(time.time()) + fault.retry_after)
        else:
            status, message = _echo(fault.echo, h.headers.get("Authorization", ""))
        self._send(
            h,
            method,
            path,
            template,
            status,
            {"message": message, "documentation_url": DOCS},
            headers,
        )

    def _send(
        self,
        h: _Handler,
        method: str,
        path: str,
        template: str | None,
        status: int,
        data: Any,
        headers: dict[str, str],
    ) -> None:
        payload = b"" if data is None else json.dumps(data).encode()
        with self._lock:
            self.rate_used += 1
            base = {
                "Content-Type": "application/json; charset=utf-8",
                "X-GitHub-Media-Type": "github.v3; format=json",
                "X-GitHub-Request-Id": f"FAKE:{len(self.exchanges) + 1}",
            }
            if status < 300 and data is not None:  # what GitHub sends with a resource
                base["ETag"] = f'"{hashlib.sha256(payload).hexdigest()[:32]}"'
                base["Cache-Control"] = "private, max-age=60, s-maxage=60"
            base.update(self.rate_headers(headers.pop("x-ratelimit-resource", "core")))
            base.update(headers)
            self.exchanges.append(
                Exchange(method, path, template, status, data, dict(base), time.time())
            )
        try:
            h.send_response(status)
            h.send_header("Content-Length", str(len(payload)))
            for name, value in base.items():
                h.send_header(name, value)
            h.end_headers()
            h.wfile.write(payload)
            h.wfile.flush()
        except OSError:
            h.close_connection = True  # the client gave up waiting (a slow answer)


GARBAGE = frozenset({"empty", "null", "list", "html", "string", "redirect-away", "trickle", "huge"})
_LOGIN_PAGE = b"<!DOCTYPE html><html><body><form>Sign in to continue</form></body></html>"


def _garbage(h: _Handler, kind: str, fault: Fault) -> None:
    """Answer as no GitHub would (see :class:`Fault`); the connection closes after."""
    h.close_connection = True
    status, kind_headers, body = 201 if h.command == "POST" else 200, {}, b""
    if kind in ("null", "list"):
        body = b"null" if kind == "null" else b"[]"
    elif kind == "html":
        status, body = 200, _LOGIN_PAGE
        kind_headers["Content-Type"] = "text/html; charset=utf-8"
    elif kind == "string":
        body = b'"' + b"x" * fault.size + b'"'
    elif kind == "redirect-away":
        status = 307
        kind_headers["Location"] = f"http://elsewhere.example:9{h.path}"
    head = {"Content-Type": "application/json; charset=utf-8", **kind_headers}
    try:
        if kind == "huge":
            _huge(h, fault)
        elif kind == "trickle":
            lines = [f"HTTP/1.1 {status} OK", *(f"{k}: {v}" for k, v in head.items())]
            raw = "\r\n".join([*lines, f"Content-Length: {len(body)}", "", ""]).encode() + body
            for byte in raw:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(fault.delay)
        else:
            h.send_response(status)
            for name, value in {**head, "Content-Length": str(len(body))}.items():
                h.send_header(name, value)
            h.end_headers()
            h.wfile.write(body)
    except OSError:
        pass  # the client gave up: that is what these answers are for


def _huge(h: _Handler, fault: Fault) -> None:
    """A JSON list of comments of ``fault.size`` bytes, counted in ``fault.sent``."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json; charset=utf-8")
    if fault.declared:
        h.send_header("Content-Length", str(fault.size))
    h.end_headers()
    piece = b'{"id": 1, "body": "' + b"x" * 65_000 + b'"},'
    h.wfile.write(b"[")
    while fault.sent < fault.size:
        h.wfile.write(piece)
        fault.sent += len(piece)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    fake: FakeGitHub

    def drop(self) -> None:
        """Close the connection without a word, as a failing proxy does."""
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def do_GET(self) -> None:
        self.fake.serve(self)

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is no place for an access log."""
