"""The parser on the real minutes in ../shared: every file, and the labelled scores."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from minutesbot.cli import main

MIN_F1 = 0.98
# The project's own labelled files (tests/gold/README.md): corpus files the shared
# gold does not cover, labelled from the spec alone.
PROJECT_GOLD = Path(__file__).resolve().parent / "gold"


def test_every_corpus_file_parses_without_error(corpus_minutes: Path):
    result = CliRunner().invoke(
        main,
        [
            "parse",
            "--json",
            "--default-owner",
            "sovereigncloudstack",
            "--root",
            str(corpus_minutes),
            str(corpus_minutes),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(got) == len(list(corpus_minutes.rglob("*.md")))


@pytest.mark.parametrize("gold", ["shared", "project"])
def test_score_on_labelled_minutes(
    gold: str, corpus_minutes: Path, corpus_gold: Path, score_script: Path, project_dir: Path
):
    """Runs the shared scorer on a labelled set; any field below F1 0.98 fails."""
    gold_dir = corpus_gold if gold == "shared" else PROJECT_GOLD
    command = (
        f"{shlex.quote(sys.executable)} -m minutesbot parse --json "
        "--default-owner sovereigncloudstack --root {root} {files}"
    )
    done = subprocess.run(
        [
            sys.executable,
            str(score_script),
            "--gold",
            str(gold_dir),
            "--minutes",
            str(corpus_minutes),
            "--cmd",
            command,
            "--json",
            "--min-f1",
            str(MIN_F1),
        ],
        capture_output=True,
        text=True,
        cwd=project_dir,
    )
    figures = json.loads(done.stdout[: done.stdout.rindex("}") + 1])
    low = {field: v["f1"] for field, v in figures.items() if v["f1"] < MIN_F1}
    assert done.returncode == 0 and not low, f"fields below {MIN_F1}: {low}\n{done.stderr}"
