"""read_document tokenizes inline content only where markup may be.

Whatever it skips must read exactly as markdown-it-py's full token stream
would: these tests compare each line's plain text with the text of the
inline children that ``markdown()`` (the full configuration) produces.
"""

from __future__ import annotations

import pytest

from minutesbot.records.document import BREAK_TAG, read_document
from minutesbot.records.files import find_minutes_files
from minutesbot.records.markdown import markdown
from minutesbot.records.reading import decode_minutes

SAMPLES = [
    "plain words and a handle @o-otte, 5min",
    "snake_case_names and __init__ and _emphasis_ and a_b_",
    "an escaped \\*star\\* and \\[bracket]",
    "entities &amp; &lt;tag&gt; and a bare & sign",
    "`code with #12` and ``double `tick` code``",
    "~~struck through~~ and ~single~ tildes",
    "*emph* **strong** and a * lone star",
    "a [link](https://github.com/o/r/issues/1) and [ref][r] and [broken](",
    "an ![image alt](x.png) and <https://example.org> and <span>html</span>",
    "arrows -> and => and > quotes and 3 > 2",
    "hard break at the end  \nnext line\\\nthird line",
    "umlauts äöü and emoji :notebook: and π",
    "a line with trailing spaces   \n   and leading spaces",
    "two<br>words and <br/>more, a <font color=red>tag</font>",
]


def _full_texts(text: str) -> list[str]:
    """The plain text of every inline token, as the full token stream has it."""
    out = []
    for token in markdown().parse(text):
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or ():
            if child.type in ("text", "code_inline", "image"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "html_inline" and BREAK_TAG.match(child.content):
                parts.append(" ")
        out.append(" ".join("".join(parts).split()))
    return out


def _read_texts(text: str) -> list[str]:
    doc = read_document(text)
    pieces = [(h.line, " ".join(h.text.split())) for h in doc.headings]
    pieces += [(e.line, " ".join(" ".join(ln.text for ln in e.lines).split())) for e in doc.entries]
    return [t for _, t in sorted(pieces, key=lambda pair: pair[0])]


def _document(body: str) -> str:
    return f"# Title\n\n{body}\n\n- {body}\n\n[r]: https://github.com/o/r/pull/2\n"


@pytest.mark.parametrize("body", SAMPLES)
def test_lines_read_as_the_full_token_stream(body: str) -> None:
    text = _document(body)
    assert _read_texts(text) == _full_texts(text)


def test_link_targets_are_searched_but_link_text_is_not() -> None:
    doc = read_document(
        "See [cluster-stacks#9](https://github.com/o/r/issues/1) and [x][r]\n\n"
        "[r]: https://github.com/o/r/pull/2\n"
    )
    scan = doc.entries[0].lines[0].scan
    assert "https://github.com/o/r/issues/1" in scan
    assert "https://github.com/o/r/pull/2" in scan
    assert "cluster-stacks#9" not in scan


def test_corpus_reads_as_the_full_token_stream(corpus_minutes) -> None:
    for path in find_minutes_files([corpus_minutes]):
        text = decode_minutes(path.read_bytes())[0]
        assert _read_texts(text) == _full_texts(text), path.name
