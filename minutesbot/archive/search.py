"""Full-text search of the index: items that hold every word, best first.

FTS5 ranks the matches (bm25) and returns the best page; results point at
the line where a query word first matches, found as FTS5's tokenizer found
it (see :func:`fold_tokens`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from minutesbot.archive.query import Page, json_ids, page_and_total
from minutesbot.archive.store import CHUNK_SPAN


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must occur (each quoted, so
    ``cluster-stacks`` or ``AND`` are words, not query syntax)."""
    words = text.split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


class Hits(Page):
    """A page of search hits, and the chunks they were read from (rowid: body, title,
    line), whose digests the answer is checked against."""

    def __init__(self, total: int | None = None) -> None:
        super().__init__(total=total)
        self.chunks: dict[int, tuple[str, str | None, int]] = {}


def search(conn: sqlite3.Connection, text: str, limit: int | None = None) -> Hits:
    """Items (or the part before the first item) of any meeting that contain all words,
    the best matches first (FTS5's bm25 rank); ``limit`` of them, and how many match."""
    query = fts_query(text)
    if not query:
        return Hits()
    hits, total = page_and_total(
        conn,
        "SELECT rowid, title, line, body FROM chunks WHERE chunks MATCH ? ORDER BY rank LIMIT ?",
        "SELECT count(*) FROM chunks WHERE chunks MATCH ?",
        [query],
        limit,
    )
    files = {
        file_id: row
        for file_id, *row in conn.execute(
            "SELECT id, source, day, team FROM files WHERE id IN (SELECT value FROM json_each(?))",
            (json_ids({rowid // CHUNK_SPAN for rowid, *_ in hits}),),
        )
    }
    results = Hits(total=total)
    first = _first_match(text.split())
    for rowid, title, start, body in hits:
        results.chunks[rowid] = (body, title, start)
        source, date, team = files[rowid // CHUNK_SPAN]
        offset, excerpt = _first_line_with(body, first)
        results.append(
            {
                "source": source,
                "date": date,
                "team": team,
                "line": start + offset,
                "item": title,
                "item_line": start if title is not None else None,
                "text": excerpt,
            }
        )
    return results


def _first_match(words: list[str]) -> re.Pattern[str] | None:
    """What finds the first match of one of ``words`` in a folded text (see :func:`fold`),
    as FTS5 matched the chunk, token by token: a word's tokens in order, with anything
    but tokens between them, and no token run on before or after.

    So ``buchse`` finds "Büchse" and ``cluster-stacks`` "cluster_stacks", even
    when the two words are split across lines.
    """
    phrases = sorted({tuple(tokens) for tokens in map(fold_tokens, words) if tokens})
    if not phrases:
        return None
    either = "|".join(_GAP.join(map(re.escape, phrase)) for phrase in phrases)
    return re.compile(f"{_NO_TOKEN_BEFORE}(?:{either}){_NO_TOKEN_AFTER}")


def _first_line_with(body: str, first: re.Pattern[str] | None) -> tuple[int, str]:
    """The line of ``body`` where the first match of ``first`` starts (0 and the first
    line if none). Folding keeps the lines (no character folds into a line break)."""
    lines = body.split("\n")
    found = first.search(fold(body)) if first else None
    if found is None:
        return 0, lines[0].strip()
    n = found.string.count("\n", 0, found.start())
    return n, lines[n].strip()


# A token: a run of letters and digits; tokens are split by runs of anything else.
_TOKEN = re.compile(r"[^\W_]+")
_GAP = r"[\W_]+"
_NO_TOKEN_BEFORE = r"(?<![^\W_])"
_NO_TOKEN_AFTER = r"(?![^\W_])"


def fold_tokens(text: str) -> list[str]:
    """The words of ``text`` as the index's FTS5 tokenizer sees them (unicode61 with
    remove_diacritics 2): runs of letters and digits, case and accents folded.

    Only what search results point at depends on it, and query and line are
    folded alike, so the rare differences (SQLite keeps "ß" and accents outside
    the Latin script, its Unicode tables are older) do not matter.
    """
    return _TOKEN.findall(fold(text))


def fold(text: str) -> str:
    """``text`` with case and accents folded, as FTS5's tokenizer folds its tokens."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return "".join(
        c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn"
    )
