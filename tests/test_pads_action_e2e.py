"""The Action's scheduled pad run end to end: action.yml's steps played (tests/actionrun.py)
against the GitHub imitation and a HedgeDoc 1.x imitation holding the team's pad."""

from __future__ import annotations

from actionrun import bin_dir, checkout, play_action  # noqa: F401
from ghfake.fixtures import ghfake  # noqa: F401
from gitrepo import commit
from padfake.server import PNG, FakePad

from minutesbot.github.model import blob_sha

SIGNED = (
    "\n\nSigned-off-by: github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
)
INPUTS = {"pads": "true", "lint": "false", "publish": "false", "new-agenda": "false"}
BRANCH = "minutesbot/minutes/container/20240627"
PATH = "minutes/container/20240627.md"


def scheduled(checkout, tmp_path, ghfake, bin_dir, sha: str, run: str, **inputs: str):
    """The action's steps as a scheduled run plays them; the pad step's result."""
    results = play_action(
        checkout,
        tmp_path / run,
        ghfake,
        bin_dir,
        before="",
        sha=sha,
        event="schedule",
        inputs={**INPUTS, **inputs},
    )
    return results[-1]


def meeting(origin: str, extra: str = "") -> str:
    return (
        "# 2024-06-27\n<!-- one meeting per heading, newest on top -->\n\n"
        "## Participants\n- @alice\n- @bob\n\n## Minutes taking\n- @alice\n\n"
        f"## Topics\n- the board: ![board]({origin}/uploads/board-1.png)\n"
        f"- AI: write the release notes\n{extra}"
    )


def test_a_scheduled_run_proposes_the_meetings_minutes_and_keeps_them_current(
    checkout, tmp_path, ghfake, bin_dir
):
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {"README.md": "our minutes\n"})
    with FakePad() as pad:
        pad.add_upload("/uploads/board-1.png", PNG)
        older = "# 2024-06-20\n\n## Participants\n- @bob\n"
        url = pad.add_note("container-2024", f"# Container 2024\n\n{meeting(pad.origin)}\n{older}")
        sha = commit(
            checkout,
            {
                "pyproject.toml": f'[tool.minutesbot.teams.container]\npad = "{url}"\n',
                "minutes/container/20240620.md": older,
            },
            "earlier minutes",
        )
        run = scheduled(checkout, tmp_path, ghfake, bin_dir, sha, "run1")
        assert "container: created: pull request #" in run.stdout
        remote = ghfake.repos["acme/minutes"]
        [(number, pull)] = remote.pulls.items()
        assert pull["title"] == "Minutes of container for 2024-06-27" and pull["head"] == BRANCH
        text = ghfake.file_on("acme/minutes", BRANCH, PATH)
        assert text.startswith("# 2024-06-27\n\n## Participants\n") and "<!--" not in text
        assert "![board](board-1.png)" in text
        assert remote.files[(BRANCH, "minutes/container/board-1.png")] == PNG
        lint = "### Lint\n\n- line 12, warning: ` action item without an owner: write the "
        assert lint in pull["body"]  # in a code span: its "@handle" mentions nobody
        assert f"blob={blob_sha(text)}" in pull["body"] and "`board-1.png`" in pull["body"]
        assert [c[1] for c in ghfake.commits] == ["minutes/container/board-1.png", PATH]
        assert all(message.endswith(SIGNED) for *_, message in ghfake.commits)
        summary = (tmp_path / "run1" / "step_summary.md").read_text()
        assert "## minutesbot pad pr" in summary and f"/pull/{number} |" in summary

        # Someone adds a line to the pad: the next run updates the same pull request.
        pad.notes["container-2024"].text = pad.text("container-2024").replace(
            "- AI: write", "- @carol joined late\n- AI: write"
        )
        scheduled(checkout, tmp_path, ghfake, bin_dir, sha, "run2")
        [(same, pull)] = remote.pulls.items()
        updated = ghfake.file_on("acme/minutes", BRANCH, PATH)
        assert same == number and "- @carol joined late" in updated
        assert f"blob={blob_sha(updated)}" in pull["body"]
        assert len(ghfake.commits) == 3  # the image is there already

        # A reviewer edits the file in the pull request: the pad no longer overwrites it.
        remote.files[(BRANCH, PATH)] = updated.replace("late", "late (fixed)").encode()
        pad.notes["container-2024"].text += "\n"
        pad.notes["container-2024"].text = pad.text("container-2024").replace("@bob", "@bob2")
        run = scheduled(checkout, tmp_path, ghfake, bin_dir, sha, "run3")
        assert "container: skipped: " in run.stdout and "was edited in pull request" in (run.stdout)
        assert "late (fixed)" in ghfake.file_on("acme/minutes", BRANCH, PATH)


def test_a_dry_run_and_a_meeting_not_in_the_pad(checkout, tmp_path, ghfake, bin_dir):
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    with FakePad() as pad:
        url = pad.add_note("p", meeting(pad.origin))
        pad.add_upload("/uploads/board-1.png", PNG)
        sha = commit(
            checkout,
            {
                "pyproject.toml": f'[tool.minutesbot.teams.container]\npad = "{url}"\n',
                "minutes/container/20240620.md": "# 2024-06-20\n\n## Participants\n- @bob\n",
            },
            "config and earlier minutes",
        )
        run = scheduled(checkout, tmp_path, ghfake, bin_dir, sha, "run1", **{"dry-run": "true"})
        assert "container: planned: would open or update a pull request from " + BRANCH in (
            run.stdout
        )
        run = scheduled(
            checkout, tmp_path, ghfake, bin_dir, sha, "run2", **{"pad-date": "2024-07-04"}
        )
        assert "container: skipped: " in run.stdout
        assert "no meeting headed 2024-07-04 in the pad" in run.stdout
        assert ghfake.writes == 0
