"""Questions to the index: actions and decisions (a ref's history: :mod:`.mentions`).

Every result is a plain dict with at least ``source``, ``date``, ``team`` and
``line`` (what ``--json`` prints, one per line); results come oldest first,
files without a date last (the order of :func:`store.order_key`). A meeting's
``date`` is the day it counts as held on (the files table's ``day``, see
:func:`minutesbot.records.dates.held_on`): its title's date, unless that is
more than two weeks from its file name's, as tracking and ``new`` read it.

Each question takes a ``limit``: the answer is then the latest ``limit``
results (still oldest first), as a :class:`Page` that knows how many the
whole answer holds. The SQL reads such a page from an index, walking it
from the latest end, and counts the rest in a narrow index, so the cost of
a page does not grow with the archive; only a count does, with the answer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from minutesbot.archive.store import IS_OPEN, LISTED, StoredTextDamaged, tracked_day

# Every list's order (see store.order_key), then the line.
ORDER = "f.sort"


class Page(list):  # type: ignore[type-arg]
    """Results, possibly the latest (or best) few of a longer answer of ``total``."""

    def __init__(self, results: Iterable[dict[str, Any]] = (), total: int | None = None) -> None:
        super().__init__(results)
        self.total = len(self) if total is None else total

    @property
    def more(self) -> int:
        """How many results of the whole answer the page leaves out."""
        return self.total - len(self)


# The largest integer SQLite holds: a limit above it (``--limit 99999999999999999999``)
# leaves nothing out either.
_SQL_INT_MAX = 2**63 - 1


def sql_limit(limit: int | None) -> int:
    """``limit`` as SQLite's LIMIT takes it: none (-1) for no limit, or one it cannot hold."""
    return -1 if limit is None or limit > _SQL_INT_MAX else limit


def page_and_total(
    conn: sqlite3.Connection, page: str, count: str, params: list[Any], limit: int | None
) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of the ``page`` statement (its last parameter the limit, after ``params``)
    and how many the whole answer holds: a page shorter than the limit is the whole answer
    (no count needed), else the ``count`` statement (with ``params``) says."""
    rows = conn.execute(page, [*params, sql_limit(limit)]).fetchall()
    if limit is None or len(rows) < limit:
        return rows, len(rows)
    return rows, conn.execute(count, params).fetchone()[0]


def json_ids(values: Iterable[Any]) -> str:
    """A list for ``IN (SELECT value FROM json_each(?))``: any length, one parameter."""
    return json.dumps(list(values))


ACTION_COLUMNS = (
    "f.source, f.day, f.team, a.line, a.owners, a.text, a.status, a.item, "
    "a.closed_source, a.closed_date, a.closed_line, a.closed_status"
)


def action_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    (
        source,
        date_,
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
    closed_date = tracked_day(closed_date)
    closed = (
        {"source": closed_source, "date": closed_date, "line": closed_line, "status": closed_status}
        if closed_source
        else None
    )
    return {
        "source": source,
        "date": date_,
        "team": team,
        "line": line,
        "owners": json.loads(owners),
        "text": text,
        "item": item,
        "status": closed_status or status,
        "written_status": status,
        "closed_by": closed,
    }


def _latest(
    conn: sqlite3.Connection,
    table: str,
    where: list[str],
    params: list[Any],
    limit: int | None,
    key: str = "t.rowid",
) -> tuple[str, int]:
    """The ids (``key`` of each row, as :func:`json_ids`) of the latest ``limit`` rows of
    ``table`` (alias ``t``) that meet ``where``, and how many rows meet it.

    ``table`` may carry an ``INDEXED BY``: SQLite's estimates cannot tell a
    count over a narrow index from one over the wide table.
    """
    clause = " AND ".join(where) or "1"
    rows, total = page_and_total(
        conn,
        f"SELECT {key} FROM {table} WHERE {clause} ORDER BY t.sort DESC, t.line DESC LIMIT ?",
        f"SELECT count(*) FROM {table} WHERE {clause}",
        params,
        limit,
    )
    ids = [row_id for (row_id,) in rows]
    return json_ids(ids), total


def actions(
    conn: sqlite3.Connection,
    *,
    owner: str | None = None,
    status: str | None = None,
    teams: list[str] | None = None,
    limit: int | None = None,
) -> Page:
    """Action items across meetings, each debt once, where it was first written.

    ``status`` is "open" or "closed" (done or dropped). Entries that only
    re-list an open action are folded into it as ``last_listed``; the entry
    that reported it done or dropped is its ``closed_by``, not a row of its own.
    """
    params: list[Any] = []
    if owner:
        # An owner's debts, open or not, are one range of their own narrow index.
        where, key = ["t.listed", "t.owner = ?"], "t.action_id"
        params.append(owner.lstrip("@").lower())
        table = "action_owners t INDEXED BY action_owners_listed"
        if status is not None:
            where.append("t.open = ?")
            params.append(status == "open")
    else:
        where, key, table = [LISTED], "t.rowid", "actions t"
        if teams is None and status == "open":
            # The terms of the partial index's own WHERE, as it states them: SQLite then
            # knows the index holds every row asked for.
            where.append(IS_OPEN)
            table = "actions t INDEXED BY actions_open"
        else:
            if teams is None:
                table = "actions t INDEXED BY actions_listed"
            if status is not None:
                where.append(f"{IS_OPEN} = ?")
                params.append(status == "open")
    if teams is not None:
        where.append(f"t.file_id IN (SELECT id FROM files WHERE {team_in(teams, params)})")
    ids, total = _latest(conn, table, where, params, limit, key)
    rows = conn.execute(
        f"SELECT {ACTION_COLUMNS}, a.last_listed FROM actions a JOIN files f "
        f"ON f.id = a.file_id WHERE a.id IN (SELECT value FROM json_each(?)) "
        f"ORDER BY a.sort, a.line",
        (ids,),
    )
    return Page(
        ({**action_dict(row[:-1]), "last_listed": tracked_day(row[-1])} for row in rows), total
    )


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
        f"SELECT {ACTION_COLUMNS}, a.last_listed "
        "FROM actions a JOIN files f ON f.id = a.file_id "
        f"WHERE {LISTED} AND (f.source IN ({marks}) "
        f"OR a.closed_source IN ({marks}) OR a.id IN (SELECT r.repeat_of FROM actions r "
        f"JOIN files rf ON rf.id = r.file_id WHERE rf.source IN ({marks}))) "
        f"ORDER BY {ORDER}, a.line",
        [*sources, *sources, *sources],
    ).fetchall()
    return [{**action_dict(row[:-1]), "last_listed": tracked_day(row[-1])} for row in rows]


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
            "SELECT source, team, day, title, error FROM files "
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
    limit: int | None = None,
) -> Page:
    """Decisions across meetings, ``since``/``until`` ISO dates, both included (and so
    only meetings with a date); none of an agenda of a meeting still to come."""
    where: list[str] = ["t.file_id NOT IN (SELECT id FROM files WHERE agenda)"]
    params: list[Any] = []
    if teams is not None:
        where.append(f"t.file_id IN (SELECT id FROM files WHERE {team_in(teams, params)})")
    if since:
        where.append("t.sort >= ?")
        params.append(f"0{since}")
    if until and until < date.max.isoformat():
        day_after = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
        where.append("t.sort < ?")
        params.append(f"0{day_after}")
    elif since or until:
        where.append("t.sort < '1'")  # dated (until the last day there is: no day after it)
    ids, total = _latest(conn, "decisions t", where, params, limit)
    return Page(
        (
            {
                "source": source,
                "date": date_,
                "team": team_,
                "line": line,
                "text": text,
                "item": item,
            }
            for source, date_, team_, line, text, item in conn.execute(
                "SELECT f.source, f.day, f.team, d.line, d.text, d.item FROM decisions d "
                "JOIN files f ON f.id = d.file_id WHERE d.rowid IN "
                "(SELECT value FROM json_each(?)) ORDER BY d.sort, d.line",
                (ids,),
            )
        ),
        total,
    )


def indexed_teams(conn: sqlite3.Connection) -> list[str]:
    """The teams that have minutes in the index, sorted (a team stored as no text is
    damage: no file to name, so the index is rebuilt)."""
    teams = [
        team
        for (team,) in conn.execute(
            "SELECT DISTINCT team FROM files WHERE team IS NOT NULL ORDER BY team"
        )
    ]
    if not all(isinstance(team, str) for team in teams):
        raise StoredTextDamaged("a team is stored as no text")
    return teams


def team_in(teams: list[str], params: list[Any]) -> str:
    """The condition "the team is one of ``teams``" on ``files``, its values added to
    ``params``."""
    params.extend(teams)
    return f"team IN ({', '.join('?' * len(teams))})"
