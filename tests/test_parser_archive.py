"""Rules found by reading ``tools/census.py`` over the whole SCS minutes archive.

The archive holds seventeen teams besides the three of the shared corpus; their
minutes write chores, markers and dates in ways the rules had not met. Each
test is a short line of the same form, written anew, and the record the spec
asks for.
"""

from __future__ import annotations

import textwrap

from minutesbot.records.parser import parse_text

DATE = "# 2024-04-18\n\n"


def parse(body: str, source: str = "team/20240418.md", title: str = DATE):
    text = title + textwrap.dedent(body).lstrip("\n")
    return parse_text(text, source=source, default_owner="SovereignCloudStack")


def titles(body: str) -> list[str]:
    return [i.title for i in parse(body).items]


# -- roles ------------------------------------------------------------------------


def test_roles_heading_over_a_discussion_of_roles_is_a_topic():
    # A team working on access control discusses roles under that heading.
    assert titles("""
        ## Agenda
        ### Roles (@carol)
        * Reader role list, any news since last week?
        * Manager role
            * upstream review pending (@carol, @dave)
        """) == ["Roles"]
    assert titles("""
        ### Roles
        * TBD

        ### Personas and roles
        * Operators
        * Developers
        """) == ["Roles", "Personas and roles"]


def test_roles_heading_over_chore_lines_stays_housekeeping():
    record = parse("""
        ## Roles
        - Minutes: @alice
        - Moderation: @bob

        ## Designate people for chores
        - community call: @carol

        ## Topic
        text
        """)
    assert [i.title for i in record.items] == ["Topic"]
    assert record.roles == {"minutes": ["alice"], "moderation": ["bob"], "reporter": ["carol"]}


def test_a_colon_inside_a_parenthesis_labels_no_chore():
    # "(AI: leads)" is no "Minutes: leads" line: the section is a topic, no minutes taker.
    record = parse("""
        ### Collected highlights
        * [Pad](https://pad.example/x) to be filled from the team minutes (AI: leads)
        """)
    assert [i.title for i in record.items] == ["Collected highlights"]
    assert record.roles == {}


def test_a_link_names_no_minutes_taker():
    record = parse("""
        # Working group
        Minutes of the group: https://pad.example/group-notes
        """)
    assert record.roles == {}
    assert [i.title for i in record.items] == ["Working group"]


def test_the_community_call_next_week_reports_this_meeting():
    record = parse("""
        ## Who is reporting in community call next week and transferring minutes
        * @alice

        ## Topic
        text
        """)
    assert record.roles == {"reporter": ["alice"], "minutes": ["alice"]}
    record = parse("""
        ## Orga
        * Reporting in next week's community call: @bob
        * Transfer of minutes: @bob
        """)
    assert record.roles == {"reporter": ["bob"], "minutes": ["bob"]}
    # A chore of the next meeting is still none of this one.
    assert parse("## Housekeeping\n- Minutes next week: @carol\n").roles == {}


def test_community_call_written_with_a_hyphen():
    record = parse("""
        ## Recurring items
        - Who is going to report in community-call?
            - @alice
        """)
    assert record.roles == {"reporter": ["alice"]}


def test_an_absence_naming_the_call_is_no_chore_line():
    record = parse("""
        ## Recurring items
        * News
            - @alice on vacation all week (so not in the Community Call)
        * Who is presenting in weekly community call?
            - @bob
        """)
    assert record.roles == {"reporter": ["bob"]}


def test_a_report_of_something_is_no_reporter():
    record = parse("""
        ## Recurring items
        - Report in the community call will be done by: @alice
        - [Report of the build keeper](https://pad.example/k) - @bob
        """)
    assert record.roles == {"reporter": ["alice"]}


def test_the_title_names_no_chore():
    record = parse(
        "Participants:\n\n- Ann Lee\n- Bo Chen\n",
        source="team/20220825.md",
        title="# Minutes 2022-08-25\n\n",
    )
    assert record.roles == {}
    assert [p.name for p in record.participants] == ["Ann Lee", "Bo Chen"]


# -- dates ------------------------------------------------------------------------


def test_an_iso_title_date_is_never_read_month_first():
    # 2023-08-07 in a file named 20230708.md: a typo in one of them, the title wins (the
    # spec); only a day-first date with numbers may be the file name's written month first.
    assert parse("text\n", source="team/20230708.md", title="## 2023-08-07\n\n").date == (
        "2023-08-07"
    )
    assert parse("text\n", source="team/20240502.md", title="# 05/02/2024\n\n").date == (
        "2024-05-02"
    )


# -- actions ------------------------------------------------------------------------


def test_the_text_before_a_trailing_marker_loses_its_arrow():
    record = parse("- Draft the post\n    - -> ask the board first (AI @alice)\n")
    assert [(a.owners, a.text) for a in record.actions] == [(["alice"], "ask the board first")]


def test_headings_with_a_marker_are_actions():
    record = parse("""
        ## Agenda
        #### TODO: write down the admin roles
        - CSP admin, domain admin

        #### Cert renewal still pending (AI @alice)

        ## AI
        - agents in the review workflow?

        #### To-do
        - a list of things
        """)
    assert [(a.owners, a.text, a.line) for a in record.actions] == [
        ([], "write down the admin roles", 4),
        (["alice"], "Cert renewal still pending", 7),
    ]


# -- layout -------------------------------------------------------------------------


def test_front_matter_after_a_blank_line_is_still_front_matter():
    text = "\n---\ntitle: Weekly call\ntype: slide\n---\n\n# Weekly call\n\n## Team A\n- news\n"
    record = parse_text(text, source="call/20240201.md")
    assert record.title == "Weekly call"
    assert [(i.title, i.line) for i in record.items] == [("Team A", 9)]


# -- decisions ------------------------------------------------------------------------


def test_a_decision_marker_after_an_arrow_inside_a_line():
    record = parse("""
        - One package for all backends or one each? -> Decision: one each
            - (one: simpler to ship)
        - Review it -> decision will follow
        """)
    assert [d.text for d in record.decisions] == ["one each"]


def test_the_answer_after_an_arrow_to_a_decision_question():
    record = parse("""
        - Decision: one package for all backends or one each?
            - One: everything in one place
            - Each: smaller, installed apart
            - --> We build one each
        """)
    assert [(d.text, d.line) for d in record.decisions] == [("We build one each", 6)]
    assert parse("- Decision: rename it?\n    - maybe later\n").decisions == []


def test_a_word_before_an_article_is_a_verb_of_a_task():
    from minutesbot.records.actionable import why_not_an_action

    assert why_not_an_action("scribble a first version") is None
    assert why_not_an_action("Deployment performance investigation") is not None
    assert why_not_an_action("Some janitorial work ahead") is not None
    # A task whose details follow it ends in a colon too; a label names no task.
    assert why_not_an_action("Survey the providers:") is None
    assert why_not_an_action("from couple weeks ago:") is not None


def test_a_marker_naming_owners_alone_takes_the_task_above_it():
    record = parse("""
        ## Mailing lists (@alice)
        - Ask the list admins for an archive
            - AI: @bob/@carol
        - Place: docs page
        - AI: @alice and @dave

        ## AI
        - agents in review?
        """)
    assert [(a.owners, a.text, a.line) for a in record.actions] == [
        (["bob", "carol"], "Ask the list admins for an archive", 5),
        (["alice", "dave"], "Mailing lists", 7),
    ]
    # Nothing named at all is still nothing to do.
    assert parse("## T\n- Draft\n    - AI:\n").actions == []


def test_the_line_before_a_trailing_marker_is_kept_as_written():
    record = parse("- To do: renew the certificate (AI @alice)\n")
    assert [(a.owners, a.text) for a in record.actions] == [
        (["alice"], "To do: renew the certificate")
    ]


def test_a_marker_with_a_short_label_over_a_list():
    record = parse("""
        - AI for this week:
            - finish the code of conduct @alice
            - @bob to open the docs PR
        - AI @carol -> @dave: sort the services into buckets
        - AI @erin: Survey the providers:
            - How do they upgrade?
        """)
    assert [(a.owners, a.text) for a in record.actions] == [
        ([], "finish the code of conduct @alice"),
        (["bob"], "open the docs PR"),
        (["carol"], "@dave: sort the services into buckets"),
        (["erin"], "Survey the providers:"),
    ]


def test_owners_in_a_parenthesis_right_after_the_owners():
    record = parse("- AI @alice (@bob) to set this up before the hackathon\n")
    assert [(a.owners, a.text) for a in record.actions] == [
        (["alice", "bob"], "set this up before the hackathon")
    ]


def test_news_about_next_week_puts_no_item_off():
    record = parse("""
        ### Upstream federation
        * Next week PTG

        ### Lightning talk
        * => next time
        """)
    assert [(i.title, i.deferred) for i in record.items] == [
        ("Upstream federation", None),
        ("Lightning talk", "next time"),
    ]
