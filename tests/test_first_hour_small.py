"""The small untruths of a newcomer's first hour, each driven through the command (issue 12,
point 9): units, plurals, escaped arrows, search lines, empty answers, a benchmark without
its corpus, links in the docs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ghfake.fixtures import gh_env, ghfake, minutes_repo, run  # noqa: F401
from test_first_hour import Run, corpus_project, minutesbot  # noqa: F401

PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "limit, message",
    [
        (None, "10,485,761 bytes is more than the 10,485,760 bytes"),
        (5000, "5.2 KB is more than the 5.0 KB"),
        (100, "5,214 bytes is more than the 100 bytes"),
    ],
)
def test_a_file_too_big_is_measured_in_a_unit_that_tells_the_sizes_apart(
    minutesbot: Run, corpus_minutes: Path, tmp_path: Path, limit, message
):
    """Never "0.0 MB is more than the 0.0 MB" or "10.5 MB is more than the 10.5 MB"."""
    text = (corpus_minutes / "iaas" / "20240110.md").read_bytes()
    if limit is None:
        text += b"\n" + b"x" * (10 * 1024 * 1024 + 1 - len(text) - 1)
    (tmp_path / "iaas").mkdir()
    (tmp_path / "iaas" / "20240110.md").write_bytes(text)
    (tmp_path / "minutesbot.toml").write_text(
        f"minutes-root = '.'\nmax-file-bytes = {limit}\n" if limit else "minutes-root = '.'\n"
    )
    result = minutesbot("parse", "iaas/20240110.md", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"minutesbot: error: iaas/20240110.md: {message} a minutes file may have "
        "(max-file-bytes in the configuration)\n"
    )


def test_one_unanswered_request_is_no_plural(tmp_path, ghfake, gh_env):
    ghfake.add_issue("acme/stacks#56")
    ghfake.inject("drop", times=None)
    result = run(minutes_repo(tmp_path), {**gh_env, "MINUTESBOT_GITHUB_ATTEMPTS": "1"}, "minutes")
    assert result.exit_code == 1
    assert "GitHub did not answer the request (MINUTESBOT_GITHUB_ATTEMPTS=1)" in result.output
    assert "1 requests" not in result.output


def test_the_agenda_keeps_arrows_as_the_minutes_wrote_them(minutesbot: Run):
    # The agenda after the meeting that wrote the lines (carried actions are the last
    # meeting's, and name an owner).
    agenda = minutesbot("new", "--team", "sig-standardization", "--stdout", "--date", "2023-10-12")
    assert agenda.exit_code == 0, agenda.output
    assert "- AI @mbuechse: adjust scs-0003 (type->scope)\n" in agenda.output
    assert "- AI @maxwolfs: adjust docs page (subject->scope), input from" in agenda.output
    assert "\\>" not in agenda.output


def test_search_lines_read_as_text(minutesbot: Run):
    """No "-:" for a line outside the items, no "Title::", no markdown marks, and a line
    that is the item's own heading is not said twice."""
    lines = {
        query: minutesbot("search", *query.split()).stdout.splitlines()[0]
        for query in ("zuul definitions clear", "capi nested gardener", "re-cap yaook core")
    }
    assert lines == {
        "zuul definitions clear": "2022-11-02  iaas  (outside the items): [Zuul for SCS: all "
        "definitions clear?](https://github.com/SovereignCloudStack/issues/issues/157"
        "#issuecomment-1286898429)  (iaas/20221102.md:26)",
        "capi nested gardener": "2022-12-19  container  Outlook on 2023: work with CAPI and "
        "Gardener (and gridscale and ...)  (container/20221219.md:32)",
        "re-cap yaook core": "2023-05-10  iaas  Re-Cap from yaook/k8s/core meeting  "
        "(iaas/20230510.md:22)",
    }


@pytest.mark.parametrize(
    "args, said",
    [
        (["actions", "--owner", "nobodyhere"], "no action items of @nobodyhere in the minutes"),
        (
            ["actions", "--owner", "@garloff", "--done", "--team", "container"],
            "no action items of @garloff of team container no longer open in the minutes",
        ),
        (
            ["decisions", "--team", "iaas", "--since", "2099-01-01"],
            "no decisions of team iaas since 2099-01-01 in the minutes",
        ),
        (
            ["search", "nothingofthesort"],
            "no item of the minutes holds every word of 'nothingofthesort'",
        ),
        (
            ["history", "cluster-stacks#99999"],
            "sovereigncloudstack/cluster-stacks#99999: no meeting mentions it",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_an_empty_answer_says_so(minutesbot: Run, args, said):
    result = minutesbot(*args)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"minutesbot: {said}"
    assert minutesbot(*args, "--json").output == ""  # a script gets no prose


def test_the_agenda_benchmark_without_its_corpus_says_why(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, str(PROJECT / "benchmarks" / "agenda_recall.py"), str(tmp_path / "no")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"agenda_recall: {tmp_path / 'no'} does not exist: pass ")


def test_the_docs_link_only_to_what_a_clone_has():
    """A link in the README or docs/ to a file of the repository leads to one; nothing points
    into ../shared, which a clone does not have."""
    pages = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        prose = re.sub(r"`[^`\n]*`", "", re.sub(r"(?ms)^```.*?^```", "", text))  # not examples
        for target in re.findall(r"\]\(([^)#?\s]+)[^)]*\)", prose):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(PROJECT)}: {target}")
        broken += [
            f"{page.relative_to(PROJECT)}: `{m}`" for m in re.findall(r"`(shared/[^`]*)`", text)
        ]
    assert not broken, broken
