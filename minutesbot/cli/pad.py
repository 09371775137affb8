"""``minutesbot pad``: minutes from the team's pad into the repository, the agenda into the pad."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from minutesbot.cli.common import (
    chosen_team,
    pull_request_client,
    refuse_outside,
    root_option,
    surroundings,
    team_agenda,
    team_option,
    teams_option,
)
from minutesbot.cli.days import date_option
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail, get_config, root_folder
from minutesbot.report import Outcome

if TYPE_CHECKING:
    from minutesbot.config import Config
    from minutesbot.github.client import GitHub
    from minutesbot.links import Links
    from minutesbot.lint import Problem
    from minutesbot.pads.servers import PadServer
    from minutesbot.pads.team import TeamPad
    from minutesbot.pads.transport import PadError

pad_option = click.option(
    "--pad",
    "pad_url",
    metavar="URL",
    help="The pad (default: the one the team's calendar names for the day, else its pad setting).",
)
kind_option = click.option(
    "--kind",
    type=click.Choice(["hedgedoc1", "hedgedoc2", "hackmd"]),
    help="The kind of pad server (default: the team's pad-kind, else by the URL's host).",
)


@main.group()
def pad() -> None:
    """The team's meeting pad: pull the minutes, push the agenda (docs/pads.md).

    Pad tokens (HedgeDoc 2, HackMD) are read from MINUTESBOT_PAD_TOKEN, or the
    variable the team's pad-token-env names; they are never printed.
    """


@contextmanager
def _opened(team_pad: TeamPad) -> Iterator[PadServer]:
    """The pad's server client, over a transport closed after the block."""
    from minutesbot.pads.servers import open_pad
    from minutesbot.pads.transport import PadPolicy, Transport

    with Transport(PadPolicy.from_env(), team_pad.token) as transport:
        yield open_pad(team_pad.location, transport)


def _show(problems: list[Problem]) -> None:
    """Lint problems, as Actions annotations under GitHub Actions."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(problem.workflow_command() if annotate else problem.plain())


@pad.command("pull")
@team_option
@date_option(
    "The meeting's date (default: the latest that has ended by the calendar, else the "
    "latest in the pad)."
)
@pad_option
@kind_option
@root_option
def pull(
    team: str | None, day: date | None, pad_url: str | None, kind: str | None, root: Path | None
) -> None:
    """Write one meeting of the pad as minutes/TEAM/YYYYMMDD.md, with its images.

    The meeting is cut out by its date heading, what the pad adds is taken
    out (template comments, trailing spaces), images uploaded to the pad are
    copied beside it and linked there, and the result is linted. Anything
    wrong with the pad (unreachable, private, no meeting of that date) is
    one line and writes nothing; an unchanged pad changes nothing.
    """
    from minutesbot.pads.pull import pull_meeting
    from minutesbot.pads.team import calendar_of, last_held, team_pad
    from minutesbot.pads.transport import PadError
    from minutesbot.teams import TeamSetting

    config = get_config()
    minutes_root = root_folder(root, required=False, creates=True)
    setting = TeamSetting(minutes_root, chosen_team(team, minutes_root, config), config)
    try:
        calendar = calendar_of(config, setting.name)
        day = day or last_held(calendar)
        where = team_pad(setting, day, surroundings(), calendar=calendar, url=pad_url, kind=kind)
        with _opened(where) as server:
            done = pull_meeting(server, setting, day)
    except PadError as exc:
        _pad_failed(exc)
    from minutesbot.links import shown_path

    _show(done.problems)
    images = f"; {len(done.images)} image(s) copied" if done.images else ""
    click.echo(
        f"{shown_path(done.target)}: {done.outcome} from {where.location.url} "
        f"(meeting of {done.day.isoformat()}{images})"
    )


@pad.command("push")
@team_option
@date_option("The meeting's date (default: the next one, as for minutesbot new).")
@pad_option
@kind_option
@root_option
def push(
    team: str | None, day: date | None, pad_url: str | None, kind: str | None, root: Path | None
) -> None:
    """Put the next meeting's agenda into the team's pad.

    The agenda is the file minutesbot new wrote for that meeting, if it is
    there, else what minutesbot new would write. HedgeDoc 2 and HackMD pads
    get it as their newest meeting; HedgeDoc 1.x cannot change a note over
    HTTP, so a new note is made and its URL printed. Minutes in the pad that
    are not in the repository are never overwritten: the push is refused,
    naming the meeting.
    """
    from minutesbot.pads.push import push_agenda
    from minutesbot.pads.team import calendar_of, team_pad
    from minutesbot.pads.transport import PadError

    setting, prepared = team_agenda(team, root, day)
    day = prepared.agenda.date
    local = setting.folder / prepared.name
    refuse_outside(local, setting.root)  # a link there: its file is not pushed to the pad
    text = local.read_text(encoding="utf-8") if local.is_file() else prepared.text
    try:
        where = team_pad(
            setting,
            day,
            surroundings(),
            calendar=calendar_of(setting.config, setting.name),
            url=pad_url,
            kind=kind,
        )
        with _opened(where) as server:
            done = push_agenda(server, text, day, local)
    except PadError as exc:
        _pad_failed(exc)
    if done.outcome == "created":
        click.echo(
            f"{done.url}: a new note with the agenda for {day.isoformat()} (HedgeDoc 1.x "
            "changes notes only in the browser); name it in the calendar or as the team's pad"
        )
    else:
        click.echo(f"{done.url}: agenda for {day.isoformat()} {done.outcome}")


def _pad_teams(minutes_root: Path, config: Config) -> list[str]:
    """The teams that name a pad: in the configuration, or (possibly) in a calendar."""
    from minutesbot.calendar.team import calendar_teams
    from minutesbot.teams import team_folders

    named = {team for team, settings in config.teams.items() if settings.pad}
    return sorted(named | set(calendar_teams(config, team_folders(minutes_root))))


@pad.command("pr")
@teams_option("A team to pull for (repeatable; default: every team with a pad).")
@date_option(
    "The meeting's date (default: each team's latest that has ended by its calendar, "
    "else the latest in its pad)."
)
@root_option
@click.option("--dry-run", is_flag=True, help="Print the plan; ask and write nothing on GitHub.")
def pull_requests(
    teams: tuple[str, ...], day: date | None, root: Path | None, dry_run: bool
) -> None:
    """Open or update a pull request "Minutes of TEAM for DATE" per team, from its pad.

    The file and its new images go on the branch minutesbot/minutes/TEAM/YYYYMMDD,
    with the lint results in the pull request; commits are signed off by the
    configured sign-off. A pad without a meeting of that date is skipped (not
    held, or not written yet). Reads GITHUB_TOKEN, GITHUB_REPOSITORY,
    GITHUB_API_URL and GITHUB_SERVER_URL; without a token it is a dry run.
    """
    from minutesbot.links import Links
    from minutesbot.pads.pull_request import minutes_pr_report
    from minutesbot.report import write_step_summary

    config = get_config()
    minutes_root = root_folder(root, required=False, creates=True)
    wanted = [chosen_team(t, minutes_root, config) for t in teams] or _pad_teams(
        minutes_root, config
    )
    if not wanted:
        click.echo("no team names a pad (pad or calendar in the configuration): nothing to pull")
        return
    client, repository = pull_request_client(dry_run)
    links = Links.from_env(minutes_root)
    report = minutes_pr_report()
    for team in wanted:
        done = report.add(
            _team_pull_request(team, day, minutes_root, config, links, client, repository)
        )
        click.echo(f"{done.subject}: {done.outcome}: {done.detail}")
    if client is not None:
        write_step_summary(report)
    if report.failed:
        raise SystemExit(1)


def _team_pull_request(
    team: str,
    day: date | None,
    minutes_root: Path,
    config: Config,
    links: Links,
    client: GitHub | None,
    repository: str,
) -> Outcome:
    """One team's outcome: skipped, planned (no client), failed, or the pull request's."""
    from minutesbot.github.proposal import propose
    from minutesbot.pads.pull import fetch_meeting
    from minutesbot.pads.pull_request import minutes_proposal
    from minutesbot.pads.team import calendar_of, last_held, team_pad
    from minutesbot.pads.transport import PadError
    from minutesbot.teams import TeamSetting

    try:
        calendar = calendar_of(config, team)
        when = day or last_held(calendar)
        setting = TeamSetting(minutes_root, team, config)
        where = team_pad(setting, when, surroundings(), calendar=calendar)
        with _opened(where) as server:
            pulled = fetch_meeting(server, setting, when)
    except PadError as exc:
        quiet = exc.reason == "no-meeting" or (exc.reason == "invalid" and "has no pad" in str(exc))
        return Outcome(team, "skipped" if quiet else "failed", str(exc))
    proposal = minutes_proposal(pulled, team, where.location.url, links)
    if client is None:
        return Outcome(
            team,
            "planned",
            f"would open or update a pull request from {proposal.branch} with {proposal.path} "
            f"({proposal.summary})",
        )
    return propose(proposal, client, repository, config.sign_off)


def _pad_failed(problem: PadError) -> NoReturn:
    """One line; exit 2 for a setting that cannot work (no pad, a URL that is no https URL,
    no token), which nothing was tried with, and 1 for a pad that failed."""
    fail(str(problem), 2 if problem.reason == "invalid" else 1)
