"""Problems in minutes that a reviewer should see before they land.

Errors make a minutes file useless to the rest of minutesbot (it cannot be
read, or has no date, so it cannot be placed in the history); warnings are
things the team would want fixed but that do not stop anything: no minutes
taker, an action item nobody owns, a link to an issue that names no issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from minutesbot.config import Config
from minutesbot.records.actionable import why_not_an_action
from minutesbot.records.parser import parse_decoded, source_of
from minutesbot.records.reading import MinutesError, read_minutes
from minutesbot.records.record import Record
from minutesbot.records.vocabulary import ACTION_EXAMPLE, MINUTES_TAKER_LINE

ERROR = "error"
WARNING = "warning"

# A link into a repository's issues or pull requests, with what follows the kind.
_ISSUE_LINK = re.compile(
    r"https?://(?:www\.)?github\.com/[\w.-]+/[\w.-]+/(?P<kind>issues|issue|pull)(?![\w-])(?P<tail>/[^\s)\]>]*)?",
    re.I,
)
_NUMBERED = re.compile(r"/\d+(?![\w-])")
# Pages of the issue list that are no issue and are linked on purpose.
_LIST_PAGES = re.compile(r"/new(?:/choose)?/?$", re.I)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    severity: str
    message: str

    def plain(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    def workflow_command(self) -> str:
        """The GitHub Actions annotation (``::warning file=...,line=...::message``)."""
        props = f"file={_escape_property(self.path)}"
        if self.line:
            props += f",line={self.line}"
        return f"::{self.severity} {props}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _link_problem(kind: str, tail: str | None) -> str | None:
    """What is wrong with an issue link, or None.

    ``/issues`` alone (the list) and ``/issues/new`` are fine; ``/issues/``
    with nothing after it, ``/issues/12x`` or ``/pull/abc`` name no issue, and
    GitHub has no ``/issue/12`` page.
    """
    if tail is None:
        return "GitHub's issue pages are /issues/N" if kind == "issue" else None
    if _NUMBERED.match(tail):
        return "GitHub's issue pages are /issues/N, not /issue/N" if kind == "issue" else None
    if kind != "pull" and _LIST_PAGES.match(tail):
        return None
    return "link to an issue that names no issue number"


def lint_record(record: Record, path: str, text_lines: list[str]) -> list[Problem]:
    """The checks on a parsed record and the text it came from."""
    problems = [
        Problem(path, w.line, WARNING, w.message)
        for w in record.warnings
        if "no meeting date" not in w.message
    ]
    if record.date is None:
        problems.append(
            Problem(
                path,
                1 if record.line_count else None,
                ERROR,
                "no meeting date: put it in the title heading (# 2024-04-18) "
                "or the file name (20240418.md)",
            )
        )
    if not record.roles.get("minutes"):
        # On the first line: an annotation needs a line to show on the pull request.
        problems.append(
            Problem(
                path,
                1 if record.line_count else None,
                WARNING,
                f"no minutes taker: add '{MINUTES_TAKER_LINE}'",
            )
        )
    for action in record.actions:
        why = why_not_an_action(action.text)
        if why:
            message = (
                f"not an action item, {why}: {action.text[:80]!r}; it is not tracked or carried"
            )
        elif not action.owners:
            message = f"action item without an owner: {action.text[:80]} (write '{ACTION_EXAMPLE}')"
        else:
            continue
        problems.append(Problem(path, action.line, WARNING, message))
    in_fence = False
    for number, line in enumerate(text_lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or "github.com" not in line:
            continue
        for m in _ISSUE_LINK.finditer(line):
            message = _link_problem(m.group("kind").lower(), m.group("tail"))
            if message:
                problems.append(Problem(path, number, WARNING, f"{message}: {m.group(0)}"))
    problems.sort(key=lambda p: (p.line is None, p.line or 0, p.severity))
    return problems


def lint_file(
    file: Path, *, root: Path, config: Config, display: str | None = None
) -> list[Problem]:
    """Read, parse and check one file; an unreadable file is one error."""
    shown = display or file.as_posix()
    try:
        text, warnings = read_minutes(file, config.max_file_bytes)
    except MinutesError as exc:
        message = str(exc)
        prefix = f"{file}: "
        return [
            Problem(
                shown,
                None,
                ERROR,
                message[len(prefix) :] if message.startswith(prefix) else message,
            )
        ]
    record = parse_decoded(text, source_of(file, root), config=config)
    record.warnings[:0] = warnings
    return lint_record(record, shown, text.split("\n"))
