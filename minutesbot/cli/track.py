"""``minutesbot track``: an issue per open action item, closed when a meeting reports it done."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from minutesbot.cli.common import (
    all_option,
    fail_unknown_team,
    print_report,
    root_option,
    with_templates,
)
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail, get_config, open_archive, root_folder
from minutesbot.cli.selection import minutes_and_client

if TYPE_CHECKING:
    from minutesbot.track.plan import IssueText, TrackPlan


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@root_option
@click.option("--team", metavar="TEAM", help="Only the actions of this team (any case).")
@click.option(
    "--dry-run", is_flag=True, help="Print each issue as it would be opened; write nothing."
)
@click.option(
    "--changed", metavar="BASE..HEAD", help="Also track the minutes files this git range touched."
)
@all_option
def track(
    files: tuple[Path, ...],
    root: Path | None,
    team: str | None,
    dry_run: bool,
    changed: str | None,
    every: bool,
) -> None:
    """Open a GitHub issue for every open action item of the minutes FILES, and close it
    when a later meeting reports the action done or dropped.

    Only teams with action-issues = "OWNER/REPO" in the configuration are
    tracked. Reads the index and GITHUB_TOKEN, GITHUB_API_URL,
    GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA. Without a token it is
    a dry run.
    """
    from minutesbot.links import Links
    from minutesbot.teams import UnknownTeam, resolve_team, team_title
    from minutesbot.templating import TemplateError
    from minutesbot.track.plan import IssueText, plan_tracking, relative_sources
    from minutesbot.track.sync import Tracker

    config = get_config()
    minutes_root = root_folder(root)
    tracking = {name for name, settings in config.teams.items() if settings.action_issues}
    if team is not None:
        try:
            team = resolve_team(team, minutes_root, config)
        except UnknownTeam as exc:
            fail_unknown_team(exc, minutes_root, config)
        if team not in tracking:
            fail(
                f'team {team} does not track its actions: set action-issues = "OWNER/REPO" '
                f"under [tool.minutesbot.teams.{team}] (docs/track.md)",
                2,
            )
        tracking = {team}
    if not tracking:
        click.echo('nothing to track: no team sets action-issues = "OWNER/REPO" (docs/track.md)')
        return
    paths, _, client = minutes_and_client(
        files, changed, minutes_root, "track", dry_run=dry_run, every=every, config=config
    )
    text = with_templates(lambda: IssueText(config))
    sources, problems = relative_sources(paths, minutes_root)
    titles = {name: team_title(minutes_root, name, config) for name in tracking}
    links = Links.from_env(minutes_root)
    with open_archive(root) as (archive, _refreshed):
        plan = plan_tracking(
            archive,
            sources,
            config,
            links,
            teams=tracking,
            team_titles=titles,
        )
    for problem in problems + plan.problems:
        click.echo(f"minutesbot: error: {problem}", err=True)
    if client is None:
        _dry_run(plan, text)
    else:
        try:
            report = Tracker(client, text, links.repository).run(plan)
        except TemplateError as exc:
            fail(str(exc), 2)
        print_report(report, "actions")
        if report.failed:
            raise SystemExit(1)
    if problems or plan.problems:
        raise SystemExit(1)


def _dry_run(plan: TrackPlan, text: IssueText) -> None:
    """Each issue as a run would open it (owners taken as assignable: a dry run asks
    GitHub nothing), and the actions whose issue a run would close."""
    opened = closed = 0
    for planned in plan.actions:
        if planned.state == "open":
            opened += 1
            click.echo(f"{planned.where} -> {planned.repo}: would open, unless open already")
            body = text.body(planned, {o.lower() for o in planned.owners})
            click.echo(textwrap.indent(f"title: {planned.title}\n{body}", "    "), nl=False)
        else:
            closed += 1
            by = (planned.closed_by or {}).get("source", "?")
            click.echo(
                f"{planned.where} -> {planned.repo}: would close its issue, if there is one "
                f"open ({planned.state} in {by})"
            )
    click.echo(
        f"actions (dry run, nothing sent): {opened} to open or keep, {closed} to close; "
        f"{len(plan.meetings)} meeting(s) checked for actions no longer in them"
    )
