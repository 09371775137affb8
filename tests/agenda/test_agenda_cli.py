"""``minutesbot new`` as a user runs it: files, teams, templates and bad input."""

from __future__ import annotations

from pathlib import Path

from agenda_fixtures import new, repo, write  # noqa: F401  (fixtures)

MEETING = """
# 2024-04-18

## Participants
- @alice

## Agenda

### Topic (@alice)
- AI @alice: send the mail
"""


def _agenda(write, new, files: dict[str, str] | None = None):
    """Write one meeting (and ``files``), run ``new --date 2024-04-25 --stdout``."""
    write("minutes/team/20240418.md", MEETING)
    for name, text in (files or {}).items():
        write(name, text)
    return new("--date", "2024-04-25", "--stdout")


def test_writes_the_file_and_refuses_to_overwrite(repo: Path, write, new) -> None:
    write("minutes/team/20240418.md", MEETING)
    first = new("--date", "2024-04-25")
    assert first.exit_code == 0, first.output
    target = repo / "minutes" / "team" / "20240425.md"
    assert "- AI @alice: send the mail" in target.read_text()
    target.write_text("edited by hand\n")
    again = new("--date", "2024-04-25")
    assert again.exit_code == 1
    assert f"{Path('minutes/team/20240425.md')} exists; pass --force" in again.stderr
    assert target.read_text() == "edited by hand\n"
    forced = new("--date", "2024-04-25", "--force")
    assert forced.exit_code == 0, forced.output
    assert "send the mail" in target.read_text()


def test_stdout_writes_nothing(repo: Path, write, new) -> None:
    result = _agenda(write, new)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 2024-04-25\n")
    assert not (repo / "minutes" / "team" / "20240425.md").exists()


def test_file_name_pattern_from_configuration(repo: Path, write, new) -> None:
    write("minutes/team/20240418.md", MEETING)
    write("minutesbot.toml", '[teams.team]\nfilename = "{date:%Y-%m-%d}-notes.md"\n')
    result = new("--date", "2024-04-25")
    assert result.exit_code == 0, result.output
    assert (repo / "minutes" / "team" / "2024-04-25-notes.md").is_file()


def test_several_teams_need_a_choice(repo: Path, write, new) -> None:
    write("minutes/iaas/20240418.md", MEETING)
    write("minutes/container/20240418.md", MEETING)
    result = new("--date", "2024-04-25")
    assert result.exit_code == 2
    assert "known teams: container, iaas" in result.stderr


def test_unknown_team_lists_the_known_ones(repo: Path, write, new) -> None:
    write("minutes/iaas/20240418.md", MEETING)
    result = new("--team", "containr")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("(known teams: iaas)")
    assert "Traceback" not in result.output


def test_team_folder_without_minutes_or_configuration(repo: Path, write, new) -> None:
    (repo / "minutes" / "beta").mkdir()
    write("minutes/iaas/20240418.md", MEETING)
    result = new("--team", "beta", "--date", "2024-04-22")
    assert result.exit_code == 0, result.output
    assert "- no open action items" in (repo / "minutes" / "beta" / "20240422.md").read_text()


def test_the_only_configured_team_needs_no_option(repo: Path, write, new) -> None:
    write("minutesbot.toml", "[teams.newteam]\n")
    result = new("--date", "2024-04-22")
    assert result.exit_code == 0, result.output
    assert (repo / "minutes" / "newteam" / "20240422.md").is_file()


def test_team_must_be_a_folder_name(repo: Path, write, new) -> None:
    write("minutes/iaas/20240418.md", MEETING)
    result = new("--team", "../minutes", "--date", "2024-04-22")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("(known teams: iaas)")
    assert not (repo / "minutes" / "20240422.md").exists()


def test_no_history_gives_a_clean_agenda(repo: Path, write, new) -> None:
    write("minutesbot.toml", '[teams.newteam]\ncadence = "FREQ=WEEKLY;BYDAY=MO"\n')
    result = new("--team", "newteam", "--date", "2024-04-22")
    assert result.exit_code == 0, result.output
    text = (repo / "minutes" / "newteam" / "20240422.md").read_text()
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# 2024-04-22",
        "## Participants",
        "## Housekeeping",
        "## Pending action items",
        "## Agenda",
    ]
    assert "- no open action items" in text


def test_files_without_dates_are_skipped_with_a_warning(repo: Path, write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "minutes/team/process.md": "# How we certify\n\n- AI @bob: never carried\n",
        },
    )
    assert result.exit_code == 0, result.output
    # Said by the index as it reads the file (new reads the team's records from it).
    assert "team/process.md: line 1: no meeting date" in result.stderr
    assert "never carried" not in result.stdout
    assert "send the mail" in result.stdout


def test_team_template_extends_the_default(repo: Path, write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "templates/team.md.j2": """
        {% extends "minutesbot/agenda.md.j2" %}
        {% block participants %}

        Who is here? {{ agenda.date|day }}
        {% endblock %}
        """,
        },
    )
    assert result.exit_code == 0, result.output
    assert "Who is here? 2024-04-25" in result.stdout
    assert "(add yourself)" not in result.stdout
    assert "- AI @alice: send the mail" in result.stdout


def test_template_named_in_configuration(repo: Path, write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "minutesbot.toml": '[teams.team]\ntemplate = "short.md.j2"\n',
            "templates/short.md.j2": """
        # {{ agenda.title }}
        {% for a in agenda.actions %}
        - AI {{ a.owners|handles }}: {{ a.text|md }}
        {% endfor %}
        """,
        },
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "# 2024-04-25\n- AI @alice: send the mail\n"


def test_broken_template_names_file_and_line(repo: Path, write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "templates/team.md.j2": (
                "# {{ agenda.title }}\n\n{% for a in agenda.actions %}\n- {{ a.text }\n"
            ),
        },
    )
    template = Path("templates/team.md.j2").resolve()
    assert result.exit_code == 2
    assert f"{template}:4:" in result.stderr
    assert "Traceback" not in result.output


def test_template_error_while_rendering_names_file_and_line(repo: Path, write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "templates/agenda.md.j2": "# {{ agenda.title }}\n\nOwner: {{ agenda.owner }}\n",
        },
    )
    template = Path("templates/agenda.md.j2").resolve()
    assert result.exit_code == 2
    assert f"{template}:3: UndefinedError" in result.stderr


def test_missing_configured_template(repo: Path, write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "minutesbot.toml": '[teams.team]\ntemplate = "gone.md.j2"\n',
        },
    )
    assert result.exit_code == 2
    assert "gone.md.j2: template of team 'team' not found" in result.stderr


def test_offline_agenda_says_so(repo: Path, write, new) -> None:
    result = _agenda(write, new)
    assert "_Offline: issue states not checked (no GITHUB_TOKEN)._" in result.stdout


def test_template_cannot_reach_python_internals(write, new) -> None:
    result = _agenda(
        write,
        new,
        {
            "templates/agenda.md.j2": "# {{ agenda.__class__.__init__.__globals__ }}\n",
        },
    )
    assert result.exit_code == 2
    assert "SecurityError" in result.stderr


def test_a_day_out_of_the_years_meetings_are_in_is_refused(repo: Path, write, new) -> None:
    """9999-12-31 ended in an OverflowError (the meeting's time in its time zone), and
    0001-01-01 wrote a file named 10101.md that nothing could read back."""
    write("minutes/team/20240418.md", MEETING)
    write("minutesbot.toml", '[teams.team]\ntime = "23:30"\ntimezone = "America/Los_Angeles"\n')
    for day in ("9999-12-31", "0001-01-01"):
        result = new("--date", day, "--stdout")
        assert result.exit_code == 2
        assert f"{day}: a meeting's day is in the years 1000 to 9998" in result.output
        assert "Traceback" not in result.output
