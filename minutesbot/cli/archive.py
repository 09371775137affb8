"""``minutesbot index``, ``history``, ``actions``, ``decisions``, ``search``: the archive's
commands as click reads them. What they do is :mod:`minutesbot.cli.answers`; a
question whose options are plain is read without click by
:mod:`minutesbot.cli.shortcut` (a test keeps the two readings the same)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from minutesbot.cli import answers
from minutesbot.cli.answers import PAGE
from minutesbot.cli.common import json_object_option, json_option, root_option
from minutesbot.cli.days import since_option, until_option
from minutesbot.cli.group import main


def _page_options(what: str, which: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--limit N`` and ``--all``: how many of the results (``what``, the ``which`` ones)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--all", "show_all", is_flag=True, help=f"Show every one of the {what}."
        )(command)
        return click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=PAGE,
            show_default=True,
            metavar="N",
            help=f"Show the {which} N {what}, and how many more there are.",
        )(command)

    return decorate


@main.command()
@root_option
@json_object_option
def index(**params: Any) -> None:
    """Build or refresh the index of the minutes (.minutesbot/index.sqlite).

    In a git work tree whose git index has no untracked cache, git is then
    asked to store one there, as a git status of your own would where
    core.untrackedCache is on: on a big archive, every query is quicker.
    """
    answers.index(**params)


@main.command()
@click.argument("ref")
@click.option("--repo", metavar="[OWNER/]REPO", help="The repository of a bare #N.")
@_page_options("meetings", "latest")
@root_option
@json_option
def history(**params: Any) -> None:
    """Every meeting that discussed REF, oldest first (the latest 100 unless --all).

    REF is OWNER/REPO#N, REPO#N (default owner), an issue, pull request or
    discussion URL, or #N with --repo.
    """
    answers.history(**params)


@main.command()
@click.option("--owner", metavar="HANDLE", help="Only actions of this person.")
@click.option("--open", "only_open", is_flag=True, help="Only actions still open.")
@click.option(
    "--done",
    "only_done",
    is_flag=True,
    help="Only actions no longer open: done or dropped (where written, or by a later "
    "meeting), or unlisted (the team's latest review left them out).",
)
@click.option("--team", metavar="TEAM", help="Only actions of this team (any case).")
@_page_options("actions", "latest")
@root_option
@json_option
def actions(**params: Any) -> None:
    """Action items across all meetings, each once, with what later meetings said of them;
    oldest first (the latest 100 unless --all)."""
    answers.actions(**params)


@main.command()
@click.option("--team", metavar="TEAM", help="Only decisions of this team (any case).")
@since_option
@until_option
@_page_options("decisions", "latest")
@root_option
@json_option
def decisions(**params: Any) -> None:
    """Decisions across all meetings, oldest first (the latest 100 unless --all)."""
    answers.decisions(**params)


@main.command()
@click.argument("query", nargs=-1, required=True)
@_page_options("items", "best")
@root_option
@json_option
def search(**params: Any) -> None:
    """Full-text search: items of any meeting that contain every word of QUERY, the best
    matches first (the best 100 unless --all)."""
    answers.search(**params)
