"""Waiting for git: its output once it exits, nothing where it failed, hung or is missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from minutesbot import gitstatus


def _started(code: str) -> gitstatus.Started:
    return gitstatus.Started([sys.executable, "-c", code])


def test_the_output_of_a_process_that_succeeded() -> None:
    assert _started("print('# branch.oid abc')").output() == b"# branch.oid abc\n"


def test_output_bigger_than_a_pipe_holds_is_read_whole() -> None:
    out = _started("import sys; sys.stdout.write('x' * 1_000_000)").output()
    assert out == b"x" * 1_000_000


def test_nothing_of_a_process_that_failed() -> None:
    assert _started("print('half'); raise SystemExit(128)").output() is None


def test_nothing_of_a_program_that_is_not_there() -> None:
    assert gitstatus.Started(["minutesbot-no-such-program"]).output() is None


def test_the_child_reads_nothing_and_its_errors_go_nowhere(
    capfd: pytest.CaptureFixture[str],
) -> None:
    code = "import sys; sys.stderr.write('noise'); print(repr(sys.stdin.read()))"
    assert _started(code).output() == b"''\n"
    assert "noise" not in capfd.readouterr().err


def test_a_process_that_hangs_is_stopped_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitstatus, "GIT_TIMEOUT_S", 0.2)
    started = _started("import time; print('partial', flush=True); time.sleep(600)")
    assert started.output() is None
    with pytest.raises(ChildProcessError):  # killed and waited for: nothing left behind
        os.waitpid(started.pid, 0)  # type: ignore[arg-type]


def test_a_cancelled_process_is_stopped_and_waited_for() -> None:
    started = _started("import time; time.sleep(600)")
    started.cancel()
    assert started.output() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(started.pid, 0)  # type: ignore[arg-type]


def test_git_yields_to_the_query() -> None:
    started = gitstatus.Started(
        [sys.executable, "-c", "import os; print(os.getpriority(os.PRIO_PROCESS, 0))"],
        niceness=gitstatus.YIELD_TO_THE_QUERY,
    )
    out = started.output()
    assert out is not None
    assert int(out) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + gitstatus.YIELD_TO_THE_QUERY)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="no process descriptors here")
def test_a_process_that_closes_its_output_and_hangs_is_stopped_at_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gitstatus, "GIT_TIMEOUT_S", 0.2)
    started = _started("import os, time; print('all', flush=True); os.close(1); time.sleep(600)")
    assert started.output() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(started.pid, 0)  # type: ignore[arg-type]


def test_nothing_where_the_system_reaps_the_process_itself() -> None:
    """With SIGCHLD ignored (as a parent may leave it), the exit status is gone: no
    output rather than one that may be cut short, and no exception."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert _started("print('done')").output() is None
    finally:
        signal.signal(signal.SIGCHLD, previous)


def test_output_is_read_where_a_standard_stream_was_closed() -> None:
    """A process started with its standard input closed: the pipe must not take fd 0."""
    code = (
        "import os, sys; os.close(0); from minutesbot.gitstatus import Started; "
        "print(Started([sys.executable, '-c', 'print(5)']).output())"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "b'5\\n'"
