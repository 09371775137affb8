"""What the archive's commands (``index``, ``history``, ``actions``, ``decisions``,
``search``) do and print, without click: their options are declared in
:mod:`minutesbot.cli.archive`, and read there by click or, when plain, by
:mod:`minutesbot.cli.shortcut`; both call these functions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutesbot.cli.invocation import EXIT_USAGE, echo, fail, get_config, open_archive, period

if TYPE_CHECKING:
    from minutesbot.archive import Page

# A page: what a person reads at once, and what any archive answers in an instant.
PAGE = 100


def index(root: Path | None, as_json: bool) -> None:
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
        echo(json.dumps(summary))
    else:
        echo(
            f"{path}: {result.added} added, {result.changed} changed, "
            f"{result.removed} removed, {result.unchanged} unchanged"
        )


def history(
    ref: str, repo: str | None, limit: int, show_all: bool, root: Path | None, as_json: bool
) -> None:
    from minutesbot.records.refs import RefError, parse_ref

    config = get_config()
    try:
        normalised = parse_ref(ref, config.owner(), repo)
    except RefError as exc:
        fail(str(exc), EXIT_USAGE)
    with open_archive(root, answer_first=True) as (archive, _):
        results = archive.history(normalised, _limit(limit, show_all))
    _emit(
        results,
        as_json,
        _history_text,
        "{n} earlier meetings not shown",
        f"{normalised}: no meeting mentions it",
    )


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
    if only_open and only_done:
        fail(
            "--open and --done exclude each other; give one, or neither for all actions",
            EXIT_USAGE,
        )
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


def decisions(
    team: str | None,
    since: date | None,
    until: date | None,
    limit: int,
    show_all: bool,
    root: Path | None,
    as_json: bool,
) -> None:
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


def search(
    query: tuple[str, ...], limit: int, show_all: bool, root: Path | None, as_json: bool
) -> None:
    with open_archive(root, answer_first=True) as (archive, _):
        results = archive.search(" ".join(query), _limit(limit, show_all))
    _emit(
        results,
        as_json,
        _search_text,
        "{n} more items match",
        f"no item of the minutes holds every word of {' '.join(query)!r}",
    )


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
        echo("\n".join(lines))
    elif not as_json:
        echo(f"minutesbot: {none}", err=True)
    if results.more:
        echo(
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


def _history_text(result: dict[str, Any]) -> str:
    lines = [f"{_where(result)}  {result['item'] or '(outside the items)'}"]
    lines += [f"    decision: {d['text']}" for d in result["decisions"]]
    lines += [f"    action {_action_line(a)}" for a in result["actions"]]
    lines.append(f"    {result['link']}")
    return "\n".join(lines)


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
