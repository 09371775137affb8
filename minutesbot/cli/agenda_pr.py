"""``minutesbot agenda-pr``: next week's agenda as a pull request per team touched."""

from __future__ import annotations

import os
from pathlib import Path

import click

from minutesbot.cli.common import (
    all_option,
    fail_unknown_team,
    pull_request_client,
    root_option,
    surroundings,
    teams_option,
)
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail, get_config, root_folder
from minutesbot.cli.selection import changed_files


@main.command("agenda-pr")
@root_option
@click.option(
    "--changed", metavar="BASE..HEAD", help="The teams whose minutes this git range touched."
)
@teams_option("A team to prepare the agenda for as well (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the plan; ask and write nothing on GitHub.")
@all_option
def agenda_pr(
    root: Path | None, changed: str | None, teams: tuple[str, ...], dry_run: bool, every: bool
) -> None:
    """Open or update a pull request with the next meeting's agenda for each team.

    The file is the one `minutesbot new` writes, on the branch
    minutesbot/agenda/TEAM/YYYYMMDD; running again updates that branch and pull
    request. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and
    GITHUB_SERVER_URL. Without a token it is a dry run.
    """
    from minutesbot.agenda.model import AgendaProblem
    from minutesbot.agenda.pull_request import agenda_pr_report, plan_team, settle, teams_touched
    from minutesbot.config import plain_name
    from minutesbot.links import Links
    from minutesbot.report import Outcome, write_step_summary
    from minutesbot.teams import TeamSetting, UnknownTeam, resolve_team

    config = get_config()
    minutes_root = root_folder(root, required=bool(changed))
    try:
        wanted = {resolve_team(team, minutes_root, config) for team in teams}
    except UnknownTeam as exc:
        fail_unknown_team(exc, minutes_root, config)
    around = surroundings()
    github = None  # made once there is something to write, or to refuse
    if changed:
        in_range = changed_files(changed, minutes_root)
        too_much = None if every else in_range.whole_archive(config.max_changed_files, minutes_root)
        # Refused before the files are read: an import of thousands writes nothing.
        if too_much and not dry_run:
            github = pull_request_client(dry_run)
            if github[0] is not None:
                fail(too_much, 2)
        wanted.update(teams_touched(in_range.paths, minutes_root, config, around))
    elif not teams:
        fail("which teams? pass --changed BASE..HEAD or --team TEAM", 2)
    unplain = sorted(team for team in wanted if not plain_name(team))
    if unplain:
        fail(f"--team {unplain[0]}: a team is a folder of the minutes root (no '/' or '..')", 2)
    if not wanted:
        click.echo(f"no minutes of a team changed in {changed}")
        return

    client, repository = github or pull_request_client(dry_run)
    # A dry run asks GitHub nothing, not even the issue states of the agenda.
    env = {k: v for k, v in os.environ.items() if client is not None or k != "GITHUB_TOKEN"}
    links = Links.from_env(minutes_root, env)
    around = surroundings(env)
    report = agenda_pr_report()
    for team in sorted(wanted):
        try:
            plan = plan_team(TeamSetting(minutes_root, team, config), links, around)
        except AgendaProblem as exc:
            done = report.add(Outcome(team, "failed", str(exc)))
        else:
            done = report.add(settle(plan, client, repository, config.sign_off))
        click.echo(f"{done.subject}: {done.outcome}: {done.detail}")
    if client is not None:
        write_step_summary(report)
    if report.failed:
        raise SystemExit(1)
