"""What trying the README and the docs on a copy of the corpus found (issue 12, its last
point): each finding driven through the command, on the real files it came from."""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from test_first_hour import NO_INDEX, Run, corpus_project, minutesbot, run_in  # noqa: F401

PROJECT = Path(__file__).resolve().parent.parent

NO_MINUTES_FOLDER = (
    "minutesbot: error: no minutes folder minutes/ (the default): run minutesbot in your "
    "minutes repository, pass --root DIR (the folder holding the team folders), or set "
    "minutes-root under [tool.minutesbot] in its pyproject.toml\n"
)


def test_a_search_hit_on_an_items_heading_does_not_repeat_it(minutesbot: Run):
    """The heading says more than the item's title (owner, a colon); it is still the
    item's own heading, so the result names the item once."""
    found = minutesbot("search", "GPU", "flavor", "naming", "refinement")
    assert found.exit_code == 0, found.output
    assert (
        "2024-07-24  iaas  Flavor naming standard v4 - GPU flavor naming refinement  "
        "(iaas/20240724.md:63)"
    ) in found.stdout.splitlines()
    hit = next(
        json.loads(line)
        for line in minutesbot("search", "GPU", "refinement", "--json").stdout.splitlines()
        if json.loads(line)["source"] == "iaas/20240724.md"
    )
    assert (hit["line"], hit["item_line"]) == (63, 63)


@pytest.mark.parametrize(
    "command",
    [["new", "--team", "iaas", "--stdout"], ["new"], ["agenda-pr", "--team", "iaas"]],
    ids=" ".join,
)
def test_a_team_command_without_a_minutes_folder_says_the_folder_is_missing(
    minutesbot: Run, tmp_path: Path, command: list[str]
):
    """Not "unknown team 'iaas' (known teams: none)": the folder is what is missing, the
    same line as every command that reads the root."""
    result = minutesbot(*command, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert result.output == NO_MINUTES_FOLDER


@pytest.mark.parametrize(
    "command",
    [["digest", "--since"], ["decisions", "--since"], ["stats", "--until"], ["new", "--date"]],
    ids=" ".join,
)
def test_every_date_option_refuses_a_bad_date_in_the_same_words(minutesbot: Run, command):
    result = minutesbot(*command, "2024-02-30")
    option = command[1]
    assert result.exit_code == 2
    assert result.output == (
        f"minutesbot: error: Invalid value for '{option}': '2024-02-30' is not a date "
        f"(YYYY-MM-DD); see 'minutesbot {command[0]} --help'\n"
    )


def test_the_digest_counts_one_meeting_as_one(minutesbot: Run):
    result = minutesbot("digest", "--since", "2024-07-24", "--until", "2024-07-24")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "1 of 3 teams wrote minutes: 1 meeting, 0 decisions, 0 actions opened, "
        "0 done or dropped, 2 issues discussed."
    )
    assert "\n1 meeting: [2024-07-24]" in result.stdout


@pytest.mark.parametrize(
    "command",
    [["digest", "--since", "2024-07-01"], ["stats", "--no-git"], ["index"]],
    ids=lambda c: c[0],
)
def test_json_of_a_whole_answer_is_one_object_as_its_help_says(minutesbot: Run, command):
    assert "--json Print the answer as one JSON object." in " ".join(
        minutesbot(command[0], "--help").output.split()
    )
    result = minutesbot(*command, "--json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), dict)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--team", "iaas"],
            "team iaas has no pad: pass --pad URL, set pad in [tool.minutesbot.teams.iaas], "
            "or name it in the team's calendar ('HedgeDoc: URL' in the description)",
        ),
        (
            ["--team", "iaas", "--pad", "notaurl"],
            "pad URL 'notaurl' is not an https URL (http only to this machine)",
        ),
        (
            ["--team", "iaas", "--pad", "https://127.0.0.1:9/x", "--kind", "hackmd"],
            "https://127.0.0.1:9/x: a hackmd pad needs an API token (MINUTESBOT_PAD_TOKEN, "
            "or the variable the team's pad-token-env names)",
        ),
    ],
    ids=["no pad", "no URL", "no token"],
)
def test_a_pad_setting_that_cannot_work_is_a_usage_error(minutesbot: Run, args, message):
    """Status 2 as for every setting that cannot work; nothing is asked of any server."""
    result = minutesbot("pad", "pull", *args)
    assert result.exit_code == 2
    assert result.output == f"minutesbot: error: {message}\n"


def test_actions_a_review_left_out_are_listed_as_no_longer_open(minutesbot: Run):
    """sig-standardization reviews its actions in every call: what its latest review no
    longer lists is ``unlisted``, among --done (its help says so), never among --open."""
    assert "or unlisted (the team's latest review left them out)" in " ".join(
        minutesbot("actions", "--help").output.split()
    )
    ask = ["actions", "--team", "sig-standardization", "--all", "--json"]
    done = [json.loads(line) for line in minutesbot(*ask, "--done").stdout.splitlines()]
    still = [json.loads(line) for line in minutesbot(*ask, "--open").stdout.splitlines()]
    unlisted = [a for a in done if a["status"] == "unlisted"]
    assert unlisted and all(a["closed_by"]["status"] == "unlisted" for a in unlisted)
    assert {a["status"] for a in still} == {"open"}
    moved = next(a for a in unlisted if a["text"] == "move this forward")
    assert (moved["source"], moved["closed_by"]["source"], moved["closed_by"]["line"]) == (
        "sig-standardization/20231102.md",
        "sig-standardization/20260604.md",
        12,
    )


def test_short_refs_without_an_owner_are_warned_about_not_dropped_unsaid(
    minutesbot: Run, corpus_minutes: Path, tmp_path: Path
):
    """Without default-owner (or GITHUB_REPOSITORY) ``issues/#227`` names no issue; the
    file says so once, at its first such ref, and where the owner is set nothing is said."""
    (tmp_path / "minutes" / "container").mkdir(parents=True)
    shutil.copy(corpus_minutes / "container" / "20230206.md", tmp_path / "minutes" / "container")
    bare = minutesbot("lint", "minutes/container/20230206.md", cwd=tmp_path)
    assert (
        "minutes/container/20230206.md:24: warning: issues/#227 and 7 more refs name no owner, "
        "so they are read as no issues: set default-owner under [tool.minutesbot] (or "
        "GITHUB_REPOSITORY), or write OWNER/REPO#N"
    ) in bare.output.splitlines()
    parsed = minutesbot("parse", "minutes/container/20230206.md", cwd=tmp_path)
    assert "minutesbot: warning: container/20230206.md: line 24: issues/#227 and 7 more" in (
        parsed.stderr
    )
    configured = minutesbot("lint", "minutes/container/20230206.md")
    assert "no owner" not in configured.output
    assert (
        "sovereigncloudstack/issues#227"
        in minutesbot("parse", "--json", "minutes/container/20230206.md").stdout
    )


def test_a_file_too_big_for_the_index_is_measured_as_for_a_command(
    minutesbot: Run, corpus_minutes: Path, tmp_path: Path
):
    """The index's warning and parse's error say the sizes in the same words."""
    (tmp_path / "minutes" / "iaas").mkdir(parents=True)
    shutil.copy(corpus_minutes / "iaas" / "20240110.md", tmp_path / "minutes" / "iaas")
    (tmp_path / "minutesbot.toml").write_text("max-file-bytes = 5000\n")
    said = "iaas/20240110.md: 5.2 KB is more than the 5.0 KB a minutes file may have "
    indexed = minutesbot("index", cwd=tmp_path)
    assert f"minutesbot: warning: {said}(max-file-bytes in the configuration)" in (
        indexed.stderr.splitlines()
    )
    parsed = minutesbot("parse", "minutes/iaas/20240110.md", cwd=tmp_path)
    assert (
        parsed.stderr == f"minutesbot: error: minutes/{said}(max-file-bytes in the configuration)\n"
    )


def _readme_commands(after: str) -> list[list[str]]:
    """The ``minutesbot`` lines of the README's first shell block after heading ``after``,
    comments cut, globs expanded as a shell would (in the checkout)."""
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"(?ms)^## {after}\n.*?^```sh\n(.*?)^```", text)
    assert block, after
    commands = []
    for line in block[1].splitlines():
        words = shlex.split(re.sub(r"\s#\s.*", "", line))  # a comment, not a ref's #108
        if words[:1] == ["minutesbot"]:
            commands.append(
                [
                    w
                    for word in words[1:]
                    for w in (sorted(glob.glob(word, root_dir=PROJECT)) if "*" in word else [word])
                ]
            )
    return commands


@pytest.mark.parametrize("section", ["Quickstart", "Parsing minutes"])
def test_the_readmes_examples_run_on_the_demo_minutes_of_a_checkout(section: str, tmp_path: Path):
    """Each ``minutesbot`` line the README shows works in a fresh checkout (a copy of its
    demo minutes and configuration): status 0 and an answer, no file of another repository."""
    shutil.copytree(PROJECT / "minutes", tmp_path / "minutes", ignore=NO_INDEX)
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)
    commands = _readme_commands(section)
    assert len(commands) >= 3
    for args in commands:
        result = run_in(tmp_path, *args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip(), args
