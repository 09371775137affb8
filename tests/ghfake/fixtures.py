"""Pytest fixtures around the imitation; test modules import them by name.

``ghfake`` serves a fresh :class:`FakeGitHub` for one test and, at teardown,
holds every answer it gave against GitHub's OpenAPI description when
``../shared`` is there (the imitation itself does not need it).
``gh_env`` is the environment a workflow would give ``minutesbot publish``,
pointed at the imitation, with waits shrunk so faults cost milliseconds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from ghfake.server import FakeGitHub

TOKEN = "ghs_Fake0Token1That2Must3Never4Be5Printed6"


def _openapi_path(request: pytest.FixtureRequest):
    """The description, or None when ../shared is absent (the shared_dir fixture of
    tests/conftest.py decides: skip locally, fail under CI)."""
    try:
        shared = request.getfixturevalue("shared_dir")
    except pytest.skip.Exception:
        return None
    return shared / "github" / "openapi-subset.json"


@pytest.fixture
def ghfake(request: pytest.FixtureRequest) -> Iterator[FakeGitHub]:
    spec = _openapi_path(request)
    fake = FakeGitHub(
        **getattr(request, "param", {})
    )  # indirect parametrization: FakeGitHub options
    fake.start()
    yield fake
    fake.stop()
    if spec is not None:
        from ghfake.openapi_check import problems

        found = problems(spec, fake.exchanges)
        assert not found, "answers that depart from GitHub's description:\n" + "\n".join(found[:20])


@pytest.fixture
def gh_env(ghfake: FakeGitHub) -> dict[str, str]:
    return {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": ghfake.base_url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": "acme/minutes",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        "GITHUB_STEP_SUMMARY": "",
        "MINUTESBOT_GITHUB_TIMEOUT": "1",
        "MINUTESBOT_GITHUB_BACKOFF": "0.01",
        "MINUTESBOT_GITHUB_MAX_WAIT": "5",
        "MINUTESBOT_GITHUB_REQUEST_INTERVAL": "0",
        "MINUTESBOT_GITHUB_WRITE_INTERVAL": "0",
    }


MEETING = """\
# 2024-04-18

## Participants
- @alice
- @bob

## Agenda

### Consolidate folder structure (@alice, 5min)
How many stacks do we want? https://github.com/acme/stacks/issues/56
- Decision: we keep one main stack
- AI @bob: write the proposal with @carol

### Harbor upgrade
acme/harbor#62 needs a review.

### Gitops tooling
See acme/stacks#56 again, and acme/issues#420.
"""


REFS = ["acme/stacks#56", "acme/harbor#62", "acme/issues#420"]
FILE = "minutes/container/20240418.md"


def seed(fake: FakeGitHub, refs: list[str] = REFS) -> None:
    for ref in refs:
        fake.add_issue(ref)


def run(repo, env: dict[str, str], *args: str):
    """``minutesbot publish ARGS`` through CliRunner, in the minutes checkout ``repo``."""
    return invoke(repo, env, "publish", *args)


def invoke(repo, env: dict[str, str], *args: str):
    """``minutesbot ARGS`` through CliRunner, in the minutes checkout ``repo``."""
    from click.testing import CliRunner

    from minutesbot.cli import main

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(cwd)


def minutes_repo(tmp_path, files: dict[str, str] | None = None, settings: str = ""):
    """A minutes checkout: ``pyproject.toml`` (owner ``acme``, then ``settings``), ``.git``,
    ``minutes/...``."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.minutesbot]\ndefault-owner = "acme"\n' + settings
    )
    for name, text in (files or {"container/20240418.md": MEETING}).items():
        path = tmp_path / "minutes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path
