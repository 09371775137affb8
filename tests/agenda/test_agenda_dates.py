"""The next call's date and start time: cadence, skip dates, inference, DST, --date."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from agenda_fixtures import new, repo, write  # noqa: F401  (fixtures)

from minutesbot.agenda.away import absence_spans
from minutesbot.agenda.cadence import CadenceError, next_date, start_time
from minutesbot.agenda.history import load_history
from minutesbot.agenda.prepare import build_agenda
from minutesbot.config import Config, TeamConfig
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting


def _meetings(write, *days: str) -> None:
    for day in days:
        write(f"minutes/team/{day.replace('-', '')}.md", f"# {day}\n\n## Participants\n- @alice\n")


def _config(write, **keys: str | list[str]) -> None:
    lines = ["[tool.minutesbot.teams.team]"]
    for key, value in keys.items():
        rendered = (
            "[" + ", ".join(f'"{v}"' for v in value) + "]"
            if isinstance(value, list)
            else f'"{value}"'
        )
        lines.append(f"{key.replace('_', '-')} = {rendered}")
    write("pyproject.toml", "\n".join(lines) + "\n")


def _written(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "minutes" / "team").iterdir())


def test_start_time_follows_daylight_saving(repo: Path, write, new) -> None:
    # Berlin leaves summer time on 2024-10-27: 10:05 is 08:05 UTC before, 09:05 UTC after.
    _meetings(write, "2024-10-17")
    _config(write, cadence="FREQ=WEEKLY;BYDAY=TH", time="10:05", timezone="Europe/Berlin")
    before = new("--date", "2024-10-24", "--stdout")
    after = new("--date", "2024-10-31", "--stdout")
    assert "Start: 10:05 CEST (08:05 UTC)" in before.stdout
    assert "Start: 10:05 CET (09:05 UTC)" in after.stdout


def test_start_time_names_the_utc_date_when_it_differs() -> None:
    team = TeamConfig(time="08:00", timezone="Pacific/Auckland")
    assert start_time(date(2024, 7, 4), team).describe() == "08:00 NZST (2024-07-03 20:00 UTC)"


def test_start_time_in_a_skipped_hour_moves_forward() -> None:
    team = TeamConfig(time="02:30", timezone="Europe/Berlin")
    assert start_time(date(2024, 3, 31), team).describe() == "03:30 CEST (01:30 UTC)"


def test_cadence_with_skip_dates_and_ranges() -> None:
    team = TeamConfig(cadence="FREQ=WEEKLY;BYDAY=TH", skip=["2024-12-26", "2025-01-01..2025-01-08"])
    assert next_date([date(2024, 12, 12), date(2024, 12, 19)], team, date(2024, 12, 19)) == date(
        2025, 1, 9
    )


def test_without_date_the_next_cadence_date_from_today(repo: Path, write, new) -> None:
    _meetings(write, "2024-12-12")
    _config(write, cadence="FREQ=WEEKLY;BYDAY=TH")
    result = new("--team", "team")
    assert result.exit_code == 0, result.output
    today = date.today()
    expected = next_date([date(2024, 12, 12)], TeamConfig(cadence="FREQ=WEEKLY;BYDAY=TH"), today)
    assert expected.weekday() == 3 and 0 <= (expected - today).days < 7
    assert _written(repo) == ["20241212.md", expected.strftime("%Y%m%d.md")]


def test_biweekly_cadence_keeps_to_the_team_s_weeks() -> None:
    team = TeamConfig(cadence="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")
    assert next_date([date(2025, 1, 10)], team, date(2025, 1, 11)) == date(2025, 1, 24)


def test_cadence_never_goes_back_before_today() -> None:
    team = TeamConfig(cadence="FREQ=WEEKLY;BYDAY=TH")
    assert next_date([date(2024, 1, 4)], team, date(2024, 3, 1)) == date(2024, 3, 7)


def test_inferred_from_the_median_gap_on_the_same_weekday() -> None:
    history = [
        date(2025, 1, 10),
        date(2025, 1, 24),
        date(2025, 2, 7),
        date(2025, 2, 21),
        date(2025, 3, 14),
    ]
    assert next_date(history, TeamConfig(), date(2025, 3, 14)) == date(2025, 3, 28)


def test_one_meeting_means_weekly(repo: Path, write, new) -> None:
    _meetings(write, "2024-04-18")
    result = new("--team", "team", "--stdout")
    assert result.exit_code == 0, result.output
    assert next_date([date(2024, 4, 18)], TeamConfig(), date(2024, 4, 18)) == date(2024, 4, 25)


def test_inferred_date_skips_configured_dates() -> None:
    team = TeamConfig(skip=["2024-04-25"])
    assert next_date([date(2024, 4, 11), date(2024, 4, 18)], team, date(2024, 4, 18)) == date(
        2024, 5, 2
    )


def test_date_option_overrides_cadence(repo: Path, write, new) -> None:
    _meetings(write, "2024-04-18")
    _config(write, cadence="FREQ=WEEKLY;BYDAY=TH", date_format="%d.%m.%Y")
    result = new("--team", "team", "--date", "2024-04-23")
    assert result.exit_code == 0, result.output
    written = (repo / "minutes" / "team" / "20240423.md").read_text()
    assert written.startswith("# 23.04.2024\n")


@pytest.mark.parametrize(
    "keys, message",
    [
        ({"cadence": "FREQ=SOMETIMES"}, "is not an RRULE"),
        ({"skip": ["next tuesday"]}, "is not YYYY-MM-DD"),
        ({"time": "25:00"}, "is not HH:MM"),
        ({"time": "10:00", "timezone": "Mars/Olympus"}, "time zone 'Mars/Olympus' is unknown"),
    ],
)
def test_bad_schedule_configuration(repo: Path, write, new, keys, message) -> None:
    _meetings(write, "2024-04-18")
    _config(write, **keys)
    result = new("--team", "team", "--stdout")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_date_option_must_be_a_date(repo: Path, write, new) -> None:
    _meetings(write, "2024-04-18")
    result = new("--date", "next week")
    assert result.exit_code == 2
    assert "is not a date" in result.output


def test_skip_dates_cannot_swallow_every_meeting() -> None:
    team = TeamConfig(cadence="FREQ=WEEKLY;BYDAY=TH", skip=["2024-01-01..2030-01-01"])
    with pytest.raises(CadenceError):
        next_date([date(2024, 1, 4)], team, date(2024, 1, 5))


@pytest.mark.parametrize(
    "text, said_on, covered, not_covered",
    [
        ("won't be available next week", "2024-04-18", "2024-04-25", "2024-05-02"),
        ("on vacation until 2024-05-03", "2024-04-18", "2024-05-02", "2024-05-09"),
        ("on PTO between April 3rd and April 11th", "2023-03-29", "2023-04-05", "2023-04-12"),
        (
            "on vacation from the 15th on (back on the 7th of August)",
            "2024-07-10",
            "2024-07-31",
            "2024-08-07",
        ),
        ("on vacation in CW28 and CW29", "2025-07-03", "2025-07-17", "2025-07-24"),
        ("Oct 17: is not available", "2024-08-29", "2024-10-17", "2024-10-24"),
        ("in two weeks will not be available", "2024-06-26", "2024-07-10", "2024-07-03"),
        ("on vacation until 10.1.", "2024-12-18", "2025-01-08", "2025-01-15"),
    ],
)
def test_absence_notes_read_relative_to_their_meeting(text, said_on, covered, not_covered) -> None:
    spans = absence_spans(text, date.fromisoformat(said_on))

    def within(day: str) -> bool:
        return any(a <= date.fromisoformat(day) <= b for a, b in spans)

    assert within(covered)
    assert not within(not_covered)


def test_absence_of_today_covers_no_later_day() -> None:
    assert absence_spans("not present today", date(2024, 4, 18)) == []


def _held(write, day: date, body: str = "") -> None:
    write(
        f"minutes/team/{day:%Y%m%d}.md",
        f"# {day}\n\n## Participants\n- @alice\n\n## Agenda\n{body}",
    )


@pytest.mark.parametrize("days_ahead", [0, 2])
def test_second_run_finds_its_own_agenda_and_refuses(
    repo: Path, write, new, days_ahead: int
) -> None:
    # Weekly on the weekday of today + days_ahead: the next call is that day.
    today = date.today()
    for weeks in (2, 1):
        _held(
            write,
            today + timedelta(days=days_ahead, weeks=-weeks),
            "\n### Vision (@carol)\n- postponed\n\n### Other\n- AI @bob: send the mail\n",
        )
    first = new("--team", "team")
    assert first.exit_code == 0, first.output
    day = today + timedelta(days=days_ahead)
    target = repo / "minutes" / "team" / f"{day:%Y%m%d}.md"
    shown = f"minutes/team/{day:%Y%m%d}.md"  # from the working directory, as typed
    assert first.stdout == f"{shown}: agenda for {day} (1 open action item, 1 topic carried)\n"
    written = target.read_text()
    second = new("--team", "team")
    assert second.exit_code == 1
    assert (
        second.stderr.splitlines()[-1] == f"minutesbot: error: {shown} exists; "
        "pass --force to overwrite it or --stdout to print the agenda"
    )
    assert target.read_text() == written and len(_written(repo)) == 3
    # Dated today, the file is taken for the agenda because it lists nobody present; say so.
    assert ("lists nobody present: read as the agenda" in second.stderr) == (days_ahead == 0)
    # The agenda is not history: printed again, it carries the same things.
    assert new("--team", "team", "--stdout").stdout == written


def test_a_side_meeting_moves_neither_the_weekday_nor_the_layout(repo: Path, write, new) -> None:
    for day in ("2023-06-21", "2023-06-28", "2023-07-05"):
        _held(write, date.fromisoformat(day))
    write(
        "minutes/team/20230710-overflow.md", "# Overflow 2023-07-10\n\n## Breakout notes\n- @bob\n"
    )
    config = Config()
    agenda = build_agenda(
        load_history(TeamSetting(repo / "minutes", "team", config)), Surroundings(date(2023, 7, 10))
    )
    assert agenda.date == date(2023, 7, 12)
    assert agenda.previous is not None and agenda.previous.source == "team/20230705.md"
    assert [s.heading for s in agenda.skeleton.sections] == [
        "2023-07-05",
        "Participants",
        "Pending action items",
        "Agenda",
    ]


@pytest.mark.parametrize(
    "days, expected",
    [
        (["2024-04-03", "2024-04-10", "2024-04-17", "2024-04-23"], date(2024, 5, 1)),  # moved once
        (
            ["2024-04-03", "2024-04-10", "2024-04-18", "2024-04-25"],
            date(2024, 5, 2),
        ),  # moved for good
    ],
)
def test_inferred_date_keeps_to_the_usual_weekday(days: list[str], expected: date) -> None:
    history = [date.fromisoformat(d) for d in days]
    assert next_date(history, TeamConfig(), history[-1]) == expected


@pytest.mark.parametrize(
    "title, expected",
    [
        ("# Team call 2024-04-18", "# Team call 2024-04-25"),
        ("# Team call, 18.04.2024 (notes)", "# Team call, 2024-04-25 (notes)"),
        ("# Team call, 18 April 2024", "# Team call, 2024-04-25"),  # the date module reads it
        ("# Weekly sync", "# 2024-04-25"),  # no date in the title: the new date stands alone
    ],
)
def test_the_title_keeps_its_words_around_the_new_date(repo: Path, write, title, expected):
    """The date of the last title is found by the date module, as written, and replaced."""
    write("minutes/team/20240418.md", f"{title}\n\n## Participants\n- @alice\n")
    config = Config(base_dir=repo)
    history = load_history(TeamSetting(repo / "minutes", "team", config))
    agenda = build_agenda(history, Surroundings(date(2024, 4, 20)), date(2024, 4, 25))
    assert f"# {agenda.title}" == expected
