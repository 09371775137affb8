"""A team's history: its dated records, oldest first.

``new`` takes them from the index (:func:`history_from_index`): the records
and action states stored there, refreshed, so that no file is parsed again
and the open actions are the ones ``minutesbot actions --open`` lists (of dated
meetings: a file with no date is no meeting, and is skipped with a warning). The
documents of the files are read when first needed and kept (shared with the
cuts :meth:`History.upto` makes): the layout of the last meeting, and the
meetings that put a topic off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from minutesbot.agenda.model import AgendaProblem
from minutesbot.config import Config, file_pattern_problem
from minutesbot.records.document import Document, read_document
from minutesbot.records.files import find_minutes_files
from minutesbot.records.meetings import held as held_meetings
from minutesbot.records.parser import MinutesError, may_name_its_team, read_file
from minutesbot.records.reading import read_minutes
from minutesbot.records.record import Record
from minutesbot.records.tracking import open_debts, track_actions
from minutesbot.surroundings import Surroundings
from minutesbot.teams import (
    TeamSetting,
    filed_under,
    team_folders,
    team_names,
    team_spellings,
)


@dataclass
class History:
    """A team's dated records, oldest first, and the team (its minutes root and
    configuration) they were read for.

    The documents the records were parsed from are kept (a record without one,
    made elsewhere, has its file read when first needed), and shared with the
    histories :meth:`upto` cuts from this one.
    """

    team: TeamSetting
    records: list[Record]
    warnings: list[str]
    documents: dict[str, Document] = field(default_factory=dict, repr=False)
    # The open actions the index stores, and the meetings (sources) it tracked them over.
    stored_debts: list[dict[str, Any]] = field(default_factory=list, repr=False)
    stored_over: frozenset[str] | None = field(default=None, repr=False)

    def document(self, record: Record) -> Document:
        """The record's file as headings and entries (the notes below an item), decoded as
        the parser decoded it (so line numbers agree)."""
        if record.source not in self.documents:
            path = self.team.root / record.source
            text = read_minutes(path, self.team.config.max_file_bytes)[0]
            self.documents[record.source] = read_document(text)
        return self.documents[record.source]

    def open_debts(self, records: list[Record], side: set[str]) -> list[dict[str, Any]]:
        """The open actions of ``records`` (meetings held, oldest first), each once where
        first written, as :mod:`minutesbot.records.tracking` decides: read from the index
        when ``records`` are the meetings it tracked, else computed."""
        if self.stored_over is not None and self.stored_over == {r.source for r in records}:
            return self.stored_debts
        return [t.to_dict() for t in open_debts(track_actions(records, side=side))]

    def upto(self, count: int) -> History:
        """The history before its ``count``-th meeting, as it was known then."""
        return History(self.team, self.records[:count], [], self.documents)


def agenda_teams(root: Path, config: Config) -> list[str]:
    """The teams an agenda may be written for when none is named.

    The folders with minutes; while there are none, the configured teams and
    the empty folders (a team set up before its first call).
    """
    return team_names(root) or sorted(set(config.teams) | set(team_folders(root)))


def load_history(team: TeamSetting) -> History:
    """The team's dated records, oldest first; undated or unreadable files become warnings.

    A file's team is the one the index files it under: its folder, or the team its
    front matter names, as ``--team`` takes the name (see :func:`spelled_as_known`).
    So the files elsewhere whose front matter may name a team are read too (a few).
    """
    records: list[Record] = []
    documents: dict[str, Document] = {}
    warnings: list[str] = []
    folder = team.folder
    known = team_spellings(team.root, team.config)
    own = find_minutes_files([folder], team.root) if folder.is_dir() else []
    elsewhere = _with_front_matter(team, set(own))
    for path in [*own, *elsewhere]:
        try:
            parsed = read_file(path, root=team.root, config=team.config)
        except MinutesError as exc:
            if path not in elsewhere:
                warnings.append(f"{exc}; skipped")
            continue
        record = parsed.record
        named = filed_under(record.team, known)
        if named != team.name:
            if path not in elsewhere:
                warnings.append(f"{record.source}: its front matter names team {named}; skipped")
            continue
        if not record.date:
            warnings.append(
                f"{record.source}: no meeting date in the title or the file name; skipped"
            )
            continue
        records.append(_dated(record, team.name, warnings))
        documents[record.source] = parsed.document
    records.sort(key=lambda r: (r.date or "", r.source))
    return History(team, records, warnings, documents)


def _with_front_matter(team: TeamSetting, own: set[Path]) -> set[Path]:
    """The minutes files of the root, outside ``own``, that may name their team in front
    matter (see :func:`may_name_its_team`)."""
    found = find_minutes_files([team.root], team.root)
    limit = team.config.max_file_bytes
    return {path for path in found if path not in own and may_name_its_team(path, limit)}


def history_from_index(team: TeamSetting, around: Surroundings) -> History:
    """The team's meetings held by ``today`` (oldest first) and their open actions, as the
    index of ``root`` stores them once refreshed (only files changed since are parsed).

    Without an index (a root that is no folder yet, an index that cannot be opened) the
    files are read as :func:`load_history` reads them.
    """
    from minutesbot.archive import Archive, ArchiveError, Scope

    name, warn = team.name, around.warn
    try:
        with Archive.open(team.root, team.config, warn) as archive:
            parsed_now = archive.refresh(today=around.today).warnings
            stored, debts = [], []
            if name in archive.teams():
                stored = [
                    r for r in archive.records(Scope(name, agendas=True)) if r.get("team") == name
                ]
                debts = [a for a in archive.actions(status="open", team=name) if a["team"] == name]
            # Of the files parsed now, the team's: in its folder, or filed under it elsewhere.
            mine = {r["source"] for r in stored} | {d["source"] for d in debts}
            for message in parsed_now:
                if message.startswith(f"{name}/") or message.partition(": ")[0] in mine:
                    warn(message)
            if not stored and not debts:
                return History(team, [], [], stored_over=frozenset())
    except ArchiveError as exc:
        warn(f"{exc}; the minutes files are read instead")
        return load_history(team)
    warnings: list[str] = []
    # Of dated meetings only: an undated file is no meeting (load_history skips it too).
    for source in sorted({d["source"] for d in debts if not d["date"]}):
        warnings.append(
            f"{source}: no meeting date in the title or the file name; its actions are not carried"
        )
    debts = [d for d in debts if d["date"]]
    records = [_dated(Record.from_dict(data), name, warnings) for data in stored]
    records.sort(key=lambda r: (r.date or "", r.source))
    debts.sort(key=lambda d: (d["date"] or "", d["source"], d["line"]))
    held = frozenset(r.source for r in held_meetings(records, around.today))
    return History(team, records, warnings, stored_debts=debts, stored_over=held)


def _dated(record: Record, team: str, warnings: list[str]) -> Record:
    """``record`` of ``team``, dated by the day its meeting counts as held on
    (:attr:`Record.held_on`): its file name's where its title is far from it."""
    day = record.held_on
    if day != record.date:
        # One mistyped year must not move the next meeting by years.
        warnings.append(
            f"{record.source}: titled {record.date}, named {day}; the file name's date is used"
        )
        record.date = day
    record.team = team
    return record


def agenda_filename(config: Config, team: str, day: date) -> str:
    """The team's file name pattern (``filename``, default ``{date:%Y%m%d}.md``) for ``day``."""
    pattern = config.team(team).filename
    try:
        name = pattern.format(date=day, team=team)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise AgendaProblem(
            f"team {team}: file name pattern {pattern!r} is invalid ({exc})"
        ) from None
    problem = file_pattern_problem(name)
    if problem:
        raise AgendaProblem(f"team {team}: file name {name!r} (from {pattern!r}) {problem}")
    return name
