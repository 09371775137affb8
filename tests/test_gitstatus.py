"""Waiting for git: its output once it exits, nothing where it failed, hung or is missing."""

from __future__ import annotations

import os
import sys

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
