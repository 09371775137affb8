"""The ``minutesbot`` command: options in, library calls, output out.

Each command group lives in its own module here and only parses options and
prints; the work is done by the library modules, imported inside the
commands so that start-up stays cheap (``minutesbot history`` never imports
PyGithub).
"""

from __future__ import annotations

# Command modules register themselves on ``main`` when imported.
from minutesbot.cli import (  # noqa: F401
    agenda_pr,
    archive,
    calendar,
    lint,
    new,
    pad,
    parse,
    publish,
    report,
    track,
)
from minutesbot.cli.group import main

__all__ = ["main"]
