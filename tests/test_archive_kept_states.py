"""A changed file whose actions tracking reads the same keeps its team's states untracked.

Whatever is edited, the states after a refresh are those a fresh index of the
same files has; and an edit of notes alone (the common one) has the refresh
track nothing.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from minutes_tree import write

from minutesbot.archive import Archive
from minutesbot.config import Config

CONFIG = Config(default_owner="acme")
TODAY = date(2026, 11, 29)
# The statement update_tracking starts each team with (and nothing else writes).
RESET = "UPDATE files SET agenda = "


def states(root: Path) -> dict:
    """Every action's state, by place, and each owner's listed/open, as the index has them."""
    conn = sqlite3.connect(root / ".minutesbot" / "index.sqlite")
    try:
        actions = conn.execute(
            "SELECT f.source, a.line, a.closed_source, a.closed_date, a.closed_line, "
            "a.closed_status, r.source || ':' || p.line, a.last_listed, a.closer, a.held, "
            "(SELECT group_concat(o.owner || '=' || o.listed || o.open, ' ') FROM action_owners o "
            " WHERE o.action_id = a.id) "
            "FROM actions a JOIN files f ON f.id = a.file_id "
            "LEFT JOIN actions p ON p.id = a.repeat_of LEFT JOIN files r ON r.id = p.file_id "
            "ORDER BY 1, 2"
        ).fetchall()
        agendas = conn.execute("SELECT source FROM files WHERE agenda ORDER BY 1").fetchall()
    finally:
        conn.close()
    return {"actions": actions, "agendas": agendas}


def refreshed(root: Path, statements: list[str] | None = None, today: date = TODAY) -> dict:
    with Archive.open(root, CONFIG) as archive:
        if statements is not None:
            archive.conn.set_trace_callback(statements.append)
        archive.refresh(today=today)
    return states(root)


def fresh_states(root: Path, where: Path) -> dict:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(root, where, ignore=shutil.ignore_patterns(".minutesbot"))
    return refreshed(where)


def test_notes_edited_keep_the_states_and_track_nothing(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240101.md", "# 2024-01-01\n\n## Docs\n\n- AI @alice: write the docs\n")
    review = "\n\n## Review of action items\n\n- AI @alice: write the docs"
    write(root, "iaas/20240108.md", "# 2024-01-08" + review + " (still open)\n")
    # A review entry without "AI": no action, but it closes one.
    write(
        root,
        "iaas/20240115.md",
        "# 2024-01-15\n\n## Review of action items\n\n- @alice docs: done\n",
    )
    before = refreshed(root)
    assert any(row[2] for row in before["actions"]), "the first writing was closed"
    assert any(row[6] for row in before["actions"]), "the listing repeats the first writing"
    with (root / "iaas/20240101.md").open("a", encoding="utf-8") as f:
        f.write("- the docs live in the wiki\n")
    statements: list[str] = []
    assert refreshed(root, statements) == before
    assert not [s for s in statements if s.startswith(RESET)]

    (root / "iaas/20240101.md").write_text(
        "# 2024-01-01\n\n## Docs\n\n- AI @alice: write the user docs\n", encoding="utf-8"
    )
    statements.clear()
    assert refreshed(root, statements) == fresh_states(root, tmp_path / "fresh")
    assert [s for s in statements if s.startswith(RESET)], "an action changed: tracked again"


CLOSERS = {
    "a review entry": "## Review of action items\n\n- @alice write the docs: done\n",
    "an action": "## Docs\n\n- AI @alice: write the docs (done)\n",
}
EDITS = {
    "its lines moved": lambda text: "\n" + text,
    "its status changed": lambda text: text.replace("done", "still open"),
}


@pytest.mark.parametrize("closer", CLOSERS)
@pytest.mark.parametrize("edit", EDITS)
def test_a_closing_entry_changed_is_tracked_again(tmp_path: Path, closer: str, edit: str) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240101.md", "# 2024-01-01\n\n## Docs\n\n- AI @alice: write the docs\n")
    closing = "# 2024-01-15\n\n" + CLOSERS[closer]
    write(root, "iaas/20240115.md", closing)
    assert refreshed(root)["actions"][0][2] == "iaas/20240115.md"
    write(root, "iaas/20240115.md", EDITS[edit](closing))
    assert refreshed(root) == fresh_states(root, tmp_path / "fresh")


def test_a_meeting_held_since_its_agenda_was_indexed_is_tracked_again(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240101.md", "# 2024-01-01\n\n## Docs\n\n- AI @alice: write the docs\n")
    agenda = "# 2024-01-08\n\n## Review\n\n- AI @alice: write the docs\n"
    write(root, "iaas/20240108.md", agenda)
    with Archive.open(root, CONFIG) as archive:
        archive.refresh(today=date(2024, 1, 5))
    assert states(root)["agendas"] == [("iaas/20240108.md",)]
    write(root, "iaas/20240108.md", agenda + "- a note\n")
    assert refreshed(root) == fresh_states(root, tmp_path / "fresh")
    assert states(root)["agendas"] == []


# A review titled 2024-01-05 in a file named for 2024-01-30: more than two weeks apart, so
# its meeting counts as held on the 30th (records.dates.held_on), as new reads it.
FAR_TITLED = "# 2024-01-05\n\n## Review of action items\n\n- @alice write the docs: done\n"


@pytest.mark.parametrize("edited", [False, True])
def test_a_meeting_held_by_its_file_names_day_closes_when_that_day_came(
    tmp_path: Path, edited: bool
) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240101.md", "# 2024-01-01\n\n## Docs\n\n- AI @alice: write the docs\n")
    write(root, "iaas/20240130.md", FAR_TITLED)
    with Archive.open(root, CONFIG) as archive:
        archive.refresh(today=date(2024, 1, 29))
    # The 30th still to come, and nobody named present: an agenda, which closes nothing.
    assert states(root)["agendas"] == [("iaas/20240130.md",)]
    assert states(root)["actions"][0][2] is None
    if edited:
        write(root, "iaas/20240130.md", FAR_TITLED + "\n## Other\n\nSome words.\n")
    with Archive.open(root, CONFIG) as archive:
        archive.refresh(today=date(2024, 2, 5))
    assert states(root)["actions"][0][2] == "iaas/20240130.md"
    assert states(root)["agendas"] == []


def test_a_title_far_from_the_file_name_does_not_have_its_team_tracked_each_time(
    tmp_path: Path,
) -> None:
    root = tmp_path / "minutes"
    write(root, "iaas/20240101.md", "# 2024-01-01\n\n## Docs\n\n- AI @alice: write the docs\n")
    # Held the 5th; its title's day still to come.
    write(root, "iaas/20240105.md", "# 2024-01-30\n\n## Notes\n\nText.\n")
    write(root, "ops/20240101.md", "# 2024-01-01\n\n## Docs\n\n- AI @bob: fix it\n")
    today = date(2024, 1, 20)
    refreshed(root, today=today)
    for note in range(2):
        write(root, "ops/20240101.md", f"# 2024-01-01\n\n## Docs\n\n- AI @bob: fix it\n\n{note}\n")
        statements: list[str] = []
        refreshed(root, statements, today)
        # A note added in ops tracks no team: not ops (see kept_states), nor iaas.
        assert not [s for s in statements if s.startswith(RESET)]


def _edit(rng: random.Random, root: Path, gone: dict[str, str], step: int) -> None:
    """One edit of a kind editors make: notes, an action's words or status, lines moved, a
    file removed or put back."""
    files = sorted(root.rglob("*.md"))
    path = rng.choice(files)
    lines = path.read_text(encoding="utf-8").split("\n")
    actions = [i for i, line in enumerate(lines) if "@" in line]
    kind = rng.choice(["note", "note", "note", "word", "status", "shift", "remove", "back"])
    if kind == "note":
        lines.append(f"- a note of step {step}")
    elif kind == "word" and actions:
        lines[rng.choice(actions)] += " soon"
    elif kind == "status" and actions:
        lines[rng.choice(actions)] += rng.choice([" (done)", " (dropped)", " - still open"])
    elif kind == "shift":
        lines[1:1] = ["", f"A paragraph of step {step}."]
    elif kind == "remove" and len(files) > 5:
        gone[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
        path.unlink()
        return
    elif kind == "back" and gone:
        source = rng.choice(sorted(gone))
        write(root, source, gone.pop(source))
        return
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("seed", [1, 2])
def test_any_edit_leaves_the_states_of_a_fresh_index(
    corpus_minutes: Path, tmp_path: Path, seed: int
) -> None:
    root = tmp_path / "minutes"
    for path in sorted((corpus_minutes / "sig-standardization").glob("*.md"))[20:50]:
        write(root, f"sig-standardization/{path.name}", path.read_text(encoding="utf-8"))
    refreshed(root)
    rng = random.Random(seed)
    gone: dict[str, str] = {}
    untracked = 0
    for step in range(20):
        _edit(rng, root, gone, step)
        statements: list[str] = []
        assert refreshed(root, statements) == fresh_states(root, tmp_path / "fresh"), step
        untracked += not [s for s in statements if s.startswith(RESET)]
    assert untracked, "some edit kept the states"
