"""The parser on the real minutes in ../shared: every file, and the labelled score."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from minutesbot.cli import main

MIN_F1 = 0.90


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


def test_score_on_labelled_minutes_does_not_regress(
    corpus_minutes: Path, corpus_gold: Path, score_script: Path, project_dir: Path
):
    """Runs the shared scorer; any field below F1 0.90 fails, so accuracy cannot silently drop."""
    command = (
        f"{shlex.quote(sys.executable)} -m minutesbot parse --json "
        "--default-owner sovereigncloudstack --root {root} {files}"
    )
    done = subprocess.run(
        [
            sys.executable,
            str(score_script),
            "--gold",
            str(corpus_gold),
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
