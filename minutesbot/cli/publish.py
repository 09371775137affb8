"""``minutesbot publish``: backlink comments on the issues the minutes discuss."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from minutesbot.cli.common import (
    all_option,
    fail_unknown_team,
    print_report,
    root_option,
    with_templates,
)
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail, get_config, root_folder
from minutesbot.cli.selection import minutes_and_client


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@root_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print each backlink as it would be sent (its whole body); write nothing.",
)
@click.option(
    "--changed", metavar="BASE..HEAD", help="Also publish the minutes files this git range touched."
)
@click.option("--team", metavar="TEAM", help="Only the minutes of this team (any case).")
@all_option
def publish(
    files: tuple[Path, ...],
    root: Path | None,
    dry_run: bool,
    changed: str | None,
    team: str | None,
    every: bool,
) -> None:
    """Leave a backlink comment on every issue the minutes FILES discuss.

    Reads GITHUB_TOKEN, GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_REPOSITORY
    and GITHUB_SHA. Without a token it is a dry run.
    """
    from minutesbot.links import Links
    from minutesbot.publish.backlinks import Backlink, Renderer, plan
    from minutesbot.publish.upsert import dry_run_totals, publish_report
    from minutesbot.publish.upsert import publish as upsert
    from minutesbot.records.gitrange import earlier_record
    from minutesbot.records.parser import iter_records, path_from_root
    from minutesbot.teams import (
        UnknownTeam,
        filed_under,
        resolve_team,
        team_spellings,
        team_title,
    )
    from minutesbot.templating import TemplateError

    config = get_config()
    minutes_root = root_folder(root, required=bool(changed or team))
    try:
        team = resolve_team(team, minutes_root, config) if team is not None else None
    except UnknownTeam as exc:
        fail_unknown_team(exc, minutes_root, config)
    paths, in_range, client = minutes_and_client(
        files, changed, minutes_root, "publish", dry_run=dry_run, every=every, config=config
    )
    touched = set(in_range.paths) if in_range else set()
    known = team_spellings(minutes_root, config)
    renderer = with_templates(lambda: Renderer(config))
    links = Links.from_env(minutes_root)
    report = publish_report()
    planned: list[Backlink] = []
    team_names: dict[str | None, str] = {}  # each team's title looked up once
    unreadable = 0
    for path, result in zip(
        paths, iter_records(paths, root=minutes_root, config=config), strict=True
    ):
        if isinstance(result, Exception):
            click.echo(f"minutesbot: error: {result}", err=True)
            unreadable += 1
            continue
        # The team it is filed under (a team its front matter names, as --team takes it):
        # its backlinks speak of that team, with that team's settings.
        result.team = filed_under(result.team, known)
        if team is not None and result.team != team:
            continue
        # A corrected file may have dropped refs: compare with the range's base.
        earlier = (
            earlier_record(path, changed.split("..")[0], result, config)
            if changed and path.resolve() in touched
            else None
        )
        try:
            if result.team not in team_names:
                team_names[result.team] = team_title(minutes_root, result.team, config)
            backlinks = plan(
                result,
                links,
                renderer,
                earlier,
                team_name=team_names[result.team],
                where=path_from_root(path, minutes_root),
            )
        except TemplateError as exc:
            fail(str(exc), 2)
        if client is None:
            planned += backlinks
            for link in backlinks:
                what = (
                    f"skip ({link.skip})"
                    if link.skip
                    else "would remove (no longer mentioned)"
                    if link.withdraw
                    else "would upsert"
                    + (f", taking off the label {link.label} if it is there" if link.label else "")
                )
                click.echo(f"{link.ref} <- {link.source}: {what}")
                if link.body:  # as it would be sent, marker line first, indented
                    click.echo(textwrap.indent(link.body, "    "), nl=False)
            continue
        upsert(backlinks, client, report, home=links.repository)
    if client is None:
        click.echo(dry_run_totals(planned))
    else:
        print_report(report, "backlinks")
    if report.failed or unreadable:
        raise SystemExit(1)
