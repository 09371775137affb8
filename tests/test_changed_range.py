"""``--changed BASE..HEAD`` as the Action and a user give it (issue 12, point 3).

A typo is an error; a commit the clone lacks (force push, shallow clone) is
a warning and a fallback; a range that is a whole archive (a branch's first
push, an import commit of the real minutes) writes nothing without ``--all``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ghfake.fixtures import MEETING, gh_env, ghfake  # noqa: F401
from gitrepo import git

from minutesbot.cli import main

ZERO = "0" * 40
ABSENT = "5" * 40  # a commit hash the clone does not have, as after a force push


def minutesbot(repo: Path, env: dict[str, str], *args: str) -> Result:
    before = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(main, list(args), env=env)
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def archive(corpus_minutes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minutes repository: setup, then the real minutes imported in one commit, then
    one meeting's minutes (tags: setup, import, meeting)."""
    repo = tmp_path_factory.mktemp("archive")
    git(repo, "init", "-q", "-b", "main")
    (repo / "pyproject.toml").write_text('[tool.minutesbot]\ndefault-owner = "acme"\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "setup")
    git(repo, "tag", "setup")
    shutil.copytree(corpus_minutes, repo / "minutes", ignore=shutil.ignore_patterns(".minutesbot"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "import the archive")
    git(repo, "tag", "import")
    meeting = repo / "minutes" / "container" / "20260105.md"
    meeting.write_text(MEETING.replace("2024-04-18", "2026-01-05"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "minutes of 2026-01-05")
    git(repo, "tag", "meeting")
    return repo


@pytest.mark.parametrize("command", ["lint", "publish", "agenda-pr"])
@pytest.mark.parametrize("span", ["nonsense..HEAD", "import..mian", "setup..import~x"])
def test_an_unknown_revision_is_an_error(archive: Path, command: str, span: str):
    result = minutesbot(archive, {"GITHUB_TOKEN": ""}, command, "--changed", span)
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"minutesbot: error: --changed {span}: unknown revision '")
    assert "no branch, tag or commit of this clone has that name" in line


def test_a_walk_past_the_first_commit_says_so(archive: Path):
    result = minutesbot(archive, {"GITHUB_TOKEN": ""}, "lint", "--changed", "HEAD~5..HEAD")
    assert result.exit_code == 2
    assert result.output == (
        "minutesbot: error: --changed HEAD~5..HEAD: HEAD~5 goes back past the first commit of "
        "HEAD (for every file of the archive, write 0..HEAD)\n"
    )


def test_a_commit_the_clone_lacks_falls_back_to_the_last_commit(archive: Path, ghfake, gh_env):
    ghfake.add_issue("acme/stacks#56")
    ghfake.add_issue("acme/harbor#62")
    ghfake.add_issue("acme/issues#420")
    result = minutesbot(archive, gh_env, "publish", "--changed", f"{ABSENT}..meeting")
    assert result.exit_code == 0, result.output
    assert (
        f"minutesbot: warning: --changed {ABSENT}..meeting: this clone does not have {ABSENT} "
        "(a force push, or a shallow clone): taking the files changed by meeting itself"
    ) in result.output
    assert "3 created" in result.output  # the one meeting, not the archive


def test_a_walk_past_a_shallow_clones_history_is_a_missing_commit(archive: Path, tmp_path: Path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", archive.as_uri(), str(shallow))
    result = minutesbot(shallow, {}, "lint", "--changed", "HEAD~2..HEAD")
    assert "this clone does not have HEAD~2" in result.output
    assert "taking the files changed by HEAD itself" in result.output
    assert "1 file(s) checked" in result.output


def test_a_clone_of_one_commit_has_no_change_to_take_but_the_whole_archive(
    archive: Path, tmp_path: Path, ghfake, gh_env
):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", archive.as_uri(), str(shallow))
    result = minutesbot(shallow, gh_env, "publish", "--changed", f"{ABSENT}..HEAD")
    assert result.exit_code == 2
    assert "nor the parent of HEAD: taking every file HEAD has" in result.output
    assert "a whole archive at once; nothing was written" in result.output
    assert ghfake.requests == 0


@pytest.mark.parametrize("command", ["publish", "agenda-pr"])
def test_an_import_commit_writes_nothing_without_all(archive: Path, ghfake, gh_env, command):
    count = len(list((archive / "minutes").rglob("*.md"))) - 1  # without the meeting
    result = minutesbot(archive, gh_env, command, "--changed", "setup..import")
    assert result.exit_code == 2, result.output
    assert result.output == (
        "minutesbot: error: --changed setup..import: more minutes files than "
        f"max-changed-files (20) in the configuration: {count} file(s) of 3 team(s), a whole "
        "archive at once; nothing was written (pass --all to write for all of them, --dry-run "
        "to see what that would be)\n"
    )
    assert ghfake.requests == 0
    dry = minutesbot(archive, gh_env, command, "--dry-run", "--changed", "setup..import")
    assert dry.exit_code == 0, dry.output
    assert ghfake.requests == 0


def test_a_first_push_writes_with_all(tmp_path: Path, ghfake, gh_env):
    """The Action's first push of a small repository: refused, then written with --all."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "pyproject.toml").write_text('[tool.minutesbot]\ndefault-owner = "acme"\n')
    (tmp_path / "minutes" / "container").mkdir(parents=True)
    (tmp_path / "minutes" / "container" / "20240418.md").write_text(MEETING)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    for ref in ("acme/stacks#56", "acme/harbor#62", "acme/issues#420"):
        ghfake.add_issue(ref)
    refused = minutesbot(tmp_path, gh_env, "publish", "--changed", f"{ZERO}..HEAD")
    assert refused.exit_code == 2 and "before the first commit" in refused.output
    assert ghfake.requests == 0
    done = minutesbot(tmp_path, gh_env, "publish", "--all", "--changed", f"{ZERO}..HEAD")
    assert done.exit_code == 0, done.output
    assert "3 created" in done.output


def test_a_push_of_one_meeting_needs_no_all(archive: Path, ghfake, gh_env):
    for ref in ("acme/stacks#56", "acme/harbor#62", "acme/issues#420"):
        ghfake.add_issue(ref)
    result = minutesbot(archive, gh_env, "publish", "--changed", "import..meeting")
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
