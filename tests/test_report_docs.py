"""What docs/digest.md and docs/stats.md quote is what the commands print on the demo
minutes of this repository, and the charts in docs/stats/ are the ones drawn from them."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from minutesbot.cli import main
from minutesbot.stats.gitlog import commit_days

PROJECT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ("digest.md", "minutesbot digest --since 2026-11-01 --until 2026-11-30"),
    ("digest.md", "minutesbot digest --since 2026-11-01 --until 2026-11-30 --slides"),
    ("stats.md", "minutesbot stats"),
]
DELAYS = "Delay from meeting to"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository itself, as a user running the documented commands sees it."""
    monkeypatch.chdir(PROJECT)
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME"):
        monkeypatch.delenv(name, raising=False)
    return PROJECT


def quoted(doc: str, command: str) -> str:
    """The output quoted after ``$ COMMAND`` in a fenced block of ``docs/DOC``."""
    text = (PROJECT / "docs" / doc).read_text(encoding="utf-8")
    start = text.index(f"```\n$ {command}\n") + len(f"```\n$ {command}\n")
    return text[start : text.index("\n```\n", start) + 1]


@pytest.mark.parametrize("doc,command", COMMANDS)
def test_the_docs_quote_what_the_command_prints(demo: Path, doc: str, command: str) -> None:
    result = CliRunner().invoke(main, shlex.split(command)[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    expected, printed = quoted(doc, command), result.stdout
    if DELAYS in expected and commit_days(demo / "minutes")[0] is None:
        # a copy without its git history (an sdist, a shallow clone) has no delays to show
        expected = expected[: expected.index(DELAYS)].rstrip("\n") + "\n"
        printed = printed[: printed.index("Delay from meeting to commit:")].rstrip("\n") + "\n"
    assert printed == expected


def test_the_charts_in_the_docs_are_those_of_the_demo(demo: Path, tmp_path: Path) -> None:
    from matplotlib.image import imread

    result = CliRunner().invoke(main, ["stats", "--out", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    drawn = sorted(p.name for p in tmp_path.iterdir())
    assert drawn == sorted(p.name for p in (demo / "docs" / "stats").iterdir())
    for name in drawn:
        if name.endswith(".png"):
            assert imread(tmp_path / name).shape == imread(demo / "docs" / "stats" / name).shape
