"""``stats`` on minutes written in the test: commit delays from a real git history, the
terminal tables, and what is left out where git cannot tell."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from minutesbot.archive import Archive
from minutesbot.config import load_config
from minutesbot.stats import compute_stats
from minutesbot.stats.gitlog import commit_days
from minutesbot.stats.table import render_tables, strip

MEETING = """\
# {date}

## Participants

- @alice
{extra}
## Community call and minutes transfer

- Who is reporting in the community call?: {reporter}
- Responsible for the minutes (writing and transfer to github): @alice

## Agenda

### Storage

- AI @alice: write the storage notes
"""

# meeting day -> the days its file was committed (the first: an agenda committed ahead)
COMMITS = {
    "2024-01-05": ["2024-01-04", "2024-01-08"],
    "2024-01-12": ["2024-01-12"],
    "2024-01-19": ["2024-01-18"],
    "2024-02-02": [],
}


def git(repo: Path, *args: str, day: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+01:00"
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minutes repository whose files were committed on the days of COMMITS."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "minutesbot.toml").write_text('default-owner = "acme"\n', encoding="utf-8")
    commits = sorted((day, meeting) for meeting, days in COMMITS.items() for day in days)
    for n, (day, meeting) in enumerate(commits):
        path = tmp_path / "minutes" / "iaas" / f"{meeting.replace('-', '')}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            MEETING.format(
                date=meeting,
                extra=f"- @bob\n<!-- {n} -->\n" * (n % 2),
                reporter="@bob" if n % 2 else "404 - No volunteer found",
            ),
            encoding="utf-8",
        )
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"minutes {meeting}", day=day)
    uncommitted = tmp_path / "minutes" / "iaas" / "20240202.md"
    uncommitted.write_text(
        MEETING.format(date="2024-02-02", extra="", reporter="@alice"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def archive(repo: Path) -> Iterator[Archive]:
    config = load_config(repo)
    with Archive.open(config.root(), config) as opened:
        opened.refresh()
        yield opened


def test_commit_days_are_read_from_the_history(repo: Path) -> None:
    days, note = commit_days(repo / "minutes")
    assert days == {
        "iaas/20240105.md": ["2024-01-04", "2024-01-08"],
        "iaas/20240112.md": ["2024-01-12"],
        "iaas/20240119.md": ["2024-01-18"],
    }
    assert "git history" in note


def test_delay_is_to_the_first_commit_on_or_after_the_meeting(archive: Archive) -> None:
    stats = compute_stats(archive)
    assert stats.delays is not None
    found = {d.source: (d.committed, d.days) for d in stats.delays["iaas"]}
    assert found == {
        "iaas/20240105.md": ("2024-01-08", 3),
        "iaas/20240112.md": ("2024-01-12", 0),
        "iaas/20240119.md": (None, None),
    }
    table = render_tables(stats)
    assert "Delay from meeting to the first commit" in table
    row = next(line for line in table.splitlines() if line.startswith("iaas") and "1.5" in line)
    assert row.split() == ["iaas", "3", "1.5", "3", "1"]


def test_no_delays_outside_a_work_tree_or_in_a_shallow_clone(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    plain = tmp_path_factory.mktemp("plain")
    assert commit_days(plain) == (None, f"{plain} is not in a git work tree: no commit delays")
    shallow = tmp_path_factory.mktemp("shallow") / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    days, note = commit_days(shallow / "minutes")
    assert days is None and "shallow clone" in note


def test_tables_count_chores_attendance_and_actions(archive: Archive) -> None:
    stats = compute_stats(archive, since="2024-01-01", until="2024-01-31", git=False)
    assert stats.meetings == {"iaas": {"2024-01": 3}}
    assert stats.attendance["iaas"]["@alice"] == {"2024-01": 3}
    assert stats.chores["@alice"] == {"minutes": 3}
    assert sum(stats.unfilled.values()) + stats.chores["@bob"]["reporter"] == 3
    assert stats.actions == {"iaas": {"2024-01": {"opened": 1, "relisted": 2}}}
    table = render_tables(stats)
    assert "Delay from meeting to commit" not in table
    assert [line.split()[:5] for line in table.splitlines() if line.startswith("@alice")] == [
        ["@alice", "iaas", "3", "3", "100%"],
        ["@alice", "3", "0", "3"],
    ]


def test_a_strip_marks_each_month() -> None:
    assert strip([0, 0.5, 1, None]) == " ▄█·"


def test_nothing_to_count_is_said_in_a_line(archive: Archive) -> None:
    stats = compute_stats(archive, since="2030-01-01", git=False)
    assert render_tables(stats) == "No dated meetings in the selection."


def test_an_undated_files_action_is_in_no_period(repo: Path, archive: Archive) -> None:
    """It ended ``stats`` in a traceback (its month was read from no date)."""
    notes = repo / "minutes" / "iaas" / "notes.md"
    notes.write_text("# Notes\n\n## Topic\n\n- AI @x: do y\n", encoding="utf-8")
    archive.refresh()
    stats = compute_stats(archive, git=False)
    assert set(stats.actions["iaas"]) == {"2024-01", "2024-02"}


def test_a_year_mistyped_in_a_title_counts_the_meeting_by_its_file_name(
    repo: Path, archive: Archive
) -> None:
    """Titled two centuries ahead, it stretched the charts over them (39,238 pixels wide
    for the SCS archive); new and tracking already took the file name's day."""
    (repo / "minutes" / "iaas" / "20240126.md").write_text(
        MEETING.format(date="2204-01-26", extra="", reporter="@alice"), encoding="utf-8"
    )
    archive.refresh()
    stats = compute_stats(archive, git=False)
    assert stats.months == ["2024-01", "2024-02"]
    assert stats.meetings["iaas"]["2024-01"] == 4
    assert set(stats.actions["iaas"]) == {"2024-01", "2024-02"}
    january = compute_stats(archive, since="2024-01-01", until="2024-01-31", git=False)
    assert sum(january.meetings["iaas"].values()) == 4


def test_the_months_end_at_the_last_one_in_the_year_9999(repo: Path, archive: Archive) -> None:
    """Compared as text, "10000-01" came before "9999-12": a million months were drawn."""
    (repo / "minutes" / "iaas" / "99991201.md").write_text(
        MEETING.format(date="9999-12-01", extra="", reporter="@alice"), encoding="utf-8"
    )
    archive.refresh(today=date(9999, 12, 31))  # held: a meeting of the period
    assert compute_stats(archive, since="9999-01-01", git=False).months == ["9999-12"]
