"""``minutesbot publish`` end to end: CliRunner, real files, the loopback GitHub."""

from __future__ import annotations

import logging
import subprocess

import pytest
from ghfake.fixtures import FILE, MEETING, REFS, TOKEN, gh_env, ghfake, minutes_repo, run, seed  # noqa: F401

from minutesbot.publish.backlinks import marker_for


def test_first_run_comments_once_per_issue_and_second_run_writes_nothing(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = minutes_repo(tmp_path)
    first = run(repo, gh_env, FILE)
    assert first.exit_code == 0, first.output
    assert "3 created, 0 updated, 0 unchanged, 0 removed, 0 skipped, 0 failed" in first.output
    for ref in REFS:
        [body] = ghfake.comments_on(ref)
        assert body.startswith(marker_for("container/20240418.md") + "\n")
    stacks = ghfake.comments_on("acme/stacks#56")[0]
    # One comment covers both items of the meeting that mention the issue.
    assert "Discussed in Team container, 2024-04-18: Consolidate folder structure" in stacks
    assert "Discussed in Team container, 2024-04-18: Gitops tooling" in stacks
    assert "Decision: we keep one main stack" in stacks
    assert (
        "https://github.example/acme/minutes/blob/0123456789abcdef0123456789abcdef01234567/"
        "minutes/container/20240418.md?plain=1#L9-L12"
    ) in stacks
    assert ghfake.counts["POST"] == 3 and ghfake.requests <= 2 * 3 + 2

    ghfake.reset_counts()
    second = run(repo, gh_env, FILE)
    assert second.exit_code == 0, second.output
    assert "0 created, 0 updated, 3 unchanged" in second.output
    assert ghfake.writes == 0 and ghfake.requests <= 3 + 2


def test_corrected_minutes_edit_the_comment_in_place(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = minutes_repo(tmp_path)
    assert run(repo, gh_env, FILE).exit_code == 0
    (repo / FILE).write_text(MEETING.replace("one main stack", "two stacks"))
    ghfake.reset_counts()
    result = run(repo, gh_env, FILE)
    assert "0 created, 1 updated, 2 unchanged" in result.output
    assert ghfake.counts["PATCH"] == 1 and ghfake.counts["POST"] == 0
    [body] = ghfake.comments_on("acme/stacks#56")
    assert "Decision: we keep two stacks" in body


def test_without_token_it_is_a_dry_run_that_prints_the_plan(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = minutes_repo(tmp_path)
    env = {**gh_env, "GITHUB_TOKEN": ""}
    result = run(repo, env, FILE)
    assert result.exit_code == 0
    assert "acme/stacks#56 <- container/20240418.md: would upsert" in result.output
    assert "dry run" in result.output
    assert ghfake.requests == 0
    assert (
        result.output.splitlines()[-1]
        == "backlinks (dry run, nothing sent): 3 to create or update, 0 to remove, 0 skipped"
    )
    dry = run(repo, gh_env, FILE, "--dry-run")
    assert "would upsert" in dry.output and ghfake.requests == 0
    assert dry.output.endswith("3 to create or update, 0 to remove, 0 skipped\n")


def test_refs_out_of_reach_are_skipped_with_the_reason_and_the_rest_go_on(tmp_path, ghfake, gh_env):
    ghfake.add_issue("acme/stacks#56")
    ghfake.add_repo("acme/harbor", access="read")  # another repo: GITHUB_TOKEN may not write
    ghfake.add_issue("acme/harbor#62")
    ghfake.add_repo("acme/issues", access="none")  # private elsewhere: 404
    result = run(repo := minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 0 unchanged, 0 removed, 2 skipped, 0 failed" in result.output
    harbor = next(line for line in result.output.splitlines() if "acme/harbor#62" in line)
    assert harbor.startswith("skipped") and "403" in harbor and "GITHUB_TOKEN" in harbor
    issues = next(line for line in result.output.splitlines() if "acme/issues#420" in line)
    assert issues.startswith("skipped") and "not found" in issues and "GITHUB_TOKEN" in issues
    assert ghfake.comments_on("acme/stacks#56") and not ghfake.comments_on("acme/harbor#62")
    assert repo


def test_locked_issue_and_discussion_are_skipped(tmp_path, ghfake, gh_env):
    ghfake.add_issue("acme/stacks#56", locked=True)
    seed(ghfake, REFS[1:])
    text = MEETING + "\n### Ideas\nhttps://github.com/acme/stacks/discussions/7 collects them.\n"
    result = run(minutes_repo(tmp_path, {"container/20240418.md": text}), gh_env, FILE)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(
        ln.startswith("skipped") and "acme/stacks#56" in ln and "locked" in ln for ln in lines
    )
    assert any(
        ln.startswith("skipped") and "acme/stacks#7" in ln and "discussion" in ln for ln in lines
    )


def test_step_summary_is_markdown_and_failures_exit_1(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.inject("status", method="POST", path="harbor", status=500, times=None)
    summary = tmp_path / "summary.md"
    env = {**gh_env, "GITHUB_STEP_SUMMARY": str(summary)}
    result = run(minutes_repo(tmp_path), env, FILE)
    assert result.exit_code == 1
    assert "2 created, 0 updated, 0 unchanged, 0 removed, 0 skipped, 1 failed" in result.output
    text = summary.read_text()
    assert text.startswith("## minutesbot publish")
    assert "| failed | acme/harbor#62 | container/20240418.md |" in text


def test_token_never_appears_in_output_even_when_echoed(tmp_path, ghfake, gh_env, caplog):
    import github  # its import sets its own logger's level; set ours after it

    assert github
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="github")  # PyGithub then logs whole answers
    seed(ghfake)
    ghfake.inject("echo-token", times=None)
    summary = tmp_path / "summary.md"
    result = run(minutes_repo(tmp_path), {**gh_env, "GITHUB_STEP_SUMMARY": str(summary)}, FILE)
    assert result.exit_code == 1
    assert "upstream refused" in result.output  # the echoed message is shown ...
    assert TOKEN not in result.output and TOKEN not in summary.read_text()  # ... scrubbed
    assert "upstream refused" in caplog.text and TOKEN not in caplog.text
    assert any(r.name == "github.Requester" for r in caplog.records)


def test_changed_range_publishes_the_minutes_files_it_touched(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = minutes_repo(tmp_path)
    (repo / ".git").rmdir()

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "base")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "minutes")
    result = run(repo, gh_env, "--changed", "HEAD~1..HEAD")
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert run(repo, gh_env, "--changed", "HEAD..HEAD").output.startswith(
        "no minutes files changed"
    )


@pytest.mark.parametrize("ghfake", [{"prefix": "/api/v3"}], indirect=True)
def test_enterprise_style_api_url(tmp_path, ghfake, gh_env):
    seed(ghfake)
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert all(len(ghfake.comments_on(ref)) == 1 for ref in REFS)
    assert all(
        e.path.startswith("/api/v3/repos/") or e.path == "/api/graphql" for e in ghfake.exchanges
    )


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("GITHUB_API_URL", "ftp://example", "GITHUB_API_URL='ftp://example' is not an http(s) URL"),
        (
            "GITHUB_API_URL",
            "http://127.0.0.1:notaport",
            "GITHUB_API_URL='http://127.0.0.1:notaport' is not an http(s) URL",
        ),
        ("GITHUB_API_URL", "http://[::1", "GITHUB_API_URL='http://[::1' is not an http(s) URL"),
        (
            "GITHUB_TOKEN",
            "ghp_sec\nret",
            "GITHUB_TOKEN is no token: it is empty or holds spaces, "
            "control or non-ASCII characters (it is not printed)",
        ),
        (
            "MINUTESBOT_GITHUB_ATTEMPTS",
            "0",
            "MINUTESBOT_GITHUB_ATTEMPTS=0 must be a whole number, at least 1",
        ),
        (
            "MINUTESBOT_GITHUB_TIMEOUT",
            "-2",
            "MINUTESBOT_GITHUB_TIMEOUT=-2.0 must be a number of seconds above 0",
        ),
    ],
)
def test_bad_settings_are_one_line_errors_before_anything_is_sent(
    tmp_path, ghfake, gh_env, name, value, message
):
    seed(ghfake)
    result = run(minutes_repo(tmp_path), {**gh_env, name: value}, FILE)
    assert result.exit_code == 2
    assert result.output == f"minutesbot: error: {message}\n"
    assert ghfake.requests == 0


def test_a_timeout_below_a_second_is_accepted(tmp_path, ghfake, gh_env):
    seed(ghfake)
    result = run(minutes_repo(tmp_path), {**gh_env, "MINUTESBOT_GITHUB_TIMEOUT": "0.5"}, FILE)
    assert result.exit_code == 0 and "3 created" in result.output


def test_an_unwritable_step_summary_is_a_warning_and_the_result_stands(tmp_path, ghfake, gh_env):
    seed(ghfake)
    target = tmp_path / "no" / "such" / "dir" / "summary.md"
    result = run(minutes_repo(tmp_path), {**gh_env, "GITHUB_STEP_SUMMARY": str(target)}, FILE)
    assert result.exit_code == 0
    assert "3 created" in result.output
    assert (
        f"minutesbot: warning: the job summary could not be written to {target}: "
        "No such file or directory\n"
    ) in result.output
    assert "Traceback" not in result.output


def test_broken_template_is_a_one_line_error(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = minutes_repo(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "backlink.md.j2").write_text("{{ items | nosuchfilter }}\n")
    broken = run(repo, gh_env, FILE)
    assert broken.exit_code == 2 and len(broken.output.strip().splitlines()) == 1
    assert "backlink.md.j2" in broken.output and "nosuchfilter" in broken.output
    (repo / "templates" / "backlink.md.j2").write_text("{{ no_such_name }}\n")
    undefined = run(repo, gh_env, FILE)
    assert undefined.exit_code == 2 and "no_such_name" in undefined.output
    assert "backlink.md.j2" in undefined.output and ghfake.writes == 0


def test_a_missing_issue_in_the_home_repository_gets_no_token_hint(tmp_path, ghfake, gh_env):
    ghfake.add_repo("acme/harbor")
    result = run(
        minutes_repo(tmp_path, {"container/20240418.md": "# 2024-04-18\n\n## H\nacme/harbor#62\n"}),
        {**gh_env, "GITHUB_REPOSITORY": "acme/harbor"},
        FILE,
    )
    assert result.exit_code == 0 and result.output.startswith("skipped")
    assert "not found" in result.output and "GITHUB_TOKEN" not in result.output


def test_a_correction_that_drops_a_ref_takes_its_backlink_back(tmp_path, ghfake, gh_env):
    seed(ghfake, [*REFS, "acme/harbor#65"])
    repo = minutes_repo(
        tmp_path, {"container/20240418.md": MEETING.replace("harbor#62", "harbor#65")}
    )
    (repo / ".git").rmdir()

    def commit(message):
        for args in (
            ["add", "."],
            ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message],
        ):
            subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit("minutes, with a typo")
    ghfake.add_comment("acme/harbor#65", "A person's comment", login="alice")
    assert "3 created" in run(repo, gh_env, FILE).output
    (repo / FILE).write_text(MEETING)  # harbor#65 was meant to be harbor#62
    commit("fix the ref")
    dry = run(repo, {**gh_env, "GITHUB_TOKEN": ""}, "--changed", "HEAD~1..HEAD")
    assert (
        "acme/harbor#65 <- container/20240418.md: would remove (no longer mentioned)" in dry.output
    )
    assert dry.output.endswith("3 to create or update, 1 to remove, 0 skipped\n")
    result = run(repo, gh_env, "--changed", "HEAD~1..HEAD", FILE)  # named twice: published once
    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 2 unchanged, 1 removed, 0 skipped, 0 failed" in result.output
    assert ghfake.comments_on("acme/harbor#65") == ["A person's comment"]
    assert len(ghfake.comments_on("acme/harbor#62")) == 1


def test_team_option_publishes_only_that_teams_minutes(tmp_path, ghfake, gh_env):
    seed(ghfake)
    iaas = "# 2024-04-17\n\n## Harbor\nacme/harbor#62 again\n"
    repo = minutes_repo(tmp_path, {"container/20240418.md": MEETING, "iaas/20240417.md": iaas})
    result = run(repo, gh_env, "--team", "IaaS", "minutes")
    assert result.exit_code == 0, result.output
    assert "backlinks: 1 created" in result.output
    assert [b.split("\n")[0] for b in ghfake.comments_on("acme/harbor#62")] == [
        marker_for("iaas/20240417.md")
    ]
    unknown = run(repo, gh_env, "--team", "nosuch", "minutes")
    assert unknown.exit_code == 2 and "unknown team 'nosuch'" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1
