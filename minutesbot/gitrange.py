"""The minutes files a git range touched (``--changed BASE..HEAD``)."""
from __future__ import annotations

import subprocess
from pathlib import Path


class GitRangeError(Exception):
    """The range cannot be read: not a range, not a repository, unknown commits."""


def _git(root: Path, span: str, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise GitRangeError(f"--changed {span}: git is not installed") from None
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise GitRangeError(f"--changed {span}: git {args[0]} failed: {last[0]}") from None
    return done.stdout


# What git diffs against when there is no base: the tree with nothing in it.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def changed_minutes(span: str, root: Path) -> list[Path]:
    """The ``.md`` files below ``root`` that ``git diff BASE..HEAD`` touched and that still exist.

    A BASE of all zeros (``github.event.before`` on a branch's first push)
    means every file at HEAD is new.
    """
    base, sep, head = span.partition("..")
    if not sep or not head or head.startswith("."):
        raise GitRangeError(f"--changed {span}: expected BASE..HEAD")
    if not base or set(base) == {"0"}:
        base = EMPTY_TREE
    if not root.is_dir():
        raise GitRangeError(f"--changed {span}: {root} is not a directory")
    top = Path(_git(root, span, "rev-parse", "--show-toplevel").strip())
    names = _git(root, span, "diff", "--name-only", "--diff-filter=d", base, head, "--", ".").splitlines()
    resolved_root = root.resolve()
    found = []
    for name in names:
        path = (top / name).resolve()
        if path.suffix == ".md" and path.is_file() and resolved_root in path.parents:
            found.append(path)
    return sorted(found)
