"""The day a meeting counts as held on is the same in every answer of the index.

A title more than two weeks from its file name's date is a typo in one of
them; the meeting then counts as held on the file name's day, as ``new`` reads
it (``records.dates.held_on``). Tracking, the order of every list, periods
(``digest``, ``stats``, ``--since``) and the dates answers give all go by it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from minutesbot.archive import Archive, Scope
from minutesbot.config import Config
from minutesbot.digest import build_digest
from minutesbot.records.dates import held_on

CONFIG = Config(default_owner="acme")
MEETING = "# {title}\n\n## Participants\n\n- @alice\n\n## Topic\n\n- Decision: we use {what}\n"


@pytest.fixture
def archive(tmp_path: Path):
    root = tmp_path / "minutes"
    (root / "t").mkdir(parents=True)
    for name, title, what in [
        ("20240103.md", "2024-01-03", "A"),
        ("20240105.md", "2025-01-05", "B"),  # the year mistyped in the title
        ("20240110.md", "2024-01-10", "C"),
    ]:
        (root / "t" / name).write_text(MEETING.format(title=title, what=what), encoding="utf-8")
    with Archive.open(root, CONFIG) as opened:
        opened.refresh()
        yield opened


def test_held_on_goes_by_the_file_name_not_its_folders() -> None:
    assert held_on("2025-01-05", "t/20240105.md") == "2024-01-05"
    assert held_on("2024-01-08", "t/20240105.md") == "2024-01-08"  # close: the title's
    assert held_on("2024-01-20", "t/2024-01-01-sprint/20240120.md") == "2024-01-20"
    assert held_on("2024-01-20", "t/2024-01-01-sprint/notes.md") == "2024-01-20"
    assert held_on(None, "t/20240105.md") is None


def test_decisions_and_digest_agree_on_the_period_and_the_order(archive: Archive) -> None:
    listed = [(d["date"], d["text"]) for d in archive.decisions()]
    assert listed == [
        ("2024-01-03", "we use A"),
        ("2024-01-05", "we use B"),
        ("2024-01-10", "we use C"),
    ]
    january = build_digest(archive, "2024-01-01", "2024-01-31")
    (team,) = january.teams
    assert [m["date"] for m in team.meetings] == ["2024-01-03", "2024-01-05", "2024-01-10"]
    assert [d["text"] for d in team.decisions] == ["we use A", "we use B", "we use C"]
    # The title's month holds no meeting: no decision either (it ended in a KeyError).
    assert build_digest(archive, "2025-01-01", "2025-01-31").teams == []
    assert [
        d["text"] for d in archive.decisions(Scope(since="2024-01-04", until="2024-01-06"))
    ] == ["we use B"]
