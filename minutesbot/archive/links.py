"""Where a line of the minutes can be seen: on GitHub, else on disk.

A link needs the repository (``GITHUB_REPOSITORY`` as in GitHub Actions,
else the ``origin`` remote of the checkout when it is on the server), a
commit or branch (``GITHUB_SHA``, ``GITHUB_REF_NAME``, else the checked-out
branch) and the file's path in the repository. Without a known repository
the answer is the local ``path:line``.
"""
from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path

from minutesbot.anchors import line_anchor

_REMOTE = re.compile(r'\[remote "origin"\][^\[]*?url\s*=\s*(\S+)', re.S)


class Linker:
    """Makes links to lines of files below one minutes root."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")

    @cached_property
    def top(self) -> Path | None:
        """The checkout that holds the root: the nearest folder with a ``.git``."""
        for folder in (self.root, *self.root.parents):
            if (folder / ".git").exists():
                return folder
        return None

    @cached_property
    def repository(self) -> str | None:
        if os.environ.get("GITHUB_REPOSITORY"):
            return os.environ["GITHUB_REPOSITORY"]
        config = self._git_file("config")
        match = _REMOTE.search(config or "")
        if not match:
            return None
        host = re.escape(self.server.split("://", 1)[-1])
        found = re.search(rf"{host}[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$", match.group(1))
        return found.group(1) if found else None

    @cached_property
    def revision(self) -> str:
        for name in ("GITHUB_SHA", "GITHUB_REF_NAME"):
            if os.environ.get(name):
                return os.environ[name]
        head = (self._git_file("HEAD") or "").strip()
        return head.removeprefix("ref: refs/heads/") if head.startswith("ref: ") else head or "HEAD"

    def _git_file(self, name: str) -> str | None:
        if self.top is None or not (self.top / ".git").is_dir():
            return None
        try:
            return (self.top / ".git" / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    @cached_property
    def _prefix(self) -> str:
        """What goes before ``source``: the URL up to the root's folder, or the local path."""
        if self.repository:
            folder = self.root.relative_to(self.top).as_posix() if self.top else "."
            base = f"{self.server}/{self.repository}/blob/{self.revision}"
            return f"{base}/" if folder == "." else f"{base}/{folder}/"
        try:
            shown = self.root.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            shown = self.root.as_posix()
        return "" if shown == "." else f"{shown}/"

    def link(self, source: str, line: int) -> str:
        """The GitHub URL of ``source`` (relative to the root) at ``line``, or ``path:line``."""
        return f"{self._prefix}{source}{line_anchor(source, line)}" if self.repository \
            else f"{self._prefix}{source}:{line}"
