"""The archive: an incremental SQLite index of every minutes file below a root.

``Archive.open(root, config)`` finds (or creates) the index, and every
query refreshes it first, re-parsing only files added or changed since the
last run. Importing this package is cheap: the parser is imported only when
a file needs parsing.

    archive = Archive.open(Path("minutes"), config)
    archive.refresh()
    for meeting in archive.history("sovereigncloudstack/cluster-stacks#56"):
        ...
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

from minutesbot.archive import query
from minutesbot.archive.build import RefreshResult, refresh
from minutesbot.archive.links import Linker
from minutesbot.archive.store import IndexError_, connect, index_path
from minutesbot.config import Config


class ArchiveError(Exception):
    """The archive cannot answer; the message is one line naming the path or query."""


class Archive:
    """The index of one minutes root, open for refreshing and queries."""

    def __init__(self, root: Path, config: Config, conn: sqlite3.Connection, path: Path) -> None:
        self.root, self.config, self.conn, self.path = root, config, conn, path
        self.linker = Linker(root)

    @classmethod
    def open(cls, root: Path, config: Config,
             warn: Callable[[str], None] = lambda message: None) -> "Archive":
        """Open the index of ``root`` (see :func:`index_path`); ``warn`` hears of rebuilds."""
        if not root.is_dir():
            raise ArchiveError(f"{root}: no such minutes folder")
        try:
            path = index_path(root)
            return cls(root, config, connect(path, warn), path)
        except IndexError_ as exc:
            raise ArchiveError(str(exc)) from None

    def refresh(self, *, progress: bool = False, jobs: int | None = None) -> RefreshResult:
        """Re-parse what changed on disk since the last refresh."""
        try:
            return refresh(self.conn, self.root, self.config, progress=progress, jobs=jobs)
        except sqlite3.Error as exc:
            raise ArchiveError(f"{self.path}: {exc}") from None
        except IndexError_ as exc:
            raise ArchiveError(str(exc)) from None

    def history(self, ref: str) -> list[dict[str, Any]]:
        """Meetings that mention ``ref`` (normalised ``owner/repo#N``), oldest first, linked."""
        results = query.history(self.conn, ref)
        for result in results:
            result["link"] = self.linker.link(result["source"], result["line"])
        return results

    def actions(self, **filters: Any) -> list[dict[str, Any]]:
        return query.actions(self.conn, **filters)

    def decisions(self, **filters: Any) -> list[dict[str, Any]]:
        return query.decisions(self.conn, **filters)

    def search(self, text: str) -> list[dict[str, Any]]:
        try:
            return query.search(self.conn, text)
        except sqlite3.OperationalError as exc:
            raise ArchiveError(f"search {text!r}: {exc}") from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Archive", "ArchiveError", "RefreshResult"]
