"""Issue 16, point 15: a paragraph after the list under ``### Agreement:`` hid the list's
decisions; references to issues, pull requests and commits stayed live in backlinks."""

from __future__ import annotations

import re

import pytest
from test_publish_render import LINKS, hostile_record, rendered

from minutesbot.config import Config
from minutesbot.publish.backlinks import Renderer, plan
from minutesbot.records.parser import parse_text


def test_a_paragraph_after_the_list_keeps_the_lists_decisions() -> None:
    text = "# 2024-04-18\n\n## Topic\n\n### Agreement:\n\n- use A\n- use B\n\nWe meet again.\n"
    record = parse_text(text, source="team/20240418.md")
    assert [(d.text, d.line) for d in record.decisions] == [
        ("use A", 7),
        ("use B", 8),
        ("We meet again.", 10),
    ]


def test_a_second_paragraph_of_a_decision_is_no_decision_of_its_own() -> None:
    text = "# 2024-04-18\n\n## Decisions\n\n- use A\n\n  because of B\n- use C\n"
    assert [d.text for d in parse_text(text).decisions] == ["use A", "use C"]


# What GitHub links in the text of a comment (outside code): #N and owner/repo#N, GH-N,
# and a commit hash of 7 or more hex digits (bare, or after user@ or owner/repo@).
GITHUB_REFERENCE = re.compile(
    r"#[0-9]|(?<![\w-])GH-[0-9]|(?<![\w-])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,}",
    re.I,
)
REFERENCES = [
    "see #123",
    "acme/secret#5 is private",
    "GH-77 and gh-78",
    "commit a5c3785ed8d6a35868bc169f07e40e889087fd2e",
    "alice@b5c3785 and acme/x@c5c3785",
    "(#9)",
]


@pytest.mark.parametrize("neutralize", [True, False])
def test_references_in_backlink_text_are_no_links(neutralize: bool) -> None:
    config = Config(default_owner="acme", neutralize_mentions=neutralize)
    [link] = plan(hostile_record(REFERENCES), LINKS, Renderer(config))
    seen = rendered(link.body)
    live = "".join(seen.live_text)
    assert not GITHUB_REFERENCE.search(live), GITHUB_REFERENCE.search(live)
    text = " ".join("".join(seen.all_text).split())
    for reference in REFERENCES:  # still there, to read
        assert f"Decision: use {reference}" in text


def test_dates_and_words_stay_plain_text() -> None:
    renderer = Renderer(Config())
    assert (
        renderer.text("the 20240418 call: deadbeef facade") == "the 20240418 call: deadbeef facade"
    )
