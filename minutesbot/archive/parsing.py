"""Parsing minutes files into the index's rows: in worker processes, or in-process for a few.

The parser (and with it markdown-it) is imported only when some file needs
parsing, so a query on a warm index starts fast. Many files (a cold build)
are parsed in worker processes, one per core, in chunks; the parent alone
writes to SQLite, in one transaction, while the workers go on parsing.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutesbot.archive.fresh import Stat
from minutesbot.archive.store import IndexError_
from minutesbot.config import Config

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
    stat: Stat
    sha: str
    team: str | None = None
    date: str | None = None
    title: str | None = None
    record: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    items: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    refs: list[tuple[str, str, str, int]] = field(default_factory=list)
    actions: list[tuple[int, str, str, str, str | None, str | None]] = field(default_factory=list)
    reviewed: list[tuple[int, int, str, str, str, str | None]] = field(default_factory=list)
    decisions: list[tuple[str, str | None, int]] = field(default_factory=list)
    chunks: list[tuple[str, str | None, int]] = field(default_factory=list)

    def file_under(self, team: str) -> None:
        """File the meeting under ``team``, its record too (the team its front matter
        names, as spelled by the root: see :func:`minutesbot.teams.spelled_as_known`)."""
        self.team = team
        if self.record is not None:
            self.record = _record_json({**json.loads(self.record), "team": team})


def _record_json(data: dict[str, Any]) -> str:
    """A record as the index stores it (the spec's JSON form, compact)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def content_hash(data: bytes) -> str:
    """What decides whether a file changed once its stat did."""
    from minutesbot.archive.digest import blake

    return blake(data, 20)


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


def _parse_chunk(sources: list[str], stats: list[Stat]) -> list[Parsed]:
    import gc

    assert _worker_root is not None and _worker_config is not None
    parsed = [
        parse_one(_worker_root, _worker_config, source, stat)
        for source, stat in zip(sources, stats, strict=True)
    ]
    gc.collect(0)  # what the chunk left in reference cycles (see _init_worker)
    return parsed


def parse_one(root: Path, config: Config, source: str, stat: Stat) -> Parsed:
    """Read, hash and parse one file into its index rows; errors become ``Parsed.error``.

    The bytes are read once: hashed, decoded, and the same text is parsed and
    cut into search chunks.
    """
    from minutesbot.records.parser import MinutesError, parse_decoded
    from minutesbot.records.reading import decode_minutes, too_big

    path = root / source
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(Parsed(source, stat, ""), f"cannot be read ({exc.strerror or exc})")
    parsed = Parsed(source, stat, content_hash(data))
    try:
        if len(data) > config.max_file_bytes:
            raise MinutesError(too_big(len(data), config.max_file_bytes))
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
    from minutesbot.records.actionable import why_not_an_action
    from minutesbot.records.vocabulary import is_review_label

    parsed.team, parsed.date, parsed.title = record.team, record.date, record.title
    parsed.record = _record_json(record.to_dict())
    parsed.warnings = [str(w) for w in record.warnings]
    parsed.items = [
        (
            i.title,
            json.dumps(i.path, ensure_ascii=False),
            i.line,
            i.end_line,
            int(is_review_label(i.title)),
        )
        for i in record.items
    ]
    parsed.refs = [(r.ref, r.kind, r.url, line) for r in record.issues for line in r.lines]
    parsed.actions = [
        (a.line, json.dumps(a.owners), a.text, a.status, a.item, why_not_an_action(a.text))
        for a in record.actions
    ]
    if record.review is not None:
        parsed.reviewed = [
            (record.review.line, e.line, json.dumps(e.owners), e.text, e.status, e.item)
            for e in record.review.entries
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


def parse_all(
    root: Path,
    config: Config,
    sources: list[str],
    stats: dict[str, Stat],
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
        from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

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
                done, pending = _first_done(pending)
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


def _first_done(
    pending: set[Future[list[Parsed]]],
) -> tuple[set[Future[list[Parsed]]], set[Future[list[Parsed]]]]:
    """The chunks done (at least one) and those still pending; a Ctrl-C meanwhile is held
    back until ``wait`` returns, then delivered as it would have been.

    ``concurrent.futures.wait`` takes the lock of every future, one after the
    other; a KeyboardInterrupt between two of them leaves the first ones taken
    for good, and the pool's shutdown then waits forever for the thread that
    needs them (a Ctrl-C test hung so, once in CI). The handler here only
    notes the signal, so nothing is raised inside ``wait``.
    """
    import signal
    from concurrent.futures import FIRST_COMPLETED, wait

    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: interrupted.append(number))
    try:
        done, still = wait(pending, return_when=FIRST_COMPLETED)
    finally:
        signal.signal(signal.SIGINT, previous)
        if interrupted:
            signal.raise_signal(signal.SIGINT)
    return done, still


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
