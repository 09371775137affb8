"""How the archive asks the index, and what it does about damage.

:class:`CheckedAnswers` is the part of :class:`minutesbot.archive.Archive`
that asks its questions: an index SQLite finds damaged is rebuilt, and each
answer's files are checked against their digests (see
:mod:`minutesbot.archive.digest`) before it is given, those found damaged
read again from disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from minutesbot.archive.digest import ALL, damaged, sources_in
from minutesbot.archive.index import ArchiveError, Index
from minutesbot.archive.rows import forget

T = TypeVar("T")


class CheckedAnswers(Index):
    """How :class:`~minutesbot.archive.Archive` asks the index: damage SQLite finds
    rebuilds it (:meth:`Index._run`), damage the digests find is read again (:meth:`_ask`)."""

    def _ask(
        self,
        question: Callable[[], T],
        what: str | None = None,
        parts: Sequence[str] = ALL,
        chunks: Callable[[T], dict[int, Sequence[Any]]] | None = None,
        read: Callable[[T], dict[str, dict[int, list[tuple[Any, ...]]]]] | None = None,
    ) -> T:
        """The answer to ``question``, once the rows it came from match their digests:
        the answer's files, their own columns and their rows of ``parts``, and the search
        chunks it read (``chunks`` of the answer). Rows of a part the question read whole
        (``read`` of the answer) are checked as read, not read again.

        Rows found damaged (see :mod:`minutesbot.archive.digest`) are read
        again from their files, with a warning, and the question asked
        again; should that answer fail its check too, the index is rebuilt.
        """
        what = what or str(self.path)

        def asked() -> tuple[T, list[str]]:
            try:
                answer = question()
            except (TypeError, ValueError) as exc:  # a stored value that does not read
                return self._unreadable(exc, parts)
            return answer, damaged(
                self.conn,
                sources_in(answer),
                parts,
                chunks(answer) if chunks else None,
                read(answer) if read else None,
            )

        answer, bad = self._answer(asked, what)
        if not bad:
            return answer
        named = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        self._warn(
            f"{self.path}: the index's rows of {named} do not match their digest (damaged); "
            "reading the files again"
        )
        self._run(what, lambda: forget(self.conn, bad), refill=False)
        self._run(what, self._refresh, refill=False)
        answer, bad = self._run(what, asked, refill=True)
        if bad:
            self._recreate(sqlite3.DatabaseError(f"the rows of {named} are still damaged"))
            self._run(what, self._refresh, refill=False)
            answer, _bad = self._run(what, asked, refill=True)
        return answer

    def _unreadable(self, exc: Exception, parts: Sequence[str]) -> tuple[Any, list[str]]:
        """What a question that read a stored value no longer what was stored (JSON cut
        short, a number that is text: damage) gives: no
        answer, and the files whose rows of ``parts`` fail their digests (every file's are
        checked: the question did not get as far as naming its files). None failing, the
        index is not what it says it is: an error."""
        every = [source for (source,) in self.conn.execute("SELECT source FROM files")]
        bad = damaged(self.conn, every, parts)
        if not bad:
            raise ArchiveError(f"{self.path}: a stored text does not read ({exc})") from None
        return None, bad
