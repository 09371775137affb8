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
Run = Callable[..., Result]


@pytest.fixture(scope="module")
def corpus_project(corpus_minutes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus (the shared folder stays untouched), configured for SCS."""
    project = tmp_path_factory.mktemp("first-hour")
    shutil.copytree(corpus_minutes, project / "minutes")
    (project / "minutesbot.toml").write_text('default-owner = "SovereignCloudStack"\n')
    return project


@pytest.fixture
def minutesbot(corpus_project: Path) -> Run:
    """``minutesbot ARGS`` in the copy, without a token: nothing is ever sent."""

    def invoke(*args: str, cwd: Path = corpus_project) -> Result:
        before = os.getcwd()
        os.chdir(cwd)
        try:
            return CliRunner().invoke(
                main, list(args), env={"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": ""}
            )
        finally:
            os.chdir(before)

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
