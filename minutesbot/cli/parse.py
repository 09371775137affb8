"""``minutesbot parse``: minutes files into records."""

from __future__ import annotations

import json
from pathlib import Path

import click

from minutesbot.cli.common import get_config, json_option, root_option, warn
from minutesbot.cli.group import main


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@root_option
@click.option(
    "--default-owner",
    metavar="ORG",
    help="Owner for REPO#N refs (default: configuration, then GITHUB_REPOSITORY).",
)
def parse(
    files: tuple[Path, ...], as_json: bool, root: Path | None, default_owner: str | None
) -> None:
    """Parse minutes FILES (directories: every .md below) into records."""
    from minutesbot.records.files import find_minutes_files
    from minutesbot.records.parser import iter_records
    from minutesbot.records.summary import summarize

    config = get_config()
    minutes_root = config.root(root)
    failed = 0
    for result in iter_records(
        find_minutes_files(files), root=minutes_root, config=config, default_owner=default_owner
    ):
        if isinstance(result, Exception):
            click.echo(f"minutesbot: error: {result}", err=True)
            failed += 1
            continue
        for warning in result.warnings:
            warn(f"{result.source}: {warning}")
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            click.echo(summarize(result))
    if failed:
        raise SystemExit(1)
