"""Issue 16, point 1: one short line hung every command (26 handles: 30 s, doubling)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from minutesbot.cli import main
from minutesbot.records.parser import parse_text


def hostile(handles: int) -> str:
    return f"# 2024-04-18\n\n### T\n\n- AI:\n  - ({'@a ' * handles}x\n"


def test_an_unclosed_run_of_handles_parses() -> None:
    # 64 handles: 2**64 tries before the fix; the regex audit bounds the work exactly.
    record = parse_text(hostile(64), source="team/20240418.md")
    assert [a.text for a in record.actions] == [f"({'@a ' * 64}x"]


def test_lint_new_and_history_finish_on_it(tmp_path: Path, monkeypatch) -> None:
    team = tmp_path / "minutes" / "team"
    team.mkdir(parents=True)
    (team / "20240418.md").write_text(hostile(32))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    runner = CliRunner()
    for args in (
        ["lint", str(team / "20240418.md")],
        ["new", "--team", "team", "--stdout"],
        ["history", "acme/x#1"],
    ):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), args
