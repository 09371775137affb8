"""Bringing the index up to date with the minutes on disk.

A refresh compares what is on disk with what the index holds, cheapest test
first: when the fingerprint of all stats (see :class:`Scan`) is the one
stored, nothing changed; else, file by file, a file whose modification time
and size are unchanged is taken as unchanged (no read at all), and otherwise
its content hash decides. Only files added or changed are parsed, and files
removed are deleted from the index. A change of the configuration that
parsing depends on (see :func:`settings_fingerprint`) has every file parsed
again.

The parser (and with it markdown-it) is imported only when some file needs
parsing, so a query on a warm index starts fast. Many files (a cold build)
are parsed in worker processes, one per core, in chunks; the parent alone
writes to SQLite, in one transaction, while the workers go on parsing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutesbot.archive.store import CHUNK_SPAN, IndexError_, rollback
from minutesbot.config import Config
from minutesbot.records.files import is_hidden, is_minutes_name

if TYPE_CHECKING:
    from concurrent.futures import Future

    from minutesbot.records.record import Record

# Below this many files to parse, worker start-up costs more than it saves.
PARALLEL_MIN = 24
# Chunks in flight per worker: enough to keep workers busy, few enough to
# bound the memory of results waiting for the parent.
IN_FLIGHT_PER_WORKER = 4


@dataclass
class Parsed:
    """One file's rows for the index, as a worker computes them (plain data, cheap to pickle)."""

    source: str
    mtime_ns: int
    size: int
    sha: str
    team: str | None = None
    date: str | None = None
    title: str | None = None
    record: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    items: list[tuple[str, str, int, int]] = field(default_factory=list)
    refs: list[tuple[str, str, str, int]] = field(default_factory=list)
    actions: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)
    decisions: list[tuple[str, str | None, int]] = field(default_factory=list)
    chunks: list[tuple[str, str | None, int]] = field(default_factory=list)


@dataclass
class RefreshResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def parsed(self) -> int:
        return self.added + self.changed


@dataclass
class Scan:
    """The minutes files on disk: ``files`` maps source to (mtime_ns, size).

    ``fingerprint`` sums up the stats of every file and folder, so "nothing
    changed" is one comparison with the value the index stored, not a lookup
    per file (which on 50,000 files costs more than the stats themselves).
    An edit changes the file's mtime; adding, removing or renaming a file
    changes its folder's mtime (and the count).
    """

    files: dict[str, tuple[int, int]]
    fingerprint: str


def scan(root: Path) -> Scan:
    """Every minutes file below ``root``, with its stat.

    The selection of :mod:`minutesbot.records.files` (every ``*.md`` file
    below, symlinked files included, nothing hidden or under a hidden folder,
    no symlinked folder entered), walked here through descriptors because it
    runs on every query and sums the folders' stats as it goes.
    """
    files: dict[str, tuple[int, int]] = {}
    folders = mtimes = sizes = 0
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            # Listed through a descriptor, each file's stat resolves one name, not a path.
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            continue
        try:
            folders += os.fstat(fd).st_mtime_ns
            for entry in os.scandir(fd):
                name = entry.name
                if is_hidden(name):
                    continue
                if is_minutes_name(name) and entry.is_file():
                    st = entry.stat()
                    files[prefix + name] = (st.st_mtime_ns, st.st_size)
                    mtimes += st.st_mtime_ns
                    sizes += st.st_size
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((os.path.join(folder, name), f"{prefix}{name}/"))
        except OSError:
            pass
        finally:
            os.close(fd)
    return Scan(files, f"{len(files)}:{folders}:{mtimes}:{sizes}")


def settings_fingerprint(config: Config) -> str:
    """The parts of the configuration a file's rows depend on.

    The owner completes ``repo#N``, a team's repo makes a bare ``#N`` a ref,
    and ``max-file-bytes`` decides which files are read at all: when one of
    them changes, every file must be parsed again.
    """
    return json.dumps(
        {
            "owner": config.owner(),
            "max_file_bytes": config.max_file_bytes,
            "team_repos": {name: team.repo for name, team in config.teams.items() if team.repo},
        },
        sort_keys=True,
    )


def refresh(
    conn: sqlite3.Connection,
    root: Path,
    config: Config,
    *,
    progress: bool = False,
    jobs: int | None = None,
) -> RefreshResult:
    """Bring the index in ``conn`` up to date with the minutes below ``root`` as ``config``
    reads them."""
    on_disk = scan(root)
    settings = settings_fingerprint(config)
    if _meta(conn) == {"fingerprint": on_disk.fingerprint, "settings": settings}:
        return RefreshResult(unchanged=len(on_disk.files))
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Under the write lock, compare file by file: another process may have
        # done the work meanwhile, or only a folder's mtime changed.
        reparse_all = _meta(conn).get("settings") != settings
        result = _apply(conn, root, config, on_disk.files, progress, jobs, reparse_all)
        conn.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [("fingerprint", on_disk.fingerprint), ("settings", settings)],
        )
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return result


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN ('fingerprint', 'settings')")
    )


def _stored(conn: sqlite3.Connection) -> dict[str, tuple[int, int, int, str, str | None]]:
    return {
        source: (file_id, mtime_ns, size, sha, team)
        for file_id, source, mtime_ns, size, sha, team in conn.execute(
            "SELECT id, source, mtime_ns, size, sha, team FROM files"
        )
    }


def _apply(
    conn: sqlite3.Connection,
    root: Path,
    config: Config,
    on_disk: dict[str, tuple[int, int]],
    progress: bool,
    jobs: int | None,
    reparse_all: bool,
) -> RefreshResult:
    stored = _stored(conn)
    result = RefreshResult()
    teams: set[str | None] = set()
    for source in stored.keys() - on_disk.keys():
        file_id, *_, team = stored[source]
        _delete(conn, file_id)
        teams.add(team)
        result.removed += 1
    to_parse = []
    for source, st in on_disk.items():
        old = stored.get(source)
        if old is None or reparse_all:
            to_parse.append(source)
            continue
        file_id, mtime_ns, size, sha, team = old
        if (mtime_ns, size) == st:
            result.unchanged += 1
        elif _hash_file(root / source) == sha:
            # Touched, not changed: remember the new stat so the fast path works next time.
            conn.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE id = ?", (*st, file_id))
            result.unchanged += 1
        else:
            to_parse.append(source)
    for parsed in _parse_all(root, config, to_parse, on_disk, progress, jobs):
        old = stored.get(parsed.source)
        if old is None:
            result.added += 1
        else:
            _delete(conn, old[0])
            teams.add(old[4])
            result.changed += 1
        _insert(conn, parsed)
        teams.add(parsed.team)
        result.warnings.extend(f"{parsed.source}: {w}" for w in parsed.warnings)
    if teams:
        update_tracking(conn, teams)
    return result


def content_hash(data: bytes) -> str:
    """What decides whether a file changed once its stat did."""
    import hashlib  # only when some stat changed: a warm query never needs it

    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _hash_file(path: Path) -> str | None:
    try:
        return content_hash(path.read_bytes())
    except OSError:
        return None


# -- parsing (in workers, or in-process for a few files) ----------------------------------

_worker_config: Config | None = None
_worker_root: Path | None = None


def _init_worker(root: Path, config: Config, parent: int) -> None:
    """Set a worker up.

    Ctrl-C is the parent's to handle (it rolls back and stops the pool), so
    workers do not each print a traceback. The cyclic garbage collector runs
    once per chunk instead of every few hundred allocations: markdown-it
    allocates tokens by the hundred thousand, and the automatic runs cost a
    few per cent of the parse for nothing (refcounting frees the tokens).
    """
    global _worker_config, _worker_root
    import gc
    import signal

    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    _worker_root, _worker_config = root, config


def _die_with(parent: int) -> None:
    """End this worker when ``parent`` ends, even by ``kill -9``, which no handler sees.

    Orphaned workers would go on parsing for nobody and hold the parent's
    output open. Linux sends the signal asked for with PR_SET_PDEATHSIG the
    moment the parent dies; elsewhere a thread looks once a second whether
    the worker has been handed to another parent.
    """
    import signal
    import threading
    import time

    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    if sys.platform != "linux":

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _parse_chunk(sources: list[str], stats: list[tuple[int, int]]) -> list[Parsed]:
    import gc

    assert _worker_root is not None and _worker_config is not None
    parsed = [
        parse_one(_worker_root, _worker_config, source, stat)
        for source, stat in zip(sources, stats, strict=True)
    ]
    gc.collect(0)  # what the chunk left in reference cycles (see _init_worker)
    return parsed


def parse_one(root: Path, config: Config, source: str, stat: tuple[int, int]) -> Parsed:
    """Read, hash and parse one file into its index rows; errors become ``Parsed.error``.

    The bytes are read once: hashed, decoded, and the same text is parsed and
    cut into search chunks.
    """
    from minutesbot.records.parser import MinutesError, parse_decoded
    from minutesbot.records.reading import decode_minutes

    path = root / source
    mtime_ns, size = stat
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(
            Parsed(source, mtime_ns, size, ""), f"cannot be read ({exc.strerror or exc})"
        )
    parsed = Parsed(source, mtime_ns, size, content_hash(data))
    try:
        if len(data) > config.max_file_bytes:
            raise MinutesError(
                f"{len(data)} bytes, more than max-file-bytes "
                f"({config.max_file_bytes}) of the configuration"
            )
        text, warnings = decode_minutes(data)
        record = parse_decoded(text, source, config=config)
    except MinutesError as exc:
        return _failed(parsed, str(exc))
    except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not lose the archive
        return _failed(parsed, f"the parser failed ({type(exc).__name__}: {exc})")
    record.warnings[:0] = warnings
    _fill(parsed, record, text)
    return parsed


def _failed(parsed: Parsed, message: str) -> Parsed:
    """A file left out of the index: kept as a row (so it is not retried until it
    changes) with the reason, which is reported once."""
    parsed.error = message
    parsed.warnings.append(message)
    return parsed


def _fill(parsed: Parsed, record: Record, text: str) -> None:
    parsed.team, parsed.date, parsed.title = record.team, record.date, record.title
    parsed.record = json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))
    parsed.warnings = [str(w) for w in record.warnings]
    parsed.items = [
        (i.title, json.dumps(i.path, ensure_ascii=False), i.line, i.end_line) for i in record.items
    ]
    parsed.refs = [(r.ref, r.kind, r.url, line) for r in record.issues for line in r.lines]
    parsed.actions = [
        (a.line, json.dumps(a.owners), a.text, a.status, a.item) for a in record.actions
    ]
    parsed.decisions = [(d.text, d.item, d.line) for d in record.decisions]
    parsed.chunks = _chunks(record, text)


def _chunks(record: Record, text: str) -> list[tuple[str, str | None, int]]:
    """The file cut at each item's heading: what full-text search finds and points to."""
    lines = text.split("\n")
    starts = sorted({1, *(i.line for i in record.items)})
    titles = {i.line: i.title for i in record.items}
    chunks = []
    for start, end in zip(starts, [*starts[1:], len(lines) + 1], strict=True):
        body = "\n".join(lines[start - 1 : end - 1])
        if body.strip():
            chunks.append((body, titles.get(start), start))
    return chunks


def _parse_all(
    root: Path,
    config: Config,
    sources: list[str],
    stats: dict[str, tuple[int, int]],
    progress: bool,
    jobs: int | None,
) -> Iterator[Parsed]:
    workers = jobs or os.cpu_count() or 1
    with _progress_bar(len(sources), progress) as advance:
        if workers < 2 or len(sources) < PARALLEL_MIN:
            for source in sources:
                yield parse_one(root, config, source, stats[source])
                advance(1)
            return
        # Imported here: process pools cost start-up time that queries need not pay.
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, ProcessPoolExecutor, wait

        # Imported before the workers fork, so they inherit it instead of each importing it.
        import minutesbot.records.parser  # noqa: F401

        queue = _guided_chunks(sources, workers)
        # Forked from this process (not a fork server's), so that they die with it.
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork") if sys.platform != "win32" else None,
            initializer=_init_worker,
            initargs=(root, config, os.getpid()),
        )
        try:
            pending: set[Future[list[Parsed]]] = set()
            for chunk in queue:
                pending.add(pool.submit(_parse_chunk, chunk, [stats[s] for s in chunk]))
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        chunk_result = future.result()
                    except BrokenExecutor as exc:
                        raise IndexError_(
                            f"{root}: a parsing worker died ({exc}); nothing was written, run again"
                        ) from None
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(_parse_chunk, nxt, [stats[s] for s in nxt]))
                    yield from chunk_result
                    advance(len(chunk_result))
        finally:
            # On an error or Ctrl-C, chunks not yet started are dropped, not parsed in vain.
            pool.shutdown(wait=True, cancel_futures=True)


def _guided_chunks(sources: list[str], workers: int) -> Iterator[list[str]]:
    """Chunks that shrink as the work does: few round trips early, no idle worker at the end."""
    start = 0
    while start < len(sources):
        size = max(2, min(64, (len(sources) - start) // (workers * 4)))
        yield sources[start : start + size]
        start += size


class _progress_bar:
    """``click.progressbar`` on stderr when it is a terminal; otherwise nothing."""

    def __init__(self, total: int, wanted: bool) -> None:
        self.bar: Any = None
        if wanted and total >= PARALLEL_MIN and sys.stderr.isatty():
            import click

            self.bar = click.progressbar(length=total, label="indexing minutes", file=sys.stderr)

    def __enter__(self) -> Callable[[int], None]:
        if self.bar is None:
            return lambda n: None
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


# -- writing -------------------------------------------------------------------------------


def _delete(conn: sqlite3.Connection, file_id: int) -> None:
    conn.execute(
        "DELETE FROM action_owners WHERE action_id IN (SELECT id FROM actions WHERE file_id = ?)",
        (file_id,),
    )
    for table in ("items", "refs", "actions", "decisions"):
        conn.execute(f"DELETE FROM {table} WHERE file_id = ?", (file_id,))
    conn.execute(
        "DELETE FROM chunks WHERE rowid BETWEEN ? AND ?",
        (file_id * CHUNK_SPAN, (file_id + 1) * CHUNK_SPAN - 1),
    )
    conn.execute("DELETE FROM files WHERE id = ?", (file_id,))


def _insert(conn: sqlite3.Connection, p: Parsed) -> None:
    cur = conn.execute(
        "INSERT INTO files(source, mtime_ns, size, sha, team, date, title, record, error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (p.source, p.mtime_ns, p.size, p.sha, p.team, p.date, p.title, p.record, p.error),
    )
    file_id = cur.lastrowid
    assert file_id is not None
    conn.executemany(
        "INSERT INTO items(file_id, title, path, line, end_line) VALUES (?, ?, ?, ?, ?)",
        [(file_id, *row) for row in p.items],
    )
    conn.executemany(
        "INSERT INTO refs(file_id, ref, kind, url, line) VALUES (?, ?, ?, ?, ?)",
        [(file_id, *row) for row in p.refs],
    )
    # Action ids are derived from the file id, so owners can be inserted in bulk too.
    base = file_id * CHUNK_SPAN
    conn.executemany(
        "INSERT INTO actions(id, file_id, line, owners, text, status, item) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(base + n, file_id, *row) for n, row in enumerate(p.actions)],
    )
    conn.executemany(
        "INSERT INTO action_owners(action_id, owner) VALUES (?, ?)",
        [(base + n, owner) for n, row in enumerate(p.actions) for owner in json.loads(row[1])],
    )
    conn.executemany(
        "INSERT INTO decisions(file_id, text, item, line) VALUES (?, ?, ?, ?)",
        [(file_id, *row) for row in p.decisions],
    )
    conn.executemany(
        "INSERT INTO chunks(rowid, body, title, line) VALUES (?, ?, ?, ?)",
        [(base + n, *row) for n, row in enumerate(p.chunks)],
    )


def update_tracking(conn: sqlite3.Connection, teams: set[str | None]) -> None:
    """Recompute which later meeting closed which action, for the teams given.

    Besides ``closed_*`` on the closed action and ``repeat_of`` on an open
    re-listing, the closing entry is marked ``closer``: it reports on a debt
    listed where it was first written, so lists of actions leave it out.
    """
    from minutesbot.records.record import Action, Record
    from minutesbot.records.tracking import track_actions

    for team in teams:
        rows = conn.execute(
            "SELECT a.id, f.source, f.date, a.line, a.owners, a.text, a.status, a.item "
            "FROM actions a JOIN files f ON f.id = a.file_id WHERE f.team IS ? "
            "ORDER BY f.id, a.id",
            (team,),
        ).fetchall()
        records: dict[str, Record] = {}
        ids: dict[int, int] = {}
        places: dict[tuple[str, int], int] = {}
        for action_id, source, date, line, owners, text, status, item in rows:
            record = records.get(source)
            if record is None:
                record = records[source] = Record(source=source, team=team, date=date, title=None)
            action = Action(json.loads(owners), text, status, item, line)
            record.actions.append(action)
            ids[id(action)] = action_id
            places[source, line] = action_id
        conn.execute(
            "UPDATE actions SET closed_source = NULL, closed_date = NULL, "
            "closed_line = NULL, closed_status = NULL, repeat_of = NULL, closer = 0 "
            "WHERE (closed_source IS NOT NULL OR repeat_of IS NOT NULL OR closer) "
            "AND file_id IN (SELECT id FROM files WHERE team IS ?)",
            (team,),
        )
        tracked = track_actions(records.values())
        conn.executemany(
            "UPDATE actions SET closed_source = ?, closed_date = ?, closed_line = ?, "
            "closed_status = ? WHERE id = ?",
            [
                (
                    t.closed_by.source,
                    t.closed_by.date,
                    t.closed_by.line,
                    t.closed_by.status,
                    ids[id(t.action)],
                )
                for t in tracked
                if t.closed_by
            ],
        )
        conn.executemany(
            "UPDATE actions SET repeat_of = ? WHERE id = ?",
            [(ids[id(t.repeat_of.action)], ids[id(t.action)]) for t in tracked if t.repeat_of],
        )
        conn.executemany(
            "UPDATE actions SET closer = 1 WHERE id = ?",
            [(places[c.source, c.line],) for c in {t.closed_by for t in tracked if t.closed_by}],
        )
