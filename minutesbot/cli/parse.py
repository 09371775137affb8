"""``minutesbot parse``: minutes files into records."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from minutesbot.cli.common import json_option, root_option
from minutesbot.cli.group import main
from minutesbot.cli.invocation import get_config, root_folder, warn
from minutesbot.cli.selection import minutes_files


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
    from minutesbot.records.parser import iter_records
    from minutesbot.records.summary import summarize

    config = get_config()
    minutes_root = root_folder(root, required=False)
    failed = 0
    paths = minutes_files(files, minutes_root)
    _hint_at_the_root(paths, minutes_root, root is not None)
    for result in iter_records(
        paths, root=minutes_root, config=config, default_owner=default_owner
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


def _hint_at_the_root(paths: list[Path], minutes_root: Path, given: bool) -> None:
    """One warning when files lie outside the minutes root: their team is unknown (``-``).

    The usual cause is running in a minutes repository without configuration
    (SCS keeps TEAM/YYYYMMDD.md at the top, not below ``minutes/``): the
    folder above the first such file's folder is the likely root.
    """
    from minutesbot.links import shown_path

    # A symlinked file is where it is listed, whatever it links to (the record's source).
    tops = (Path(os.path.abspath(minutes_root)), minutes_root.resolve())
    outside = [
        p
        for p in paths
        if tops[0] not in Path(os.path.abspath(p)).parents and tops[1] not in p.resolve().parents
    ]
    if not outside:
        return
    likely = shown_path(outside[0].resolve().parent.parent)
    where = "--root" if given else "the minutes root"
    others = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
    warn(
        f"{shown_path(outside[0])}{others} is not below {where} {shown_path(minutes_root)}/, "
        "so it has no team: pass --root DIR, the folder holding the team folders (here "
        f"perhaps --root {likely}), or set minutes-root under [tool.minutesbot] in pyproject.toml"
    )
