"""``minutesbot index``, ``history``, ``actions``, ``decisions``, ``search``: the archive."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from minutesbot.cli.common import (
    fail,
    get_config,
    json_object_option,
    json_option,
    open_archive,
    root_option,
)
from minutesbot.cli.days import period, since_option, until_option
from minutesbot.cli.group import main

if TYPE_CHECKING:
    from minutesbot.archive import Page

# A page: what a person reads at once, and what any archive answers in an instant.
PAGE = 100


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


def _limit(limit: int, show_all: bool) -> int | None:
    return None if show_all else limit


def _emit(
    results: Page,
    as_json: bool,
    text: Callable[[dict[str, Any]], str],
    left_out: str,
    none: str,
) -> None:
    """Print ``results``; when they are a page of a longer answer, say on stderr how many
    more there are (``left_out``: "{n} earlier actions not shown", say), and when there are
    none, say that (``none``), so that an empty answer is not taken for a failure."""
    lines = [
        json.dumps(result, ensure_ascii=False) if as_json else text(result) for result in results
    ]
    if lines:
        # One write: thousands of echo calls cost more than the query.
        click.echo("\n".join(lines))
    elif not as_json:
        click.echo(f"minutesbot: {none}", err=True)
    if results.more:
        click.echo(
            f"minutesbot: {left_out.format(n=f'{results.more:,}')} "
            "(--all shows every one, --limit N the number you want)",
            err=True,
        )


def _emit_cited(
    results: Page,
    as_json: bool,
    text: Callable[[dict[str, Any]], str],
    names: tuple[str, str],
    *asked: str | None,
) -> None:
    """Print actions or decisions (``names``: as counted, as said when there are none), each
    with its meeting and where in the file it stands; ``asked``: the filters given, in
    words ("of team iaas"), for the line that says none matched them."""
    counted, said = names
    _emit(
        results,
        as_json,
        lambda r: f"{_where(r)}  {text(r)}  ({r['source']}:{r['line']})",
        f"{{n}} earlier {counted} not shown",
        " ".join(["no", said, *(words for words in asked if words), "in the minutes"]),
    )


def _where(result: dict[str, Any]) -> str:
    return f"{result['date'] or '(no date)'}  {result['team'] or '-'}"


def _owners(owners: list[str]) -> str:
    return " ".join(f"@{o}" for o in owners)


def _action_line(action: dict[str, Any]) -> str:
    owners = _owners(action["owners"])
    closed = action["closed_by"]
    tail = (
        f" ({closed['status']} {closed['date']}, {closed['source']}:{closed['line']})"
        if closed
        else ""
    )
    if action.get("last_listed") and not closed:
        tail += f" (still listed {action['last_listed']})"
    return f"[{action['status']}] {owners + ': ' if owners else ''}{action['text']}{tail}"


@main.command()
@root_option
@json_object_option
def index(root: Path | None, as_json: bool) -> None:
    """Build or refresh the index of the minutes (.minutesbot/index.sqlite).

    In a git work tree whose git index has no untracked cache, git is then
    asked to store one there, as a git status of your own would where
    core.untrackedCache is on: on a big archive, every query is quicker.
    """
    from minutesbot.gitstatus import keep_untracked_cache

    with open_archive(root) as (archive, result):
        path = archive.path
    assert result is not None  # refreshed before the block
    keep_untracked_cache(str(archive.root))
    summary = {
        "index": str(path),
        "added": result.added,
        "changed": result.changed,
        "removed": result.removed,
        "unchanged": result.unchanged,
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(
            f"{path}: {result.added} added, {result.changed} changed, "
            f"{result.removed} removed, {result.unchanged} unchanged"
        )


@main.command()
@click.argument("ref")
@click.option("--repo", metavar="[OWNER/]REPO", help="The repository of a bare #N.")
@_page_options("meetings", "latest")
@root_option
@json_option
def history(
    ref: str, repo: str | None, limit: int, show_all: bool, root: Path | None, as_json: bool
) -> None:
    """Every meeting that discussed REF, oldest first (the latest 100 unless --all).

    REF is OWNER/REPO#N, REPO#N (default owner), an issue, pull request or
    discussion URL, or #N with --repo.
    """
    from minutesbot.records.refs import RefError, parse_ref

    config = get_config()
    try:
        normalised = parse_ref(ref, config.owner(), repo)
    except RefError as exc:
        fail(str(exc), 2)
    with open_archive(root, answer_first=True) as (archive, _):
        results = archive.history(normalised, _limit(limit, show_all))
    _emit(
        results,
        as_json,
        _history_text,
        "{n} earlier meetings not shown",
        f"{normalised}: no meeting mentions it",
    )


def _history_text(result: dict[str, Any]) -> str:
    lines = [f"{_where(result)}  {result['item'] or '(outside the items)'}"]
    lines += [f"    decision: {d['text']}" for d in result["decisions"]]
    lines += [f"    action {_action_line(a)}" for a in result["actions"]]
    lines.append(f"    {result['link']}")
    return "\n".join(lines)


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
def actions(
    owner: str | None,
    only_open: bool,
    only_done: bool,
    team: str | None,
    limit: int,
    show_all: bool,
    root: Path | None,
    as_json: bool,
) -> None:
    """Action items across all meetings, each once, with what later meetings said of them;
    oldest first (the latest 100 unless --all)."""
    if only_open and only_done:
        fail("--open and --done exclude each other; give one, or neither for all actions", 2)
    state = "open" if only_open else "closed" if only_done else None
    with open_archive(root, answer_first=True) as (archive, _):
        results = archive.actions(
            owner=owner, status=state, team=team, limit=_limit(limit, show_all)
        )
    _emit_cited(
        results,
        as_json,
        _action_line,
        ("actions", "action items"),
        owner and f"of @{owner.lstrip('@')}",
        team and f"of team {team}",
        {"open": "still open", "closed": "no longer open", None: None}[state],
    )


@main.command()
@click.option("--team", metavar="TEAM", help="Only decisions of this team (any case).")
@since_option
@until_option
@_page_options("decisions", "latest")
@root_option
@json_option
def decisions(
    team: str | None,
    since: date | None,
    until: date | None,
    limit: int,
    show_all: bool,
    root: Path | None,
    as_json: bool,
) -> None:
    """Decisions across all meetings, oldest first (the latest 100 unless --all)."""
    from minutesbot.archive import Scope

    with open_archive(root, answer_first=True) as (archive, _):
        results = archive.decisions(Scope(team, **period(since, until)), _limit(limit, show_all))
    _emit_cited(
        results,
        as_json,
        lambda r: r["text"],
        ("decisions", "decisions"),
        team and f"of team {team}",
        since and f"since {since:%Y-%m-%d}",
        until and f"until {until:%Y-%m-%d}",
    )


@main.command()
@click.argument("query", nargs=-1, required=True)
@_page_options("items", "best")
@root_option
@json_option
def search(
    query: tuple[str, ...], limit: int, show_all: bool, root: Path | None, as_json: bool
) -> None:
    """Full-text search: items of any meeting that contain every word of QUERY, the best
    matches first (the best 100 unless --all)."""
    with open_archive(root, answer_first=True) as (archive, _):
        results = archive.search(" ".join(query), _limit(limit, show_all))
    _emit(
        results,
        as_json,
        _search_text,
        "{n} more items match",
        f"no item of the minutes holds every word of {' '.join(query)!r}",
    )


# What starts a line of markdown without being its text: list bullets, numbers, heading marks.
_LINE_MARKS = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6})[ \t]+)*")


def _search_text(result: dict[str, Any]) -> str:
    """``DATE  TEAM  ITEM: the line found  (SOURCE:LINE)``, the line without its markdown
    marks; a line that is the item's heading is not repeated (the heading says more than the
    title: its owners and timebox, ``### Topic (@x, 5 min):``)."""
    item = (result["item"] or "(outside the items)").rstrip(": ")
    text = _LINE_MARKS.sub("", result["text"], count=1).strip()
    said = "" if result["line"] == result["item_line"] else f": {text}"
    return f"{_where(result)}  {item}{said}  ({result['source']}:{result['line']})"
