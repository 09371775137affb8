"""Waiting for git: its output once it exits, nothing where it failed or hung."""

from __future__ import annotations

import subprocess
import sys

import pytest

from minutesbot import gitstatus


def _started(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )


def test_the_output_of_a_process_that_succeeded() -> None:
    assert gitstatus.finished(_started("print('# branch.oid abc')")) == b"# branch.oid abc\n"


def test_nothing_of_a_process_that_failed() -> None:
    assert gitstatus.finished(_started("print('half'); raise SystemExit(128)")) is None


def test_a_process_that_hangs_is_stopped_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitstatus, "GIT_TIMEOUT_S", 0.2)
    process = _started("import time; print('partial', flush=True); time.sleep(600)")
    assert gitstatus.finished(process) is None
    assert process.returncode is not None and process.returncode < 0  # killed, not waited out
