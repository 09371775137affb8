"""minutesbot track as a user meets it: one line for bad input, a dry run without a token,
--team, files outside the root, failures reported without the token."""

from __future__ import annotations

import pytest
from ghfake.fixtures import TOKEN, gh_env, ghfake  # noqa: F401  (fixtures)
from track_fixtures import FIRST, MEETING, REPO, SETTINGS, seed, track, tracked, tracking_repo


def one_error_line(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("minutesbot: error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    "value, shown",
    [('"acme"', '"acme"'), ('"acme/x/y"', '"acme/x/y"'), ("3", "an integer"), ('"../x"', '"../x"')],
)
def test_action_issues_that_is_no_repository_is_one_line(tmp_path, value, shown):
    settings = f"[tool.minutesbot.teams.container]\naction-issues = {value}\n"
    repo = tracking_repo(tmp_path, settings=settings)
    line = one_error_line(track(repo, {}, f"minutes/{FIRST}"))
    assert "teams.container: action-issues must be a repository" in line and shown in line


@pytest.mark.parametrize("label", ['" "', '"to do, soon"'])
def test_a_label_that_cannot_be_filtered_by_is_one_line(tmp_path, label):
    repo = tracking_repo(tmp_path, settings=SETTINGS + f"action-label = {label}\n")
    line = one_error_line(track(repo, {}, FIRST))
    assert "action-label must be a label name (without commas)" in line


def test_unknown_team_and_a_team_that_does_not_track(tmp_path):
    repo = tracking_repo(tmp_path, {FIRST: MEETING, "iaas/20240418.md": MEETING})
    line = one_error_line(track(repo, {}, "--team", "nosuch", f"minutes/{FIRST}"))
    assert "unknown team 'nosuch'" in line and "container, iaas" in line
    line = one_error_line(track(repo, {}, "--team", "IAAS", f"minutes/{FIRST}"))
    assert "team iaas does not track its actions" in line and "action-issues" in line


def test_no_team_tracking_is_said_and_is_no_error(tmp_path):
    repo = tracking_repo(tmp_path, settings="")
    result = track(repo, {}, f"minutes/{FIRST}")
    assert result.exit_code == 0
    assert result.output.startswith("nothing to track: no team sets action-issues")


def test_nothing_named_is_a_usage_error(tmp_path):
    repo = tracking_repo(tmp_path)
    assert "nothing to track" in one_error_line(track(repo, {}))


def test_a_file_outside_the_root_is_an_error_and_the_rest_goes_on(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = tracking_repo(tmp_path)
    (tmp_path / "elsewhere.md").write_text(MEETING, encoding="utf-8")
    result = track(repo, gh_env, "elsewhere.md", f"minutes/{FIRST}")
    assert result.exit_code == 1
    assert "elsewhere.md: not below the minutes root" in result.output
    assert "3 created" in result.output and len(tracked(ghfake)) == 3


def test_dry_run_without_a_token_prints_the_issues_and_sends_nothing(tmp_path, ghfake):
    repo = tracking_repo(tmp_path)
    result = track(repo, {"GITHUB_API_URL": ghfake.base_url}, f"minutes/{FIRST}")
    assert result.exit_code == 0, result.output
    assert "GITHUB_TOKEN is not set: dry run" in result.output
    assert f"container/20240418.md:11 -> {REPO}: would open, unless open already" in result.output
    assert "    title: write the proposal for stacks#56" in result.output
    assert "    <!-- minutesbot:action team=container source=container/20240418.md key=" in (
        result.output
    )
    assert result.output.rstrip().endswith(
        "actions (dry run, nothing sent): 3 to open or keep, 0 to close; "
        "1 meeting(s) checked for actions no longer in them"
    )
    assert ghfake.requests == 0


def test_team_option_leaves_other_teams_alone(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.add_repo("acme/iaas-actions", assignable=("alice",))
    settings = SETTINGS + '[tool.minutesbot.teams.iaas]\naction-issues = "acme/iaas-actions"\n'
    repo = tracking_repo(tmp_path, {FIRST: MEETING, "iaas/20240418.md": MEETING}, settings)
    result = track(repo, gh_env, "--team", "iaas", "minutes")
    assert result.exit_code == 0, result.output
    assert len(tracked(ghfake, "acme/iaas-actions")) == 3 and tracked(ghfake) == []


def test_a_refused_repository_fails_each_action_without_the_token(tmp_path, ghfake, gh_env):
    ghfake.add_repo(REPO, access="read")
    ghfake.inject("echo-token", method="GET", times=1)
    repo = tracking_repo(tmp_path)
    result = track(repo, gh_env, f"minutes/{FIRST}")
    assert result.exit_code == 1
    assert "3 failed" in result.output and "403" in result.output
    assert TOKEN not in result.output


def test_a_corrected_action_closes_the_old_issue_as_no_longer_in_the_minutes(
    tmp_path, ghfake, gh_env
):
    seed(ghfake)
    repo = tracking_repo(tmp_path)
    assert track(repo, gh_env, f"minutes/{FIRST}").exit_code == 0
    path = repo / "minutes" / FIRST
    path.write_text(
        MEETING.replace("check the numbers", "recount the votes").replace(
            "### Harbor", "Moved a line.\n\n### Harbor"
        ),
        encoding="utf-8",
    )
    result = track(repo, gh_env, f"minutes/{FIRST}")
    assert result.exit_code == 0, result.output
    proposal, numbers, harbor, votes = tracked(ghfake)
    assert (numbers.state, numbers.state_reason) == ("closed", "not_planned")
    assert votes.title == "recount the votes" and votes.state == "open"
    assert proposal.state == harbor.state == "open"
    assert "#L17" in harbor.body  # its line moved: the body says where it is now
    assert "1 created, 1 updated, 1 unchanged, 1 closed" in result.output
