"""Topics put off: which items count, and how long they are carried."""

from __future__ import annotations

from pathlib import Path

import pytest
from agenda_fixtures import new, repo, write  # noqa: F401  (fixtures)

from minutesbot.records.items import put_off as put_off_phrase


def _meeting(day: str, agenda: str) -> str:
    return f"# {day}\n\n## Participants\n- @alice\n\n## Agenda\n{agenda}"


def _carried(write, new, *meetings: tuple[str, str], date: str = "2024-05-02") -> list[str]:
    """The put-off topics of the agenda for ``date`` after ``meetings`` (day, agenda text)."""
    for day, agenda in meetings:
        write(f"minutes/team/{day.replace('-', '')}.md", _meeting(day, agenda))
    result = new("--team", "team", "--date", date, "--stdout")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    return [lines[i - 2] for i, line in enumerate(lines) if line.startswith("- carried since")]


@pytest.mark.parametrize(
    "title, notes, phrase",
    [
        (
            "Container meetings (@x) (not discussed - postponed)",
            ["Bi-weekly", "Even weeks"],
            "not discussed",
        ),
        (
            "Ongoing work (@x) -> moved to the next meeting",
            ["Release patch versions"],
            "moved to the next",
        ),
        ("Ongoing work -> moved to 2025-10-31 meet", [], "moved to 2025-10-31"),
        ("Topic - skipped", [], "skipped"),
        ("Vision of the new layer", ["not discussed yet"], "not discussed"),
        (
            "Reverse DNS",
            ["https://github.com/osism/issues/issues/547", "skipped @y is needed for this"],
            "skipped",
        ),
        (
            "Testbed",
            ["Issue #95 Testbed setup with multiple Keycloaks", "skipped. @y not present."],
            "skipped",
        ),
        (
            "Secure connections",
            [
                "sponsor: @x",
                "see https://docs.example/scs-0125",
                "currently draft",
                "postponed to the next meeting for lack of time",
            ],
            "postponed",
        ),
        (
            "Tang/Clevis",
            ["(not discussed, because the sponsor wasn't present; moved to next meeting)"],
            "not discussed",
        ),
    ],
)
def test_put_off_as_a_whole(title: str, notes: list[str], phrase: str) -> None:
    assert put_off_phrase(title, notes) == phrase


@pytest.mark.parametrize(
    "title, notes",
    [
        (
            "Meeting slot / next meeting",
            ["cadence: weekly", "keep Thursday slot for the time being"],
        ),
        ("Meeting slot for next meeting", ["keep Thursday"]),
        ("Last week VP04: create attacker models until next meeting", ["Man in the middle"]),
        (
            "DNS breakout session postponed",
            ["Breakout session has been moved to 2024-06-24 (15:00)!"],
        ),
        (
            "Fix etcd backup",
            ["Need a new discussion", "AI @x, open issue, enablement should be postponed to R5"],
        ),
        (
            "Certification table",
            [
                "see PR standards/#600",
                "update this branch",
                "also state the region",
                "postpone this PR, discuss ultimate problem: why don't CSPs seem to care?",
            ],
        ),
        (
            "Place for conformance tests",
            [
                "currently in Docs",
                "keep them in Docs?",
                "or in Tests?",
                "-> Postpone until we have more clarity on the framework",
            ],
        ),
        (
            "Integrator docs",
            ["Moved to https://github.com/acme/standards/issues/1005", "docs missing"],
        ),
        ("Topic (postponed from last week)", ["we agreed on it"]),
        ("Holidays", ["Next week: public holiday"]),
    ],
)
def test_discussed_not_put_off(title: str, notes: list[str]) -> None:
    assert put_off_phrase(title, notes) is None


def test_carried_until_discussed(write, new) -> None:
    assert _carried(write, new, ("2024-04-11", "### Vision (@carol)\n- not discussed\n")) == [
        "### Vision (@carol)"
    ]
    assert _carried(write, new, ("2024-04-18", "### Vision (@carol)\n- postponed again\n")) == [
        "### Vision (@carol)"
    ]
    assert (
        _carried(write, new, ("2024-04-25", "### Vision (@carol)\n- we agreed on a plan\n")) == []
    )


def test_a_call_without_the_heading_dropped_it(write, new) -> None:
    assert (
        _carried(
            write,
            new,
            ("2024-04-11", "### Vision\n- not discussed\n"),
            ("2024-04-18", "### Other\n- notes\n"),
        )
        == []
    )


def test_a_side_meeting_does_not_drop_it(write, new) -> None:
    write("minutes/team/20240415-workshop.md", _meeting("2024-04-15", "### Hands-on\n- notes\n"))
    assert _carried(write, new, ("2024-04-11", "### Vision\n- not discussed\n")) == ["### Vision"]


def test_the_agenda_left_as_written_keeps_it_carried(repo: Path, write, new) -> None:
    write(
        "minutes/team/20240411.md", _meeting("2024-04-11", "### Vision (@carol)\n- not discussed\n")
    )
    assert new("--team", "team", "--date", "2024-04-18").exit_code == 0
    held = repo / "minutes" / "team" / "20240418.md"
    held.write_text(held.read_text().replace("- (add yourself)", "- @alice"))
    result = new("--team", "team", "--date", "2024-04-25", "--stdout")
    assert "### Vision (@carol)\n\n- carried since 2024-04-11 (2 meetings)" in result.stdout


def test_topics_under_a_postponed_heading(write, new) -> None:
    assert _carried(
        write,
        new,
        (
            "2024-04-11",
            "### Postponed agenda items for next week\n"
            "- Deprecation of Clevis/Tang service (@berendt)\n"
            "- Enablement & migration to ProxySQL (@berendt)\n",
        ),
    ) == [
        "### Deprecation of Clevis/Tang service (@berendt)",
        "### Enablement & migration to ProxySQL (@berendt)",
    ]
