"""Ctrl-C during a cold ``minutesbot index`` keeps what was indexed (issue 12, point 8).

A real process gets a real SIGINT once the index holds its first batch; the
next run parses only the files not stored yet, and the index it ends with
answers as one built in a single run does (action tracking included).
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def minutesbot(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minutesbot", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


def stored(index: Path) -> int:
    """Files committed to the index so far (0 while it is not there, or locked)."""
    try:
        with sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture
def project(corpus_minutes: Path, tmp_path: Path) -> Path:
    """The corpus three times over (993 files in nine teams): a cold build of some seconds."""
    for copy in ("a", "b", "c"):
        for team in ("container", "iaas", "sig-standardization"):
            shutil.copytree(corpus_minutes / team, tmp_path / "minutes" / f"{team}-{copy}")
    (tmp_path / "minutesbot.toml").write_text('default-owner = "SovereignCloudStack"\n')
    return tmp_path


def test_ctrl_c_keeps_the_files_indexed_and_the_next_run_goes_on(project: Path):
    total = len(list((project / "minutes").rglob("*.md")))
    index = project / "minutes" / ".minutesbot" / "index.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "minutesbot", "index"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell may start background jobs with SIGINT ignored; a terminal's Ctrl-C is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Interrupted once the container teams (116 files each, parsed first) are stored
    # whole (a batch is 250 files at most): the next run parses none of their files, yet
    # must track their actions.
    deadline = time.monotonic() + 300
    while stored(index) < 240 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    kept = stored(index)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "Aborted!" not in err
    assert err.splitlines()[-1] == (
        "minutesbot: error: interrupted: the files indexed so far are kept; run it again to go on"
    )
    assert 240 <= kept < total

    resumed = minutesbot(project, "index")
    assert resumed.returncode == 0, resumed.stderr
    assert f": {total - kept} added, 0 changed, 0 removed, {kept} unchanged" in resumed.stdout
    answers = [
        minutesbot(project, *q, "--json").stdout
        for q in (["actions", "--all"], ["decisions", "--all"])
    ]

    shutil.rmtree(index.parent)
    assert minutesbot(project, "index").returncode == 0
    assert [
        minutesbot(project, *q, "--json").stdout
        for q in (["actions", "--all"], ["decisions", "--all"])
    ] == (answers)
    assert '"closed_by": {' in answers[0]  # tracking across meetings was done, not skipped
