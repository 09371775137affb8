"""Charts of :class:`~minutesbot.stats.Stats`, as PNG and SVG, drawn headless.

The numbers of each chart come from :func:`chart_data`, which needs no
matplotlib (tests check them against the minutes); :func:`draw_charts`
draws them. matplotlib is imported there and only there: it is an optional
extra (``pip install 'minutesbot[charts]'``), and it is used through
``Figure`` and the Agg canvas rather than ``pyplot``, so no display, GUI
backend or global figure state is ever involved.

The files are made reproducible (no date, no software version in them), so
committing them again after a run that changed nothing changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from minutesbot.stats import ACTION_KINDS, Stats

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# More rows than this make a chart no one reads; the title says how many are left out.
MAX_PEOPLE = 40
# A heat map this small has room for its numbers in the cells.
ANNOTATED_CELLS = 200
FORMATS = ("png", "svg")


class ChartsUnavailable(Exception):
    """matplotlib is not installed; the message says how to get it."""


@dataclass
class ChartData:
    """What one chart shows: ``values[row][column]``, rows and columns labelled."""

    name: str
    title: str
    rows: list[str]
    columns: list[str]
    values: list[list[float]]
    unit: str = "meetings"  # what a value counts


def chart_data(stats: Stats) -> list[ChartData]:
    """The charts worth drawing for ``stats``, each with its numbers."""
    if not stats.months:
        return []
    charts = [_attendance(stats), _chores(stats), _actions(stats)]
    if stats.delays:
        charts.append(_delays(stats))
    return [chart for chart in charts if chart.rows]


def _capped(title: str, people: list[str]) -> tuple[str, list[str]]:
    if len(people) <= MAX_PEOPLE:
        return title, people
    return f"{title} (top {MAX_PEOPLE} of {len(people)})", people[:MAX_PEOPLE]


def _attendance(stats: Stats) -> ChartData:
    title, people = _capped("Meetings attended per month", stats.ranked_people())
    return ChartData(
        "attendance",
        title,
        [stats.people[p] for p in people],
        stats.months,
        [[float(stats.by_month(p)[m]) for m in stats.months] for p in people],
        unit="meetings attended",
    )


def _chores(stats: Stats) -> ChartData:
    chores = sorted({c for counts in stats.chores.values() for c in counts} | set(stats.unfilled))
    ranked = sorted(stats.chores, key=lambda p: (-sum(stats.chores[p].values()), p))
    title, people = _capped("Chores per person (meetings)", ranked)
    rows = [stats.people.get(p, p) for p in people]
    values = [[float(stats.chores[p][c]) for c in chores] for p in people]
    if stats.unfilled:
        rows.append("(nobody)")
        values.append([float(stats.unfilled[c]) for c in chores])
    return ChartData("chores", title, rows, chores, values)


def _actions(stats: Stats) -> ChartData:
    teams = [t for t in stats.teams if t in stats.actions]
    return ChartData(
        "actions",
        "Action entries per team (in the period's minutes)",
        teams,
        list(ACTION_KINDS),
        [
            [float(sum(c[k] for c in stats.actions[t].values())) for k in ACTION_KINDS]
            for t in teams
        ],
        unit="action entries",
    )


def _delays(stats: Stats) -> ChartData:
    """Per team, how many meetings' minutes landed within a day, a week, a month, later."""
    bins = [("same day", 0), ("1-7 days", 7), ("8-30 days", 30), ("later", None)]
    assert stats.delays is not None
    teams = [t for t in stats.teams if t in stats.delays]
    values = []
    for team in teams:
        days = [d.days for d in stats.delays[team] if d.days is not None]
        counts, low = [], 0
        for _, high in bins:
            counts.append(float(sum(1 for d in days if low <= d and (high is None or d <= high))))
            low = (high or 0) + 1
        values.append(counts)
    return ChartData(
        "delays",
        "Days from meeting to the commit of its minutes",
        teams,
        [label for label, _ in bins],
        values,
    )


def draw_charts(stats: Stats, out: Path) -> list[Path]:
    """Write each chart of :func:`chart_data` as ``NAME.png`` and ``NAME.svg`` into ``out``."""
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable(
            "charts need matplotlib: pip install 'minutesbot[charts]'"
        ) from None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out.mkdir(parents=True, exist_ok=True)
    written = []
    style = {"svg.fonttype": "none", "svg.hashsalt": "minutesbot", "font.size": 9}
    with matplotlib.rc_context(style):
        for data in chart_data(stats):
            figure = Figure(figsize=_size(data), layout="constrained")
            FigureCanvasAgg(figure)
            (_heat_map if data.name == "attendance" else _bars)(figure, data)
            for fmt in FORMATS:
                path = out / f"{data.name}.{fmt}"
                # Drawn beside, then renamed: a chart is never left half-written.
                partial = out / f".{data.name}.{fmt}.partial"
                metadata = {"Software": None} if fmt == "png" else {"Date": None}
                figure.savefig(partial, format=fmt, dpi=100, metadata=metadata)
                os.replace(partial, path)
                written.append(path)
    return written


def _size(data: ChartData) -> tuple[float, float]:
    """Inches: room for each row's label and, in the heat map, each month."""
    height = 1.5 + 0.22 * len(data.rows)
    if data.name == "attendance":
        return max(6.0, 2.5 + 0.18 * len(data.columns)), height
    return 7.0, max(2.5, height)


def _heat_map(figure: Figure, data: ChartData) -> None:
    from matplotlib import colormaps

    axes = figure.add_subplot()
    # A month not attended stays white, apart from the palest green of one meeting.
    palette = colormaps["YlGn"].with_extremes(under="white")
    image = axes.imshow(
        data.values,
        aspect="auto",
        cmap=palette,
        vmin=0.5,
        vmax=max(1.0, *(max(row) for row in data.values)),
        interpolation="nearest",
    )
    axes.set_yticks(range(len(data.rows)), data.rows)
    step = max(1, len(data.columns) // 24)  # a readable label every few months
    axes.set_xticks(range(0, len(data.columns), step), data.columns[::step], rotation=90)
    axes.set_title(data.title)
    if len(data.rows) * len(data.columns) <= ANNOTATED_CELLS:
        for y, row in enumerate(data.values):
            for x, value in enumerate(row):
                if value:
                    ink = "white" if value > 0.6 * image.norm.vmax else "black"
                    axes.text(x, y, f"{value:g}", ha="center", va="center", color=ink)
    bar = figure.colorbar(image, ax=axes, label=data.unit)
    bar.ax.yaxis.get_major_locator().set_params(integer=True)


def _bars(figure: Figure, data: ChartData) -> None:
    """Horizontal bars, one per row, stacked by column (the first row at the top)."""
    axes = figure.add_subplot()
    positions = range(len(data.rows))
    left = [0.0] * len(data.rows)
    for i, column in enumerate(data.columns):
        widths = [row[i] for row in data.values]
        axes.barh(positions, widths, left=left, label=column)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions, data.rows)
    axes.invert_yaxis()
    axes.set_title(data.title)
    axes.set_xlabel(data.unit)
    figure.legend(loc="outside right upper")
    axes.xaxis.get_major_locator().set_params(integer=True)
