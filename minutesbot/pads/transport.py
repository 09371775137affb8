"""HTTP to a pad server: the one place that decides how patient minutesbot is with it.

A pad server is a small web application run by a community, often slow and
sometimes gone. So every request here has a connect timeout and a read
timeout, and the whole run a deadline (:attr:`PadPolicy.deadline`): no wait,
retry or slow answer may pass it. An answer is read as a stream and cut off
past a size cap, so a server (or a proxy in front of it) that sends a video
instead of a pad cannot fill the memory or the repository.

Reads (GET) are retried after 5xx answers, 429s, dropped connections and
timeouts, with doubling backoff (``retry-after`` honoured while it fits the
deadline). A write is sent once: a pad server that stored a write and then
failed to answer must not get the same text twice.

Tokens: the one given to :class:`Transport` is registered with the GitHub
layer's scrubber (one scrubber for every secret), and every message this
module makes goes through it.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from minutesbot import __version__
from minutesbot.secrets import register_secret, scrub_secrets

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A token goes into a header: printable ASCII without spaces, as for GitHub.
_TOKEN = re.compile(r"[\x21-\x7e]+")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class PadError(Exception):
    """A pad that cannot be read or written. ``str()`` is one line without any token.

    ``reason`` says what kind: ``unreachable``, ``not-found``, ``private``
    (a login page or 401/403), ``not-markdown``, ``too-large``, ``timeout``,
    ``invalid`` (configuration), ``no-meeting`` or ``failed``.
    """

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(scrub_secrets(" ".join(message.split())))
        self.reason = reason


@dataclass(frozen=True)
class PadPolicy:
    """How patient the client is; ``from_env`` reads ``MINUTESBOT_PAD_<FIELD>`` overrides."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    deadline: float = 120.0  # seconds for the whole run, waits and retries included
    attempts: int = 3  # tries of a read
    backoff: float = 0.5  # seconds before the second try; doubles after
    max_bytes: int = 5 * 1024 * 1024  # a pad
    max_image_bytes: int = 20 * 1024 * 1024  # one uploaded image

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            whole = item.type in (int, "int")
            ok = (
                (isinstance(value, int) and value >= 1)
                if whole
                else (
                    isinstance(value, (int, float))
                    and math.isfinite(value)
                    and value >= 0
                    and (value > 0 or item.name == "backoff")
                )
            )
            if not ok:
                want = "a whole number, at least 1" if whole else "a number of seconds above 0"
                raise PadError(f"{_variable(item.name)}={value!r} must be {want}", "invalid")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> PadPolicy:
        values: dict[str, float | int] = {}
        for item in fields(cls):
            raw = env.get(_variable(item.name), "").strip()
            if not raw:
                continue
            whole = item.type in (int, "int")
            try:
                values[item.name] = int(raw) if whole else float(raw)
            except ValueError:
                raise PadError(
                    f"{_variable(item.name)}={raw!r} is not "
                    f"{'a whole number' if whole else 'a number'}",
                    "invalid",
                ) from None
        return cls(**values)  # type: ignore[arg-type]


def _variable(name: str) -> str:
    return f"MINUTESBOT_PAD_{name.upper()}"


@dataclass(frozen=True)
class Answer:
    """A complete answer: status, headers (lower-case names), body, the URL it came from."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text: the charset the server names, else UTF-8."""
        found = re.search(r"charset=([\w.-]+)", self.headers.get("content-type", ""), re.I)
        try:
            return self.body.decode(found[1] if found else "utf-8")
        except (LookupError, UnicodeDecodeError):
            return self.body.decode("utf-8", errors="replace")


def check_url(url: str, what: str = "pad") -> None:
    """PadError unless ``url`` is https (or http to this machine) with a host.

    A token must never travel in the clear to another machine.
    """
    try:
        parts = urlsplit(url)
        usable = (
            bool(parts.hostname)
            and (parts.port is None or parts.port > 0)
            and (
                parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)
            )
        )
    except ValueError:
        usable = False
    if not usable:
        raise PadError(
            f"{what} URL {url!r} is not an https URL (http only to this machine)", "invalid"
        )


class Transport:
    """A ``requests`` session bound to one policy, deadline and (optional) token."""

    def __init__(self, policy: PadPolicy | None = None, token: str | None = None) -> None:
        import requests

        if token is not None and not _TOKEN.fullmatch(token):
            raise PadError(
                "the pad token is empty or holds spaces, control or non-ASCII "
                "characters (it is not printed)",
                "invalid",
            )
        self.policy = policy or PadPolicy()
        self.token = token
        if token:
            register_secret(token)
        from minutesbot.bounded import BoundedAdapter

        self._ends = time.monotonic() + self.policy.deadline
        self._session = requests.Session()
        self._session.headers["User-Agent"] = f"minutesbot/{__version__}"
        # Every socket read (headers too) stops at the run's deadline: a server trickling
        # its answer a byte at a time is cut off there.
        bounded = BoundedAdapter(lambda: self._ends)
        self._session.mount("http://", bounded)
        self._session.mount("https://", bounded)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- time -------------------------------------------------------------
    def _left(self, what: str) -> float:
        left = self._ends - time.monotonic()
        if left <= 0:
            raise PadError(
                f"{what}: the {self.policy.deadline:g}s deadline of this run has passed", "timeout"
            )
        return left

    def _timeouts(self, what: str) -> tuple[float, float]:
        left = self._left(what)
        return min(self.policy.connect_timeout, left), min(self.policy.read_timeout, left)

    def _sleep(self, seconds: float, what: str, problem: str) -> None:
        if seconds >= self._left(what):
            raise PadError(
                f"{what}: {problem}; waiting {seconds:.1f}s more would pass the "
                f"{self.policy.deadline:g}s deadline",
                "timeout",
            )
        time.sleep(seconds)

    # -- requests ---------------------------------------------------------
    def get(
        self,
        url: str,
        what: str,
        *,
        limit: int | None = None,
        auth: bool = True,
        accept: str | None = None,
    ) -> Answer:
        """GET ``url`` and read the whole answer, with retries; any status is returned."""
        tries = 0
        while True:
            tries += 1
            try:
                answer = self._once("GET", url, what, limit=limit, auth=auth, accept=accept)
            except _Unanswered as problem:
                if tries >= self.policy.attempts:
                    raise PadError(
                        f"{what}: {problem} (gave up after {tries} tries)", problem.reason
                    ) from None
                self._sleep(self.policy.backoff * 2 ** (tries - 1), what, str(problem))
                continue
            if answer.status not in RETRY_STATUSES or tries >= self.policy.attempts:
                return answer
            wait = _retry_after(answer.headers.get("retry-after"))
            self._sleep(
                wait if wait is not None else self.policy.backoff * 2 ** (tries - 1),
                what,
                f"{answer.status} from the server",
            )

    def send(
        self,
        method: str,
        url: str,
        what: str,
        *,
        body: bytes,
        content_type: str,
        follow: bool = True,
    ) -> Answer:
        """One write, never repeated; a failure without an answer is an error in doubt."""
        try:
            return self._once(
                method, url, what, body=body, content_type=content_type, follow=follow
            )
        except _Unanswered as problem:
            raise PadError(
                f"{what}: {problem}; the server may or may not have stored it, so "
                "it was not sent again",
                problem.reason,
            ) from None

    def _once(
        self,
        method: str,
        url: str,
        what: str,
        *,
        limit: int | None = None,
        auth: bool = True,
        accept: str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        follow: bool = True,
    ) -> Answer:
        import requests

        from minutesbot.bounded import TooLarge, read_capped

        headers = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if accept:
            headers["Accept"] = accept
        if content_type:
            headers["Content-Type"] = content_type
        cap = limit or self.policy.max_bytes
        try:
            with self._session.request(
                method,
                url,
                data=body,
                headers=headers,
                stream=True,
                timeout=self._timeouts(what),
                allow_redirects=follow,
            ) as response:
                answer_headers = {k.lower(): v for k, v in response.headers.items()}
                data = read_capped(response, cap)
                return Answer(response.status_code, answer_headers, data, response.url)
        except TooLarge as exc:
            raise PadError(f"{what}: {exc}", "too-large") from None
        except requests.exceptions.Timeout:
            self._left(what)  # the run's deadline, when that is what cut the answer off
            raise _Unanswered(
                f"no answer within {self.policy.read_timeout:g}s", "timeout"
            ) from None
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            OSError,
        ) as exc:
            raise _Unanswered(_network_problem(exc), "unreachable") from None
        except requests.exceptions.RequestException as exc:
            raise PadError(f"{what}: {type(exc).__name__}: {exc}", "failed") from None


class _Unanswered(Exception):
    """No (complete) answer came: worth another try for a read."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _network_problem(exc: Exception) -> str:
    """A short account of a failure below HTTP (requests' own texts run to lines)."""
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] ([^\"')]+)", text)
    if errno:
        return f"connection failed: {errno[1].strip()}"
    if "RemoteDisconnected" in text or "aborted" in text or "reset" in text.lower():
        return "the connection was closed without a whole answer"
    return f"connection failed ({type(exc).__name__})"


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
