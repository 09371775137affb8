"""Where the index lives, its schema, and opening it safely.

The index is a cache: everything in it can be rebuilt from the minutes. So
an index of another schema version, or a file SQLite cannot read, is
rebuilt (with a warning) rather than reported as an error: here when that
shows at opening, by the archive (see :func:`is_corrupt`) when damage shows
later, in a refresh or a query. Writers take the
database's write lock with ``BEGIN IMMEDIATE`` and wait for each other
(``busy_timeout``); WAL mode lets readers go on meanwhile.
"""

from __future__ import annotations

import os
import sqlite3
import time
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

INDEX_DIR = ".minutesbot"
INDEX_FILE = "index.sqlite"
# A refresh of a big archive holds the write lock for a while; a second
# process should wait for it, not fail.
BUSY_TIMEOUT_MS = 600_000
CACHE_KB = 64 * 1024
# Search chunks of a file get rowids file_id * CHUNK_SPAN + n, so a file's
# chunks are deleted by rowid range (FTS5 has no index on other columns).
CHUNK_SPAN = 1 << 20

# An action listed on its own: neither a re-listing of an earlier one nor the entry that
# reported an earlier one closed, nor an entry that is no task, nor one of an agenda of a
# meeting still to come (see archive.build.update_tracking).
LISTED = "repeat_of IS NULL AND NOT closer AND not_action IS NULL AND held"
# Whether an action is open now: as written, unless a later meeting closed it.
IS_OPEN = "(COALESCE(closed_status, status) = 'open')"


def order_key(date: str | None, source: str) -> str:
    """Where a file's rows go in every list: meetings by the day they count as held on
    (an ISO date, so of one length), then files without a date, each by source. Stored
    with every row, so a page of the latest rows is read from an index, without a join."""
    return f"0{date}{source}" if date else f"1{source}"


# A file whose team is not its folder (records.files.team_of): one its front matter names.
NAMED = (
    "team IS NOT (CASE WHEN instr(source, '/') > 0 "
    "THEN substr(source, 1, instr(source, '/') - 1) END)"
)

_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE files(
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        sha TEXT NOT NULL,
        team TEXT,
        date TEXT,
        sort TEXT NOT NULL,
        title TEXT,
        error TEXT,
        -- The day the meeting counts as held on (records.dates.held_on): the title's
        -- date, or the file name's where they are far apart. Tracking goes by it.
        day TEXT,
        agenda INTEGER NOT NULL DEFAULT 0,
        -- JSON: the digest of each part (see digest.PARTS), of its rows as repr writes
        -- them; of the chunks, one per chunk.
        digest TEXT NOT NULL,
        -- Last: a column after it would be read past the record's overflow pages.
        record TEXT)""",
    "CREATE INDEX files_team ON files(team)",
    "CREATE INDEX files_day ON files(day)",  # the agendas still to come: day >= today
    # The agendas marked (a few): what questions about meetings held leave out.
    "CREATE INDEX files_agenda ON files(id) WHERE agenda",
    # The files whose team their front matter names (a few): read again when the teams do.
    f"CREATE INDEX files_named ON files(id) WHERE {NAMED}",
    # review: the item's heading opens a look back at earlier actions (the parser's word).
    """CREATE TABLE items(
        file_id INTEGER NOT NULL, title TEXT NOT NULL, path TEXT NOT NULL,
        line INTEGER NOT NULL, end_line INTEGER NOT NULL, review INTEGER NOT NULL)""",
    "CREATE INDEX items_file ON items(file_id, line)",
    """CREATE TABLE refs(
        file_id INTEGER NOT NULL, ref TEXT NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL,
        line INTEGER NOT NULL, sort TEXT NOT NULL)""",
    # A ref's latest meetings are the end of its range here, however often it was mentioned.
    "CREATE INDEX refs_ref ON refs(ref, sort, file_id)",
    "CREATE INDEX refs_file ON refs(file_id)",
    """CREATE TABLE actions(
        id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, line INTEGER NOT NULL,
        owners TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, item TEXT,
        closed_source TEXT, closed_date TEXT, closed_line INTEGER, closed_status TEXT,
        repeat_of INTEGER, closer INTEGER NOT NULL DEFAULT 0, sort TEXT NOT NULL,
        last_listed TEXT, not_action TEXT, held INTEGER NOT NULL DEFAULT 1)""",
    "CREATE INDEX actions_file ON actions(file_id)",
    # The entries that re-list an action. Partial: most actions re-list none, and a full
    # index would tempt SQLite to look up "repeat_of IS NULL" in it.
    "CREATE INDEX actions_repeat ON actions(repeat_of) WHERE repeat_of IS NOT NULL",
    # The debts as lists show them, in their order, each with its state now: a page is read
    # from the latest end of this index (an owner's: action_owners_listed).
    f"CREATE INDEX actions_listed ON actions(sort, line, {IS_OPEN}) WHERE {LISTED}",
    # The open ones alone (a few, in an old archive): their page and count. At 50,000 files
    # a count of them in actions_listed took 5 ms, here 0.03. (A narrow index to count all
    # of them would save 2-6 ms more, but cost tracking a fifth more: each state it writes
    # moves an entry of every such index.)
    f"CREATE INDEX actions_open ON actions(sort, line) WHERE {LISTED} AND {IS_OPEN}",
    # The entries of a file's review of earlier actions (see Record.review).
    """CREATE TABLE reviewed(
        file_id INTEGER NOT NULL, label_line INTEGER NOT NULL, line INTEGER NOT NULL,
        owners TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, item TEXT)""",
    "CREATE INDEX reviewed_file ON reviewed(file_id)",
    # Each owner of each action, with the action's place and, once tracked, whether it is
    # listed and open (copied from actions by archive.states): an owner's page and count
    # are read from one range of action_owners_listed, however many actions they once had.
    """CREATE TABLE action_owners(
        action_id INTEGER NOT NULL, owner TEXT NOT NULL, file_id INTEGER NOT NULL,
        sort TEXT NOT NULL, line INTEGER NOT NULL,
        listed INTEGER NOT NULL DEFAULT 0, open INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX action_owners_listed ON action_owners(owner, open, sort, line) WHERE listed",
    "CREATE INDEX action_owners_file ON action_owners(file_id)",
    """CREATE TABLE decisions(
        file_id INTEGER NOT NULL, text TEXT NOT NULL, item TEXT, line INTEGER NOT NULL,
        sort TEXT NOT NULL)""",
    "CREATE INDEX decisions_file ON decisions(file_id)",
    "CREATE INDEX decisions_sort ON decisions(sort, line)",
    """CREATE VIRTUAL TABLE chunks USING fts5(
        body, title UNINDEXED, line UNINDEXED, tokenize='unicode61 remove_diacritics 2')""",
)


# The version an index is stamped with (PRAGMA user_version): derived from the schema's
# text, so any change of it, on any branch, makes an older index one to rebuild, and two
# minutesbots with different schemas never take each other's index for their own.
SCHEMA_VERSION = zlib.crc32("\n".join(_SCHEMA).encode("utf-8")) & 0x7FFFFFFF


class IndexError_(Exception):
    """The index cannot be opened, created or refreshed; the message names the path."""


def cache_home() -> Path:
    """The user's cache directory for minutesbot (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "minutesbot"


def index_path(root: Path) -> Path:
    """``<root>/.minutesbot/index.sqlite``, or a place in the cache when root is read-only.

    The folder gets a ``.gitignore`` of ``*`` (as pytest's cache does) so the
    index never ends up in a commit.
    """
    folder = root / INDEX_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(
                "# created by minutesbot: the index is a cache\n*\n", encoding="utf-8"
            )
        if os.access(folder, os.W_OK):
            return folder / INDEX_FILE
    except OSError:
        pass
    import hashlib  # only for the fallback

    digest = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    fallback = cache_home() / digest
    try:
        fallback.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexError_(
            f"{root}: read-only, and the cache folder {fallback} cannot be "
            f"created ({exc.strerror or exc})"
        ) from None
    return fallback / INDEX_FILE


def connect(path: Path, warn: Callable[[str], None]) -> sqlite3.Connection:
    """Open the index at ``path`` with the current schema, rebuilding it if needed."""
    try:
        return _open_with_retry(path, warn)
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise IndexError_(f"{path}: the index is locked by another process ({exc})") from None
        return recreate(path, warn, exc)
    except UnicodeDecodeError as exc:  # garbage in the schema's text, read at opening
        return recreate(path, warn, StoredTextDamaged(f"its schema does not read ({exc})"))


class StoredTextDamaged(sqlite3.DatabaseError):
    """A text the index stored that no longer reads as what was stored (JSON cut short, a
    record that is none): damage inside a row, which SQLite does not see. Read where no
    digest is checked first (tracking, at a refresh), it has the index rebuilt."""


def tracked_day(value: Any) -> str | None:
    """A day tracking stored (``closed_date``, ``last_listed``: ISO, or none). Tracking's
    columns carry no digest: one that is no day is damage, and has the index rebuilt
    (:class:`StoredTextDamaged`), where ``new`` failed on it on every run."""
    if value is None:
        return None
    try:
        date.fromisoformat(value)  # a C call: a page of 54,640 actions checks in 5 ms
    except (TypeError, ValueError):
        return _no_day(value)
    return value if len(value) == 10 else _no_day(value)


def _no_day(value: Any) -> str:
    raise StoredTextDamaged(f"a day tracking stored does not read ({value!r})")


def is_corrupt(exc: sqlite3.Error) -> bool:
    """Whether SQLite found the index damaged, as opposed to busy, full or unwritable.

    A file whose header is intact passes the checks at opening; SQLite finds
    a damaged page only when a statement reads it, in a refresh or a query.
    Garbage that still looks like a page can surface as text that is not
    UTF-8, which Python's sqlite3 reports without an error code: the index
    holds only text minutesbot wrote, so that is damage too.
    """
    if isinstance(exc, StoredTextDamaged):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return str(exc).startswith("Could not decode to UTF-8")
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def recreate(path: Path, warn: Callable[[str], None], exc: sqlite3.Error) -> sqlite3.Connection:
    """Replace the index SQLite cannot read (``exc`` says why) with an empty one, warning.

    The caller must have closed its own connection to it.
    """
    warn(f"{path}: the index is unreadable ({exc}); rebuilding it")
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as err:
            raise IndexError_(
                f"{path}: cannot remove the broken index ({err.strerror or err})"
            ) from None
    try:
        return _open_with_retry(path, warn)
    except sqlite3.Error as err:
        raise IndexError_(f"{path}: cannot create the index ({err})") from None


def _is_busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def _open_with_retry(path: Path, warn: Callable[[str], None]) -> sqlite3.Connection:
    """Open and set up, retrying while another process holds a lock.

    Switching a new file to WAL needs an exclusive lock, and SQLite reports
    some lock conflicts at once instead of calling the busy handler (to
    avoid deadlock); two processes creating the index together meet them.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.01
    while True:
        conn = None
        try:
            conn = _open(path)
            _ensure_schema(conn, path, warn)
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun and ended explicitly below.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    # Damaged pages are found when first read, before garbage cells are used.
    conn.execute("PRAGMA cell_size_check = ON")
    # A cold build of a big archive writes hundreds of MB; the default 2 MB page
    # cache would make every index insert a read. SQLite allocates it only as needed.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
    return conn


def _ensure_schema(conn: sqlite3.Connection, path: Path, warn: Callable[[str], None]) -> None:
    """Create the tables, or drop and recreate them when the schema version differs.

    Done in place under the write lock (no file deletion), so a second
    process that opened the same file meanwhile keeps a valid database.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            if _drop_all(conn):
                warn(
                    f"{path}: the index has schema version {version}, this minutesbot uses "
                    f"{SCHEMA_VERSION}; rebuilding it"
                )
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def rollback(conn: sqlite3.Connection) -> None:
    """Undo the transaction an error interrupted.

    SQLite may have ended it already, or may fail again on a damaged file: the
    error that got here is the one to report, not the rollback's.
    """
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _drop_all(conn: sqlite3.Connection) -> bool:
    """Drop every table (virtual ones first: they own shadow tables); whether any existed."""
    dropped = False
    for virtual_first in (True, False):
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND (sql LIKE 'CREATE VIRTUAL%') = ?",
            (virtual_first,),
        ).fetchall()
        for (name,) in rows:
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            dropped = True
    return dropped
