"""minutesbot track at the imitation: one issue per open action, closed when a later meeting
reports it done or dropped; a second run writes nothing."""

from __future__ import annotations

from ghfake.fixtures import TOKEN, gh_env, ghfake  # noqa: F401  (fixtures)
from track_fixtures import (
    FIRST,
    REPO,
    REVIEW,
    SECOND,
    closing_comments,
    seed,
    track,
    tracked,
    tracking_repo,
)


def test_each_open_action_gets_one_issue_then_a_rerun_writes_nothing(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = tracking_repo(tmp_path)
    result = track(repo, gh_env, f"minutes/{FIRST}")
    assert result.exit_code == 0, result.output
    issues = tracked(ghfake)
    assert [i.title for i in issues] == [
        "write the proposal for stacks#56",
        "check the numbers",
        "upgrade harbor to 2.11",
    ]
    assert [i.assignees for i in issues] == [("bob",), (), ("alice",)]
    assert all(i.labels == ("action-item",) for i in issues)
    assert "3 created" in result.output
    assert "not assignable in acme/actions, named only: zed" in result.output
    zed = issues[1].body
    assert "@zed" not in zed and "zed cannot be assigned issues in acme/actions" in zed
    assert "container/20240418.md?plain=1#L12" in issues[1].body
    assert TOKEN not in result.output
    ghfake.reset_counts()
    again = track(repo, gh_env, f"minutes/{FIRST}")
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 3 unchanged" in again.output
    assert ghfake.writes == 0 and ghfake.requests == 1


def test_a_later_review_closes_the_issues_of_what_it_reports_done_or_dropped(
    tmp_path, ghfake, gh_env
):
    seed(ghfake)
    repo = tracking_repo(tmp_path)
    assert track(repo, gh_env, f"minutes/{FIRST}").exit_code == 0
    (repo / "minutes" / SECOND).write_text(REVIEW, encoding="utf-8")
    result = track(repo, gh_env, f"minutes/{SECOND}")
    assert result.exit_code == 0, result.output
    proposal, numbers, harbor, newer = tracked(ghfake)
    assert (proposal.state, proposal.state_reason) == ("closed", "completed")
    assert (harbor.state, harbor.state_reason) == ("closed", "not_planned")
    assert numbers.state == "open" and newer.state == "open"
    assert newer.title == "write the release notes for the harbor upgrade"
    [comment] = closing_comments(ghfake, f"{REPO}#{proposal.number}")
    assert "Reported done" in comment and "container/20240425.md?plain=1#L10" in comment
    [comment] = closing_comments(ghfake, f"{REPO}#{harbor.number}")
    assert "Reported dropped" in comment
    ghfake.reset_counts()
    again = track(repo, gh_env, f"minutes/{FIRST}", f"minutes/{SECOND}")
    assert again.exit_code == 0, again.output
    assert ghfake.writes == 0, again.output
