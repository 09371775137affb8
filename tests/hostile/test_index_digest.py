"""Issue 16, point 12: a damaged index answered wrongly, silently and for good.

Bytes overwritten inside a row leave a page SQLite reads without complaint
(100 random bytes made ``actions`` return altered text or drop actions in 4 of
12 seeds). Each file's row now carries a digest of what was stored for it; the
files an answer comes from are checked, and those that fail are read again,
with a warning. Damage is made here with SQL (a changed row is what such bytes
amount to) and with random bytes.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from minutesbot.archive import Archive, ArchiveError
from minutesbot.archive.store import INDEX_DIR, INDEX_FILE
from minutesbot.config import Config

MEETINGS = {
    "team/20240404.md": "# 2024-04-04\n\n## Upgrade\n\nacme/x#1 is late.\n\n"
    "- Decision: we upgrade in May\n- AI @alice: write the notes\n- AI @bob: test it\n",
    "team/20240411.md": "# 2024-04-11\n\n## Upgrade\n\nacme/x#1 again.\n\n"
    "- AI @carol: book the room\n- AI @dave: ask the vendor\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, text in MEETINGS.items():
        (tmp_path / "minutes" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "minutes" / name).write_text(text, encoding="utf-8")
    return tmp_path / "minutes"


def answers(root: Path, warnings: list[str] | None = None) -> dict:
    config = Config(base_dir=root.parent, default_owner="acme")
    with Archive.open(root, config, (warnings if warnings is not None else []).append) as archive:
        archive.refresh()
        return {
            "actions": [
                (a["source"], a["line"], a["text"], a["status"]) for a in archive.actions()
            ],
            "history": [(h["source"], h["line"]) for h in archive.history("acme/x#1")],
            "records": [r["actions"] for r in archive.records()],
            "decisions": [d["text"] for d in archive.decisions()],
            "search": [(h["source"], h["line"], h["text"]) for h in archive.search("again")],
        }


def damage(root: Path, statement: str) -> None:
    conn = sqlite3.connect(root / INDEX_DIR / INDEX_FILE)
    conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE actions SET text = 'pay mallory' WHERE text = 'test it'",
        "UPDATE actions SET status = 'done' WHERE text = 'ask the vendor'",
        "DELETE FROM actions WHERE text = 'write the notes'",
        "UPDATE refs SET line = 99",
        "UPDATE files SET record = replace(record, 'book the room', 'burn the room')",
        "UPDATE decisions SET text = 'we never upgrade'",
        "UPDATE files SET team = 'other' WHERE source = 'team/20240411.md'",
        "UPDATE chunks SET body = replace(body, 'again', 'again, and never')",
        "UPDATE chunks SET line = line + 7, title = 'Downgrade'",
        # The same bytes as a blob: JSON could not encode it, and the check failed with it.
        "UPDATE actions SET text = CAST(text AS BLOB) WHERE text = 'test it'",
        # JSON no longer JSON: the question failed before its files were checked (stats and
        # new ended in a traceback, every time).
        "UPDATE files SET record = substr(record, 1, length(record) - 5) "
        "WHERE source = 'team/20240411.md'",
        "UPDATE actions SET owners = substr(owners, 2) WHERE text = 'test it'",
        # A record that no longer names its file, or is none: the answer named no file to
        # check (a KeyError in stats and new), or left the meeting out, silently.
        "UPDATE files SET record = replace(record, '\"source\"', '\"sourcX\"') "
        "WHERE source = 'team/20240411.md'",
        "UPDATE files SET record = '{}' WHERE source = 'team/20240411.md'",
        "UPDATE files SET record = NULL WHERE source = 'team/20240411.md'",
        "UPDATE items SET line = 'x' WHERE title = 'Upgrade'",
    ],
    ids=[
        "text",
        "status",
        "dropped",
        "ref line",
        "stored record",
        "decision",
        "team",
        "search",
        "search hit's place",
        "text as a blob",
        "record cut",
        "owners cut",
        "record's source",
        "record emptied",
        "record gone",
        "item line as text",
    ],
)
def test_a_damaged_row_is_read_again_not_answered(root: Path, statement: str) -> None:
    clean = answers(root)
    damage(root, statement)
    warnings: list[str] = []
    assert answers(root, warnings) == clean
    assert [w for w in warnings if "do not match their digest" in w], warnings
    later: list[str] = []
    assert answers(root, later) == clean and later == []  # repaired for good


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE actions SET owners = '[\"al' WHERE text = 'write the notes'",
        "UPDATE actions SET owners = '{}' WHERE text = 'write the notes'",
        # Read by tracking only where a meeting is today or later (who was there).
        "UPDATE files SET day = '2999-01-01', record = substr(record, 1, 40) "
        "WHERE source = 'team/20240404.md'",
        "UPDATE actions SET text = CAST(text AS BLOB) WHERE text = 'write the notes'",
        "UPDATE files SET source = CAST(source AS BLOB) WHERE source = 'team/20240404.md'",
        "UPDATE files SET team = X'00ff' WHERE source = 'team/20240404.md'",
    ],
    ids=[
        "owners cut",
        "owners not a list",
        "record cut",
        "action text as a blob",
        "source as a blob",
        "team as a blob",
    ],
)
def test_damage_a_refresh_reads_has_the_index_rebuilt(root: Path, statement: str) -> None:
    """Tracking reads a team's rows at a refresh, no digest checked first: a stored value
    that no longer read ended every command in a traceback, for good (the refresh rolled
    back). Now the index is rebuilt, or the rows read again, with a warning."""
    answers(root)
    damage(root, statement)
    # Any change that has the team tracked again.
    with (root / "team/20240411.md").open("a", encoding="utf-8") as f:
        f.write("- AI @erin: order the cables\n")
    warnings: list[str] = []
    found = answers(root, warnings)
    if "CAST(source" not in statement:  # else the refresh finds the file new, the row gone
        assert [w for w in warnings if "rebuilding it" in w or "digest" in w], warnings
    shutil.rmtree(root / INDEX_DIR)
    assert found == answers(root)


def test_a_damaged_git_state_has_every_file_looked_at(root: Path) -> None:
    from gitrepo import git

    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "minutes")
    clean = answers(root)
    for key in ("git_dirty", "links", "linked"):
        for value in ("[", "[5]", "[null]", "{}"):
            damage(root, f"INSERT OR REPLACE INTO meta(key, value) VALUES ('{key}', '{value}')")
            assert answers(root) == clean
    damage(root, "INSERT OR REPLACE INTO meta(key, value) VALUES ('files', 'x')")
    assert answers(root) == clean


def test_random_bytes_never_give_a_wrong_answer(root: Path, tmp_path: Path) -> None:
    clean = answers(root)
    index = root / INDEX_DIR / INDEX_FILE
    kept = tmp_path / "clean.sqlite"
    shutil.copy(index, kept)
    outcomes = {"same": 0, "error": 0}
    for seed in range(24):
        shutil.copy(kept, index)
        chance = random.Random(seed)
        with index.open("r+b") as f:
            f.seek(chance.randrange(100, index.stat().st_size - 100))
            f.write(bytes(chance.randrange(256) for _ in range(100)))
        try:
            assert answers(root) == clean, f"seed {seed}"
            outcomes["same"] += 1
        except ArchiveError:  # one line, exit 2: not an answer
            outcomes["error"] += 1
    assert outcomes["same"] >= 20


def steps_to_check_one_file(tmp_path: Path, files: int) -> int:
    """SQLite's VM steps (in hundreds) to check one file's search chunks in an index of
    ``files`` meetings."""
    from minutesbot.archive.digest import damaged

    root = tmp_path / f"minutes{files}"
    for n in range(files):
        day = f"2024{1 + n // 28:02d}{1 + n % 28:02d}"
        path = root / f"team{n % 7}" / f"{day}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {day}\n\n## Topic {n}\n\nWe talked about keycloak {n}.\n")
    config = Config(base_dir=tmp_path, default_owner="acme")
    with Archive.open(root, config) as archive:
        archive.refresh(jobs=1)
        source = archive.conn.execute("SELECT source FROM files ORDER BY id").fetchone()[0]
        steps = 0

        def step() -> int:
            nonlocal steps
            steps += 1
            return 0

        archive.conn.set_progress_handler(step, 100)
        assert damaged(archive.conn, [source], ("chunks",)) == []
        archive.conn.set_progress_handler(None, 100)
    return steps


def test_checking_a_files_search_chunks_does_not_read_the_others(tmp_path: Path) -> None:
    """The chunks of a file are one rowid range of the full-text table: checking them reads
    that range, whatever the archive's size (joined to the list of files, SQLite read the
    whole table per file: 3 s for a page of search hits at 50,000 files)."""
    small, large = steps_to_check_one_file(tmp_path, 30), steps_to_check_one_file(tmp_path, 240)
    assert large <= small + 2, (small, large)


def test_an_error_beside_a_meetings_day_is_damage_the_digest_finds(root: Path) -> None:
    """The meetings of a period left such a file out and its decisions did not: the digest
    ended in a KeyError on every run."""
    from minutesbot.digest import build_digest

    config = Config(base_dir=root.parent, default_owner="acme")
    with Archive.open(root, config) as archive:
        archive.refresh()
        clean = build_digest(archive, "2024-04-01", "2024-04-30")
    damage(root, "UPDATE files SET error = 'x' WHERE source = 'team/20240404.md'")
    warnings: list[str] = []
    with Archive.open(root, config, warnings.append) as archive:
        assert build_digest(archive, "2024-04-01", "2024-04-30") == clean
    assert [w for w in warnings if "digest" in w], warnings


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE files SET source = CAST(source AS BLOB) WHERE source = 'team/20240404.md'",
        "UPDATE files SET team = X'00ff' WHERE source = 'team/20240404.md'",
    ],
    ids=["source as a blob", "team as a blob"],
)
def test_a_value_that_names_no_file_is_damage_too(root: Path, statement: str) -> None:
    """A source or team stored as no text: the meetings (stats, digest, new) and the teams
    (every --team) ended in a traceback. The index is rebuilt where no file is named whose
    digests could be checked."""
    config = Config(base_dir=root.parent, default_owner="acme")
    with Archive.open(root, config) as archive:
        archive.refresh()
        clean = (archive.records(), archive.teams())
    damage(root, statement)
    warnings: list[str] = []
    with Archive.open(root, config, warnings.append) as archive:
        assert (archive.records(), archive.teams()) == clean
    assert [w for w in warnings if "rebuilding it" in w or "digest" in w], warnings


@pytest.mark.parametrize("column", ["last_listed", "closed_date"])
def test_a_tracked_day_that_is_no_day_has_the_index_rebuilt(root: Path, column: str) -> None:
    """Tracking's columns carry no digest; new failed on a last_listed that is no day, on
    every run."""
    (root / "team/20240418.md").write_text(
        "# 2024-04-18\n\n## Review of action items\n\n- @bob test it: done\n"
        "- AI @carol: book the room (still open)\n",
        encoding="utf-8",
    )
    clean = answers(root)
    damage(root, f"UPDATE actions SET {column} = 'x' WHERE {column} IS NOT NULL")
    warnings: list[str] = []
    assert answers(root, warnings) == clean
    assert [w for w in warnings if "rebuilding it" in w], warnings


def test_a_ref_damaged_out_of_its_meeting_has_the_meeting_read_again(root: Path) -> None:
    """The page of ``history`` comes from the refs' index, its lines from the refs' rows:
    bytes overwritten in a row's ref (the index entry still right) made the latest meeting
    drop out of the answer, so its digest was never checked, and it stayed out for good."""
    clean = answers(root)
    index = root / INDEX_DIR / INDEX_FILE
    conn = sqlite3.connect(index)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (table,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'refs'").fetchone()
    conn.close()
    data = bytearray(index.read_bytes())
    start = (table - 1) * page_size
    page = bytes(data[start : start + page_size])
    # The refs table's rows in its one page, stored from the page's end: the first found
    # is the latest meeting's.
    at = start + page.index(b"acme/x#1")
    data[at : at + 8] = b"acme/x#9"
    index.write_bytes(data)
    warnings: list[str] = []
    assert answers(root, warnings) == clean
    assert [w for w in warnings if "do not match their digest" in w], warnings


def test_a_history_page_counts_the_meetings_it_leaves_out(root: Path) -> None:
    """A result is one item of a meeting; what the page leaves out is counted in meetings."""
    (root / "team" / "20240418.md").write_text(
        "# 2024-04-18\n\n## Upgrade\n\nacme/x#1 done.\n\n## Docs\n\nacme/x#1 documented.\n",
        encoding="utf-8",
    )
    config = Config(base_dir=root.parent, default_owner="acme")
    with Archive.open(root, config, [].append) as archive:
        archive.refresh()
        whole = archive.history("acme/x#1")
        assert (len(whole), whole.total, whole.more) == (4, 3, 0)
        latest = archive.history("acme/x#1", 1)
        assert [r["source"] for r in latest] == ["team/20240418.md"] * 2
        assert (latest.total, latest.more) == (3, 2)
