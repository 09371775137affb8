"""The archive commands through click's CliRunner, on minutes written in the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from minutesbot.cli import main

FIRST = """\
# 2024-03-07

## Participants

- @alice
- @bob

## Load balancers (@alice 10min)

- yawol looks promising, see lbaas#12
- Decision: we evaluate yawol first
- AI @alice: write the LB comparison
- AI @bob: ask the network team

## Storage

- https://github.com/acme/storage/issues/3
"""

SECOND = """\
# 2024-03-14

## Check AIs from last time

- AI @alice: write the LB comparison
    - done

## Load balancers again

- https://github.com/acme/lbaas/pull/12#issuecomment-1 merged
- Agreed: yawol is the default
"""

OTHER_TEAM = """\
# 2024-04-01

## Kickoff

- Decision: meet weekly
- AI @alice: write the LB comparison
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minutes repository: configuration and three meetings of two teams."""
    (tmp_path / "minutesbot.toml").write_text('default-owner = "acme"\n', encoding="utf-8")
    for source, text in (
        ("iaas/20240307.md", FIRST),
        ("iaas/20240314.md", SECOND),
        ("container/20240401.md", OTHER_TEAM),
    ):
        path = tmp_path / "minutes" / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def json_lines(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for row in rows:
        assert {"source", "date", "team", "line"} <= row.keys()
        assert isinstance(row["line"], int)
    return rows


def test_index_builds_then_reports_nothing_changed(project: Path) -> None:
    first = json_lines_plain(run("index", "--json"))
    assert first["added"] == 3 and first["index"].endswith(".minutesbot/index.sqlite")
    second = run("index")
    assert second.exit_code == 0
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in second.stdout
    assert second.stderr == ""  # no progress bar when stderr is not a terminal


def json_lines_plain(result: Result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "ref",
    [
        "lbaas#12",
        "acme/lbaas#12",
        "ACME/LBaaS#12",
        "https://github.com/acme/lbaas/issues/12",
        "https://github.com/acme/lbaas/pull/12/files",
    ],
)
def test_history_accepts_every_ref_form(project: Path, ref: str) -> None:
    rows = json_lines(run("history", ref, "--json"))
    assert [(r["source"], r["item"], r["line"]) for r in rows] == [
        ("iaas/20240307.md", "Load balancers", 10),
        ("iaas/20240314.md", "Load balancers again", 10),
    ]
    assert rows[0]["decisions"] == [{"text": "we evaluate yawol first", "line": 11}]
    assert [a["text"] for a in rows[0]["actions"]] == [
        "write the LB comparison",
        "ask the network team",
    ]
    # The action was reported done a week later; history says so.
    assert rows[0]["actions"][0]["status"] == "done"
    assert rows[0]["actions"][0]["closed_by"]["source"] == "iaas/20240314.md"


def test_history_bare_number_needs_repo(project: Path) -> None:
    assert [
        r["source"] for r in json_lines(run("history", "#3", "--repo", "storage", "--json"))
    ] == ["iaas/20240307.md"]
    result = run("history", "#3")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--repo" in result.stderr


def test_history_text_links_to_github_or_local_lines(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = run("history", "lbaas#12")
    assert local.exit_code == 0
    assert "2024-03-07  iaas  Load balancers" in local.stdout
    assert "decision: we evaluate yawol first" in local.stdout
    assert "action [done] @alice: write the LB comparison (done 2024-03-14" in local.stdout
    assert "minutes/iaas/20240307.md:10" in local.stdout.replace("\\", "/")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/minutes")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    (project / ".git").mkdir()
    linked = run("history", "lbaas#12", "--json")
    assert (
        json_lines(linked)[0]["link"]
        == "https://github.com/acme/minutes/blob/abc123/minutes/iaas/20240307.md?plain=1#L10"
    )


def test_history_of_unknown_ref_and_bad_ref(project: Path) -> None:
    none = run("history", "acme/nothing#1")
    assert none.exit_code == 0 and none.stdout == "" and "no meeting" in none.stderr
    bad = run("history", "not a ref")
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr


def test_actions_filters(project: Path) -> None:
    everything = json_lines(run("actions", "--json"))
    # The review's "done" entry is the closed_by of alice's action, not a debt of its own.
    assert [(r["source"], r["line"]) for r in everything] == [
        ("iaas/20240307.md", 12),
        ("iaas/20240307.md", 13),
        ("container/20240401.md", 6),
    ]
    open_alice = json_lines(run("actions", "--owner", "@Alice", "--open", "--json"))
    # Closed in iaas by the review; the container team's own copy stays open.
    assert [(r["source"], r["status"]) for r in open_alice] == [("container/20240401.md", "open")]
    done = json_lines(run("actions", "--done", "--team", "iaas", "--json"))
    # The team's latest review lists alice's action, not bob's: bob's was dealt with
    # ("unlisted"), as the agenda of `new` has it too.
    assert [(r["source"], r["line"], r["status"], r["closed_by"]["line"]) for r in done] == [
        ("iaas/20240307.md", 12, "done", 5),
        ("iaas/20240307.md", 13, "unlisted", 3),
    ]
    text = run("actions", "--owner", "bob")
    assert text.stdout.strip().endswith(
        "[unlisted] @bob: ask the network team (unlisted 2024-03-14, iaas/20240314.md:3)"
        "  (iaas/20240307.md:13)"
    )


def test_decisions_filters(project: Path) -> None:
    assert [r["text"] for r in json_lines(run("decisions", "--json"))] == [
        "we evaluate yawol first",
        "yawol is the default",
        "meet weekly",
    ]
    rows = json_lines(run("decisions", "--team", "iaas", "--since", "2024-03-10", "--json"))
    assert [(r["source"], r["line"]) for r in rows] == [("iaas/20240314.md", 11)]
    assert (
        json_lines(run("decisions", "--until", "2024-03-07", "--json"))[0]["date"] == "2024-03-07"
    )
    assert run("decisions", "--since", "March").exit_code == 2
    # The last day there is: no day after it to stop before (it ended in an OverflowError).
    assert len(json_lines(run("decisions", "--until", "9999-12-31", "--json"))) == 3
    assert run("digest", "--since", "2024-01-01", "--until", "9999-12-31").exit_code == 0


def test_search_full_text(project: Path) -> None:
    rows = json_lines(run("search", "yawol", "--json"))
    assert [(r["source"], r["line"], r["item"]) for r in rows] == [
        ("iaas/20240307.md", 10, "Load balancers"),
        ("iaas/20240314.md", 11, "Load balancers again"),
    ]
    assert json_lines(run("search", "network", "team", "--json"))[0]["line"] == 13
    assert json_lines(run("search", "yawol", "kubernetes", "--json")) == []
    # Query syntax characters are words to look for, not FTS5 syntax errors.
    assert json_lines(run("search", "--json", "--", '"AND', "NEAR(", "-x*")) == []


def test_queries_refresh_first(project: Path) -> None:
    run("index")
    (project / "minutes/iaas/20240321.md").write_text(
        "# 2024-03-21\n\n## Follow-up\n\n- lbaas#12 released\n", encoding="utf-8"
    )
    rows = json_lines(run("history", "lbaas#12", "--json"))
    assert rows[-1]["source"] == "iaas/20240321.md"


def test_an_answer_worked_out_before_the_refresh_is_worked_out_again(project: Path) -> None:
    """A query answers from the index while git looks at the disk; what changed meanwhile
    (a new team, a removed meeting) is in the answer all the same."""
    run("index")
    (project / "minutes/storage/20240322.md").parent.mkdir()
    (project / "minutes/storage/20240322.md").write_text(
        "# 2024-03-22\n\n## Disks\n\n- Decision: buy disks\n- AI @carol: order them\n",
        encoding="utf-8",
    )
    (project / "minutes/iaas/20240314.md").unlink()
    assert [r["text"] for r in json_lines(run("decisions", "--team", "storage", "--json"))] == [
        "buy disks"
    ]
    (project / "minutes/storage/20240322.md").unlink()
    assert [r["source"] for r in json_lines(run("search", "yawol", "--json"))] == [
        "iaas/20240307.md"
    ]
    assert json_lines(run("actions", "--owner", "carol", "--json")) == []


def test_an_answer_worked_out_before_a_day_came_is_worked_out_again(project: Path) -> None:
    """Indexed yesterday, a meeting of yesterday naming nobody present was its agenda; today
    its decision and action count (the agenda marks change with no file changed)."""
    from datetime import date, timedelta

    from minutesbot.archive import Archive
    from minutesbot.config import load_config

    yesterday = date.today() - timedelta(days=1)
    (project / f"minutes/iaas/{yesterday:%Y%m%d}.md").write_text(
        f"# {yesterday}\n\n## Plans\n\n- Decision: ship it\n- AI @dave: announce it\n",
        encoding="utf-8",
    )
    config = load_config(project)
    with Archive.open(config.root(), config) as archive:
        archive.refresh(today=yesterday)
    assert "ship it" in [r["text"] for r in json_lines(run("decisions", "--json"))]
    assert [r["text"] for r in json_lines(run("actions", "--owner", "dave", "--json"))] == [
        "announce it"
    ]


def test_root_option_and_missing_root(project: Path, tmp_path: Path) -> None:
    result = run("search", "yawol", "--root", str(project / "minutes" / "iaas"), "--json")
    assert [r["source"] for r in json_lines(result)] == ["20240307.md", "20240314.md"]
    missing = run("actions", "--root", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "/nowhere: no such folder" in missing.stderr


def test_discussions_undated_files_and_warnings(project: Path) -> None:
    minutes = project / "minutes"
    (minutes / "iaas/notes.md").write_text(
        "# Loose notes\n\n## Ideas\n\n- https://github.com/orgs/acme/discussions/5\n"
        "- acme/lbaas#12 again\n",
        encoding="utf-8",
    )
    (minutes / "iaas/binary.md").write_bytes(b"# 2024-05-01\n\x00\x00")
    first = run("history", "https://github.com/orgs/acme/discussions/5", "--json")
    assert [r["source"] for r in json_lines(first)] == ["iaas/notes.md"]
    # Each problem is reported once, naming the file, when the file is read.
    assert "iaas/binary.md" in first.stderr and "Traceback" not in first.stderr
    again = run("history", "#12", "--repo", "acme/lbaas", "--json")
    assert again.stderr == ""
    rows = json_lines(again)
    # The undated file comes last, after the dated meetings.
    assert [(r["source"], r["date"]) for r in rows][-1] == ("iaas/notes.md", None)


def test_relisted_open_action_is_listed_once(tmp_path: Path):
    team = tmp_path / "minutes" / "t"
    team.mkdir(parents=True)
    (team / "20240101.md").write_text(
        "# 2024-01-01\n\n## Topic\n\n- AI @a: write the release notes\n"
    )
    (team / "20240108.md").write_text(
        "# 2024-01-08\n\n## Check AIs\n\n- AI @a: write the release notes\n    - open\n"
    )
    result = CliRunner().invoke(
        main, ["actions", "--open", "--json", "--root", str(tmp_path / "minutes")]
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["source"], r["last_listed"]) for r in rows] == [("t/20240101.md", "2024-01-08")]


def test_done_lists_each_debt_once(tmp_path: Path) -> None:
    """Written, re-listed open, reported done: one debt, wherever it is listed."""
    team = tmp_path / "minutes" / "t"
    team.mkdir(parents=True)
    for day, body in (
        ("01", "- AI @a: write the release notes\n"),
        ("08", "- AI @a: write the release notes\n    - open\n"),
        (
            "15",
            "- AI @a: write the release notes\n    - done\n- AI @b: tag the release\n    - done\n",
        ),
    ):
        (team / f"202401{day}.md").write_text(
            f"# 2024-01-{day}\n\n## Check AIs\n\n{body}", encoding="utf-8"
        )
    root = ["--root", str(tmp_path / "minutes"), "--json"]
    done = json_lines(run("actions", "--done", *root))
    assert [
        (r["source"], r["text"], r["closed_by"] and r["closed_by"]["source"], r["last_listed"])
        for r in done
    ] == [
        ("t/20240101.md", "write the release notes", "t/20240115.md", "2024-01-08"),
        # Done where it was written, closing nothing: listed as itself.
        ("t/20240115.md", "tag the release", None, None),
    ]
    assert json_lines(run("actions", *root)) == done
    assert json_lines(run("actions", "--open", *root)) == []


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("minutesbot: error: ") and result.stderr.count("\n") == 1
    assert all(word in result.stderr for word in words), result.stderr


def test_team_is_matched_in_any_case_and_an_unknown_one_is_an_error(project: Path) -> None:
    assert (
        json_lines(run("actions", "--team", "IaaS", "--json"))
        == json_lines(run("actions", "--team", "iaas", "--json"))
        != []
    )
    assert [r["text"] for r in json_lines(run("decisions", "--team", "CONTAINER", "--json"))] == [
        "meet weekly"
    ]
    for command in ("actions", "decisions"):
        one_line_error(run(command, "--team", "nosuch"), "nosuch", "container, iaas")
    # A team of the configuration without minutes yet is no typo: it has nothing to list.
    (project / "minutesbot.toml").write_text(
        'default-owner = "acme"\n[teams.storage]\nrepo = "acme/storage"\n', encoding="utf-8"
    )
    quiet = run("actions", "--team", "storage")
    assert (quiet.exit_code, quiet.stdout) == (0, "")


@pytest.mark.parametrize(
    "args, words",
    [
        (["https://github.com/acme/lbaas/issues/12abc"], ["not the URL"]),
        (["https://github.com/acme/lbaas/issues/12/../../pull/9"], ["not the URL"]),
        (["https://github.com/acme/../issues/12"], ["not the URL"]),
        (["12", "--repo", "acme/lbaas/x"], ["--repo acme/lbaas/x", "OWNER/REPO"]),
        (["lbaas#12", "--repo", "acme/lbaas"], ["names its repository"]),
        (["https://github.com/acme/lbaas/pull/12", "--repo", "lbaas"], ["names its repository"]),
    ],
)
def test_history_refuses_what_is_not_exactly_a_ref(
    project: Path, args: list[str], words: list[str]
) -> None:
    one_line_error(run("history", *args), *words)


def test_open_and_done_exclude_each_other(project: Path) -> None:
    one_line_error(run("actions", "--open", "--done"), "--open", "--done")


@pytest.mark.parametrize("files, shown", [(21, 21), (40, 20)])
def test_many_warnings_are_a_screenful_and_a_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int, shown: int
) -> None:
    """A first index of an archive whose refs name no owner warned once per file (1,700
    lines at 50,000 files); a few are all shown, of many the first 20 and a count."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    for n in range(files):
        path = tmp_path / "minutes" / "iaas" / f"2024{1 + n // 28:02d}{1 + n % 28:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Meeting {n}\n\n## Storage\n\n- see lbaas#{n}\n", encoding="utf-8")
    first = run("index")
    assert first.exit_code == 0
    warnings = first.stderr.splitlines()
    named = [w for w in warnings if "name no owner" in w or "names no owner" in w]
    assert len(named) == shown
    if shown < files:
        assert warnings[-1] == (
            f"minutesbot: warning: and {files - shown} more warnings "
            "(minutesbot lint lists every one)"
        )
    assert run("index").stderr == ""  # said once, when the files were read
