"""A digest of each file's rows, checked whenever an answer comes from them.

SQLite notices damage to its pages' structure, not to what they hold: bytes
overwritten inside a row leave a valid page with other text, and the index
would answer with it, for good. So each file's row carries digests of what
was stored for it -- its own columns, its stored record, its items, refs,
actions (as written, before tracking), decisions and search chunks -- and the
files an answer comes from are checked against them before the answer is
given (:meth:`minutesbot.archive.Archive._ask`). A file that fails is read
again from disk.

The check reads only the rows of the files in the answer, and of them only
the tables the question reads (a list of actions: the actions), so that it
costs a fraction of the question; where the question read a table's rows of
its files whole (``history``: the refs, items and decisions of the meetings
on its page), those rows are checked as read, and every file they are of.
Search chunks have a digest each: a page of search hits checks the chunks
it read, not every chunk of its files (100 chunks, not 2,800, for a frequent
word at 50,000 files).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from minutesbot.archive.store import CHUNK_SPAN

try:  # CPython's own BLAKE2: importing hashlib loads OpenSSL, 2 ms of every query
    from _blake2 import blake2b
except ImportError:  # an interpreter without it
    from hashlib import blake2b

# What each part of a file's digest covers: its columns, table and order of storing.
_OWN = "source, team, date, sort, title, error, day"
PARTS = {
    "record": ("record", "files", "id"),
    "items": ("title, path, line, end_line, review", "items", "rowid"),
    "refs": ("ref, kind, url, line", "refs", "rowid"),
    "actions": ("line, owners, text, status, item, not_action", "actions", "id"),
    "reviewed": ("label_line, line, owners, text, status, item", "reviewed", "rowid"),
    "decisions": ("text, item, line", "decisions", "rowid"),
    "chunks": ("body, title, line", "chunks", "rowid"),
}
ALL = tuple(PARTS)


def digests(own: Sequence[Any], parts: dict[str, Iterable[Sequence[Any]]]) -> str:
    """The digests of a file's own columns (:data:`_OWN`) and of each of its ``parts`` (the
    rows of :data:`PARTS`), as the one text stored with it."""
    return json.dumps({"own": _digest([own]), **{k: _of_part(k, v) for k, v in parts.items()}})


def _of_part(part: str, rows: Iterable[Sequence[Any]]) -> str | list[str]:
    """A part's digest: of all its rows, or for the chunks, of each chunk."""
    return [_digest([row]) for row in rows] if part == "chunks" else _digest(rows)


def blake(data: bytes, size: int) -> str:
    """BLAKE2b of ``data`` in ``size`` bytes, as hex: the index's one hash (file contents,
    row digests)."""
    return blake2b(data, digest_size=size).hexdigest()


def _digest(rows: Iterable[Sequence[Any]]) -> str:
    """The digest of ``rows`` (tuples or lists of text, integers and None).

    Written as Python writes the list of tuples: the same rows, as stored and
    as read back, give the same text (``repr`` escapes what UTF-8 cannot hold),
    in two thirds of the time JSON takes (a cold index digests every row it
    stores), and a value SQLite hands back as another type (a blob) differs.
    """
    text = repr([tuple(row) for row in rows])
    return blake(text.encode("utf-8"), 12)


def damaged(
    conn: sqlite3.Connection,
    sources: Iterable[str],
    parts: Sequence[str] = ALL,
    chunks: dict[int, Sequence[Any]] | None = None,
    read: dict[str, dict[int, list[tuple[Any, ...]]]] | None = None,
) -> list[str]:
    """The sources among ``sources`` whose own columns, or rows of ``parts``, no longer match
    their digests. One query a part, for all the files at once. ``chunks``: search chunks
    the question read (rowid: body, title, line), each checked against its own digest.

    ``read``: rows the question read whole (by part, then file id, as :func:`rows_of`
    gives them). Each file they are of is checked too, whether or not the answer names
    it: a row whose damage made the question pass the file by (a ref that no longer
    reads as the one asked for) must not leave it out unseen. A part read for every file
    checked is not read again.
    """
    known = read or {}
    read_ids = sorted({file_id for rows in known.values() for file_id in rows})
    files = conn.execute(
        f"SELECT id, {_OWN}, digest FROM files WHERE source IN (SELECT value FROM json_each(?)) "
        "OR id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(sources))), json.dumps(read_ids)),
    ).fetchall()
    wanted = [row[0] for row in files]
    ids = json.dumps(wanted)
    rows = {
        part: known[part]
        if part in known and all(file_id in known[part] for file_id in wanted)
        else rows_of(conn, part, ids)
        for part in parts
    }
    chunks_read = _by_file(chunks or {})
    bad = []
    for file_id, *own, stored in files:
        try:
            expected = json.loads(stored)
        except ValueError:
            expected = None
        if (
            not isinstance(expected, dict)
            or expected.get("own") != _digest([own])
            or any(expected.get(p) != _of_part(p, rows[p].get(file_id, [])) for p in parts)
            or not _chunks_match(expected.get("chunks"), chunks_read.get(file_id, {}))
        ):
            bad.append(own[0])
    return bad


def _by_file(chunks: dict[int, Sequence[Any]]) -> dict[int, dict[int, Sequence[Any]]]:
    """Chunks by file id, then by their number in the file."""
    found: dict[int, dict[int, Sequence[Any]]] = {}
    for rowid, row in chunks.items():
        file_id, n = divmod(rowid, CHUNK_SPAN)
        found.setdefault(file_id, {})[n] = row
    return found


def _chunks_match(expected: Any, read: dict[int, Sequence[Any]]) -> bool:
    if not read:
        return True
    if not isinstance(expected, list):
        return False
    return all(n < len(expected) and expected[n] == _digest([row]) for n, row in read.items())


def rows_of(conn: sqlite3.Connection, part: str, ids: str) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of ``part`` of the files ``ids`` (a JSON list), by file, in stored order
    (a file without any has an empty list)."""
    columns, table, order = PARTS[part]
    if table == "chunks":
        # A file's chunks are numbered from id * span. FTS5 narrows a scan to a rowid range
        # only when both bounds are known before the scan: joined to json_each, it read the
        # whole table for each file (3 s for a page of search hits at 50,000 files).
        return {
            file_id: conn.execute(
                f"SELECT {columns} FROM chunks WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                (file_id * CHUNK_SPAN, (file_id + 1) * CHUNK_SPAN - 1),
            ).fetchall()
            for file_id in json.loads(ids)
        }
    owner = "id" if table == "files" else "file_id"
    rows = conn.execute(
        f"SELECT {owner}, {columns} FROM {table} "
        f"WHERE {owner} IN (SELECT value FROM json_each(?)) ORDER BY {owner}, {order}",
        (ids,),
    )
    found: dict[int, list[tuple[Any, ...]]] = {file_id: [] for file_id in json.loads(ids)}
    for file_id, same in groupby(rows, itemgetter(0)):
        found[file_id] = [row[1:] for row in same]
    return found


def sources_in(answer: Any) -> set[str]:
    """Every file an answer's rows come from: each ``source`` it names (a page of results,
    a dict of lists, a record), but for the meeting that closed an action (``closed_by``):
    where that is was stored with the action, so the answer holds nothing read from it."""
    found: set[str] = set()
    stack = [answer]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            source = value.get("source")
            if isinstance(source, str):
                found.add(source)
            stack.extend(
                v for k, v in value.items() if k != "closed_by" and isinstance(v, (dict, list))
            )
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, (dict, list)))
    return found
