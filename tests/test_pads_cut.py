"""Cutting one meeting out of a pad, and what normalisation changes (the rules in the module
docstrings of minutesbot.pads.sections and minutesbot.pads.normalise)."""

from __future__ import annotations

from datetime import date

import pytest

from minutesbot.pads.normalise import normalise
from minutesbot.pads.sections import cut_meeting, meeting_day, meetings, newest_first
from minutesbot.pads.transport import PadError

D = date(2024, 5, 16)


@pytest.mark.parametrize(
    "heading, day",
    [
        ("2024-05-16", D),
        ("2022-08-01 IaaS layout discussion", date(2022, 8, 1)),
        ("Cluster Stacks Meeting - 2025-01-28", date(2025, 1, 28)),
        ("SIG standardization & certification 2022-07-28", date(2022, 7, 28)),
        (":calendar: 2024-05-16 (Thursday)", D),
        ("Thursday, 16.05.2024", D),
        ("May 16, 2024", D),
        ("2024-05-16 (moved from 2024-05-09)", D),
        ("R7 (2024-09-04) RCs (@jschoone)", None),
        ("Lightning Talk about ClusterStacks next week (2023-07-03)", None),
        ("Finalizing release notes (@garloff) -> moved to 2025-10-31 meet", None),
        ("R5 on 2023-09-20 highlights (container view)", None),
        ("Participants", None),
        ("2024-02-30", None),
    ],
)
def test_which_headings_name_a_meeting(heading, day):
    assert meeting_day(heading) == day


def pad(*parts: str) -> str:
    return "\n".join(parts)


OLDER = "# 2024-05-09\n\n## Participants\n- @a\n\n## Agenda\n- older topic\n"
THIS = (
    "# 2024-05-16\n\n## Participants\n- @b\n\n# Retro of R6\n- a level-1 section of the "
    "meeting\n\n### R7 (2024-09-04) RCs\n- a topic naming a date\n"
)
NEWER = "# 2024-05-23\n\n## Participants\n- @c\n"


@pytest.mark.parametrize("order", [(NEWER, THIS, OLDER), (OLDER, THIS, NEWER)])
def test_a_meeting_is_cut_from_its_heading_to_the_next_meeting(order):
    text = pad("# Team pad 2024\n\nLinks: https://example.org\n", *order)
    assert cut_meeting(text, D) == THIS


def test_a_heading_above_the_meetings_level_ends_the_last_meeting():
    text = pad(
        "# Team pad", "## 2024-05-09", "- a", "## 2024-05-16", "- b", "", "# Appendix", "- c"
    )
    assert cut_meeting(text, D) == "## 2024-05-16\n- b\n"


def test_levels_may_change_within_a_pad():
    """sig-standardization moved from '# ... DATE' to '## DATE': each meeting ends at the next."""
    text = pad(
        "# SIG standardization & certification 2024-05-09",
        "- a",
        "",
        "## 2024-05-16",
        "### Participants",
        "- b",
        "",
        "# 2024-05-23",
        "- c",
    )
    assert cut_meeting(text, D) == "## 2024-05-16\n### Participants\n- b\n"
    assert (
        cut_meeting(text, date(2024, 5, 9))
        == "# SIG standardization & certification 2024-05-09\n- a\n"
    )


def test_separators_and_blank_lines_between_meetings_are_left_out():
    text = pad(
        "# 2024-05-23",
        "- c",
        "",
        "---",
        "",
        "# 2024-05-16",
        "- b",
        "",
        "***",
        "",
        "",
        "# 2024-05-09",
        "- a",
    )
    assert cut_meeting(text, D) == "# 2024-05-16\n- b\n"
    assert cut_meeting(text, date(2024, 5, 9)) == "# 2024-05-09\n- a\n"


def test_headings_in_code_blocks_and_front_matter_are_no_meetings():
    text = pad(
        "---", "title: 2024-05-23", "---", "# 2024-05-16", "```", "# 2024-05-09", "```", "- b"
    )
    assert [m.day for m in meetings(text)] == [D]
    assert cut_meeting(text, D) == "# 2024-05-16\n```\n# 2024-05-09\n```\n- b\n"


def test_no_meeting_of_the_date_is_an_error_naming_the_nearest():
    with pytest.raises(PadError) as raised:
        cut_meeting(pad(OLDER, NEWER), D, "https://pad/x")
    assert str(raised.value) == (
        "https://pad/x: no meeting headed 2024-05-16 in the pad (nearest: 2024-05-09, 2024-05-23)"
    )
    assert raised.value.reason == "no-meeting"


def test_two_meetings_of_one_date_are_an_error():
    with pytest.raises(PadError, match=r"2 meetings are headed 2024-05-16 \(lines 1, 3\)"):
        cut_meeting(pad("# 2024-05-16", "- a", "# 2024-05-16 overflow", "- b"), D)


def test_a_deeper_heading_of_the_same_date_belongs_to_the_meeting():
    text = pad("# 2024-05-16", "- a", "### 2024-05-16 decisions", "- b", "# 2024-05-09", "- c")
    assert cut_meeting(text, D) == "# 2024-05-16\n- a\n### 2024-05-16 decisions\n- b\n"


def test_the_pads_order_is_told_from_its_dates():
    assert newest_first(meetings(pad(NEWER, THIS, OLDER))) is True
    assert newest_first(meetings(pad(OLDER, THIS, NEWER))) is False
    assert newest_first(meetings(THIS)) is None


# -- normalisation ---------------------------------------------------------------------
def test_template_comments_on_lines_of_their_own_go():
    text = (
        "# 2024-05-16\n<!-- the date of the meeting -->\n\n"
        "## Participants\n\n<!-- add your handle -->\n\n- @a\n"
    )
    assert normalise(text) == "# 2024-05-16\n\n## Participants\n\n- @a\n"


def test_comments_inside_text_and_code_stay():
    text = "- see <!-- not this --> here\n\n```html\n<!-- code -->\n```\n"
    assert normalise(text) == text


def test_trailing_whitespace_goes_but_hard_line_breaks_stay():
    text = "# 2024-05-16 \n\nfirst line  \nsecond line\t\n \n- item   \n\nlast  \n"
    assert normalise(text) == "# 2024-05-16\n\nfirst line  \nsecond line\n\n- item\n\nlast\n"


def test_blank_lines_at_either_end_go_and_one_newline_ends_the_text():
    assert normalise("\n\n# 2024-05-16\n\n\n- a\n\n\n") == "# 2024-05-16\n\n\n- a\n"
    assert normalise("# 2024-05-16\n- a") == "# 2024-05-16\n- a\n"
    assert normalise("\n \n") == ""


@pytest.mark.parametrize(
    "text", [THIS, "a  \n<!-- c -->\nb\n", "x\n\n<!-- 1 -->\n\n<!-- 2 -->\n\ny  \nz\n"]
)
def test_normalisation_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
