"""No statement of a query or a refresh reads a whole table once per row.

Every statement the archive runs is caught (SQLite's trace, with its values)
and explained: a ``SCAN`` of a table, in an inner loop of a join or in a
correlated subquery, costs the whole table for each row of the outer one,
which grows with the square of the archive (``actions --open`` took 48 s at
50,000 files that way). A scan of an index, or a scan run once, is fine.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from minutesbot.archive import Archive, Scope
from minutesbot.config import Config


def meeting(day: int, team: str) -> str:
    return f"""# 2024-{day // 28 + 1:02d}-{day % 28 + 1:02d}

## Check AIs from last time

- AI @alice: write the widget docs
    - {"done" if day % 3 == 0 else "open"}

## Widgets (@bob 5min)

- acme/widgets#{day % 4} and widgets#7 again
- Decision: we ship widgets on day {day}
- AI @bob @carol: ask the {team} network team about keycloak
- AI @dave: review the load balancer plan
"""


@pytest.fixture
def archive(tmp_path: Path):
    root = tmp_path / "minutes"
    for day in range(30):
        for team in ("iaas", "container"):
            path = root / team / f"2024{day // 28 + 1:02d}{day % 28 + 1:02d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(meeting(day, team), encoding="utf-8")
    (root / "iaas/notes.md").write_text(
        "# Notes\n\n- widgets#7\n- AI @bob: undated\n", encoding="utf-8"
    )
    with Archive.open(root, Config(default_owner="acme")) as opened:
        opened.refresh()
        yield opened


def plan_problems(conn: sqlite3.Connection, statement: str) -> list[str]:
    """The per-row scans in the plan of ``statement``."""
    rows = conn.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
    children: dict[int, list[tuple[int, str]]] = {}
    for node, parent, _, detail in rows:
        children.setdefault(parent, []).append((node, detail))
    problems = []

    def visit(parent: int, correlated: bool) -> None:
        for position, (node, detail) in enumerate(children.get(parent, [])):
            # "SEARCH t" without an index: a scan that tests a value of the outer loop.
            whole_table = (
                detail.startswith("SCAN ")
                and " INDEX " not in detail
                and "VIRTUAL TABLE" not in detail
            ) or (detail.startswith("SEARCH ") and " USING " not in detail)
            # A later sibling is an inner loop of the join its first sibling begins. An
            # automatic index is SQLite building the index it misses, from the whole table.
            if (whole_table and (correlated or position > 0)) or "AUTOMATIC" in detail:
                problems.append(f"{detail!r} in {statement}")
            visit(node, correlated or detail.startswith("CORRELATED"))

    visit(0, False)
    return problems


def test_no_query_scans_a_table_per_row(archive: Archive, tmp_path: Path) -> None:
    statements: list[str] = []
    archive.conn.set_trace_callback(statements.append)
    # A refresh with changes (tracking runs), then every kind of question.
    edited = archive.root / "iaas/20240105.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "- AI @erin: one more\n", encoding="utf-8"
    )
    (archive.root / "container/20240101.md").unlink()
    archive.refresh()
    for limit in (None, 3):
        archive.history("acme/widgets#7", limit)
        for owner in (None, "bob"):
            for status in (None, "open", "closed"):
                for team in (None, "iaas"):
                    archive.actions(owner=owner, status=status, team=team, limit=limit)
        for team in (None, "iaas"):
            for since, until in (
                (None, None),
                ("2024-01-10", None),
                (None, "2024-01-20"),
                ("2024-01-10", "2024-01-20"),
            ):
                archive.decisions(Scope(team, since, until), limit)
        archive.search("keycloak network", limit)
    for team in (None, "iaas"):
        for since, until in ((None, None), ("2024-01-10", "2024-01-20")):
            scope = Scope(team, since, until)
            archive.meetings(scope)
            archive.action_entries(scope)
            archive.refs_in(scope)
            archive.records(scope)
    archive.last_meetings("2024-01-20")
    archive.touching(["iaas/20240105.md", "container/20240102.md"])
    archive.teams()
    archive.conn.set_trace_callback(None)
    explained = [
        s
        for s in statements
        if s.split(None, 1)[0].upper() in ("SELECT", "UPDATE", "DELETE", "INSERT")
    ]
    assert len(explained) > 50
    problems = [p for s in explained for p in plan_problems(archive.conn, s)]
    assert problems == []


def test_the_check_sees_a_per_row_scan(archive: Archive) -> None:
    """The old ``last_listed``: a correlated subquery over actions, which had no index
    on ``repeat_of``."""
    archive.conn.execute("DROP INDEX actions_repeat")
    assert plan_problems(
        archive.conn,
        "SELECT (SELECT max(r.line) FROM actions r WHERE r.repeat_of = a.id) FROM actions a",
    )


def test_a_refs_latest_meetings_are_read_from_the_end_of_its_range(archive: Archive) -> None:
    """``history`` of a ref mentioned in every meeting reads its page from the ref's range
    of ``refs_ref`` in order: no look-up of each meeting that ever mentioned it, no sort
    of them all (the most mentioned ref at 50,000 files took 7-9 ms that way)."""
    statements: list[str] = []
    archive.conn.set_trace_callback(statements.append)
    page = archive.history("acme/widgets#7", 3)
    archive.conn.set_trace_callback(None)
    assert (len(page), page.total) == (3, 61)  # 60 meetings and an undated note
    latest = next(s for s in statements if s.startswith("SELECT DISTINCT") and "refs" in s)
    plan = [row[3] for row in archive.conn.execute(f"EXPLAIN QUERY PLAN {latest}")]
    assert plan == ["SEARCH refs USING COVERING INDEX refs_ref (ref=?)"]


def test_the_files_that_name_their_team_are_found_through_their_partial_index(
    archive: Archive,
) -> None:
    """Asked at the end of every refresh that stored something, and when the teams
    change: a scan of every file at 50,000 files."""
    from minutesbot.archive.store import NAMED

    for statement in (
        f"SELECT 1 FROM files WHERE {NAMED} LIMIT 1",
        f"SELECT id, source, mtime_ns, size, ctime_ns, sha, team FROM files WHERE {NAMED}",
    ):
        plan = [row[3] for row in archive.conn.execute(f"EXPLAIN QUERY PLAN {statement}")]
        assert plan == ["SCAN files USING INDEX files_named"], plan


def test_a_page_of_actions_is_the_end_of_the_whole_answer_and_counts_it(
    archive: Archive,
) -> None:
    """Pages and counts of actions are read from partial indexes (the open ones have one
    of their own): each page is the latest of the answer asked without a limit, and its
    total is that answer's length."""
    statements: list[str] = []
    archive.conn.set_trace_callback(statements.append)
    sizes = []
    for owner in (None, "alice", "bob"):
        for status in (None, "open", "closed"):
            for team in (None, "iaas"):
                whole = archive.actions(owner=owner, status=status, team=team)
                page = archive.actions(owner=owner, status=status, team=team, limit=3)
                assert (list(page), page.total) == (whole[-3:], len(whole)), (owner, status)
                sizes.append(len(whole))
    archive.conn.set_trace_callback(None)
    assert sum(size > 3 for size in sizes) >= 10  # most pages leave some out
    plans = {
        detail
        for statement in statements
        if statement.startswith("SELECT count(*) FROM actions")
        for *_, detail in archive.conn.execute(f"EXPLAIN QUERY PLAN {statement}")
    }
    assert any("USING INDEX actions_open" in plan for plan in plans)
