"""A ref's history: every meeting that mentions an issue or pull request, each item
there with the lines that mention it, and the decisions and actions of that item
(``minutesbot history``).

Results are plain dicts, oldest first, as :mod:`minutesbot.archive.query` gives them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from minutesbot.archive.digest import rows_of
from minutesbot.archive.query import (
    ACTION_COLUMNS,
    Page,
    action_dict,
    json_ids,
    page_and_total,
)


class Mentions(Page):
    """A page of a ref's history, and the rows it was read from whole: every ref, item and
    decision of its meetings as stored (by part, then file id, as
    :func:`~minutesbot.archive.digest.rows_of` reads them), which the answer is checked
    against as read."""

    def __init__(self, total: int | None = None) -> None:
        super().__init__(total=total)
        self.read: dict[str, dict[int, list[tuple[Any, ...]]]] = {}
        # The meetings on the page: a result is one item of a meeting, ``total`` counts meetings.
        self.meetings = 0

    @property
    def more(self) -> int:
        """How many meetings of the whole answer the page leaves out."""
        return self.total - self.meetings


def history(conn: sqlite3.Connection, ref: str, limit: int | None = None) -> Mentions:
    """Every item (or place outside items) of every meeting that mentions ``ref``.

    One result per meeting and item: its title, the lines there that mention
    the ref, and the decisions and actions of that item. ``limit`` counts
    meetings. Every ref, item, decision and action of the meetings shown is
    read in one query each, the refs, items and decisions as the digest check
    reads them, so that it does not read them again.
    """
    shown, total = page_and_total(
        conn,
        "SELECT DISTINCT sort, file_id FROM refs WHERE ref = ? ORDER BY sort DESC LIMIT ?",
        "SELECT count(DISTINCT file_id) FROM refs WHERE ref = ?",
        [ref],
        limit,
    )
    if not shown:
        return Mentions(total=total)
    files = json_ids(file_id for _, file_id in shown)
    scope = "file_id IN (SELECT value FROM json_each(?))"
    read = {part: rows_of(conn, part, files) for part in ("refs", "items", "decisions")}
    meetings = {
        file_id: rest
        for file_id, *rest in conn.execute(
            "SELECT id, source, day, team FROM files WHERE id IN (SELECT value FROM json_each(?))",
            (files,),
        )
    }
    # The lines that mention the ref, oldest meeting first.
    sort_of = {file_id: sort for sort, file_id in shown}
    rows = sorted(
        (sort_of[file_id], line, file_id)
        for file_id, found in read["refs"].items()
        for mentioned, _kind, _url, line in found
        if mentioned == ref
    )
    # Items and decisions by line (read, they come in the order they were stored in).
    by_line = itemgetter(1)
    items = {
        file_id: sorted(((t, at, end, review) for t, _path, at, end, review in rows), key=by_line)
        for file_id, rows in read["items"].items()
    }
    decisions = {
        file_id: sorted(((text, at) for text, _item, at in rows), key=by_line)
        for file_id, rows in read["decisions"].items()
    }
    actions = _by_file(
        conn.execute(
            f"SELECT a.file_id, {ACTION_COLUMNS} FROM actions a JOIN files f ON f.id = a.file_id "
            f"WHERE a.{scope} ORDER BY a.line",
            (files,),
        )
    )
    results = Mentions(total=total)
    results.read = read
    results.meetings = len(sort_of)  # each meeting once, should its rows say otherwise
    reviews = []  # the results that are review sections (the parser's word, stored)
    by_place: dict[tuple[int, int | None], dict[str, Any]] = {}
    for _sort, line, file_id in rows:
        source, date_, team = meetings[file_id]
        item = _innermost(items.get(file_id, []), line)
        key = (file_id, item[1] if item else None)
        entry = by_place.get(key)
        if entry is None:
            first, last = (item[1], item[2]) if item else (0, -1)
            entry = by_place[key] = {
                "source": source,
                "date": date_,
                "team": team,
                "line": line,
                "ref": ref,
                "item": item[0] if item else None,
                "item_line": item[1] if item else None,
                "lines": [],
                "decisions": [
                    {"text": text, "line": at}
                    for text, at in decisions.get(file_id, [])
                    if first <= at <= last
                ],
                "actions": [
                    action_dict(row) for row in actions.get(file_id, []) if first <= row[3] <= last
                ],
            }
            results.append(entry)
            if item and item[3]:
                reviews.append(entry)
        if line not in entry["lines"]:
            entry["lines"].append(line)
    for entry in reviews:
        _keep_what_the_ref_is_about(entry)
    return results


def _keep_what_the_ref_is_about(entry: dict[str, Any]) -> None:
    """Of a review section ("Check AIs from last time"), only the entries the ref is in.

    Each action listed there is a topic of its own, so the section's other
    actions say nothing about the ref. An action holds a line when it starts
    there or is the last one to start above it (the ref is in a report below
    the action: "- done: standards#535"); so does a decision.
    """
    for key in ("actions", "decisions"):
        starts = [row["line"] for row in entry[key]]
        held = {max((s for s in starts if s <= line), default=None) for line in entry["lines"]}
        entry[key] = [row for row in entry[key] if row["line"] in held]


def _by_file(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for file_id, *rest in rows:
        grouped.setdefault(file_id, []).append(tuple(rest))
    return grouped


def _innermost(items: list[tuple[Any, ...]], line: int) -> tuple[Any, ...] | None:
    """The item whose line range holds ``line``, the one starting last where they nest."""
    found = None
    for item in items:
        if item[1] > line:
            break
        if line <= item[2]:
            found = item
    return found
