"""The ``minutesbot`` command: options in, library calls, output out.

Each command group lives in its own module here and only parses options and
prints; the work is done by the library modules, imported inside the
commands so that start-up stays cheap (``minutesbot history`` never imports
PyGithub).
"""

from __future__ import annotations

import click

from minutesbot import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minutesbot")
def main() -> None:
    """Minutes of a team's weekly call: parse, index, publish, prepare."""


# Command modules register themselves on ``main`` when imported.
from minutesbot.cli import (  # noqa: E402,F401
    agenda_pr,
    archive,
    calendar,
    lint,
    new,
    parse,
    publish,
    report,
    track,
)
