"""Questions to the index: history of a ref, actions, decisions, full-text search.

Every result is a plain dict with at least ``source``, ``date``, ``team`` and
``line`` (what ``--json`` prints, one per line); results come oldest first,
files without a date last.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from typing import Any

from minutesbot.archive.store import CHUNK_SPAN

_ORDER = "f.date IS NULL, f.date, f.source"


def history(conn: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """Every item (or place outside items) of every meeting that mentions ``ref``.

    One result per meeting and item: its title, the lines there that mention
    the ref, and the decisions and actions of that item. Items, decisions
    and actions of all those files are read in one query each.
    """
    rows = conn.execute(
        f"SELECT f.id, f.source, f.date, f.team, r.line FROM refs r JOIN files f "
        f"ON f.id = r.file_id WHERE r.ref = ? ORDER BY {_ORDER}, r.line",
        (ref,),
    ).fetchall()
    if not rows:
        return []
    scope = "file_id IN (SELECT file_id FROM refs WHERE ref = ?)"
    items = _by_file(
        conn.execute(
            f"SELECT file_id, title, line, end_line FROM items WHERE {scope} ORDER BY line", (ref,)
        )
    )
    decisions = _by_file(
        conn.execute(
            f"SELECT file_id, text, line FROM decisions WHERE {scope} ORDER BY line", (ref,)
        )
    )
    actions = _by_file(
        conn.execute(
            f"SELECT a.file_id, {_ACTION_COLUMNS} FROM actions a JOIN files f ON f.id = a.file_id "
            f"WHERE a.{scope} ORDER BY a.line",
            (ref,),
        )
    )
    results: list[dict[str, Any]] = []
    by_place: dict[tuple[int, int | None], dict[str, Any]] = {}
    for file_id, source, date, team, line in rows:
        item = _innermost(items.get(file_id, []), line)
        key = (file_id, item[1] if item else None)
        entry = by_place.get(key)
        if entry is None:
            first, last = (item[1], item[2]) if item else (0, -1)
            entry = by_place[key] = {
                "source": source,
                "date": date,
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
                    _action(row) for row in actions.get(file_id, []) if first <= row[3] <= last
                ],
            }
            results.append(entry)
        if line not in entry["lines"]:
            entry["lines"].append(line)
    return results


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


_ACTION_COLUMNS = (
    "f.source, f.date, f.team, a.line, a.owners, a.text, a.status, a.item, "
    "a.closed_source, a.closed_date, a.closed_line, a.closed_status"
)
# The latest meeting that re-listed an action still open (see tracking.repeat_of).
_LAST_LISTED = (
    "(SELECT MAX(rf.date) FROM actions r JOIN files rf ON rf.id = r.file_id "
    "WHERE r.repeat_of = a.id)"
)


def _action(row: tuple[Any, ...]) -> dict[str, Any]:
    (
        source,
        date,
        team,
        line,
        owners,
        text,
        status,
        item,
        closed_source,
        closed_date,
        closed_line,
        closed_status,
    ) = row
    closed = (
        {"source": closed_source, "date": closed_date, "line": closed_line, "status": closed_status}
        if closed_source
        else None
    )
    return {
        "source": source,
        "date": date,
        "team": team,
        "line": line,
        "owners": json.loads(owners),
        "text": text,
        "item": item,
        "status": closed_status or status,
        "written_status": status,
        "closed_by": closed,
    }


def actions(
    conn: sqlite3.Connection,
    *,
    owner: str | None = None,
    status: str | None = None,
    teams: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Action items across meetings, each debt once, where it was first written.

    ``status`` is "open" or "closed" (done or dropped). Entries that only
    re-list an open action are folded into it as ``last_listed``; the entry
    that reported it done or dropped is its ``closed_by``, not a row of its own.
    """
    where, params = ["a.repeat_of IS NULL AND NOT a.closer"], []
    if owner:
        where.append("a.id IN (SELECT action_id FROM action_owners WHERE owner = ?)")
        params.append(owner.lstrip("@").lower())
    if status == "open":
        where.append("COALESCE(a.closed_status, a.status) = 'open'")
    elif status == "closed":
        where.append("COALESCE(a.closed_status, a.status) IN ('done', 'dropped')")
    _in_teams(teams, where, params)
    clause = f"WHERE {' AND '.join(where)}"
    return [
        {**_action(row[:-1]), "last_listed": row[-1]}
        for row in conn.execute(
            f"SELECT {_ACTION_COLUMNS}, {_LAST_LISTED} "
            "FROM actions a JOIN files f ON f.id = a.file_id "
            f"{clause} ORDER BY {_ORDER}, a.line",
            params,
        )
    ]


def actions_touching(conn: sqlite3.Connection, sources: list[str]) -> list[dict[str, Any]]:
    """The actions the meetings ``sources`` bear on, each once, where first written.

    Those written there, those a meeting there re-lists still open, and those
    a meeting there reported done or dropped -- with their state now (as
    :func:`actions` gives it). ``entries`` lists, per source, every action
    entry it holds (owners, text, item), re-listings and closing entries too.
    """
    if not sources:
        return []
    marks = ", ".join("?" * len(sources))
    rows = conn.execute(
        f"SELECT {_ACTION_COLUMNS}, {_LAST_LISTED} "
        "FROM actions a JOIN files f ON f.id = a.file_id "
        f"WHERE a.repeat_of IS NULL AND NOT a.closer AND (f.source IN ({marks}) "
        f"OR a.closed_source IN ({marks}) OR a.id IN (SELECT r.repeat_of FROM actions r "
        f"JOIN files rf ON rf.id = r.file_id WHERE rf.source IN ({marks}))) "
        f"ORDER BY {_ORDER}, a.line",
        [*sources, *sources, *sources],
    ).fetchall()
    return [{**_action(row[:-1]), "last_listed": row[-1]} for row in rows]


def action_entries_of(conn: sqlite3.Connection, sources: list[str]) -> dict[str, list[Any]]:
    """Every action entry of each source (owners, text, item), in the order written:
    re-listings and closing entries too."""
    found: dict[str, list[Any]] = {source: [] for source in sources}
    if sources:
        for source, owners, text, item in conn.execute(
            "SELECT f.source, a.owners, a.text, a.item FROM actions a "
            f"JOIN files f ON f.id = a.file_id WHERE f.source IN ({', '.join('?' * len(sources))})"
            " ORDER BY a.id",
            sources,
        ):
            found[source].append((json.loads(owners), text, item))
    return found


def files_of(conn: sqlite3.Connection, sources: list[str]) -> dict[str, dict[str, Any]]:
    """Team, date, title and parse error of each source the index holds."""
    if not sources:
        return {}
    return {
        source: {"team": team, "date": date, "title": title, "error": error}
        for source, team, date, title, error in conn.execute(
            "SELECT source, team, date, title, error FROM files "
            f"WHERE source IN ({', '.join('?' * len(sources))})",
            sources,
        )
    }


def decisions(
    conn: sqlite3.Connection,
    *,
    teams: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """Decisions across meetings, ``since``/``until`` ISO dates, both included."""
    where: list[str] = []
    params: list[str] = []
    _in_period(teams, since, until, where, params)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return [
        {"source": source, "date": date, "team": team_, "line": line, "text": text, "item": item}
        for source, date, team_, line, text, item in conn.execute(
            f"SELECT f.source, f.date, f.team, d.line, d.text, d.item FROM decisions d "
            f"JOIN files f ON f.id = d.file_id {clause} ORDER BY {_ORDER}, d.line",
            params,
        )
    ]


def indexed_teams(conn: sqlite3.Connection) -> list[str]:
    """The teams that have minutes in the index, sorted."""
    return [
        team
        for (team,) in conn.execute(
            "SELECT DISTINCT team FROM files WHERE team IS NOT NULL ORDER BY team"
        )
    ]


def _in_teams(teams: list[str] | None, where: list[str], params: list[str]) -> None:
    """Add the condition "a meeting of one of ``teams``" (None: any meeting)."""
    if teams is not None:
        where.append(f"f.team IN ({', '.join('?' * len(teams))})")
        params.extend(teams)


def _in_period(
    teams: list[str] | None,
    since: str | None,
    until: str | None,
    where: list[str],
    params: list[str],
    column: str = "f.date",
) -> None:
    """Add "a meeting of one of ``teams`` held ``since``..``until``" (ISO dates, both
    included; None: no bound), the day taken from ``column``. A bound leaves out
    files without a date."""
    _in_teams(teams, where, params)
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"{column} <= ?")
        params.append(until)


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must occur (each quoted, so
    ``cluster-stacks`` or ``AND`` are words, not query syntax)."""
    words = text.split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(conn: sqlite3.Connection, text: str) -> list[dict[str, Any]]:
    """Items (or the part before the first item) of any meeting that contain all words."""
    query = fts_query(text)
    if not query:
        return []
    hits = conn.execute(
        "SELECT rowid, title, line, body FROM chunks WHERE chunks MATCH ?", (query,)
    ).fetchall()
    files = {}
    results = []
    for rowid, title, start, body in hits:
        file_id = rowid // CHUNK_SPAN
        if file_id not in files:
            files[file_id] = conn.execute(
                "SELECT source, date, team FROM files WHERE id = ?", (file_id,)
            ).fetchone()
        source, date, team = files[file_id]
        offset, excerpt = _first_line_with(body, text.split())
        results.append(
            {
                "source": source,
                "date": date,
                "team": team,
                "line": start + offset,
                "item": title,
                "text": excerpt,
            }
        )
    results.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["source"], r["line"]))
    return results


def _first_line_with(body: str, words: list[str]) -> tuple[int, str]:
    """The line of ``body`` where the first match of one of ``words`` starts (0 and the
    first line if none).

    Matched as FTS5 matched the chunk, token by token (see :func:`fold_tokens`),
    so ``buchse`` points at the line with "Büchse" and ``cluster-stacks`` at
    "cluster_stacks", even when the two words are split across lines.
    """
    lines = body.split("\n")
    phrases: dict[str, list[list[str]]] = {}
    for phrase in filter(None, map(fold_tokens, words)):
        phrases.setdefault(phrase[0], []).append(phrase)
    tokens: list[str] = []
    token_lines: list[int] = []
    for n, line in enumerate(lines):
        found = fold_tokens(line)
        tokens += found
        token_lines += [n] * len(found)
    for i, token in enumerate(tokens):
        if any(tokens[i : i + len(phrase)] == phrase for phrase in phrases.get(token, ())):
            n = token_lines[i]
            return n, lines[n].strip()
    return 0, lines[0].strip()


_TOKEN = re.compile(r"[^\W_]+")


def fold_tokens(text: str) -> list[str]:
    """The words of ``text`` as the index's FTS5 tokenizer sees them (unicode61 with
    remove_diacritics 2): runs of letters and digits, case and accents folded.

    Only what search results point at depends on it, and query and line are
    folded alike, so the rare differences (SQLite keeps "ß" and accents outside
    the Latin script, its Unicode tables are older) do not matter.
    """
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(
            c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn"
        )
    return _TOKEN.findall(folded)
