"""``minutesbot pad pull`` and ``pad push`` on the command line, against the pad imitations."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from padfake.server import FakePad

from minutesbot.cli import main

TOKEN = "hd2_PadToken-0042"
MET = (
    "# 2024-06-27\n\n## Participants\n- @alice\n\n## Minutes taking\n- @alice\n\n## Topics\n- R7\n"
)
EARLIER = (
    "# 2024-06-20\n\n## Participants\n- @bob\n\n## Minutes taking\n- @bob\n\n## Topics\n- R6\n"
)
CALENDAR = """\
timezone: Europe/Berlin
events:
  - summary: Team Container weekly
    begin: 2024-06-06 10:05:00
    duration: {{minutes: 50}}
    description: |
      Minutes: https://github.com/acme/minutes/tree/main/container
      HedgeDoc: {pad}
    repeat: {{interval: {{weeks: 1}}, until: 2024-06-30}}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_TOKEN", "GITHUB_ACTIONS", "MINUTESBOT_PAD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "minutes" / "container").mkdir(parents=True)
    return tmp_path


def configure(repo: Path, text: str) -> None:
    (repo / "minutesbot.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def run(*args: str, **env: str):
    return CliRunner().invoke(main, ["pad", *args], env=env or None, catch_exceptions=False)


def test_pull_from_the_configured_pad_then_again(repo):
    with FakePad() as fake:
        url = fake.add_note("container-2024", f"# Container 2024\n\n{MET}\n{EARLIER}")
        configure(repo, f'[teams.container]\npad = "{url}"\n')
        done = run("pull", "--team", "container", "--date", "2024-06-27")
        assert done.exit_code == 0, done.output
        target = repo / "minutes" / "container" / "20240627.md"
        assert done.stdout == (
            f"minutes/container/20240627.md: created from {url} (meeting of 2024-06-27)\n"
        )
        assert target.read_text() == MET
        again = run("pull", "--team", "container", "--date", "2024-06-27")
        assert "unchanged" in again.stdout


def test_the_calendar_names_the_pad_and_the_meeting(repo):
    """The latest meeting of the calendar that has ended (2024-06-27), from the pad it names."""
    with FakePad() as fake:
        url = fake.add_note("container-2024", f"{MET}\n{EARLIER}")
        (repo / "cal.yml").write_text(CALENDAR.format(pad=url), encoding="utf-8")
        configure(repo, 'calendar = "cal.yml"\n')
        done = run("pull", "--team", "container")
        assert done.exit_code == 0, done.output
        assert "(meeting of 2024-06-27)" in done.stdout
        assert (repo / "minutes" / "container" / "20240627.md").read_text() == MET


def test_a_configured_pad_that_disagrees_with_the_calendar_is_a_warning(repo):
    with FakePad() as fake:
        url = fake.add_note("container-2024", MET)
        (repo / "cal.yml").write_text(CALENDAR.format(pad=url), encoding="utf-8")
        configure(repo, f'calendar = "cal.yml"\n[teams.container]\npad = "{fake.origin}/old"\n')
        done = run("pull", "--team", "container")
        assert done.exit_code == 0, done.output
        assert f"the calendar names the pad {url}" in done.stderr


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda fake: fake.add_note("p", EARLIER), "no meeting headed 2024-06-27 in the pad"),
        (lambda fake: fake.add_note("p", MET, private=True), "web page, not markdown"),
        (lambda fake: fake.inject("status", status=503, times=None), "answered 503"),
    ],
)
def test_pad_problems_are_one_line_and_write_nothing(repo, setup, message):
    with FakePad() as fake:
        setup(fake)
        configure(repo, f'[teams.container]\npad = "{fake.origin}/p"\n')
        done = run(
            "pull", "--team", "container", "--date", "2024-06-27", MINUTESBOT_PAD_BACKOFF="0.01"
        )
        assert done.exit_code == 1
        assert done.stderr.startswith("minutesbot: error: ") and done.stderr.count("\n") == 1
        assert message in done.stderr and "Traceback" not in done.output
        assert list((repo / "minutes" / "container").iterdir()) == []


def test_a_team_without_a_pad_is_told_how_to_name_one(repo):
    """A setting that cannot work is status 2, as in every command (docs/commands.md)."""
    done = run("pull", "--team", "container", "--date", "2024-06-27")
    assert done.exit_code == 2 and "team container has no pad: pass --pad URL" in done.stderr


def test_lint_problems_are_annotations_under_actions(repo):
    with FakePad() as fake:
        url = fake.add_note("p", MET.replace("- R7", "- AI: nobody's"))
        done = run(
            "pull",
            "--team",
            "container",
            "--date",
            "2024-06-27",
            "--pad",
            url,
            GITHUB_ACTIONS="true",
        )
        assert "::warning file=" in done.stdout and "action item without an owner" in done.stdout


def test_the_token_is_read_from_the_environment_and_never_printed(repo):
    with FakePad("hedgedoc2") as fake:
        url = fake.add_note("p", MET, token="another-token")
        configure(
            repo,
            f'[teams.container]\npad = "{url}"\npad-kind = "hedgedoc2"\n'
            'pad-token-env = "CONTAINER_PAD"\n',
        )
        done = run("pull", "--team", "container", "--date", "2024-06-27", CONTAINER_PAD=TOKEN)
        assert done.exit_code == 1 and "401" in done.stderr and TOKEN not in done.output
        fake.notes["p"].readers = frozenset({TOKEN})
        assert (
            run(
                "pull", "--team", "container", "--date", "2024-06-27", CONTAINER_PAD=TOKEN
            ).exit_code
            == 0
        )


def test_a_bad_pad_kind_is_a_configuration_error(repo):
    configure(repo, '[teams.container]\npad = "https://pad.example/x"\npad-kind = "etherpad"\n')
    done = run("pull", "--team", "container")
    assert done.exit_code == 2
    assert 'pad-kind "etherpad" is none of hedgedoc1, hedgedoc2, hackmd' in done.stderr


def test_push_puts_the_agenda_on_top_of_the_pad(repo):
    (repo / "minutes" / "container" / "20240627.md").write_text(MET)
    with FakePad("hackmd") as fake:
        url = fake.add_note("p", f"{MET}", token=TOKEN)
        configure(
            repo,
            f'[teams.container]\npad = "{url}"\npad-kind = "hackmd"\n'
            'cadence = "FREQ=WEEKLY;BYDAY=TH"\n',
        )
        done = run(
            "push", "--team", "container", "--date", "2024-07-04", MINUTESBOT_PAD_TOKEN=TOKEN
        )
        assert done.exit_code == 0, done.output
        assert done.stdout == f"{url}: agenda for 2024-07-04 inserted\n"
        assert fake.text("p").startswith("# 2024-07-04\n<!-- minutesbot: agenda of 2024-07-04")
        assert fake.text("p").endswith(MET)


def test_push_to_hedgedoc1_makes_a_new_note(repo):
    (repo / "minutes" / "container" / "20240627.md").write_text(MET)
    with FakePad() as fake:
        url = fake.add_note("p", MET)
        configure(repo, f'[teams.container]\npad = "{url}"\n')
        done = run("push", "--team", "container", "--date", "2024-07-04")
        assert done.exit_code == 0, done.output
        assert done.stdout.startswith(f"{fake.origin}/created-1: a new note with the agenda")
        assert fake.text("p") == MET


def test_a_sign_off_without_an_address_is_a_configuration_error(repo):
    configure(repo, 'sign-off = "minutes bot"\n')
    done = run("pr", "--dry-run")
    assert done.exit_code == 2 and "sign-off \"minutes bot\" is not 'Name <email>'" in done.stderr
