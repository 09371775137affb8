"""``minutesbot agenda-pr`` against the loopback GitHub: CliRunner, real files, real HTTP."""

from __future__ import annotations

import os

import pytest
from ghfake.fixtures import MEETING, TOKEN, gh_env, ghfake, minutes_repo  # noqa: F401

from minutesbot.github.model import blob_sha

REPO = "acme/minutes"
BUDGET = "\n### Budget\n- AI @dave: ask for the quote\n"
LATER = MEETING.replace("# 2024-04-18", "# 2024-04-25") + BUDGET


def agenda_pr(repo, env, *args: str, command: str = "agenda-pr"):
    from click.testing import CliRunner

    from minutesbot.cli import main

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(main, [command, *args], env=env, catch_exceptions=False)
    finally:
        os.chdir(cwd)


@pytest.fixture
def remote(ghfake):
    """The minutes repository on the imitation, with its default branch."""
    ghfake.add_repo(REPO)
    ghfake.add_branch(REPO, "main", {"README.md": "minutes\n"})
    return ghfake.repos[REPO]


def the_pull(remote):
    [(number, pull)] = remote.pulls.items()
    return number, pull


def test_opens_one_pull_request_with_the_agenda_new_would_write(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path)
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("container: created: pull request #")
    number, pull = the_pull(remote)
    assert pull["head"].startswith("minutesbot/agenda/container/") and pull["base"] == "main"
    day = pull["head"].rsplit("/", 1)[1]
    path = f"minutes/container/{day}.md"
    text = ghfake.file_on(REPO, pull["head"], path)
    expected = agenda_pr(repo, gh_env, "--team", "container", "--stdout", command="new").output
    assert text == expected and "write the proposal" in text
    assert ghfake.file_on(REPO, "main", path) is None
    assert f"blob={blob_sha(text)}" in pull["body"] and "team **container**" in pull["body"]
    assert (
        "https://github.example/acme/minutes/blob/0123456789abcdef0123456789abcdef01234567/"
        "minutes/container/20240418.md"
    ) in pull["body"]
    assert TOKEN not in result.output


def test_running_again_updates_the_same_branch_and_pull_request(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path)
    assert agenda_pr(repo, gh_env, "--team", "container").exit_code == 0
    number, pull = the_pull(remote)
    ghfake.reset_counts()
    again = agenda_pr(repo, gh_env, "--team", "container")
    assert again.exit_code == 0 and again.output.startswith("container: unchanged:"), again.output
    assert ghfake.writes == 0

    # A correction of the minutes: a new action item to carry.
    (repo / "minutes/container/20240418.md").write_text(MEETING + BUDGET)
    ghfake.reset_counts()
    fixed = agenda_pr(repo, gh_env, "--team", "container")
    assert fixed.exit_code == 0 and fixed.output.startswith(
        f"container: updated: pull request #{number}"
    )
    assert the_pull(remote)[0] == number  # no second pull request
    assert ghfake.counts["PUT"] == 1 and ghfake.counts["POST"] == 0
    day = pull["head"].rsplit("/", 1)[1]
    text = ghfake.file_on(REPO, pull["head"], f"minutes/container/{day}.md")
    assert "ask for the quote" in text and f"blob={blob_sha(text)}" in the_pull(remote)[1]["body"]


def test_an_agenda_edited_in_the_pull_request_is_left_alone(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path)
    assert agenda_pr(repo, gh_env, "--team", "container").exit_code == 0
    number, pull = the_pull(remote)
    path = f"minutes/container/{pull['head'].rsplit('/', 1)[1]}.md"
    edited = ghfake.file_on(REPO, pull["head"], path) + "\n## Extra topic (@erin)\n"
    remote.files[(pull["head"], path)] = edited.encode()
    (repo / "minutes/container/20240418.md").write_text(MEETING + "\n### Budget\n- AI @dave: ask\n")
    ghfake.reset_counts()
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 0
    assert result.output.startswith("container: skipped:") and f"#{number}" in result.output
    assert ghfake.file_on(REPO, pull["head"], path) == edited and ghfake.writes == 0


def test_an_agenda_already_on_the_default_branch_is_not_proposed(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path)
    dry = agenda_pr(repo, gh_env, "--team", "container", "--dry-run").output
    path = dry.split(" with ")[1].split(" ")[0]
    ghfake.add_branch(REPO, "main", {path: "# the agenda, merged\n"})
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 0 and f"skipped: {path} is already on main" in result.output
    assert not remote.pulls


def test_dry_run_and_missing_token_print_the_plan_and_ask_nothing(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path)
    dry = agenda_pr(repo, gh_env, "--team", "container", "--dry-run")
    assert dry.exit_code == 0
    assert dry.output.startswith(
        "container: planned: would open or update a pull request from minutesbot/agenda/container/"
    )
    no_token = agenda_pr(repo, {**gh_env, "GITHUB_TOKEN": ""}, "--team", "container")
    assert no_token.exit_code == 0 and "GITHUB_TOKEN is not set: dry run" in no_token.output
    assert "container: planned:" in no_token.output
    assert ghfake.requests == 0 and not remote.pulls


def test_a_token_that_may_not_write_fails_in_one_line(tmp_path, ghfake, gh_env, remote):
    ghfake.add_repo(REPO, access="read")  # e.g. contents: read only
    repo = minutes_repo(tmp_path)
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith("container: failed: ") and "403" in line and "contents: write" in line
    assert TOKEN not in result.output and "Traceback" not in result.output
    assert not remote.pulls


@pytest.mark.parametrize("path", ["/pulls$", "/git/refs$", "/contents/"])
def test_a_write_stored_then_answered_502_is_not_repeated(tmp_path, ghfake, gh_env, remote, path):
    rule = ghfake.inject(
        "store-then-status", path=path, method="PUT" if "contents" in path else "POST"
    )
    repo = minutes_repo(tmp_path)
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 0, result.output
    assert "container: created: pull request #" in result.output
    assert rule.fired == 1 and len(remote.pulls) == 1
    assert ghfake.counts["POST"] == 2 and ghfake.counts["PUT"] == 1  # nothing written twice


def pushed(tmp_path, later: dict[str, str]):
    """A git repository of two teams' minutes, then a commit of the files ``later``."""
    import subprocess

    repo = minutes_repo(tmp_path, {"container/20240418.md": MEETING, "iaas/20240418.md": MEETING})
    (repo / ".git").rmdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    for files in ({}, later):
        for name, text in files.items():
            (repo / "minutes" / name).write_text(text)
        subprocess.run([*git, "add", "."], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "minutes"], cwd=repo, check=True)
    return repo


def test_changed_range_names_the_teams(tmp_path, ghfake, gh_env, remote):
    repo = pushed(tmp_path, {"iaas/20240425.md": LATER})
    result = agenda_pr(repo, gh_env, "--changed", "HEAD~1..HEAD", "--dry-run")
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == ["iaas"]
    bad = agenda_pr(repo, gh_env, "--changed", "nonsense")
    assert bad.exit_code == 2 and "BASE..HEAD" in bad.output


def test_a_team_named_in_front_matter_gets_the_agenda_and_a_name_no_team_a_warning(
    tmp_path, ghfake, gh_env, remote
):
    """One file naming no team ``new`` knows (``a/b``, a typo) asks for no agenda and
    stops no other team's: it ended the run with exit 2, blaming ``--team``."""
    repo = pushed(
        tmp_path,
        {
            "container/20240425.md": "---\nteam: IaaS\n---\n" + LATER,
            "container/20240426.md": "---\nteam: a/b\n---\n" + LATER,
        },
    )
    result = agenda_pr(repo, gh_env, "--changed", "HEAD~1..HEAD", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines if not line.startswith("minutesbot:")] == ["iaas"]
    [warned] = [line for line in lines if line.startswith("minutesbot: warning:")]
    assert "container/20240426.md: its front matter names team a/b" in warned


def test_a_closed_pull_request_is_not_reopened(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path)
    assert agenda_pr(repo, gh_env, "--team", "container").exit_code == 0
    number, pull = the_pull(remote)
    pull["state"] = "closed"
    ghfake.reset_counts()
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 0 and result.output.startswith("container: skipped:")
    assert f"#{number}" in result.output and "closed" in result.output
    assert ghfake.writes == 0 and len(remote.pulls) == 1


def test_a_branch_made_by_a_concurrent_run_is_used_and_reads_are_retried(
    tmp_path, ghfake, gh_env, remote
):
    # The ref is stored, then answered 422 (as when another run made it first).
    race = ghfake.inject("store-then-status", method="POST", path="/git/refs$", status=422)
    flaky = ghfake.inject("status", method="GET", path="/pulls$", status=503, times=2)
    repo = minutes_repo(tmp_path)
    result = agenda_pr(repo, gh_env, "--team", "container")
    assert result.exit_code == 0, result.output
    assert race.fired == 1 and flaky.fired == 2
    assert "container: created: pull request #" in result.output and len(remote.pulls) == 1


def test_teams_that_cannot_be_prepared_fail_alone(tmp_path, ghfake, gh_env, remote):
    repo = minutes_repo(tmp_path, {"container/20240418.md": MEETING, "iaas/20240418.md": MEETING})
    (repo / "pyproject.toml").write_text(
        '[tool.minutesbot]\ndefault-owner = "acme"\n'
        '[tool.minutesbot.teams.iaas]\nfilename = "{when}.md"\n'
    )
    result = agenda_pr(repo, gh_env, "--team", "iaas", "--team", "container")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("container: created:")
    assert lines[1].startswith("iaas: failed: team iaas: file name pattern")
    unknown = agenda_pr(repo, gh_env, "--team", "nope")
    assert unknown.exit_code == 2 and "unknown team 'nope'" in unknown.output
    assert "(known teams: container, iaas)" in unknown.output
