"""The archive's questions read without click (minutesbot.cli.shortcut): the same
options as click declares, read the same, the same answers, errors and exit statuses."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_archive_cli import project  # noqa: F401  (a fixture)

from minutesbot.cli import answers, main, shortcut
from minutesbot.cli.days import parse_day

PROJECT = Path(__file__).resolve().parents[1]


def _kind(param: click.Parameter) -> str:
    """What the shortcut calls the kind of a click option's value."""
    if isinstance(param, click.Option) and param.is_flag:
        return shortcut.FLAG
    if isinstance(param.type, click.IntRange):
        assert (param.type.min, param.type.max) == (1, None)
        return shortcut.COUNT
    if isinstance(param.type, click.Path):
        assert not param.type.file_okay and param.type.dir_okay and not param.type.exists
        return shortcut.FOLDER
    if param.callback is parse_day:
        return shortcut.DAY
    assert param.type == click.STRING and param.callback is None, param
    return shortcut.TEXT


def _click_command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    return command


@pytest.mark.parametrize("name", sorted(shortcut.COMMANDS))
def test_every_option_read_plainly_is_the_one_click_declares(name: str) -> None:
    command = _click_command(name)
    argument, options = shortcut.COMMANDS[name]
    declared = {}
    arguments = []
    for param in command.params:
        if isinstance(param, click.Argument):
            arguments.append((param.name, param.nargs == -1))
            assert param.required
            continue
        assert isinstance(param, click.Option) and not param.multiple and not param.envvar
        assert not param.secondary_opts and len(param.opts) == 1, param.opts
        declared[param.opts[0]] = (param.name, _kind(param))
    assert declared == options
    assert arguments == ([argument] if argument else [])
    # Every option left out: the defaults are click's.
    args = [name, *(["acme/lbaas#12"] if argument else [])]
    read = shortcut.read(args)
    assert read is not None and read[1] == command.make_context(name, args[1:]).params


def test_the_commands_read_plainly_are_those_that_read_the_index_first() -> None:
    from minutesbot.cli import _READ_THE_INDEX

    assert set(shortcut.COMMANDS) <= _READ_THE_INDEX


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("places")
    (base / "a file").write_text("x", encoding="utf-8")
    return {"folder": str(base), "file": str(base / "a file"), "missing": str(base / "nope")}


# Values for options, and words standing alone: plain ones and every kind click judges.
_VALUES = [
    "1",
    "100",
    "0",
    "05",
    "-3",
    "+5",
    "1_0",
    "\uff11",
    "abc",
    "",
    "\u00fcber",
    "2024-01-31",
    "2024-13-01",
    "20240131",
    "2024-W05-3",
    "--json",
    "-",
]
_WORDS = ["acme/lbaas#12", "#12", "x y", "--help", "-h", "--", "-x", "--limit=5", "--json=1"]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_is_read_plainly_click_reads_the_same(data: Any, places: dict[str, str]) -> None:
    name = data.draw(st.sampled_from(sorted(shortcut.COMMANDS)))
    options = sorted(shortcut.COMMANDS[name][1])
    values = [*_VALUES, *places.values()]
    # Pieces: an option, an option and a value, a word.
    piece = st.one_of(
        st.tuples(st.sampled_from(options)),
        st.tuples(st.sampled_from(options), st.sampled_from(values)),
        st.tuples(st.sampled_from([*_WORDS, *values])),
    )
    pieces = data.draw(st.lists(piece, max_size=5))
    args = [name, *(word for taken in pieces for word in taken)]
    read = shortcut.read(args)
    if read is None:
        return  # click's to read: whatever it makes of it
    command, values = read
    assert command == name
    context = _click_command(name).make_context(name, args[1:])
    assert values == context.params


def test_plain_words_are_read_and_others_left_to_click(places: dict[str, str]) -> None:
    assert shortcut.read(["decisions", "--since", "2024-01-31", "--root", places["folder"]]) == (
        "decisions",
        {
            "team": None,
            "since": date(2024, 1, 31),
            "until": None,
            "limit": answers.PAGE,
            "show_all": False,
            "root": Path(places["folder"]),
            "as_json": False,
        },
    )
    assert shortcut.read(["search", "load", "balancer", "--limit", "3"])[1]["query"] == (
        "load",
        "balancer",
    )
    for args in (
        ["history"],  # REF missing: click says so
        ["history", "a#1", "b#2"],
        ["search", "--limit", "3"],
        ["actions", "stray"],
        ["actions", "--limit", "0"],
        ["actions", "--limit=3"],
        ["actions", "--team"],
        ["actions", "--team", "--json"],
        ["actions", "--help"],
        ["search", "--", "-x"],
        ["decisions", "--since", "yesterday"],
        ["index", "--root", places["file"]],
        ["index", "--root", places["missing"]],
        ["digest"],
        [],
    ):
        assert shortcut.read(args) is None, args


def _plainly(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = shortcut.run(args)
    except SystemExit as exc:
        code = exc.code
    assert code is not None, f"{args}: left to click"
    out, err = capsys.readouterr()
    return code, out, err


def _with_click(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["index"],
        ["index", "--json"],
        ["history", "lbaas#12"],
        ["history", "lbaas#12", "--json", "--limit", "1"],
        ["history", "#3", "--repo", "storage"],
        ["history", "#3"],  # no --repo: exit 2
        ["history", "nothing#99"],
        ["actions"],
        ["actions", "--open", "--all"],
        ["actions", "--owner", "alice", "--limit", "1"],
        ["actions", "--open", "--done"],  # exit 2
        ["actions", "--team", "nope"],  # an unknown team: exit 2
        ["decisions", "--team", "IAAS", "--json"],
        ["decisions", "--since", "2024-03-10"],
        ["decisions", "--since", "2024-04-01", "--until", "2024-03-01"],  # exit 2
        ["search", "yawol"],
        ["search", "yawol", "default", "--json"],
        ["search", "nothing-like-it"],
        ["actions", "--root", "minutes"],
        ["actions", "--root", "."],  # no minutes there: exit 2
    ],
)
def test_a_question_read_plainly_answers_as_through_click(
    project: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    assert _with_click(["index"])[0] == 0
    assert _plainly(args, capsys) == _with_click(args)


def test_a_broken_configuration_fails_the_same(
    project: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "minutesbot.toml").write_text("default-owner = [\n", encoding="utf-8")
    for args in (["actions"], ["actions", "--open", "--done"]):
        plain = _plainly(args, capsys)
        assert plain == _with_click(args)
        assert plain[0] == 2 and plain[2].startswith("minutesbot: error: ")


def test_ctrl_c_ends_it_as_through_click(
    project: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(answers, "decisions", interrupted)
    plain = _plainly(["decisions"], capsys)
    assert plain == _with_click(["decisions"])
    assert plain == (130, "", "\nminutesbot: interrupted\n")


@pytest.mark.parametrize("program", ["MINUTESBOT", "MB"])
def test_shell_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch, program: str) -> None:
    monkeypatch.setenv(f"_{program}_COMPLETE", "bash_complete")
    assert shortcut.run(["actions"]) is None


def _process(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(PROJECT), **(env or {})}
    environment.pop("GITHUB_REPOSITORY", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=environment,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
    )


def test_a_plain_question_imports_no_click_and_others_do(project: Path) -> None:  # noqa: F811
    assert _process(["-m", "minutesbot", "index"], project).returncode == 0
    for args, clicked in (
        (["actions", "--open"], False),
        (["search", "yawol", "--json"], False),
        (["actions", "--limit=5"], True),
    ):
        done = _process(["-X", "importtime", "-m", "minutesbot", *args], project)
        assert done.returncode == 0, done.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines()}
        assert ("click" in imported) == clicked, args
        assert done.stdout


@pytest.mark.parametrize("how", [[], ["--limit=100"]], ids=["plain", "through click"])
def test_output_in_an_ascii_locale_and_to_a_reader_gone(
    project: Path,  # noqa: F811
    how: list[str],
) -> None:
    (project / "minutes" / "iaas" / "20240321.md").write_text(
        "# 2024-03-21\n\n## Gr\u00fc\u00dfe\n\n- AI @alice: \u00fcbersetzen\n", encoding="utf-8"
    )
    assert _process(["-m", "minutesbot", "index"], project).returncode == 0
    ascii_out = _process(
        ["-m", "minutesbot", "actions", *how], project, env={"PYTHONIOENCODING": "ascii"}
    )
    assert ascii_out.returncode == 0 and ascii_out.stderr == b""
    assert "@alice: \u00fcbersetzen".encode() in ascii_out.stdout
    # The reader of stdout is gone before anything is written: exit 1, no word.
    read, write = os.pipe()
    os.close(read)
    try:
        gone = _process(["-m", "minutesbot", "actions", "--all", *how], project, stdout=write)
    finally:
        os.close(write)
    assert (gone.returncode, gone.stderr) == (1, b"")


@pytest.mark.parametrize("how", [[], ["--limit=100"]], ids=["plain", "through click"])
def test_odd_outputs_end_as_they_should(
    project: Path,  # noqa: F811
    tmp_path: Path,
    how: list[str],
) -> None:
    (project / "minutes" / "iaas" / "20240328.md").write_text(
        "# 2024-03-28\n\n## Colours\n\n- Decision: use \x1b[31mred\x1b[0m\n", encoding="utf-8"
    )
    assert _process(["-m", "minutesbot", "index"], project).returncode == 0
    # To a pipe, a terminal's escape sequences are left out, as click.echo leaves them out.
    colours = _process(["-m", "minutesbot", "decisions", "--team", "iaas", *how], project)
    assert b"use red" in colours.stdout and b"\x1b" not in colours.stdout
    # An ASCII stderr gets UTF-8, not escapes.
    ascii_err = _process(
        ["-m", "minutesbot", "actions", "--team", "\u00fc", *how],
        project,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert ascii_err.returncode == 2 and "'\u00fc'".encode() in ascii_err.stderr
    # No stdout at all (closed before the start): the answer goes nowhere, no error.
    for args in (["actions"], ["search", "nothing-like-it"]):
        closed = subprocess.run(
            ["bash", "-c", 'exec "$@" >&-', "-", sys.executable, "-m", "minutesbot", *args, *how],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
            capture_output=True,
            timeout=120,
        )
        assert closed.returncode == 0 and b"Traceback" not in closed.stderr, closed.stderr
    # A full disk: one line, exit 1.
    with open("/dev/full", "w") as full:
        done = _process(["-m", "minutesbot", "actions", *how], project, stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "minutesbot: error: the output could not be written: No space left on device"
    ]
    # A limit beyond what SQLite holds leaves nothing out.
    every = _process(["-m", "minutesbot", "actions", "--limit", "9" * 20], project)
    everything = _process(["-m", "minutesbot", "actions", "--all"], project)
    assert every.returncode == 0 and every.stdout == everything.stdout, every.stderr


def test_a_profiled_question_ends_as_usual(project: Path, tmp_path: Path) -> None:  # noqa: F811
    """Ending without Python's teardown must not cost a profiler (or coverage) its report."""
    profile = tmp_path / "profile"
    done = _process(["-m", "cProfile", "-o", str(profile), "-m", "minutesbot", "actions"], project)
    assert done.returncode == 0 and done.stdout
    assert profile.stat().st_size > 0


_INTERRUPTED_IMPORT = """
import sys

INTERRUPTED = sys.argv[1]

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == INTERRUPTED:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupting())
sys.argv = ["minutesbot", *sys.argv[2:]]
from minutesbot.cli import run
run()
"""


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("minutesbot.cli.answers", ["actions"]),
        ("minutesbot.cli.group", ["actions", "--limit=3"]),
        ("minutesbot.cli.group", ["--help"]),
    ],
)
def test_ctrl_c_while_the_command_is_imported_is_one_line(
    project: Path,  # noqa: F811
    module: str,
    args: list[str],
) -> None:
    done = _process(["-c", _INTERRUPTED_IMPORT, module, *args], project)
    assert (done.returncode, done.stderr) == (130, b"\nminutesbot: interrupted\n")
