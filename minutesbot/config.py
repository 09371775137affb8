"""Configuration, read once, in one place.

A minutes repository configures minutesbot in ``[tool.minutesbot]`` of its
``pyproject.toml`` or in a ``minutesbot.toml`` at its top; the first one
found walking up from the working directory wins. Every key has a default
that fits the Sovereign Cloud Stack layout (``minutes/TEAM/YYYYMMDD.md``), so
a repository laid out that way needs no configuration at all.

Keys may be written with dashes or underscores (``default-owner`` or
``default_owner``)::

    [tool.minutesbot]
    default-owner = "SovereignCloudStack"
    minutes-root = "minutes"

    [tool.minutesbot.teams.container]
    repo = "SovereignCloudStack/cluster-stacks"   # bare #N resolves here
    cadence = "FREQ=WEEKLY;BYDAY=TH"
    time = "10:05"
    timezone = "Europe/Berlin"

A team's meetings may come from a yaml2ics calendar instead (docs/calendar.md):
``calendar`` (top level for every team, or per team) is a path relative to
the configuration file or a URL; ``calendar-event`` picks the team's events
by their summary, else those whose ``Minutes:`` link ends in the team's folder.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, fields
from datetime import date, time
from pathlib import Path
from typing import Any, get_type_hints

CONFIG_FILES = ("minutesbot.toml", "pyproject.toml")


class ConfigError(Exception):
    """The configuration file exists but cannot be used."""


# The default of carry-meetings, chosen by benchmarks/agenda_recall.py on the SCS minutes.
CARRY_MEETINGS = 1


@dataclass
class TeamConfig:
    """Settings of one team (a folder below the minutes root)."""

    repo: str | None = None
    cadence: str | None = None
    time: str | None = None
    timezone: str | None = None
    skip: list[str] = field(default_factory=list)
    template: str | None = None
    filename: str = "{date:%Y%m%d}.md"
    date_format: str = "%Y-%m-%d"
    agenda_label: str | None = None
    # ``new`` lists the open actions written or listed in this many latest meetings.
    carry_meetings: int = CARRY_MEETINGS
    name: str | None = None
    # A yaml2ics calendar (path or URL) and the text of the summaries of the team's events.
    calendar: str | None = None
    calendar_event: str | None = None
    # ``track``: the repository (OWNER/REPO) that gets an issue per open action; None: off.
    action_issues: str | None = None
    # The label of those issues: how ``track`` and the agenda find them again.
    action_label: str = "action-item"
    # ``publish`` takes ``agenda-label`` off an issue the minutes discussed.
    spend_agenda_label: bool = False
    # The team's meeting pad (docs/pads.md): its URL where no calendar names it, the kind
    # of server (hedgedoc1, hedgedoc2, hackmd; default by host), and the environment
    # variable holding its API token (never the token itself).
    pad: str | None = None
    pad_kind: str | None = None
    pad_token_env: str = "MINUTESBOT_PAD_TOKEN"


@dataclass
class Config:
    default_owner: str | None = None
    minutes_root: str = "minutes"
    template_dir: str = "templates"
    max_file_bytes: int = 10 * 1024 * 1024
    # More minutes files than this in one --changed range is an import, not a meeting:
    # publish and agenda-pr write for them only with --all.
    max_changed_files: int = 20
    neutralize_mentions: bool = True
    # The yaml2ics calendar of every team that does not name its own.
    calendar: str | None = None
    # Who signs off the commits of minutesbot's pull requests (the DCO trailer).
    sign_off: str = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    teams: dict[str, TeamConfig] = field(default_factory=dict)
    base_dir: Path = field(default_factory=Path.cwd)
    path: Path | None = None

    def team(self, name: str | None) -> TeamConfig:
        """The team's settings, defaults where the team is not configured."""
        return self.teams.get(name or "", TeamConfig())

    def owner(self, override: str | None = None) -> str | None:
        """Owner for ``repo#N``: the option, else configuration, else GITHUB_REPOSITORY."""
        if override:
            return override
        if self.default_owner:
            return self.default_owner
        repo = os.environ.get("GITHUB_REPOSITORY", "")
        return repo.split("/", 1)[0] if "/" in repo else None

    def root(self, override: str | os.PathLike[str] | None = None) -> Path:
        """The minutes root: the option, else ``minutes-root`` beside the config."""
        if override is not None:
            return Path(override)
        return self.base_dir / self.minutes_root


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    return {k.replace("-", "_"): v for k, v in data.items()}


# Set by load_config itself, never read from the file.
_INTERNAL = frozenset({"teams", "base_dir", "path"})
# Counts where zero or less means nothing sensible ("carry nothing", "read nothing").
_POSITIVE = frozenset({"carry_meetings", "max_file_bytes", "max_changed_files"})
# A repository as GitHub names it: owner (letters, digits, dashes) / name.
_FULL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?!\.\.?$)[A-Za-z0-9._-]{1,100}")
_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    float: "a number",
    list: "a list",
    dict: "a table",
    date: "a date",
    time: "a time",
}


def _type_name(value: Any) -> str:
    return next(
        (name for kind, name in _TYPE_NAMES.items() if type(value) is kind), type(value).__name__
    )


def _wrong(where: str, name: str, wanted: str, value: Any) -> ConfigError:
    """``KEY must be WANTED, not a string ("4")``: the value as TOML writes it."""
    return ConfigError(
        f"{where}: {name} must be {wanted}, not {_type_name(value)} "
        f"({json.dumps(value, default=str)})"
    )


def _checked(key: str, value: Any, hint: Any, where: str, name: str | None = None) -> Any:
    """``value`` if it fits the field's type, else a ConfigError naming the key.

    TOML's own dates and times are taken where a string of one is expected
    (``skip = [2024-12-26]``, ``time = 10:05:00``), as people write them so.
    """
    name = name or key.replace("_", "-")
    if hint in (int, int | None):
        if type(value) is not int:
            raise _wrong(where, name, "an integer", value)
        if key in _POSITIVE and value < 1:
            raise ConfigError(f"{where}: {name} must be 1 or more, not {value}")
        return value
    if hint is bool:
        if type(value) is not bool:
            raise _wrong(where, name, "true or false", value)
        return value
    if hint == list[str]:
        if not isinstance(value, list):
            raise _wrong(where, name, "a list of strings", value)
        return [_checked(key, v, str, where, f"each entry of {name}") for v in value]
    if key == "action_issues" and not (isinstance(value, str) and _FULL_NAME.fullmatch(value)):
        raise _wrong(where, name, 'a repository as "OWNER/REPO"', value)
    if key == "action_label" and not (
        isinstance(value, str) and value.strip() and "," not in value
    ):
        # The REST filter by labels separates names by commas: one with a comma is not found.
        raise _wrong(where, name, "a label name (without commas)", value)
    if key == "time" and isinstance(value, time):
        return value.strftime("%H:%M")
    if key == "skip" and isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise _wrong(where, name, "a string", value)
    problem = _VALUE_RULES[key](value) if key in _VALUE_RULES else None
    if problem:
        raise ConfigError(f"{where}: {name} {json.dumps(value)} {problem}")
    return value


def plain_name(name: str) -> bool:
    """A folder name of its own: ``../x``, ``/x`` or ``a/b`` would lead out of the team's folder."""
    return (
        bool(name)
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def file_pattern_problem(pattern: str) -> str | None:
    """A ``filename`` pattern stays inside the team's folder: relative, no ``..``."""
    parts = pattern.replace("\\", "/").split("/")
    if pattern.startswith(("/", "~")) or (len(pattern) > 1 and pattern[1] == ":"):
        return "must be relative to the team's folder"
    if ".." in parts or "" in parts[:-1]:
        return "must stay inside the team's folder (no '..')"
    return None


# An IANA zone name (Europe/Berlin, UTC, Etc/GMT+1): dateutil would read any other
# path given to it as a zone file (/etc/passwd, ../../x).
ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
# Meetings fall on days: finer rules (FREQ=SECONDLY, BYMINUTE=...) would make the search
# for the next meeting step through seconds for three years. The time is the ``time`` key.
_SUB_DAY_FREQS = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
_SUB_DAY = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})


def cadence_problem(cadence: str) -> str | None:
    """What makes an RRULE unfit as a meeting cadence, or None (dateutil checks its syntax)."""
    parts = [
        part.partition("=")
        for line in cadence.upper().splitlines()
        if not line.strip().startswith("DTSTART")
        for part in line.strip().partition(":")[2 if ":" in line else 0].split(";")
    ]
    keys = {key.strip(): value.strip() for key, _, value in parts}
    if any(key.strip() == "FREQ" and value.strip() in _SUB_DAY_FREQS for key, _, value in parts):
        return "must have FREQ=DAILY, WEEKLY, MONTHLY or YEARLY (meetings fall on days)"
    finer = sorted(_SUB_DAY & set(keys))
    if finer:
        return f"must not have {', '.join(finer)} (the time of day is the 'time' key)"
    return None


def _name_and_address(who: str) -> bool:
    """``Name <user@host>``, as a ``Signed-off-by:`` trailer names someone."""
    name, bracket, address = who.rpartition(" <")
    return (
        bool(bracket and name.strip() and address.endswith(">"))
        and not any(mark in name for mark in "<>\n")
        and address.count("@") == 1
        and not any(mark in address[:-1] for mark in "<> \t\n")
        and not address.startswith("@")
        and not address.endswith("@>")
    )


# The kinds of pad server minutesbot speaks to (minutesbot.pads.servers).
PAD_KINDS = ("hedgedoc1", "hedgedoc2", "hackmd")
_VALUE_RULES = {
    "filename": file_pattern_problem,
    "timezone": lambda zone: (
        None if ZONE_NAME.fullmatch(zone) else "is no IANA time zone name (like Europe/Berlin)"
    ),
    "cadence": cadence_problem,
    "pad_kind": lambda kind: None if kind in PAD_KINDS else f"is none of {', '.join(PAD_KINDS)}",
    "pad_token_env": lambda name: (
        None if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "is no environment variable name"
    ),
    "sign_off": lambda who: None if _name_and_address(who) else "is not 'Name <email>'",
}


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    """An instance of ``cls`` from a TOML table: unknown keys and wrong types are errors,
    each naming the key, so a typo never surfaces later as a traceback."""
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)} - _INTERNAL
    data = _normalise(data)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return cls(**{key: _checked(key, value, hints[key], where) for key, value in data.items()})


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at or above ``start``, and its minutesbot table."""
    for folder in [start, *start.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            import tomllib  # only where there is a file: a query without one need not pay it

            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{candidate}: not valid TOML: {exc}") from None
            tool = data.get("tool", {})
            if not isinstance(tool, dict):
                raise ConfigError(f"{candidate}: 'tool' must be a table, not {_type_name(tool)}")
            table = tool.get("minutesbot", None if name == "pyproject.toml" else data)
            if table is None:
                continue
            if not isinstance(table, dict):
                raise ConfigError(
                    f"{candidate}: tool.minutesbot must be a table, not {_type_name(table)}"
                )
            return candidate, table
    return None


def load_config(start: Path | None = None) -> Config:
    """Read the configuration that applies at ``start`` (default: the working directory)."""
    start = (start or Path.cwd()).resolve()
    found = find_config_file(start)
    if found is None:
        return Config(base_dir=start)
    path, table = found
    table = dict(table)
    teams_raw = table.pop("teams", {}) or {}
    if not isinstance(teams_raw, dict):
        raise ConfigError(f"{path}: 'teams' must be a table of team tables")
    for name, team in teams_raw.items():
        if not plain_name(name):
            raise ConfigError(
                f"{path}: teams.{json.dumps(name)}: a team is a folder of the minutes root "
                "(no '/', '..' or leading '.')"
            )
        if not isinstance(team, dict):
            raise ConfigError(
                f"{path}: teams.{name} must be a table of settings, not {_type_name(team)}"
            )
    teams = {
        name: _build(TeamConfig, dict(t), f"{path}: teams.{name}") for name, t in teams_raw.items()
    }
    for name, team in teams.items():
        if team.spend_agenda_label and not team.agenda_label:
            raise ConfigError(
                f"{path}: teams.{name}: spend-agenda-label = true needs agenda-label, "
                "the label to take off"
            )
    config = _build(Config, table, str(path))
    config.teams = teams
    config.base_dir = path.parent
    config.path = path
    return config
