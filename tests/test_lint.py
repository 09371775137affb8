"""``minutesbot lint``: what it finds, how it reports it, and its exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from minutesbot.cli import main

CLEAN = """# 2024-04-18

## Participants

- @a

## Housekeeping

- Responsible for the minutes: @a

## Topic

- AI @a: do it, see https://github.com/o/r/issues/5
"""

SLOPPY = """# Weekly call

## Topic

- AI: nobody owns this
- broken https://github.com/o/r/issues/ and https://github.com/o/r/pull/abc

```
https://github.com/o/r/issues/ in code is fine
```
"""


def lint(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["lint", *args], env=env or {"GITHUB_ACTIONS": "false"})


def test_clean_minutes_pass(tmp_path: Path):
    (tmp_path / "20240418.md").write_text(CLEAN)
    result = lint(str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "1 file(s) checked: 0 error(s), 0 warning(s)" in result.stderr


def test_problems_with_file_and_line(tmp_path: Path):
    path = tmp_path / "notes.md"
    path.write_text(SLOPPY)
    result = lint(str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{path.as_posix()}:1: error: no meeting date" in lines[0]
    assert any(":5: warning: action item without an owner: nobody owns this" in ln for ln in lines)
    assert any(
        ":6: warning: link to an issue that names no issue number: https://github.com/o/r/issues/"
        in ln
        for ln in lines
    )
    assert any("/pull/abc" in ln for ln in lines)
    assert any("warning: no minutes taker" in ln for ln in lines)
    assert not any(":9:" in ln for ln in lines)


def test_warnings_alone_exit_zero(tmp_path: Path):
    path = tmp_path / "20240418.md"
    path.write_text(CLEAN.replace("- Responsible for the minutes: @a\n", ""))
    result = lint(str(path))
    assert result.exit_code == 0
    assert "no minutes taker" in result.stdout


def test_workflow_commands_under_actions(tmp_path: Path):
    path = tmp_path / "odd, name.md"
    path.write_text(SLOPPY)
    result = lint(str(path), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=") and ",line=1::no meeting date" in first
    assert "odd%2C name.md" in first


def test_unreadable_file_is_an_error(tmp_path: Path):
    path = tmp_path / "20240418.md"
    path.write_bytes(b"\x00\x01")
    result = lint(str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path.as_posix()}: error: binary file")


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_file_has_its_date_from_the_name(tmp_path: Path, text: str):
    path = tmp_path / "20240418.md"
    path.write_text(text)
    assert lint(str(path)).exit_code == 0


def git(cwd: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def history(tmp_path: Path, *commits: dict[str, str]) -> list[str]:
    """A git repository at ``tmp_path`` whose commits write the files given below
    ``minutes/team``; returns the commits' shas."""
    root = tmp_path / "minutes" / "team"
    root.mkdir(parents=True)
    git(tmp_path, "init", "-q")
    shas = []
    for number, files in enumerate(commits):
        for name, text in files.items():
            (root / name).write_text(text)
        git(tmp_path, "add", ".")
        git(tmp_path, "commit", "-qm", f"commit {number}")
        shas.append(git(tmp_path, "rev-parse", "HEAD"))
    return shas


def test_changed_range_checks_only_touched_minutes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    base, _ = history(tmp_path, {"20240411.md": SLOPPY}, {"20240418.md": CLEAN})
    monkeypatch.chdir(tmp_path)
    result = lint("--root", "minutes", "--changed", f"{base}..HEAD", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked" in result.stderr


def test_changed_range_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "minutes").mkdir()
    monkeypatch.chdir(tmp_path)
    result = lint("--root", "minutes", "--changed", "nonsense")
    assert result.exit_code == 2
    assert "expected BASE..HEAD" in result.stderr
    result = lint("--root", "minutes", "--changed", "a..b")
    assert result.exit_code == 2
    assert "git rev-parse failed" in result.stderr


def test_all_zero_base_means_every_file_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    history(tmp_path, {"20240411.md": CLEAN, "20240418.md": CLEAN})
    monkeypatch.chdir(tmp_path)
    result = lint("--root", "minutes", "--changed", "0" * 40 + "..HEAD")
    assert result.exit_code == 0, result.output
    assert "2 file(s) checked" in result.stderr


def test_issue_links_that_name_no_issue(tmp_path: Path):
    path = tmp_path / "20240418.md"
    path.write_text(
        CLEAN + "- https://github.com/o/r/issues/5a https://github.com/o/r/issue/7\n"
        "- lists are fine: https://github.com/o/r/issues https://github.com/o/r/issues/new/choose "
        "https://github.com/o/r/issues?q=is%3Aopen https://github.com/o/r/pull/12/files\n"
    )
    lines = lint(str(path)).stdout.splitlines()
    assert [ln.split(": ", 2)[2] for ln in lines] == [
        "link to an issue that names no issue number: https://github.com/o/r/issues/5a",
        "GitHub's issue pages are /issues/N, not /issue/N: https://github.com/o/r/issue/7",
    ]


def test_base_missing_from_the_clone_takes_the_head_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """After a force push, github.event.before names a commit the clone never fetched."""
    history(tmp_path, {"20240411.md": SLOPPY}, {"20240418.md": CLEAN})
    monkeypatch.chdir(tmp_path)
    result = lint("--root", "minutes", "--changed", "f" * 40 + "..HEAD")
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked" in result.stderr
    assert "does not have " + "f" * 40 in result.stderr


def test_changed_names_with_umlauts_and_spaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    history(tmp_path, {"20240418-café call.md": SLOPPY})
    monkeypatch.chdir(tmp_path)
    result = lint("--root", "minutes", "--changed", "0" * 40 + "..HEAD")
    assert "1 file(s) checked" in result.stderr
    assert "20240418-café call.md:5: warning: action item without an owner" in result.stdout


@pytest.mark.parametrize(
    "entry, why",
    [
        ("AI: Who?", "a question, not a task"),
        ("AI: from couple weeks ago:", "a label ending in ':'"),
        ("AI: Some janitorial work ahead", "no verb"),
        ("AI @x: https://github.com/o/r/issues/5", "no text after the marker but links"),
    ],
)
def test_an_entry_that_is_no_task_is_named_with_the_reason(
    tmp_path: Path, entry: str, why: str
) -> None:
    file = tmp_path / "20240418.md"
    file.write_text(CLEAN.replace("- AI @a: do it, see https://github.com/o/r/issues/5", entry))
    result = lint(str(file))
    line = next(ln for ln in result.stdout.splitlines() if "not an action item" in ln)
    assert line.startswith(f"{file}:13: warning: not an action item, {why}")
    assert "not tracked or carried" in line and "without an owner" not in result.stdout
