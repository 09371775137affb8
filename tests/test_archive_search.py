"""Full-text search points at the line that matched, as FTS5's tokenizer matched it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from minutesbot.archive import Archive
from minutesbot.archive.search import fold_tokens
from minutesbot.config import Config

MEETING = """\
# 2024-05-02

## Hardware review (@alice 10min)

- we looked at the rack
- the Büchse needs a new PSU
- the cluster
  stacks need a rebuild
- old Cluster_Stacks docs are gone
- see also the NAÏVE café plan
"""


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    root = tmp_path / "minutes"
    (root / "iaas").mkdir(parents=True)
    (root / "iaas/20240502.md").write_text(MEETING, encoding="utf-8")
    opened = Archive.open(root, Config(default_owner="acme"))
    opened.refresh()
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "query, line",
    [
        ("buchse", 6),  # accent folded
        ("BÜCHSE", 6),
        ("Bu\u0308chse", 6),  # written decomposed
        ("cluster-stacks", 7),  # a phrase across two lines starts on the first
        ("stacks_docs", 9),  # punctuation splits words on both sides
        ("naive cafe", 10),
        ("rack psu", 5),  # the first line holding any of the words
    ],
)
def test_search_points_at_the_matching_line(archive: Archive, query: str, line: int) -> None:
    results = archive.search(query)
    assert [(r["source"], r["line"]) for r in results] == [("iaas/20240502.md", line)]
    assert results[0]["text"] == MEETING.split("\n")[line - 1].strip()


@pytest.mark.parametrize(
    "text",
    [
        "Matthias Büchse (C&H)",
        "cluster-stacks/cluster_stacks",
        "R5.3.0 rollout, k8s-v1.28",
        "Straße naïve CAFÉ Ångström",
        "ΚΕΦΑΛΑΙΑ και μικρα",
        "µcode",
        "日本語 テスト",
        "don't@x #12",
    ],
)
def test_fold_tokens_agrees_with_the_index_tokenizer(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.execute("INSERT INTO t(body) VALUES (?)", (text,))
    sqlite_tokens = [term for (term,) in conn.execute("SELECT term FROM v ORDER BY offset")]
    conn.close()
    # SQLite keeps "ß" where casefold makes "ss": both the query and the line are folded alike.
    assert fold_tokens(text) == [t.replace("ß", "ss") for t in sqlite_tokens]
