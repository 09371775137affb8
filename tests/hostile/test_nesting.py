"""Issue 16, point 2: a list nested 10 deep silently dropped the rest of the file.

markdown-it skips everything after a block nested past its ``maxNesting``;
minutesbot raises that limit and reads lists and quotes nested deeper still
as paragraphs (text and lines kept, with a warning), so nothing is lost.
"""

from __future__ import annotations

import pytest

from minutesbot.records.document import read_document
from minutesbot.records.parser import parse_text


def nested(depth: int, last: str = "") -> str:
    items = [f"{'  ' * level}- {level + 1}" for level in range(depth)]
    if last:
        items.append(f"{'  ' * depth}- {last}")
    return "\n".join(
        ["# 2024-04-18", "", "### A", "", *items, "", "### B", "", "- AI @bob: write", ""]
    )


@pytest.mark.parametrize("depth", [10, 12, 16, 17, 40, 300])
def test_a_deep_list_loses_nothing_after_it(depth: int) -> None:
    record = parse_text(nested(depth), source="team/20240418.md")
    assert [i.title for i in record.items] == ["A", "B"]
    assert [(a.owners, a.text, a.line) for a in record.actions] == [(["bob"], "write", depth + 8)]


def test_the_reproducer_of_the_issue_has_no_warning() -> None:
    assert parse_text(nested(10), source="team/20240418.md").warnings == []


def test_an_action_nested_past_the_limit_is_still_read_and_warned_about() -> None:
    record = parse_text(nested(40, "AI @carol: dig deeper"), source="team/20240418.md")
    assert ("carol", "dig deeper", 45) in [(*a.owners, a.text, a.line) for a in record.actions]
    assert [(w.line, "nested this deep" in w.message) for w in record.warnings] == [(21, True)]


@pytest.mark.parametrize("line", [">" * 5000 + " x", "- " * 5000 + "x", "1. " * 3000 + "x"])
def test_one_line_of_nesting_marks_keeps_its_text(line: str) -> None:
    text = f"# 2024-04-18\n\n### A\n\n{line}\n\n### B\n\n- AI @bob: write\n"
    document = read_document(text)
    assert [e.text for e in document.entries][0] == "x"
    assert document.too_deep == 5
    assert [a.text for a in parse_text(text).actions] == ["write"]
