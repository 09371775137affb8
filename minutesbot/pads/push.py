"""``pad push``: the next meeting's agenda into the team's pad, losing nothing.

HedgeDoc 2 and HackMD notes are updated: the agenda goes in as the pad's
newest meeting -- at the top of a pad that adds meetings at the top, at the
bottom of one that adds them at the bottom (at the top when the pad cannot
tell) -- and every other line of the pad stays. When the pad already has a
meeting of the agenda's date, that meeting is replaced, but only if nothing
would be lost: either minutesbot wrote it and nobody changed it since (a
hidden marker after its heading records what was pushed), or each of its
lines is in the agenda or in the repository's file of that date. Otherwise
the push is refused, naming the meeting; ``pad pull`` it first.

HedgeDoc 1.x cannot change a note over HTTP, so there a new note is made
with the agenda (``POST /new``) and its URL is returned.

Between reading the pad and writing it, people may type into it; so the
pad is read again right before the write, and when it changed the agenda is
put into the new text instead (a few rounds at most).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from minutesbot.pads.normalise import normalise
from minutesbot.pads.pull import meeting_text, pad_markdown
from minutesbot.pads.sections import Meeting, find_meeting, meetings, newest_first
from minutesbot.pads.servers import PadServer
from minutesbot.pads.transport import PadError

MARKER = "<!-- minutesbot: agenda of {day} as pushed, sha1 {sha} -->"
_MARKER = re.compile(
    r"<!-- minutesbot: agenda of (\d{4}-\d{2}-\d{2}) as pushed, sha1 ([0-9a-f]{40}) -->"
)
ROUNDS = 3


@dataclass(frozen=True)
class Pushed:
    """Where the agenda went: the pad's URL, and ``created``, ``inserted``, ``replaced``
    or ``unchanged``."""

    url: str
    day: date
    outcome: str


def _digest(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def marked(agenda: str, day: date) -> list[str]:
    """The agenda's lines with the marker after its first line (its date heading)."""
    lines = normalise(agenda).rstrip("\n").split("\n")
    return [lines[0], MARKER.format(day=day.isoformat(), sha=_digest(agenda)), *lines[1:]]


def _untouched(section: str, day: date) -> bool:
    """Whether the section is an agenda minutesbot pushed and nobody has changed since."""
    found = _MARKER.search(section)
    return bool(found) and found[1] == day.isoformat() and found[2] == _digest(section)


def _lost_lines(
    pad_text: str, meeting: Meeting, server: PadServer, agenda: str, repo_file: Path
) -> list[str]:
    """The lines of the pad's meeting that neither the agenda nor the repository's file hold."""
    lines = pad_text.split("\n")
    if _untouched("\n".join(lines[meeting.start : meeting.end]), meeting.day):
        return []
    text, _uploads = meeting_text(pad_text, meeting.day, server.location)
    kept = {line.rstrip() for line in normalise(agenda).split("\n")}
    if repo_file.is_file():
        kept |= {
            line.rstrip()
            for line in repo_file.read_text(encoding="utf-8", errors="replace").split("\n")
        }
    return [line for line in text.split("\n") if line.strip() and line.rstrip() not in kept]


def _spliced(lines: list[str], start: int, end: int, new: list[str]) -> str:
    """``lines[start:end]`` replaced by ``new``, with one blank line on either side."""
    before, after = lines[:start], lines[end:]
    while before and not before[-1].strip():
        before.pop()
    while after and not after[0].strip():
        after.pop(0)
    parts = [before, new, after]
    return "\n\n".join("\n".join(p) for p in parts if p).rstrip("\n") + "\n"


def compose(
    pad_text: str, agenda: str, day: date, server: PadServer, repo_file: Path
) -> tuple[str, str]:
    """The pad's new text with the agenda in it, and ``inserted`` or ``replaced``."""
    lines = pad_text.split("\n")
    found = meetings(pad_text)
    new = marked(agenda, day)
    if any(m.day == day for m in found):
        meeting = find_meeting(found, day, server.location.url)
        lost = _lost_lines(pad_text, meeting, server, agenda, repo_file)
        if lost:
            raise PadError(
                f"{server.location.url}: the pad's meeting of {day.isoformat()} (line "
                f"{meeting.start + 1}) has {len(lost)} line(s) that are not in "
                f"{repo_file} (first: {lost[0].strip()[:60]!r}); pushing the agenda "
                "would lose them: pull that meeting first",
                "would-lose",
            )
        return _spliced(lines, meeting.start, meeting.end, new), "replaced"
    if not found:
        return _spliced(lines, len(lines), len(lines), new), "inserted"
    at = found[-1].end if newest_first(found) is False else found[0].start
    return _spliced(lines, at, at, new), "inserted"


def push_agenda(server: PadServer, agenda: str, day: date, repo_file: Path) -> Pushed:
    """Put ``agenda`` (the text ``minutesbot new`` writes for ``day``) into the pad."""
    if server.location.kind == "hedgedoc1":
        return Pushed(server.write("\n".join(marked(agenda, day)) + "\n"), day, "created")
    current = pad_markdown(server)
    for _round in range(ROUNDS):
        text, outcome = compose(current, agenda, day, server, repo_file)
        if text == current:
            return Pushed(server.location.url, day, "unchanged")
        again = pad_markdown(server)
        if again == current:
            return Pushed(server.write(text), day, outcome)
        current = again
    raise PadError(
        f"{server.location.url}: the pad changed each of the {ROUNDS} times it was read; "
        "people are editing it: try again later",
        "busy",
    )
