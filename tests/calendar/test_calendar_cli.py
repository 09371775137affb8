"""``minutesbot calendar`` and ``minutesbot new`` with a team calendar configured."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from conftest import require_shared

from minutesbot.agenda.prepare import prepare_agenda
from minutesbot.cli import main
from minutesbot.config import load_config
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting

MINUTES = "# {day}\n\n## Participants\n- @alice\n\n## Topics\n- news\n"
EPOCH = "1778630400"  # 2026-05-13 00:00 UTC


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    for team in ("container", "iaas", "sig-standardization"):
        (tmp_path / "minutes" / team).mkdir(parents=True)
    return tmp_path


def configure(repo: Path, text: str) -> None:
    (repo / "pyproject.toml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def scs_config(repo: Path, extra: str = "") -> None:
    main_yml = require_shared("calendar", "scs") / "main.yml"
    configure(repo, f'[tool.minutesbot]\ncalendar = "{main_yml}"\n{textwrap.dedent(extra)}')


def run(*args: str, **env: str):
    return CliRunner().invoke(main, list(args), env=env or None, catch_exceptions=False)


def test_the_feed_of_the_scs_teams(repo: Path) -> None:
    scs_config(repo)
    done = run("calendar", "-o", "feed.ics", "--from", "2026-05-13", SOURCE_DATE_EPOCH=EPOCH)
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == [
        "feed.ics: 2 teams, 6 series",
        "container: next 2026-05-15 09:05 CEST (07:05 UTC); "
        "pad https://input.scs.community/scs-team-container",
        "sig-standardization: next 2026-06-04 14:05 CEST (12:05 UTC); skipped 2026-05-21; "
        "pad https://input.scs.community/2026-scs-sig-standardization",
    ]
    # The shared calendar names no series of iaas (its 2026 calls are one-offs without a
    # Minutes link): said, and the feed is written without it.
    assert "team iaas: the calendar names no meeting of it" in done.stderr
    feed = (repo / "feed.ics").read_bytes()
    parsed = icalendar.Calendar.from_ical(feed)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = parsed.walk("VEVENT")
    assert all(e["DTSTART"].params["TZID"] == "Europe/Berlin" for e in events)
    assert all(str(e["DTSTAMP"].to_ical(), "ascii") == "20260513T000000Z" for e in events)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids) == 6
    assert "team-container-2026@docs.scs.community" in uids
    exdates = {str(e["UID"]): e.get("EXDATE") for e in events}
    container_2026 = exdates["team-container-2026@docs.scs.community"]
    assert [d.dt.isoformat() for d in container_2026.dts] == [
        "2026-04-03T09:05:00+02:00",
        "2026-05-01T09:05:00+02:00",
    ]
    again = run("calendar", "-o", "feed.ics", "--from", "2026-05-13", SOURCE_DATE_EPOCH=EPOCH)
    assert again.exit_code == 0 and (repo / "feed.ics").read_bytes() == feed
    printed = run("calendar", "--team", "container", SOURCE_DATE_EPOCH=EPOCH)
    assert (
        printed.stdout.startswith("BEGIN:VCALENDAR") and printed.stdout.count("BEGIN:VEVENT") == 2
    )


def test_a_bad_calendar_is_one_line_and_writes_nothing(repo: Path) -> None:
    (repo / "cal.yml").write_text("name: x\ntimezone: Europe/Berln\nevents: []\n")
    configure(repo, '[tool.minutesbot.teams.container]\ncalendar = "cal.yml"\n')
    done = run("calendar", "-o", "feed.ics")
    assert done.exit_code == 2
    assert (
        done.stderr == "minutesbot: error: cal.yml:2: unknown time zone 'Europe/Berln' "
        "(an IANA name like Europe/Berlin)\n"
    )
    assert not (repo / "feed.ics").exists()
    new = run("new", "--team", "container")
    assert new.exit_code == 2 and new.stderr.count("\n") == 1 and "cal.yml:2:" in new.stderr
    missing = run("calendar", "--team", "iaas")
    assert missing.exit_code == 2
    assert "team iaas has no calendar" in missing.stderr and "Traceback" not in missing.output


def test_new_takes_the_date_and_start_from_the_calendar(repo: Path) -> None:
    scs_config(repo)
    (repo / "minutes" / "container" / "20260417.md").write_text(MINUTES.format(day="2026-04-17"))
    warnings: list[str] = []
    prepared = prepare_agenda(
        TeamSetting(repo / "minutes", "container", load_config(repo)),
        Surroundings(date(2026, 5, 13), warn=warnings.append),
    )
    assert prepared.agenda.date == date(2026, 5, 15) and prepared.name == "20260515.md"
    assert "Start: 09:05 CEST (07:05 UTC)" in prepared.text
    assert warnings == []


def test_the_calendar_wins_over_a_cadence_that_disagrees(repo: Path) -> None:
    scs_config(
        repo,
        """
        [tool.minutesbot.teams.container]
        cadence = "FREQ=WEEKLY;BYDAY=TH"
        time = "10:05"
        timezone = "Europe/Berlin"
        [tool.minutesbot.teams.sig-standardization]
        skip = ["2026-06-04"]
    """,
    )
    warnings: list[str] = []
    config = load_config(repo)
    agenda = prepare_agenda(
        TeamSetting(repo / "minutes", "container", config),
        Surroundings(date(2026, 5, 13), warn=warnings.append),
    ).agenda
    assert agenda.date == date(2026, 5, 15)
    assert warnings == [
        "team container: the calendar's next meeting is 2026-05-15, cadence "
        "'FREQ=WEEKLY;BYDAY=TH' gives 2026-05-14; the calendar wins",
        "team container: the calendar's meeting starts 2026-05-15 09:05 CEST (07:05 UTC), "
        "the configured time 10:05 CEST (08:05 UTC); the calendar wins",
    ]
    # The configuration's skip dates still apply: 2026-05-21 is the calendar's, 06-04 ours.
    sig = prepare_agenda(
        TeamSetting(repo / "minutes", "sig-standardization", config),
        Surroundings(date(2026, 5, 13)),
    )
    assert sig.agenda.date == date(2026, 6, 18)


def test_a_skipped_date_and_the_end_of_the_calendar_are_warned_about(repo: Path) -> None:
    scs_config(repo)
    config = load_config(repo)
    warnings: list[str] = []
    container = TeamSetting(repo / "minutes", "container", config)
    skipped = prepare_agenda(
        container, Surroundings(date(2026, 4, 20), warn=warnings.append), date(2026, 5, 1)
    )
    assert skipped.agenda.date == date(2026, 5, 1) and skipped.agenda.start is None
    assert warnings == [f"team container: 2026-05-01 is skipped in {config.calendar} (except_on)"]
    warnings.clear()
    (repo / "minutes" / "container" / "20261211.md").write_text(MINUTES.format(day="2026-12-11"))
    late = prepare_agenda(container, Surroundings(date(2027, 1, 4), warn=warnings.append))
    assert late.agenda.date >= date(2027, 1, 4)
    assert warnings == [
        f"team container: {config.calendar} has no meeting on or after 2027-01-04 "
        "(its series end 2026-12-18); the date comes from the history"
    ]


def test_new_on_the_command_line(repo: Path) -> None:
    """A series far into the future, so that the run's real today falls inside it."""
    (repo / "team.yml").write_text(
        textwrap.dedent("""
        name: Alpha
        timezone: America/New_York
        events:
          - summary: Alpha weekly
            begin: 2024-01-04 10:05:00
            duration: {minutes: 50}
            repeat: {interval: {weeks: 1}, until: 2099-12-31}
    """)
    )
    configure(
        repo,
        """
        [tool.minutesbot.teams.alpha]
        calendar = "team.yml"
        calendar-event = "alpha weekly"
    """,
    )
    done = run("new", "--team", "alpha")
    assert done.exit_code == 0, done.output
    written = next((repo / "minutes" / "alpha").glob("*.md"))
    assert date(int(written.stem[:4]), int(written.stem[4:6]), int(written.stem[6:])).weekday() == 3
    assert "Start: 10:05 E" in written.read_text()
