"""``minutesbot new``: the next call's agenda, with open items carried forward."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from minutesbot.cli.common import refuse_outside, root_option, team_agenda, team_option
from minutesbot.cli.days import date_option
from minutesbot.cli.group import main
from minutesbot.cli.invocation import fail


@main.command()
@team_option
@date_option("The meeting's date (default: the next one by calendar, cadence or history).")
@root_option
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the agenda instead of writing it.")
def new(
    team: str | None, day: date | None, root: Path | None, force: bool, to_stdout: bool
) -> None:
    """Write the next call's agenda: open action items, put-off topics, absences, roles."""
    from minutesbot.links import shown_path

    setting, prepared = team_agenda(team, root, day)
    agenda, text = prepared.agenda, prepared.text
    if to_stdout:
        click.echo(text, nl=False)
        return
    minutes_root, target = setting.root, setting.folder / prepared.name
    # A link inside the team's folder: the agenda is written inside the root or not at all.
    refuse_outside(target, minutes_root)
    if target.exists() and not force:
        fail(
            f"{shown_path(target)} exists; pass --force to overwrite it or --stdout to print "
            "the agenda"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{shown_path(target)}: cannot write the agenda ({exc.strerror or exc})")
    click.echo(f"{shown_path(target)}: agenda for {agenda.date.isoformat()} ({agenda.carried})")
