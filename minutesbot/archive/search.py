"""Full-text search of the index: items that hold every word, best first.

FTS5 ranks the matches (bm25) and returns the best page; results point at
the line where a query word first matches, found as FTS5's tokenizer found
it (see :func:`fold_tokens`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from minutesbot.archive.query import Page, json_ids, sql_limit
from minutesbot.archive.store import CHUNK_SPAN


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must occur (each quoted, so
    ``cluster-stacks`` or ``AND`` are words, not query syntax)."""
    words = text.split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(conn: sqlite3.Connection, text: str, limit: int | None = None) -> Page:
    """Items (or the part before the first item) of any meeting that contain all words,
    the best matches first (FTS5's bm25 rank); ``limit`` of them, and how many match."""
    query = fts_query(text)
    if not query:
        return Page()
    hits = conn.execute(
        "SELECT rowid, title, line, body FROM chunks WHERE chunks MATCH ? ORDER BY rank LIMIT ?",
        (query, sql_limit(limit)),
    ).fetchall()
    total = (
        len(hits)
        if limit is None or len(hits) < limit
        else conn.execute("SELECT count(*) FROM chunks WHERE chunks MATCH ?", (query,)).fetchone()[
            0
        ]
    )
    files = {
        file_id: row
        for file_id, *row in conn.execute(
            "SELECT id, source, date, team FROM files WHERE id IN (SELECT value FROM json_each(?))",
            (json_ids({rowid // CHUNK_SPAN for rowid, *_ in hits}),),
        )
    }
    results = Page(total=total)
    words = text.split()
    for rowid, title, start, body in hits:
        source, date, team = files[rowid // CHUNK_SPAN]
        offset, excerpt = _first_line_with(body, words)
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


def _first_line_with(body: str, words: list[str]) -> tuple[int, str]:
    """The line of ``body`` where the first match of one of ``words`` starts (0 and the
    first line if none).

    Matched as FTS5 matched the chunk, token by token (see :func:`fold_tokens`),
    so ``buchse`` points at the line with "Büchse" and ``cluster-stacks`` at
    "cluster_stacks", even when the two words are split across lines.
    """
    lines = body.split("\n")
    phrases: dict[str, list[list[str]]] = {}
    for phrase in filter(None, map(fold_tokens, words)):
        phrases.setdefault(phrase[0], []).append(phrase)
    tokens: list[str] = []
    token_lines: list[int] = []
    for n, line in enumerate(lines):
        found = fold_tokens(line)
        tokens += found
        token_lines += [n] * len(found)
    for i, token in enumerate(tokens):
        if any(tokens[i : i + len(phrase)] == phrase for phrase in phrases.get(token, ())):
            n = token_lines[i]
            return n, lines[n].strip()
    return 0, lines[0].strip()


_TOKEN = re.compile(r"[^\W_]+")


def fold_tokens(text: str) -> list[str]:
    """The words of ``text`` as the index's FTS5 tokenizer sees them (unicode61 with
    remove_diacritics 2): runs of letters and digits, case and accents folded.

    Only what search results point at depends on it, and query and line are
    folded alike, so the rare differences (SQLite keeps "ß" and accents outside
    the Latin script, its Unicode tables are older) do not matter.
    """
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(
            c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn"
        )
    return _TOKEN.findall(folded)
