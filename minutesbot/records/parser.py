"""Minutes files into records, as the record contract (docs/record.md) defines them.

:func:`minutesbot.records.document.read_document` turns the markdown into
headings and entries, :class:`~minutesbot.records.outline.Outline` decides
once what each heading is, and the extractors read meaning from it, each a
function of the outline: the items (:mod:`~minutesbot.records.items`), the
actions and decisions (:mod:`~minutesbot.records.actions`), the people
(:mod:`~minutesbot.records.people`) and the issue references. Each follows
the spec's wording (:mod:`~minutesbot.records.vocabulary`) and takes no hint
from any particular file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from minutesbot.config import Config
from minutesbot.records.actions import extract_actions, extract_decisions
from minutesbot.records.dates import (
    NAME_SLACK_DAYS,
    date_in_filename,
    date_in_text,
    swapped,
    written_day_first,
)
from minutesbot.records.document import BLANK_BEFORE_FRONT_MATTER, Document, read_document
from minutesbot.records.files import team_of
from minutesbot.records.items import assign, extract_items, extract_refs, refs_lacking_an_owner
from minutesbot.records.outline import Outline
from minutesbot.records.people import extract_absences, extract_participants, extract_roles
from minutesbot.records.reading import MinutesError, decode_minutes, read_minutes
from minutesbot.records.record import Record, Warning_
from minutesbot.records.review import extract_review
from minutesbot.records.vocabulary import clean_title

__all__ = ["MinutesError", "Parsed", "parse_text", "read_file"]


@dataclass
class Parsed:
    """A minutes file read once: its record and the document it was read from (whose
    ``text`` is the file as decoded), for callers that look at both."""

    record: Record
    document: Document


def read_file(
    path: Path,
    *,
    root: Path | None = None,
    config: Config | None = None,
    default_owner: str | None = None,
) -> Parsed:
    """Read and parse one minutes file: its record, and the document it was read from for
    callers that look at both; :class:`MinutesError` names the file."""
    config = config or Config()
    text, warnings = read_minutes(path, config.max_file_bytes)
    parsed = _parse_source(text, source_of(path, root), config, default_owner)
    parsed.record.warnings[:0] = warnings
    return parsed


def parse_decoded(
    text: str, source: str, *, config: Config, default_owner: str | None = None
) -> Record:
    """Parse a file's already decoded text; ``source`` is its path below the minutes root."""
    return _parse_source(text, source, config, default_owner).record


def _parse_source(text: str, source: str, config: Config, default_owner: str | None) -> Parsed:
    """The team is the first folder of ``source``; its configuration completes refs."""
    team = team_of(source)
    return parse_document(
        read_document(text),
        source=source,
        team=team,
        default_owner=config.owner(default_owner),
        team_repo=config.team(team).repo,
    )


def source_of(path: Path, root: Path | None) -> str:
    """A file's ``source``: its path relative to the minutes root (its name outside the root).

    A symlink is not followed (the spec): ``docs/20240105.md`` linking to a
    hackathon's notes is a meeting of ``docs``. Folders are compared with
    links resolved only when the root is reached through another path.
    """
    if root is None:
        return path.as_posix()
    return below_root(path, root) or path.name


def path_from_root(path: Path, root: Path) -> str:
    """The way from the minutes root to a file: its source when it lies below the root,
    else a path climbing out of it (``../notes/container/20240418.md``), which names it
    uniquely where its source, its name alone, may not."""
    return below_root(path, root) or Path(os.path.relpath(path, root)).as_posix()


def below_root(path: Path, root: Path) -> str | None:
    """``path`` relative to ``root`` as it is listed (a symlink not resolved), or None
    when it lies outside."""
    here = Path(os.path.abspath(path))
    for mine, top in (
        (here, Path(os.path.abspath(root))),
        (here.parent.resolve() / here.name, root.resolve()),
    ):
        try:
            return mine.relative_to(top).as_posix()
        except ValueError:
            continue
    return None


def parse_text(
    text: str,
    *,
    source: str = "minutes.md",
    team: str | None = None,
    default_owner: str | None = None,
    team_repo: str | None = None,
) -> Record:
    """Parse the text of one minutes file (already decoded) into a record."""
    return parse_document(
        read_document(text),
        source=source,
        team=team,
        default_owner=default_owner,
        team_repo=team_repo,
    ).record


def parse_document(
    doc: Document,
    *,
    source: str,
    team: str | None,
    default_owner: str | None,
    team_repo: str | None,
) -> Parsed:
    """The record of a file read into ``doc``."""
    front = _front_matter(doc.front_matter)
    named = front.get("team")
    # The folder's team named in another case ("IaaS" in iaas/) is the folder's: one team,
    # as the index, new and the archive's questions (any case) read it.
    if named and not (team and named.casefold() == team.casefold()):
        team = named
    title_heading = doc.headings[0] if doc.headings else None
    title = clean_title(title_heading.text) if title_heading else front.get("title")
    record = Record(source=source, team=team, date=None, title=title, line_count=doc.line_count)
    meeting_date = None
    written = ""
    for candidate in (
        front.get("date"),
        title_heading.text if title_heading else None,
        front.get("title"),
    ):
        if candidate:
            meeting_date = date_in_text(candidate)
            if meeting_date:
                written = candidate
                break
    named = date_in_filename(Path(source).name)
    if meeting_date and named and swapped(meeting_date, named) and written_day_first(written):
        meeting_date = named  # 05/02/2024 in a file named 20240502.md: month first
    meeting_date = meeting_date or named
    if meeting_date is None:
        record.warnings.append(
            Warning_(
                title_heading.line if title_heading else None,
                "no meeting date in the title heading or the file name",
            )
        )
    record.date = meeting_date.isoformat() if meeting_date else None
    # Any disagreement is worth a look (lint shows it): far apart, one date has a typo
    # (new then goes by the file name's, see far_from_name); close, the call may have
    # moved and its file kept the planned day.
    if meeting_date and named and meeting_date != named:
        days = abs((meeting_date - named).days)
        why = (
            "a typo in one of them?"
            if days > NAME_SLACK_DAYS
            else "a call moved without renaming its file, or a typo?"
        )
        record.warnings.append(
            Warning_(
                title_heading.line if title_heading else None,
                f"the title's date {record.date} is {days} day{'s' if days != 1 else ''} "
                f"from the file name's {named.isoformat()}: {why}",
            )
        )
    if doc.too_deep:
        record.warnings.append(
            Warning_(
                doc.too_deep,
                "lists or quotes nested this deep are read as plain paragraphs of the "
                "item around them",
            )
        )
    extract(record, Outline.of(doc), default_owner, team_repo)
    return Parsed(record, doc)


def extract(
    record: Record, outline: Outline, default_owner: str | None, team_repo: str | None
) -> None:
    """Fill ``record`` from the outline of its file: each extractor once, then membership."""
    record.items = extract_items(outline)
    record.participants = extract_participants(outline)
    record.roles = extract_roles(outline)
    record.actions = extract_actions(outline)
    record.decisions = extract_decisions(outline)
    record.absences = extract_absences(outline)
    record.issues = extract_refs(outline, default_owner, team_repo)
    if default_owner is None:
        _warn_refs_without_owner(record, outline)
    assign(record)
    record.review = extract_review(outline, record)


def _warn_refs_without_owner(record: Record, outline: Outline) -> None:
    """One warning for the ``repo#N`` refs no owner completes: without ``default-owner``
    (or ``GITHUB_REPOSITORY``) they are left out, which should not go unsaid."""
    lacking = refs_lacking_an_owner(outline)
    if not lacking:
        return
    line, written = lacking[0]
    others = len({w.lower() for _, w in lacking} - {written.lower()})
    said = (
        f"{written} and {others} more ref{'s' if others != 1 else ''} name no owner, so they "
        "are read as no issues"
        if others
        else f"{written} names no owner, so it is read as no issue"
    )
    record.warnings.append(
        Warning_(
            line,
            f"{said}: set default-owner under [tool.minutesbot] (or GITHUB_REPOSITORY), "
            "or write OWNER/REPO#N",
        )
    )


def may_name_its_team(path: Path, max_bytes: int) -> bool:
    """Whether the file at ``path`` may name its team in front matter: once decoded (a byte
    order mark, UTF-16), it opens with ``---`` (blank lines may come first, as the parser
    reads them) and a ``team:`` key follows. Cheap (no markdown), and never wrong the other
    way: a file that passes is parsed to know (one that cannot be decoded, or is bigger
    than ``max_bytes`` and so not read, passes, for its error to be told)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            return True
        text = decode_minutes(data)[0]
    except OSError:
        return False
    except MinutesError:
        return True
    blank = BLANK_BEFORE_FRONT_MATTER.match(text)
    start = blank.end() if blank else 0
    return text.startswith("---", start) and "team" in _front_matter(
        text[start:].partition("\n")[2]
    )


def _front_matter(content: str | None) -> dict[str, str]:
    """The flat ``key: value`` pairs of YAML front matter (what minutes use of it)."""
    if not content:
        return {}
    values = {}
    for raw in content.splitlines():
        key, sep, value = raw.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            values[key.strip().lower()] = value.strip().strip("'\"")
    return values


def iter_records(
    paths: Iterable[Path], *, root: Path | None, config: Config, default_owner: str | None = None
) -> Iterator[Record | MinutesError]:
    """Parse each file, yielding its record or the error that stopped it."""
    for path in paths:
        try:
            yield read_file(path, root=root, config=config, default_owner=default_owner).record
        except MinutesError as exc:
            yield exc
