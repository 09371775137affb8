"""``minutesbot index``, ``history``, ``actions``, ``decisions``, ``search``: the archive."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from minutesbot.cli import main
from minutesbot.cli.common import (
    fail,
    get_config,
    json_option,
    open_archive,
    period,
    root_option,
    since_option,
    until_option,
)

if TYPE_CHECKING:
    pass


def _emit(
    results: Iterable[dict[str, Any]], as_json: bool, text: Callable[[dict[str, Any]], str]
) -> None:
    lines = [
        json.dumps(result, ensure_ascii=False) if as_json else text(result) for result in results
    ]
    if lines:
        # One write: thousands of echo calls cost more than the query.
        click.echo("\n".join(lines))


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
@json_option
def index(root: Path | None, as_json: bool) -> None:
    """Build or refresh the index of the minutes (.minutesbot/index.sqlite)."""
    with open_archive(root) as (archive, result):
        path = archive.path
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
@root_option
@json_option
def history(ref: str, repo: str | None, root: Path | None, as_json: bool) -> None:
    """Every meeting that discussed REF, oldest first.

    REF is OWNER/REPO#N, REPO#N (default owner), an issue, pull request or
    discussion URL, or #N with --repo.
    """
    from minutesbot.records.refs import RefError, parse_ref

    config = get_config()
    try:
        normalised = parse_ref(ref, config.owner(), repo)
    except RefError as exc:
        fail(str(exc), 2)
    with open_archive(root) as (archive, _):
        results = archive.history(normalised)
    if not results and not as_json:
        click.echo(f"{normalised}: no meeting mentions it", err=True)
    _emit(results, as_json, _history_text)


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
    help="Only actions done or dropped (where written, or by a later meeting).",
)
@click.option("--team", metavar="TEAM", help="Only actions of this team (any case).")
@root_option
@json_option
def actions(
    owner: str | None,
    only_open: bool,
    only_done: bool,
    team: str | None,
    root: Path | None,
    as_json: bool,
) -> None:
    """Action items across all meetings, each once, with what later meetings said of them."""
    if only_open and only_done:
        fail("--open and --done exclude each other; give one, or neither for all actions", 2)
    state = "open" if only_open else "closed" if only_done else None
    with open_archive(root) as (archive, _):
        results = archive.actions(owner=owner, status=state, team=team)
    _emit(
        results, as_json, lambda r: f"{_where(r)}  {_action_line(r)}  ({r['source']}:{r['line']})"
    )


@main.command()
@click.option("--team", metavar="TEAM", help="Only decisions of this team (any case).")
@since_option
@until_option
@root_option
@json_option
def decisions(
    team: str | None,
    since: datetime | None,
    until: datetime | None,
    root: Path | None,
    as_json: bool,
) -> None:
    """Decisions across all meetings, oldest first."""
    with open_archive(root) as (archive, _):
        results = archive.decisions(team=team, **period(since, until))
    _emit(results, as_json, lambda r: f"{_where(r)}  {r['text']}  ({r['source']}:{r['line']})")


@main.command()
@click.argument("query", nargs=-1, required=True)
@root_option
@json_option
def search(query: tuple[str, ...], root: Path | None, as_json: bool) -> None:
    """Full-text search: items of any meeting that contain every word of QUERY."""
    with open_archive(root) as (archive, _):
        results = archive.search(" ".join(query))
    _emit(
        results,
        as_json,
        lambda r: f"{_where(r)}  {r['item'] or '-'}: {r['text']}  ({r['source']}:{r['line']})",
    )
