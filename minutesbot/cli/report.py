"""``minutesbot digest`` and ``stats``: what the teams' meetings of a period came to."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from minutesbot.cli import common, days, invocation
from minutesbot.cli.group import main

team_option = click.option("--team", metavar="TEAM", help="Only this team (any case).")


@main.command()
@click.option(
    "--since",
    metavar="YYYY-MM-DD",
    callback=days.parse_day,
    required=True,
    help="Meetings on or after this day.",
)
@days.until_option
@team_option
@click.option(
    "--slides", is_flag=True, help="HedgeDoc slides: a slide per team, '---' between slides."
)
@common.root_option
@common.json_object_option
def digest(
    since: date,
    until: date | None,
    team: str | None,
    slides: bool,
    root: Path | None,
    as_json: bool,
) -> None:
    """Per team, the meetings of a period, their decisions, actions and issues; and the
    teams that wrote no minutes then, with their last meeting.

    Issue titles and states come from GitHub when GITHUB_TOKEN is set (one
    GraphQL request per hundred issues); offline the digest says so.
    Templates: digest.md.j2 and digest-slides.md.j2, overridable in the
    template folder of the minutes repository.
    """
    from minutesbot.digest import build_digest
    from minutesbot.digest.issues import add_issue_details
    from minutesbot.digest.render import render_digest
    from minutesbot.templating import TemplateError

    bounds = invocation.period(since, until)
    with invocation.open_archive(root) as (archive, _):
        found = build_digest(archive, bounds["since"] or "", bounds["until"], team)
    for message in add_issue_details(found):
        invocation.warn(message)
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False))
        return
    try:
        click.echo(render_digest(found, invocation.get_config(), slides=slides), nl=False)
    except TemplateError as exc:
        invocation.fail(str(exc), 2)  # as a broken agenda template: the repository's to fix


@main.command()
@days.since_option
@days.until_option
@team_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also draw the charts, as PNG and SVG, into DIR (needs minutesbot[charts]).",
)
@click.option("--no-git", is_flag=True, help="Do not read the git history for commit delays.")
@common.root_option
@common.json_object_option
def stats(
    since: date | None,
    until: date | None,
    team: str | None,
    out: Path | None,
    no_git: bool,
    root: Path | None,
    as_json: bool,
) -> None:
    """Attendance per person, team and month, chores per person, action entries per team,
    and the delay from meeting to commit (where the minutes are in a git work tree)."""
    from minutesbot.stats import compute_stats
    from minutesbot.stats.charts import ChartsUnavailable, draw_charts

    bounds = invocation.period(since, until)
    with invocation.open_archive(root) as (archive, _):
        figures = compute_stats(archive, team=team, git=not no_git, **bounds)
    if as_json:
        click.echo(json.dumps(figures.to_dict(), ensure_ascii=False))
    else:
        from minutesbot.stats.table import render_tables

        click.echo(render_tables(figures))
    if out is None:
        return
    try:
        written = draw_charts(figures, out)
    except ChartsUnavailable as exc:
        invocation.fail(str(exc))
    except OSError as exc:
        invocation.fail(f"{out}: charts not written ({exc.strerror or exc})")
    click.echo(f"charts: {', '.join(str(p) for p in written) or 'none (no meetings)'}", err=True)
