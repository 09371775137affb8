"""Fixtures of the ``minutesbot new`` tests: a minutes repository in tmp_path and a runner.

Test modules import them by name (a conftest.py here would shadow
``tests/conftest.py`` for modules that import it).

Every test writes the few minutes files it needs (no corpus copies), runs the
real command through click's CliRunner in that repository, and reads the
file it wrote.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from minutesbot.cli import main


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty minutes repository as the working directory; offline (no token)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    (tmp_path / "minutes").mkdir()
    return tmp_path


@pytest.fixture
def write(repo: Path) -> Callable[[str, str], Path]:
    """Write a file below the repository, dedented; returns its path."""

    def write_file(relative: str, text: str) -> Path:
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def new(repo: Path) -> Callable[..., Result]:
    """Run ``minutesbot new ARGS`` in the repository."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["new", *args])

    return run
