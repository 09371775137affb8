"""Pytest fixtures around the imitation; test modules import them by name.

``ghfake`` serves a fresh :class:`FakeGitHub` for one test and, at teardown,
holds every answer it gave against GitHub's OpenAPI description when
``../shared`` is there (the imitation itself does not need it).
``gh_env`` is the environment a workflow would give ``minutesbot publish``,
pointed at the imitation, with waits shrunk so faults cost milliseconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ghfake.server import FakeGitHub

# One fault of each kind a run must come through with the end state of a run without.
FAULTS = [
    pytest.param(dict(kind="status", method="GET", status=500, times=2), id="500-on-list"),
    pytest.param(dict(kind="status", method="POST", status=502, times=2), id="502-on-post"),
    pytest.param(
        dict(kind="store-then-status", method="POST", status=502, times=2),
        id="502-after-storing-post",
    ),
    pytest.param(dict(kind="secondary", method="POST", times=2), id="secondary-rate-limit"),
    pytest.param(dict(kind="too-many", times=3), id="429"),
    pytest.param(dict(kind="primary", times=1), id="primary-rate-limit"),
    pytest.param(dict(kind="drop", method="GET", times=2), id="dropped-read"),
    pytest.param(dict(kind="store-then-drop", method="POST", times=2), id="dropped-after-post"),
    pytest.param(dict(kind="slow", method="POST", delay=1.6, times=1), id="slow-post-past-timeout"),
]

PROJECT = Path(__file__).resolve().parents[2]
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


# What a run gets under sustained faults: more tries, a shorter timeout, a longer budget.
CHAOS_ENV = {
    "MINUTESBOT_GITHUB_ATTEMPTS": "8",
    "MINUTESBOT_GITHUB_TIMEOUT": "0.5",
    "MINUTESBOT_GITHUB_MAX_WAIT": "60",
}


def inject_chaos(fake: FakeGitHub, rate: float, seed: int):
    """Every kind of failure, ``rate`` of all requests, answers later than the half-second
    timeout among them (with :data:`CHAOS_ENV`); returns the rule."""
    fake.seed(seed)
    return fake.inject(
        ["status", "store-then-status", "secondary", "too-many", "drop", "store-then-drop", "slow"],
        rate=rate,
        times=None,
        delay=0.7,
    )


def minutesbot_process(repo, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``minutesbot ARGS`` as a process of its own in the checkout ``repo`` (to be killed,
    or to race another), with ``env`` in place of the GitHub and minutesbot variables."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MINUTESBOT_"))
    }
    environment.update(env)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])
    )
    return subprocess.Popen(
        [sys.executable, "-m", "minutesbot", *args],
        cwd=repo,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


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
