"""One event of a calendar: a meeting series, or a single meeting.

Times are kept as the calendar writes them, on the wall clock of the
series' zone (``begin: 2025-02-21 09:05:00`` with ``timezone:
Europe/Berlin``), because that is what stays the same from week to week:
the UTC offset changes at the DST switch, the meeting's 09:05 does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlsplit

# The units of ``repeat: interval:``, as yaml2ics names them.
UNITS = ("seconds", "minutes", "hours", "days", "weeks", "months", "years")

# Labels of the pad link in a description (``HedgeDoc: https://...``); SCS wrote
# Etherpad until 2023 for the same HedgeDoc server.
PAD_LABELS = ("hedgedoc", "etherpad", "pad", "hackmd", "codimd")

_LINK = re.compile(
    # The name ends at a character that is not a space, the URL at its last character that
    # is not trailing punctuation: lazy ones would rescan what follows at every character.
    r"^\s*(?:[-*]\s*)?([A-Za-z](?:[\w ./-]{0,39}[\w./-])?)\s*:\s*<?"
    r"(https?://(?:[^\s<>]*[^\s<>.,;)]|[^\s<>]))>?[.,;)]*\s*$"
)

Moment = datetime | date  # a naive wall-clock time, or a whole day


@dataclass(frozen=True)
class Series:
    """An event of the calendar, repeating or not.

    ``begin``, ``until``, ``except_on`` and ``also_on`` are naive wall-clock
    times in ``zone`` (or dates, for a whole-day event and for a skip of a
    whole day); ``duration`` is None for a whole-day event.
    """

    summary: str
    begin: Moment
    zone: tzinfo
    duration: timedelta | None
    every: tuple[str, int] | None  # ("weeks", 2); None: it happens once
    until: Moment | None
    except_on: tuple[Moment, ...]
    also_on: tuple[Moment, ...]
    uid: str | None
    description: str
    location: str | None
    url: str | None
    where: str  # "file:line" of the event in the calendar

    @property
    def zone_name(self) -> str | None:
        """The IANA name of the zone; None for a fixed offset (``begin: ... +02:00``)."""
        return getattr(self.zone, "key", None)

    @property
    def all_day(self) -> bool:
        return self.duration is None

    def links(self) -> dict[str, str]:
        """``Label: URL`` lines of the description, by lower-case label (first one wins)."""
        found: dict[str, str] = {}
        for line in self.description.splitlines():
            m = _LINK.match(line)
            if m:
                found.setdefault(m.group(1).strip().lower(), m.group(2))
        return found

    @property
    def pad_url(self) -> str | None:
        """The meeting pad named in the description (``HedgeDoc: https://...``)."""
        links = self.links()
        return next((links[label] for label in PAD_LABELS if label in links), None)

    @property
    def minutes_folder(self) -> str | None:
        """The last part of the ``Minutes:`` link: the team's folder of the minutes
        repository (``.../minutes/tree/main/container`` gives ``container``)."""
        url = self.links().get("minutes")
        if not url:
            return None
        path = urlsplit(url).path.rstrip("/")
        return path.rsplit("/", 1)[-1] or None


def day_of(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def as_datetime(moment: Moment) -> datetime:
    """A whole day as its first moment."""
    return moment if isinstance(moment, datetime) else datetime.combine(moment, time())
