"""An action whose tracked issue is closed on GitHub shows as done in the next agenda; the
issue states and the tracked issues come in one GraphQL request."""

from __future__ import annotations

from ghfake.fixtures import TOKEN, gh_env, ghfake, invoke  # noqa: F401  (fixtures)
from track_fixtures import FIRST, REPO, SETTINGS, seed, track, tracked, tracking_repo

from minutesbot.records.parser import parse_text


def test_an_issue_closed_on_github_shows_its_action_done_in_the_next_agenda(
    tmp_path, ghfake, gh_env
):
    seed(ghfake)
    repo = tracking_repo(tmp_path)
    assert track(repo, gh_env, f"minutes/{FIRST}").exit_code == 0
    proposal, numbers, harbor = tracked(ghfake)
    ghfake.close_issue(f"{REPO}#{numbers.number}")  # done, say its owner
    ghfake.close_issue(f"{REPO}#{harbor.number}", "not_planned")
    ghfake.reset_counts()
    result = invoke(repo, gh_env, "new", "--team", "container", "--date", "2024-04-25", "--stdout")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "- AI @zed: check the numbers (done)\n" in text
    assert f"its issue [{REPO}#2](http://127.0.0.1:" in text
    assert "- AI @alice: upgrade harbor to 2.11 (dropped)\n" in text
    assert "- AI @bob: write the proposal for" in text and "stacks#56) (done)" not in text
    assert "Actions whose issue was closed on GitHub: 2." in text
    assert ghfake.counts["GRAPHQL"] == 1 and ghfake.requests == 1
    assert TOKEN not in result.output
    # Written into the minutes as they stand, the agenda's lines report the actions closed.
    record = parse_text(text, source="container/20240425.md", team="container")
    status = {a.text: a.status for a in record.actions}
    assert status["check the numbers (done)"] == "done"
    assert status["upgrade harbor to 2.11 (dropped)"] == "dropped"


def test_a_team_that_does_not_track_asks_nothing_more(tmp_path, ghfake, gh_env):
    repo = tracking_repo(tmp_path, settings="")
    result = invoke(repo, gh_env, "new", "--team", "container", "--date", "2024-04-25", "--stdout")
    assert result.exit_code == 0, result.output
    assert "closed on GitHub" not in result.stdout
    assert ghfake.counts["GRAPHQL"] == 1  # the linked issue's state only


def test_settings_keep_track_and_agenda_apart(tmp_path, ghfake, gh_env):
    seed(ghfake)
    repo = tracking_repo(tmp_path, settings=SETTINGS + 'action-label = "todo"\n')
    assert track(repo, gh_env, f"minutes/{FIRST}").exit_code == 0
    assert all(i.labels == ("todo",) for i in tracked(ghfake))
    ghfake.close_issue(f"{REPO}#1")
    result = invoke(repo, gh_env, "new", "--team", "container", "--date", "2024-04-25", "--stdout")
    assert "(done)" in result.stdout and "Actions whose issue was closed on GitHub: 1." in (
        result.stdout
    )
