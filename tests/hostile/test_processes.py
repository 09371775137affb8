"""Processes minutesbot starts end with it, however it ends (issue 16, point 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
    reason="reads /proc; needs two CPUs for parallel indexing",
)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, limit: float) -> bool:
    """Poll ``condition`` until it holds or ``limit`` seconds pass: a bound, not a speed test."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_index_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    team = tmp_path / "minutes" / "team"
    team.mkdir(parents=True)
    for day in range(1, 29):
        (team / f"202401{day:02d}.md").write_text(f"# 2024-01-{day:02d}\n\n## Topic\n- AI @a: do\n")
    # Enough for a worker to be busy for a while when the parent is killed.
    lines = "".join(f"- AI @u{n}: task {n} see #{n}\n" for n in range(60_000))
    (team / "20240130.md").write_text("# 2024-01-30\n\n## Topic\n" + lines)
    parent = subprocess.Popen(
        [sys.executable, "-m", "minutesbot", "index"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    workers: set[int] = set()
    try:
        assert _wait_for(lambda: len(workers.update(_children(parent.pid)) or workers) >= 2, 60)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert _wait_for(lambda: not any(_alive(w) for w in workers), 20), (
            "workers outlived their parent"
        )
    finally:
        for worker in workers:
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
            parent.wait()
