"""Bad configuration and hostile names: one line, exit 2, nothing written outside the root
(issue 16, points 10 and 11)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from minutesbot.cli import main

MEETING = "# 2024-04-18\n\n## Topic\n- AI @alice: write it\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "repo"
    (work / "minutes" / "team").mkdir(parents=True)
    (work / "minutes" / "team" / "20240418.md").write_text(MEETING)
    monkeypatch.chdir(work)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return work


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("minutesbot: error: "), result.output
    for word in words:
        assert word in lines[0], lines[0]


COMMANDS = [
    ("parse", "minutes/team/20240418.md"),
    ("lint", "minutes/team/20240418.md"),
    ("new", "--team", "team", "--stdout"),
    ("index",),
    ("actions",),
    ("publish", "--dry-run", "minutes/team/20240418.md"),
    ("agenda-pr", "--team", "team", "--dry-run"),
]


@pytest.mark.parametrize(
    ("pyproject", "words"),
    [
        ("[tool]\nminutesbot = 5\n", ("tool.minutesbot must be a table",)),
        ("tool = 5\n", ("'tool' must be a table",)),
        ("[tool]\nminutesbot = 'x'\n", ("tool.minutesbot must be a table",)),
        ('[tool.minutesbot.teams.team]\ntimezone = "/etc/passwd"\n', ("timezone", "/etc/passwd")),
        ('[tool.minutesbot.teams.team]\ntimezone = "../../x"\n', ("timezone",)),
        ('[tool.minutesbot.teams.team]\ncadence = "FREQ=SECONDLY"\n', ("cadence", "DAILY")),
        ('[tool.minutesbot.teams.team]\ncadence = "FREQ=DAILY;BYMINUTE=1,2"\n', ("BYMINUTE",)),
        ('[tool.minutesbot.teams."../../outside"]\nrepo = "a/b"\n', ("../../outside",)),
        ('[tool.minutesbot.teams."/abs"]\nrepo = "a/b"\n', ("/abs",)),
        ('[tool.minutesbot.teams.team]\nfilename = "/tmp/{date:%Y%m%d}.md"\n', ("filename",)),
        ('[tool.minutesbot.teams.team]\nfilename = "../{date:%Y%m%d}.md"\n', ("filename", "..")),
    ],
)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_bad_configuration_is_one_line(
    repo: Path, pyproject: str, words: tuple[str, ...], command: tuple[str, ...]
) -> None:
    (repo / "pyproject.toml").write_text(pyproject)
    one_line_error(run(*command), *words)


def test_a_symlinked_team_folder_is_not_written_through(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "20240418.md").write_text(MEETING)
    (repo / "minutes" / "linked").symlink_to(outside, target_is_directory=True)
    result = run("new", "--team", "linked", "--date", "2024-04-25")
    assert result.exit_code == 2, result.output  # nothing done, as pad pull refuses it
    assert "leads outside the minutes root" in result.output
    assert sorted(p.name for p in outside.iterdir()) == ["20240418.md"]


@pytest.mark.parametrize("where", ["outside", "hidden"])
def test_an_agenda_file_linked_out_of_the_root_is_neither_written_nor_pushed(
    repo: Path, tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next agenda's file a link (``iaas/20240425.md -> ../.git/config``, or to a file
    outside): ``new --force`` does not write through it, ``pad push`` does not read it
    into the team's pad."""
    from padfake.server import FakePad

    secret = "GITHUB_TOKEN=ghs_SECRETSECRET\n"
    target = tmp_path / "outside.txt" if where == "outside" else repo / "minutes/.git-like"
    target.write_text(secret)
    link = repo / "minutes/team/20240425.md"
    link.symlink_to(target)
    written = run("new", "--team", "team", "--date", "2024-04-25", "--force")
    assert written.exit_code == 2, written.output
    assert "leads outside the minutes root" in written.output
    assert target.read_text() == secret
    with FakePad("hedgedoc2") as pad:
        pad.add_note("team", "# Team\n", token="tok")
        monkeypatch.setenv("MINUTESBOT_PAD_TOKEN", "tok")
        pushed = run(
            "pad", "push", "--team", "team", "--date", "2024-04-25",
            "--pad", f"{pad.origin}/team", "--kind", "hedgedoc2",
        )  # fmt: skip
        assert pushed.exit_code == 2, pushed.output
        assert "leads outside the minutes root" in pushed.output
        assert "SECRET" not in pad.text("team")


def test_a_team_folder_linking_back_to_the_root_is_not_written_through(repo: Path) -> None:
    """``all -> .``: a walk of the root does not enter it, so ``new`` does not write the
    agenda through it (into the root itself)."""
    (repo / "minutes" / "all").symlink_to(".", target_is_directory=True)
    result = run("new", "--team", "all", "--date", "2024-04-25")
    assert result.exit_code == 2, result.output
    assert "leads outside the minutes root" in result.output
    assert not (repo / "minutes" / "20240425.md").exists()


def test_a_hidden_folder_the_configuration_names_is_written_without_a_link(repo: Path) -> None:
    """The configuration's own path to a hidden folder (no link on the way) is its choice."""
    (repo / "pyproject.toml").write_text(
        '[tool.minutesbot.teams.team]\nfilename = ".drafts/{date:%Y%m%d}.md"\n'
    )
    result = run("new", "--team", "team", "--date", "2024-04-25")
    assert result.exit_code == 0, result.output
    assert (repo / "minutes/team/.drafts/20240425.md").is_file()


def test_a_format_pattern_reaching_into_objects_is_an_error(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.minutesbot.teams.team]\nfilename = "{date.nothing}.md"\n'
    )
    result = run("new", "--team", "team", "--stdout")
    one_line_error(result, "file name pattern")


@pytest.mark.parametrize("team", ["../../outside", "/tmp/x", ".hidden"])
def test_agenda_pr_team_must_be_a_folder_name(repo: Path, team: str) -> None:
    one_line_error(run("agenda-pr", "--team", team, "--dry-run"), team)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("command", ["lint", "publish", "agenda-pr"])
def test_a_revision_is_never_an_option_to_git(repo: Path, command: str) -> None:
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    (repo / "minutes" / "team" / "20240425.md").write_text(MEETING.replace("18", "25"))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "two")
    extra = ["--dry-run"] if command != "lint" else []
    result = run(command, "--changed", "HEAD~1..--output=x.txt", *extra)
    assert result.exit_code == 2, result.output
    assert "cannot start with '-'" in result.output
    assert not (repo / "x.txt").exists() and not (repo / "minutes" / "x.txt").exists()


@pytest.mark.parametrize("to", ["outside", "hidden"])
def test_agenda_pr_proposes_no_agenda_through_a_linked_team_folder(
    repo: Path, tmp_path: Path, to: str
) -> None:
    """As ``new`` refuses to write through the link, ``agenda-pr`` proposes nothing there."""
    target = tmp_path / "outside" if to == "outside" else repo / "minutes/.hid"
    target.mkdir()
    (repo / "minutes" / "linked").symlink_to(target, target_is_directory=True)
    (repo / "pyproject.toml").write_text('[tool.minutesbot.teams.linked]\nrepo = "a/b"\n')
    result = run("agenda-pr", "--team", "linked", "--dry-run")
    assert result.exit_code == 1, result.output
    assert "linked: failed:" in result.output and "leads outside the minutes root" in result.output
    assert list(target.iterdir()) == []
