"""Files that are not minutes, and dates that cannot both be right (issue 16, points 13, 15)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from minutesbot.cli import main
from minutesbot.config import Config
from minutesbot.records.parser import MinutesError, parse_text, read_file


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_before_any_read() -> None:
    with pytest.raises(MinutesError, match="not a regular file"):
        read_file(Path("/dev/zero"))


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "20240418.md"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["parse", str(fifo)])
    assert result.exit_code == 1
    assert result.output.strip().endswith("not a regular file, not read")


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "20240418.md"
    path.write_text("# 2024-04-18\n" + "x" * 100)
    with pytest.raises(MinutesError, match="max-file-bytes"):
        read_file(path, config=Config(max_file_bytes=50))


def test_a_title_date_far_from_the_file_name_is_warned() -> None:
    record = parse_text("# 2014-04-18\n\n## T\n- AI @a: x\n", source="team/20240418.md")
    assert record.date == "2014-04-18"  # the spec: the title's date
    assert [w.line for w in record.warnings] == [1]
    assert "3653 days from the file name's 2024-04-18" in record.warnings[0].message
    close = parse_text("# 2024-04-16\n\n## T\n- x\n", source="team/20240418.md")
    [moved] = close.warnings  # a call moved by two days: no typo, but its file keeps the old day
    assert moved.message == (
        "the title's date 2024-04-16 is 2 days from the file name's 2024-04-18: "
        "a call moved without renaming its file, or a typo?"
    )


def test_new_takes_the_file_name_date_of_a_mistyped_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = tmp_path / "minutes" / "team"
    team.mkdir(parents=True)
    for name, title in (
        ("20240404", "2024-04-04"),
        ("20240411", "2014-04-11"),
        ("20240418", "2024-04-18"),
    ):
        (team / f"{name}.md").write_text(f"# {title}\n\n## Topic\n- notes\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["new", "--team", "team", "--stdout"])
    assert result.exit_code == 0, result.output
    assert "titled 2014-04-11, named 2024-04-11; the file name's date is used" in result.stderr
    # Weekly on Thursdays, as the three files are: the next Thursday from today, not years on.
    day = date.fromisoformat(result.stdout.splitlines()[0].removeprefix("# "))
    assert day.weekday() == 3 and 0 <= (day - date.today()).days <= 7


def test_lint_flags_a_title_date_far_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "20240418.md"
    path.write_text("# 2014-04-18\n\nResponsible for the minutes: @a\n\n## T\n- x\n")
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert "days from the file name's 2024-04-18" in result.output
