"""A team's history: its dated records, oldest first, and which of them are agendas.

The documents and reviews of the files are read when first needed and kept
(shared with the cuts :meth:`History.upto` makes), so that carrying actions
and topics forward reads each file once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from minutesbot.agenda.model import AgendaProblem
from minutesbot.config import Config, file_pattern_problem
from minutesbot.records.dates import date_in_filename, far_from_name
from minutesbot.records.document import Document, read_document
from minutesbot.records.files import find_minutes_files
from minutesbot.records.parser import MinutesError, read_file
from minutesbot.records.reading import read_minutes
from minutesbot.records.record import Record
from minutesbot.records.tracking import Review, find_review
from minutesbot.teams import team_folders, team_names


@dataclass
class History:
    """A team's dated records, oldest first, and the minutes root they were read from.

    The documents the records were parsed from are kept (a record without one,
    made elsewhere, has its file read when first needed), and shared with the
    histories :meth:`upto` cuts from this one.
    """

    root: Path
    records: list[Record]
    warnings: list[str]
    documents: dict[str, Document] = field(default_factory=dict, repr=False)
    reviews: dict[str, Review | None] = field(default_factory=dict, repr=False)

    def text(self, record: Record, max_bytes: int) -> str:
        """The record's file, decoded as the parser decoded it (so line numbers agree)."""
        return self.document(record, max_bytes).text

    def document(self, record: Record, max_bytes: int) -> Document:
        """The record's file as headings and entries (the notes below an item)."""
        if record.source not in self.documents:
            text = read_minutes(self.root / record.source, max_bytes)[0]
            self.documents[record.source] = read_document(text)
        return self.documents[record.source]

    def review(self, record: Record, max_bytes: int) -> Review | None:
        """The record's review of earlier action items, if it has one."""
        if record.source not in self.reviews:
            self.reviews[record.source] = find_review(record, self.document(record, max_bytes))
        return self.reviews[record.source]

    def upto(self, count: int) -> History:
        """The history before its ``count``-th meeting, as it was known then."""
        return History(self.root, self.records[:count], [], self.documents, self.reviews)


def agenda_teams(root: Path, config: Config) -> list[str]:
    """The teams an agenda may be written for when none is named.

    The folders with minutes; while there are none, the configured teams and
    the empty folders (a team set up before its first call).
    """
    return team_names(root) or sorted(set(config.teams) | set(team_folders(root)))


def load_history(root: Path, team: str, config: Config) -> History:
    """The team's dated records, oldest first; undated or unreadable files become warnings."""
    records: list[Record] = []
    documents: dict[str, Document] = {}
    warnings: list[str] = []
    folder = root / team
    for path in find_minutes_files([folder]) if folder.is_dir() else []:
        try:
            parsed = read_file(path, root=root, config=config)
        except MinutesError as exc:
            warnings.append(f"{exc}; skipped")
            continue
        record = parsed.record
        if not record.date:
            warnings.append(
                f"{record.source}: no meeting date in the title or the file name; skipped"
            )
            continue
        named = far_from_name(record.date, path.name)
        if named:
            # One mistyped year must not move the next meeting by years.
            warnings.append(
                f"{record.source}: titled {record.date}, named {named.isoformat()}; "
                "the file name's date is used"
            )
            record.date = named.isoformat()
        record.team = team
        records.append(record)
        documents[record.source] = parsed.document
    records.sort(key=lambda r: (r.date or "", r.source))
    return History(root, records, warnings, documents)


def _name_suffix(name: str) -> str | None:
    """What a file name adds to the date it starts with: ``-overflow.md``, ``.md``."""
    day = date_in_filename(name)
    for prefix in (day.strftime("%Y%m%d"), day.isoformat()) if day else ():
        if name.startswith(prefix):
            return name[len(prefix) :]
    return None


def side_meetings(records: list[Record], config: Config, team: str) -> set[str]:
    """The sources of side meetings: an overflow, a workshop, a breakout beside the call.

    They are told by their names: ``20230710-overflow.md`` adds to the date
    what the team's usual names (the most common shape, and the configured
    ``filename``) do not.
    """
    suffixes = {r.source: _name_suffix(Path(r.source).name) for r in records}
    counts = Counter(suffix for suffix in suffixes.values() if suffix is not None)
    usual = {_name_suffix(agenda_filename(config, team, date(2000, 1, 1)))}
    if counts:
        usual.add(counts.most_common(1)[0][0])
    return {
        source for source, suffix in suffixes.items() if suffix is not None and suffix not in usual
    }


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
