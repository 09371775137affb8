"""The GitHub layer: the one module that talks to GitHub, through PyGithub.

PyGithub is imported inside :class:`GitHub` so that commands which never
touch GitHub do not pay for it. Everything that decides *whether to try
again* lives here, because only here is it known whether a request was a
read or a write:

- reads are retried, with exponential backoff, after 5xx answers, dropped
  connections and timeouts;
- rate limits are honoured: ``retry-after`` for the secondary limit and
  429s, ``x-ratelimit-reset`` when the primary limit is spent -- but every
  sleep, and the time every failed try took, is charged to one budget
  (:attr:`Policy.max_wait`), so a run never hangs for an hour behind a reset
  time or behind answers that never come; once the budget is spent (or
  GitHub stops answering altogether) the rest fails at once, unasked;
- a write is never resent as is. PyGithub's default ``GithubRetry`` resends a
  POST that got a 5xx, and GitHub may have stored the first one; so its
  retries are switched off (``retry=None``) and after a failed write
  :meth:`GitHub.upsert_comment` lists the comments again and looks for its
  marker before it writes anything.

The token is passed to PyGithub and nowhere else, and only when it is
printable ASCII without spaces (anything else is no token and would be
quoted escaped); every message this module produces goes through
:meth:`GitHub.scrub` first.
"""

from __future__ import annotations

import http.client
import json
import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from minutesbot import __version__

DEFAULT_API_URL = "https://api.github.com"
GRAPHQL_BATCH = 100
SEARCH_LIMIT = 50
REF = re.compile(r"^(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)#(?P<number>\d+)$")
SKIP_REASONS = frozenset({"not-found", "forbidden", "locked"})
# The Policy fields that MINUTESBOT_GITHUB_<NAME> environment variables set.
TUNABLE = ("timeout", "attempts", "backoff", "max_wait", "request_interval", "write_interval")
# A token is printable ASCII: anything else cannot go into a header, and would be quoted
# escaped ('\\n') in the error, where the token itself is not found to be blanked.
TOKEN = re.compile(r"[\x21-\x7e]+")

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Scrubber(logging.Filter):
    """Blanks tokens out of log records: PyGithub logs whole answers at DEBUG level,
    and an answer may echo what it was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        scrubbed = text
        for token in self.tokens:
            scrubbed = scrub_token(scrubbed, token)
        if scrubbed != text:
            record.msg, record.args = scrubbed, ()
        return True


def scrub_token(text: str, token: str) -> str:
    """``text`` with ``token`` blanked out wherever it stands as a word of its own.

    Tokens are runs of letters, digits and underscores, and an echo quotes
    one whole; matching whole words keeps a (test) token like ``x`` from
    blanking every x of a message. An echo may also quote it escaped, as
    ``repr`` or JSON write it (``\\`` for a backslash), so those forms go too.
    """
    if not token:
        return text
    forms = sorted({token, repr(token)[1:-1], json.dumps(token)[1:-1]}, key=len, reverse=True)
    pattern = "|".join(re.escape(form) for form in forms)
    return re.sub(rf"(?<![A-Za-z0-9_])(?:{pattern})(?![A-Za-z0-9_])", "***", text)


_SCRUBBER = _Scrubber()
for _name in (__name__, "github.Requester", "urllib3.connectionpool"):
    logging.getLogger(_name).addFilter(_SCRUBBER)


@dataclass(frozen=True)
class Policy:
    """How patient the client is. ``from_env`` reads ``MINUTESBOT_GITHUB_*`` overrides.

    Values are checked when made, so that a bad one is a one-line error up
    front rather than a crash (no tries at all) or a hang (no timeout) later.
    """

    timeout: float = 15.0  # seconds to wait for an answer
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 300.0
    request_interval: float = 0.25
    # GitHub allows about 80 content-creating requests a minute; one a second stays under it.
    write_interval: float = 1.0
    per_page: int = 100

    def __post_init__(self) -> None:
        for name in TUNABLE:
            value = getattr(self, name)
            if name == "attempts":
                ok, want = isinstance(value, int) and value >= 1, "a whole number, at least 1"
            elif name == "timeout":
                ok, want = math.isfinite(value) and value > 0, "a number of seconds above 0"
            else:
                ok, want = math.isfinite(value) and value >= 0, "a number of seconds, at least 0"
            if not ok:
                raise GitHubError(f"{_variable(name)}={value!r} must be {want}", reason="invalid")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Policy:
        values: dict[str, Any] = {}
        for name in TUNABLE:
            raw = env.get(_variable(name), "").strip()
            if raw:
                try:
                    values[name] = int(raw) if name == "attempts" else float(raw)
                except ValueError:
                    kind = "a whole number" if name == "attempts" else "a number"
                    raise GitHubError(
                        f"{_variable(name)}={raw!r} is not {kind}", reason="invalid"
                    ) from None
        return cls(**values)


def _variable(name: str) -> str:
    """The environment variable that sets :class:`Policy` field ``name``."""
    return f"MINUTESBOT_GITHUB_{name.upper()}"


class GitHubError(Exception):
    """A request that failed for good. ``str()`` is one line, free of the token.

    ``reason`` says what kind of failure: ``not-found``, ``forbidden`` and
    ``locked`` mean the ref is out of reach (reported as skipped); anything
    else (``rate-limited``, ``unavailable``, ``auth``, ``invalid``,
    ``conflict``, ``failed``) is a failure of the run.
    """

    def __init__(self, message: str, *, reason: str = "failed", status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status

    @property
    def skipped(self) -> bool:
        return self.reason in SKIP_REASONS


@dataclass
class _Transient(Exception):
    """A failure worth another try: after ``wait`` seconds, or after backoff when None.
    ``answered`` is False when no answer came at all (a timeout, a dropped connection)."""

    message: str
    reason: str
    wait: float | None = None
    answered: bool = True


@dataclass
class Comment:
    id: int
    body: str
    created_at: datetime
    url: str
    handle: Any = field(repr=False, default=None)


@dataclass
class Upsert:
    """What :meth:`GitHub.upsert_comment` or :meth:`GitHub.upsert_pull` did:
    ``created``, ``updated`` or ``unchanged``."""

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


def _check_api_url(api_url: str) -> None:
    """GitHubError unless ``api_url`` is an http(s) URL with a host (and a numeric port, if any)."""
    try:
        parts = urlsplit(api_url)
        usable = (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and (parts.port is None or parts.port > 0)
        )
    except ValueError:  # a port that is no number, an unclosed [IPv6 address
        usable = False
    if not usable:
        raise GitHubError(f"GITHUB_API_URL={api_url!r} is not an http(s) URL", reason="invalid")


def parse_issue_ref(ref: str) -> tuple[str, int]:
    """``owner/repo#N`` -> (``owner/repo``, N); GitHubError for anything else."""
    match = REF.match(ref)
    if not match:
        raise GitHubError(f"{ref}: not an owner/repo#N reference", reason="invalid")
    return f"{match['owner']}/{match['repo']}", int(match["number"])


def same_body(a: str, b: str) -> bool:
    """GitHub may hand back CRLF line ends and drop trailing blanks; neither is a change."""
    return a.replace("\r\n", "\n").rstrip() == b.replace("\r\n", "\n").rstrip()


class GitHub:
    """A client for the few things minutesbot asks of GitHub."""

    def __init__(
        self, token: str, api_url: str = DEFAULT_API_URL, policy: Policy | None = None
    ) -> None:
        import github

        if not TOKEN.fullmatch(token):
            raise GitHubError(
                "GITHUB_TOKEN is no token: it is empty or holds spaces, control or "
                "non-ASCII characters (it is not printed)",
                reason="invalid",
            )
        _check_api_url(api_url)
        self.policy = policy or Policy()
        self.waited = 0.0
        self._token = token
        self._unanswered = 0  # requests in a row that got no answer at all
        self._halt: _Transient | None = None  # set once the run should stop asking
        _SCRUBBER.tokens.add(token)
        self._gh = github.Github(
            auth=github.Auth.Token(token),
            base_url=api_url.rstrip("/"),
            timeout=math.ceil(self.policy.timeout),
            retry=None,
            per_page=self.policy.per_page,
            lazy=True,
            seconds_between_requests=self.policy.request_interval or None,
            seconds_between_writes=self.policy.write_interval or None,
            user_agent=f"minutesbot/{__version__}",
        )
        # Github() insists on whole seconds; its Requester hands any number on to requests.
        self._gh.requester._Requester__timeout = self.policy.timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> GitHub | None:
        """The client the Actions variables describe; None without ``GITHUB_TOKEN``."""
        token = env.get("GITHUB_TOKEN", "").strip()
        if not token:
            return None
        return cls(token, env.get("GITHUB_API_URL") or DEFAULT_API_URL, Policy.from_env(env))

    # -- hygiene ----------------------------------------------------------
    def scrub(self, text: str) -> str:
        """``text`` with the token blanked out, wherever something echoed it."""
        return scrub_token(text, self._token)

    def _error(
        self, what: str, message: str, reason: str, status: int | None = None
    ) -> GitHubError:
        return GitHubError(self.scrub(f"{what}: {message}"), reason=reason, status=status)

    # -- classifying failures ---------------------------------------------
    def _classify(self, exc: Exception, what: str) -> GitHubError | _Transient:
        """Turn whatever PyGithub or requests raised into a verdict."""
        import github

        if isinstance(exc, (GitHubError, _Transient)):
            return exc
        if isinstance(exc, github.GithubException):
            return self._classify_status(exc, what)
        if isinstance(exc, (OSError, http.client.HTTPException)):
            # requests' ConnectionError and Timeout are OSErrors; so is a reset socket.
            return _Transient(self._network_problem(exc), "unavailable", answered=False)
        return self._error(what, f"{type(exc).__name__}: {exc}", "failed")

    def _network_problem(self, exc: Exception) -> str:
        """A short account of a failure below HTTP (requests' own texts run to lines)."""
        import requests

        text = str(exc)
        if isinstance(exc, requests.exceptions.Timeout):
            return f"no answer within {self.policy.timeout:g}s"
        errno = re.search(r"\[Errno -?\d+\] ([^\"')]+)", text)
        if errno:
            return f"connection failed: {errno[1].strip()}"
        if "RemoteDisconnected" in text or "Connection aborted" in text or "reset" in text.lower():
            return "the connection was closed without an answer"
        return self.scrub(f"{type(exc).__name__}: {text}")

    def _classify_status(self, exc: Any, what: str) -> GitHubError | _Transient:
        status = int(exc.status or 0)
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        data = exc.data if isinstance(exc.data, dict) else {}
        message = str(data.get("message") or exc.message or f"HTTP {status}")
        lowered = message.lower()
        described = f"{status} {message}"
        if "retry-after" in headers and status in (403, 429):
            return _Transient(described, "rate-limited", _seconds(headers["retry-after"]))
        if status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
            reset = _seconds(headers.get("x-ratelimit-reset", "0"))
            return _Transient(
                described, "rate-limited", max(reset - time.time(), 0.0) + self.policy.backoff
            )
        if status == 429 or (status == 403 and "rate limit" in lowered):
            # GitHub: without retry-after, wait at least a minute before trying again.
            return _Transient(described, "rate-limited", 60.0)
        if status >= 500:
            return _Transient(described, "unavailable")
        if status in (404, 410):
            return self._error(
                what, f"{status} not found (or not visible to this token)", "not-found", status
            )
        if status == 403 and "locked" in lowered:
            return self._error(what, f"{status} the conversation is locked", "locked", status)
        if status == 403:
            return self._error(what, f"{status} forbidden: {message}", "forbidden", status)
        if status == 401:
            return self._error(what, f"{status} the token was refused: {message}", "auth", status)
        return self._error(what, described, "invalid" if status == 422 else "failed", status)

    # -- waiting ----------------------------------------------------------
    def _pause(self, seconds: float, what: str, problem: _Transient) -> None:
        """Sleep, charged to the budget; give up when the budget would be passed."""
        if self.waited + seconds > self.policy.max_wait:
            raise self._error(
                what,
                f"{problem.message}; waiting {seconds:.1f}s more would pass "
                f"the {self.policy.max_wait:g}s wait budget",
                problem.reason,
            )
        log.info("%s", self.scrub(f"{what}: {problem.message}; trying again in {seconds:.1f}s"))
        if seconds > 0:
            time.sleep(seconds)
        self.waited += seconds

    def _before_request(self, what: str) -> None:
        """When the last answer said the primary limit is spent, wait for its reset."""
        requester = self._gh.requester
        remaining, _limit = requester.rate_limiting
        if remaining == 0:
            wait = max(requester.rate_limiting_resettime - time.time(), 0.0) + self.policy.backoff
            self._pause(wait, what, _Transient("primary rate limit spent", "rate-limited"))
            requester.rate_limiting = (-1, -1)

    def _delay(self, problem: _Transient, tries: int) -> float:
        """How long to pause after ``tries`` failed tries: as GitHub said, else doubling backoff."""
        return problem.wait if problem.wait is not None else self.policy.backoff * 2 ** (tries - 1)

    def _attempt(self, what: str, call: Callable[[], T]) -> T:
        """One try of ``call``; a failure is raised as its verdict (GitHubError or _Transient).

        The time a failed try took is charged to the wait budget like a
        pause: answers that never come cost a run as much as sleeping does.
        Once the budget is spent, or ``attempts`` requests in a row got no
        answer at all, GitHub is out of reach for this run: this and every
        later request fail at once, unasked, instead of each ref trying for
        minutes.
        """
        if self._halt is not None:
            raise self._error(what, f"not tried: {self._halt.message}", self._halt.reason)
        self._before_request(what)
        started = time.monotonic()
        try:
            result = call()
        except Exception as exc:  # noqa: BLE001 -- classified right here
            verdict = self._classify(exc, what)
        else:
            self._unanswered = 0
            return result
        if isinstance(verdict, GitHubError):
            self._unanswered = 0
            raise verdict
        self.waited += time.monotonic() - started
        self._unanswered = 0 if verdict.answered else self._unanswered + 1
        if self.waited > self.policy.max_wait:
            self._halt = _Transient(
                f"the {self.policy.max_wait:g}s wait budget is spent", verdict.reason
            )
        elif self._unanswered >= self.policy.attempts:
            self._halt = _Transient(
                f"GitHub did not answer {self._unanswered} requests in a row", verdict.reason
            )
        if self._halt is not None:
            raise self._error(
                what,
                f"{verdict.message}; {self._halt.message}: no more requests this run",
                verdict.reason,
            )
        raise verdict

    def _read(self, what: str, call: Callable[[], T]) -> T:
        """A request that may be repeated at will: retried with backoff."""
        tries = 1
        while True:
            try:
                return self._attempt(what, call)
            except _Transient as problem:
                if tries == self.policy.attempts:
                    raise self._error(
                        what, f"{problem.message} (gave up after {tries} tries)", problem.reason
                    ) from None
                self._pause(self._delay(problem, tries), what, problem)
            tries += 1

    def _write(self, what: str, call: Callable[[], T]) -> T:
        """A request that must not be repeated blindly: one try. A failure in doubt is
        raised as _Transient for :meth:`_rounds` to look again before anything is resent."""
        return self._attempt(what, call)

    # -- comments ---------------------------------------------------------
    def _issue(self, ref: str) -> Any:
        full_name, number = parse_issue_ref(ref)
        return self._gh.get_repo(full_name).get_issue(number)  # lazy: no request yet

    def comments(self, ref: str) -> list[Comment]:
        """Every comment on the issue or pull request, oldest first."""
        issue = self._issue(ref)

        def fetch() -> list[Comment]:
            return [
                Comment(c.id, c.body or "", c.created_at, c.html_url, c)
                for c in issue.get_comments()
            ]

        return self._read(f"{ref}: listing comments", fetch)

    def _in_rounds(self, ref: str, marker: str, step: Callable[[list[Comment]], T]) -> T:
        """Run ``step`` on the comments marked ``marker`` (oldest first), freshly listed.

        A write that fails in an unknown state (a 502 after GitHub stored
        it, a timeout) raises :class:`_Transient` out of ``step``; the next
        round lists the comments again before ``step`` decides anew, so
        nothing is ever repeated without looking.
        """

        def listed() -> T:
            return step(
                sorted(
                    (c for c in self.comments(ref) if c.body.startswith(marker)),
                    key=lambda c: (c.created_at, c.id),
                )
            )

        return self._rounds(ref, listed)

    def _rounds(self, what: str, step: Callable[[], T]) -> T:
        """Run ``step`` (look, then write) until it completes without a write in doubt.

        ``step`` reads the state afresh each round before deciding what to
        write, so a write that GitHub stored before failing is seen, not repeated.
        """
        rounds = 1
        while True:
            try:
                return step()
            except _Transient as problem:
                if rounds == self.policy.attempts:
                    raise self._error(
                        what, f"{problem.message} (gave up after {rounds} rounds)", problem.reason
                    ) from None
                self._pause(self._delay(problem, rounds), f"{what}: writing", problem)
            rounds += 1

    def upsert_comment(self, ref: str, marker: str, body: str) -> Upsert:
        """Make the one comment whose body starts with ``marker`` read ``body``.

        A POST that was stored before it failed is found by its marker in the
        next round. Duplicates left by earlier races are deleted, the oldest kept.
        """
        issue = self._issue(ref)
        removed, attempted = 0, ""

        def step(ours: list[Comment]) -> Upsert:
            nonlocal removed, attempted
            for duplicate in ours[1:]:
                removed += self._delete(ref, duplicate)
            if not ours:
                attempted = "created"
                made = self._write(f"{ref}: commenting", lambda: issue.create_comment(body))
                return Upsert("created", made.html_url, removed)
            keep = ours[0]
            if same_body(keep.body, body):
                return Upsert(attempted or "unchanged", keep.url, removed)
            attempted = "updated"
            self._write(f"{ref}: updating comment {keep.id}", lambda: keep.handle.edit(body))
            return Upsert("updated", keep.url, removed)

        return self._in_rounds(ref, marker, step)

    def remove_comments(self, ref: str, marker: str) -> int:
        """Delete every comment whose body starts with ``marker``; how many there were.

        Counted as seen, not as answered: a DELETE that GitHub carried out
        before failing shows up as gone in the next round.
        """
        seen: set[int] = set()

        def step(ours: list[Comment]) -> int:
            seen.update(c.id for c in ours)
            for comment in ours:
                self._delete(ref, comment)
            return len(seen)

        return self._in_rounds(ref, marker, step)

    def _delete(self, ref: str, comment: Comment) -> int:
        """Delete a comment; 1 when this call removed it, 0 when it was gone already."""
        return self._delete_id(ref, comment.id)

    def _delete_id(self, ref: str, comment_id: int) -> int:
        full_name, _number = parse_issue_ref(ref)
        requester = self._gh.requester
        try:
            self._write(
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

    def remove_duplicates(self, created: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """After comments were created: delete every comment with a ref's marker but the oldest.

        Two runs that publish the same minutes at the same time both find no
        comment and both create one. Each run looks again once it has
        written (so at least one of them sees both comments) and keeps the
        oldest, which is the same comment for both. The look is one GraphQL
        request per hundred refs over their latest comments, so that the
        first publish stays at two REST requests per ref.
        """
        removed: dict[tuple[str, str], int] = {}
        pairs = [(ref, marker) for ref, marker in dict.fromkeys(created) if REF.match(ref)]
        for start in range(0, len(pairs), GRAPHQL_BATCH):
            batch = pairs[start : start + GRAPHQL_BATCH]
            data, _errors = self._graphql(
                _recent_comments_query([ref for ref, _ in batch]), "GraphQL latest comments"
            )
            for i, (ref, marker) in enumerate(batch):
                node = (data.get(f"i{i}") or {}).get("issueOrPullRequest") or {}
                found = sorted(
                    (c["createdAt"], c["databaseId"])
                    for c in (node.get("comments") or {}).get("nodes") or []
                    if str(c.get("body") or "").startswith(marker)
                )
                count = sum(self._delete_id(ref, comment_id) for _created, comment_id in found[1:])
                if count:
                    removed[(ref, marker)] = count
        return removed

    # -- branches, files, pull requests -----------------------------------
    def _repository(self, full_name: str) -> Any:
        return self._gh.get_repo(full_name)  # lazy: no request yet

    def default_branch(self, full_name: str) -> str:
        repo = self._repository(full_name)
        return self._read(f"{full_name}: reading the repository", lambda: repo.default_branch)

    def branch_head(self, full_name: str, branch: str) -> str | None:
        """The commit sha the branch points at; None when there is no such branch."""
        ref = self._repository(full_name).get_git_ref(f"heads/{branch}")  # lazy
        return self._absent_is_none(f"{full_name}: reading branch {branch}", lambda: ref.object.sha)

    def file_on(self, full_name: str, branch: str, path: str) -> RemoteFile | None:
        """The file as it is on ``branch``; None when it is not there."""
        repo = self._repository(full_name)

        def fetch() -> RemoteFile:
            found = repo.get_contents(path, ref=branch)
            if isinstance(found, list):
                raise GitHubError(f"{full_name}: {path} on {branch} is a folder", reason="invalid")
            return RemoteFile(found.sha, found.decoded_content.decode("utf-8", errors="replace"))

        return self._absent_is_none(f"{full_name}: reading {path} on {branch}", fetch)

    def _absent_is_none(self, what: str, call: Callable[[], T]) -> T | None:
        try:
            return self._read(what, call)
        except GitHubError as exc:
            if exc.reason == "not-found":
                return None
            raise

    def ensure_branch(self, full_name: str, branch: str, sha: str) -> bool:
        """Make ``branch`` exist, starting at ``sha`` if it has to be made; True when made here.

        A branch that exists is left where it is: it may carry commits of people
        who edited the pull request.
        """
        repo = self._repository(full_name)
        what = f"{full_name}: creating branch {branch}"
        attempted = False

        def step() -> bool:
            nonlocal attempted
            if self.branch_head(full_name, branch) is not None:
                return attempted
            attempted = True
            try:
                self._write(what, lambda: repo.create_git_ref(f"refs/heads/{branch}", sha))
            except GitHubError as exc:
                # 422 "Reference already exists": a concurrent run made it; look again.
                if exc.status == 422 and self.branch_head(full_name, branch) is not None:
                    return True
                raise
            return True

        return self._rounds(what, step)

    def put_file(
        self, full_name: str, branch: str, path: str, text: str, message: str, expected: str | None
    ) -> str:
        """Make ``path`` on ``branch`` read ``text``: ``created``, ``updated`` or ``unchanged``.

        ``expected`` is the blob sha the caller decided to replace (None: the
        file should not exist yet). A file found in any other state was
        changed by someone else meanwhile and is not overwritten.
        """
        repo = self._repository(full_name)
        what = f"{full_name}: writing {path} on {branch}"
        attempted = ""

        def step() -> str:
            nonlocal attempted
            current = self.file_on(full_name, branch, path)
            if current is not None and same_body(current.text, text):
                return attempted or "unchanged"
            if (current.sha if current else None) != expected:
                raise self._error(
                    what, "the file changed on the branch meanwhile; not overwritten", "conflict"
                )
            if current is None:
                attempted = "created"
                self._write(what, lambda: repo.create_file(path, message, text, branch=branch))
            else:
                attempted = "updated"
                self._write(
                    what, lambda: repo.update_file(path, message, text, current.sha, branch=branch)
                )
            return attempted

        return self._rounds(what, step)

    def pulls_from(self, full_name: str, branch: str) -> list[Pull]:
        """Pull requests (open and closed) from ``branch`` of this repository, newest first."""
        repo = self._repository(full_name)
        owner = full_name.split("/")[0]

        def fetch() -> list[Pull]:
            found = repo.get_pulls(state="all", head=f"{owner}:{branch}")
            return sorted(
                (Pull(p.number, p.state, p.title, p.body or "", p.html_url, p) for p in found),
                key=lambda p: -p.number,
            )

        return self._read(f"{full_name}: listing pull requests from {branch}", fetch)

    def upsert_pull(self, full_name: str, head: str, base: str, title: str, body: str) -> Upsert:
        """Make the one open pull request from ``head`` into ``base`` carry ``title``, ``body``."""
        repo = self._repository(full_name)
        what = f"{full_name}: pull request from {head}"
        attempted = ""

        def step() -> Upsert:
            nonlocal attempted
            pull = next((p for p in self.pulls_from(full_name, head) if p.state == "open"), None)
            if pull is None:
                attempted = "created"
                try:
                    made = self._write(
                        what, lambda: repo.create_pull(base=base, head=head, title=title, body=body)
                    )
                except GitHubError as exc:
                    # 422 "A pull request already exists": a concurrent run opened it; look again.
                    if exc.status == 422 and any(
                        p.state == "open" for p in self.pulls_from(full_name, head)
                    ):
                        raise _Transient(str(exc), "conflict", 0.0) from None
                    raise
                return Upsert("created", made.html_url, number=made.number)
            if pull.title == title and same_body(pull.body, body):
                return Upsert(attempted or "unchanged", pull.url, number=pull.number)
            attempted = attempted or "updated"
            self._write(
                f"{what}: updating #{pull.number}", lambda: pull.handle.edit(title=title, body=body)
            )
            return Upsert(attempted, pull.url, number=pull.number)

        return self._rounds(what, step)

    # -- search -----------------------------------------------------------
    def open_labelled(self, label: str, owner: str, limit: int = SEARCH_LIMIT) -> list[FoundIssue]:
        """Open issues and pull requests labelled ``label`` in the repositories of ``owner``.

        One search across the user's or organization's repositories (the
        label is usually set on issues in many of them), newest first, at
        most ``limit``: an agenda has room for a few dozen topics, not more.
        """
        query = f'label:"{label}" is:open user:{owner}'

        def fetch() -> list[FoundIssue]:
            found = []
            for issue in self._gh.search_issues(query, sort="created", order="desc"):
                # The page URL names the repository and the kind: asking issue.repository or
                # issue.pull_request would cost a request each (PyGithub completes the object).
                *_, repo_owner, repo, path, number = issue.html_url.rsplit("/", 4)
                kind = "pull" if path == "pull" else "issue"
                found.append(
                    FoundIssue(
                        f"{repo_owner}/{repo}#{number}".lower(), kind, issue.title, issue.html_url
                    )
                )
                if len(found) >= limit:
                    break
            return found

        return self._read(f"searching open issues labelled {label!r} of {owner}", fetch)

    # -- GraphQL ----------------------------------------------------------
    def issue_states(self, refs: Iterable[str]) -> dict[str, str | None]:
        """``open`` or ``closed`` for each issue or pull request; None where unknown.

        One aliased GraphQL request per 100 refs; a ref GitHub cannot resolve
        (deleted, private, a discussion) gets None without failing the rest.
        """
        wanted = list(dict.fromkeys(refs))
        states: dict[str, str | None] = {ref: None for ref in wanted}
        valid = [ref for ref in wanted if REF.match(ref)]
        for start in range(0, len(valid), GRAPHQL_BATCH):
            batch = valid[start : start + GRAPHQL_BATCH]
            data, errors = self._graphql(_states_query(batch), "GraphQL issue states")
            for i, ref in enumerate(batch):
                node = (data.get(f"i{i}") or {}).get("issueOrPullRequest")
                if node and node.get("state"):
                    states[ref] = "open" if node["state"] == "OPEN" else "closed"
                elif f"i{i}" in errors:
                    log.info("%s", self.scrub(f"{ref}: {errors[f'i{i}']}"))
        return states

    def _graphql(self, query: str, what: str) -> tuple[dict[str, Any], dict[str, str]]:
        """POST a query (a read, so retried); returns data and the errors by alias."""
        requester = self._gh.requester

        def post() -> Any:
            _headers, answer = requester.requestJsonAndCheck(
                "POST", requester.graphql_url, input={"query": query, "variables": {}}
            )
            errors = answer.get("errors") or []
            if answer.get("data") is None and errors:
                kinds = {e.get("type") for e in errors}
                text = "; ".join(str(e.get("message")) for e in errors)
                if "RATE_LIMITED" in kinds:
                    raise _Transient(f"GraphQL: {text}", "rate-limited", 60.0)
                raise self._error("GraphQL", text, "failed")
            return answer

        answer = self._read(what, post)
        by_alias = {
            str(e["path"][0]): str(e.get("message", e.get("type")))
            for e in answer.get("errors") or []
            if e.get("path")
        }
        return answer.get("data") or {}, by_alias


def _states_query(refs: list[str]) -> str:
    """One alias per ref: ``i0: repository(...) { issueOrPullRequest(number: N) {...} }``."""
    return _aliased_query(refs, "state")


# Comments are listed newest last; a concurrent run's comment is among the last few.
RECENT_COMMENTS = 30


def _recent_comments_query(refs: list[str]) -> str:
    return _aliased_query(
        refs, f"comments(last: {RECENT_COMMENTS}) {{ nodes {{ databaseId createdAt body }} }}"
    )


def _aliased_query(refs: list[str], fields: str) -> str:
    """One alias per ref, asking ``fields`` of the issue or pull request it names."""
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


def _seconds(value: str) -> float:
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 60.0
