"""Done when (issue 15, part 1): at the imitation, every open action of three real corpus
files gets exactly one issue, closed when the corpus's later review marks it done; a re-run
writes nothing.

The minutes arrive as they did: each team's files up to a meeting, that meeting tracked,
then the later meetings, each tracked as the push that brought it would be. What the
reviews say was read by hand from the files (line numbers as in the corpus).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ghfake.fixtures import gh_env, ghfake  # noqa: F401  (fixtures)
from ghfake.server import FakeGitHub
from track_fixtures import closing_comments, track, tracked

SETTINGS = """\
default-owner = "SovereignCloudStack"
[teams.iaas]
action-issues = "SovereignCloudStack/iaas-actions"
[teams.sig-standardization]
action-issues = "SovereignCloudStack/standards-actions"
"""
IAAS = "SovereignCloudStack/iaas-actions"
SIG = "SovereignCloudStack/standards-actions"
ASSIGNABLE = ("mbuechse", "fkr", "garloff")
# The three files, each meeting's open actions (line: closed by, or None while open).
EXPECTED = {
    "iaas/20230920.md": {39: None, 45: "iaas/20230927.md?plain=1#L34"},
    "sig-standardization/20240613.md": {
        43: "sig-standardization/20240627.md?plain=1#L29",
        54: "sig-standardization/20240627.md?plain=1#L29",
        63: "sig-standardization/20240627.md?plain=1#L33",
        75: "sig-standardization/20240627.md?plain=1#L35",
        91: "sig-standardization/20240808.md?plain=1#L28",
    },
    "sig-standardization/20250213.md": {
        37: "sig-standardization/20250220.md?plain=1#L30",
        50: None,
        51: None,
        59: "sig-standardization/20250220.md?plain=1#L36",
        66: "sig-standardization/20250220.md?plain=1#L38",
    },
}
# The team opts in with the first two files on disk; each later push brings a team's
# minutes up to a file, and tracks what it brought (as the Action does).
OPT_IN = [("iaas", "20230920.md"), ("sig-standardization", "20240613.md")]
PUSHES = [
    ("iaas", "20230927.md"),
    ("sig-standardization", "20240808.md"),
    ("sig-standardization", "20250213.md"),
    ("sig-standardization", "20250220.md"),
]
WRITTEN_AT = re.compile(r"Written in: \[([^,\]]+), line (\d+)\]")


def arrive(corpus: Path, root: Path, team: str, upto: str) -> list[str]:
    """The team's minutes up to the file ``upto`` (by name: they are dated names); the
    files new on disk."""
    (root / team).mkdir(parents=True, exist_ok=True)
    new = []
    for path in sorted((corpus / team).glob("*.md")):
        if path.name <= upto and not (root / team / path.name).exists():
            shutil.copy(path, root / team / path.name)
            new.append(f"{team}/{path.name}")
    return new


def issue_of(fake: FakeGitHub, repo: str) -> dict[tuple[str, int], list]:
    found: dict[tuple[str, int], list] = {}
    for issue in tracked(fake, repo):
        if "action-item" in issue.labels:
            where = WRITTEN_AT.search(issue.body or "")
            assert where, issue.body
            found.setdefault((where[1].replace("\\_", "_"), int(where[2])), []).append(issue)
    return found


def test_three_corpus_meetings_tracked_then_closed_by_their_reviews(
    corpus_minutes, tmp_path, ghfake, gh_env
):
    ghfake.add_repo(IAAS, assignable=ASSIGNABLE)
    ghfake.add_repo(SIG, assignable=ASSIGNABLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / "minutesbot.toml").write_text(SETTINGS, encoding="utf-8")
    root = tmp_path / "minutes"
    first_issues: dict[tuple[str, int], int] = {}
    pushes = [[f"{team}/{upto}" for team, upto in OPT_IN]]
    for team, upto in OPT_IN:
        arrive(corpus_minutes, root, team, upto)
    for step in range(len(PUSHES) + 1):
        if step:
            pushes.append(arrive(corpus_minutes, root, *PUSHES[step - 1]))
        result = track(tmp_path, gh_env, *(f"minutes/{name}" for name in pushes[-1]))
        assert result.exit_code == 0, result.output
        issues = {**issue_of(ghfake, IAAS), **issue_of(ghfake, SIG)}
        for source in set(pushes[-1]) & set(EXPECTED):
            for line in EXPECTED[source]:
                [issue] = issues[(source, line)]  # exactly one issue each
                assert issue.state == "open", (source, line)
                first_issues[(source, line)] = issue.number
    issues = {**issue_of(ghfake, IAAS), **issue_of(ghfake, SIG)}
    for source, lines in EXPECTED.items():
        repo = IAAS if source.startswith("iaas/") else SIG
        for line, closer in lines.items():
            [issue] = issues[(source, line)]
            assert issue.number == first_issues[(source, line)]  # the same issue throughout
            if closer is None:
                assert issue.state == "open", (source, line)
                continue
            assert (issue.state, issue.state_reason) == ("closed", "completed"), (source, line)
            [comment] = closing_comments(ghfake, f"{repo}#{issue.number}")
            assert closer in comment and "Reported done" in comment, (source, line, comment)
    # Owners: assigned where assignable, else named.
    [numbers] = issues[("sig-standardization/20250213.md", 51)]
    assert numbers.assignees == ("garloff",)
    [nobody] = issues[("iaas/20230920.md", 39)]
    assert nobody.assignees == () and "Not assigned" not in (nobody.body or "")
    ghfake.reset_counts()
    for names in pushes:  # every push again: nothing to write
        again = track(tmp_path, gh_env, *(f"minutes/{name}" for name in names))
        assert again.exit_code == 0, again.output
    assert ghfake.writes == 0
    # One listing of the label's issues per run and repository (team) it touches.
    assert ghfake.requests == sum(len({n.split("/")[0] for n in names}) for names in pushes)
