"""The teams of a minutes root: which there are, which one a user means, what to call it.

A team is a folder below the minutes root (or a configured name, for a team
set up before its first call). Every command that takes ``--team`` resolves
it here, so that all of them accept the same spellings (any case: people
type "IaaS" for the folder ``iaas``) and refuse the same typos with the same
message, listing the teams there are.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from minutesbot.config import Config, TeamConfig
from minutesbot.links import shown_path
from minutesbot.records.files import is_hidden, walk

# The first ATX heading of a file: its title (front matter and blank lines may precede it).
# Its closing marks and spaces are cut in Python: a lazy title before them would be tried
# again at each of its characters.
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+([^\n]*)", re.M)
# How much of a file's beginning is read for its title.
_HEAD_BYTES = 4096


class UnknownTeam(ValueError):
    """A team that neither the minutes root nor the configuration knows (a user's typo)."""


@dataclass(frozen=True)
class TeamSetting:
    """One team where it keeps its minutes: the minutes root, the team (its folder's
    name) and the configuration, which the functions working for one team need together."""

    root: Path
    name: str
    config: Config

    @property
    def settings(self) -> TeamConfig:
        """The team's own part of the configuration, defaults filled in."""
        return self.config.team(self.name)

    @property
    def folder(self) -> Path:
        """The team's folder below the minutes root (which need not exist yet)."""
        return self.root / self.name


def team_folders(root: Path) -> list[str]:
    """The folders of a minutes root (hidden ones left out), with minutes or not yet."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not is_hidden(p.name))


def team_names(root: Path) -> list[str]:
    """The teams of a minutes root: its folders that hold minutes files."""
    return [name for name in team_folders(root) if next(walk(root / name, root), None) is not None]


def known_teams(root: Path, config: Config) -> list[str]:
    """Every team a command may name: folders with minutes, and the configured teams."""
    return sorted({*team_names(root), *config.teams})


def unknown_team(name: str, known: list[str], root: Path) -> UnknownTeam:
    """The one error every command gives for a team nobody knows, listing those there are."""
    where = shown_path(root)
    choices = ", ".join(known) if known else f"none: {where} has no team folders yet"
    return UnknownTeam(f"unknown team {name!r} in {where} (known teams: {choices})")


def resolve_team(name: str, root: Path, config: Config) -> str:
    """The team ``name`` means: a folder or configured team, compared in any case.

    An exact spelling wins (two folders may differ only in case); an empty
    folder counts (a team before its first call). A name that is no plain
    folder name (``..``, ``a/b``) never matches, so nothing is written
    outside the team's folder.
    """
    spelled = spelled_as_known(name, team_spellings(root, config))
    if spelled is None:
        raise unknown_team(name, known_teams(root, config), root)
    return spelled


def team_spellings(root: Path, config: Config) -> set[str]:
    """The teams a name (``--team``, a team named in front matter) may mean, as spelled:
    the root's folders (with minutes or not yet) and the configured teams."""
    return {*team_folders(root), *config.teams}


def filed_under(name: str | None, candidates: Collection[str]) -> str | None:
    """The team a meeting of the team ``name`` (its folder, or the team its front matter
    names) is filed under, as the index files it: the one of ``candidates`` that name
    means (see :func:`spelled_as_known`), else the name as written."""
    return name and (spelled_as_known(name, candidates) or name)


def spelled_as_known(name: str, candidates: Collection[str]) -> str | None:
    """The team of ``candidates`` that ``name`` names: the same spelling, else the only one
    equal to it in any case; None where there is none (or more than one: two folders may
    differ only in case)."""
    if name in candidates:  # a folder's own files: asked for each file of a build
        return name
    folded = name.casefold()
    same = [team for team in candidates if team.casefold() == folded]
    return same[0] if len(same) == 1 else None


def _first_heading(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    match = _HEADING.search(head)
    return match[1].rstrip(" \t#") if match else None


def team_title(root: Path, team: str | None, config: Config) -> str:
    """What to call ``team`` in text people read: its configured ``name``, else the
    spelling its own minutes use in a title, else the folder name as written.

    The minutes are read newest first, and only their first heading: a title
    such as "2022-08-17 Team IaaS" or "SIG standardization & certification"
    spells the folder ``iaas`` or ``sig-standardization`` as the team does
    (dashes and underscores match spaces). Guessing the case (``str.title``)
    gets acronyms wrong ("Iam", "Sig-Standardization").
    """
    if not team:
        return "?"
    configured = config.team(team).name
    if configured:
        return configured
    words = [re.escape(word) for word in re.split(r"[-_\s]+", team) if word]
    if not words:
        return team
    spelled = re.compile(
        r"(?<![0-9A-Za-z])" + r"[-_\s]+".join(words) + r"(?![0-9A-Za-z])", re.IGNORECASE
    )
    # The team's minutes as every command finds them: no hidden file, no FIFO, nothing
    # through a link leading out of the root.
    for path in sorted(walk(root / team, root), reverse=True):
        title = _first_heading(path)
        found = spelled.search(title) if title else None
        if found:
            return found[0]
    return team
