"""``minutesbot new`` carries what is still open, and the agenda parses back to it."""

from __future__ import annotations

from pathlib import Path

from agenda_fixtures import new, repo, write  # noqa: F401  (fixtures)

from minutesbot.records.parser import parse_text, read_file
from minutesbot.records.tracking import track_actions

WEEK1 = """
# 2024-04-04

## Participants
- @alice
- @bob
- @carol

## Housekeeping
Report in the community call: @alice
Responsible for the minutes: @bob

## Agenda

### Cluster upgrades (@alice)
- AI @alice: write the upgrade guide for `v1.2` with *care*
- AI @bob, @carol: review [the PR](https://github.com/acme/stacks/pull/12) of snake_case_names
- AI @carol: ask the _vendor_ about [prices] if cost < 5
- AI @dave: fix the flaky test \\ twice

### Vision of the new layer (@carol)
- postponed

### Security review (@bob)
- moved to next week
"""

WEEK2 = """
# 2024-04-11

## Participants
- @alice
- @bob

## Housekeeping
Report in the community call: @carol
Responsible for the minutes: @alice

## Pending action items
- AI @alice: write the upgrade guide for v1.2 with care
  - done
- AI @bob, @carol: review [the PR](https://github.com/acme/stacks/pull/12) of snake_case_names
- @carol: ask the _vendor_ about [prices] if cost < 5
- AI @dave: fix the flaky test \\ twice
  - dropped

## Agenda

### Security review (@bob)
- discussed at length, decision taken
- AI @bob: patch the CVE

### Vision of the new layer (@carol)
- not discussed, next time

### Minor topic
- @carol won't be available next week
- @bob on vacation until 2024-04-16
- nothing else to report
"""


def _history(write) -> None:
    write("minutes/team/20240404.md", WEEK1)
    write("minutes/team/20240411.md", WEEK2)


def _agenda_text(write, new) -> str:
    """The agenda for 2024-04-18 after the two meetings above, printed."""
    _history(write)
    result = new("--team", "team", "--date", "2024-04-18", "--stdout")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_open_actions_round_trip(repo: Path, write, new) -> None:
    _history(write)
    result = new("--team", "team", "--date", "2024-04-18")
    assert result.exit_code == 0, result.output
    target = repo / "minutes" / "team" / "20240418.md"
    generated = read_file(target, root=repo / "minutes").record
    history = [
        read_file(repo / "minutes" / "team" / name, root=repo / "minutes").record
        for name in ("20240404.md", "20240411.md")
    ]
    still_open = {
        (tuple(t.action.owners), " ".join(t.action.text.split()))
        for t in track_actions(history)
        if t.status == "open"
    }
    carried = {(tuple(a.owners), a.text) for a in generated.actions}
    assert still_open == carried
    assert all(a.status == "open" for a in generated.actions)
    assert all(a.item == "Pending action items" for a in generated.actions)
    texts = {a.text for a in generated.actions}
    assert "write the upgrade guide for v1.2 with care" not in texts  # done a week later
    assert "fix the flaky test \\ twice" not in texts  # dropped
    assert "ask the vendor about [prices] if cost < 5" in texts  # markup read back as written
    assert "review the PR of snake_case_names" in texts


def test_carried_action_says_where_it_came_from(repo: Path, write, new) -> None:
    lines = _agenda_text(write, new).splitlines()
    at = lines.index("- AI @bob, @carol: review the PR of snake_case_names")
    assert lines[at + 1] == (
        "  - from [2024-04-04](20240404.md?plain=1#L16), 2 meetings ago, last listed 2024-04-11; "
        "[acme/stacks#12](https://github.com/acme/stacks/pull/12)"
    )
    assert "_Offline: issue states not checked (no GITHUB_TOKEN)._" in lines


def test_put_off_topics_and_absences(repo: Path, write, new) -> None:
    text = _agenda_text(write, new)
    assert (
        "### Vision of the new layer (@carol)\n\n"
        "- carried since 2024-04-04 (2 meetings), "
        "put off in [2024-04-04](20240404.md?plain=1#L20)\n"
    ) in text
    assert "Security review" not in text  # put off once, discussed the week after
    assert "@carol: away 2024-04-15 to 2024-04-21" in text
    assert "@bob" not in text.split("Known to be away")[1].split("##")[0]  # back on the 16th
    record = parse_text(text, source="team/20240418.md")
    assert [p.handle for p in record.participants] == []
    assert record.absences == []  # the agenda does not say it again for later weeks
    assert "Vision of the new layer" in [i.title for i in record.items]


def test_roles_rotate_to_who_did_it_least_recently(repo: Path, write, new) -> None:
    text = _agenda_text(write, new)
    # alice reported on 04-04, carol on 04-11 (not a regular: once in two); bob never did.
    assert "- Report in the community call: @bob (suggested: never done it)" in text
    # bob took the minutes on 04-04, alice on 04-11.
    assert "- Responsible for the minutes: @bob (suggested: last did it 2024-04-04)" in text
    record = parse_text(text, source="team/20240418.md")
    assert record.roles == {"reporter": ["bob"], "minutes": ["bob"]}


def test_layout_follows_the_latest_minutes(repo: Path, write, new) -> None:
    write(
        "minutes/team/20240404.md",
        """
        ## 2024-04-04

        ### :family: Participants (handles preferred)
        - @alice

        ### :notebook: Agenda

        NOTE: topics without a sponsor are not discussed.

        #### Topic (@alice)
        - AI @alice: do it
        """,
    )
    result = new("--date", "2024-04-11", "--stdout")
    assert result.exit_code == 0, result.output
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings == [
        "## 2024-04-11",
        "### :family: Participants (handles preferred)",
        "### Pending action items",
        "### :notebook: Agenda",
    ]
    assert "NOTE: topics without a sponsor are not discussed." in result.stdout
    assert "Topic" not in result.stdout.replace("topics", "")


def test_standing_topics_come_back_as_empty_headings(write, new) -> None:
    for day, extra in (
        ("2024-04-04", "### Hackathon\n- planned\n"),
        ("2024-04-11", ""),
        ("2024-04-18", ""),
    ):
        write(
            f"minutes/team/{day.replace('-', '')}.md",
            f"# {day}\n\n## Agenda\n\n### Ongoing work (@alice, 5min)\n- fine\n\n{extra}",
        )
    result = new("--date", "2024-04-25", "--stdout")
    assert result.exit_code == 0, result.output
    body, _, last_line = result.stdout.rstrip("\n").rpartition("\n\n")
    assert body.endswith("## Agenda\n\n### Ongoing work (@alice)")
    assert last_line.startswith("<!-- minutesbot new: 0 open action items left out")


def test_one_place_for_each_carried_thing(write, new) -> None:
    write(
        "minutes/team/20240404.md",
        """
        # 2024-04-04

        ## Check AIs from last time
        - AI @alice: fix the old one

        ## Pending action items
        - AI @bob: fix the other one

        ## Agenda
        ### Topic
        - postponed

        ## Breakouts
        ### Room A
        - notes

        ### Postponed to next week
        - some topic
        - another one
        - a third
        """,
    )
    text = new("--date", "2024-04-11", "--stdout").stdout
    assert text.count("- AI @alice: fix the old one") == 1
    assert text.count("### Topic") == 1
    assert "Pending action items" not in text and "Breakouts" not in text
    assert "Postponed" not in text


def test_actions_the_latest_review_left_out_are_not_carried(write, new) -> None:
    write(
        "minutes/team/20240404.md",
        "# 2024-04-04\n\n## Participants\n- @alice\n\n## Agenda\n\n"
        "### Topic\n- AI @alice: write the upgrade guide\n- AI @bob: order the new hardware\n"
        "- AI @carol: ask the vendor about prices\n",
    )
    write(
        "minutes/team/20240411.md",
        "# 2024-04-11\n\n## Participants\n- @alice\n\n"
        "## Check AIs from last time\n- @alice: write the upgrade guide ✅\n"
        "- @bob: order the new hardware\n  - ongoing\n\n## Agenda\n\n### Other\n- notes\n",
    )
    text = new("--date", "2024-04-18", "--stdout").stdout
    actions = [line for line in text.splitlines() if line.startswith("- AI ")]
    assert actions == ["- AI @bob: order the new hardware"]
