"""``minutesbot lint``: problems in minutes files, as text or as Actions annotations."""

from __future__ import annotations

import os
from pathlib import Path

import click

from minutesbot.cli.common import root_option
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail, get_config, root_folder
from minutesbot.cli.selection import changed_files, minutes_files


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@root_option
@click.option(
    "--changed", metavar="BASE..HEAD", help="Also check the minutes files this git range touched."
)
def lint(files: tuple[Path, ...], root: Path | None, changed: str | None) -> None:
    """Check minutes FILES: no date, no minutes taker, unowned actions, broken issue links.

    Exit 1 when any file has an error; warnings alone exit 0. A file reached
    through a symbolic link that minutesbot does not follow (out of the minutes
    root, or into a hidden part of it) is an error, not read. Under GitHub
    Actions (GITHUB_ACTIONS=true) problems are printed as workflow commands,
    which GitHub shows as annotations on the changed lines.
    """
    from minutesbot.lint import ERROR, Problem, lint_file
    from minutesbot.records.files import LINK_NOT_FOLLOWED

    config = get_config()
    minutes_root = root_folder(root, required=bool(changed))
    refused: list[Path] = []
    paths = minutes_files(files, minutes_root, refused)
    if changed:
        in_range = changed_files(changed, minutes_root)
        paths += [p for p in in_range.paths if p not in paths]
        refused += in_range.refused
    elif not files:
        fail("nothing to check: name minutes FILES or --changed BASE..HEAD", 2)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    errors = warnings = 0
    cwd = Path.cwd()

    def shown(path: Path) -> str | None:
        return (
            path.relative_to(cwd).as_posix()
            if path.is_absolute() and path.is_relative_to(cwd)
            else None
        )

    # Each link once, however named (as typed, through a linked folder, or as git's paths
    # name it in --changed): by the first of its names, whatever the order of the arguments.
    unique: dict[str, Path] = {}
    for path in sorted(refused):
        unique.setdefault(os.path.join(os.path.realpath(path.parent), path.name), path)
    for path in sorted(unique.values()):
        problem = Problem(shown(path) or str(path), None, ERROR, f"not read: {LINK_NOT_FOLLOWED}")
        click.echo(problem.workflow_command() if annotate else problem.plain())
        errors += 1
    for path in paths:
        for problem in lint_file(path, root=minutes_root, config=config, display=shown(path)):
            click.echo(problem.workflow_command() if annotate else problem.plain())
            errors += problem.severity == ERROR
            warnings += problem.severity != ERROR
    click.echo(f"{len(paths)} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise SystemExit(1)
