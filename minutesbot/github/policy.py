"""How patient the GitHub layer is, and how it says it failed.

:class:`Policy` holds the timeout of a request, the tries, the backoff, the one
wait budget every run is held to, the run's deadline and the size an answer
may have (``MINUTESBOT_GITHUB_*`` override them);
:class:`GitHubError` is a failure for good, :class:`Transient` one worth
another try.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SKIP_REASONS = frozenset({"not-found", "forbidden", "locked"})
# The Policy fields that MINUTESBOT_GITHUB_<NAME> environment variables set.
TUNABLE = (
    "timeout",
    "attempts",
    "backoff",
    "max_wait",
    "deadline",
    "max_bytes",
    "request_interval",
    "write_interval",
)
WHOLE = ("attempts", "max_bytes")  # the fields that are counts, not seconds


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
class Transient(Exception):
    """A failure worth another try: after ``wait`` seconds, or after backoff when None.
    ``answered`` is False when no answer came at all (a timeout, a dropped connection)."""

    message: str
    reason: str
    wait: float | None = None
    answered: bool = True


@dataclass(frozen=True)
class Policy:
    """How patient the client is. ``from_env`` reads ``MINUTESBOT_GITHUB_*`` overrides.

    Values are checked when made, so that a bad one is a one-line error up
    front rather than a crash (no tries at all) or a hang (no timeout) later.
    """

    timeout: float = 15.0  # seconds one request may take, its whole answer read
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 300.0
    deadline: float = 3600.0  # seconds the whole run may talk to GitHub
    # Bytes one answer may have: a page of 100 comments at GitHub's 65,536 characters
    # each fits; a proxy answering a video does not.
    max_bytes: int = 32 * 1024 * 1024
    request_interval: float = 0.25
    # GitHub allows about 80 content-creating requests a minute; one a second stays under it.
    write_interval: float = 1.0
    per_page: int = 100

    def __post_init__(self) -> None:
        for name in TUNABLE:
            value = getattr(self, name)
            if name in WHOLE:
                ok, want = isinstance(value, int) and value >= 1, "a whole number, at least 1"
            elif name in ("timeout", "deadline"):
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
                    values[name] = int(raw) if name in WHOLE else float(raw)
                except ValueError:
                    kind = "a whole number" if name in WHOLE else "a number"
                    raise GitHubError(
                        f"{_variable(name)}={raw!r} is not {kind}", reason="invalid"
                    ) from None
        return cls(**values)

    def delay(self, problem: Transient, tries: int) -> float:
        """How long to pause after ``tries`` failed tries: as GitHub said, else doubling backoff."""
        return problem.wait if problem.wait is not None else self.backoff * 2 ** (tries - 1)


def _variable(name: str) -> str:
    """The environment variable that sets :class:`Policy` field ``name``."""
    return f"MINUTESBOT_GITHUB_{name.upper()}"
