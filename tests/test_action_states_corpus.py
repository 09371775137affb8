"""One truth for "is this action open?", on every file of the shared corpus.

``minutesbot actions --open --team T`` (the archive's stored states) and the
open actions ``minutesbot new --team T`` starts from are the same set, for
every team and for cuts of its history: every 10th meeting taken as "today",
so that the later files are agendas still to come, as the one rule has it.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from minutesbot.agenda.history import History, load_history
from minutesbot.agenda.prepare import build_agenda
from minutesbot.archive import Archive
from minutesbot.config import Config
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting, team_names

CUT_EVERY = 10


@pytest.fixture(scope="module")
def minutes(corpus_minutes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus, so that its index is this test's own."""
    copy = tmp_path_factory.mktemp("corpus") / "minutes"
    shutil.copytree(corpus_minutes, copy, ignore=shutil.ignore_patterns(".*"))
    return copy


@pytest.fixture(scope="module")
def archive(minutes: Path):
    with Archive.open(minutes, Config(default_owner="SovereignCloudStack")) as opened:
        yield opened


@pytest.mark.parametrize("team", ["container", "iaas", "sig-standardization"])
def test_actions_open_and_new_agree_on_every_cut(
    minutes: Path, archive: Archive, team: str
) -> None:
    config = archive.config
    assert team in team_names(minutes)
    history = load_history(TeamSetting(minutes, team, config))
    days = [date.fromisoformat(r.date or "") for r in history.records]
    cuts = days[CUT_EVERY - 1 :: CUT_EVERY] + [days[-1] + timedelta(days=1)]
    compared = 0
    for today in cuts:
        archive.refresh(today=today)
        listed = {(a["source"], a["line"]) for a in archive.actions(status="open", team=team)}
        agenda = build_agenda(History(history.team, history.records, []), Surroundings(today))
        started = {(d["source"], d["line"]) for d in agenda.open_debts}
        assert listed == started, f"{team}, today {today}"
        # Nothing of a meeting after today counts, not even as the latest listing.
        assert all(
            (a["last_listed"] or "") <= today.isoformat() for a in archive.actions(team=team)
        )
        compared += len(listed)
    assert compared, "the cuts leave some action open"
