"""Which files of a team are meetings held, and which of those are side meetings.

Two facts about a team's files that every reader of its history needs
alike (the action states, ``new``, the archive): a file of a meeting not
held yet is an agenda, not history; and an overflow call or a workshop
beside the regular call keeps its own actions but does not speak for the
team (its "open action items" are no review of the team's).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from minutesbot.config import Config
from minutesbot.records.dates import date_in_filename
from minutesbot.records.record import Record

_ANY_DAY = date(2000, 1, 1)  # to see the shape of the team's file names


def held(records: list[Record], today: date) -> list[Record]:
    """The dated records of meetings held by ``today``: agendas (the one rule,
    :meth:`~minutesbot.records.record.Record.still_an_agenda`) and undated files left out."""
    return [r for r in records if r.date and not r.still_an_agenda(today)]


def _name_suffix(name: str) -> str | None:
    """What a file name adds to the date it starts with: ``-overflow.md``, ``.md``."""
    day = date_in_filename(name)
    for prefix in (day.strftime("%Y%m%d"), day.isoformat()) if day else ():
        if name.startswith(prefix):
            return name[len(prefix) :]
    return None


def usual_name(config: Config, team: str) -> str | None:
    """A file name of the team's configured shape (``filename``), None when it is unusable."""
    try:
        return config.team(team).filename.format(date=_ANY_DAY, team=team)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return None  # new reports the pattern when it names the agenda's file


def side_meetings(records: list[Record], usual: str | None) -> set[str]:
    """The sources of side meetings: an overflow, a workshop, a breakout beside the call.

    They are told by their names: ``20230710-overflow.md`` adds to the date
    what the team's usual names (the most common shape, and ``usual``, the
    configured one) do not.
    """
    suffixes = {r.source: _name_suffix(Path(r.source).name) for r in records}
    counts = Counter(suffix for suffix in suffixes.values() if suffix is not None)
    shapes = {_name_suffix(usual)} if usual else set()
    if counts:
        shapes.add(counts.most_common(1)[0][0])
    return {
        source for source, suffix in suffixes.items() if suffix is not None and suffix not in shapes
    }
