"""The way to GitHub: PyGithub behind retries, one wait budget and token scrubbing.

PyGithub is imported here and only here (inside :class:`Transport`, so that
commands which never touch GitHub do not pay for it). Everything that
decides *whether to try again* lives here, because the callers say whether
a request is a read or a write:

- reads are retried, with exponential backoff, after 5xx answers, dropped
  connections and timeouts;
- rate limits are honoured: ``retry-after`` for the secondary limit and
  429s, ``x-ratelimit-reset`` when the primary limit is spent -- but every
  sleep, and the time every failed try took, is charged to one budget
  (:attr:`Policy.max_wait`), so a run never hangs for an hour behind a reset
  time or behind answers that never come; once the budget is spent (or
  GitHub stops answering altogether) the rest fails at once, unasked;
- every request is bounded: it ends by its timeout, answer read whole, or
  by the run's deadline (:attr:`Policy.deadline`), whichever comes first,
  and an answer over :attr:`Policy.max_bytes` is refused as it comes in
  (:mod:`minutesbot.github.connection`, the connection PyGithub sends
  through);
- a write is never resent as is. PyGithub's default ``GithubRetry`` resends a
  POST that got a 5xx, and GitHub may have stored the first one; so its
  retries are switched off (``retry=None``) and a write in doubt is raised
  as :class:`Transient` for :meth:`Transport.rounds` to look again before
  anything is written anew.

The token is passed to PyGithub and nowhere else, and only when it is
printable ASCII without spaces (anything else is no token and would be
quoted escaped); every message this module produces goes through
:meth:`Transport.scrub` first, and so do the log records of PyGithub.
"""

from __future__ import annotations

import http.client
import logging
import math
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from minutesbot import __version__
from minutesbot.github.model import parse_issue_ref
from minutesbot.github.policy import GitHubError, Policy, Transient
from minutesbot.secrets import guard_loggers, register_secret, scrub_token

DEFAULT_API_URL = "https://api.github.com"
# A token is printable ASCII: anything else cannot go into a header, and would be quoted
# escaped ('\\n') in the error, where the token itself is not found to be blanked.
TOKEN = re.compile(r"[\x21-\x7e]+")

log = logging.getLogger("minutesbot.github")
T = TypeVar("T")
guard_loggers(log.name, "github.Requester")


def check_api_url(api_url: str) -> None:
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


class Budget:
    """The time one run may spend on GitHub, and when it stops asking.

    Every pause and the time every failed try took are charged to one wait
    budget (:attr:`Policy.max_wait`): answers that never come cost a run as
    much as sleeping does. Past the budget or the run's deadline
    (:attr:`Policy.deadline`), or after ``attempts`` requests in a row that
    got no answer at all, GitHub is out of reach for this run.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.waited = 0.0
        self.run_ends = time.monotonic() + policy.deadline
        self.request_ends = self.run_ends  # set as each try begins
        self.unanswered = 0  # requests in a row that got no answer at all
        self.halt: Transient | None = None  # set once the run should stop asking

    def ends(self) -> float:
        """When the request under way must be over: its timeout, or the run's deadline."""
        return min(self.request_ends, self.run_ends)

    def passed_by(self, seconds: float) -> str | None:
        """What waiting ``seconds`` more would pass (the wait budget, the run's deadline);
        None when neither."""
        if self.waited + seconds > self.policy.max_wait:
            return f"the {self.policy.max_wait:g}s wait budget"
        if time.monotonic() + seconds > self.run_ends:
            return f"the {self.policy.deadline:g}s deadline of this run"
        return None

    def halted(self) -> Transient | None:
        """Why no more requests are tried this run; None while they are."""
        if self.halt is None and time.monotonic() >= self.run_ends:
            self.halt = Transient(
                f"the {self.policy.deadline:g}s deadline of this run has passed", "unavailable"
            )
        return self.halt

    def start_request(self) -> float:
        """A try begins: it must end by its timeout. When it started (monotonic)."""
        started = time.monotonic()
        self.request_ends = started + self.policy.timeout
        return started

    def failed(self, started: float, verdict: Transient) -> Transient | None:
        """Charge a try that failed in doubt (begun at ``started``) to the budget; why the
        run stops asking now, if it does."""
        self.waited += time.monotonic() - started
        self.unanswered = 0 if verdict.answered else self.unanswered + 1
        if self.waited > self.policy.max_wait:
            self.halt = Transient(
                f"the {self.policy.max_wait:g}s wait budget is spent", verdict.reason
            )
        elif time.monotonic() >= self.run_ends:
            self.halt = Transient(
                f"the {self.policy.deadline:g}s deadline of this run has passed", verdict.reason
            )
        elif self.unanswered >= self.policy.attempts:
            self.halt = Transient(
                "GitHub did not answer "
                + (
                    f"{self.unanswered} requests in a row"
                    if self.unanswered > 1
                    else "the request (MINUTESBOT_GITHUB_ATTEMPTS=1)"
                ),
                verdict.reason,
            )
        return self.halt


class Transport:
    """One PyGithub client, and the rules every request through it keeps."""

    def __init__(
        self, token: str, api_url: str = DEFAULT_API_URL, policy: Policy | None = None
    ) -> None:
        import github

        from minutesbot.github.connection import bounded_connection

        if not TOKEN.fullmatch(token):
            raise GitHubError(
                "GITHUB_TOKEN is no token: it is empty or holds spaces, control or "
                "non-ASCII characters (it is not printed)",
                reason="invalid",
            )
        check_api_url(api_url)
        self.policy = policy or Policy()
        self.budget = Budget(self.policy)
        self._token = token
        # Who the token writes as (see github.comments.identity), once known.
        self.me: tuple[str, bool] | None = None
        register_secret(token)
        self.gh = github.Github(
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
        # Github() insists on whole seconds; its Requester hands any number on to requests,
        # so the policy's own (fractional) timeout is set there, in this one place; and so
        # is the connection it sends every request through, bounded in time and size.
        self.gh.requester._Requester__timeout = self.policy.timeout
        self.gh.requester._Requester__connectionClass = bounded_connection(
            urlsplit(api_url).scheme == "https", self.budget.ends, self.policy.max_bytes
        )

    @property
    def waited(self) -> float:
        """Seconds spent waiting for GitHub (pauses and failed tries) so far."""
        return self.budget.waited

    @property
    def requester(self) -> Any:
        """PyGithub's requester, for the requests it has no method for (DELETE, GraphQL)."""
        return self.gh.requester

    def repository(self, full_name: str) -> Any:
        return self.gh.get_repo(full_name)  # lazy: no request yet

    def issue(self, ref: str) -> Any:
        full_name, number = parse_issue_ref(ref)
        return self.gh.get_repo(full_name).get_issue(number)  # lazy: no request yet

    # -- hygiene ----------------------------------------------------------
    def scrub(self, text: str) -> str:
        """``text`` with the token blanked out, wherever something echoed it."""
        return scrub_token(text, self._token)

    def error(self, what: str, message: str, reason: str, status: int | None = None) -> GitHubError:
        return GitHubError(self.scrub(f"{what}: {message}"), reason=reason, status=status)

    # -- waiting ----------------------------------------------------------
    def pause(self, seconds: float, what: str, problem: Transient) -> None:
        """Sleep, charged to the budget; give up when the budget or the deadline would be
        passed."""
        passed = self.budget.passed_by(seconds)
        if passed:
            raise self.error(
                what,
                f"{problem.message}; waiting {seconds:.1f}s more would pass {passed}",
                problem.reason,
            )
        log.info("%s", self.scrub(f"{what}: {problem.message}; trying again in {seconds:.1f}s"))
        if seconds > 0:
            time.sleep(seconds)
        self.budget.waited += seconds

    def _before_request(self, what: str) -> None:
        """When the last answer said the primary limit is spent, wait for its reset."""
        requester = self.requester
        remaining, _limit = requester.rate_limiting
        if remaining == 0:
            wait = max(requester.rate_limiting_resettime - time.time(), 0.0) + self.policy.backoff
            self.pause(wait, what, Transient("primary rate limit spent", "rate-limited"))
            requester.rate_limiting = (-1, -1)

    # -- requests ---------------------------------------------------------
    def _attempt(self, what: str, call: Callable[[], T]) -> T:
        """One try of ``call``; a failure is raised as its verdict (GitHubError or Transient).

        Once the run's :class:`Budget` says GitHub is out of reach, this and
        every later request fail at once, unasked, instead of each ref trying
        for minutes.
        """
        halt = self.budget.halted()
        if halt is not None:
            raise self.error(what, f"not tried: {halt.message}", halt.reason)
        self._before_request(what)
        started = self.budget.start_request()
        try:
            result = call()
        except Exception as exc:  # noqa: BLE001 -- classified right here
            verdict = _classify(exc, what, self)
        else:
            self.budget.unanswered = 0
            return result
        if isinstance(verdict, GitHubError):
            self.budget.unanswered = 0
            raise verdict
        halt = self.budget.failed(started, verdict)
        if halt is not None:
            raise self.error(
                what,
                f"{verdict.message}; {halt.message}: no more requests this run",
                verdict.reason,
            )
        raise verdict

    def read(self, what: str, call: Callable[[], T]) -> T:
        """A request that may be repeated at will: retried with backoff."""
        tries = 1
        while True:
            try:
                return self._attempt(what, call)
            except Transient as problem:
                if tries == self.policy.attempts:
                    raise self.error(
                        what, f"{problem.message} (gave up after {tries} tries)", problem.reason
                    ) from None
                self.pause(self.policy.delay(problem, tries), what, problem)
            tries += 1

    def read_or_none(self, what: str, call: Callable[[], T]) -> T | None:
        """A read of something that may not exist: None for a 404."""
        try:
            return self.read(what, call)
        except GitHubError as exc:
            if exc.reason == "not-found":
                return None
            raise

    def write(self, what: str, call: Callable[[], T]) -> T:
        """A request that must not be repeated blindly: one try. A failure in doubt is
        raised as Transient for :meth:`rounds` to look again before anything is resent."""
        return self._attempt(what, call)

    def rounds(self, what: str, step: Callable[[], T]) -> T:
        """Run ``step`` (look, then write) until it completes without a write in doubt.

        ``step`` reads the state afresh each round before deciding what to
        write, so a write that GitHub stored before failing is seen, not repeated.
        """
        rounds = 1
        while True:
            try:
                return step()
            except Transient as problem:
                if rounds == self.policy.attempts:
                    raise self.error(
                        what, f"{problem.message} (gave up after {rounds} rounds)", problem.reason
                    ) from None
                self.pause(self.policy.delay(problem, rounds), f"{what}: writing", problem)
            rounds += 1


# -- classifying failures -------------------------------------------------
def _classify(exc: Exception, what: str, transport: Transport) -> GitHubError | Transient:
    """Turn whatever PyGithub or requests raised into a verdict."""
    import github

    from minutesbot.bounded import TooLarge
    from minutesbot.github.connection import Redirected

    if isinstance(exc, (GitHubError, Transient)):
        return exc
    if isinstance(exc, github.GithubException):
        return _classify_status(exc, what, transport)
    if isinstance(exc, TooLarge):
        return transport.error(what, str(exc), "too-large")
    if isinstance(exc, Redirected):
        return transport.error(what, str(exc), "failed")
    if isinstance(exc, (OSError, http.client.HTTPException)):
        # requests' ConnectionError and Timeout are OSErrors; so is a reset socket.
        return Transient(_network_problem(exc, transport), "unavailable", answered=False)
    return transport.error(what, f"{type(exc).__name__}: {exc}", "failed")


def _network_problem(exc: Exception, transport: Transport) -> str:
    """A short account of a failure below HTTP (requests' own texts run to lines)."""
    import requests

    text = str(exc)
    if isinstance(exc, requests.exceptions.Timeout):
        return f"no answer within {transport.policy.timeout:g}s"
    errno = re.search(r"\[Errno -?\d+\] ([^\"')]+)", text)
    if errno:
        return f"connection failed: {errno[1].strip()}"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset" in text.lower():
        return "the connection was closed without an answer"
    return transport.scrub(f"{type(exc).__name__}: {text}")


def _classify_status(exc: Any, what: str, transport: Transport) -> GitHubError | Transient:
    status = int(exc.status or 0)
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    data = exc.data if isinstance(exc.data, dict) else {}
    message = str(data.get("message") or exc.message or f"HTTP {status}")
    lowered = message.lower()
    described = f"{status} {message}"
    if "retry-after" in headers and status in (403, 429):
        return Transient(described, "rate-limited", _seconds(headers["retry-after"]))
    if status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
        reset = _seconds(headers.get("x-ratelimit-reset", "0"))
        wait = max(reset - time.time(), 0.0) + transport.policy.backoff
        return Transient(described, "rate-limited", wait)
    if status == 429 or (status == 403 and "rate limit" in lowered):
        # GitHub: without retry-after, wait at least a minute before trying again.
        return Transient(described, "rate-limited", 60.0)
    if status >= 500:
        return Transient(described, "unavailable")
    error = transport.error
    if status in (404, 410):
        return error(
            what, f"{status} not found (or not visible to this token)", "not-found", status
        )
    if status == 403 and "locked" in lowered:
        return error(what, f"{status} the conversation is locked", "locked", status)
    if status == 403:
        return error(what, f"{status} forbidden: {message}", "forbidden", status)
    if status == 401:
        return error(what, f"{status} the token was refused: {message}", "auth", status)
    return error(what, described, "invalid" if status == 422 else "failed", status)


def _seconds(value: str) -> float:
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 60.0
