"""The spec's rules, one by one, on minutes written for the test."""

from __future__ import annotations

import textwrap

import pytest

from minutesbot.records.parser import parse_text
from minutesbot.records.refs import RefError, parse_ref, refs_in


def parse(text: str, **kwargs):
    kwargs.setdefault("default_owner", "SovereignCloudStack")
    kwargs.setdefault("source", "team/20240418.md")
    return parse_text(textwrap.dedent(text).lstrip("\n"), **kwargs)


MEETING = """
# Team Widgets 2024-04-18

## :family: Participants (github handles preferred)

- @Alice
- ed (@itrich)
- Kurt
- ~~@gone~~
- ...
- (add yourself)
- @alice

## Housekeeping

- Who is reporting in the community call? 404 - No volunteer found
- Responsible for the minutes (writing and transfer to github): @bob
- @carol won't be available next week

## :notebook: Agenda

### Harbor upgrade (@chess-knight ~3min)

sponsor: @dave

- Pushed [k8s-harbor#62](https://github.com/SovereignCloudStack/k8s-harbor/issues/62)
- see also cluster-stacks#56 and `standards#1` and PR#232
- AI @alice: write the notes
    - done
- _AI @bob, @carol to review it_
- [x] @dave: close the ticket
- [ ] poll: who likes tea?
- Decision: we upgrade next sprint
- Decision needed: which registry?

### Consolidate folder structure (@b1, πmin)

```
AI @nobody: not an action, it is code
https://github.com/a/b/issues/9
```

Decision:
- first thing
- second thing

### Empty heading

### Child topic (@x/@y 10 min)

- TODO: Testbed enablement (@rautenberg)
- Fix the docs (AI @erin)
"""


def test_date_title_and_team():
    record = parse(MEETING, team="widgets")
    assert record.date == "2024-04-18"
    assert record.title == "Team Widgets 2024-04-18"
    assert record.team == "widgets"


def test_participants_in_order_once_each_without_placeholders():
    record = parse(MEETING)
    assert [(p.handle, p.name) for p in record.participants] == [
        ("alice", None),
        ("itrich", "ed"),
        (None, "Kurt"),
    ]


def test_roles_and_absences():
    record = parse(MEETING)
    assert record.roles == {"reporter": [], "minutes": ["bob"]}
    assert [(a.who, a.text) for a in record.absences] == [("carol", "won't be available next week")]


def test_items_titles_paths_owners_timeboxes():
    record = parse(MEETING)
    got = [(i.title, i.path, i.owners, i.timebox) for i in record.items]
    assert got == [
        ("Harbor upgrade", ["Agenda"], ["chess-knight", "dave"], 3),
        ("Consolidate folder structure", ["Agenda"], ["b1"], None),
        ("Child topic", ["Agenda"], ["x", "y"], 10),
    ]


def test_refs_links_short_refs_and_exclusions():
    record = parse(MEETING)
    assert [(r.ref, r.kind) for r in record.issues] == [
        ("sovereigncloudstack/k8s-harbor#62", "issue"),
        ("sovereigncloudstack/cluster-stacks#56", "issue"),
    ]
    assert record.items[0].issues == [
        "sovereigncloudstack/k8s-harbor#62",
        "sovereigncloudstack/cluster-stacks#56",
    ]


def test_actions_owners_status_and_items():
    record = parse(MEETING)
    got = [(a.owners, a.text, a.status, a.item) for a in record.actions]
    assert got == [
        (["alice"], "write the notes", "done", "Harbor upgrade"),
        (["bob", "carol"], "review it", "open", "Harbor upgrade"),
        (["dave"], "close the ticket", "done", "Harbor upgrade"),
        ([], "Testbed enablement (@rautenberg)", "open", "Child topic"),
        (["erin"], "Fix the docs", "open", "Child topic"),
    ]


def test_decisions_with_and_without_text():
    record = parse(MEETING)
    assert [(d.text, d.item) for d in record.decisions] == [
        ("we upgrade next sprint", "Harbor upgrade"),
        ("first thing", "Consolidate folder structure"),
        ("second thing", "Consolidate folder structure"),
    ]


def test_item_body_ranges():
    record = parse(MEETING)
    first = record.items[0]
    assert first.line == 21
    assert first.end_line == 33


@pytest.mark.parametrize(
    "status_line, status",
    [
        ("- AI @a: do it - DONE", "done"),
        ("- AI @a: do it (done)", "done"),
        ("- ~~AI @a: do it~~", "done"),
        ("- AI @a: do it\n    - erledigt", "done"),
        ("- AI @a: do it (obsolete)", "dropped"),
        ("- AI @a: do it\n    - won't do", "dropped"),
        ("- AI @a: do it\n  - superseded by comments in PR", "dropped"),  # sig-std 2026-02-12
        ("- AI @a: check whether this can be done soon", "open"),
        ("- AI @a: remove obsolete images", "open"),
    ],
)
def test_action_status(status_line, status):
    record = parse(f"# 2024-01-01\n\n## Topic\n\n{status_line}\n")
    assert [a.status for a in record.actions] == [status]


@pytest.mark.parametrize(
    "heading, date",
    [
        ("# 2024-04-18", "2024-04-18"),
        ("## 18.04.2024", "2024-04-18"),
        ("# Team IaaS 2024-11-27", "2024-11-27"),
        ("# April 18, 2024", "2024-04-18"),
        ("# 18 April 2024", "2024-04-18"),
        ("# Weekly call", "2023-01-02"),
    ],
)
def test_dates(heading, date):
    assert parse(f"{heading}\n\ntext\n", source="t/20230102.md").date == date


def test_no_date_anywhere_is_null_with_a_warning():
    record = parse("# Weekly call\n\ntext\n", source="t/notes.md")
    assert record.date is None
    assert any("no meeting date" in w.message for w in record.warnings)


def test_participants_line_before_first_item():
    record = parse("""
    # 2024-01-01

    Participants: @a, Bea, @c

    ## Topic

    - Participants: @breakout
    """)
    assert [p.key for p in record.participants] == ["a", "bea", "c"]


def test_participants_as_lines_of_a_paragraph():
    """A section without list markers: a person (or a comma-separated few) per line."""
    record = parse("""
    # 2024-01-01

    ## Participants (github handles preferred)
    @garloff
    Alice Smith, Bob, Eduard van Bergen
    ed (@itrich)

    ## Topic

    - text
    """)
    assert [(p.handle, p.name) for p in record.participants] == [
        ("garloff", None),
        (None, "Alice Smith"),
        (None, "Bob"),
        (None, "Eduard van Bergen"),
        ("itrich", "ed"),
    ]


def test_prose_in_a_participants_section_is_nobody():
    record = parse("""
    # 2024-01-01

    ## Participants

    Please add yourself below, github handles preferred.

    ## Topic

    - text
    """)
    assert record.participants == []


def test_participants_table_first_column():
    record = parse("""
    # 2024-01-01

    ## Attendees

    | Name | Organisation |
    |------|--------------|
    | @alice | A Corp |
    | Bob Builder | B GmbH |
    | ~~@gone~~ | C AG |

    ## Topic

    | @not-a-participant | text |
    |---|---|
    """)
    assert [(p.handle, p.name) for p in record.participants] == [
        ("alice", None),
        (None, "Bob Builder"),
    ]


def test_one_line_naming_both_chores():
    record = parse("""
    # 2024-01-01

    ## Community call report and minutes transfer to github
    @garloff

    ## Agenda

    - nothing
    """)
    assert record.roles == {"reporter": ["garloff"], "minutes": ["garloff"]}


def test_chores_for_a_later_meeting_are_not_roles():
    record = parse("""
    # 2024-01-01

    ## Housekeeping

    - Responsible for the minutes next week: @later

    ## Topic

    - text
    """)
    assert "minutes" not in record.roles


def test_bare_number_needs_a_team_repository():
    text = "# 2024-01-01\n\n## Topic\n\n- see #12 and issue#3\n"
    assert parse(text).issues == []
    record = parse(text, team_repo="Org/Repo")
    assert [r.ref for r in record.issues] == ["org/repo#12"]


def test_organisation_discussions_and_pull_kind():
    found = refs_in(
        "https://github.com/orgs/SCS/discussions/4 and https://github.com/a/b/pull/7/files#diff",
        None,
    )
    assert [(r.ref, r.kind) for r in found] == [("orgs/scs#4", "discussion"), ("a/b#7", "pull")]


def test_refs_ignore_link_text_but_read_link_target():
    record = parse("# 2024-01-01\n\n## T\n\n- [other#5](https://github.com/o/r/issues/6)\n")
    assert [r.ref for r in record.issues] == ["o/r#6"]


@pytest.mark.parametrize(
    "given, expected",
    [
        ("cluster-stacks#56", "sovereigncloudstack/cluster-stacks#56"),
        ("SovereignCloudStack/Cluster-Stacks#56", "sovereigncloudstack/cluster-stacks#56"),
        (
            "https://github.com/SovereignCloudStack/cluster-stacks/pull/56/files",
            "sovereigncloudstack/cluster-stacks#56",
        ),
        ("https://github.com/orgs/SCS/discussions/3", "orgs/scs#3"),
    ],
)
def test_parse_ref(given, expected):
    assert parse_ref(given, "SovereignCloudStack") == expected


def test_parse_ref_bare_number_and_errors():
    assert parse_ref("#5", "org", repo="repo") == "org/repo#5"
    with pytest.raises(RefError):
        parse_ref("#5", "org")
    with pytest.raises(RefError):
        parse_ref("not a ref", "org")


def test_a_list_item_opening_the_file_is_no_front_matter():
    # The front matter plugin took "- x--..." for its opening "---": the item, and the
    # lines after it up to the next unindented one, were lost.
    record = parse(
        """
    - N--see the notes
      - AI @alice: write the docs

    ## Other

    - AI @bob: fix the build
    """,
        source="x/20240101.md",
    )
    assert [a.owners for a in record.actions] == [["alice"], ["bob"]]


def test_front_matter_sets_team_and_date():
    record = parse(
        """
    ---
    title: Widgets weekly
    team: widgets
    date: 2024-05-02
    tags: [minutes]
    ---

    # Notes

    ## Topic

    - text
    """,
        source="x/20240101.md",
    )
    assert (record.team, record.date, record.title) == ("widgets", "2024-05-02", "Notes")
    assert [i.title for i in record.items] == ["Topic"]


def test_slides_and_html():
    record = parse("""
    ---
    type: slide
    ---

    # 2024-02-01 <br> Team <b>Widgets</b>

    ---

    ## Topic one (@a, 5min)

    <details><summary>more</summary>
    <a href="https://github.com/o/r/issues/3">three</a>
    <!-- https://github.com/o/r/issues/99 -->
    </details>

    ----

    ## Topic two

    - AI @b: prepare the demo
    """)
    assert record.date == "2024-02-01"
    assert record.title == "2024-02-01 Team Widgets"
    assert [i.title for i in record.items] == ["Topic one", "Topic two"]
    assert [r.ref for r in record.issues] == ["o/r#3"]
    assert [a.owners for a in record.actions] == [["b"]]


def test_emoji_markup_and_owner_parenthesis_stripped_from_titles():
    record = parse("""
    # 2024-01-01

    ## :notebook: Agenda

    ### Make use of the `topology.version` field (@b1, 5min)

    text

    ### Planning (for R9 in mid Sept) - recap

    text
    """)
    assert [(i.title, i.path) for i in record.items] == [
        ("Make use of the topology.version field", ["Agenda"]),
        ("Planning (for R9 in mid Sept) - recap", ["Agenda"]),
    ]


def test_empty_text_gives_an_empty_record():
    record = parse("", source="t/20240101.md")
    assert record.date == "2024-01-01"
    assert record.items == [] and record.participants == [] and record.title is None


def test_record_round_trips_through_json():
    from minutesbot.records.record import Record

    record = parse(MEETING)
    again = Record.from_dict(record.to_dict())
    assert again.to_dict() == record.to_dict()


@pytest.mark.parametrize(
    "heading, title, owners, timebox",
    [
        (
            "Ongoing work (@garloff) -> moved to the next meeting",
            "Ongoing work -> moved to the next meeting",
            ["garloff"],
            None,
        ),
        ("Topic (@x) 5min", "Topic", ["x"], 5),
        ("Topic [@x, 10 min]", "Topic", ["x"], 10),
        ("Topic - 15 minutes", "Topic", [], 15),
        ("Review (25')", "Review", [], 25),
        ("Bonus topic from @mxmxchere", "Bonus topic from @mxmxchere", ["mxmxchere"], None),
    ],
)
def test_item_heading_forms(heading, title, owners, timebox):
    record = parse(f"# 2024-01-01\n\n## {heading}\n\ntext\n")
    (item,) = record.items
    assert (item.title, item.owners, item.timebox) == (title, owners, timebox)


def test_action_item_marker_with_owner_in_parentheses():
    record = parse("# 2024-01-01\n\n## T\n\n- Action item (@x): book the room\n- Actionable: no\n")
    assert [(a.owners, a.text) for a in record.actions] == [(["x"], "book the room")]


def test_a_bare_marker_makes_each_entry_below_an_action():
    record = parse("""
    # 2024-01-01

    ## Network policies

    - ToDo:
        - Reference the upstream spec (AI @kgube via @anjastrunk)
        - Testcase (@kgube)
        - ~~Ensure the reference implementation passes~~
        - AI @carol: write it down
    - ToDo: @jschoone and @garloff
    - an ordinary entry

    AI:
    - @fkr to mail CSPs asking for feedback
    """)
    assert [(a.owners, a.text, a.status) for a in record.actions] == [
        (["kgube"], "Reference the upstream spec", "open"),
        ([], "Testcase (@kgube)", "open"),
        ([], "Ensure the reference implementation passes", "done"),
        (["carol"], "write it down", "open"),
        # A marker naming owners and no task: they take the task above it, here the item.
        (["jschoone", "garloff"], "Network policies", "open"),
        (["fkr"], "mail CSPs asking for feedback", "open"),
    ]


def test_decision_marker_with_a_parenthesis_before_its_colon():
    record = parse("""
    # 2024-01-01

    ## Topic

    - -> Decision (for now): A recommendation only
    - Decision -> depends on use cases
    """)
    assert [d.text for d in record.decisions] == ["A recommendation only"]


def test_chore_question_wrapped_onto_a_line_naming_the_other_chore():
    record = parse("""
    # 2024-01-01

    ## Recurring items
    -  Who is presenting in weekly community call and transforming etherpad
       to minutes in GitHub? @matfechner
    - Minutes:
    - Reporting: @bob
    """)
    assert record.roles == {"reporter": ["matfechner", "bob"], "minutes": ["matfechner"]}


def test_an_emoji_code_ending_an_action_is_no_label_over_its_list() -> None:
    record = parse("# 2024-04-18\n\n## Item\n\n- AI @alice: agenda :tada:\n  - sub\n")
    assert [(a.owners, a.text) for a in record.actions] == [(["alice"], "agenda :tada:")]


def test_a_marker_inside_a_list_item_does_not_take_the_rest_of_its_list() -> None:
    """``-> AI @x`` below an item assigns that item (product-board/20221031.md), and
    ``Decision:`` below one decides nothing: the items after it are the list's own."""
    record = parse(
        "# 2024-04-18\n\n## Item\n\n* Prepare the advisory\n\n    -> AI @garloff\n\n"
        "* Test case for image updates\n* Patch the laptops\n\n## Other\n\n"
        "- a\n\n  Decision:\n- b\n- c\n\n## Deeper\n\n- a\n  - b\n\n    Decision:\n- c\n"
    )
    assert [(a.owners, a.text) for a in record.actions] == [(["garloff"], "Prepare the advisory")]
    assert record.decisions == []


@pytest.mark.parametrize(
    "marker_and_list",
    [
        "- topic\n\n  Decision:\n\n1. a\n2. b\n",
        "- topic\n\n  Decision:\n\n* a\n* b\n",
        "1. topic\n\n   Decision:\n\n- a\n- b\n",
    ],
)
def test_a_marker_in_an_item_takes_a_new_list_after_the_items_list(marker_and_list: str) -> None:
    """A list opened after the marker's own list ended is "the next list" (the spec)."""
    record = parse(f"# 2024-04-18\n\n## Item\n\n{marker_and_list}")
    assert [d.text for d in record.decisions] == ["a", "b"]
