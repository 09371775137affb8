"""Symlinked team folders, with real links in temporary folders (issue 10; issue 16, point 10).

A team folder that links to another folder's notes holds meetings of that
team: every part that looks for minutes (parse, lint, publish, new, the
index, the team listing) sees them under the link's own path. Links that
lead outside the minutes root, to the root, within their own team or round
in a loop are not entered; nothing is written through them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import git

from minutesbot.agenda.pull_request import teams_touched
from minutesbot.archive import Archive
from minutesbot.archive.fresh import scan
from minutesbot.cli import main
from minutesbot.config import Config
from minutesbot.records.files import find_minutes_files
from minutesbot.records.gitrange import changed_minutes
from minutesbot.surroundings import Surroundings
from minutesbot.teams import team_names
from minutesbot.track.plan import relative_sources

CONFIG = Config(default_owner="acme")


def meeting(day: str, words: str) -> str:
    return f"# {day}\n\n## Minutes\n- @bob\n\n## Topic\n\n- {words}\n- AI @alice: write it up\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """hackathon holds a meeting; docs is a link to it; iaas has its own."""
    root = tmp_path / "repo" / "minutes"
    write(root / "hackathon/20240105.md", meeting("2024-01-05", "hack acme/widgets#5"))
    write(root / "iaas/20240110.md", meeting("2024-01-10", "iaas widgets#6"))
    (root / "docs").symlink_to("hackathon", target_is_directory=True)
    return root


def sources(root: Path, *paths: Path) -> list[str]:
    found = find_minutes_files(paths or [root], root)
    return [p.relative_to(root).as_posix() for p in found]


def test_a_team_folder_linking_to_another_holds_its_meetings(root: Path) -> None:
    assert sources(root) == ["docs/20240105.md", "hackathon/20240105.md", "iaas/20240110.md"]
    assert sources(root, root / "docs") == ["docs/20240105.md"]
    assert team_names(root) == ["docs", "hackathon", "iaas"]
    assert set(scan(root).files) == set(sources(root))
    assert scan(root).linked == {"docs"}


def test_parse_names_the_link_and_its_team(root: Path) -> None:
    result = CliRunner().invoke(main, ["parse", "--json", "--root", str(root), str(root)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["source"], r["team"]) for r in records] == [
        ("docs/20240105.md", "docs"),
        ("hackathon/20240105.md", "hackathon"),
        ("iaas/20240110.md", "iaas"),
    ]
    assert relative_sources(find_minutes_files([root], root), root) == (
        [r["source"] for r in records],
        [],
    )


def test_links_that_would_leak_repeat_or_loop_are_not_entered(root: Path, tmp_path: Path) -> None:
    write(tmp_path / "elsewhere/20240301.md", meeting("2024-03-01", "secret"))
    write(root / "iaas/2024/20240117.md", meeting("2024-01-17", "deep"))
    write(root / "container/2023/20231201.md", meeting("2023-12-01", "old"))
    links = {
        "outside": tmp_path / "elsewhere",  # outside the root: never read
        "all": Path("."),  # the root itself
        "iaas/up": Path(".."),  # a parent
        "iaas/latest": Path("2024"),  # within its own team: listed once
        "iaas/container-2023": Path("../container/2023"),  # another team's notes
        "container/2023/loop": Path("../../iaas"),  # entered, but not met through a link
        "gone": tmp_path / "nowhere",
    }
    for name, target in links.items():
        (root / name).symlink_to(target, target_is_directory=True)
    found = sources(root)
    assert found == [
        "container/2023/20231201.md",
        "container/2023/loop/2024/20240117.md",
        "container/2023/loop/20240110.md",
        "docs/20240105.md",
        "hackathon/20240105.md",
        "iaas/2024/20240117.md",
        "iaas/20240110.md",
        "iaas/container-2023/20231201.md",
    ]
    assert set(scan(root).files) == set(found)


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_a_folder_link_leading_outside_the_root_is_named_not_read(
    root: Path, tmp_path: Path, command: str
) -> None:
    write(tmp_path / "notes/docs/20240301.md", meeting("2024-03-01", "secret"))
    (root / "ops").symlink_to(tmp_path / "notes/docs", target_is_directory=True)
    result = CliRunner().invoke(main, [command, "--root", str(root), str(root)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "outside the minutes root" in line]
    assert len(warnings) == 1 and "warning: ops in " in warnings[0], result.stderr
    assert "secret" not in result.stdout and "ops/" not in result.stdout


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_a_file_link_leading_outside_the_root_is_named_not_read(
    root: Path, tmp_path: Path, command: str
) -> None:
    """A link in a pull request must not make the checks read the runner's files (a
    token in ``/proc/self/environ``, or in ``.git/config`` where a checkout keeps it):
    only links to files in a visible part of the root are read."""
    write(tmp_path / "secrets/20240301.md", meeting("2024-03-01", "secret"))
    write(root / "shared/20240302.txt", meeting("2024-03-02", "shared"))
    write(root / ".git-like/20240304.md", meeting("2024-03-04", "secret"))
    (root / "iaas/20240301.md").symlink_to(tmp_path / "secrets/20240301.md")
    (root / "iaas/20240302.md").symlink_to("../shared/20240302.txt")
    detour = os.path.relpath(tmp_path / "secrets/20240301.md", root)  # ../secrets/..., or so
    (root / "iaas/20240303.md").symlink_to(f"../shared/../{detour}")
    (root / "iaas/20240304.md").symlink_to("../.git-like/20240304.md")
    result = CliRunner().invoke(main, [command, "--root", str(root), str(root)])
    # lint fails on such a link: a pull request adding one is no green check
    assert result.exit_code == (1 if command == "lint" else 0), result.output
    warnings = [line for line in result.stderr.splitlines() if "outside the minutes root" in line]
    assert sorted(w.split("warning: ")[1].split(" in ")[0] for w in warnings) == [
        "iaas/20240301.md",
        "iaas/20240303.md",
        "iaas/20240304.md",
    ], result.stderr
    assert all("links to a file outside" in w for w in warnings)
    assert "secret" not in result.stdout
    assert ("iaas/20240301.md: error: not read" in result.stdout) == (command == "lint")
    assert ("iaas/20240302.md" in result.stdout) == (command == "parse")
    found = sources(root)
    assert "iaas/20240302.md" in found
    assert not {"iaas/20240301.md", "iaas/20240303.md", "iaas/20240304.md"} & set(found)
    assert set(scan(root).files) == set(found)


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_a_folder_named_that_links_outside_the_root_is_named_not_read(
    root: Path, tmp_path: Path, command: str
) -> None:
    """Named on the command line (``parse minutes/evil``, ``minutes/*``), a folder is read
    as a walk of the root reads it: not at all where it links outside or to the root."""
    write(tmp_path / "elsewhere/20240301.md", meeting("2024-03-01", "secret"))
    (root / "evil").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "all").symlink_to(".", target_is_directory=True)
    named = [str(root / "evil"), str(root / "all")]
    result = CliRunner().invoke(main, [command, "--root", str(root), *named])
    assert "secret" not in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "outside the minutes root" in line]
    assert len(warnings) == 1 and "warning: evil in " in warnings[0], result.stderr
    assert "evil" not in team_names(root) and "all" not in team_names(root)


def test_a_web_of_links_is_read_once_per_link(tmp_path: Path) -> None:
    """Each of 40 folders links twice to the next: followed links within links would take
    2**40 walks; one level of links takes 80."""
    root = tmp_path / "minutes"
    for n in range(40):
        write(root / f"t{n}/2024{n:04d}.md", meeting("2024-01-01", "x"))
        if n:
            for side in ("a", "b"):
                (root / f"t{n - 1}/{side}").symlink_to(f"../t{n}", target_is_directory=True)
    found = sources(root)
    assert len(found) == 40 + 2 * 39
    assert len(scan(root).files) == len(found)


def test_lint_and_publish_see_the_linked_meeting(root: Path, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.chdir(root.parent)
    linted = CliRunner().invoke(main, ["lint", "--root", "minutes", "minutes"])
    assert linted.exit_code == 0, linted.output
    assert "docs/20240105.md" not in linted.output  # nothing wrong with it
    published = CliRunner().invoke(
        main, ["publish", "--dry-run", "--root", "minutes", "minutes/docs"]
    )
    assert published.exit_code == 0, published.output
    assert "acme/widgets#5" in published.output and "docs/20240105.md" in published.output


def test_new_carries_the_linked_meetings_actions_and_writes_inside_the_root(
    root: Path, monkeypatch
) -> None:
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(
        main, ["new", "--root", "minutes", "--team", "docs", "--date", "2024-01-12", "--stdout"]
    )
    assert result.exit_code == 0, result.output
    assert "@alice" in result.output and "write it up" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_index_follows_a_linked_folder_in_a_git_work_tree(root: Path) -> None:
    repo = root.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "minutes")

    def indexed() -> dict[str, str]:
        with Archive.open(root, CONFIG) as archive:
            archive.refresh()
            mode = archive.conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()
            assert mode[0] == "git"
            return dict(archive.conn.execute("SELECT source, team FROM files"))

    assert indexed() == {
        "docs/20240105.md": "docs",
        "hackathon/20240105.md": "hackathon",
        "iaas/20240110.md": "iaas",
    }
    # A meeting added to the linked folder, then committed: both names, at once.
    write(root / "hackathon/20240112.md", meeting("2024-01-12", "more"))
    assert {"docs/20240112.md", "hackathon/20240112.md"} <= indexed().keys()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    assert {"docs/20240112.md", "hackathon/20240112.md"} <= indexed().keys()
    # A link added later, then one removed.
    (root / "iam").symlink_to("iaas", target_is_directory=True)
    assert "iam/20240110.md" in indexed()
    os.remove(root / "docs")
    assert not any(source.startswith("docs/") for source in indexed())
    (root / "hackathon/20240105.md").unlink()
    assert "iam/20240110.md" in indexed() and "hackathon/20240105.md" not in indexed()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_change_to_linked_notes_is_a_change_to_the_linking_team(root: Path, monkeypatch) -> None:
    """CI's --changed: the commit touches hackathon/20240105.md; docs/20240105.md, the same
    notes under the linking team's name, changed with it (backlinks, agenda, lint)."""
    repo = root.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "minutes")
    notes = root / "hackathon/20240105.md"
    notes.write_text(notes.read_text().replace("hack ", "hack more "), encoding="utf-8")
    git(repo, "commit", "-qam", "edit")
    changed = changed_minutes("HEAD~1..HEAD", root)
    assert [p.relative_to(root).as_posix() for p in changed.paths] == [
        "docs/20240105.md",
        "hackathon/20240105.md",
    ]
    assert teams_touched(changed.paths, root, Config(), Surroundings()) == ["docs", "hackathon"]
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.chdir(repo)
    published = CliRunner().invoke(
        main, ["publish", "--dry-run", "--root", "minutes", "--changed", "HEAD~1..HEAD"]
    )
    assert published.exit_code == 0, published.output
    assert "docs/20240105.md" in published.output
    assert "hackathon/20240105.md" in published.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_links_are_judged_as_the_walk_judges_them(root: Path, tmp_path: Path) -> None:
    """``--changed`` (CI's lint and publish) takes a changed link as the link's meeting
    where it leads to a visible part of the root, and never reads one leading outside,
    nor a file git names below a folder since made a link leading outside."""
    repo = root.parent
    write(root / "ops/20240111.md", meeting("2024-01-11", "ops"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "minutes")
    write(root / "shared/20240112.txt", meeting("2024-01-12", "kept"))
    write(tmp_path / "secrets/20240113.md", meeting("2024-01-13", "secret"))
    (root / "iaas/20240112.md").symlink_to("../shared/20240112.txt")
    (root / "iaas/20240113.md").symlink_to(tmp_path / "secrets/20240113.md")
    ops = root / "ops/20240111.md"
    ops.write_text(meeting("2024-01-11", "ops again"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links")
    shutil.rmtree(root / "ops")  # now a link out of the root, not committed
    write(tmp_path / "secrets/ops/20240111.md", meeting("2024-01-11", "secret ops"))
    (root / "ops").symlink_to(tmp_path / "secrets/ops", target_is_directory=True)
    changed = changed_minutes("HEAD~1..HEAD", root)
    assert [p.relative_to(root.resolve()).as_posix() for p in changed.paths] == ["iaas/20240112.md"]
    assert [p.relative_to(root.resolve()).as_posix() for p in changed.refused] == [
        "iaas/20240113.md",
        "ops/20240111.md",
    ]
    linted = CliRunner().invoke(main, ["lint", "--root", str(root), "--changed", "HEAD~1..HEAD"])
    assert linted.exit_code == 1, linted.output  # CI's check of the pull request fails
    assert "iaas/20240113.md: error: not read" in linted.stdout
    assert "secret" not in linted.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("committed", [False, True])
def test_a_team_folder_made_a_link_out_of_the_root_is_not_read_by_the_index(
    root: Path, tmp_path: Path, committed: bool
) -> None:
    """Git still names the files it knew below the folder (deleted, or in the commits
    between two queries): the index does not read them through the link."""
    repo = root.parent
    write(root / "ops/20240111.md", meeting("2024-01-11", "opswords"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "minutes")
    config = Config(default_owner="acme")
    with Archive.open(root, config) as archive:
        archive.refresh()
        assert [r["source"] for r in archive.search("opswords")] == ["ops/20240111.md"]
    shutil.rmtree(root / "ops")
    write(tmp_path / "secrets/ops/20240111.md", meeting("2024-01-11", "secretops"))
    (root / "ops").symlink_to(tmp_path / "secrets/ops", target_is_directory=True)
    if committed:
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "link")
    for _ in range(2):  # the index kept, then built anew
        with Archive.open(root, config) as archive:
            archive.refresh()
            assert archive.search("secretops") == archive.search("opswords") == []
        shutil.rmtree(root / ".minutesbot")


@pytest.mark.parametrize("command", ["parse", "lint"])
def test_files_and_folders_named_are_read_as_a_walk_of_the_root_reads_them(
    root: Path, tmp_path: Path, command: str
) -> None:
    """A shell's ``minutes/*/*.md`` names a pull request's links too: a file named below
    the root is read where a walk of it would read it, and ``..`` after a link does not
    lead out of it. Each file or folder left out is named in a warning."""
    write(tmp_path / "elsewhere/20240301.md", meeting("2024-03-01", "secret"))
    write(tmp_path / "repo/secretdir/20240302.md", meeting("2024-03-02", "secret"))
    write(root / "iaas/2024/20240117.md", meeting("2024-01-17", "deep"))
    (root / "iaas/x.md").symlink_to(tmp_path / "elsewhere/20240301.md")
    (root / "iaas/out").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "iaas/latest").symlink_to("2024", target_is_directory=True)
    (tmp_path / "repo/other").mkdir()
    (root / "outteam").symlink_to(tmp_path / "repo/other", target_is_directory=True)
    named = [
        root / "iaas/x.md",
        root / "iaas/out/20240301.md",
        root / "outteam/../secretdir",
        root / "iaas/latest",
        root / "iaas/20240110.md",
        root / "docs/20240105.md",
    ]
    result = CliRunner().invoke(main, [command, "--root", str(root), *map(str, named)])
    assert result.exit_code == (1 if command == "lint" else 0), result.output
    assert "secret" not in result.stdout and "deep" not in result.stdout
    warned = [line for line in result.stderr.splitlines() if "not read" in line]
    assert len(warned) == 4, result.stderr
    for name in ("iaas/latest in ", "iaas/out/20240301.md in ", "iaas/x.md in "):
        assert any(f"warning: {name}" in line for line in warned), (name, result.stderr)
    # A name the system resolves elsewhere than its text says is shown as given.
    assert any("outteam/../secretdir is reached" in line for line in warned), result.stderr
    found = sources(root, *named)
    assert found == ["iaas/20240110.md", "docs/20240105.md"]


def test_a_root_spelled_through_a_link_keeps_the_links_between_its_folders(
    root: Path, tmp_path: Path
) -> None:
    """``--root L`` where ``L`` links to the root, a folder named by its real path: a file
    link to another folder of the root is still inside it."""
    write(root / "hackathon/table.md", meeting("2024-01-06", "table"))
    (root / "iaas/20240106.md").symlink_to("../hackathon/table.md")
    spelled = tmp_path / "L"
    spelled.symlink_to(root, target_is_directory=True)
    outside: list[Path] = []
    found = find_minutes_files([root / "iaas"], spelled, outside)
    assert [p.name for p in found] == ["20240106.md", "20240110.md"] and outside == []


@pytest.mark.parametrize("spelling", ["root-link", "linked-cwd"])
def test_a_root_spelled_otherwise_than_the_paths_named_judges_links_alike(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    """``--root mlink`` with ``minutes/...`` named, or a working folder reached through a
    link with ``--root "$PWD/minutes"`` and a relative glob: the root is the same folder,
    so links are judged by their place in it. Nothing outside or hidden is read, and the
    links a walk enters are entered."""
    write(tmp_path / "elsewhere/20240301.md", meeting("2024-03-01", "secret"))
    write(root / ".hid/20240302.md", meeting("2024-03-02", "secret"))
    (root / "iaas/x.md").symlink_to(tmp_path / "elsewhere/20240301.md")
    (root / "iaas/h2").symlink_to("../.hid", target_is_directory=True)
    (root / "iaas/h").symlink_to("../hackathon", target_is_directory=True)
    (root / "evil").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    if spelling == "root-link":
        (tmp_path / "mlink").symlink_to(root, target_is_directory=True)
        spelled, named_root = tmp_path / "mlink", root
    else:
        (tmp_path / "cwd").symlink_to(tmp_path / "repo", target_is_directory=True)
        monkeypatch.chdir(tmp_path / "cwd")  # the system's working folder is the real one
        spelled, named_root = tmp_path / "cwd/minutes", Path("minutes")
    outside: list[Path] = []
    named = [named_root / "iaas/x.md", named_root / "iaas/h2", named_root / "evil"]
    assert find_minutes_files(named, spelled, outside) == []
    assert sorted(outside) == sorted(named)
    walked = find_minutes_files([named_root], spelled)  # named as given
    assert sorted(p.relative_to(named_root).as_posix() for p in walked) == [
        "docs/20240105.md",
        "hackathon/20240105.md",
        "iaas/20240110.md",
        "iaas/h/20240105.md",
    ]


def test_lint_names_files_as_given_when_the_root_is_spelled_otherwise(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub attaches an annotation to a changed line by the path as the checkout names
    it: a working folder reached through a link must not turn it into another path."""
    (tmp_path / "cwd").symlink_to(tmp_path / "repo", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    spelled = str(tmp_path / "cwd/minutes")  # as "$PWD/minutes" gives it
    result = CliRunner().invoke(main, ["lint", "--root", spelled, "minutes/iaas/20240110.md"])
    files = {line.split("file=")[1].split(",")[0] for line in result.stdout.splitlines()}
    assert files == {"minutes/iaas/20240110.md"}, result.output


def test_a_name_below_no_root_is_read_as_named_even_through_a_link(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lb/../x.md`` where ``lb`` is a link elsewhere, the minutes root not on its way:
    no link of the root is involved, so it is read as named. One that lies, resolved, in
    a hidden part of the root is not."""
    write(tmp_path / "other/a/x.md", meeting("2024-03-01", "other"))
    (tmp_path / "other/a/b").mkdir()
    (tmp_path / "lb").symlink_to(tmp_path / "other/a/b", target_is_directory=True)
    write(root / ".hid/h.md", meeting("2024-03-02", "hidden"))
    (tmp_path / "lh").symlink_to(root / ".hid", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    outside: list[Path] = []
    named = [Path("lb/../x.md"), Path("lh/h.md")]
    assert find_minutes_files(named, root, outside) == [Path("lb/../x.md")]
    assert outside == [Path("lh/h.md")]


@pytest.mark.parametrize("spelled", ["as-named", "through-a-link"])
def test_a_link_back_to_the_root_is_judged_alike_however_the_root_is_spelled(
    root: Path, tmp_path: Path, spelled: str
) -> None:
    """``iaas/up -> ..``: a walk does not enter it, so a file named through it is not read,
    whichever spelling of the root the command was given."""
    (root / "iaas/up").symlink_to("..", target_is_directory=True)
    (tmp_path / "mlink").symlink_to(root, target_is_directory=True)
    given = root if spelled == "as-named" else tmp_path / "mlink"
    named = [root / "iaas/up/hackathon/20240105.md", root / "iaas/up"]
    outside: list[Path] = []
    assert find_minutes_files(named, given, outside) == []
    assert sorted(outside) == sorted(named)
