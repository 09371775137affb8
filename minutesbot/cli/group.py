"""The ``minutesbot`` group every command module registers on (``from
minutesbot.cli.group import main``; not from the package, which imports the
command modules).

The group imports a command's module only when the command is asked for:
``minutesbot history`` does not import the calendar's or publishing's
modules. :data:`COMMANDS` names each command's module (a test keeps it
whole); ``minutesbot --help`` imports them all, for their help.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from minutesbot import __version__
from minutesbot.cli.invocation import EXIT_USAGE, interrupted

# What click (8.2 and later) raises for a group called without a command.
_NO_COMMAND = getattr(click.exceptions, "NoArgsIsHelpError", ())


COMMANDS = {
    "actions": "archive",
    "agenda-pr": "agenda_pr",
    "calendar": "calendar",
    "decisions": "archive",
    "digest": "report",
    "history": "archive",
    "index": "archive",
    "lint": "lint",
    "new": "new",
    "pad": "pad",
    "parse": "parse",
    "publish": "publish",
    "search": "archive",
    "stats": "report",
    "track": "track",
}


class Minutesbot(click.Group):
    """The group, which imports a command's module when the command is asked for; click's
    own errors (an unknown option, a bad ``--date``) come out as
    every other error of minutesbot does: one line, ``minutesbot: error: ...``.

    Ctrl-C is one line too, and exit status 130, instead of click's "Aborted!"
    and 1 (which reads as a failed job).
    """

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except _NO_COMMAND as exc:  # `minutesbot` alone: the help is the answer
            click.echo(exc.format_message(), err=True)
            sys.exit(EXIT_USAGE)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else self._command_path(args)
            message = exc.format_message().rstrip(".")
            click.echo(f"minutesbot: error: {message}; see '{where} --help'", err=True)
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            click.echo(f"minutesbot: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:  # click ended the line the ^C was typed on
            interrupted(line_ended=True)
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            # Command modules register themselves on ``main`` when imported.
            importlib.import_module(f"minutesbot.cli.{COMMANDS[cmd_name]}")
        return self.commands.get(cmd_name)

    def _command_path(self, args: Any) -> str:
        """``minutesbot COMMAND`` from the arguments, for an error click raised without a
        context (an option missing its value)."""
        words = sys.argv[1:] if args is None else list(args)
        command = next((word for word in words if word in COMMANDS), None)
        return f"{self.name} {command}" if command else str(self.name)


@click.group("minutesbot", cls=Minutesbot, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minutesbot")
def main() -> None:
    """Minutes of a team's weekly call: parse, index, publish, prepare."""
