"""Counting what minutes say with plain line logic, independent of minutesbot's parser.

The digest and stats tests compare minutesbot's figures with these counts.
The rules are the record spec's (``shared/spec/minutes-record.md``) in their
simplest line-by-line form, written from the spec and the files, not from
the parser: a list entry or line starting with a marker, the entries below
a heading, the people after a chore's colon. They are not a second parser.
On the 331 files of the SCS corpus they read the same dates, participants,
decisions and refs as the index does in every file, the same action entries
(and statuses) in 320 and the same chores in 284; the files where they
differ are older than the periods the tests count.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

# The archive tests' independent scan of refs (owner SovereignCloudStack), not written twice.
from test_archive_corpus import prose_lines, refs_in_line

from minutesbot.archive import Archive
from minutesbot.config import load_config

# Periods of the corpus: a quarter all three teams met in, and one where IaaS wrote no
# minutes (its meetings ended in December 2024).
PERIODS = [("2024-10-01", "2024-12-31"), ("2025-01-01", "2025-03-31")]

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ENTRY = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
HANDLE = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)")


@dataclass
class Counted:
    """One minutes file as the plain line logic reads it."""

    source: str
    team: str
    date: str | None
    participants: list[str] = field(default_factory=list)
    decisions: int = 0
    actions: list[str] = field(default_factory=list)  # each entry's status: open/done/dropped
    roles: dict[str, list[str]] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)


def file_date(path: Path, text: str) -> str | None:
    """The day the meeting was held: the ISO date in the first heading, else the file
    name's YYYYMMDD; the file name's too where the heading's is more than two weeks
    away from it (a year mistyped in the title)."""
    digits = re.match(r"(20\d\d)(\d\d)(\d\d)", path.name)
    named = "-".join(digits.groups()) if digits else None
    for line in text.splitlines():
        if HEADING.match(line):
            found = ISO.search(line)
            if found and named and abs(_ordinal(found.group(0)) - _ordinal(named)) > 14:
                return named
            if found:
                return found.group(0)
            break
    return named


def _ordinal(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def count_root(root: Path) -> list[Counted]:
    """Every minutes file below ``root`` (``TEAM/*.md``; hidden folders skipped)."""
    return [
        count_file(path, path.read_text(encoding="utf-8"), path.parent.name)
        for path in sorted(root.glob("*/*.md"))
        if not path.parent.name.startswith(".")
    ]


def in_period(counted: list[Counted], since: str, until: str) -> list[Counted]:
    return [c for c in counted if c.date and since <= c.date <= until]


def count_file(path: Path, text: str, team: str) -> Counted:
    lines = text.splitlines()
    counted = Counted(f"{team}/{path.name}", team, file_date(path, text))
    counted.participants = participants(lines)
    counted.decisions, counted.actions = decisions_and_actions(lines)
    counted.roles = roles(lines)
    counted.refs = sorted({ref for line in prose_lines(text) for ref in refs_in_line(line)})
    return counted


# A heading naming the participants (not an item about them: "Low attendance today").
PARTICIPANTS = re.compile(r"^(?::\w+:\s*)?(?:new\s+)?(?:participants|attendees|attendance)", re.I)
PARTICIPANTS_LINE = re.compile(
    r"^(?:participants|participation|attendees|present)\s*:\s*(.*)$", re.I
)


def participants(lines: list[str]) -> list[str]:
    """The participants: the first block below each participants heading (list entries
    or lines), else a ``Participants:`` entry with names after it or in entries below."""
    found: list[str] = []
    for line in _participants_blocks(lines):
        entry = ENTRY.match(line)
        person = _person(entry.group(2) if entry else line)
        if person and person not in found:
            found.append(person)
    return found


def _participants_blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    for n, line in enumerate(lines):
        heading = HEADING.match(line)
        if heading and PARTICIPANTS.match(heading.group(2)):
            block: list[str] = []
            for below in lines[n + 1 :]:
                if HEADING.match(below):
                    break
                if not below.strip() or (not block and below.strip().startswith("(")):
                    continue
                if block and not ENTRY.match(below) and ENTRY.match(block[-1]):
                    break
                block.append(below)
            blocks += block
    if blocks:
        return blocks
    for n, line in enumerate(lines):
        entry = ENTRY.match(line)
        named = PARTICIPANTS_LINE.match(entry.group(2).strip() if entry else line.strip())
        if named:
            if named.group(1):
                return named.group(1).split(",")
            depth = len(entry.group(1)) if entry else -1
            block = []
            for below in lines[n + 1 :]:
                sub = ENTRY.match(below)
                if not sub or len(sub.group(1)) <= depth:
                    break
                block.append(below)
            return block
    return []


def _person(text: str) -> str | None:
    text = text.replace("\\", "").strip()
    if text.startswith("~~") or text.strip("-. ") == "" or "add yourself" in text.lower():
        return None
    handle = HANDLE.search(text)
    if handle:
        return "@" + handle.group(1).lower()
    return " ".join(text.split()).casefold()


EMPHASIS = "*_~ "
DECISION = re.compile(
    r"^(?:->\s*|→\s*)?(?:decisions?|decided|agreed|agreements?|resolutions?)"
    r"(?:\s*\([^)]*\))?\s*:\s*(.*)$",
    re.I,
)
ARROW = re.compile(r"^(?:->|=>|→)\s*")
ACTION = re.compile(
    r"^(?:AI\b:?|action item\s*:|action\s*:|todo\b:?|to-?do(?:\s*\([^)]*\))?:)\s*(.*)$", re.I
)
BOX_OWNER = re.compile(r"^\[[ xX]\]\s*@")
AI_AT_END = re.compile(r"\(AI:?\s+@[^)]*\)\s*$", re.I)
# A status mark: a sub-entry starting with the word; on the entry's own line, DONE in
# capitals, (done), or a checked box.
DONE_WORD = re.compile(r"^(?:done|erledigt)\b", re.I)
DONE_ON_LINE = re.compile(r"\bDONE\b|\(done\)|^\s*(?:[-*+]\s+)?\[[xX]\]")
DROPPED_WORD = re.compile(r"^(?:won'?t do|obsolete|dropped|cancell?ed)\b", re.I)


def _plain(text: str) -> str:
    """The text without leading emphasis marks, arrows and spaces."""
    return ARROW.sub("", text.lstrip(EMPHASIS)).lstrip(EMPHASIS)


def decisions_and_actions(lines: list[str]) -> tuple[int, list[str]]:
    """How many decisions, and each action's status, outside code blocks."""
    decisions, actions = 0, []
    taken: set[int] = set()  # entries of a bare marker, counted with it
    fenced = False
    under_decisions = False
    for n, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        heading = HEADING.match(line)
        if fenced:
            continue
        if heading:
            title = heading.group(2).strip(EMPHASIS)
            marker = DECISION.match(title)
            under_decisions = title.lower() == "decisions" or bool(marker and not marker.group(1))
            continue
        entry = ENTRY.match(line)
        text = entry.group(2) if entry else line.strip()
        plain = _plain(text)
        decision = DECISION.match(plain)
        action = ACTION.match(plain)
        if n in taken:
            continue
        if action or BOX_OWNER.match(plain) or AI_AT_END.search(text):
            if action and not action.group(1).strip(EMPHASIS):
                entries = _below(lines, n)
                taken.update(entries)
                actions += [_status(lines[sub], []) for sub in entries]
            elif not action or HANDLE.sub("", action.group(1)).strip(EMPHASIS + ":,"):
                # an owner with nothing to do (``AI @x``) is no action
                actions.append(_status(line, [lines[sub] for sub in _below(lines, n)]))
        elif decision and not decision.group(1).strip(EMPHASIS):
            # each entry below (an action item too), but not a question
            decisions += len(
                [
                    s
                    for s in _below(lines, n)
                    if not ENTRY.match(lines[s]).group(2).strip(EMPHASIS).endswith("?")
                ]
            )
        elif decision or (under_decisions and entry):
            decisions += 1
    return decisions, actions


def _below(lines: list[str], n: int) -> list[int]:
    """The direct sub-entries of the entry on line index ``n`` (or, for a line, the list
    after it), as line indexes."""
    entry = ENTRY.match(lines[n])
    depth = len(entry.group(1)) if entry else -1
    found, child = [], None
    for at, below in enumerate(lines[n + 1 :], n + 1):
        sub = ENTRY.match(below)
        if not below.strip():
            continue
        if not sub or len(sub.group(1)) <= depth:
            break
        if child is None:
            child = len(sub.group(1))
        if len(sub.group(1)) == child:
            found.append(at)
    return found


def _status(line: str, below: list[str]) -> str:
    """done, dropped or open, from the entry and its direct sub-entries."""
    if line.strip().startswith("~~") or DONE_ON_LINE.search(line):
        return "done"
    for sub in below:
        text = _plain(ENTRY.match(sub).group(2))
        if DONE_WORD.match(text):
            return "done"
        if DROPPED_WORD.match(text):
            return "dropped"
    return "open"


REPORTER = re.compile(r"\breport|\bpresent|community call", re.I)
MINUTES = re.compile(r"\bminutes?\b", re.I)
EMOJI = re.compile(r":[a-z_]+:")
NO_CALL = re.compile(r"\bno (?:community )?call\b", re.I)
# Where the housekeeping ends: the agenda, or the look back at earlier actions.
HOUSEKEEPING_END = re.compile(r"agenda|\bAIs?\b|action items", re.I)
NOBODY = re.compile(r"404|no volunteer|nobody|\bopen\b|tbd|n/a|^\W*no\b|^\W*$", re.I)


def roles(lines: list[str]) -> dict[str, list[str]]:
    """Chores named before the agenda: a line, entry or heading that speaks of reporting
    in the community call or of the minutes, and the people after its colon or question
    mark, else in the entries or lines right below it."""
    found: dict[str, list[str]] = {}
    for n, line in enumerate(lines):
        heading = HEADING.match(line)
        if heading and HOUSEKEEPING_END.search(heading.group(2)) and n > 0:
            break
        if heading and n == 0:
            continue
        text = EMOJI.sub("", _text(line))
        chores = _chores(text)
        if not chores or (
            heading and any(_chores(_text(below)) for below in _answer_lines(lines, n, heading))
        ):
            continue
        answer = re.split(r"[?:]", text)[-1].strip() if re.search(r"[?:]", text) else ""
        if NO_CALL.search(answer):
            continue  # no call this week: no chore, rather than one nobody took
        if answer:
            people = _people(answer)
        else:
            people = [p for sub in _answer_lines(lines, n, heading) for p in _people(sub)]
        for chore in chores:
            names = found.setdefault(chore, [])
            names += [p for p in people if p not in names]
    return {chore: sorted(names) for chore, names in found.items()}


def _text(line: str) -> str:
    heading, entry = HEADING.match(line), ENTRY.match(line)
    return heading.group(2) if heading else entry.group(2) if entry else line


def _chores(text: str) -> list[str]:
    return [
        name for name, rule in (("reporter", REPORTER), ("minutes", MINUTES)) if rule.search(text)
    ]


def _people(text: str) -> list[str]:
    text = text.replace("\\", "").strip(EMPHASIS + " ")
    handles = [h.lower() for h in HANDLE.findall(text)]
    if handles or NOBODY.search(text):
        return handles
    return [" ".join(text.split()).casefold()]


def _answer_lines(lines: list[str], n: int, heading: re.Match[str] | None) -> list[str]:
    """What answers the chore on line index ``n``: its sub-entries, or (for a heading or a
    line) the lines below it up to a blank line or heading."""
    if not heading and ENTRY.match(lines[n]):
        return [ENTRY.match(lines[sub]).group(2) for sub in _below(lines, n)]
    found = []
    for below in lines[n + 1 :]:
        if HEADING.match(below) or (found and not below.strip()):
            break
        if below.strip():
            entry = ENTRY.match(below)
            found.append(entry.group(2) if entry else below)
    return found


# -- fixtures the digest and stats tests import ------------------------------------------


@pytest.fixture(scope="session")
def corpus_archive(
    corpus_minutes: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Archive]:
    """The index of a copy of the corpus (the shared folder stays untouched), built once."""
    project = tmp_path_factory.mktemp("corpus")
    shutil.copytree(corpus_minutes, project / "minutes")
    (project / "minutesbot.toml").write_text(
        'default-owner = "SovereignCloudStack"\n', encoding="utf-8"
    )
    config = load_config(project)
    with Archive.open(config.root(), config) as opened:
        opened.refresh()
        yield opened


@pytest.fixture(scope="session")
def counted(corpus_minutes: Path) -> list[Counted]:
    """Every dated file of the corpus, counted."""
    return [c for c in count_root(corpus_minutes) if c.date]
