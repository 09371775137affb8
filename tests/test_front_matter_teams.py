"""A team named in front matter is the team ``--team`` would take that name for.

``team: IaaS`` in ``container/`` (a meeting filed in another team's folder)
or in a file at the root names the folder ``iaas``: the index files it under
``iaas``, as ``minutesbot actions --team IaaS`` and ``new --team IaaS`` read
the name, not as a team of its own beside it. Whenever the teams such a name
may mean change (a folder comes or goes, one differing only in case comes),
the files that name one are read again: the index then holds what a build
from scratch would.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gitrepo import commit, git
from minutes_tree import write

from minutesbot.agenda.history import history_from_index, load_history
from minutesbot.agenda.prepare import build_agenda
from minutesbot.agenda.render import render_agenda
from minutesbot.archive import Archive
from minutesbot.config import Config, TeamConfig
from minutesbot.digest import build_digest
from minutesbot.records.parser import may_name_its_team
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting, spelled_as_known

CONFIG = Config(default_owner="acme")
TODAY = date(2024, 1, 20)
JOINT = "---\nteam: {team}\n---\n# Joint meeting {day}\n\n## Participants\n\n- @carol\n\n"
MTU = JOINT.format(team="IaaS", day="2024-01-05") + "## Networking\n\n- AI @carol: check the MTU\n"
DONE = "# 2024-01-12\n\n## Review of action items\n\n- @carol check the MTU: done\n"


def answers(archive: Archive) -> dict[str, Any]:
    """What the questions this is about answer: the teams, each meeting's team (the
    record's too), and each action's team and state."""
    return {
        "teams": archive.teams(),
        "records": sorted((r["source"], r["team"]) for r in archive.records()),
        "actions": sorted(
            (a["source"], a["line"], a["team"], a["status"]) for a in archive.actions()
        ),
    }


def from_scratch(root: Path, tmp_path: Path, config: Config = CONFIG) -> dict[str, Any]:
    """The answers of an index built anew from the same files (a copy, no git)."""
    copy = tmp_path / "scratch" / "minutes"
    shutil.rmtree(copy.parent, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".minutesbot", ".git"))
    with Archive.open(copy, config) as archive:
        archive.refresh(today=TODAY)
        return answers(archive)


def test_spelled_as_known_takes_the_exact_name_then_the_only_one_in_any_case() -> None:
    assert spelled_as_known("IaaS", {"iaas", "container"}) == "iaas"
    assert spelled_as_known("iaas", {"iaas", "IAAS"}) == "iaas"
    assert spelled_as_known("Iaas", {"iaas", "IAAS"}) is None  # two: neither is meant
    assert spelled_as_known("ops", {"iaas"}) is None


def test_front_matter_in_another_folder_or_at_the_root_names_the_folders_team(
    tmp_path: Path,
) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240103.md", "# 2024-01-03\n\n## Disks\n\n- AI @alice: write the ceph doc\n")
    write(root, "container/20240104.md", "# 2024-01-04\n\n## Pods\n\n- AI @bob: set up registry\n")
    write(root, "container/20240105.md", MTU)
    at_the_root = JOINT.format(team="IAAS", day="2024-01-06") + "## DNS\n\n- Decision: one zone\n"
    write(root, "20240106.md", at_the_root)
    with Archive.open(root, CONFIG) as archive:
        archive.refresh(today=TODAY)
        assert archive.teams() == ["container", "iaas"]
        owed = {a["text"]: a["team"] for a in archive.actions(status="open")}
        assert owed == {
            "write the ceph doc": "iaas",
            "set up registry": "container",
            "check the MTU": "iaas",
        }
        assert [d["team"] for d in archive.decisions()] == ["iaas"]
        digest = build_digest(archive, "2024-01-01", "2024-01-31")
        assert sorted(t.team for t in digest.teams) == ["container", "iaas"]
        assert answers(archive)["records"] == [
            ("20240106.md", "iaas"),
            ("container/20240104.md", "container"),
            ("container/20240105.md", "iaas"),
            ("iaas/20240103.md", "iaas"),
        ]
    around = Surroundings(TODAY)
    history = history_from_index(TeamSetting(root, "iaas", CONFIG), around)
    assert [r.source for r in history.records] == [
        "iaas/20240103.md",
        "container/20240105.md",
        "20240106.md",
    ]
    agenda = build_agenda(history, around)
    assert sorted(d["text"] for d in agenda.open_debts) == ["check the MTU", "write the ceph doc"]
    # Without an index, new reads the files: the same meetings, the same agenda.
    from_files = load_history(TeamSetting(root, "iaas", CONFIG))
    assert [r.source for r in from_files.records] == [r.source for r in history.records]
    assert from_files.warnings == []
    assert render_agenda(build_agenda(from_files, around), CONFIG) == render_agenda(agenda, CONFIG)


def test_a_folder_that_comes_later_takes_the_teams_meetings_over(tmp_path: Path) -> None:
    """Tracked as one team: the folder's first meeting closes what the other folder's
    meeting opened. The file naming the team is read again, and no answer finds its rows
    damaged."""
    root = tmp_path / "minutes"
    write(root, "container/20240105.md", MTU)
    warnings: list[str] = []
    with Archive.open(root, CONFIG, warnings.append) as archive:
        archive.refresh(today=TODAY)
        assert archive.teams() == ["IaaS"]
        write(root, "iaas/20240112.md", DONE)
        assert archive.refresh(today=TODAY).parsed == 2
        assert answers(archive) == from_scratch(root, tmp_path)
        assert answers(archive)["actions"] == [("container/20240105.md", 12, "iaas", "done")]
        assert archive.refresh(today=TODAY).parsed == 0
    assert warnings == []


@pytest.mark.parametrize(
    "change",
    ["folder removed", "case twin added", "configured team removed", "record damaged"],
)
def test_whatever_changes_the_teams_the_index_is_what_a_build_from_scratch_gives(
    tmp_path: Path, change: str
) -> None:
    root = tmp_path / "minutes"
    write(root, "container/20240105.md", MTU)
    write(root, "ops/20240112.md", "---\nteam: IAAS\n---\n" + DONE)
    (root / "iaas").mkdir()
    config = CONFIG
    if change == "configured team removed":
        (root / "iaas").rmdir()
        config = Config(default_owner="acme", teams={"iaas": TeamConfig()})
    with Archive.open(root, config) as archive:
        archive.refresh(today=TODAY)
        before = answers(archive)
    assert before["teams"] == ["iaas"]
    if change == "folder removed":
        (root / "iaas").rmdir()
    elif change == "case twin added":
        write(root, "IaaS/20240101.md", "# 2024-01-01\n\n## Start\n\n- notes\n")
    elif change == "configured team removed":
        config = CONFIG
    else:
        with sqlite3.connect(root / ".minutesbot" / "index.sqlite") as conn:
            conn.execute("UPDATE files SET record = substr(record, 1, length(record) - 5)")
        (root / "iaas").rmdir()
    with Archive.open(root, config) as archive:
        archive.refresh(today=TODAY)
        after = answers(archive)
    assert after == from_scratch(root, tmp_path, config)
    assert after != before


def test_a_new_folder_is_seen_in_a_git_work_tree_where_no_minutes_file_changed(
    tmp_path: Path,
) -> None:
    """Git lists no empty folder, nor one holding no minutes: a query looks at the root's
    folders itself, where some file names its team."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, {"minutes/container/20240105.md": MTU}, "joint meeting")
    root = repo / "minutes"
    with Archive.open(root, CONFIG) as archive:
        archive.refresh(today=TODAY)
        assert archive.teams() == ["IaaS"]
        write(root, "iaas/.gitkeep", "")
        assert archive.refresh(today=TODAY).parsed == 1
        assert archive.teams() == ["iaas"]
        assert archive.refresh(today=TODAY).parsed == 0


def test_new_shows_the_warnings_of_a_meeting_filed_under_its_team_from_elsewhere(
    tmp_path: Path,
) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240103.md", "# 2024-01-03\n\n## Disks\n\n- AI @alice: write the ceph doc\n")
    write(root, "container/20240107.md", MTU)  # titled the 5th: a warning
    write(root, "container/20240108.md", "# 2024-01-09\n\n## Pods\n\n- notes\n")  # not iaas's
    shown: list[str] = []
    around = Surroundings(TODAY, {}, shown.append)
    history_from_index(TeamSetting(root, "iaas", CONFIG), around)
    assert [w.partition(": ")[0] for w in shown] == ["container/20240107.md"]


def test_publish_team_takes_the_meetings_filed_under_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from minutesbot.cli import main

    root = tmp_path / "minutes"
    write(root, "iaas/20240103.md", "# 2024-01-03\n\n## Disks\n\nSee acme/x#1.\n")
    write(root, "container/20240105.md", MTU + "\nSee acme/x#2.\n")
    write(root, "container/20240106.md", "# 2024-01-06\n\n## Pods\n\nSee acme/x#3.\n")
    (tmp_path / "minutesbot.toml").write_text('[teams.iaas]\nname = "Infrastructure"\n')
    env = {"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "acme/minutes"}
    args = ["publish", "--dry-run", "--root", str(root), "--team", "iaas", str(root)]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, args, env=env)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "acme/x#1" in result.output and "acme/x#2" in result.output
    assert "acme/x#3" not in result.output
    # The meeting filed under iaas from another folder speaks of the team as configured.
    assert "Team IaaS" not in result.output
    assert result.output.count("Infrastructure") >= 2, result.output


@pytest.mark.parametrize(
    "data, may",
    [
        (b"---\nteam: IaaS\n---\n# 2024-01-05\n", True),
        (b"\xef\xbb\xbf---\nTeam: IaaS\n---\n# 2024-01-05\n", True),  # a byte order mark
        ("---\nteam: IaaS\n---\n# 2024-01-05\n".encode("utf-16"), True),
        (b"---\nlayout: minutes\n---\n# 2024-01-05\n", False),  # a site generator's
        (b"# 2024-01-05\n\nteam: IaaS\n", False),
        (b"---\n\n# 2024-01-05\n\nTeam: all of us\n", True),  # a rule: parsed to know
        (b"\xff\xfe-\x00-", True),  # broken UTF-16: parsed, for its error to be told
        (b"\n \n---\nteam: IaaS\n---\n# 2024-01-05\n", True),  # blank lines first
        (b"---\n" + b"note: x\n" * 10_000 + b"team: IaaS\n---\n# 2024-01-05\n", True),
    ],
)
def test_may_name_its_team_is_cheap_and_never_wrong_the_other_way(
    tmp_path: Path, data: bytes, may: bool
) -> None:
    path = tmp_path / "20240105.md"
    path.write_bytes(data)
    assert may_name_its_team(path, 1 << 20) is may
    # Bigger than the parser reads: passed, not read (the parse tells it is too big).
    assert may_name_its_team(path, 10) is True


def test_new_without_an_index_sees_front_matter_after_a_byte_order_mark(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240103.md", "# 2024-01-03\n\n## Disks\n\n- AI @alice: write the ceph doc\n")
    (root / "container").mkdir()
    (root / "container" / "20240105.md").write_bytes(b"\xef\xbb\xbf" + MTU.encode())
    around = Surroundings(TODAY)
    team = TeamSetting(root, "iaas", CONFIG)
    from_files = [r.source for r in load_history(team).records]
    assert from_files == [r.source for r in history_from_index(team, around).records]
    assert from_files == ["iaas/20240103.md", "container/20240105.md"]


def test_publish_changed_compares_with_the_earlier_version_read_as_the_file_is(
    tmp_path: Path,
) -> None:
    """A bare #12 is completed by the folder's repository, in both versions: the earlier one
    was read with the filed team's, and its backlink planned for removal."""
    from click.testing import CliRunner

    from minutesbot.cli import main

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "minutesbot.toml").write_text(
        '[teams.alpha]\nrepo = "acme/alpha-repo"\n[teams.beta]\nrepo = "acme/beta-repo"\n'
    )
    meeting = "---\nteam: Beta\n---\n# 2024-03-13\n\n## Certs\n\nSee #12, {}.\n"
    git(repo, "init", "-q")
    commit(
        repo, {"minutes/alpha/20240313.md": meeting.format("first"), "minutes/beta/x.md": ""}, "a"
    )
    commit(repo, {"minutes/alpha/20240313.md": meeting.format("second")}, "b")
    env = {"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "acme/minutes"}
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(
            main, ["publish", "--dry-run", "--changed", "HEAD~1..HEAD"], env=env
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "acme/alpha-repo#12" in result.output
    assert "would remove" not in result.output, result.output


def test_publish_changed_reads_an_earlier_utf16_version_as_the_current_one(
    tmp_path: Path,
) -> None:
    """The earlier version was decoded as UTF-8 whatever it was: a UTF-16 file's dropped
    refs were never withdrawn."""
    from click.testing import CliRunner

    from minutesbot.cli import main

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "minutesbot.toml").write_text('[teams.alpha]\nrepo = "acme/alpha-repo"\n')
    path = repo / "minutes" / "alpha" / "20240313.md"
    path.parent.mkdir(parents=True)
    git(repo, "init", "-q")
    for refs in ("#12 and #13", "#12"):
        path.write_bytes(f"# 2024-03-13\n\n## Certs\n\nSee {refs}.\n".encode("utf-16"))
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", refs)
    env = {"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "acme/minutes"}
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        args = ["publish", "--dry-run", "--changed", "HEAD~1..HEAD"]
        result = CliRunner().invoke(main, args, env=env)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "acme/alpha-repo#13" in result.output and "would remove" in result.output
