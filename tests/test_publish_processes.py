"""``minutesbot publish`` as real processes: killed half-way, and two at once.

The other fault tests drop the network under a run; here the operating
system ends the process itself (SIGKILL, as a cancelled job or a lost
runner does), and two processes publish the same minutes at the same time.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ghfake.fixtures import (  # noqa: F401
    FILE,
    gh_env,
    ghfake,
    minutes_repo,
    minutesbot_process,
    run,
    seed,
)

from minutesbot.publish.backlinks import marker_for

PROJECT = Path(__file__).resolve().parent.parent
REFS = [f"acme/stacks#{n}" for n in range(1, 11)]
TEXT = "# 2024-04-18\n\n" + "".join(f"## Topic {n}\nacme/stacks#{n}\n\n" for n in range(1, 11))
MARKER = marker_for("container/20240418.md")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def publish_process(repo: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return minutesbot_process(repo, env, "publish", FILE)


def ours(fake, ref: str) -> list[str]:
    return [body for body in fake.comments_on(ref) if body.startswith(MARKER)]


def test_process_killed_half_way_then_rerun_ends_in_the_same_state(tmp_path, ghfake, gh_env):
    seed(ghfake, REFS)
    repo = minutes_repo(tmp_path, {"container/20240418.md": TEXT})
    # After four comments GitHub stops answering; the process waits, and is killed.
    ghfake.inject("slow", after_writes=4, times=None, delay=30)
    process = publish_process(repo, {**gh_env, "MINUTESBOT_GITHUB_TIMEOUT": "60"})
    deadline = time.monotonic() + 30
    while ghfake.writes < 4 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    written = sum(len(ours(ghfake, ref)) for ref in REFS)
    assert 4 <= written < len(REFS)
    ghfake.clear_faults()
    rerun = run(repo, gh_env, FILE)
    assert rerun.exit_code == 0, rerun.output
    assert f"{len(REFS) - written} created, 0 updated, {written} unchanged" in rerun.output
    assert all(len(ours(ghfake, ref)) == 1 for ref in REFS)


def test_two_processes_at_once_leave_one_comment_per_issue(tmp_path, ghfake, gh_env):
    seed(ghfake, REFS)
    repo = minutes_repo(tmp_path, {"container/20240418.md": TEXT})
    # Each listing of comments waits for the other run's: both find none and both create one.
    ghfake.inject("barrier", method="GET", path="/comments$", times=None)
    first, second = publish_process(repo, gh_env), publish_process(repo, gh_env)
    outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert all(len(ours(ghfake, ref)) == 1 for ref in REFS), outputs
    # The runs did race: both created comments, and the newer ones were deleted.
    assert ghfake.counts["POST"] > len(REFS) and ghfake.counts["DELETE"] >= 1
    assert "duplicate(s) of a concurrent run" in "".join(outputs)
