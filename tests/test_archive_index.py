"""The archive's index: incremental refresh, rebuilds, concurrency, location."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from minutes_tree import write

from minutesbot.archive import Archive
from minutesbot.archive.fresh import scan
from minutesbot.archive.store import CHUNK_SPAN, INDEX_DIR, INDEX_FILE, SCHEMA_VERSION
from minutesbot.config import Config, TeamConfig
from minutesbot.records.files import find_minutes_files

PROJECT = Path(__file__).resolve().parent.parent
CONFIG = Config(default_owner="acme")
REF = "acme/widgets#7"


def minutes(day: str, topic: str, body: str) -> str:
    return textwrap.dedent(f"""\
        # {day}

        ## Participants

        - @alice
        - @bob

        ## {topic} (@alice 5min)

        """) + textwrap.dedent(body)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "minutes"
    write(
        root,
        "iaas/20240101.md",
        minutes(
            "2024-01-01",
            "Widgets",
            """\
        - we looked at widgets#7
        - AI @alice: write the widget docs
        """,
        ),
    )
    write(
        root,
        "iaas/20240108.md",
        minutes(
            "2024-01-08",
            "Gadgets",
            """\
        - nothing about widgets
        """,
        ),
    )
    write(
        root,
        "container/20240102.md",
        minutes(
            "2024-01-02",
            "Widgets again",
            """\
        - see https://github.com/acme/widgets/pull/7/files
        - Decision: we ship widgets
        """,
        ),
    )
    return root


def open_archive(root: Path, warnings: list[str] | None = None) -> Archive:
    sink = warnings if warnings is not None else []
    return Archive.open(root, CONFIG, sink.append)


def history_sources(archive: Archive, ref: str = REF) -> list[str]:
    return [r["source"] for r in archive.history(ref)]


def test_cold_build_then_nothing_to_do(root: Path) -> None:
    with open_archive(root) as archive:
        first = archive.refresh()
        assert (first.added, first.changed, first.removed) == (3, 0, 0)
        second = archive.refresh()
        assert (second.parsed, second.removed, second.unchanged) == (0, 0, 3)
        assert history_sources(archive) == ["iaas/20240101.md", "container/20240102.md"]
    assert (root / INDEX_DIR / INDEX_FILE).is_file()
    assert (root / INDEX_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_add_change_remove_reparse_only_those(root: Path) -> None:
    with open_archive(root) as archive:
        archive.refresh()
        write(root, "iaas/20240115.md", minutes("2024-01-15", "Widgets", "- widgets#7 done\n"))
        changed = root / "iaas/20240108.md"
        changed.write_text(
            changed.read_text(encoding="utf-8") + "- now acme/widgets#7 too\n", encoding="utf-8"
        )
        (root / "container/20240102.md").unlink()
        result = archive.refresh()
        assert (result.added, result.changed, result.removed, result.unchanged) == (1, 1, 1, 1)
        assert history_sources(archive) == [
            "iaas/20240101.md",
            "iaas/20240108.md",
            "iaas/20240115.md",
        ]
        assert archive.decisions() == []
        # Removed files leave nothing behind in any table.
        conn = archive.conn
        for table in ("items", "refs", "actions", "decisions"):
            assert (
                conn.execute(
                    f"SELECT count(*) FROM {table} WHERE file_id NOT IN (SELECT id FROM files)"
                ).fetchone()[0]
                == 0
            )
        chunk_files = {rowid // CHUNK_SPAN for (rowid,) in conn.execute("SELECT rowid FROM chunks")}
        assert chunk_files == {file_id for (file_id,) in conn.execute("SELECT id FROM files")}
        assert archive.search("ship widgets") == []


def test_rename_keeping_mtime_and_size_is_seen(root: Path) -> None:
    """A rename keeps the file's stat; its folder's mtime tells (the fingerprint)."""
    with open_archive(root) as archive:
        archive.refresh()
        (root / "iaas/20240101.md").rename(root / "iaas/20240102.md")
        (root / "iaas/notes.txt").write_text("not minutes", encoding="utf-8")
        result = archive.refresh()
        assert (result.added, result.removed, result.unchanged) == (1, 1, 2)
        assert history_sources(archive)[0] == "iaas/20240102.md"
        (root / "iaas/notes.txt").unlink()
        assert archive.refresh().parsed == 0


def test_touched_but_unchanged_file_is_not_reparsed(root: Path) -> None:
    with open_archive(root) as archive:
        archive.refresh()
        path = root / "iaas/20240101.md"
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
        time.sleep(0.05)  # a stat taken in the same clock tick as the change is not trusted
        result = archive.refresh()
        assert (result.parsed, result.unchanged) == (0, 3)
        # The new stat is remembered: the next refresh needs no read at all.
        stored = archive.conn.execute(
            "SELECT mtime_ns FROM files WHERE source = ?", ("iaas/20240101.md",)
        ).fetchone()[0]
        assert stored == path.stat().st_mtime_ns


def test_same_size_change_within_a_second_is_seen(root: Path) -> None:
    """The content hash, not the stat alone, decides once the stat differs."""
    with open_archive(root) as archive:
        archive.refresh()
        path = root / "iaas/20240108.md"
        before = path.stat()
        path.write_text(
            path.read_text(encoding="utf-8").replace("Gadgets", "Widget7"), encoding="utf-8"
        )
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
        assert archive.refresh().changed == 1
        assert archive.search("Widget7")[0]["source"] == "iaas/20240108.md"


def test_an_index_another_version_parsed_is_parsed_again(root: Path) -> None:
    """An upgrade may read minutes differently: the reading of the version before must not
    stay for every file that has not changed since."""
    from minutesbot import __version__

    with open_archive(root) as archive:
        assert archive.refresh().added == 3
    conn = sqlite3.connect(root / INDEX_DIR / INDEX_FILE)
    with conn:
        (settings,) = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        older = json.dumps({**json.loads(settings), "minutesbot": "0.0.1"}, sort_keys=True)
        assert json.loads(settings)["minutesbot"] == __version__
        conn.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (older,))
    conn.close()
    with open_archive(root) as archive:
        result = archive.refresh()
        assert (result.changed, result.unchanged) == (3, 0)
        assert archive.refresh().parsed == 0


def test_configuration_change_reparses_every_file(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a file's refs are depends on default-owner and the teams' repos."""
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    write(root, "iaas/20240115.md", minutes("2024-01-15", "Bare", "- see #7\n"))
    with open_archive(root) as archive:
        assert archive.refresh().added == 4
        assert history_sources(archive, "other/widgets#7") == []
    configs = [
        Config(default_owner="other"),
        Config(default_owner="other", teams={"iaas": TeamConfig(repo="other/widgets")}),
        Config(
            default_owner="other",
            teams={"iaas": TeamConfig(repo="other/widgets")},
            max_file_bytes=50,
        ),
    ]
    expected = [["iaas/20240101.md"], ["iaas/20240101.md", "iaas/20240115.md"], []]
    for config, sources in zip(configs, expected, strict=True):
        with Archive.open(root, config) as archive:
            result = archive.refresh()
            assert (result.changed, result.unchanged) == (4, 0)
            assert history_sources(archive, "other/widgets#7") == sources
            assert archive.refresh().parsed == 0
    # Without default-owner, the owner of GITHUB_REPOSITORY completes repo#N.
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/minutes")
    with Archive.open(root, Config()) as archive:
        assert archive.refresh().changed == 4
        assert history_sources(archive) == ["iaas/20240101.md", "container/20240102.md"]


def test_older_schema_is_rebuilt_with_a_warning(root: Path) -> None:
    with open_archive(root) as archive:
        archive.refresh()
        archive.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    warnings: list[str] = []
    with open_archive(root, warnings) as archive:
        assert any("schema version" in w and "rebuilding" in w for w in warnings)
        assert archive.refresh().added == 3
        assert archive.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_corrupt_index_is_rebuilt_with_a_warning(root: Path) -> None:
    with open_archive(root) as archive:
        archive.refresh()
    path = root / INDEX_DIR / INDEX_FILE
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    warnings: list[str] = []
    with open_archive(root, warnings) as archive:
        assert len(warnings) == 1 and "unreadable" in warnings[0] and str(path) in warnings[0]
        assert archive.refresh().added == 3
        assert history_sources(archive) == ["iaas/20240101.md", "container/20240102.md"]


def damage_pages(path: Path, pages: list[int]) -> None:
    """Overwrite whole pages of a closed index with garbage, its header page left intact."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists()  # all in the main file
    garbage = random.Random(7)
    with path.open("r+b") as f:
        for page in pages:
            assert page > 1
            f.seek((page - 1) * page_size)
            f.write(garbage.randbytes(page_size))


def many_files(root: Path) -> None:
    """Enough meetings for an index of many pages."""
    for n in range(40):
        write(
            root,
            f"iaas/202402{n % 28 + 1:02d}-{n}.md",
            minutes(f"2024-02-{n % 28 + 1:02d}", f"Topic {n}", "- widgets#7\n" * 20),
        )


def test_damaged_pages_found_in_a_refresh_are_rebuilt(root: Path) -> None:
    many_files(root)
    with open_archive(root) as archive:
        archive.refresh()
    path = root / INDEX_DIR / INDEX_FILE
    pages = path.stat().st_size // sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    damage_pages(path, list(range(2, pages + 1)))
    warnings: list[str] = []
    with open_archive(root, warnings) as archive:
        assert archive.refresh().added == 43
        assert len(history_sources(archive)) == 42
    assert len(warnings) == 1 and "unreadable" in warnings[0] and str(path) in warnings[0]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_damaged_pages_found_in_a_query_are_rebuilt(root: Path) -> None:
    """The header, the schema and the tables a refresh reads are intact; those of refs are
    not: history is the first to read them."""
    many_files(root)
    with open_archive(root) as archive:
        archive.refresh()
        expected = archive.history(REF)
        pages = [
            page
            for (page,) in archive.conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'refs'"
            )
        ]
    path = root / INDEX_DIR / INDEX_FILE
    damage_pages(path, pages)
    warnings: list[str] = []
    with open_archive(root, warnings) as archive:
        assert archive.refresh().parsed == 0 and warnings == []
        assert archive.history(REF) == expected
        assert len(warnings) == 1 and "malformed" in warnings[0] and "rebuilding" in warnings[0]
        assert archive.history(REF) == expected and len(warnings) == 1
    # The next process finds a sound index.
    with open_archive(root, warnings) as archive:
        assert archive.refresh().parsed == 0 and len(warnings) == 1


def test_text_that_is_not_utf8_counts_as_damage(root: Path) -> None:
    """Garbage that still looks like a page: SQLite reads it, Python cannot decode it."""
    warnings: list[str] = []
    with open_archive(root, warnings) as archive:
        archive.refresh()
        expected = archive.history(REF)
        archive.conn.execute("UPDATE items SET title = CAST(x'c328ff' AS TEXT)")
        assert archive.history(REF) == expected
        assert len(warnings) == 1 and "UTF-8" in warnings[0]


def test_unparseable_file_is_reported_and_skipped(root: Path) -> None:
    (root / "iaas/broken.md").write_bytes(b"# 2024-01-01\n\x00\x01binary")
    with open_archive(root) as archive:
        result = archive.refresh()
        assert result.added == 4
        assert any(w.startswith("iaas/broken.md") or "broken.md" in w for w in result.warnings)
        assert archive.refresh().parsed == 0


def test_unwritable_root_falls_back_to_the_cache(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    # A file where the index folder would go: the folder cannot be created.
    (root / INDEX_DIR).write_text("in the way", encoding="utf-8")
    with open_archive(root) as archive:
        assert archive.path.parent.parent == cache / "minutesbot"
        assert archive.refresh().added == 3
    with open_archive(root) as archive:
        assert archive.refresh().parsed == 0


_READ_ONLY = """
import sys
from pathlib import Path
from minutesbot.archive import Archive
from minutesbot.config import Config, TeamConfig
with Archive.open(Path(sys.argv[1]), Config(default_owner="acme")) as archive:
    print(archive.path, archive.refresh().added)
"""


def test_read_only_root_falls_back_to_the_cache(tmp_path: Path) -> None:
    """A real read-only folder. Permission bits do not stop root, so as root the
    check runs in a user namespace (``unshare -U``), where they do."""
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        if (
            not shutil.which("unshare")
            or subprocess.run(["unshare", "-U", "true"], capture_output=True).returncode != 0
        ):
            pytest.skip("running as root without user namespaces: cannot make a folder read-only")
        prefix = ["unshare", "-U"]
    # Outside pytest's private temporary folder, which the namespace's user cannot enter.
    shared = Path(tempfile.mkdtemp(prefix="minutesbot-ro-"))
    try:
        shared.chmod(0o755)
        root = shared / "minutes"
        write(root, "iaas/20240101.md", minutes("2024-01-01", "Widgets", "- widgets#7\n"))
        cache = shared / "cache"
        cache.mkdir()
        cache.chmod(0o777)
        for folder in (root / "iaas", root):
            folder.chmod(0o555)
        env = {**os.environ, "PYTHONPATH": str(PROJECT), "XDG_CACHE_HOME": str(cache)}
        done = subprocess.run(
            [*prefix, sys.executable, "-c", _READ_ONLY, str(root)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        path, added = done.stdout.split()
        assert Path(path).is_relative_to(cache / "minutesbot") and added == "1"
        assert not (root / INDEX_DIR).exists()
    finally:
        for folder in (root / "iaas", root):
            folder.chmod(0o755)
        shutil.rmtree(shared)


def test_scan_selects_what_the_parser_selects(root: Path) -> None:
    write(root, ".hidden/20240101.md", "# hidden\n")
    write(root, "iaas/notes.txt", "not minutes\n")
    write(root, "README.md", "# about\n")
    expected = {p.relative_to(root).as_posix() for p in find_minutes_files([root])}
    assert set(scan(root).files) == expected


def test_scan_follows_no_link_to_a_parent_or_outside_but_reads_symlinked_files_inside(
    root: Path, tmp_path: Path
) -> None:
    """A link to a parent folder must not make the walk endless (iaas/up/iaas/up/...); a
    link to a file outside the root is not read, one to a file inside it is."""
    outside = write(
        tmp_path / "elsewhere", "20240301.md", minutes("2024-03-01", "Widgets", "- widgets#7\n")
    )
    inside = write(root, "kept/20240301.txt", minutes("2024-03-01", "Widgets", "- widgets#7\n"))
    (root / "iaas/up").symlink_to("..")
    (root / "iaas/outside").symlink_to(outside.parent)
    (root / "iaas/20240301.md").symlink_to(inside)
    (root / "iaas/20240302.md").symlink_to(outside)
    (root / "iaas/gone.md").symlink_to(tmp_path / "nowhere.md")
    write(root, "folder.md/20240401.md", "# 2024-04-01\n")
    expected = {p.relative_to(root).as_posix() for p in find_minutes_files([root])}
    assert (
        set(scan(root).files)
        == expected
        == {
            "iaas/20240101.md",
            "iaas/20240108.md",
            "container/20240102.md",
            "iaas/20240301.md",
            "folder.md/20240401.md",
        }
    )
    with open_archive(root) as archive:
        assert archive.refresh().added == 5
        assert {r["source"] for r in archive.search("widgets")} <= expected


_REFRESHER = """
import sys
from pathlib import Path
from minutesbot.archive import Archive
from minutesbot.config import Config, TeamConfig
with Archive.open(Path(sys.argv[1]), Config(default_owner="acme"), print) as archive:
    result = archive.refresh(jobs=1)
    print(result.added, len(archive.history("acme/widgets#7")))
"""


def test_two_processes_refreshing_at_once(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    for n in range(60):
        write(
            root,
            f"team{n % 3}/2024{n // 28 + 1:02d}{n % 28 + 1:02d}.md",
            minutes(f"2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}", "Widgets", "- acme/widgets#7\n"),
        )
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _REFRESHER, str(root)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    added = sorted(int(out.split()[0]) for out, _ in outputs)
    # One built the index; the other, waiting for the write lock, found nothing left to do.
    assert added == [0, 60]
    assert all(out.split()[1] == "60" for out, _ in outputs)
    conn = sqlite3.connect(root / INDEX_DIR / INDEX_FILE)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 60
    conn.close()


_IMPORTS = """
import sys
from minutesbot.cli import main
try:
    main(["history", "acme/widgets#7", "--root", sys.argv[1], "--json"])
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules
               if m.split(".")[0] in ("markdown_it", "github", "mdit_py_plugins", "jinja2")
               or m == "minutesbot.records.parser"
               or (m.startswith("minutesbot.cli.") and m not in ("minutesbot.cli.answers",
                                                                 "minutesbot.cli.archive",
                                                                 "minutesbot.cli.common",
                                                                 "minutesbot.cli.days",
                                                                 "minutesbot.cli.group",
                                                                 "minutesbot.cli.invocation")))
print("HEAVY:" + ",".join(heavy))
"""


def test_history_on_a_warm_index_imports_no_parser_pygithub_nor_other_commands(root: Path) -> None:
    with open_archive(root) as archive:
        archive.refresh()
    # The command reads the configuration the index was built with.
    (root.parent / "minutesbot.toml").write_text('default-owner = "acme"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("GITHUB_REPOSITORY", None)
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTS, str(root)],
        env=env,
        cwd=root.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    lines = out.splitlines()
    assert lines[-1] == "HEAVY:", out
    assert [json.loads(line)["source"] for line in lines[:-1]] == [
        "iaas/20240101.md",
        "container/20240102.md",
    ]
