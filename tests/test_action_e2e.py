"""The Action end to end: action.yml's steps played on a throwaway repository
(tests/actionrun.py plays them as the runner does), for a push; then a correction is
pushed and the steps run again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actionrun import bin_dir, checkout, play_action  # noqa: F401
from ghfake.fixtures import MEETING, REFS, ghfake, seed  # noqa: F401
from gitrepo import commit

from minutesbot.github.model import blob_sha
from minutesbot.publish.backlinks import marker_for

ZERO = "0" * 40
CORRECTED = MEETING.replace("we keep one main stack", "we keep two stacks").replace(
    "write the proposal with @carol", "write the proposal with @carol and @dave"
)


def first_push(repo: Path, tmp_path: Path, fake, bin_dir: Path, sha: str, **options: Any):
    """The steps for a branch's first push: ``github.event.before`` is all zeros."""
    return play_action(repo, tmp_path / "run", fake, bin_dir, before=ZERO, sha=sha, **options)


def comments_by_ref(fake) -> dict[str, list[tuple[int, str]]]:
    return {
        ref: [
            (c.id, c.body)
            for c in sorted(fake.comments.values(), key=lambda c: c.id)
            if f"{c.repo}#{c.number}" == ref
        ]
        for ref in REFS
    }


def test_push_then_correction_edits_the_backlinks_and_updates_the_agenda_pull_request(
    checkout, tmp_path, ghfake, bin_dir
):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {"README.md": "our minutes\n"})
    base = commit(
        checkout, {"pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n'}, "setup"
    )
    first = commit(checkout, {"minutes/container/20240418.md": MEETING}, "minutes of 2024-04-18")

    # The minutes of a meeting pushed.
    results = play_action(checkout, tmp_path / "run1", ghfake, bin_dir, before=base, sha=first)
    names = [r.args[-1] for r in results]
    assert len(names) == 5, names  # range, lint, publish, track, agenda (install skipped)
    marker = marker_for("container/20240418.md")
    comments = comments_by_ref(ghfake)
    for ref in REFS:
        [(_id, body)] = comments[ref]
        assert body.startswith(marker) and f"/blob/{first}/minutes/container/20240418.md" in body
    assert "Decision: we keep one main stack" in comments["acme/stacks#56"][0][1]
    remote = ghfake.repos["acme/minutes"]
    [(number, pull)] = remote.pulls.items()
    assert pull["state"] == "open" and pull["head"].startswith("minutesbot/agenda/container/")
    agenda_path = f"minutes/container/{pull['head'].rsplit('/', 1)[1]}.md"
    agenda = ghfake.file_on("acme/minutes", pull["head"], agenda_path)
    assert "write the proposal with @carol" in agenda and "@dave" not in agenda
    [(branch, path, message)] = ghfake.commits  # the agenda, signed off
    assert (branch, path) == (pull["head"], agenda_path)
    assert message.endswith(
        "\n\nSigned-off-by: github-actions[bot] "
        "<41898282+github-actions[bot]@users.noreply.github.com>"
    )
    summary = (tmp_path / "run1" / "step_summary.md").read_text()
    assert "## minutesbot publish" in summary and "## minutesbot agenda-pr" in summary
    assert f"| container | created | {ghfake.origin}/acme/minutes/pull/{number} |" in summary

    # A correction of the minutes, pushed as a new commit.
    second = commit(checkout, {"minutes/container/20240418.md": CORRECTED}, "fix the decision")
    ghfake.reset_counts()
    play_action(checkout, tmp_path / "run2", ghfake, bin_dir, before=first, sha=second)
    corrected = comments_by_ref(ghfake)
    for ref in REFS:
        [(comment_id, body)] = corrected[ref]
        assert comment_id == comments[ref][0][0]  # the same comment, edited
        assert f"/blob/{second}/" in body
    assert "Decision: we keep two stacks" in corrected["acme/stacks#56"][0][1]
    assert ghfake.counts["POST"] == 0 and ghfake.counts["DELETE"] == 0
    assert ghfake.counts["PATCH"] == len(REFS) + 1  # three comments, one pull request
    [(same_number, same_pull)] = remote.pulls.items()  # the same pull request, updated
    assert same_number == number and same_pull["head"] == pull["head"]
    updated = ghfake.file_on("acme/minutes", pull["head"], agenda_path)
    assert "write the proposal with @carol and @dave" in updated
    assert f"blob={blob_sha(updated)}" in same_pull["body"]
    assert ghfake.counts["PUT"] == 1


def test_lint_annotates_and_a_dry_run_writes_nothing(checkout, tmp_path, ghfake, bin_dir):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    untaken = MEETING.replace("- AI @bob: write", "- AI: write")  # an action item without owner
    sha = commit(
        checkout,
        {
            "pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n',
            "minutes/container/20240418.md": untaken,
        },
        "minutes",
    )
    results = first_push(checkout, tmp_path, ghfake, bin_dir, sha, inputs={"dry-run": "true"})
    lint = results[1]
    assert "::warning file=minutes/container/20240418.md,line=" in lint.stdout + lint.stderr
    assert "would upsert" in results[2].stdout and "container: planned:" in results[4].stdout
    assert results[3].stdout.startswith("nothing to track: no team sets action-issues")
    assert ghfake.writes == 0 and not ghfake.repos["acme/minutes"].pulls


UNDATED = "# Weekly call\n\n## Topic\n\n- notes without a date\n"


def test_pull_request_with_broken_minutes_fails_the_lint_step(checkout, tmp_path, ghfake, bin_dir):
    seed(ghfake)
    base = commit(
        checkout,
        {
            "pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n',
            "minutes/container/20240418.md": MEETING,
        },
        "minutes",
    )
    head = commit(checkout, {"minutes/container/notes.md": UNDATED}, "notes without a date")
    results = play_action(
        checkout,
        tmp_path / "run",
        ghfake,
        bin_dir,
        before=base,
        sha=head,
        event="pull_request",
        failing="Lint the changed minutes",
    )
    assert "::error file=minutes/container/notes.md,line=1::no meeting date" in results[-1].stdout
    assert ghfake.writes == 0


def test_pushed_minutes_with_an_error_still_get_their_backlinks(
    checkout, tmp_path, ghfake, bin_dir
):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    base = commit(
        checkout, {"pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n'}, "setup"
    )
    sha = commit(
        checkout,
        {"minutes/container/20240418.md": MEETING, "minutes/container/notes.md": UNDATED},
        "minutes and notes",
    )
    results = play_action(checkout, tmp_path / "run", ghfake, bin_dir, before=base, sha=sha)
    assert "::error file=minutes/container/notes.md" in results[1].stdout
    comments = comments_by_ref(ghfake)
    assert all(len(comments[ref]) == 1 for ref in REFS)


def test_a_branchs_first_push_is_linted_but_writes_nothing_without_all(
    checkout, tmp_path, ghfake, bin_dir
):
    """github.event.before is all zeros: every file of the archive counts as changed.
    The publish step refuses (nothing written, the step fails and says how to go on)."""
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    sha = commit(
        checkout,
        {
            "pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n',
            "minutes/container/20240418.md": MEETING,
        },
        "the archive, imported",
    )
    results = first_push(checkout, tmp_path, ghfake, bin_dir, sha, failing="Publish backlinks")
    assert "1 file(s) checked" in results[1].stderr
    refused = results[-1]
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (
        f"minutesbot: error: --changed {ZERO}..{sha}: the range starts before the first commit "
        "(a branch's first push, or a clone without the history): every minutes file counts as "
        "changed: 1 file(s) of 1 team(s), "
        "a whole archive at once; nothing was written (pass --all to write for all of them, "
        "--dry-run to see what that would be)\n"
    )
    assert ghfake.requests == 0


def test_pushed_minutes_get_issues_for_their_actions_and_a_review_closes_them(
    checkout, tmp_path, ghfake, bin_dir
):
    seed(ghfake)
    ghfake.add_repo("acme/minutes", assignable=("bob",))
    ghfake.add_branch("acme/minutes", "main", {})
    settings = (
        '[tool.minutesbot]\ndefault-owner = "acme"\n'
        '[tool.minutesbot.teams.container]\naction-issues = "acme/minutes"\n'
    )
    base = commit(checkout, {"pyproject.toml": settings}, "setup")
    first = commit(checkout, {"minutes/container/20240418.md": MEETING}, "minutes")
    results = play_action(checkout, tmp_path / "run1", ghfake, bin_dir, before=base, sha=first)
    assert "1 created" in results[3].stdout
    [issue] = [i for i in ghfake.issues_in("acme/minutes") if i.labels == ("action-item",)]
    assert issue.title == "write the proposal with @carol" and issue.assignees == ("bob",)
    assert f"/blob/{first}/minutes/container/20240418.md?plain=1#L" in issue.body
    summary = (tmp_path / "run1" / "step_summary.md").read_text()
    assert "## minutesbot track" in summary
    review = "# 2024-04-25\n\n## Check AIs\n- AI @bob: write the proposal with @carol - done\n"
    second = commit(checkout, {"minutes/container/20240425.md": review}, "review")
    play_action(checkout, tmp_path / "run2", ghfake, bin_dir, before=first, sha=second)
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    [closing] = ghfake.comments_on(f"acme/minutes#{issue.number}")
    assert f"/blob/{second}/minutes/container/20240425.md?plain=1#L4" in closing
