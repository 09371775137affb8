"""``stats`` on the real SCS minutes against a count over the files with the plain line
logic of :mod:`independent_count`: meetings and attendance over the whole corpus,
chores and actions over the digest's test periods; and the charts, read back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
from independent_count import PERIODS, Counted, corpus_archive, counted, in_period  # noqa: F401

from minutesbot.archive import Archive
from minutesbot.stats import Stats, compute_stats
from minutesbot.stats.charts import chart_data, draw_charts


@pytest.fixture(scope="module")
def everything(corpus_archive: Archive) -> Stats:
    return compute_stats(corpus_archive, git=False)


def _months(counted: list[Counted]) -> dict[str, Counter[str]]:
    held: dict[str, Counter[str]] = defaultdict(Counter)
    for c in counted:
        held[c.team][c.date[:7]] += 1
    return held


def _attendance(counted: list[Counted]) -> dict[str, dict[str, Counter[str]]]:
    present: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for c in counted:
        for person in c.participants:
            present[c.team][person][c.date[:7]] += 1
    return present


def test_meetings_per_team_and_month_match_the_files(
    everything: Stats, counted: list[Counted]
) -> None:
    assert everything.meetings == _months(counted)
    assert sum(sum(m.values()) for m in everything.meetings.values()) == len(counted) == 330


def test_attendance_per_person_team_and_month_matches_the_files(
    everything: Stats, counted: list[Counted]
) -> None:
    expected = _attendance(counted)
    assert everything.attendance == expected
    assert len({p for people in expected.values() for p in people}) > 100


@pytest.mark.parametrize("since,until", PERIODS)
def test_chores_and_actions_of_a_period_match_the_files(
    corpus_archive: Archive, counted: list[Counted], since: str, until: str
) -> None:
    stats = compute_stats(corpus_archive, since=since, until=until, git=False)
    files = in_period(counted, since, until)
    chores: dict[str, Counter[str]] = defaultdict(Counter)
    unfilled: Counter[str] = Counter()
    for c in files:
        for chore, people in c.roles.items():
            unfilled[chore] += not people
            for person in people:
                chores[person if " " in person else f"@{person}"][chore] += 1
    assert stats.chores == chores and stats.unfilled == unfilled
    assert sum(sum(c.values()) for c in chores.values()) > 10
    entries: dict[str, Counter[str]] = defaultdict(Counter)
    for c in files:
        for status in c.actions:
            entries[c.team]["open" if status == "open" else "closed"] += 1
    found = {
        team: Counter(
            {
                "open": sum(m["opened"] + m["relisted"] for m in months.values()),
                "closed": sum(m["closed"] for m in months.values()),
            }
        )
        for team, months in stats.actions.items()
    }
    assert found == {team: +counts for team, counts in entries.items()}


def test_the_charts_show_the_counted_numbers(
    corpus_archive: Archive, counted: list[Counted]
) -> None:
    since, until = PERIODS[0]
    stats = compute_stats(corpus_archive, since=since, until=until, git=False)
    files = in_period(counted, since, until)
    charts = {chart.name: chart for chart in chart_data(stats)}
    assert set(charts) == {"attendance", "chores", "actions"}
    heat = charts["attendance"]
    assert heat.columns == ["2024-10", "2024-11", "2024-12"]
    by_person: dict[str, Counter[str]] = defaultdict(Counter)
    for c in files:
        for person in c.participants:
            by_person[person][c.date[:7]] += 1
    shown = dict(zip(heat.rows, heat.values, strict=True))
    assert len(shown) == min(len(by_person), 40)
    for person, months in by_person.items():
        label = stats.people[person]
        if label in shown:
            assert shown[label] == [float(months[m]) for m in heat.columns]
    ranked = sorted(by_person.values(), key=lambda m: -sum(m.values()))
    assert [sum(row) for row in heat.values] == [float(sum(m.values())) for m in ranked][:40]


def test_the_charts_are_images_with_something_drawn(
    corpus_archive: Archive, tmp_path: Path
) -> None:
    from matplotlib.image import imread

    stats = compute_stats(corpus_archive, since=PERIODS[0][0], until=PERIODS[0][1], git=False)
    written = draw_charts(stats, tmp_path / "charts")
    assert sorted(p.name for p in written) == sorted(
        f"{name}.{fmt}" for name in ("attendance", "chores", "actions") for fmt in ("png", "svg")
    )
    for path in written:
        if path.suffix == ".png":
            pixels = imread(path)
            height, width = pixels.shape[:2]
            assert width >= 600 and height >= 250
            drawn = (pixels[..., :3] < 0.95).any(axis=-1).mean()
            assert 0.02 < drawn < 0.9, f"{path.name}: {drawn:.0%} of the pixels drawn"
            assert len({tuple(p) for p in pixels.reshape(-1, pixels.shape[-1])[::7]}) > 8
        else:
            text = path.read_text(encoding="utf-8")
            assert text.lstrip().startswith("<?xml") and "<svg" in text
    svg = (tmp_path / "charts" / "attendance.svg").read_text(encoding="utf-8")
    for label in chart_data(stats)[0].rows:
        assert f">{label}<" in svg  # labels are text, not glyph outlines
