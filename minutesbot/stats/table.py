"""The figures of :class:`~minutesbot.stats.Stats` as plain-text tables for a terminal.

Months are columns people cannot read by the dozen, so each row carries a
strip of one mark per month of the selection instead: the share of the
team's meetings of that month the person attended (a full block: all of
them; ``·``: the team did not meet that month). The exact numbers per month
are in ``--json`` and behind the charts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from minutesbot.stats import ACTION_KINDS, Stats

BLOCKS = " ▁▂▃▄▅▆▇█"
# A cell aligned to the right: a count, a median, a share, or "-" for none.
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?|-")
NO_MEETING = "·"


def strip(values: Sequence[float | None]) -> str:
    """One mark per value in 0..1: a blank for 0, then eighths of a block; ``·`` for None."""
    return "".join(
        NO_MEETING if v is None else BLOCKS[round(v * (len(BLOCKS) - 1))] for v in values
    )


def columns(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Rows aligned under ``header``: text to the left, numbers to the right."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(_NUMBER.fullmatch(str(row[i])) for row in rows) for i in range(len(header))]
    return [
        "  ".join(
            cell.rjust(w) if num else cell.ljust(w)
            for cell, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()
        for row in cells
    ]


def render_tables(stats: Stats) -> str:
    """Every table, each under a one-line title; a note where a figure is missing."""
    if not stats.months:
        return "No dated meetings in the selection."
    span = f"{stats.months[0]} .. {stats.months[-1]}"
    parts = [
        f"Meetings per team ({span}, one mark per month, full: the team's busiest month)",
        *columns(["team", "meetings", "months", "per month"], _meeting_rows(stats)),
        "",
        "Attendance (meetings attended of the team's; marks: share per month)",
        *columns(
            ["person", "team", "attended", "of", "share", "per month"], _attendance_rows(stats)
        ),
        "",
        "Chores (meetings the person had it)",
        *columns(["person", *_chores(stats), "total"], _chore_rows(stats)),
        "",
        "Actions (entries written in the period's minutes)",
        *columns(["team", *ACTION_KINDS, "still open"], _action_rows(stats)),
        "",
        *_delay_lines(stats),
    ]
    return "\n".join(parts).rstrip()


def _meeting_rows(stats: Stats) -> list[list[object]]:
    rows: list[list[object]] = []
    for team in stats.teams:
        held = stats.meetings.get(team, {})
        most = max(held.values(), default=0) or 1
        rows.append(
            [
                team,
                sum(held.values()),
                len(held),
                strip([held[m] / most if m in held else None for m in stats.months]),
            ]
        )
    return rows


def _attendance_rows(stats: Stats) -> list[list[object]]:
    rows: list[list[object]] = []
    for team in stats.teams:
        held = stats.meetings.get(team, {})
        total = sum(held.values())
        people = stats.attendance.get(team, {})
        for person in sorted(
            people, key=lambda p: (-sum(people[p].values()), stats.people[p].casefold())
        ):
            attended = sum(people[person].values())
            rows.append(
                [
                    stats.people[person],
                    team,
                    attended,
                    total,
                    f"{100 * attended / total:.0f}%",
                    strip(
                        [people[person][m] / held[m] if m in held else None for m in stats.months]
                    ),
                ]
            )
    return rows


def _chores(stats: Stats) -> list[str]:
    return sorted({c for chores in stats.chores.values() for c in chores} | set(stats.unfilled))


def _chore_rows(stats: Stats) -> list[list[object]]:
    names = _chores(stats)
    rows: list[list[object]] = [
        [
            stats.people.get(p, p),
            *(stats.chores[p][c] for c in names),
            sum(stats.chores[p].values()),
        ]
        for p in sorted(stats.chores, key=lambda p: (-sum(stats.chores[p].values()), p))
    ]
    if stats.unfilled:
        rows.append(["(nobody)", *(stats.unfilled[c] for c in names), sum(stats.unfilled.values())])
    return rows


def _action_rows(stats: Stats) -> list[list[object]]:
    rows: list[list[object]] = []
    for team in stats.teams:
        months = stats.actions.get(team, {}).values()
        rows.append(
            [team, *(sum(c[k] for c in months) for k in ACTION_KINDS), stats.still_open[team]]
        )
    return rows


def _delay_lines(stats: Stats) -> list[str]:
    if stats.delays is None:
        return [f"Delay from meeting to commit: {stats.git_note}"] if stats.git_note else []
    rows: list[list[object]] = []
    for team in stats.teams:
        delays = stats.delays.get(team, [])
        days = [d.days for d in delays if d.days is not None]
        rows.append(
            [
                team,
                len(delays),
                f"{median(days):g}" if days else "-",
                max(days, default="-"),
                len(delays) - len(days),
            ]
        )
    return [
        "Delay from meeting to the first commit of its minutes on or after the day (days)",
        *columns(["team", "files", "median", "max", "only before"], rows),
    ]
