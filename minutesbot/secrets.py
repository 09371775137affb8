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

# An echo of this many characters of the token is a leak: an answer may quote it cut
# short, glued to a word or percent-encoded ("token%20ghp_..."). Shorter tokens (tests)
# are blanked only as whole words, so that "x" does not blank every x of a message.
FRAGMENT = 8


def scrub_token(text: str, token: str) -> str:
    """``text`` with ``token`` blanked out wherever anything echoed it.

    The forms searched: as is, escaped as ``repr`` or JSON write it, and
    percent-encoded; for a token of ``FRAGMENT`` characters or more, any run
    of ``FRAGMENT`` of its characters in one of these forms is blanked with
    all that continues it, wherever it stands.
    """
    if not token:
        return text
    from urllib.parse import quote, quote_plus

    forms = {
        token,
        repr(token)[1:-1],
        json.dumps(token)[1:-1],
        quote(token, safe=""),
        quote_plus(token),
    }
    if len(token) < FRAGMENT:
        pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        return re.sub(rf"(?<![A-Za-z0-9_])(?:{pattern})(?![A-Za-z0-9_])", "***", text)
    grams = {form[i : i + FRAGMENT] for form in forms for i in range(len(form) - FRAGMENT + 1)}
    leaked = [False] * len(text)
    for start in range(len(text) - FRAGMENT + 1):
        if text[start : start + FRAGMENT] in grams:
            leaked[start : start + FRAGMENT] = [True] * FRAGMENT
    if not any(leaked):
        return text
    out, previous = [], False
    for char, hidden in zip(text, leaked, strict=True):
        if not hidden:
            out.append(char)
        elif not previous:
            out.append("***")
        previous = hidden
    return "".join(out)


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
