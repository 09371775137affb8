"""``digest`` on the real SCS minutes: the teams that met, those that did not, and the
numbers of each, against a count over the files with the plain line logic of
:mod:`independent_count` (which shares no code with the parser or the index).

Two periods: a quarter all three teams met in, and one where IaaS wrote no
minutes (its meetings ended in December 2024).
"""

from __future__ import annotations

from collections import Counter

import pytest
from independent_count import PERIODS, Counted, corpus_archive, counted, in_period  # noqa: F401

from minutesbot.archive import Archive
from minutesbot.digest import Digest, build_digest


@pytest.fixture(scope="module", params=PERIODS, ids=lambda p: f"{p[0]}..{p[1]}")
def period(request: pytest.FixtureRequest, corpus_archive: Archive) -> tuple[str, str, Digest]:
    since, until = request.param
    return since, until, build_digest(corpus_archive, since, until)


def test_digest_names_every_team_that_met_and_every_team_that_did_not(
    period: tuple[str, str, Digest], counted: list[Counted]
) -> None:
    since, until, digest = period
    met = {c.team for c in in_period(counted, since, until)}
    teams = {c.team for c in counted}
    assert len(teams) == 3 and met  # the corpus's teams; a period nobody met proves nothing
    assert [t.team for t in digest.teams] == sorted(met)
    last_before = {
        team: max(c.date for c in counted if c.team == team and c.date and c.date < since)
        for team in teams - met
    }
    assert {s.team: s.last for s in digest.silent} == last_before


def test_both_kinds_of_team_are_tested(corpus_archive: Archive) -> None:
    """The periods hold a team that met and one that did not, or the test above is weak."""
    silent = {
        s.team
        for since, until in PERIODS
        for s in build_digest(corpus_archive, since, until).silent
    }
    assert silent and silent < {"container", "iaas", "sig-standardization"}


def test_digest_numbers_match_an_independent_count(
    period: tuple[str, str, Digest], counted: list[Counted]
) -> None:
    since, until, digest = period
    files = in_period(counted, since, until)
    expected: dict[str, dict[str, object]] = {}
    for team in sorted({c.team for c in files}):
        mine = [c for c in files if c.team == team]
        statuses = Counter(status for c in mine for status in c.actions)
        expected[team] = {
            "meetings": sorted(c.source for c in mine),
            "decisions": sum(c.decisions for c in mine),
            "open entries": statuses["open"],
            "closed entries": {s: statuses[s] for s in ("done", "dropped") if statuses[s]},
            "issues": sorted({ref for c in mine for ref in c.refs}),
        }
    found = {
        t.team: {
            "meetings": sorted(m["source"] for m in t.meetings),
            "decisions": len(t.decisions),
            "open entries": len(t.opened) + len(t.relisted),
            "closed entries": dict(Counter(a["written_status"] for a in t.closed)),
            "issues": sorted(i.ref for i in t.issues),
        }
        for t in digest.teams
    }
    assert found == expected
    totals = Counter()
    for numbers in expected.values():
        totals.update(
            {key: len(v) if isinstance(v, (list, dict)) else v for key, v in numbers.items()}
        )
    assert all(totals[key] > 0 for key in ("meetings", "decisions", "open entries", "issues"))


def test_each_issue_lists_the_meetings_that_mention_it(
    period: tuple[str, str, Digest], counted: list[Counted]
) -> None:
    since, until, digest = period
    files = in_period(counted, since, until)
    for team in digest.teams:
        for issue in team.issues:
            assert [m["source"] for m in issue.meetings] == sorted(
                c.source for c in files if c.team == team.team and issue.ref in c.refs
            )


def test_relisted_actions_were_first_written_before_and_opened_ones_are_new(
    period: tuple[str, str, Digest],
) -> None:
    """What only the tracking decides, checked for sense: a re-listed action points to an
    earlier meeting; an action closed by a later meeting was closed on or after its own."""
    since, until, digest = period
    for team in digest.teams:
        for entry in team.relisted:
            assert entry["first_date"] < entry["date"]
        for entry in team.opened:
            closed = entry["closed_by"]
            assert closed is None or closed["date"] >= entry["date"]
        for entry in team.closed:
            assert entry["closes"] is None or entry["closes"] <= entry["date"]
