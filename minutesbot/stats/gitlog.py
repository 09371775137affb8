"""When each minutes file was committed: the days of the commits that touched it.

One ``git log`` over the minutes root gives every file's commit days, from
which :mod:`minutesbot.stats` measures the delay from a meeting to its
minutes landing. The day is the commit's author date, in the author's own
time zone: when the minutes were committed, which a rebase or a merge later
does not change (the committer date would). Without git, outside a work
tree, or in a shallow clone (GitHub Actions checks out one commit unless
told ``fetch-depth: 0``, and every file would seem committed that day) the
answer is None with a sentence saying why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

_MARK = "\x00"


def commit_days(root: Path) -> tuple[dict[str, list[str]] | None, str]:
    """Each file below ``root`` (path relative to it) and the days of the commits that
    touched it, oldest first; or None and why not."""
    git = shutil.which("git")
    if git is None:
        return None, "git is not installed: no commit delays"
    shallow = _git(git, root, "rev-parse", "--is-shallow-repository")
    if shallow is None:
        return None, f"{root} is not in a git work tree: no commit delays"
    if shallow.strip() == "true":
        return None, (
            f"{root} is in a shallow clone: no commit delays "
            "(fetch the whole history, e.g. fetch-depth: 0)"
        )
    log = _git(
        git,
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x00%aI",
        "--name-only",
        "--relative",
        "--no-renames",
        "--",
        ".",
    )
    if log is None:
        return None, f"{root}: git log failed: no commit delays"
    days: dict[str, list[str]] = {}
    day = ""
    for line in log.splitlines():
        if line.startswith(_MARK):
            day = line[1:11]
        elif line:
            days.setdefault(line, []).append(day)
    for found in days.values():
        found.sort()
    return days, f"commit delays from the git history of {root}"


def _git(git: str, root: Path, *args: str) -> str | None:
    """``git -C root ARGS`` output, None when git fails (not a work tree, not trusted)."""
    try:
        done = subprocess.run(
            [git, "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None
