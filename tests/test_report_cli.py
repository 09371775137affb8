"""``digest`` and ``stats`` through click's CliRunner, on minutes written in the test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ghfake.fixtures import TOKEN, gh_env, ghfake  # noqa: F401

from minutesbot.cli import main

FIRST = """\
# 2024-03-07

## Participants

- @alice
- @bob

## Community call and minutes transfer

- Who is reporting in the community call?: @bob
- Responsible for the minutes (writing and transfer to github): @alice

## Load balancers (@alice 10min)

- yawol looks promising, see acme/lbaas#12
- Decision: we evaluate yawol first
- AI @alice: write the LB comparison
- AI @bob: ask the network team
"""

SECOND = """\
# 2024-03-14

## Participants

- @alice
- Carol Example

## Community call and minutes transfer

- Who is reporting in the community call?: 404 - No volunteer found
- Responsible for the minutes (writing and transfer to github): @alice

## Check AIs from last time

- AI @alice: write the LB comparison
    - done
- AI @bob: ask the network team
    - still open

## Load balancers again

- https://github.com/acme/lbaas/pull/12 merged, acme/docs#3 to follow
- Agreed: yawol is the default
"""

OTHER = """\
# 2024-02-01

## Participants

- @dave

## Kickoff

- Decision: meet weekly
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two teams: iaas met in March 2024, container last met on 2024-02-01."""
    files = {
        "minutesbot.toml": 'default-owner = "acme"\n',
        "minutes/iaas/20240307.md": FIRST,
        "minutes/iaas/20240314.md": SECOND,
        "minutes/container/20240201.md": OTHER,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for variable in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_digest_lists_each_team_that_met_and_flags_the_silent_one(project: Path) -> None:
    result = run("digest", "--since", "2024-03-01", "--until", "2024-03-31")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Team digest 2024-03-01 to 2024-03-31\n")
    assert (
        "1 of 2 teams wrote minutes: 2 meetings, 2 decisions, 2 actions opened, "
        "1 done or dropped, 2 issues discussed." in text
    )
    assert "## iaas\n\n2 meetings: [2024-03-07](minutes/iaas/20240307.md), " in text
    assert "- we evaluate yawol first ([2024-03-07](minutes/iaas/20240307.md))" in text
    assert "- opened: @alice: write the LB comparison (" in text and "; done 2024-03-14)" in text
    assert "- done: @alice: write the LB comparison (" in text and "; written 2024-03-07)" in text
    assert "- still open from earlier meetings: 1 listed again" in text
    assert "- [lbaas#12](https://github.com/acme/lbaas/issues/12): [2024-03-07]" in text
    assert "## No minutes in the period\n\n- container: last meeting 2024-02-01" in text
    assert "_Offline: issue titles and states not looked up (no GITHUB_TOKEN)._" in text


def test_digest_slides_have_a_slide_per_team_between_separators(project: Path) -> None:
    result = run("digest", "--since", "2024-03-01", "--slides")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("---\ntype: slide\n")
    slides = text.split("\n\n---\n\n")
    assert [s.split("\n", 1)[0] for s in slides[1:]] == [
        "## Report iaas",
        "## No minutes this time",
    ]
    assert "New actions, still open:\n- @bob: ask the network team" in slides[1]
    assert "Done:\n- @alice: write the LB comparison" in slides[1]
    assert "- container (last meeting 2024-02-01)" in slides[2]


def test_digest_json_holds_the_numbers(project: Path) -> None:
    result = run("digest", "--since", "2024-01-01", "--json", "--team", "CONTAINER")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [t["team"] for t in found["teams"]] == ["container"] and found["silent"] == []
    assert [d["text"] for d in found["teams"][0]["decisions"]] == ["meet weekly"]


def test_digest_asks_github_once_for_titles_and_states(
    project: Path,
    ghfake,  # noqa: F811
    gh_env,  # noqa: F811
) -> None:
    ghfake.add_issue("acme/lbaas#12", title="Evaluate *yawol*", state="closed", kind="pull")
    result = run("digest", "--since", "2024-03-01", env=gh_env)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "[lbaas#12](https://github.com/acme/lbaas/issues/12) Evaluate \\*yawol\\* (closed)" in (
        text
    )
    assert "- [docs#3](https://github.com/acme/docs/issues/3): [2024-03-14](" in text
    assert "_Issue titles and states from GitHub: 2 looked up in 1 request, 1 unknown._" in text
    assert "(https://github.example/acme/minutes/blob/0123456789abcdef" in text
    assert ghfake.counts["GRAPHQL"] == 1 and ghfake.requests == 1
    assert TOKEN not in result.output


def test_digest_template_can_be_overridden_and_a_broken_one_is_one_line(project: Path) -> None:
    (project / "templates").mkdir()
    override = project / "templates" / "digest.md.j2"
    override.write_text(
        "{% for t in digest.teams %}{{ t.name }}: {{ t.meetings|length }}\n{% endfor %}",
        encoding="utf-8",
    )
    assert run("digest", "--since", "2024-01-01").stdout == "container: 1\niaas: 2\n"
    override.write_text("ok\n{% for t in digest.teams %}\n{{ t.nothing.at_all }}\n{% endfor %}\n")
    result = run("digest", "--since", "2024-01-01")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "digest.md.j2:3" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["digest"], "Missing option '--since'"),
        (["digest", "--since", "2024-02-30"], "is not a date (YYYY-MM-DD)"),
        (["digest", "--since", "2024-03-01", "--until", "2024-02-01"], "is after --until"),
        (
            ["digest", "--since", "2024-03-01", "--team", "storage"],
            "unknown team 'storage' in minutes",
        ),
        (["stats", "--since", "yesterday"], "is not a date (YYYY-MM-DD)"),
        (
            ["stats", "--team", "storage"],
            "unknown team 'storage' in minutes (known teams: container, iaas)",
        ),
    ],
)
def test_bad_input_is_one_clear_error(project: Path, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_stats_prints_tables_and_draws_charts(project: Path) -> None:
    result = run("stats", "--out", "charts", "--no-git")
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    # one mark per month, February and March: container met in February only
    assert ["container", "1", "1", "█·"] in rows and ["iaas", "2", "1", "·█"] in rows
    assert ["@alice", "iaas", "2", "2", "100%", "·█"] in rows
    assert ["(nobody)", "0", "1", "1"] in rows
    assert ["iaas", "2", "1", "1", "1"] in rows
    charts = sorted(p.name for p in (project / "charts").iterdir())
    assert charts == [
        f"{n}.{f}" for n in ("actions", "attendance", "chores") for f in ("png", "svg")
    ]
    assert result.stderr.startswith("charts: charts/attendance.png, ")


def test_stats_filters_by_team_and_period(project: Path) -> None:
    result = run("stats", "--team", "iaas", "--since", "2024-03-10", "--json", "--no-git")
    found = json.loads(result.stdout)
    assert found["teams"] == ["iaas"] and found["months"] == ["2024-03"]
    assert found["meetings"] == [{"team": "iaas", "month": "2024-03", "meetings": 1}]
    assert {(a["person"], a["meetings"]) for a in found["attendance"]} == {
        ("@alice", 1),
        ("Carol Example", 1),
    }
    assert found["actions"] == [
        {"team": "iaas", "month": "2024-03", "opened": 0, "relisted": 1, "closed": 1}
    ]


def test_stats_charts_into_a_file_is_one_line(project: Path) -> None:
    (project / "taken").write_text("", encoding="utf-8")
    result = run("stats", "--out", "taken/charts", "--no-git")
    assert result.exit_code == 1
    assert result.stderr.startswith("minutesbot: error: taken/charts: charts not written (")
    assert result.stderr.count("\n") == 1


def _modules_after(args: list[str], project: Path, *, hide: str = "") -> subprocess.Popen:
    """Run the command in a fresh interpreter; report which heavy modules it imported."""
    code = (
        "import sys\n"
        + (f"sys.modules[{hide!r}] = None\n" if hide else "")
        + "from minutesbot.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code, file=sys.stderr)\n"
        "print(sorted(m for m in ('matplotlib', 'github', 'numpy') if m in sys.modules))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False
    )


def test_matplotlib_and_pygithub_are_imported_only_when_needed(project: Path) -> None:
    tables = _modules_after(["stats", "--no-git"], project)
    assert tables.stdout.splitlines()[-1] == "[]"
    offline = _modules_after(["digest", "--since", "2024-01-01"], project)
    assert offline.stdout.splitlines()[-1] == "[]"
    charts = _modules_after(["stats", "--no-git", "--out", "c"], project)
    assert "'matplotlib'" in charts.stdout.splitlines()[-1]


def test_charts_without_matplotlib_say_how_to_get_it(project: Path) -> None:
    done = _modules_after(["stats", "--no-git", "--out", "c"], project, hide="matplotlib")
    assert "charts need matplotlib: pip install 'minutesbot[charts]'" in done.stderr
    assert done.stderr.splitlines()[-1] == "exit 1"
    assert not (project / "c").exists()


def test_a_configured_team_without_minutes_is_silent_under_its_name(project: Path) -> None:
    (project / "minutesbot.toml").write_text(
        'default-owner = "acme"\n[teams.storage]\nname = "Storage SIG"\n', encoding="utf-8"
    )
    result = run("digest", "--since", "2024-03-01")
    assert "No minutes from container, Storage SIG." in result.stdout
    assert "- Storage SIG: no minutes before" in result.stdout
