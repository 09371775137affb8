"""``pad pull``: one meeting from the team's pad into ``minutes/TEAM/YYYYMMDD.md``.

The pad is read once; the meeting of the date is cut out
(:mod:`minutesbot.pads.sections`), normalised
(:mod:`minutesbot.pads.normalise`), its uploaded images fetched and its
links rewritten (:mod:`minutesbot.pads.images`), and the result linted.
Only when all of that worked is anything written: the new images, then the
minutes file, each through a temporary file renamed into place, so that a
failure at any point leaves the repository as it was. A file whose content
would not change is not touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from minutesbot.lint import Problem, lint_record
from minutesbot.pads.images import Upload, fetch_images, rewrite, uploads_in
from minutesbot.pads.normalise import normalise
from minutesbot.pads.sections import cut_meeting, meetings
from minutesbot.pads.servers import PadLocation, PadServer
from minutesbot.pads.transport import PadError
from minutesbot.records.dates import still_to_come
from minutesbot.records.files import unreached
from minutesbot.records.parser import parse_decoded, source_of
from minutesbot.records.reading import MinutesError, decode_minutes
from minutesbot.teams import TeamSetting


@dataclass
class Pulled:
    """A meeting pulled from the pad: the file it goes to, its text, the images it links
    that the team's folder lacks (name -> bytes), lint; and once written, what that did
    (``created``, ``updated`` or ``unchanged``)."""

    target: Path
    day: date
    text: str
    images: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    outcome: str = ""


def pad_markdown(server: PadServer) -> str:
    """The pad's text, decoded as minutes files are (LF line ends, no byte-order mark)."""
    raw = server.read()
    try:
        text, _repairs = decode_minutes(raw.encode("utf-8", errors="replace"))
    except MinutesError as exc:
        raise PadError(f"{server.location.url}: {exc}", "not-markdown") from None
    return text


def latest_day(pad_text: str, today: date | None = None) -> date | None:
    """The newest meeting of the pad that is not still to come."""
    held = [m.day for m in meetings(pad_text) if not still_to_come(m.day, today)]
    return max(held, default=None)


def meeting_text(pad_text: str, day: date, location: PadLocation) -> tuple[str, list[Upload]]:
    """The minutes of ``day`` as they will be written (image links local), and their images."""
    text = normalise(cut_meeting(pad_text, day, location.url))
    return rewrite(text, location), uploads_in(text, location)


def write_atomically(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` or what it held before, never a part of it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def fetch_meeting(
    server: PadServer, team: TeamSetting, day: date | None = None, today: date | None = None
) -> Pulled:
    """Read the pad, cut out the meeting of ``day`` (default: the latest held), fetch the
    images its folder lacks and lint it; nothing is written."""
    from minutesbot.agenda.history import agenda_filename
    from minutesbot.agenda.model import AgendaProblem

    pad_text = pad_markdown(server)
    if day is None:
        day = latest_day(pad_text, today)
        if day is None:
            raise PadError(
                f"{server.location.url}: no meeting in the pad is headed with a date "
                "that has come; pass --date",
                "no-meeting",
            )
    text, uploads = meeting_text(pad_text, day, server.location)
    folder = team.folder
    try:
        target = folder / agenda_filename(team.config, team.name, day)
    except AgendaProblem as exc:
        raise PadError(str(exc), "invalid") from None
    why = unreached(target, team.root)  # a link on the way: nothing written through it
    if why:
        raise PadError(f"{why}: nothing is written there", "invalid")
    images = fetch_images(server.transport, uploads, target.parent)  # where they go
    record = parse_decoded(text, source_of(target, team.root), config=team.config)
    problems = lint_record(record, target.as_posix(), text.split("\n"))
    return Pulled(target, day, text, images, problems)


def write_meeting(pulled: Pulled) -> Pulled:
    """Write the new images, then the minutes file (when it changes); sets ``outcome``.

    A failure removes the images this call wrote, so nothing is left half-done.
    """
    target, folder = pulled.target, pulled.target.parent
    data = pulled.text.encode("utf-8")
    pulled.outcome = "created"
    if target.is_file():
        pulled.outcome = "unchanged" if target.read_bytes() == data else "updated"
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, body in sorted(pulled.images.items()):
            write_atomically(folder / name, body)
            written.append(folder / name)
        if pulled.outcome != "unchanged":
            write_atomically(target, data)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise PadError(f"{target}: cannot write ({exc.strerror or exc})", "failed") from None
    return pulled


def pull_meeting(
    server: PadServer, team: TeamSetting, day: date | None = None, today: date | None = None
) -> Pulled:
    """:func:`fetch_meeting`, then :func:`write_meeting`."""
    return write_meeting(fetch_meeting(server, team, day, today))
