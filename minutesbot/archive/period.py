"""Questions about a period: its meetings, their action entries, refs and records.

What ``digest`` and ``stats`` ask of the index, beside the questions of
:mod:`minutesbot.archive.query` (whose result shapes and ordering they share):
each takes a :class:`Period`: the meetings of some teams between two dates.
A meeting's date is the day it counts as held on, as everywhere in the
index (see :mod:`minutesbot.archive.query`): a title mistyped by years does
not put a meeting in another period.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from minutesbot.archive.query import ACTION_COLUMNS, ORDER, action_dict, team_in
from minutesbot.archive.store import StoredTextDamaged


@dataclass(frozen=True)
class Scope:
    """Which meetings a question is about, as it is asked: of ``team`` (any case, see
    :meth:`minutesbot.archive.Archive.team_names`; None: of every team), held
    ``since``..``until`` (ISO dates, both included; None: no bound); with ``agendas``,
    the agendas of meetings still to come too (``new`` reads them, a digest does not)."""

    team: str | None = None
    since: str | None = None
    until: str | None = None
    agendas: bool = False


EVERY = Scope()


@dataclass(frozen=True)
class Period:
    """The meetings of ``teams`` (None: of any team) held ``since``..``until`` (ISO dates,
    both included; None: no bound)."""

    teams: list[str] | None = None
    since: str | None = None
    until: str | None = None
    agendas: bool = False

    def select(self, where: list[str], params: list[Any], column: str = "f.day") -> None:
        """Add the conditions "a meeting of the period" on ``files f`` to ``where`` and
        ``params``, the day taken from ``column``. A bound leaves out files without a date;
        an agenda of a meeting still to come (``new`` writes them) is no meeting yet,
        unless asked for (``agendas``)."""
        if not self.agendas:
            where.append("NOT f.agenda")
        if self.teams is not None:
            where.append(f"f.{team_in(self.teams, params)}")
        if self.since:
            where.append(f"{column} >= ?")
            params.append(self.since)
        if self.until:
            where.append(f"{column} <= ?")
            params.append(self.until)


def meetings(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """The dated meetings of the period the index could read (a file the parser failed on
    has no day: an error beside a day is damage, which the answer's check then finds)."""
    where, params = ["f.day IS NOT NULL"], []
    period.select(where, params)
    return [
        {"source": source, "date": date, "team": team, "line": 1, "title": title}
        for source, date, team, title in conn.execute(
            f"SELECT f.source, f.day, f.team, f.title FROM files f "
            f"WHERE {' AND '.join(where)} ORDER BY {ORDER}",
            params,
        )
    ]


def last_meetings(conn: sqlite3.Connection, before: str) -> dict[str, str]:
    """Each team's latest meeting before the ISO date ``before``."""
    return dict(
        conn.execute(
            "SELECT team, MAX(day) FROM files WHERE team IS NOT NULL AND day < ? AND NOT agenda "
            "AND error IS NULL GROUP BY team",
            (before,),
        )
    )


def action_entries(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """Every action entry written in the meetings of the period, each with its ``kind``.

    ``opened``: a new action written open (``closed_by`` says if a later
    meeting closed it); ``relisted``: an earlier action written again, still
    open (``first_date`` is where it was first written); ``closed``: an entry
    written done or dropped, reporting on earlier actions (``closes``: the
    date of the earliest of them) or on itself. Every entry is one of the three.
    """
    where, params = ["f.day IS NOT NULL"], []  # an undated file is no meeting of any period
    period.select(where, params)
    clause = " AND ".join(where)
    rows = conn.execute(
        f"SELECT {ACTION_COLUMNS}, (SELECT rf.day FROM actions r JOIN files rf "
        f"ON rf.id = r.file_id WHERE r.id = a.repeat_of) FROM actions a "
        f"JOIN files f ON f.id = a.file_id WHERE {clause} ORDER BY {ORDER}, a.line",
        params,
    ).fetchall()
    closing: dict[tuple[str, int], str] = {}
    if any(row[6] != "open" for row in rows):
        where, params = ["a.closed_source IS NOT NULL"], []
        period.select(where, params, column="a.closed_date")
        closing = {
            (source, line): date
            for source, line, date in conn.execute(
                f"SELECT a.closed_source, a.closed_line, MIN(f.day) FROM actions a "
                f"JOIN files f ON f.id = a.file_id WHERE {' AND '.join(where)} "
                f"GROUP BY a.closed_source, a.closed_line",
                params,
            )
        }
    entries = []
    for row in rows:
        entry = action_dict(row[:-1])
        first = row[-1]
        if entry["written_status"] != "open":
            entry.update(kind="closed", closes=closing.get((entry["source"], entry["line"])))
        elif first is not None:
            entry.update(kind="relisted", first_date=first)
        else:
            entry["kind"] = "opened"
        entries.append(entry)
    return entries


def refs_in(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """Each issue, pull request or discussion the period's meetings mention, once per
    meeting, at its first line there."""
    where, params = [], []
    period.select(where, params)
    clause = " AND ".join(where) or "1"
    return [
        {
            "source": source,
            "date": date,
            "team": team,
            "line": line,
            "ref": ref,
            "kind": kind,
            "url": url,
        }
        for source, date, team, ref, kind, url, line in conn.execute(
            f"SELECT f.source, f.day, f.team, r.ref, r.kind, r.url, MIN(r.line) "
            f"FROM refs r JOIN files f ON f.id = r.file_id WHERE {clause} "
            f"GROUP BY f.id, r.ref ORDER BY {ORDER}, MIN(r.line)",
            params,
        )
    ]


def records(conn: sqlite3.Connection, period: Period) -> Iterator[dict[str, Any]]:
    """The stored record (the spec's JSON form, dated as written) of each dated meeting of
    the period."""
    where, params = ["f.day IS NOT NULL"], []  # a file the parser failed on has no day
    period.select(where, params)
    for source, record in conn.execute(
        f"SELECT f.source, f.record FROM files f WHERE {' AND '.join(where)} ORDER BY {ORDER}",
        params,
    ):
        if not isinstance(source, str):  # no file to name: rebuilt
            raise StoredTextDamaged("a file's source is stored as no text")
        try:
            found = json.loads(record)
        except (TypeError, ValueError):  # no record (NULL), or no JSON
            found = None
        # A record that is not its file's (damage) stands for its file: the answer names
        # the file, whose rows the digests then show damaged.
        yield (
            found
            if isinstance(found, dict) and found.get("source") == source
            else {"source": source}
        )
