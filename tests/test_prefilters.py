"""The cheap tests that let the parser skip a costly pattern must never skip a match."""

from __future__ import annotations

import itertools

import pytest

from minutesbot.records.markdown import markdown, plain_text
from minutesbot.records.phrases import about_a_chore, without_durations
from minutesbot.records.vocabulary import CHORE, DURATION

# Lines of every kind CHORE knows, and lines near them, each in several cases.
LINES = [
    "Minutes: @x",
    "minute taker: @y",
    "Protokoll: @z",
    "protocol by @a",
    "Note taker: @b",
    "Notes-keeping: @c",
    "notes taken by @d",
    "Notes: @e",
    "Scribe: @f",
    "Community call: @g",
    "team-call report",
    "Reporting: @h",
    "reporter: @i",
    "- report: @j",
    "a few minutes late",
    "5 minutes break",
    "Mınutes: @x",  # a dotless i: the pattern matches it, the hint does not need it
    "ſcribe: @k",  # a long s
    "Participants: @x, @y",
    "Discussed the cluster stacks",
]


@pytest.mark.parametrize(
    "line",
    [case(line) for line, case in itertools.product(LINES, (str, str.upper, str.title))],
)
def test_prefilters_agree_with_their_patterns(line: str) -> None:
    assert about_a_chore(line) == bool(CHORE.search(line))
    assert without_durations(line) == DURATION.sub(" ", line)


# Inline contents with a markup character and no partner for it, and with one.
INLINE = [
    "see [1] and [the pad]",
    "[ ] open box",
    "R&D and AT&T",
    "a < b, c <= d",
    "~5 min, ~ later",
    "a [link](https://example.org)",
    "![image](x.png)",
    "&amp; &#35; &#x23;",
    "<https://example.org>",
    "a <b>bold</b> tag",
    "~~struck~~",
    "`code`",
    "*em* and **strong**",
    "snake_case and _em_",
    "escaped \\[",
    "two\nlines [x] & y",
    "a <-\n-> b",
]


@pytest.mark.parametrize("content", INLINE)
def test_plain_text_only_where_markdown_it_reads_text(content: str) -> None:
    (token,) = markdown().parseInline(content)
    kinds = {child.type for child in token.children or []}
    if plain_text(content, {}):
        assert kinds <= {"text", "softbreak", "hardbreak"}
    assert plain_text(content, {"references": {}}) <= plain_text(content, {})
