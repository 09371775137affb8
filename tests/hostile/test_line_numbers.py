"""Issue 16, point 14: line numbers drifted after inline markup over several lines, and a
file with lone CR line ends was numbered past its end.

A line break inside a code span, an HTML tag, a link title or an image's text is
no break of the paragraph's text; the lines after it are numbered from where
they stand in the source.
"""

from __future__ import annotations

import pytest

from minutesbot.records.parser import parse_text

SPREAD = {
    "tag": 'Some <span\nclass="x"\nid="y">text</span> here',
    "link title": 'See [x](https://e.org "a\nb\nc") now',
    "code span": "Run `a\nb\nc` now",
    "image text": "An ![a\nb\nc](https://e.org/i.png) now",
    "setext heading": "### T\n\nSetext *heading\nover* three\nlines\n---",
    "escaped break and emphasis": "An *x*\\\nb **y\nz**",
}


@pytest.mark.parametrize("markup", SPREAD.values(), ids=SPREAD.keys())
def test_lines_after_spread_markup_stay_put(markup: str) -> None:
    text = f"# 2024-04-18\n\n### T\n\n{markup}\nAI @bob: next line\n\n### U\n\nAI @carol: after\n"
    lines = text.split("\n")
    record = parse_text(text, source="team/20240418.md")
    found = {a.text: lines[a.line - 1] for a in record.actions}
    assert found == {"next line": "AI @bob: next line", "after": "AI @carol: after"}


def test_refs_inside_a_spread_paragraph_keep_their_line() -> None:
    text = "# 2024-04-18\n\n### T\n\nRun `a\nb` and <i\nclass='x'>see</i>\nacme/x#5 now\n"
    record = parse_text(text, source="team/20240418.md", default_owner="acme")
    assert [(r.ref, r.lines) for r in record.issues] == [("acme/x#5", [8])]


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_every_line_end_numbers_alike(end: str) -> None:
    text = end.join(["# 2024-04-18", "", "### T", "", "AI @bob: x", "", "AI @carol: y", ""])
    record = parse_text(text, source="team/20240418.md")
    assert [(a.text, a.line) for a in record.actions] == [("x", 5), ("y", 7)]
    assert record.line_count == 7
    assert [(i.title, i.line, i.end_line) for i in record.items] == [("T", 3, 7)]
