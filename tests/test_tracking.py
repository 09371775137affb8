"""Action status across meetings (minutesbot.records.tracking), on records written by hand."""

from __future__ import annotations

import pytest

from minutesbot.records.matching import normalise_text, texts_match
from minutesbot.records.record import Action, Record, Review
from minutesbot.records.tracking import Closure, track_actions
from minutesbot.records.vocabulary import is_review_label


def meeting(source: str, date: str | None, *actions: Action, team: str = "iaas") -> Record:
    return Record(source=source, team=team, date=date, title=date, actions=list(actions))


def ai(text: str, *owners: str, status: str = "open", line: int = 10) -> Action:
    return Action(owners=list(owners), text=text, status=status, item=None, line=line)


def test_review_in_later_meeting_closes_earlier_action() -> None:
    first = meeting(
        "iaas/20240101.md",
        "2024-01-01",
        ai("push for stabilization of candidate standards", "mbuechse", line=43),
    )
    review = meeting(
        "iaas/20240108.md",
        "2024-01-08",
        ai("_push for stabilization of candidate standards_ -", "mbuechse", status="done", line=26),
    )
    tracked = track_actions([first, review])
    assert tracked[0].closed_by == Closure("iaas/20240108.md", "2024-01-08", 26, "done")
    assert tracked[0].status == "done"
    assert tracked[1].closed_by is None and tracked[1].status == "done"


def test_extended_text_and_partial_owners_still_match() -> None:
    first = meeting(
        "iaas/20240101.md",
        "2024-01-01",
        ai("create PR in github-manager", "mbuechse", "fdobrovolny"),
    )
    review = meeting(
        "iaas/20240108.md",
        "2024-01-08",
        ai(
            "Create PR in **github-manager** to add @cah-patrickthiem to the org",
            "mbuechse",
            status="dropped",
        ),
    )
    (earlier, _) = track_actions([first, review])
    assert earlier.status == "dropped"
    assert earlier.to_dict()["closed_by"] == {
        "source": "iaas/20240108.md",
        "date": "2024-01-08",
        "line": 10,
        "status": "dropped",
    }


def test_carried_over_action_closes_every_earlier_copy() -> None:
    records = [
        meeting(f"iaas/2024010{d}.md", f"2024-01-0{d}", ai("write the upgrade docs", "x"))
        for d in (1, 2, 3)
    ]
    records.append(
        meeting("iaas/20240104.md", "2024-01-04", ai("write the upgrade docs", "x", status="done"))
    )
    tracked = track_actions(records)
    assert [t.closed_by.source if t.closed_by else None for t in tracked] == [
        "iaas/20240104.md"
    ] * 3 + [None]


def test_no_closing_across_teams_backwards_in_time_or_same_meeting() -> None:
    text = "update the kubernetes version matrix"
    records = [
        meeting("iaas/20231225.md", "2023-12-25", ai(text, "x", status="done")),
        meeting("iaas/20240101.md", "2024-01-01", ai(text, "x")),  # closer came earlier
        meeting(
            "container/20240201.md", "2024-02-01", ai(text, "x", status="done"), team="container"
        ),  # other team
        meeting("iaas/20240301.md", "2024-03-01", ai(text, "x"), ai(text, "x", status="done")),
        meeting("iaas/undated.md", None, ai(text, "x", status="done")),
    ]
    tracked = track_actions(records)
    # The open action of 2024-01-01 is closed neither by the earlier done entry,
    # nor by the other team, nor by the undated file; only by 2024-03-01's done entry.
    assert tracked[1].closed_by is not None and tracked[1].closed_by.date == "2024-03-01"
    # The open entry of 2024-03-01 is not closed by its own meeting.
    assert tracked[3].closed_by is None


def test_different_owner_or_text_does_not_close() -> None:
    records = [
        meeting(
            "iaas/20240101.md",
            "2024-01-01",
            ai("write the upgrade docs", "x"),
            ai("review the upgrade docs", "y"),
            ai("talk to the network team"),
        ),
        meeting(
            "iaas/20240108.md",
            "2024-01-08",
            ai("write the upgrade docs", "y", status="done"),
            ai("order new hardware", "y", status="done"),
            ai("talk to the network team", "z", status="done"),
        ),
    ]
    tracked = track_actions(records)
    assert [t.closed_by for t in tracked[:3]] == [None, None, None]


def test_unowned_actions_match_each_other() -> None:
    records = [
        meeting("iaas/20240101.md", "2024-01-01", ai("Talk to the network team.")),
        meeting(
            "iaas/20240108.md", "2024-01-08", ai("talk to the network team (done)", status="done")
        ),
    ]
    assert track_actions(records)[0].status == "done"


def test_normalise_and_similarity() -> None:
    assert (
        normalise_text("_AI: **Write** [the docs](https://x.y/z) <https://a.b/c>, DONE!_")
        == "ai write the docs"
    )
    assert texts_match("write the docs for the upgrade", "write the doc for the upgrade")
    assert not texts_match("fix it", "fix it later today")  # too short to be contained
    assert not texts_match("", "")


def test_relisted_open_action_is_a_repeat_of_its_first_writing():
    from minutesbot.records.record import Action, Record

    def meeting(day: str, status: str) -> Record:
        record = Record(source=f"t/{day}.md", team="t", date=day, title=None)
        record.actions.append(Action(["a"], "open an issue for the docs cache", status, None, 3))
        return record

    first, second, third = track_actions(
        [
            meeting("2024-01-01", "open"),
            meeting("2024-01-08", "open"),
            meeting("2024-01-15", "done"),
        ]
    )
    assert first.repeat_of is None and second.repeat_of is first
    assert first.status == "done" and second.status == "done"
    assert second.to_dict()["repeat_of"] == {"source": "t/2024-01-01.md", "line": 3}


def _reviewed(source: str, text: str) -> tuple[Record, Review | None]:
    """A meeting parsed from ``text``, and its review."""
    from minutesbot.records.parser import parse_text

    record = parse_text(text, source=source, team="iaas")
    return record, record.review


EARLIER = """# 2023-09-13

## Agenda

### Sprint
- AI @fkr: connect @markus-hentsch with AOV and art codix via e-mail
- AI @fkr: talk with @berendt about contact to vexxhost
- AI @garloff: write the blog post about live migration
"""


@pytest.mark.parametrize(
    "review",
    [
        "## Housekeeping\n\n- Checking AIs of last week\n"
        "    - @fkr: connect @markus-hentsch with AOV and artcodix via e-mail: ✅\n"
        "    - ~~@fkr: talk with @berendt about contact to vexxhost~~\n"
        "    - @garloff: write the blog post about live migration\n",
        "### AIs from last call\n\n"
        "- @fkr connect @markus-hentsch with AOV and art codix via e-mail - DONE\n"
        "- @fkr talk with @berendt about contact to vexxhost ✔\n"
        "- @garloff write the blog post about live migration (ongoing)\n",
        "AIs from last time:\n\n"
        "- @fkr: connect @markus-hentsch with AOV and art codix via e-mail\n  - done\n"
        "- @fkr: talk with @berendt about contact to vexxhost (done)\n"
        "- @garloff: write the blog post about live migration\n",
    ],
)
def test_review_entries_without_ai_marker_close_earlier_actions(review: str) -> None:
    first, _ = _reviewed("iaas/20230913.md", EARLIER)
    later, found = _reviewed(
        "iaas/20230920.md", f"# 2023-09-20\n\n{review}\n## Agenda\n\n### Other\n- notes\n"
    )
    assert found is not None and later.actions == []
    assert [(e.owners, e.status) for e in found.entries] == [
        (["fkr"], "done"),
        (["fkr"], "done"),
        (["garloff"], "open"),
    ]
    tracked = track_actions([first, later])
    assert [t.status for t in tracked] == ["done", "done", "open"]
    assert tracked[0].closed_by == Closure(
        "iaas/20230920.md", "2023-09-20", found.entries[0].line, "done"
    )
    # Re-listed still open, without "AI": the action was mentioned at the later meeting.
    assert tracked[2].last_listed == "2023-09-20"
    # A side meeting's review speaks for itself only: its entries without "AI" close nothing.
    side = track_actions([first, later], side={later.source})
    assert [t.status for t in side] == ["open"] * 3


def test_latest_review_no_longer_listing_an_older_action_dealt_with_it() -> None:
    first, _ = _reviewed(
        "iaas/20230906.md", "# 2023-09-06\n\n## Topic\n- AI @mbuechse: open the PR for flavors\n"
    )
    second, _ = _reviewed("iaas/20230913.md", EARLIER)
    review_text = (
        "# 2023-09-20\n\n## Pending action items\n\n"
        "- AI @garloff: write the blog post about live migration\n  - ongoing\n\n"
        "## Topic\n- AI @alice: prepare the demo\n"
    )
    third, review = _reviewed("iaas/20230920.md", review_text)
    fourth, _ = _reviewed(
        "iaas/20230927.md", "# 2023-09-27\n\n## Topic\n- AI @bob: order hardware\n"
    )
    records = [first, second, third, fourth]
    assert review is not None
    tracked = {t.action.text: t for t in track_actions(records)}
    unlisted = {text for text, t in tracked.items() if t.status == "unlisted"}
    assert unlisted == {
        "open the PR for flavors",
        "connect @markus-hentsch with AOV and art codix via e-mail",
        "talk with @berendt about contact to vexxhost",
    }
    assert tracked["open the PR for flavors"].closed_by == Closure(
        "iaas/20230920.md", "2023-09-20", 3, "unlisted"
    )
    # Listed again, written at the review or after it: still open.
    assert {t.action.text for t in tracked.values() if t.status == "open"} == {
        "write the blog post about live migration",
        "prepare the demo",
        "order hardware",
    }


@pytest.mark.parametrize(
    "label, is_review",
    [
        ("Check AIs from last time", True),
        ("Checking AIs of last week", True),
        ("Check pending Action Items", True),
        ("Pending action items", True),
        ("AIs from last call", True),
        ("Action Items from last week's call:", True),
        ("Action items", False),  # this meeting's new actions
        ("AI workloads on GPUs", False),
        ("no AIs from last week", False),
        ("check AI from last time: set up meeting(s) to prioritize tasks within the epics", False),
    ],
)
def test_review_labels(label: str, is_review: bool) -> None:
    assert is_review_label(label) is is_review


def test_a_review_rewording_an_action_beyond_a_text_match_is_paired_with_it() -> None:
    """sig-standardization 2025-09-04 / 2025-09-11: "survey CSPs" came back re-worded with
    what the topic was about, and dropped."""
    first, _ = _reviewed(
        "sig-standardization/20250904.md",
        "## 2025-09-04\n\n### Agenda\n\n#### Q: images with container runtime?\n\n"
        "- Q: add flatcar to recommended images?\n  - _AI @mbuechse: survey CSPs_\n",
    )
    later, review = _reviewed(
        "sig-standardization/20250911.md",
        "## 2025-09-11\n\n### Housekeeping\n\n#### Check pending Action Items\n\n"
        "- _AI @mbuechse: survey CSPs_ regarding the addition of Flatcar to standard images "
        "(as recommendation)\n  - won't do; avoid favoring one OS\n\n### Agenda\n\n#### Other\n\n"
        "- notes\n",
    )
    assert review is not None
    earlier = track_actions([first, later])[0]
    assert earlier.action.text == "survey CSPs"
    assert earlier.closed_by == Closure(
        "sig-standardization/20250911.md", "2025-09-11", review.entries[0].line, "dropped"
    )


PR_938 = "[PR#938](https://github.com/SovereignCloudStack/standards/pull/938)"


def test_rewordings_pair_with_the_action_sharing_most_words_of_the_previous_meeting() -> None:
    """sig-standardization 2025-07-10 / 2025-07-17: two actions of one owner, both re-worded
    by the review; an older one the review leaves out is not taken for either."""
    older, _ = _reviewed(
        "sig-standardization/20250703.md",
        "## 2025-07-03\n\n### Agenda\n\n#### Flavors\n\n"
        "- _AI @depressiveRobot: add the flavor ratios to the docs_\n",
    )
    first, _ = _reviewed(
        "sig-standardization/20250710.md",
        "## 2025-07-10\n\n### Agenda\n\n"
        "#### Finalize discussions on scs-0004 certification revocation\n\n"
        "- _AI @depressiveRobot create issue/PR with proposal_\n\n#### Flavor naming\n\n"
        f"- _AI @depressiveRobot adjust {PR_938} accordingly_\n",
    )
    later, review = _reviewed(
        "sig-standardization/20250717.md",
        "## 2025-07-17\n\n### Housekeeping\n\n#### Check AIs from last time\n\n"
        f"- _AI @depressiveRobot add missing flavors for ratios 1:2, 1:4 & 1:8 to {PR_938}_\n"
        "  - DONE: raised question\n"
        "- _AI @depressiveRobot create PR with proposal for scs-0004 certification revocation_\n"
        "  - OPEN\n\n### Agenda\n\n#### Other\n\n- notes\n",
    )
    assert review is not None
    flavors, proposal, adjust, _done, relisted = track_actions([older, first, later])
    assert adjust.closed_by == Closure(later.source, later.date, review.entries[0].line, "done")
    assert relisted.repeat_of is proposal
    assert proposal.status == "open" and proposal.last_listed == "2025-07-17"
    assert flavors.status == "unlisted"


def test_an_entry_naming_nobody_or_sharing_no_word_is_not_paired() -> None:
    first = meeting("t/20240101.md", "2024-01-01", ai("write the release notes", "alice"), team="t")
    review = Record(source="t/20240108.md", team="t", date="2024-01-08", title=None)
    review.review = Review(
        3,
        [
            ai("release notes written", status="done", line=4),  # names nobody
            ai("order new hardware", "alice", status="done", line=5),  # no shared word
        ],
    )
    assert track_actions([first, review])[0].status == "unlisted"


@pytest.mark.parametrize(
    "entry",
    [
        "no AIs from last week",  # iaas 2023-10-04
        "technically none, but @mbuechse has updated all issues that were touched in the last "
        "session",  # sig-standardization 2025-05-15
    ],
)
def test_a_review_entry_saying_there_was_nothing_is_no_task(entry: str) -> None:
    from minutesbot.records.actionable import why_not_an_action

    assert why_not_an_action(entry) == "says there is nothing to do ('no AIs from last week')"
    assert why_not_an_action("none of the flavors fit: fix them") is None
