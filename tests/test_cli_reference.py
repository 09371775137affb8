"""docs/commands.md holds every command's ``--help`` as the command prints it (issue 12, point 10).

Two ways round: the page is what ``tools/cli_reference.py`` generates from the
commands, and each command's ``--help``, run as a user runs it (80 columns),
stands in the page word for word. When either fails, run
``python3 tools/cli_reference.py`` (docs/development.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from minutesbot.cli import main
from minutesbot.cli.group import COMMANDS

PROJECT = Path(__file__).resolve().parent.parent
PAGE = PROJECT / "docs" / "commands.md"


def command_words() -> list[list[str]]:
    """``[]`` for the group, ``[name]`` for each command, ``[group, name]`` for subcommands."""
    ctx = click.Context(main, info_name="minutesbot")
    words: list[list[str]] = [[]]
    for name in sorted(COMMANDS):
        words.append([name])
        command = main.get_command(ctx, name)
        if isinstance(command, click.Group):
            words += [[name, sub] for sub in command.list_commands(ctx)]
    return words


def test_the_reference_is_what_the_generator_makes():
    done = subprocess.run(
        [sys.executable, str(PROJECT / "tools" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "words",
    command_words(),
    ids=lambda words: " ".join(words) or "minutesbot",
)
def test_every_help_text_stands_in_the_docs(words: list[str]):
    result = CliRunner().invoke(main, [*words, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    heading = " ".join(["## minutesbot", *words])
    page = PAGE.read_text(encoding="utf-8")
    assert f"{heading}\n\n```text\n{result.output.rstrip()}\n```\n" in page, heading
