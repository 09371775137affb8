"""``minutesbot new`` reads the team's records and action states from the index (issue 13:
it parsed every file of the team each time), on a copy of the shared corpus.

The agenda is the one the files give; the files read are the layout of the last
meeting and the meetings whose topics were put off, not the whole history.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from minutesbot.agenda.history import history_from_index, load_history
from minutesbot.agenda.prepare import build_agenda
from minutesbot.agenda.render import render_agenda
from minutesbot.config import Config
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting

CONFIG = Config(default_owner="SovereignCloudStack")


@pytest.fixture(scope="module")
def minutes(corpus_minutes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus, so that its index is this test's own."""
    copy = tmp_path_factory.mktemp("corpus") / "minutes"
    shutil.copytree(corpus_minutes, copy, ignore=shutil.ignore_patterns(".*"))
    return copy


@pytest.mark.parametrize("team", ["container", "iaas", "sig-standardization"])
def test_new_reads_the_index_and_writes_the_agenda_the_files_give(minutes: Path, team: str) -> None:
    from_files = load_history(TeamSetting(minutes, team, CONFIG))
    today = date.fromisoformat(from_files.records[-1].date or "") + timedelta(days=1)
    said: list[str] = []
    indexed = history_from_index(
        TeamSetting(minutes, team, CONFIG), Surroundings(today, warn=said.append)
    )
    assert indexed.documents == {}, "records come from the index, no file is parsed"
    assert indexed.stored_over is not None
    assert [r.source for r in indexed.records] == [r.source for r in from_files.records]
    agenda = build_agenda(indexed, Surroundings(today))
    expected = build_agenda(from_files, Surroundings(today))
    assert render_agenda(agenda, CONFIG) == render_agenda(expected, CONFIG)
    put_off = sum(any(i.deferred is not None for i in r.items) for r in indexed.records)
    assert 1 <= len(indexed.documents) <= 1 + 2 * put_off < len(indexed.records) // 5
    # A --date in the past: the states of that cut are computed, not the index's of today.
    middle = indexed.records[len(indexed.records) // 2]
    day = date.fromisoformat(middle.date or "") + timedelta(days=1)
    cut = build_agenda(indexed, Surroundings(today), day)
    assert render_agenda(cut, CONFIG) == render_agenda(
        build_agenda(from_files, Surroundings(today), day), CONFIG
    )


def test_an_undated_files_actions_are_no_debts_either_way(tmp_path: Path) -> None:
    """The files are read without it (no meeting date: skipped, with a warning); the
    index listed its actions among the open ones ``new`` carries."""
    root = tmp_path / "minutes"
    (root / "t").mkdir(parents=True)
    meeting = "# {}\n\n## Participants\n\n- @alice\n\n## Topic\n\n- AI @alice: {}\n"
    (root / "t" / "20240105.md").write_text(meeting.format("2024-01-05", "write the docs"))
    (root / "t" / "notes.md").write_text(meeting.format("Notes", "fix the build"))
    team, around = TeamSetting(root, "t", CONFIG), Surroundings(date(2024, 1, 8))
    for _ in range(2):  # said each time, not only when the index first parses the file
        history = history_from_index(team, around)
        assert [w for w in history.warnings if w.startswith("t/notes.md: no meeting date")]
    indexed = build_agenda(history, around)
    from_files = build_agenda(load_history(team), around)
    assert render_agenda(indexed, CONFIG) == render_agenda(from_files, CONFIG)
    assert [d["text"] for d in indexed.open_debts] == ["write the docs"]


def test_a_file_whose_front_matter_names_another_team_is_not_this_teams(tmp_path: Path) -> None:
    """The index files it under the team its front matter names; reading the files took it
    for the folder's."""
    root = tmp_path / "minutes"
    (root / "t").mkdir(parents=True)
    meeting = "# Minutes {}\n\n## Participants\n\n- @{}\n\n## Topic\n\n- AI @{}: {}\n"
    (root / "t" / "20240110.md").write_text(meeting.format("2024-01-10", "alice", "alice", "a"))
    (root / "t" / "20240117.md").write_text(
        "---\nteam: u\n---\n" + meeting.format("2024-01-17", "bob", "bob", "b")
    )
    team, around = TeamSetting(root, "t", CONFIG), Surroundings(date(2024, 1, 18))
    from_files = load_history(team)
    assert [r.source for r in from_files.records] == ["t/20240110.md"]
    assert [w for w in from_files.warnings if "front matter names team u" in w]
    indexed = build_agenda(history_from_index(team, around), around)
    assert render_agenda(indexed, CONFIG) == render_agenda(build_agenda(from_files, around), CONFIG)


def test_front_matter_naming_the_folders_team_in_another_case_is_that_team(
    tmp_path: Path,
) -> None:
    """``team: IaaS`` in iaas/ was a team of its own to the index, and new found nothing."""
    root = tmp_path / "minutes"
    (root / "iaas").mkdir(parents=True)
    meeting = "---\nteam: IaaS\n---\n# Minutes {}\n\n## Participants\n\n- @alice\n\n## Topic\n\n"
    (root / "iaas" / "20240110.md").write_text(
        meeting.format("2024-01-10") + "- AI @alice: a fix\n"
    )
    team, around = TeamSetting(root, "iaas", CONFIG), Surroundings(date(2024, 1, 18))
    from_files = load_history(team)
    assert [r.team for r in from_files.records] == ["iaas"]
    indexed = build_agenda(history_from_index(team, around), around)
    assert [d["text"] for d in indexed.open_debts] == ["a fix"]
    assert render_agenda(indexed, CONFIG) == render_agenda(build_agenda(from_files, around), CONFIG)
