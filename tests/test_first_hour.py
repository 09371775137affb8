"""What a newcomer meets in the first hour, on a copy of the real minutes (issue 12).

Each test drives the ``minutesbot`` command as a user would (CliRunner, in
the copy's folder) and checks that the commands agree with each other: the
same spellings accepted, the same errors, the same exit codes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from minutesbot.cli import main

TEAMS = "container, iaas, sig-standardization"
# An index some run left in the shared corpus is no part of the minutes.
NO_INDEX = shutil.ignore_patterns(".minutesbot")
Run = Callable[..., Result]


@pytest.fixture(scope="module")
def corpus_project(corpus_minutes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus (the shared folder stays untouched), configured for SCS."""
    project = tmp_path_factory.mktemp("first-hour")
    shutil.copytree(corpus_minutes, project / "minutes", ignore=NO_INDEX)
    (project / "minutesbot.toml").write_text('default-owner = "SovereignCloudStack"\n')
    return project


def run_in(folder: Path, *args: str) -> Result:
    """``minutesbot ARGS`` in ``folder``, without a token: nothing is ever sent."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(
            main, list(args), env={"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": ""}
        )
    finally:
        os.chdir(before)


@pytest.fixture
def minutesbot(corpus_project: Path) -> Run:
    """``minutesbot ARGS`` in the copy (or in ``cwd``)."""

    def invoke(*args: str, cwd: Path = corpus_project) -> Result:
        return run_in(cwd, *args)

    return invoke


@pytest.mark.parametrize(
    "command",
    [
        ["actions", "--team"],
        ["decisions", "--team"],
        ["new", "--stdout", "--date", "2099-01-07", "--team"],
        ["agenda-pr", "--dry-run", "--team"],
    ],
    ids=lambda c: c[0],
)
def test_team_is_matched_in_any_case_and_a_typo_lists_the_teams(minutesbot: Run, command):
    found = minutesbot(*command, "IAAS")
    assert found.exit_code == 0, found.output
    assert found.output.strip()
    typo = minutesbot(*command, "iass")
    assert typo.exit_code == 2, typo.output
    assert typo.output.strip().splitlines()[-1] == (
        f"minutesbot: error: unknown team 'iass' in minutes (known teams: {TEAMS})"
    )


def test_lint_warns_when_the_title_date_and_the_file_name_disagree(
    minutesbot: Run, corpus_minutes: Path, tmp_path: Path
):
    """A mistyped year in the corpus, and a week off (last week's minutes copied): both
    flagged with both dates; the file's own line is named."""
    result = minutesbot("lint", "minutes/iaas/20230320.md")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "minutes/iaas/20230320.md:1: warning: the title's date 2024-03-20 is 366 days from "
        "the file name's 2023-03-20: a typo in one of them?"
    )
    copied = (corpus_minutes / "iaas" / "20240313.md").read_text(encoding="utf-8")
    assert copied.startswith("\n# 2024-03-13\n")
    (tmp_path / "iaas").mkdir()
    (tmp_path / "iaas" / "20240313.md").write_text(copied.replace("2024-03-13", "2024-03-06", 1))
    week = minutesbot("lint", "--root", ".", "iaas/20240313.md", cwd=tmp_path)
    assert (
        "iaas/20240313.md:2: warning: the title's date 2024-03-06 is 7 days from the file "
        "name's 2024-03-13: a call moved without renaming its file, or a typo?"
    ) in week.output
    same = minutesbot("lint", str(corpus_minutes / "iaas" / "20240313.md"))
    assert "the title's date" not in same.output


def _meetings(output: str) -> dict[str, list[str]]:
    """``history``'s text read back: the heading line of each result -> its lines."""
    found: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in output.splitlines():
        if line.startswith("    "):
            lines.append(line.strip())
        else:
            lines = found[line] = []
    return found


def test_history_of_a_ref_in_a_review_section_shows_its_own_action_only(minutesbot: Run):
    """sig-standardization lists about twenty actions under "Check AIs from last time";
    issues#332 is in one of them, which is all its history shows of those meetings."""
    result = minutesbot("history", "issues#332")
    assert result.exit_code == 0, result.output
    meetings = _meetings(result.output)
    reviews = {k: v for k, v in meetings.items() if k.endswith("Check AIs from last time")}
    assert len(reviews) >= 20
    # The team's latest review (2026-06-04) no longer lists it: dealt with, as `new` and
    # `actions` have it too (the review rule of minutesbot.records.tracking).
    for heading, lines in reviews.items():
        assert [line for line in lines if line.startswith("action")] == [
            "action [unlisted] @mbuechse @fdobrovolny: move issues/#332 forward "
            "(unlisted 2026-06-04, sig-standardization/20260604.md:12)"
        ], heading
    # A topic of its own keeps every action of the item.
    topic = "2023-11-02  sig-standardization  Template for Standard User Story (Anja)"
    assert meetings[topic][0] == (
        "action [unlisted] @mbuechse @fdobrovolny: move this forward "
        "(unlisted 2026-06-04, sig-standardization/20260604.md:12)"
    )
    # A report below an action ("- done: [standards/#535](...)") shows that action.
    nested = _meetings(minutesbot("history", "standards#535").output)
    assert nested["2024-04-04  sig-standardization  Check AIs from last time"][0] == (
        "action [done] @mbuechse: write issue to add Implementation Notes Supplement for node "
        "distribution standard"
    )


def test_history_takes_a_ref_as_the_minutes_write_it(minutesbot: Run):
    """``issues/#332`` is how the minutes write it, and the parser reads it so."""
    plain = minutesbot("history", "issues#332")
    for form in ("issues/#332", "SovereignCloudStack/issues/#332"):
        result = minutesbot("history", form)
        assert result.exit_code == 0, result.output
        assert result.output == plain.output


def test_a_file_outside_the_root_is_parsed_with_a_hint_how_to_set_the_root(
    minutesbot: Run, corpus_minutes: Path, tmp_path: Path
):
    """The SCS minutes repository keeps TEAM/YYYYMMDD.md at its top, with no configuration."""
    shutil.copytree(corpus_minutes / "iaas", tmp_path / "iaas")
    bare = minutesbot("parse", "iaas/20241127.md", cwd=tmp_path)
    assert bare.exit_code == 0, bare.output
    assert "20241127.md · 2024-11-27 · team -" in bare.output
    assert (
        "minutesbot: warning: iaas/20241127.md is not below the minutes root minutes/, so it has "
        "no team: pass --root DIR, the folder holding the team folders (here perhaps --root .), "
        "or set minutes-root under [tool.minutesbot] in pyproject.toml"
    ) in bare.output
    rooted = minutesbot("parse", "--root", ".", "iaas/20241127.md", cwd=tmp_path)
    assert "iaas/20241127.md · 2024-11-27 · team iaas" in rooted.output
    assert "warning: iaas/20241127.md is not below" not in rooted.output


ROOT_READERS = [
    ["index"],
    ["history", "sovereigncloudstack/issues#332"],
    ["actions"],
    ["decisions"],
    ["search", "yaook"],
    ["digest", "--since", "2024-01-01"],
    ["stats"],
    ["track"],
    ["lint", "--changed", "HEAD~1..HEAD"],
    ["publish", "--changed", "HEAD~1..HEAD"],
    ["agenda-pr", "--changed", "HEAD~1..HEAD"],
]


@pytest.mark.parametrize("command", ROOT_READERS, ids=lambda c: c[0])
def test_a_missing_minutes_folder_is_the_same_error_in_every_command(
    minutesbot: Run, tmp_path: Path, command: list[str]
):
    result = minutesbot(*command, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert result.output == (
        "minutesbot: error: no minutes folder minutes/ (the default): run minutesbot in your "
        "minutes repository, pass --root DIR (the folder holding the team folders), or set "
        "minutes-root under [tool.minutesbot] in its pyproject.toml\n"
    )


@pytest.mark.parametrize(
    "command",
    [*ROOT_READERS, ["parse", "minutes/iaas"], ["new", "--stdout"], ["lint", "minutes/iaas"]],
    ids=lambda c: c[0],
)
def test_a_root_that_is_not_there_is_an_error_in_every_command(minutesbot: Run, command):
    result = minutesbot(*command, "--root", "/nonexistent")
    assert result.exit_code == 2, result.output
    assert result.output == "minutesbot: error: --root /nonexistent: no such folder\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["new", "--date", "2024-13-01"],
            "Invalid value for '--date': '2024-13-01' is not a date (YYYY-MM-DD); "
            "see 'minutesbot new --help'",
        ),
        (["history"], "Missing argument 'REF'; see 'minutesbot history --help'"),
        (["actions", "--bogus"], "No such option '--bogus'; see 'minutesbot actions --help'"),
        (
            ["publish", "--dry-run", "--changed"],
            "Option '--changed' requires an argument; see 'minutesbot publish --help'",
        ),
        (["nosuch"], "No such command 'nosuch'; see 'minutesbot --help'"),
        (
            ["actions", "--team", "nosuch"],
            f"unknown team 'nosuch' in minutes (known teams: {TEAMS})",
        ),
        (
            ["history", "issues/332"],
            "issues/332: not an issue reference (OWNER/REPO#N, REPO#N, #N with --repo, or a URL)",
        ),
    ],
    ids=lambda v: v[0] if isinstance(v, list) else None,
)
def test_every_usage_error_is_one_line_in_one_style_with_status_2(minutesbot: Run, args, message):
    result = minutesbot(*args)
    assert result.exit_code == 2
    assert result.output == f"minutesbot: error: {message}\n"
