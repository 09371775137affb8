"""Secrets out of every message and log record: one scrubber for the whole process.

The GitHub token and the pad tokens are registered here when a client is
made (:func:`register_secret`); :func:`scrub_secrets` blanks all of them out
of a text, and the same filter sits on the loggers of the HTTP libraries
(PyGithub logs whole answers at DEBUG level, and an answer may echo what it
was sent).
"""

from __future__ import annotations

import json
import logging
import re


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


class _Scrubber(logging.Filter):
    """Blanks every registered secret out of the log records it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        scrubbed = scrub_secrets(text)
        if scrubbed != text:
            record.msg, record.args = scrubbed, ()
        return True


_SCRUBBER = _Scrubber()


def guard_loggers(*names: str) -> None:
    """Put the scrubber on these loggers (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if _SCRUBBER not in logger.filters:
            logger.addFilter(_SCRUBBER)


def register_secret(secret: str) -> None:
    """Blank ``secret`` out of :func:`scrub_secrets` and the guarded loggers from now on."""
    if secret:
        _SCRUBBER.secrets.add(secret)


def scrub_secrets(text: str) -> str:
    """``text`` with every registered secret blanked out."""
    for secret in _SCRUBBER.secrets:
        text = scrub_token(text, secret)
    return text


guard_loggers("urllib3.connectionpool")
