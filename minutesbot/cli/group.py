"""The ``minutesbot`` group every command module registers on (``from
minutesbot.cli.group import main``; not from the package, which imports the
command modules)."""

from __future__ import annotations

import click

from minutesbot import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minutesbot")
def main() -> None:
    """Minutes of a team's weekly call: parse, index, publish, prepare."""
