"""Issue 11 on the real minutes: what the agenda carries, and whose turn the chores are.

Each point is checked on the corpus of three SCS teams (skipped without
../shared): actions listed one by one only while recent, counted otherwise;
no entry that is no task carried; chore suggestions that rotate (never the
person of the last time, a reason that is true, the team's habit of one
person or two); suggestions only where the layout has its chore lines.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minutesbot.agenda.history import load_history
from minutesbot.agenda.prepare import build_agenda
from minutesbot.agenda.render import render_agenda
from minutesbot.agenda.roles import _one_for_both, suggest_roles
from minutesbot.agenda.skeleton import skeleton_from
from minutesbot.config import CARRY_MEETINGS, Config
from minutesbot.records.actionable import why_not_an_action
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting

CONFIG = Config(default_owner="SovereignCloudStack")
EVERY = 7  # cuts of the history: every 7th meeting as the last one held


def _cuts(corpus: Path, team: str):
    history = load_history(TeamSetting(corpus, team, CONFIG))
    for end in range(EVERY, len(history.records) + 1, EVERY):
        part = history.upto(end)
        yield (
            part,
            build_agenda(part, Surroundings(date.fromisoformat(part.records[-1].date or ""))),
        )


@pytest.mark.parametrize("team", ["container", "iaas", "sig-standardization"])
def test_only_recent_actions_are_listed_and_the_rest_is_one_line(
    corpus_minutes: Path, team: str
) -> None:
    """container and iaas hardly review their actions: without the policy their lists
    grew to 90; now only the last meeting's are listed, the rest is counted."""
    counted = 0
    for part, agenda in _cuts(corpus_minutes, team):
        since = part.records[-CARRY_MEETINGS].date or ""
        assert all(a.seen >= since for a in agenda.actions)
        assert len(agenda.actions) + agenda.older_actions + agenda.unowned_actions == len(
            agenda.open_debts
        )
        # Nobody answers for an action naming nobody: counted, not listed.
        assert all(a.owners for a in agenda.actions)
        text = render_agenda(agenda, CONFIG)
        if agenda.older_actions:
            counted += 1
            assert f"`minutesbot actions --open --team {team}`" in text
        unowned = agenda.unowned_actions
        if unowned:
            assert (
                f"- {unowned} open action item{'s' if unowned != 1 else ''} naming nobody" in text
            )
        assert text.rstrip().endswith(
            f"<!-- minutesbot new: {agenda.older_actions} open action item"
            f"{'s' if agenda.older_actions != 1 else ''} left out (not listed in the "
            f"{agenda.carry_text}); carry-meetings in the team's configuration changes that"
            + (f"; {unowned} more name nobody" if unowned else "")
            + " -->"
        )
        for action in agenda.actions:
            assert action.meetings >= 1
            assert (
                f"from [{action.origin.date}]({action.origin.link}), {action.meetings} meeting"
                in text
            )
    assert counted, "some cut leaves older actions out"


@pytest.mark.parametrize("team", ["container", "iaas", "sig-standardization"])
def test_no_entry_that_is_no_task_is_carried(corpus_minutes: Path, team: str) -> None:
    history = load_history(TeamSetting(corpus_minutes, team, CONFIG))
    written = [a.text for r in history.records for a in r.actions]
    assert any(why_not_an_action(text) for text in written), "the corpus has such entries"
    for _part, agenda in _cuts(corpus_minutes, team):
        assert not [d["text"] for d in agenda.open_debts if why_not_an_action(d["text"])]


@pytest.mark.parametrize("team", ["container", "iaas"])
def test_chore_suggestions_rotate_with_a_true_reason(corpus_minutes: Path, team: str) -> None:
    history = load_history(TeamSetting(corpus_minutes, team, CONFIG))
    records = history.records
    checked = 0
    for end in range(8, len(records) + 1, 3):
        earlier = records[:end]
        for chore, s in suggest_roles(earlier, set()).items():
            if s.who is None:
                continue
            did = [r.date for r in earlier if s.who in r.roles.get(chore, [])]
            assert s.last == (did[-1] if did else None), (chore, s)  # "never done it" is true
            last_time = next(r for r in reversed(earlier) if r.roles.get(chore))
            assert s.who not in last_time.roles[chore], (chore, s, last_time.source)
            present = {p.handle for r in earlier[-8:] for p in r.participants}
            assert s.who in present or not present
            checked += 1
    assert checked


def test_one_person_for_both_chores_where_that_is_the_habit(corpus_minutes: Path) -> None:
    """container gave both chores to one person through 2024; iaas splits them."""
    container = load_history(TeamSetting(corpus_minutes, "container", CONFIG)).records
    upto_2024 = [r for r in container if (r.date or "") < "2024-12-01"]
    assert _one_for_both(upto_2024)
    both = suggest_roles(upto_2024, set())
    assert both["reporter"].who == both["minutes"].who is not None
    iaas = load_history(TeamSetting(corpus_minutes, "iaas", CONFIG)).records
    assert not _one_for_both(iaas)
    split = suggest_roles(iaas, set())
    assert split["reporter"].who != split["minutes"].who


def test_suggestions_only_on_chore_lines_never_under_a_report_item() -> None:
    """A team whose items are titled "... - report" (reports of other teams) gets them as
    items, not as chore sections with a suggestion each."""
    layout = skeleton_from(
        "# 2024-05-08\n\n## Participants\n- @a\n\n## Minutes taking & transfer\n- @a\n\n"
        "## Agenda\n\n### OSISM - report\n- upgraded to 7.0\n\n"
        "### Container - report\n- nothing new\n"
    )
    assert [(s.kind, s.heading) for s in layout.sections] == [
        ("title", "2024-05-08"),
        ("participants", "Participants"),
        ("roles", "Minutes taking & transfer"),
        ("actions", "Pending action items"),
        ("agenda", "Agenda"),
    ]


def test_after_new_the_agenda_is_no_history_of_the_actions(tmp_path: Path) -> None:
    """new writes the next agenda (dated ahead) re-listing the open actions; until that day
    it is an agenda everywhere: actions --open neither lists its entries nor says the
    actions were "still listed" on a day that has not come."""
    from click.testing import CliRunner

    from minutesbot.cli import main

    folder = tmp_path / "minutes" / "team"
    folder.mkdir(parents=True)
    (folder / "20240404.md").write_text(
        "# 2024-04-04\n\n## Participants\n- @a\n\n## Topic\n- AI @a: write the upgrade guide\n"
    )
    runner = CliRunner()
    root = str(tmp_path / "minutes")
    written = runner.invoke(main, ["new", "--root", root, "--team", "team", "--date", "2099-04-11"])
    assert written.exit_code == 0, written.output
    assert "write the upgrade guide" in (folder / "20990411.md").read_text()
    listed = runner.invoke(main, ["actions", "--root", root, "--open", "--team", "team"])
    assert listed.exit_code == 0, listed.output
    assert "write the upgrade guide" in listed.stdout
    assert "still listed" not in listed.stdout and "20990411" not in listed.stdout
