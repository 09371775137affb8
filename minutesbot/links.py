"""Where a line of the minutes can be seen: on GitHub, else on disk.

One builder for every link minutesbot writes (backlinks, the agenda pull
request, ``history``'s answers, the agenda's origins). A link needs the
repository, a commit or branch and the file's path in the repository (the
minutes root relative to the top of its checkout, then the source).
:meth:`Links.from_env` takes repository and commit from what GitHub Actions
sets (``GITHUB_REPOSITORY``, ``GITHUB_SHA``) and nothing else, as a run that
writes to GitHub must; :meth:`Links.discover` falls back on the checkout
(the ``origin`` remote on the server, the checked-out branch), for answers
read on a laptop. Without a known repository a link is the local
``path:line``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

_REMOTE = re.compile(r'\[remote "origin"\][^\[]*?url\s*=\s*(\S+)', re.S)
DEFAULT_SERVER = "https://github.com"


def line_anchor(path: str, first: int, last: int | None = None) -> str:
    """What follows a file's URL so that GitHub opens it at lines ``first``..``last``.

    GitHub shows a markdown file rendered, where ``#L12`` selects nothing;
    ``?plain=1`` asks for the source view, whose lines the fragment highlights.
    """
    plain = "?plain=1" if path.lower().endswith((".md", ".markdown")) else ""
    return f"{plain}#L{first}" + (f"-L{last}" if last and last > first else "")


def relative_link(source: str, line: int, folder: str) -> str:
    """``source`` (relative to the minutes root) at ``line``, linked from a file in ``folder``."""
    relative = Path(os.path.relpath(source, folder)).as_posix()
    return relative + line_anchor(relative, line)


@dataclass
class Links:
    """Where permalinks point: ``server/repository/blob/sha/prefix+source#Lx-Ly``.

    ``local`` is what stands before a source in a link without a repository
    (the root as seen from the working directory).
    """

    server: str
    repository: str | None
    sha: str
    prefix: str
    local: str = ""

    @classmethod
    def from_env(cls, minutes_root: Path, env: Mapping[str, str] = os.environ) -> Links:
        """Links as a run on GitHub Actions makes them: repository and commit from its variables."""
        return cls(
            server=_server(env),
            repository=env.get("GITHUB_REPOSITORY") or None,
            sha=env.get("GITHUB_SHA") or "HEAD",
            prefix=_checkout_prefix(minutes_root),
            local=_local(minutes_root),
        )

    @classmethod
    def discover(cls, minutes_root: Path, env: Mapping[str, str] = os.environ) -> Links:
        """Links from the Actions variables, else from the checkout holding ``minutes_root``:
        the ``origin`` remote when it is on the server, the checked-out branch."""
        server = _server(env)
        top = _checkout(minutes_root)
        repository = env.get("GITHUB_REPOSITORY") or _origin_repository(top, server)
        sha = env.get("GITHUB_SHA") or env.get("GITHUB_REF_NAME") or _head(top)
        return cls(
            server=server,
            repository=repository,
            sha=sha,
            prefix=_checkout_prefix(minutes_root),
            local=_local(minutes_root),
        )

    def url(self, source: str, first: int | None = None, last: int | None = None) -> str:
        """The GitHub URL of ``source`` (at lines ``first``..``last``); "" without a repository."""
        if not self.repository:
            return ""
        url = f"{self.server}/{self.repository}/blob/{self.sha}/{quote(self.prefix + source)}"
        return url + line_anchor(source, first, last) if first else url

    def link(self, source: str, line: int) -> str:
        """The GitHub URL of ``source`` at ``line``, or ``path:line`` on disk."""
        return self.url(source, line) if self.repository else f"{self.local}{source}:{line}"


def _server(env: Mapping[str, str]) -> str:
    return (env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER).rstrip("/")


def _checkout(minutes_root: Path) -> Path | None:
    """The checkout that holds the root: the nearest folder with a ``.git``."""
    root = minutes_root.resolve()
    return next((folder for folder in (root, *root.parents) if (folder / ".git").exists()), None)


def _checkout_prefix(minutes_root: Path) -> str:
    """The minutes root relative to the top of its git checkout (``minutes/``)."""
    top = _checkout(minutes_root)
    relative = minutes_root.resolve().relative_to(top).as_posix() if top else "."
    return "" if relative == "." else relative + "/"


def shown_path(path: Path) -> str:
    """``path`` as a user would type it: from the working directory when it is below
    it (``minutes/iaas/20240110.md``), else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def _local(minutes_root: Path) -> str:
    """The root as a path from the working directory, for links without a repository."""
    shown = shown_path(minutes_root)
    return "" if shown == "." else f"{shown}/"


def _git_file(top: Path | None, name: str) -> str:
    if top is None or not (top / ".git").is_dir():
        return ""
    try:
        return (top / ".git" / name).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _origin_repository(top: Path | None, server: str) -> str | None:
    """``owner/name`` of the checkout's ``origin`` remote when it is on ``server``."""
    match = _REMOTE.search(_git_file(top, "config"))
    if not match:
        return None
    host = re.escape(server.split("://", 1)[-1])
    found = re.search(rf"{host}[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$", match.group(1))
    return found.group(1) if found else None


def _head(top: Path | None) -> str:
    """The checked-out branch (or detached commit) of the checkout."""
    head = _git_file(top, "HEAD").strip()
    return head.removeprefix("ref: refs/heads/") if head.startswith("ref: ") else head or "HEAD"
