"""Where a team meets: its meeting series read from a yaml2ics calendar.

The Sovereign Cloud Stack keeps its meetings as YAML for the yaml2ics tool
(``name``, ``timezone``, ``include``, and ``events`` with ``begin``,
``duration``, ``repeat: {interval, until, except_on}`` and the pad and
minutes links in ``description``). This package reads that YAML
(:mod:`.reader`, from a file or a URL: :mod:`.source`), expands the series
in the series' own time zone (:mod:`.expand`), picks a team's series
(:mod:`.team`) and writes them as an iCalendar feed (:mod:`.feed`).

Nothing here imports at package import time, so the command line stays
cheap for commands that never read a calendar.
"""

from __future__ import annotations


class CalendarError(Exception):
    """The calendar cannot be read or used; the message is one line naming
    the file (and its line where one is known)."""
