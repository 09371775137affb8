"""Issue 16, point 9: parsing did quadratic work on long lines and long lists.

One line ``x#0 ... x#79999`` (629 KB) took 88 s and 40,000 ``- @uN`` lines
under a chore heading 24 s: each ref and each name was looked up in a list of
all before it. The work is counted, not timed (``work_counter``): doubling the
input may at most (about) double it. ``benchmarks/parse.py --hostile`` times
the full-size inputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from work_counter import measure

# Work may grow 10 % faster than the text (which grows a little more than twice: the
# numbers get longer); quadratic work grows about four times.
SLACK = 1.1
# The file's head, then a part repeated n times ({i} its number).
SHAPES = {
    "refs on one line": ("### T\n\n", "x#{i} "),
    "names under a chore heading": ("## Minutes\n\n", "- @u{i}\n"),
    "a chore table": ("## Housekeeping\n\n| Chore | Who |\n|---|---|\n", "| Minutes | @u{i} |\n"),
    "one ref on every line": ("### T\n\n", "- see acme/x#5 and @u{i}\n"),
    "a long review of actions": ("## Review of action items\n\n", "- AI @u{i}: task {i} done\n"),
    "markers, each over its list": (
        "## T\n\n",
        "Action items:\n\n- @u{i} task {i}\n\nDecision:\n\n- d{i}\n\n",
    ),
    "a marker in each item of a list": ("## T\n\n", "- item {i}\n\n  Decision:\n"),
}
SCRIPT = """
from minutesbot.records.document import read_document
from minutesbot.records.parser import parse_document

def work(n):
    head, part = {shape!r}
    text = "# 2024-04-18\\n\\n" + head + "".join(part.format(i=i) for i in range(n))
    def parse():
        document = read_document(text)
        parse_document(  # the record's review included
            document, source="team/20240418.md", team="team", default_owner="acme", team_repo=None
        )
    return [count(parse), len(text)]

report([work(1000), work(2000)])
"""


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_parsing_work_grows_linearly(shape: tuple[str, str], project_dir: Path) -> None:
    (small, small_size), (large, large_size) = measure(SCRIPT.format(shape=shape), project_dir)
    assert small > 0, "no work counted: the package was not loaded through the counting loader"
    grown = large_size / small_size
    assert large <= SLACK * grown * small, (
        f"work x{large / small:.2f} when the text grows x{grown:.2f}"
    )
