"""``minutesbot lint``: problems in minutes files, as text or as Actions annotations."""
from __future__ import annotations

import os
from pathlib import Path

import click

from minutesbot.cli import main
from minutesbot.cli.common import get_config, root_option


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@root_option
def lint(files: tuple[Path, ...], root: Path | None) -> None:
    """Check minutes FILES: no date, no minutes taker, unowned actions, broken issue links.

    Exit 1 when any file has an error; warnings alone exit 0. Under GitHub
    Actions (GITHUB_ACTIONS=true) problems are printed as workflow commands,
    which GitHub shows as annotations on the changed lines.
    """
    from minutesbot.lint import ERROR, lint_file
    from minutesbot.parser import find_minutes_files

    config = get_config()
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    errors = warnings = 0
    paths = find_minutes_files(files)
    for path in paths:
        for problem in lint_file(path, root=config.root(root), config=config):
            click.echo(problem.workflow_command() if annotate else problem.plain())
            errors += problem.severity == ERROR
            warnings += problem.severity != ERROR
    click.echo(f"{len(paths)} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise SystemExit(1)
