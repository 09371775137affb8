"""Leaving out the block rules a text cannot match changes none of its tokens.

:func:`minutesbot.records.markdown.block_markdown_for` drops the rules whose
required characters are nowhere in a text (a table without ``|``, a setext
underline or thematic break without a line of its characters). The tokens,
and what markdown-it leaves in ``env``, must be those of the whole rule set,
for texts made of exactly the lines that are near those rules: the same
characters in containers, out of order, indented, lazily continued.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from minutes_strategies import minutes, mutated

from minutesbot.records.markdown import block_markdown, block_markdown_for, idle_block_rules

# Container prefixes, and line bodies near each rule that can be left out.
PREFIXES = ("", " ", "   ", "    ", "\t", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "  ", "> - ")
BODIES = (
    "text",
    "more text",
    "---",
    "- - -",
    "-",
    "--",
    "===",
    "=",
    "***",
    "* * *",
    "___",
    "_ _ _",
    "-=",
    "=-",
    "--- x",
    "| a | b |",
    "|---|---|",
    "--- | ---",
    ":-:|",
    "a | b",
    "```",
    "~~~",
    "```py",
    "``",
    "[x]: /url",
    "[x]:",
    "[a",
    "b]: /u 'title'",
    "[x] : /url",
    "<div>",
    "</div>",
    "<!-- c -->",
    "<https://example.org>",
    "a < b",
    "# heading",
    "#not",
    "> quoted",
    "",
    "1.",
    "10)",
    "x--",
    "N--- y",
)

line = st.tuples(
    st.sampled_from(PREFIXES), st.sampled_from(BODIES), st.sampled_from(("", " ", "\t"))
)
near_rules = st.lists(line.map("".join), min_size=1, max_size=12).map("\n".join)


def assert_same_tokens(text: str) -> None:
    full_env: dict = {}
    chosen_env: dict = {}
    full = block_markdown().parse(text, full_env)
    chosen = block_markdown_for(text).parse(text, chosen_env)
    assert [t.as_dict() for t in chosen] == [t.as_dict() for t in full], sorted(
        idle_block_rules(text)
    )
    assert chosen_env == full_env


@given(near_rules)
def test_lines_near_the_rules(text: str) -> None:
    assert_same_tokens(text)


@given(st.sampled_from(("", "---\n", "-\n", "--- \n", "----\n")), near_rules)
def test_front_matter(start: str, text: str) -> None:
    assert_same_tokens(start + "a: b\n---\n" + text)


@given(minutes())
def test_generated_minutes(text: str) -> None:
    assert_same_tokens(text.replace("\r\n", "\n").replace("\r", "\n"))


@pytest.fixture(scope="module")
def corpus_files(corpus_minutes: Path) -> list[Path]:
    return sorted(corpus_minutes.rglob("*.md"))


def test_real_minutes(corpus_files: list[Path]) -> None:
    idle = 0
    for path in corpus_files:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        assert_same_tokens(text)
        idle += len(idle_block_rules(text))
    assert idle > 4 * len(corpus_files)  # the test tried what it is about


@given(data=st.data())
def test_mutated_real_minutes(corpus_files: list[Path], data: st.DataObject) -> None:
    text = data.draw(mutated(corpus_files))
    assert_same_tokens(text.replace("\r\n", "\n").replace("\r", "\n"))


# A rule's one line, in each kind of container: it must be kept.
KEPT = [
    ("2) ---", "hr"),
    ("10. * * *", "hr"),
    ("> - ___", "hr"),
    ("- a\n\n  >  -", "lheading"),
    ("1) a\n   ===", "lheading"),
    ("> > a\n> > =", "lheading"),
    ("- a |\n  -|-", "table"),
    ("> ~~~\n> x", "fence"),
    ("1. [a]: /b", "reference"),
    ("- <div>", "html_block"),
    ("- > a", "blockquote"),
    ("---\na: b\n---", "front_matter"),
]


@pytest.mark.parametrize(("text", "rule"), KEPT)
def test_a_rule_is_kept_where_its_line_is(text: str, rule: str) -> None:
    assert rule not in idle_block_rules(text)
    assert_same_tokens(text)


# A list item opening the file with dashes in its text (the front matter plugin read one
# as its opening "---").
@pytest.mark.parametrize(
    "text", ["- N--see below\n- AI @x: do\n", "- --- x\ntext", "- x--\n  y\n  ---\n- AI @x: do\n"]
)
def test_dashes_in_a_first_list_item(text: str) -> None:
    assert_same_tokens(text)
    assert not [t for t in block_markdown().parse(text) if t.type == "front_matter"]


def test_what_is_left_out() -> None:
    assert idle_block_rules("# Title\n\n- item\n") == {
        "table",
        "fence",
        "blockquote",
        "reference",
        "html_block",
        "front_matter",
        "hr",
        "lheading",
    }
    assert "lheading" not in idle_block_rules("Title\n=====\n")
    assert "hr" in idle_block_rules("Title\n=====\n")
    assert {"hr", "lheading"}.isdisjoint(idle_block_rules("- a\n  > ---\n"))
    assert "hr" not in idle_block_rules("a\n\n* * *")
    assert "front_matter" not in idle_block_rules("---\ntitle: x\n---\n")
    assert "reference" not in idle_block_rules("[a]: https://example.org\n")
