"""Freshness in a git work tree: every kind of change is seen, with real git repositories.

Where the minutes root is in a git work tree, a refresh asks git which files
may differ from the commit checked out instead of stat'ing every file. Each
test makes one kind of change and checks the index against the truth: every
minutes file git knows, with its content.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minutesbot import gitstatus
from minutesbot.archive import Archive
from minutesbot.config import Config

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CONFIG = Config(default_owner="acme")


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@localhost",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@localhost",
    }
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def meeting(day: str, words: str) -> str:
    return f"# {day}\n\n## Topic\n\n- {words}\n- AI @alice: write it up\n"


@pytest.fixture(params=["minutes", ""], ids=["root-below-top", "root-is-top"])
def root(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    repo = tmp_path / "repo"
    root = repo / request.param if request.param else repo
    for n, words in enumerate(["alpha widgets#1", "bravo widgets#2", "charlie widgets#3"]):
        write(root / "iaas" / f"2024010{n + 1}.md", meeting(f"2024-01-0{n + 1}", words))
    write(root / "container/20240105.md", meeting("2024-01-05", "delta widgets#1"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "minutes")
    return root


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def top(root: Path) -> Path:
    return root if (root / ".git").exists() else root.parent


def truth(root: Path) -> dict[str, str]:
    """Every minutes file git knows below the root (tracked, or untracked and not ignored;
    not hidden, nor a link leading out of the root or to a hidden part of it), with the
    hash of its content."""
    listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    inside = root.resolve()

    def visible(path: Path) -> bool:
        return inside in path.parents and not any(
            part.startswith(".") for part in path.relative_to(inside).parts
        )

    return {
        name: hashlib.blake2b((root / name).read_bytes(), digest_size=20).hexdigest()
        for name in listed.split("\0")
        if name.endswith(".md")
        and (root / name).is_file()
        and visible(root.resolve() / name)
        and visible((root / name).resolve())
    }


def refreshed(root: Path):
    """A new process's view: open, refresh, and check the index against the truth."""
    archive = Archive.open(root, CONFIG)
    result = archive.refresh()
    stored = dict(archive.conn.execute("SELECT source, sha FROM files"))
    mode = archive.conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()[0]
    archive.close()
    assert mode == "git"
    assert stored == truth(root)
    return result


def same_size_edit(path: Path, old: str, new: str, keep_mtime: bool = False) -> None:
    """Replace ``old`` by ``new`` (as long), the modification time put back if asked."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_mtime_ns == before.st_mtime_ns


def search(root: Path, words: str) -> list[str]:
    with Archive.open(root, CONFIG) as archive:
        return [r["source"] for r in archive.search(words)]


def test_cold_build_then_nothing(root: Path) -> None:
    assert refreshed(root).added == 4
    again = refreshed(root)
    assert (again.parsed, again.removed, again.unchanged) == (0, 0, 4)


@pytest.mark.parametrize("keep_mtime", [False, True], ids=["new-mtime", "mtime-restored"])
def test_edit_in_place_same_size(root: Path, keep_mtime: bool) -> None:
    refreshed(root)
    same_size_edit(root / "iaas/20240102.md", "bravo", "bingo", keep_mtime)
    assert refreshed(root).changed == 1
    assert search(root, "bingo") == ["iaas/20240102.md"]


def test_second_edit_of_a_file_git_lists_already(root: Path) -> None:
    """Git lists the file as modified both times; only its stat tells the second edit."""
    refreshed(root)
    path = root / "iaas/20240102.md"
    same_size_edit(path, "bravo", "bingo")
    assert refreshed(root).changed == 1
    time.sleep(0.05)  # past the clock tick of the first edit (see fresh.is_racy)
    same_size_edit(path, "bingo", "bongo", keep_mtime=True)
    assert refreshed(root).changed == 1
    assert search(root, "bongo") == ["iaas/20240102.md"]


def test_edit_right_after_a_refresh_within_the_same_clock_tick(root: Path) -> None:
    path = root / "iaas/20240102.md"
    same_size_edit(path, "bravo", "bingo")
    refreshed(root)
    same_size_edit(path, "bingo", "bongo", keep_mtime=True)
    assert refreshed(root).changed == 1


@pytest.mark.parametrize("how", ["mv", "git mv"])
def test_rename(root: Path, how: str) -> None:
    refreshed(root)
    old, new = root / "iaas/20240101.md", root / "iaas/20240111.md"
    if how == "mv":
        old.rename(new)
    else:
        git(root, "mv", str(old), str(new))
    result = refreshed(root)
    assert (result.added, result.removed) == (1, 1)
    assert search(root, "alpha") == ["iaas/20240111.md"]


@pytest.mark.parametrize("how", ["rm", "git rm"])
def test_delete(root: Path, how: str) -> None:
    refreshed(root)
    path = root / "iaas/20240101.md"
    if how == "rm":
        path.unlink()
    else:
        git(root, "rm", "-q", str(path))
    assert refreshed(root).removed == 1
    assert search(root, "alpha") == []


def test_copy_in_with_an_old_mtime(root: Path, tmp_path: Path) -> None:
    refreshed(root)
    outside = tmp_path / "elsewhere.md"
    write(outside, meeting("2023-12-01", "echo widgets#9"))
    os.utime(outside, ns=(1_000_000_000, 1_000_000_000))
    shutil.copy2(outside, root / "iaas/20231201.md")
    write(root / "newteam/20240201.md", meeting("2024-02-01", "foxtrot"))  # a new folder
    assert refreshed(root).added == 2
    assert search(root, "echo") == ["iaas/20231201.md"]
    assert search(root, "foxtrot") == ["newteam/20240201.md"]


def test_commit_between_two_queries(root: Path) -> None:
    refreshed(root)
    same_size_edit(root / "iaas/20240102.md", "bravo", "bingo")
    write(root / "iaas/20240104.md", meeting("2024-01-04", "golf"))
    assert refreshed(root).parsed == 2
    git(top(root), "add", "-A")
    git(top(root), "commit", "-qm", "more minutes")
    assert refreshed(root).parsed == 0
    # A change made and committed with no query in between.
    same_size_edit(root / "iaas/20240104.md", "golf", "gulf")
    git(top(root), "commit", "-qam", "typo")
    assert refreshed(root).changed == 1
    assert search(root, "gulf") == ["iaas/20240104.md"]


def test_checkout_of_another_branch(root: Path) -> None:
    refreshed(root)
    repo = top(root)
    git(repo, "checkout", "-q", "-b", "other")
    (root / "iaas/20240101.md").unlink()
    same_size_edit(root / "iaas/20240102.md", "bravo", "bingo")
    write(root / "container/20240112.md", meeting("2024-01-12", "hotel"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "other branch")
    git(repo, "checkout", "-q", "main")
    refreshed(root)
    git(repo, "checkout", "-q", "other")
    result = refreshed(root)
    assert (result.added, result.changed, result.removed) == (1, 1, 1)
    git(repo, "checkout", "-q", "main")
    assert refreshed(root).parsed == 2
    assert search(root, "hotel") == []


def test_files_git_ignores_are_not_minutes(root: Path) -> None:
    write(top(root) / ".gitignore", "drafts/\n*.tmp.md\n")
    write(root / "drafts/20240301.md", meeting("2024-03-01", "india"))
    write(root / "iaas/20240302.tmp.md", meeting("2024-03-02", "india"))
    refreshed(root)
    assert search(root, "india") == []
    # Ignored no more: seen at once.
    (top(root) / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    assert refreshed(root).added == 1


def test_reverting_an_edit(root: Path) -> None:
    refreshed(root)
    same_size_edit(root / "iaas/20240102.md", "bravo", "bingo")
    assert refreshed(root).changed == 1
    git(top(root), "checkout", "-q", "--", ".")
    assert refreshed(root).changed == 1
    assert search(root, "bravo") == ["iaas/20240102.md"]


def test_symlinked_file_is_followed(root: Path, tmp_path: Path) -> None:
    """Git sees the link, not the file it points to: that file is stat'ed each time."""
    target = root / "shared/shared.txt"  # inside the root, no minutes of its own
    write(target, meeting("2024-04-01", "juliet"))
    (root / "iaas/20240401.md").symlink_to(target)
    git(top(root), "add", "-A")
    git(top(root), "commit", "-qm", "link")
    refreshed(root)
    time.sleep(0.05)
    same_size_edit(target, "juliet", "jumbos")
    assert refreshed(root).changed == 1
    assert search(root, "jumbos") == ["iaas/20240401.md"]


def test_a_link_to_a_file_outside_the_root_is_not_read(root: Path, tmp_path: Path) -> None:
    """Nor once it is committed, nor when it is turned to lead inside: git sees the link."""
    secret = tmp_path / "secret.md"
    write(secret, meeting("2024-04-01", "hotel"))
    write(root / "shared/kept.txt", meeting("2024-04-02", "india"))
    link = root / "iaas/20240401.md"
    link.symlink_to(secret)
    assert refreshed(root).added == 4
    assert search(root, "hotel") == []
    git(top(root), "add", "-A")
    git(top(root), "commit", "-qm", "link")
    refreshed(root)
    assert search(root, "hotel") == []
    link.unlink()
    link.symlink_to(root / "shared/kept.txt")
    assert refreshed(root).added == 1
    assert search(root, "india") == ["iaas/20240401.md"]
    link.unlink()
    link.symlink_to(secret)
    assert refreshed(root).removed == 1
    assert search(root, "india") == search(root, "hotel") == []


def test_a_folder_that_is_no_repository_falls_back_to_the_walk(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    write(root / "iaas/20240101.md", meeting("2024-01-01", "kilo"))
    (tmp_path / ".git").mkdir()  # a .git git does not take for a repository
    with Archive.open(root, CONFIG) as archive:
        assert archive.refresh().added == 1
        mode = archive.conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()[0]
        assert mode == "walk"


def run(cwd: Path, *args: str) -> str:
    """``python -m minutesbot ARGS`` in ``cwd``, which must succeed: what it prints."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "minutesbot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def command(cwd: Path, *args: str) -> list[str]:
    """``python -m minutesbot ARGS --json`` in ``cwd``: the sources it prints."""
    return [json.loads(line)["source"] for line in run(cwd, *args, "--json").splitlines()]


def test_the_command_begins_git_status_early_for_the_right_work_tree(
    root: Path, tmp_path: Path
) -> None:
    """The command line starts git status of the working directory's work tree before
    anything else; it is used when the root is in that tree, and set aside when not."""
    folder = root.relative_to(top(root)).as_posix()
    write(top(root) / "minutesbot.toml", f'default-owner = "acme"\nminutes-root = "{folder}"\n')
    assert command(top(root), "search", "alpha") == ["iaas/20240101.md"]
    same_size_edit(root / "iaas/20240101.md", "alpha", "omega", keep_mtime=True)
    assert command(top(root), "search", "omega") == ["iaas/20240101.md"]
    # Run from another work tree: its status is not taken for the root's.
    other = tmp_path / "other"
    write(other / "minutesbot.toml", 'default-owner = "acme"\n')
    git(other, "init", "-q")
    same_size_edit(root / "iaas/20240101.md", "omega", "sigma", keep_mtime=True)
    assert command(other, "search", "sigma", "--root", str(root)) == ["iaas/20240101.md"]


def has_untracked_cache(root: Path) -> bool:
    """Whether git's index holds the untracked cache (its extension, signed "UNTR")."""
    return b"UNTR" in (top(root) / ".git" / "index").read_bytes()


def test_the_index_command_has_git_store_its_untracked_cache_once(root: Path) -> None:
    """Queries never write git's index; ``minutesbot index`` has git store its untracked
    cache there where it has none, and later queries, using it, still see new files and
    folders."""
    folder = root.relative_to(top(root)).as_posix()
    write(top(root) / "minutesbot.toml", f'default-owner = "acme"\nminutes-root = "{folder}"\n')
    assert command(top(root), "search", "alpha") == ["iaas/20240101.md"]
    assert not has_untracked_cache(root)
    run(top(root), "index")
    assert has_untracked_cache(root)
    stored = (top(root) / ".git" / "index").read_bytes()
    run(top(root), "index")  # the cache is there: git's index is not written again
    write(root / "iaas/20240110.md", meeting("2024-01-10", "echo widgets#9"))
    write(root / "kaas/20240111.md", meeting("2024-01-11", "foxtrot widgets#9"))
    assert command(top(root), "search", "echo") == ["iaas/20240110.md"]
    assert command(top(root), "search", "foxtrot") == ["kaas/20240111.md"]
    assert (top(root) / ".git" / "index").read_bytes() == stored


@pytest.mark.parametrize("setting", ["false", "keep"])
def test_an_untracked_cache_turned_off_or_kept_is_left_so(root: Path, setting: str) -> None:
    git(top(root), "config", "core.untrackedCache", setting)
    assert not gitstatus.keep_untracked_cache(str(root))
    assert not has_untracked_cache(root)
    git(top(root), "config", "--unset", "core.untrackedCache")
    assert gitstatus.keep_untracked_cache(str(root))
    assert has_untracked_cache(root)


def test_a_path_named_like_the_cache_is_not_taken_for_it(root: Path) -> None:
    where = str(top(root))
    write(root / f"UNTR12345Location {where}, system Linux/x.md", meeting("2024-01-12", "golf"))
    git(top(root), "add", "-A")
    assert gitstatus.keep_untracked_cache(str(root))
    assert not gitstatus.keep_untracked_cache(str(root))  # stored now


def test_a_cache_made_before_the_work_tree_moved_is_made_anew(root: Path, tmp_path: Path) -> None:
    """Git ignores a cache that names another place; it is stored again for the new one."""
    assert gitstatus.keep_untracked_cache(str(root))
    moved = tmp_path / "moved"
    top(root).rename(moved)
    root = moved / root.relative_to(tmp_path / "repo")
    assert b"Location " + str(tmp_path / "repo").encode() in (top(root) / ".git/index").read_bytes()
    assert gitstatus.keep_untracked_cache(str(root))
    assert b"Location " + str(moved).encode() + b"," in (top(root) / ".git/index").read_bytes()


def test_a_cache_before_the_end_read_first_is_found_in_the_whole_index(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The end of git's index is read first; a cache further up (a big tree's extensions
    before it) is found in the whole index, and not stored again."""
    monkeypatch.setattr(gitstatus, "_INDEX_END_BYTES", 16)
    assert gitstatus.keep_untracked_cache(str(root))
    stored = (top(root) / ".git/index").read_bytes()
    assert not gitstatus.keep_untracked_cache(str(root))
    assert (top(root) / ".git/index").read_bytes() == stored


def test_a_linked_work_tree_keeps_its_cache_in_its_own_index(root: Path, tmp_path: Path) -> None:
    """Where ``.git`` is a file (a linked work tree, a submodule), git says where its index
    is."""
    linked = tmp_path / "linked"
    git(top(root), "worktree", "add", "-q", "--detach", str(linked))
    own = Path(git(linked, "rev-parse", "--absolute-git-dir").strip()) / "index"
    assert gitstatus.keep_untracked_cache(str(linked / root.relative_to(top(root))))
    assert b"UNTR" in own.read_bytes()
    assert not has_untracked_cache(root)
    assert not gitstatus.keep_untracked_cache(str(linked))


def test_an_index_named_by_git_index_file_is_the_one_looked_at(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other-index"
    shutil.copyfile(top(root) / ".git/index", other)
    monkeypatch.setenv("GIT_INDEX_FILE", str(other))
    assert gitstatus.keep_untracked_cache(str(root))
    assert b"UNTR" in other.read_bytes()
    assert not has_untracked_cache(root)
    assert not gitstatus.keep_untracked_cache(str(root))


def test_an_index_opened_and_closed_without_a_query_leaves_no_git_behind(root: Path) -> None:
    """Opening an index begins git status; closing it unused stops git and closes the
    pipe (a program opening many archives would otherwise gather processes and files)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc here to count open files")
    before = len(list(fds.iterdir())), exited_children()
    for _ in range(5):
        Archive.open(root, CONFIG).close()
    assert (len(list(fds.iterdir())), exited_children()) == before


def exited_children() -> int:
    """This process's children that have exited and were not waited for (zombies)."""
    found = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found += fields[0] == "Z" and int(fields[1]) == os.getpid()
    return found


@pytest.mark.parametrize("folder", ["minutes", "notes/minutes"])
def test_new_files_in_a_root_with_nothing_tracked_yet(tmp_path: Path, folder: str) -> None:
    """Git shows a folder with nothing tracked as one entry ("minutes/", or "notes/" for
    a root below it): every file of the root is untracked, and a new one must be seen."""
    repo = tmp_path / "repo"
    write(repo / "README.md", "a repository\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "readme")
    root = repo / folder
    write(root / "iaas/20240101.md", meeting("2024-01-01", "alpha widgets#1"))
    assert refreshed(root).added == 1
    write(root / "iaas/20240108.md", meeting("2024-01-08", "bravo widgets#2"))
    assert refreshed(root).added == 1
    assert search(root, "bravo") == ["iaas/20240108.md"]


def test_a_folder_link_pointed_away_and_back_uncommitted_is_followed_again(
    root: Path, tmp_path: Path
) -> None:
    """Pointed back at its commit's target, the link is no change to git any more: the
    index remembers that git listed it, and looks at every file once."""
    write(root / "hack/d/20240301.md", meeting("2024-03-01", "tango"))
    (root / "iaas/dl").symlink_to("../hack/d", target_is_directory=True)
    git(top(root), "add", "-A")
    git(top(root), "commit", "-qm", "link")
    (tmp_path / "away").mkdir()
    both = ["hack/d/20240301.md", "iaas/dl/20240301.md"]
    for target, expected in (
        (Path("../hack/d"), both),
        (tmp_path / "away", both[:1]),
        (Path("../hack/d"), both),
        (tmp_path / "away", both[:1]),
    ):
        (root / "iaas/dl").unlink()
        (root / "iaas/dl").symlink_to(target, target_is_directory=True)
        with Archive.open(root, CONFIG) as archive:
            archive.refresh()
            assert sorted(r["source"] for r in archive.search("tango")) == expected


@pytest.mark.parametrize("undo", ["checkout", "stash"])
def test_a_folder_link_deleted_and_restored_uncommitted_is_followed_again(
    root: Path, undo: str
) -> None:
    """A link git listed as deleted leaves no trace on disk of what it was: the index
    remembers every path git listed that is no regular file, and looks at every file
    once when that list changes."""
    write(root / "hack/d/20240301.md", meeting("2024-03-01", "uniform"))
    (root / "iaas/dl").symlink_to("../hack/d", target_is_directory=True)
    git(top(root), "add", "-A")
    git(top(root), "commit", "-qm", "link")
    both = ["hack/d/20240301.md", "iaas/dl/20240301.md"]

    def found() -> list[str]:
        with Archive.open(root, CONFIG) as archive:
            archive.refresh()
            return sorted(r["source"] for r in archive.search("uniform"))

    assert found() == both
    (root / "iaas/dl").unlink()
    assert found() == both[:1]
    if undo == "checkout":
        git(top(root), "checkout", "--", ".")
    else:
        git(top(root), "stash", "-q")
        git(top(root), "stash", "drop", "-q")
    assert found() == both


def plan_of(root: Path):
    """What the next query would compare: its plan against the index's stored state."""
    from minutesbot.archive.fresh import Freshness

    with Archive.open(root, CONFIG) as archive:
        archive.refresh()
        stored = dict(archive.conn.execute("SELECT key, value FROM meta"))
    fresh = Freshness(root)
    try:
        return fresh.plan(stored)
    finally:
        fresh.close()


def test_an_untracked_folder_link_is_looked_at_whole_once_not_on_every_query(
    root: Path, tmp_path: Path
) -> None:
    """Git lists it on every query while it stays untracked; the index remembers where it
    led, and looks at every file again only when that changes."""
    write(root / "hack/d/20240301.md", meeting("2024-03-01", "victor"))
    git(top(root), "add", "-A")
    git(top(root), "commit", "-qm", "hack")
    (root / "iaas/dl").symlink_to("../hack/d", target_is_directory=True)
    assert plan_of(root).scope is not None  # looked at every file once, then not again
    assert search(root, "victor") == ["hack/d/20240301.md", "iaas/dl/20240301.md"]
    (root / "iaas/dl").unlink()
    (root / "iaas/dl").symlink_to(tmp_path, target_is_directory=True)
    with Archive.open(root, CONFIG) as archive:
        archive.refresh()
        assert [r["source"] for r in archive.search("victor")] == ["hack/d/20240301.md"]
    assert plan_of(root).scope is not None


def test_a_folder_link_made_in_an_untracked_folder_is_followed(root: Path) -> None:
    """Git lists the untracked folder as one path, whatever is added to it later."""
    write(root / "hack/d/20240301.md", meeting("2024-03-01", "whiskey"))
    write(root / "nd/20240302.md", meeting("2024-03-02", "xray"))
    git(root, "add", "hack")
    git(top(root), "commit", "-qm", "hack")
    refreshed(root)
    (root / "nd/lnk").symlink_to("../hack/d", target_is_directory=True)
    with Archive.open(root, CONFIG) as archive:
        archive.refresh()
        found = sorted(r["source"] for r in archive.search("whiskey"))
    assert found == ["hack/d/20240301.md", "nd/lnk/20240301.md"]


def test_an_untracked_link_whose_folder_comes_later_is_followed(root: Path) -> None:
    """The link stays as it is (git lists it the same), but its folder appears: a walk now
    enters it, so the index does too."""
    (root / "iaas/nl").symlink_to("../newteam", target_is_directory=True)
    assert refreshed(root).added == 4
    write(root / "newteam/20240301.md", meeting("2024-03-01", "yankee"))
    git(root, "add", "newteam")  # no untracked folder then: git lists only the new file
    with Archive.open(root, CONFIG) as archive:
        archive.refresh()
        found = sorted(r["source"] for r in archive.search("yankee"))
    assert found == ["iaas/nl/20240301.md", "newteam/20240301.md"]
