"""Properties of the parser over generated minutes and damaged real ones.

- no exception, whatever the markdown;
- every line number a record gives lies inside the file, and an action's
  line holds its words (no drift);
- a block that says nothing (plain words, a list, a table, code, HTML) added
  before a heading never loses an item or an action anywhere;
- ``minutesbot new``'s agenda parses back to the actions it carried, and an
  agenda written again from it carries the same ones.

The budget comes from the Hypothesis profile (``minutes_strategies``): small
by default, ``MINUTESBOT_FUZZ=long`` for the run before a release.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from minutes_strategies import minutes, mutated, nested_list, unrelated_block

from minutesbot.config import Config
from minutesbot.records.document import read_document
from minutesbot.records.parser import parse_text
from minutesbot.records.record import Record


def line_numbers(record: Record) -> list[tuple[str, int]]:
    found = [("item", i.line) for i in record.items] + [
        ("item end", i.end_line) for i in record.items
    ]
    found += [("action", a.line) for a in record.actions] + [
        ("decision", d.line) for d in record.decisions
    ]
    found += [("absence", a.line) for a in record.absences]
    found += [("ref", n) for r in record.issues for n in r.lines]
    found += [("warning", w.line) for w in record.warnings if w.line is not None]
    return found


def check_lines(text: str, record: Record) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a lone CR ends a line too
    lines = text.split("\n")
    last = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    for what, number in line_numbers(record):
        assert 1 <= number <= last, f"{what} at line {number} of {last}"
    for action in record.actions:
        # From its line to the end of its paragraph: markup (a tag, a link title) may run
        # over the line ends.
        paragraph = "\n".join(lines[action.line - 1 : action.line + 8]).split("\n\n")[0]
        source = " ".join(paragraph.split("\n"))
        words = [w for w in re.findall(r"[A-Za-z]{4,}", action.text) if w in source]
        assert words or not re.search(r"[A-Za-z]{4,}", action.text), (
            f"action {action.text!r} reported at line {action.line}: {source!r}"
        )


@pytest.fixture(scope="module")
def corpus_files(corpus_minutes: Path) -> list[Path]:
    return sorted(corpus_minutes.rglob("*.md"))


@given(text=minutes())
def test_generated_minutes_parse(text: str) -> None:
    check_lines(text, parse_text(text, source="team/20240418.md", default_owner="acme"))


@given(data=st.data())
def test_damaged_real_minutes_parse(corpus_files: list[Path], data: st.DataObject) -> None:
    text = data.draw(mutated(corpus_files))
    check_lines(text, parse_text(text, source="team/20240418.md", default_owner="acme"))


def _kept(record: Record) -> tuple[Counter, Counter]:
    return (
        Counter(i.title for i in record.items),
        Counter((tuple(a.owners), a.text, a.status) for a in record.actions),
    )


def _insert_before_heading(text: str, block: str, which: int) -> str | None:
    """``block`` put before a real ATX heading (not one inside code), set apart by blank lines
    (line ends folded to LF, as the parser reads them)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [
        h.line
        for h in read_document(text).headings[1:]
        if lines[h.line - 1].lstrip().startswith("#")
    ]
    if not starts:
        return None
    at = starts[which % len(starts)] - 1
    return "\n".join([*lines[:at], "", block, "", *lines[at:]])


def check_unrelated_block(text: str, block: str, which: int) -> None:
    changed = _insert_before_heading(text, block, which)
    if changed is None:
        return
    items, actions = _kept(parse_text(text, source="team/20240418.md"))
    record = parse_text(changed, source="team/20240418.md")
    check_lines(changed, record)
    items_after, actions_after = _kept(record)
    assert not items - items_after, f"items lost: {items - items_after}"
    assert not actions - actions_after, f"actions lost: {actions - actions_after}"


@given(text=minutes(), block=unrelated_block, which=st.integers(0, 50))
def test_unrelated_block_loses_nothing(text: str, block: str, which: int) -> None:
    check_unrelated_block(text, block, which)


@given(data=st.data(), block=unrelated_block, which=st.integers(0, 50))
def test_unrelated_block_loses_nothing_in_real_minutes(
    corpus_files: list[Path], data: st.DataObject, block: str, which: int
) -> None:
    check_unrelated_block(
        data.draw(st.sampled_from(corpus_files)).read_text(encoding="utf-8"), block, which
    )


def _carried(prepared) -> set[tuple[tuple[str, ...], str]]:
    return {(tuple(a.owners), " ".join(a.text.split())) for a in prepared.agenda.actions}


@st.composite
def last_meeting(draw: st.DrawFn) -> str:
    """Minutes ``new`` reads: topics of nested lists below an agenda heading, or a whole
    generated file."""
    items = draw(st.lists(nested_list(), min_size=1, max_size=4))
    body = "\n\n".join(f"### Topic {n}\n\n{item}" for n, item in enumerate(items))
    return draw(st.one_of(st.just(f"# 2024-04-18\n\n## Agenda\n\n{body}\n"), minutes()))


@given(text=last_meeting())
def test_agenda_parses_back_to_what_it_carried(text: str) -> None:
    from minutesbot.agenda.prepare import prepare_agenda
    from minutesbot.surroundings import Surroundings
    from minutesbot.teams import TeamSetting

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "minutes"
        (root / "team").mkdir(parents=True)
        (root / "team" / "20240418.md").write_text(text, encoding="utf-8")
        config = Config(base_dir=Path(folder))
        setting = TeamSetting(root, "team", config)
        first = prepare_agenda(setting, Surroundings(date(2024, 4, 25), env={}), date(2024, 4, 25))
        parsed = parse_text(first.text, source="team/20240425.md")
        check_lines(first.text, parsed)
        assert {
            (tuple(a.owners), a.text) for a in parsed.actions if a.status == "open"
        } == _carried(first)
        (root / "team" / "20240425.md").write_text(first.text, encoding="utf-8")
        second = prepare_agenda(setting, Surroundings(date(2024, 5, 2), env={}), date(2024, 5, 2))
        assert _carried(second) == _carried(first)
