"""The index of one minutes root as an open SQLite connection: refreshing it, and
running questions on it so that a damaged index is rebuilt wherever SQLite notices.

:class:`minutesbot.archive.checked.CheckedAnswers` checks the answers
against their digests and :class:`minutesbot.archive.Archive` asks the
questions; this is what they stand on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from minutesbot.archive.build import RefreshResult, refresh
from minutesbot.archive.fresh import Freshness
from minutesbot.archive.store import IndexError_, connect, index_path, is_corrupt, recreate
from minutesbot.config import Config

T = TypeVar("T")
Self = TypeVar("Self", bound="Index")


class ArchiveError(Exception):
    """The archive cannot answer; the message is one line naming the path or query."""


class Index:
    """The index of one minutes root, open for refreshing and questions.

    A damaged index is rebuilt from the minutes wherever SQLite notices the
    damage: at opening (see :func:`connect`), in a refresh or in a question.
    """

    def __init__(
        self,
        root: Path,
        config: Config,
        conn: sqlite3.Connection,
        path: Path,
        warn: Callable[[str], None],
        fresh: Freshness | None = None,
    ) -> None:
        self.root, self.config, self.conn, self.path = root, config, conn, path
        # The look at the disk the first refresh uses, begun before the index was opened.
        self._fresh = fresh
        self._warn = warn
        self._recreated = False
        # How the last refresh ran, for the one a rebuild in the middle of a query needs.
        self._refresh_options: dict[str, Any] = {}
        # How to refresh when the first question comes (see refresh_when_asked).
        self._deferred: dict[str, Any] | None = None

    @classmethod
    def open(
        cls: type[Self],
        root: Path,
        config: Config,
        warn: Callable[[str], None] = lambda message: None,
    ) -> Self:
        """Open the index of ``root`` (see :func:`index_path`); ``warn`` hears of rebuilds."""
        if not root.is_dir():
            raise ArchiveError(f"{root}: no such minutes folder")
        fresh = Freshness(root)
        try:
            path = index_path(root)
            return cls(root, config, connect(path, warn), path, warn, fresh)
        except BaseException as exc:
            fresh.close()
            if isinstance(exc, IndexError_):
                raise ArchiveError(str(exc)) from None
            raise

    def refresh(self, *, progress: bool = False, **options: Any) -> RefreshResult:
        """Re-parse what changed on disk since the last refresh (``jobs``: worker count;
        ``today``: whose meetings are held, see :func:`refresh`)."""
        self._refresh_options = {"progress": progress, **options}
        return self._run(str(self.path), self._refresh, refill=False)

    def _refresh(self) -> RefreshResult:
        fresh, self._fresh = self._fresh, None
        try:
            return refresh(self.conn, self.root, self.config, fresh=fresh, **self._refresh_options)
        except IndexError_ as exc:
            raise ArchiveError(str(exc)) from None

    def refresh_when_asked(self, *, progress: bool = False) -> None:
        """Refresh the index with the first question, after answering it from the index as
        it is: the answer is worked out while ``git status`` looks at the disk, and again
        only when something changed. The refresh's warnings go to ``warn``."""
        self._deferred = {"progress": progress, "jobs": None}

    def _answer(self, question: Callable[[], T], what: str) -> T:
        """``question``'s answer from an index refreshed as :meth:`refresh_when_asked` asked
        (or at once, the index refreshed before), run as :meth:`_run` runs it."""
        if self._deferred is None:
            return self._run(what, question, refill=True)
        self._refresh_options, self._deferred = self._deferred, None
        try:
            answer, known = question(), True
        except sqlite3.Error:  # asked again below, with the index refreshed (or rebuilt)
            known = False
        result = self._run(str(self.path), self._refresh, refill=False)
        for message in result.shown_warnings():
            self._warn(message)
        if not known or result.parsed or result.removed or result.tracked:
            answer = self._run(what, question, refill=True)
        return answer

    def _run(self, what: str, work: Callable[[], T], *, refill: bool) -> T:
        """``work`` on the index; SQLite's errors become :class:`ArchiveError` naming ``what``.

        When SQLite finds the index damaged, it is rebuilt (once: the warning
        is not repeated) and ``work`` runs again; before a query runs again,
        the empty index is filled (``refill``), as the refresh before it did.
        """
        try:
            return work()
        except sqlite3.Error as exc:
            if self._recreated or not is_corrupt(exc):
                raise ArchiveError(f"{what}: {exc}") from None
            self._recreate(exc)
        try:
            if refill:
                for message in self._refresh().warnings:
                    self._warn(message)
            return work()
        except sqlite3.Error as exc:
            raise ArchiveError(f"{what}: {exc}") from None

    def _recreate(self, exc: sqlite3.Error) -> None:
        self._recreated = True
        self.conn.close()
        try:
            self.conn = recreate(self.path, self._warn, exc)
        except IndexError_ as error:
            raise ArchiveError(str(error)) from None

    def close(self) -> None:
        if self._fresh is not None:  # opened, never refreshed
            self._fresh.close()
            self._fresh = None
        self.conn.close()

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
