"""A minutes checkout whose team container tracks its actions in acme/actions, and the
helpers the track tests share."""

from __future__ import annotations

from ghfake.fixtures import invoke, minutes_repo
from ghfake.server import FakeGitHub

from minutesbot.track.plan import CLOSING_MARKER

REPO = "acme/actions"
SETTINGS = '[tool.minutesbot.teams.container]\naction-issues = "acme/actions"\n'
FIRST = "container/20240418.md"
SECOND = "container/20240425.md"
MEETING = """\
# 2024-04-18

## Participants
- @alice
- @bob

## Agenda

### Consolidate folder structure (@alice, 5min)
- Decision: we keep one main stack
- AI @bob: write the proposal for [stacks#56](https://github.com/acme/stacks/issues/56)
- AI @zed: check the numbers

### Harbor upgrade
- AI @alice: upgrade harbor to 2.11
"""
REVIEW = """\
# 2024-04-25

## Participants
- @alice
- @bob

## Agenda

### Check AIs from last time
- AI @bob: write the proposal for stacks#56 - done
- AI @alice: upgrade harbor to 2.11 (dropped)

### Harbor upgrade
- 2.12 is out
- AI @bob: write the release notes for the harbor upgrade
"""


def tracking_repo(tmp_path, files: dict[str, str] | None = None, settings: str = SETTINGS):
    return minutes_repo(tmp_path, files or {FIRST: MEETING}, settings)


def track(repo, env: dict[str, str], *args: str):
    """``minutesbot track ARGS`` in the checkout ``repo``."""
    return invoke(repo, env, "track", *args)


def seed(fake: FakeGitHub, assignable: tuple[str, ...] = ("alice", "bob")) -> None:
    fake.add_repo(REPO, assignable=assignable)


def tracked(fake: FakeGitHub, repo: str = REPO) -> list:
    """The issues minutesbot opened there (their body opens with its marker)."""
    return [i for i in fake.issues_in(repo) if (i.body or "").startswith("<!-- minutesbot:action ")]


def closing_comments(fake: FakeGitHub, ref: str) -> list[str]:
    return [b for b in fake.comments_on(ref) if b.startswith(CLOSING_MARKER)]
