"""Helpers every command module shares: errors, configuration, output."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from minutesbot.cli.invocation import (
    EXIT_USAGE,
    fail,
    get_config,
    no_minutes_folder,
    root_folder,
    warn,
)
from minutesbot.config import Config, plain_name

T = TypeVar("T")

if TYPE_CHECKING:
    from minutesbot.agenda.prepare import PreparedAgenda
    from minutesbot.github.client import GitHub
    from minutesbot.report import Report
    from minutesbot.surroundings import Surroundings
    from minutesbot.teams import TeamSetting


def surroundings(env: Mapping[str, str] | None = None) -> Surroundings:
    """A command's own: today, the process's environment (or ``env``), warnings on
    stderr."""
    from minutesbot.surroundings import Surroundings

    return Surroundings(datetime.now().date(), os.environ if env is None else env, warn)


def github_client(dry_run: bool) -> GitHub | None:
    """The client the Actions variables describe; None for a dry run (asked for, or for
    want of a token, which is warned about). A setting that cannot work exits 2."""
    from minutesbot.github.client import GitHub
    from minutesbot.github.policy import GitHubError

    try:
        client = None if dry_run else GitHub.from_env()
    except GitHubError as exc:
        fail(str(exc), 2)
    if client is None and not dry_run:
        warn("GITHUB_TOKEN is not set: dry run")
    return client


def with_templates(make: Callable[[], T]) -> T:
    """``make()``, which loads templates; a template that cannot be used exits 2 with its
    one-line message."""
    from minutesbot.templating import TemplateError

    try:
        return make()
    except TemplateError as exc:
        fail(str(exc), 2)


def print_report(report: Report, things: str) -> None:
    """A run's outcomes, one line each, its totals (``things: 2 created, ...``), and the
    same as a table in the job summary."""
    from minutesbot.report import write_step_summary

    for done in report.outcomes:
        click.echo(
            f"{done.outcome:9} {done.subject} <- {done.source}"
            + (f": {done.detail}" if done.detail else "")
        )
    click.echo(f"{things}: {report.totals()}")
    try:
        write_step_summary(report)
    except OSError as exc:  # what was written stands; only its summary is lost
        warn(f"the job summary could not be written to {exc.filename}: {exc.strerror or exc}")


def _unless_root_missing(minutes_root: Path, config: Config) -> None:
    """A team unknown because the configured minutes root is not there at all: say that
    (as every command reading the root does), not that the team is unknown."""
    if minutes_root == config.root(None) and not minutes_root.is_dir():
        no_minutes_folder(minutes_root, config)


def fail_unknown_team(problem: Exception, minutes_root: Path, config: Config) -> NoReturn:
    """Exit 2 for a ``--team`` neither the minutes nor the configuration know (the message
    lists the teams), or for the missing minutes folder that made it unknown."""
    _unless_root_missing(minutes_root, config)
    fail(str(problem), 2)


def teams_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--team TEAM``, repeatable, passed as ``teams`` (empty when none is given)."""
    return click.option("--team", "teams", multiple=True, metavar="TEAM", help=help)


# The one team a command works for (see :func:`team_agenda`).
team_option = click.option(
    "--team",
    metavar="TEAM",
    help="The team (a folder of the minutes root); may be left out when the root holds one team.",
)


def chosen_team(team: str | None, minutes_root: Path, config: Config) -> str:
    """The team a command that writes into a team's folder works for; exits 2 for none.

    ``--team`` may be left out when the root holds one team. A configured name
    that is no plain folder name (``../x``), or a team folder that is a link
    to elsewhere, is refused: nothing is written outside the minutes root.
    """
    from minutesbot.agenda.history import agenda_teams
    from minutesbot.teams import UnknownTeam, known_teams, resolve_team, unknown_team

    if team is None:
        known = agenda_teams(minutes_root, config)
        if not known:
            _unless_root_missing(minutes_root, config)
        if len(known) != 1:
            choices = ", ".join(known) if known else f"none: {minutes_root} has no team folders"
            fail(f"which team? pass --team (known teams: {choices})", 2)
        return known[0]
    try:
        team = resolve_team(team, minutes_root, config)
    except UnknownTeam as exc:
        fail_unknown_team(exc, minutes_root, config)
    if not plain_name(team):  # a configured name such as "../x" is no folder to write in
        fail(str(unknown_team(team, known_teams(minutes_root, config), minutes_root)), 2)
    # A team folder that is a symbolic link to elsewhere: neither read nor written.
    refuse_outside(minutes_root / team, minutes_root)
    return team


def refuse_outside(path: Path, minutes_root: Path) -> None:
    """Exit 2 where ``path`` (a team's folder, a file of it to read or write) is reached
    through a symbolic link that a walk of the root does not follow (one leading outside
    the root, into a hidden part of it, back to the root: see
    :func:`minutesbot.records.files.reached`): nothing is read or written through it, so
    nothing is done, as ``pad pull`` refuses such a link."""
    from minutesbot.records.files import unreached

    why = unreached(path, minutes_root)
    if why:
        fail(f"{why}: nothing is read or written there", EXIT_USAGE)


def team_agenda(
    team: str | None, root: Path | None, day: date | None
) -> tuple[TeamSetting, PreparedAgenda]:
    """The team asked for (its minutes root and configuration) and the agenda
    ``minutesbot new`` writes for it (of ``day``, else the next meeting); a problem exits 2."""
    from minutesbot.agenda.model import AgendaProblem
    from minutesbot.agenda.prepare import prepare_agenda
    from minutesbot.teams import TeamSetting

    config = get_config()
    minutes_root = root_folder(root, required=False)
    setting = TeamSetting(minutes_root, chosen_team(team, minutes_root, config), config)
    try:
        prepared = prepare_agenda(setting, surroundings(), day)
    except AgendaProblem as exc:
        fail(str(exc), 2)
    return setting, prepared


def pull_request_client(dry_run: bool) -> tuple[GitHub | None, str]:
    """:func:`github_client`, and the repository (``GITHUB_REPOSITORY``) that gets the
    pull requests; a client without one exits 2."""
    client = github_client(dry_run)
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if client is not None and "/" not in repository:
        fail(
            "GITHUB_REPOSITORY (owner/name) is not set: which repository gets the pull request?", 2
        )
    return client, repository


root_option = click.option(
    "--root",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The minutes root that sources and teams are relative to "
    "(default: minutes-root of the configuration, 'minutes').",
)
all_option = click.option(
    "--all",
    "every",
    is_flag=True,
    help="Write even when --changed is a whole archive (a branch's first push, "
    "more files than max-changed-files).",
)
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON Lines, one object per result."
)
# For the commands whose answer is one whole (a digest, the statistics, an index's counts).
json_object_option = click.option(
    "--json", "as_json", is_flag=True, help="Print the answer as one JSON object."
)
