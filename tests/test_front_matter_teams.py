"""A team named in front matter is the team ``--team`` would take that name for.

``team: IaaS`` in ``container/`` (a joint meeting filed in another team's
folder) or in a file at the root names the folder ``iaas``: the index files
it under ``iaas``, as ``minutesbot actions --team IaaS`` and ``new --team
IaaS`` read the name, not as a team of its own beside it. A folder that
comes after such a file was indexed takes its meetings over.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from minutesbot.agenda.history import history_from_index
from minutesbot.agenda.prepare import build_agenda
from minutesbot.archive import Archive
from minutesbot.config import Config
from minutesbot.digest import build_digest
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting, spelled_as_known

CONFIG = Config(default_owner="acme")
JOINT = "---\nteam: {team}\n---\n# Joint meeting {day}\n\n## Participants\n\n- @carol\n\n"
MTU = JOINT.format(team="IaaS", day="2024-01-05") + "## Networking\n\n- AI @carol: check the MTU\n"


def write(root: Path, source: str, text: str) -> None:
    path = root / source
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_spelled_as_known_takes_the_exact_name_then_the_only_one_in_any_case() -> None:
    assert spelled_as_known("IaaS", {"iaas", "container"}) == "iaas"
    assert spelled_as_known("iaas", {"iaas", "IAAS"}) == "iaas"
    assert spelled_as_known("Iaas", {"iaas", "IAAS"}) is None  # two: neither is meant
    assert spelled_as_known("ops", {"iaas"}) is None


def test_front_matter_in_another_folder_or_at_the_root_names_the_folders_team(
    tmp_path: Path,
) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240103.md", "# 2024-01-03\n\n## Disks\n\n- AI @alice: write the ceph doc\n")
    write(root, "container/20240104.md", "# 2024-01-04\n\n## Pods\n\n- AI @bob: set up registry\n")
    write(root, "container/20240105.md", MTU)
    at_the_root = JOINT.format(team="IAAS", day="2024-01-06") + "## DNS\n\n- Decision: one zone\n"
    write(root, "20240106.md", at_the_root)
    with Archive.open(root, CONFIG) as archive:
        archive.refresh(today=date(2024, 1, 20))
        assert archive.teams() == ["container", "iaas"]
        owed = {a["text"]: a["team"] for a in archive.actions(status="open")}
        assert owed == {
            "write the ceph doc": "iaas",
            "set up registry": "container",
            "check the MTU": "iaas",
        }
        assert [d["team"] for d in archive.decisions()] == ["iaas"]
        digest = build_digest(archive, "2024-01-01", "2024-01-31")
        assert sorted(t.team for t in digest.teams) == ["container", "iaas"]
        records = {r["source"]: r["team"] for r in archive.records()}
        assert records == {
            "iaas/20240103.md": "iaas",
            "container/20240104.md": "container",
            "container/20240105.md": "iaas",
            "20240106.md": "iaas",
        }
    around = Surroundings(date(2024, 1, 20))
    history = history_from_index(TeamSetting(root, "iaas", CONFIG), around)
    assert [r.source for r in history.records] == [
        "iaas/20240103.md",
        "container/20240105.md",
        "20240106.md",
    ]
    agenda = build_agenda(history, around)
    assert sorted(d["text"] for d in agenda.open_debts) == ["check the MTU", "write the ceph doc"]


def test_a_folder_that_comes_later_takes_the_teams_meetings_over(tmp_path: Path) -> None:
    """Tracked as one team: the folder's first meeting closes what the joint meeting opened.
    The joint meeting is filed anew, not parsed again, its digests made anew too (the check
    of every answer's rows found it damaged)."""
    root = tmp_path / "minutes"
    write(root, "container/20240105.md", MTU)
    warnings: list[str] = []
    with Archive.open(root, CONFIG, warnings.append) as archive:
        archive.refresh(today=date(2024, 1, 20))
        assert archive.teams() == ["IaaS"]
        review = "# 2024-01-12\n\n## Review of action items\n\n- @carol check the MTU: done\n"
        write(root, "iaas/20240112.md", review)
        assert archive.refresh(today=date(2024, 1, 20)).parsed == 1
        assert archive.teams() == ["iaas"]
        assert {r["source"]: r["team"] for r in archive.records()} == {
            "container/20240105.md": "iaas",
            "iaas/20240112.md": "iaas",
        }
        assert [(a["team"], a["status"]) for a in archive.actions()] == [("iaas", "done")]
        assert archive.actions(status="open") == []
    assert warnings == []
