"""Commits of a long refresh, so that an interrupted build keeps its work (see
:mod:`minutesbot.archive.build`)."""

from __future__ import annotations

import json
import sqlite3


class Batches:
    """Commits of a long refresh every few seconds or few hundred files, so that Ctrl-C
    (or a kill) keeps what was parsed so far and the next refresh goes on from there.

    A commit leaves the index marked unfinished: the settings the rows were
    parsed with, no fingerprint (the next refresh looks at every file, and
    parses those not stored yet), and the teams whose action tracking is
    still to be done. The last transaction, in
    :func:`minutesbot.archive.build.refresh`, ends that.
    """

    SECONDS = 2.0
    FILES = 250

    def __init__(self, conn: sqlite3.Connection, settings: str) -> None:
        import os
        import time

        self.conn, self.settings, self.clock = conn, settings, time.monotonic
        self.last = self.clock()
        self.count = 0
        self.mark = f"{os.getpid()}:{time.time_ns()}"

    def stored(self, teams: set[str | None]) -> None:
        """Commit when it is time; raises :class:`Superseded` when another refresh wrote
        in the moment the lock was free (its rows, not this one's plan, are current)."""
        self.count += 1
        if self.count < self.FILES and self.clock() - self.last < self.SECONDS:
            return
        self.conn.execute("DELETE FROM meta WHERE key NOT IN ('settings')")
        self.conn.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [
                ("settings", self.settings),
                ("pending-teams", json.dumps(sorted(teams, key=str))),
                ("batch", self.mark),
            ],
        )
        self.conn.execute("COMMIT")
        # Copied into the index file now, while the workers parse, not by the last commit
        # with one core idle (SQLite checkpoints only past 1,000 pages of log): 8 ms of
        # the corpus's cold index. PASSIVE: it never waits for readers.
        self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self.conn.execute("BEGIN IMMEDIATE")
        mark = self.conn.execute("SELECT value FROM meta WHERE key = 'batch'").fetchone()
        if mark is None or mark[0] != self.mark:
            raise Superseded
        self.last, self.count = self.clock(), 0


class Superseded(Exception):
    """Another refresh wrote between two batches of this one: plan again."""
