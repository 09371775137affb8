"""The action states in the index: what :mod:`minutesbot.records.tracking` decides, stored.

After a refresh changed a team's files, or on a day when one of its files
stopped (or started) being an agenda, the team's states are computed again
from its stored rows (actions and review entries; who was present, where
the agenda rule asks) and written to the actions table: ``closed_*``,
``repeat_of``, ``last_listed``, ``closer``, and ``held`` (no entry of an
agenda of a meeting still to come counts as history); and, for the owners'
index, whether each action is listed and open.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from minutesbot.archive.store import IS_OPEN, LISTED, StoredTextDamaged
from minutesbot.config import Config
from minutesbot.records.dates import held_on
from minutesbot.records.record import Action, Record, Review

if TYPE_CHECKING:
    from minutesbot.archive.parsing import Parsed


def agendas_changed(conn: sqlite3.Connection, today: date) -> set[str | None]:
    """The teams with a file that is an agenda as of ``today`` and not marked so, or the
    reverse (a meeting whose day came)."""
    now = {
        (team, source)
        for team, source, stored in conn.execute(
            "SELECT team, source, record FROM files WHERE day >= ? AND record IS NOT NULL",
            (today.isoformat(),),
        )
        if _stored_record(source, stored).still_an_agenda(today)
    }
    marked = set(conn.execute("SELECT team, source FROM files WHERE agenda"))
    return {team for team, _source in now ^ marked}


def update_tracking(
    conn: sqlite3.Connection, teams: set[str | None], config: Config, today: date
) -> None:
    """Store the action states of the teams given, as :mod:`minutesbot.records.tracking`
    computes them from the stored records of the meetings held by ``today``.

    Besides ``closed_*`` on the closed action, ``repeat_of`` on an open
    re-listing and ``last_listed`` on the first writing, the closing entry is
    marked ``closer``: it reports on a debt listed where it was first written,
    so lists of actions leave it out. Files that are still agendas are marked
    ``agenda`` and their actions not ``held``: their entries are no history (an
    agenda ``new`` wrote re-lists the open actions, and must not count as their
    latest listing).
    """
    from minutesbot.records.tracking import team_states

    for team in teams:
        records, ids, agendas = _team_records(conn, team, today)
        conn.execute(
            "UPDATE files SET agenda = (source IN (SELECT value FROM json_each(?))) "
            "WHERE team IS ?",
            (json.dumps(sorted(agendas)), team),
        )
        conn.execute(
            "UPDATE actions SET held = NOT (SELECT agenda FROM files WHERE id = file_id) "
            "WHERE file_id IN (SELECT id FROM files WHERE team IS ?)",
            (team,),
        )
        conn.execute(
            "UPDATE actions SET closed_source = NULL, closed_date = NULL, "
            "closed_line = NULL, closed_status = NULL, repeat_of = NULL, closer = 0, "
            "last_listed = NULL "
            "WHERE (closed_source IS NOT NULL OR repeat_of IS NOT NULL OR closer "
            "OR last_listed IS NOT NULL) "
            "AND file_id IN (SELECT id FROM files WHERE team IS ?)",
            (team,),
        )
        tracked = team_states(records, config, team, today)
        place = {(t.source, t.action.line): ids[t.source, t.action.line] for t in tracked}
        conn.executemany(
            "UPDATE actions SET closed_source = ?, closed_date = ?, closed_line = ?, "
            "closed_status = ?, repeat_of = ?, last_listed = ? WHERE id = ?",
            [
                (
                    t.closed_by.source if t.closed_by else None,
                    t.closed_by.date if t.closed_by else None,
                    t.closed_by.line if t.closed_by else None,
                    t.closed_by.status if t.closed_by else None,
                    place[t.repeat_of.source, t.repeat_of.action.line] if t.repeat_of else None,
                    t.last_listed,
                    place[t.source, t.action.line],
                )
                for t in tracked
                if t.closed_by or t.repeat_of or t.last_listed
            ],
        )
        closers = {(c.source, c.line) for t in tracked if (c := t.closed_by)}
        conn.executemany(
            "UPDATE actions SET closer = 1 WHERE id = ?",
            [(ids[c],) for c in closers if c in ids],
        )
        conn.execute(
            f"UPDATE action_owners SET (listed, open) = (SELECT {LISTED}, {IS_OPEN} "
            "FROM actions WHERE actions.id = action_id) "
            "WHERE file_id IN (SELECT id FROM files WHERE team IS ?)",
            (team,),
        )


# What tracking decided for one action (see update_tracking): read, and written back.
_STATE = (
    "closed_source",
    "closed_date",
    "closed_line",
    "closed_status",
    "repeat_of",
    "closer",
    "last_listed",
    "held",
)
_READ_STATE = ", ".join(_STATE)
_WRITE_STATE = ", ".join(f"{column} = ?" for column in _STATE)


def kept_states(
    conn: sqlite3.Connection, file_id: int, parsed: Parsed, today: date
) -> tuple[list[tuple], list[tuple]] | None:
    """The stored states of the actions of a changed file (its row ``file_id``), when its new
    version (``parsed``) gives tracking all the old one gave: else None.

    Most edits of past minutes touch their notes, not their actions: then the
    team's states stand as they are, and re-tracking a big team (tens of
    milliseconds) would find them again. Tracking reads of a file its team, its
    meeting's day, its actions and its review entries (lines included), and, of a
    meeting not yet held, who came: so the meeting must be held before ``today``,
    and the file parsed without error, before and after. The file keeps its id (see
    :func:`restore_states`), so that other files' rows pointing at its actions
    still point at them.
    """
    day = held_on(parsed.date, parsed.source)
    if parsed.error is not None or day is None or day >= today.isoformat():
        return None
    if conn.execute(
        # Not marked an agenda either: a meeting held since its last tracking is tracked again.
        "SELECT team IS ? AND date = ? AND record IS NOT NULL AND NOT agenda FROM files "
        "WHERE id = ?",
        (parsed.team, parsed.date, file_id),
    ).fetchone() != (1,):
        return None
    rows = conn.execute(
        f"SELECT line, owners, text, status, item, not_action, {_READ_STATE}, id FROM actions "
        "WHERE file_id = ? ORDER BY id",
        (file_id,),
    ).fetchall()
    if [row[:6] for row in rows] != [tuple(a) for a in parsed.actions]:
        return None
    reviewed = conn.execute(
        "SELECT label_line, line, owners, text, status, item FROM reviewed "
        "WHERE file_id = ? ORDER BY rowid",
        (file_id,),
    ).fetchall()
    if reviewed != [tuple(r) for r in parsed.reviewed]:
        return None
    owners = conn.execute(
        "SELECT listed, open, action_id, owner FROM action_owners WHERE file_id = ?",
        (file_id,),
    ).fetchall()
    return [row[6:] for row in rows], owners


def restore_states(conn: sqlite3.Connection, kept: tuple[list[tuple], list[tuple]]) -> None:
    """Write back :func:`kept_states` onto the file's rows, stored again under the same id."""
    states, owners = kept
    conn.executemany(f"UPDATE actions SET {_WRITE_STATE} WHERE id = ?", states)
    conn.executemany(
        "UPDATE action_owners SET listed = ?, open = ? WHERE action_id = ? AND owner = ?", owners
    )


def _team_records(
    conn: sqlite3.Connection, team: str | None, today: date
) -> tuple[list[Record], dict[tuple[str, int], int], set[str]]:
    """The team's dated records as far as tracking needs them (actions, review; who was
    present where the agenda rule asks), action ids by place, and its agendas' sources."""
    from minutesbot.records.record import Record

    records: dict[int, Record] = {}
    agendas = set()
    for file_id, source, day, stored in conn.execute(
        "SELECT id, source, day, CASE WHEN day >= ? THEN record END FROM files "
        "WHERE team IS ? AND day IS NOT NULL AND record IS NOT NULL",
        (today.isoformat(), team),
    ):
        record = Record(source, team, day, title=None)
        if stored is not None:  # held today or later: an agenda unless someone was there
            record.participants = _stored_record(source, stored).participants
            if record.still_an_agenda(today):
                agendas.add(source)
        records[file_id] = record
    ids: dict[tuple[str, int], int] = {}
    # Actions (an id each) and review entries (the label's line instead), in one pass.
    for table, key in (("actions", "id"), ("reviewed", "label_line")):
        for file_id, value, line, owners, text, status, item in conn.execute(
            f"SELECT t.file_id, t.{key}, t.line, t.owners, t.text, t.status, t.item "
            f"FROM {table} t JOIN files f ON f.id = t.file_id WHERE f.team IS ? ORDER BY t.rowid",
            (team,),
        ):
            record = records.get(file_id)
            if record is None:
                continue
            if not all(isinstance(v, str) for v in (text, status)) or not (
                item is None or isinstance(item, str)
            ):
                raise StoredTextDamaged(f"an action of {record.source} is stored as no text")
            entry = Action(_stored_owners(record.source, owners), text, status, item, line)
            if table == "actions":
                record.actions.append(entry)
                ids[record.source, line] = value
            else:
                record.review = record.review or Review(value)
                record.review.entries.append(entry)
    return sorted(records.values(), key=lambda r: (r.date or "", r.source)), ids, agendas


def _stored_record(source: str, stored: str) -> Record:
    """The record the index stored for ``source``; :class:`StoredTextDamaged` where it is
    no longer one."""
    try:
        record = Record.from_dict(json.loads(stored))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise StoredTextDamaged(f"the stored record of {source} does not read ({exc!r})") from None
    if record.source != source:
        raise StoredTextDamaged(f"the stored record of {source} names {record.source}")
    return record


def _stored_owners(source: str, stored: str) -> list[str]:
    """An action's owners as the index stored them; :class:`StoredTextDamaged` where they no
    longer read as a list of names."""
    try:
        owners = json.loads(stored)
    except (TypeError, ValueError):
        owners = None
    if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
        raise StoredTextDamaged(f"the stored owners of an action of {source} do not read")
    return owners
