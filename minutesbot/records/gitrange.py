"""The minutes files a git range touched (``--changed BASE..HEAD``), and a file as it was
at the range's base."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from minutesbot.config import Config
from minutesbot.records.files import is_minutes_path, linked_names, reached
from minutesbot.records.record import Record


class GitRangeError(Exception):
    """The range cannot be read: not a range, not a repository, unknown commits."""


def _git(root: Path, span: str, *args: str, check: bool = True) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=check)
    except FileNotFoundError:
        raise GitRangeError(f"--changed {span}: git is not installed") from None
    except subprocess.CalledProcessError as exc:
        last = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise GitRangeError(f"--changed {span}: git {args[0]} failed: {last[0]}") from None
    if done.returncode:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


# What git diffs against when there is no base: the tree with nothing in it.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


# A commit named by its hash, which a clone may lack (after a force push, or when shallow).
_HASH = re.compile(r"[0-9a-fA-F]{7,64}")
# Where a revision expression (main~3, v1.0^2) starts to walk from its name.
_WALK = re.compile(r"[~^]")
_STEPS = re.compile(r"(?:[~^][0-9]*+)++")


@dataclass
class Changed:
    """The files a range touched, and what was diffed when its base could not be.

    ``everything`` says why the range stands for every file there is rather
    than for a change (it starts before the first commit), or is None.
    ``refused``: minutes files by name that are not read, being reached
    through a symbolic link a walk of the root does not follow (see
    :func:`minutesbot.records.files.reached`): a check of the range fails on them.
    """

    span: str
    paths: list[Path]
    notes: list[str] = field(default_factory=list)
    everything: str | None = None
    refused: list[Path] = field(default_factory=list)

    def whole_archive(self, limit: int, root: Path) -> str | None:
        """Why writing for this range would write for a whole archive at once, or None.

        A range from before the first commit (a branch's first push) or one
        that touched more than ``limit`` files (an import) would put a
        backlink on every issue ever discussed, or open an agenda pull
        request for every team: ``--all`` has to say that is meant.
        """
        if self.everything:
            why = self.everything
        elif len(self.paths) > limit:
            why = f"more minutes files than max-changed-files ({limit}) in the configuration"
        else:
            return None
        below = [p.relative_to(root.resolve()).parts for p in self.paths]
        teams = {parts[0] for parts in below if len(parts) > 1}  # a team is a folder
        return (
            f"--changed {self.span}: {why}: {len(self.paths)} file(s) of {len(teams)} team(s), "
            "a whole archive at once; nothing was written (pass --all to write for all of "
            "them, --dry-run to see what that would be)"
        )


def _commit_exists(root: Path, span: str, rev: str) -> bool:
    return (
        _git(root, span, "cat-file", "-e", "--end-of-options", f"{rev}^{{commit}}", check=False)
        is not None
    )


def _missing(root: Path, span: str, rev: str) -> bool:
    """Whether ``rev``, which this clone cannot resolve, names a commit it merely lacks.

    A commit hash may be one that a force push replaced or that a shallow
    clone did not fetch, as ``github.event.before`` often is; so may a walk
    back (``main~40``) past the end of a shallow clone's history. Any other
    name is unknown here, most likely a typo, and an error.
    """
    if _HASH.fullmatch(rev):
        return True
    name = _WALK.split(rev, 1)[0]
    shallow = (_git(root, span, "rev-parse", "--is-shallow-repository", check=False) or "").strip()
    return name != rev and shallow == "true" and _commit_exists(root, span, name)


def _unknown(root: Path, span: str, rev: str) -> GitRangeError:
    """The error for a revision that does not exist: a walk too far back, or a name."""
    name = _WALK.split(rev, 1)[0]
    walk = _STEPS.fullmatch(rev, len(name)) is not None
    if name != rev and walk and _commit_exists(root, span, name):
        return GitRangeError(
            f"--changed {span}: {rev} goes back past the first commit of {name} "
            f"(for every file of the archive, write 0..{name})"
        )
    return GitRangeError(
        f"--changed {span}: unknown revision {rev!r}: no branch, tag or commit of this "
        "clone has that name (a typo? a branch not fetched?)"
    )


def changed_minutes(span: str, root: Path) -> Changed:
    """The ``.md`` files below ``root`` that ``git diff BASE..HEAD`` touched and that still exist.

    A BASE of all zeros (``github.event.before`` on a branch's first push)
    means every file at HEAD is new. A BASE the clone does not have (after a
    force push, or in a shallow clone) cannot be diffed: then HEAD's own
    commit is what changed, and a note says so, rather than failing the run
    or taking every file of the archive as new.
    """
    base, sep, head = span.partition("..")
    if not sep or not head or head.startswith("."):
        raise GitRangeError(f"--changed {span}: expected BASE..HEAD")
    if base.startswith("-") or head.startswith("-"):
        # git would take it as an option (--output=FILE writes a file).
        raise GitRangeError(f"--changed {span}: a revision cannot start with '-'")
    if not root.is_dir():
        raise GitRangeError(f"--changed {span}: {root} is not a directory")
    top = Path((_git(root, span, "rev-parse", "--show-toplevel") or "").strip())
    if not _commit_exists(root, span, head):
        raise _unknown(root, span, head)
    notes = []
    if not base or set(base) == {"0"}:
        base = EMPTY_TREE
    elif not _commit_exists(root, span, base):
        if not _missing(root, span, base):
            raise _unknown(root, span, base)
        parent = f"{head}^"
        has_parent = _commit_exists(root, span, parent)
        notes.append(
            f"--changed {span}: this clone does not have {base} (a force push, or a shallow "
            + (
                f"clone): taking the files changed by {head} itself"
                if has_parent
                else f"clone), nor the parent of {head}: taking every file {head} has"
            )
        )
        base = parent if has_parent else EMPTY_TREE
    everything = (
        "the range starts before the first commit (a branch's first push, or a clone "
        "without the history): every minutes file counts as changed"
        if base == EMPTY_TREE
        else None
    )
    # -z: names as they are, not quoted and escaped (names with umlauts, quotes).
    out = (
        _git(
            root,
            span,
            "diff",
            "-z",
            "--name-only",
            "--diff-filter=d",
            "--end-of-options",
            base,
            head,
            "--",
            ".",
        )
        or ""
    )
    resolved_root = root.resolve()
    found, refused = [], []
    for name in filter(None, out.split("\0")):
        # Git's own name for the file (its work tree's folders are real: git lists no path
        # below a symlink), judged as the walk judges it: a symlinked file is the link's
        # meeting, read only where it leads to a visible part of the root.
        path = top / name
        if resolved_root not in path.parents:
            continue
        relative = path.relative_to(resolved_root)
        if not is_minutes_path(relative) or not os.path.lexists(path) or path.is_dir():
            continue  # (a folder link named like minutes is no file: as a walk finds it)
        if reached(path, resolved_root) is False:
            refused.append(path)
        elif path.is_file():
            found.append(path)
    # The same meetings under a symlinked team folder's name changed too.
    found += linked_names(root, found)
    return Changed(span, sorted(found), notes, everything, sorted(refused))


def earlier_record(path: Path, rev: str, record: Record, config: Config) -> Record | None:
    """The minutes file as it was at commit ``rev``, parsed as ``record`` was (its folder's
    settings complete its refs, whatever team it is filed under); None where git has no
    such version or it does not parse (then nothing is withdrawn)."""
    from minutesbot.records.parser import parse_decoded
    from minutesbot.records.reading import MinutesError, decode_minutes

    try:
        done = subprocess.run(
            ["git", "show", "--end-of-options", f"{rev}:./{path.name}"],
            cwd=path.parent,
            capture_output=True,
            check=True,
        )
        return parse_decoded(decode_minutes(done.stdout)[0], record.source, config=config)
    except (OSError, subprocess.CalledProcessError, MinutesError, ValueError):
        return None
