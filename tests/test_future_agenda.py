"""A minutes file dated after today is an agenda: no backlinks, and no agenda after it.

Merging the agenda pull request pushes such a file; the Action then runs on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minutesbot.agenda.pull_request import teams_touched
from minutesbot.config import Config
from minutesbot.links import Links
from minutesbot.publish.backlinks import Renderer, plan
from minutesbot.records.dates import still_to_come
from minutesbot.records.parser import parse_text
from minutesbot.surroundings import Surroundings

TODAY = date(2024, 4, 18)
LINKS = Links(
    server="https://github.example", repository="acme/minutes", sha="abc", prefix="minutes/"
)


@pytest.mark.parametrize(
    "meeting, ahead",
    [
        ("2024-04-18", False),
        ("2024-04-19", False),  # a day of slack for time zones
        ("2024-04-20", True),
        ("2024-04-25", True),
        ("2024-04-11", False),
        (None, False),
        ("not a date", False),
    ],
)
def test_still_to_come(meeting, ahead):
    assert still_to_come(meeting, TODAY) is ahead


def test_an_agenda_still_to_come_gets_no_backlinks():
    config = Config(default_owner="acme")
    text = "# 2024-04-25\n\n## Pending (@alice)\n\n- AI @bob: follow up on acme/x#1\n"
    record = parse_text(
        text, source="container/20240425.md", team="container", default_owner="acme"
    )
    [link] = plan(record, LINKS, Renderer(config), today=TODAY)
    assert link.ref == "acme/x#1" and not link.body
    assert link.skip == "the agenda of a meeting still to come (2024-04-25)"
    # On its day it is still the agenda until the minutes name who came (as new reads it).
    [today] = plan(record, LINKS, Renderer(config), today=date(2024, 4, 25))
    assert today.skip == link.skip
    held = parse_text(
        text.replace("## Pending", "## Participants\n\n- @alice\n\n## Pending"),
        source="container/20240425.md",
        team="container",
        default_owner="acme",
    )
    [link] = plan(held, LINKS, Renderer(config), today=date(2024, 4, 25))
    assert link.skip is None and link.body


def test_tomorrows_agenda_with_nobody_present_gets_no_backlinks():
    """A day of slack makes a file dated tomorrow minutes (time zones); but one that names
    nobody present is tomorrow's agenda, to new and to publish alike."""
    config = Config(default_owner="acme")
    text = "# 2024-04-19\n\n## Pending\n\n- AI @bob: follow up on acme/x#1\n"
    record = parse_text(
        text, source="container/20240419.md", team="container", default_owner="acme"
    )
    [link] = plan(record, LINKS, Renderer(config), today=TODAY)
    assert link.skip and not link.body
    assert record.still_an_agenda(TODAY)


def test_a_title_years_ahead_of_its_file_name_is_no_agenda():
    """Its meeting counts as held on the file name's day, as the index and new read it:
    publish skipped it until 2202, and a backlink said 2024 of a meeting of 2023."""
    config = Config(default_owner="acme")
    for title, source, day in [
        ("2202-12-05", "container/20221208.md", "2022-12-08"),
        ("2024-03-20", "container/20230320.md", "2023-03-20"),
    ]:
        text = f"# {title}\n\n## Participants\n\n- @alice\n\n## Topic\n\n- see acme/x#1\n"
        record = parse_text(text, source=source, team="container", default_owner="acme")
        assert not record.still_an_agenda(TODAY)
        [link] = plan(record, LINKS, Renderer(config), today=TODAY)
        assert link.skip is None and day in link.body and title not in link.body


HELD = "# {}\n\n## Participants\n\n- @alice\n\n## Topic\n\n- notes\n"
CONFIG = Config(default_owner="acme")


def test_a_merged_agenda_asks_for_no_agenda_after_it(tmp_path: Path):
    root = tmp_path / "minutes"
    paths = [root / "container" / "20240418.md", root / "iaas" / "20240425.md", root / "README.md"]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HELD.format("minutes"))
    assert teams_touched(paths, root, CONFIG, Surroundings(TODAY)) == ["container"]
    later = Surroundings(date(2024, 4, 25))
    assert teams_touched(paths, root, CONFIG, later) == ["container", "iaas"]


def test_the_teams_a_push_touched_are_those_the_index_files_its_meetings_under(
    tmp_path: Path,
):
    """Whether a file is still an agenda goes by the rule ``new`` and the index use (the
    meeting day: a title within two weeks of the name; today's file listing nobody
    present), and its team is the one its front matter names, as ``--team`` reads it: a
    name that is no team is warned about, and asks for no agenda."""
    root = tmp_path / "minutes"
    files = {
        "iaas/20240425.md": HELD.format("2024-04-17"),  # held a day ago, named a week on
        "container/20240410.md": HELD.format("2024-04-22"),  # named for a day gone
        "ops/20240418.md": "# 2024-04-18\n\n## Topic\n\n- to discuss\n",  # today's agenda
        "docs/20240418.md": HELD.format("2024-04-18"),  # today's minutes
        "container/20240416.md": "---\nteam: Net\n---\n" + HELD.format("2024-04-16"),
        "20240415.md": "---\nteam: web\n---\n" + HELD.format("2024-04-15"),
        "20240414.md": HELD.format("2024-04-14"),  # at the root, no team
        "sig/20240412.md": "\udcff",  # cannot be read: its folder, by its name's date
        "ops/20230101.md": "---\nteam: a/b\n---\n" + HELD.format("2023-01-01"),
    }
    for source, text in files.items():
        (root / source).parent.mkdir(parents=True, exist_ok=True)
        (root / source).write_text(text, errors="surrogateescape")
    (root / "net").mkdir()
    paths = [root / source for source in files]
    warned: list[str] = []
    around = Surroundings(TODAY, {}, warned.append)
    assert teams_touched(paths, root, CONFIG, around) == ["docs", "iaas", "net", "sig"]
    assert [w.partition(":")[0] for w in warned] == ["20240415.md", "ops/20230101.md"]
    assert "names team web, which is no one folder of the minutes root" in warned[0]


def test_an_agenda_still_to_come_is_no_meeting_of_a_digest_or_stats(tmp_path: Path):
    """new writes next week's agenda into the minutes folder: the digest counted it as minutes
    written, the actions it carries as opened, and a decision in it ended in a KeyError."""
    from minutesbot.archive import Archive
    from minutesbot.digest import build_digest
    from minutesbot.stats import compute_stats

    root = tmp_path / "minutes"
    (root / "iaas").mkdir(parents=True)
    held = "# 2024-04-11\n\n## Participants\n\n- @alice\n\n## Topic\n\n- AI @bob: write the docs\n"
    (root / "iaas" / "20240411.md").write_text(held, encoding="utf-8")
    agenda = "# 2024-04-25\n\n## Topic\n\n- AI @bob: write the docs\n- Decision: ship it\n"
    (root / "iaas" / "20240425.md").write_text(agenda, encoding="utf-8")
    with Archive.open(root, Config(default_owner="acme")) as archive:
        archive.refresh(today=TODAY)
        digest = build_digest(archive, "2024-04-12")
        assert digest.teams == [] and [s.team for s in digest.silent] == ["iaas"]
        assert [d["text"] for d in archive.decisions()] == []
        stats = compute_stats(archive, git=False)
        assert stats.meetings == {"iaas": {"2024-04": 1}}
        assert sum(c["opened"] for c in stats.actions["iaas"].values()) == 1
