"""A file's rows in the index: stored, and removed (when it changed, went, or was found
damaged).

A file's items, refs, actions and the rest hang off its ``files`` row; its
actions and search chunks get ids from the file's id (``id * CHUNK_SPAN + n``),
so that they are written in bulk and a file's chunks are removed by a rowid
range (FTS5 has no index on other columns).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from minutesbot.archive.digest import digests
from minutesbot.archive.store import CHUNK_SPAN, order_key, rollback

if TYPE_CHECKING:
    from minutesbot.archive.parsing import Parsed


def delete_file(conn: sqlite3.Connection, file_id: int) -> None:
    """Remove one file's row and its rows of every table."""
    for table in ("items", "refs", "actions", "action_owners", "reviewed", "decisions"):
        conn.execute(f"DELETE FROM {table} WHERE file_id = ?", (file_id,))
    conn.execute(
        "DELETE FROM chunks WHERE rowid BETWEEN ? AND ?",
        (file_id * CHUNK_SPAN, (file_id + 1) * CHUNK_SPAN - 1),
    )
    conn.execute("DELETE FROM files WHERE id = ?", (file_id,))


def forget(conn: sqlite3.Connection, sources: list[str]) -> None:
    """Drop what the index holds of ``sources``, and its last look at the disk, so that
    the next refresh reads them again (rows found damaged, see :mod:`digest`)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for (file_id,) in conn.execute(
            "SELECT id FROM files WHERE source IN (SELECT value FROM json_each(?))",
            (json.dumps(sources),),
        ).fetchall():
            delete_file(conn, file_id)
        conn.execute("DELETE FROM meta WHERE key NOT IN ('settings', 'pending-teams')")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def insert_file(conn: sqlite3.Connection, p: Parsed, file_id: int | None = None) -> None:
    """Store one parsed file: its row (with the digests of all it stores) and its rows of
    every table; under ``file_id`` (a row just deleted), or a new id."""
    from minutesbot.records.dates import held_on  # its patterns: not on a query's path

    day = held_on(p.date, p.source)
    sort = order_key(day, p.source)
    own = (p.source, p.team, p.date, sort, p.title, p.error, day)
    digest = digests(
        own,
        {
            "record": [(p.record,)],
            "items": p.items,
            "refs": p.refs,
            "actions": p.actions,
            "reviewed": p.reviewed,
            "decisions": p.decisions,
            "chunks": p.chunks,
        },
    )
    cur = conn.execute(
        "INSERT INTO files(id, source, team, date, sort, title, error, day, mtime_ns, size, "
        "ctime_ns, sha, record, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (file_id, *own, *p.stat, p.sha, p.record, digest),
    )
    file_id = cur.lastrowid
    assert file_id is not None
    conn.executemany(
        "INSERT INTO items(file_id, title, path, line, end_line, review) VALUES (?, ?, ?, ?, ?, ?)",
        [(file_id, *row) for row in p.items],
    )
    conn.executemany(
        "INSERT INTO refs(file_id, ref, kind, url, line, sort) VALUES (?, ?, ?, ?, ?, ?)",
        [(file_id, *row, sort) for row in p.refs],
    )
    # Action ids are derived from the file id, so owners can be inserted in bulk too.
    base = file_id * CHUNK_SPAN
    conn.executemany(
        "INSERT INTO actions(id, file_id, line, owners, text, status, item, not_action, sort) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(base + n, file_id, *row, sort) for n, row in enumerate(p.actions)],
    )
    conn.executemany(
        "INSERT INTO reviewed(file_id, label_line, line, owners, text, status, item) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(file_id, *row) for row in p.reviewed],
    )
    conn.executemany(
        "INSERT INTO action_owners(action_id, owner, file_id, sort, line) VALUES (?, ?, ?, ?, ?)",
        [
            (base + n, owner, file_id, sort, row[0])
            for n, row in enumerate(p.actions)
            for owner in json.loads(row[1])
        ],
    )
    conn.executemany(
        "INSERT INTO decisions(file_id, text, item, line, sort) VALUES (?, ?, ?, ?, ?)",
        [(file_id, *row, sort) for row in p.decisions],
    )
    conn.executemany(
        "INSERT INTO chunks(rowid, body, title, line) VALUES (?, ?, ?, ?)",
        [(base + n, *row) for n, row in enumerate(p.chunks)],
    )
