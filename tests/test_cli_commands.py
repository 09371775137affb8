"""The command line imports only the module of the command run: the table of commands
(``minutesbot.cli.group.COMMANDS``) must name every command and its module."""

from __future__ import annotations

import importlib
import pkgutil

from click.testing import CliRunner

import minutesbot.cli
from minutesbot.cli.group import COMMANDS, main


def test_every_command_is_in_the_table_with_its_module() -> None:
    for module in pkgutil.iter_modules(minutesbot.cli.__path__):
        importlib.import_module(f"minutesbot.cli.{module.name}")
    registered = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert registered == {name: f"minutesbot.cli.{module}" for name, module in COMMANDS.items()}


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:", 1)[1].split()
    assert all(name in listed for name in COMMANDS)


def test_the_commands_that_begin_git_status_early_exist() -> None:
    assert minutesbot.cli._READ_THE_INDEX <= COMMANDS.keys()
