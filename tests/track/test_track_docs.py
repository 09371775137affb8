"""What docs/track.md quotes is what minutesbot prints on the demo minutes of this
repository, pushed one meeting at a time, with the configuration the docs give, at the
GitHub imitation (its address shown as github.com)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from ghfake.fixtures import gh_env, ghfake, invoke  # noqa: F401  (fixtures)

PROJECT = Path(__file__).resolve().parents[2]
DOC = PROJECT / "docs" / "track.md"
BLOCK = re.compile(r"```(\w*)\n(.*?)```\n", re.S)


def blocks() -> list[tuple[str, str]]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_the_docs_quote_what_track_prints_on_the_demo(tmp_path, ghfake, gh_env):
    [config] = [text for kind, text in blocks() if kind == "toml"]
    (tmp_path / ".git").mkdir()
    (tmp_path / "minutesbot.toml").write_text(
        'default-owner = "example-org"\n' + config, encoding="utf-8"
    )
    ghfake.add_repo("example-org/lighthouse", assignable=("ada-lovelace", "ghopper", "linus-t"))
    env = {**gh_env, "GITHUB_REPOSITORY": "example-org/minutes", "GITHUB_SHA": "4f1c2e0"}
    env["GITHUB_SERVER_URL"] = "https://github.com"
    quoted = [text for kind, text in blocks() if text.startswith("$ minutesbot ")]
    assert len(quoted) >= 3
    for text in quoted:
        command, expected = text.split("\n", 1)
        args = shlex.split(command)[2:]
        for arg in args:  # the pushed file arrives
            if arg.startswith("minutes/"):
                (tmp_path / arg).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(PROJECT / arg, tmp_path / arg)
        if args[0] == "new":  # someone closed an issue on GitHub
            ghfake.close_issue("example-org/lighthouse#6")
        run_env = {"GITHUB_TOKEN": ""} if "--dry-run" in args else env
        result = invoke(tmp_path, run_env, *args)
        assert result.exit_code == 0, result.output
        printed = result.stdout.replace(ghfake.origin, "https://github.com")
        if args[0] == "new":  # the docs quote the agenda's list of actions
            printed = printed[printed.index("### Check AIs from last time") :]
        assert printed == expected, command
    [issue] = [
        text for kind, text in blocks() if kind == "markdown" and "minutesbot:action" in text
    ]
    body = ghfake.issues_in("example-org/lighthouse")[0].body
    assert body == issue


@pytest.mark.parametrize("section", ["## Setting it up", "## What an issue says", "## Limits"])
def test_the_docs_have_their_sections(section):
    assert f"\n{section}\n" in DOC.read_text(encoding="utf-8")
