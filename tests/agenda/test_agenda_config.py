"""Configuration values of the wrong type stop ``new`` with one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from agenda_fixtures import new, repo, write  # noqa: F401  (fixtures)

from minutesbot.config import ConfigError, load_config


@pytest.mark.parametrize(
    "line, message",
    [
        ("cadence = 5", "teams.team: cadence must be a string, not an integer (5)"),
        ("time = 1000", "teams.team: time must be a string, not an integer (1000)"),
        ("date-format = 5", "teams.team: date-format must be a string, not an integer (5)"),
        (
            'carry-meetings = "4"',
            'teams.team: carry-meetings must be an integer, not a string ("4")',
        ),
        (
            "carry-meetings = true",
            "teams.team: carry-meetings must be an integer, not true or false (true)",
        ),
        ("carry-meetings = -2", "teams.team: carry-meetings must be 1 or more, not -2"),
        ("carry-meetings = 0", "teams.team: carry-meetings must be 1 or more, not 0"),
        ("template = 5", "teams.team: template must be a string, not an integer (5)"),
        (
            'skip = "2026-11-27"',
            'teams.team: skip must be a list of strings, not a string ("2026-11-27")',
        ),
        (
            'skip = ["2026-11-27", 5]',
            "teams.team: each entry of skip must be a string, not an integer (5)",
        ),
    ],
)
def test_wrongly_typed_team_setting(repo: Path, write, new, line: str, message: str) -> None:
    write("minutes/team/20240418.md", "# 2024-04-18\n\n## Participants\n- @alice\n")
    write("minutesbot.toml", f"[teams.team]\n{line}\n")
    result = new("--team", "team", "--stdout")
    assert result.exit_code == 2
    assert result.stderr == f"minutesbot: error: {repo / 'minutesbot.toml'}: {message}\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("max-file-bytes = 0", "max-file-bytes must be 1 or more, not 0"),
        (
            "neutralize-mentions = 1",
            "neutralize-mentions must be true or false, not an integer (1)",
        ),
        ('default-owner = ["a"]', 'default-owner must be a string, not a list (["a"])'),
        ("teams = 5", "'teams' must be a table of team tables"),
        ("teams = {team = 5}", "teams.team must be a table of settings, not an integer"),
        ('base-dir = "/etc"', "unknown key(s) base_dir"),
    ],
)
def test_wrongly_typed_setting(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "minutesbot.toml").write_text(text + "\n")
    with pytest.raises(ConfigError, match=r"^\S+minutesbot\.toml: ") as caught:
        load_config(tmp_path)
    assert str(caught.value).endswith(message)


def test_toml_dates_and_times_are_taken_as_written(tmp_path: Path) -> None:
    (tmp_path / "minutesbot.toml").write_text(
        '[teams.team]\ntime = 10:05:00\nskip = [2024-12-26, "2025-01-01..2025-01-06"]\n'
    )
    team = load_config(tmp_path).team("team")
    assert team.time == "10:05"
    assert team.skip == ["2024-12-26", "2025-01-01..2025-01-06"]
