"""On the real minutes: every open action of a team's history survives the round trip.

The texts people write (links, code spans, emphasis, brackets, arrows) are
the hard part of writing an action so that it reads back as written; the
shared corpus has hundreds of them. Skipped where ../shared is absent.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from minutesbot.agenda.history import History, load_history
from minutesbot.agenda.prepare import build_agenda
from minutesbot.agenda.render import render_agenda
from minutesbot.config import Config, TeamConfig
from minutesbot.records.parser import parse_text
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting, team_names

PROJECT = Path(__file__).resolve().parents[2]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("team", ["container", "iaas", "sig-standardization"])
def test_open_actions_round_trip_on_the_corpus(corpus_minutes: Path, team: str) -> None:
    # Every open action, not only the recent ones: the round trip is about the texts.
    config = Config(
        default_owner="SovereignCloudStack", teams={team: TeamConfig(carry_meetings=10_000)}
    )
    assert team in team_names(corpus_minutes)
    history = load_history(TeamSetting(corpus_minutes, team, config))
    # Cut in the middle too: what is open depends on what came after.
    for cut in (len(history.records) // 2, len(history.records)):
        part = History(history.team, history.records[:cut], [])
        agenda = build_agenda(part, Surroundings(date.fromisoformat(part.records[-1].date or "")))
        assert agenda.actions, "a team's history leaves some action open"
        record = parse_text(
            render_agenda(agenda, config),
            source=f"{team}/next.md",
            team=team,
            default_owner="SovereignCloudStack",
        )
        assert [(a.owners, _words(a.text), a.status) for a in record.actions] == [
            (c.owners, _words(c.text), "open") for c in agenda.actions
        ]


def test_offline_new_never_loads_the_github_layer(tmp_path: Path) -> None:
    meeting = tmp_path / "minutes" / "team" / "20240418.md"
    meeting.parent.mkdir(parents=True)
    meeting.write_text("# 2024-04-18\n\n## Agenda\n\n### Topic\n- AI @alice: do it\n")
    code = (
        "import sys\nfrom minutesbot.cli import main\n"
        "main(['new', '--date', '2024-04-25', '--stdout'], standalone_mode=False)\n"
        "loaded = sorted(m for m in sys.modules\n"
        "                if m == 'github' or m.startswith(('github.', 'minutesbot.github')))\n"
        "print('LOADED', loaded)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout
    assert "- AI @alice: do it" in done.stdout
