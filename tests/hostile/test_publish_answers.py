"""Issue 16, points 4 and 5: answers no GitHub gives, and answers without end.

- A comment POST answered with an empty body, ``null``, ``[]``, a login page or a
  307 to another host made ``publish`` crash part-way (``None + str``); now that
  ref fails with one line, the rest are processed, the exit is non-zero.
- An answer trickling a byte every 0.5 s kept ``publish`` for over 120 s with
  TIMEOUT=1 and MAX_WAIT=5; a comment list of 5 MB took 127 s and 1.4 GB, one of
  300 MB reached 22.7 GB. Now a request ends by its timeout (its whole answer,
  not each read), a run by its deadline, and an answer past the size cap is
  refused as it comes in (the tests set a small cap).
"""

from __future__ import annotations

import time

import pytest
from ghfake.fixtures import FILE, REFS, TOKEN, gh_env, ghfake, minutes_repo, run, seed  # noqa: F401

from minutesbot.publish.backlinks import marker_for

MARKER = marker_for("container/20240418.md")
HARBOR_POST = r"/repos/acme/harbor/issues/62/comments$"


def one_comment_each(fake, refs) -> bool:
    return all(len([b for b in fake.comments_on(ref) if b.startswith(MARKER)]) == 1 for ref in refs)


def no_traceback(output: str) -> bool:
    return "Traceback" not in output and TOKEN not in output


@pytest.mark.parametrize("kind", ["empty", "null", "list", "html", "redirect-away"])
def test_a_post_answered_with_no_comment_fails_that_ref_alone(tmp_path, ghfake, gh_env, kind):
    seed(ghfake)
    ghfake.inject(kind, method="POST", path=HARBOR_POST, times=None)
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 1, result.output
    assert no_traceback(result.output)
    assert "2 created, 0 updated, 0 unchanged, 0 removed, 0 skipped, 1 failed" in result.output
    [failed] = [line for line in result.output.splitlines() if line.startswith("failed")]
    assert "acme/harbor#62" in failed
    assert one_comment_each(ghfake, ["acme/stacks#56", "acme/issues#420"])
    assert not ghfake.comments_on("acme/harbor#62")


@pytest.mark.parametrize("kind", ["empty", "null", "list", "html"])
def test_a_post_stored_then_answered_with_no_comment_is_found_not_resent(
    tmp_path, ghfake, gh_env, kind
):
    seed(ghfake)
    ghfake.inject(kind, method="POST", path=HARBOR_POST, stored=True)
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert one_comment_each(ghfake, REFS)


@pytest.mark.parametrize("kind", ["empty", "null", "html", "string"])
def test_a_comment_list_that_is_no_list_fails_that_ref(tmp_path, ghfake, gh_env, kind):
    seed(ghfake)
    ghfake.inject(kind, method="GET", path=r"/harbor/issues/62/comments$", times=None)
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 1 and no_traceback(result.output)
    assert "2 created" in result.output and "1 failed" in result.output
    assert "no list of comments" in result.output


def test_a_trickling_answer_ends_within_the_budget(tmp_path, ghfake, gh_env):
    """A byte every 0.5 s keeps each read inside a 1 s timeout; the request's time does not."""
    seed(ghfake)
    ghfake.inject("trickle", delay=0.5, times=None)
    env = {**gh_env, "MINUTESBOT_GITHUB_TIMEOUT": "1", "MINUTESBOT_GITHUB_MAX_WAIT": "5"}
    started = time.monotonic()
    result = run(minutes_repo(tmp_path), env, FILE)
    assert time.monotonic() - started < 10  # was past 120 s
    assert result.exit_code == 1 and no_traceback(result.output)
    assert "3 failed" in result.output
    assert "the 5s wait budget is spent" in result.output


def test_the_run_ends_at_its_deadline(tmp_path, ghfake, gh_env):
    """Answers each in time, but the whole run may not take longer than its deadline."""
    seed(ghfake)
    ghfake.inject("slow", delay=0.6, times=None)
    env = {**gh_env, "MINUTESBOT_GITHUB_DEADLINE": "1.5"}
    started = time.monotonic()
    result = run(minutes_repo(tmp_path), env, FILE)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and no_traceback(result.output)
    assert "the 1.5s deadline of this run has passed" in result.output


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "declared"])
@pytest.mark.parametrize("size", [5_000_000, 300_000_000], ids=["5MB", "300MB"])
def test_a_huge_comment_list_is_refused_at_the_cap(tmp_path, ghfake, gh_env, size, declared):
    seed(ghfake, ["acme/harbor#62"])
    huge = ghfake.inject("huge", method="GET", size=size, declared=declared, times=None)
    env = {**gh_env, "MINUTESBOT_GITHUB_MAX_BYTES": "100000"}
    repo = minutes_repo(
        tmp_path, {"container/20240418.md": "# 2024-04-18\n\n## Harbor\nacme/harbor#62\n"}
    )
    result = run(repo, env, FILE)
    assert result.exit_code == 1 and no_traceback(result.output)
    assert "more than the 100000 bytes allowed" in result.output
    # The client hung up at the cap: what the server got out is what the sockets buffer.
    assert huge.sent < 20_000_000
