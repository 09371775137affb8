"""Under faults every ref gets exactly one comment, and a second run writes nothing."""

from __future__ import annotations

import time

import pytest
from ghfake.fixtures import (  # noqa: F401
    CHAOS_ENV,
    FAULTS,
    FILE,
    MEETING,
    REFS,
    gh_env,
    ghfake,
    inject_chaos,
    minutes_repo,
    run,
    seed,
)

from minutesbot.publish.backlinks import marker_for

MARKER = marker_for("container/20240418.md")


def assert_one_comment_each(fake, refs=REFS):
    for ref in refs:
        ours = [b for b in fake.comments_on(ref) if b.startswith(MARKER)]
        assert len(ours) == 1, (ref, ours)


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_still_gives_exactly_one_comment_per_issue(tmp_path, ghfake, gh_env, fault):
    seed(ghfake)
    rule = ghfake.inject(**fault)
    repo = minutes_repo(tmp_path)
    result = run(repo, gh_env, FILE)
    assert rule.fired >= 1
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert_one_comment_each(ghfake)
    ghfake.clear_faults()
    ghfake.reset_counts()
    again = run(repo, gh_env, FILE)
    assert "3 unchanged" in again.output and ghfake.writes == 0


def test_post_stored_then_502_is_found_by_its_marker_not_resent(tmp_path, ghfake, gh_env):
    seed(ghfake, ["acme/harbor#62"])
    ghfake.inject("store-then-status", method="POST", status=502)
    repo = minutes_repo(
        tmp_path, {"container/20240418.md": "# 2024-04-18\n\n## Harbor\nacme/harbor#62\n"}
    )
    result = run(repo, gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created")
    assert ghfake.counts["POST"] == 1  # the re-listing found it: no second POST
    assert len(ghfake.comments_on("acme/harbor#62")) == 1


def test_fifteen_percent_faults_same_end_state(tmp_path, ghfake, gh_env):
    refs = [f"acme/stacks#{n}" for n in range(1, 21)]
    seed(ghfake, refs)
    text = "# 2024-04-18\n\n" + "".join(f"## Topic {n}\nacme/stacks#{n}\n\n" for n in range(1, 21))
    repo = minutes_repo(tmp_path, {"container/20240418.md": text})
    # Answers later than the timeout among the faults, and now and then a spent primary
    # rate limit that resets within the second.
    chaos = inject_chaos(ghfake, 0.12, 7)
    limits = ghfake.inject("primary", rate=0.04, times=None, retry_after=1)
    env = {**gh_env, **CHAOS_ENV}
    result = run(repo, env, FILE)
    assert result.exit_code == 0, result.output
    assert "20 created" in result.output and chaos.fired >= 3 and limits.fired >= 1
    assert_one_comment_each(ghfake, refs)
    second = run(repo, env, FILE)  # still under faults: nothing to write
    assert "20 unchanged" in second.output
    assert_one_comment_each(ghfake, refs)
    assert chaos.kinds["slow"] >= 1


def test_run_killed_half_way_then_rerun_ends_in_the_same_state(tmp_path, ghfake, gh_env):
    refs = [f"acme/stacks#{n}" for n in range(1, 11)]
    seed(ghfake, refs)
    text = "# 2024-04-18\n\n" + "".join(f"## Topic {n}\nacme/stacks#{n}\n\n" for n in range(1, 11))
    repo = minutes_repo(tmp_path, {"container/20240418.md": text})
    # After four comments the network dies: the rest of the run is lost.
    ghfake.inject("drop", after_writes=4, times=None)
    killed = run(repo, gh_env, FILE)
    assert killed.exit_code == 1
    assert "4 created" in killed.output and "6 failed" in killed.output
    ghfake.clear_faults()
    rerun = run(repo, gh_env, FILE)
    assert rerun.exit_code == 0, rerun.output
    assert "6 created, 0 updated, 4 unchanged" in rerun.output
    assert_one_comment_each(ghfake, refs)


def test_duplicates_from_an_earlier_race_keep_the_oldest(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.add_comment("acme/harbor#62", "A person's comment", login="alice")
    oldest = ghfake.add_comment("acme/harbor#62", MARKER + "\nstale text")
    ghfake.add_comment("acme/harbor#62", MARKER + "\nstale text")
    ghfake.add_comment("acme/harbor#62", MARKER + "\nstale text")
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert "removed 2 duplicate(s)" in result.output
    bodies = ghfake.comments_on("acme/harbor#62")
    assert bodies[0] == "A person's comment" and len(bodies) == 2
    assert bodies[1].startswith(MARKER) and "Harbor upgrade" in bodies[1]
    assert oldest in ghfake.comments
    assert ghfake.counts["DELETE"] == 2 and ghfake.counts["PATCH"] == 1


def test_rate_limit_beyond_the_wait_budget_fails_fast(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.inject("secondary", method="POST", retry_after=3600, times=None)
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert result.exit_code == 1
    assert "3 failed" in result.output and "wait budget" in result.output
    assert ghfake.counts["POST"] == 3  # one try each, then the verdict: no hour-long sleep


def test_every_answer_too_slow_fails_the_run_within_the_budget(tmp_path, ghfake, gh_env):
    refs = [f"acme/stacks#{n}" for n in range(1, 11)]
    seed(ghfake, refs)
    text = "# 2024-04-18\n\n" + "".join(f"## Topic {n}\nacme/stacks#{n}\n\n" for n in range(1, 11))
    ghfake.inject("slow", delay=1.5, times=None)
    env = {**gh_env, "MINUTESBOT_GITHUB_TIMEOUT": "1", "MINUTESBOT_GITHUB_MAX_WAIT": "2"}
    started = time.monotonic()
    result = run(minutes_repo(tmp_path, {"container/20240418.md": text}), env, FILE)
    assert time.monotonic() - started < 4  # was 52 s: each ref tried for itself
    assert result.exit_code == 1
    assert "0 created, 0 updated, 0 unchanged, 0 removed, 0 skipped, 10 failed" in result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("the 2s wait budget is spent: no more requests this run")
    assert all(line.endswith("not tried: the 2s wait budget is spent") for line in lines[1:10])
    assert ghfake.requests == 2


def test_retry_after_is_honoured(tmp_path, ghfake, gh_env):
    seed(ghfake, ["acme/harbor#62"])
    ghfake.inject("secondary", method="POST", retry_after=1)
    repo = minutes_repo(
        tmp_path, {"container/20240418.md": "# 2024-04-18\n\n## Harbor\nacme/harbor#62\n"}
    )
    assert run(repo, gh_env, FILE).exit_code == 0
    posts = [e for e in ghfake.exchanges if e.method == "POST" and "graphql" not in e.path]
    assert [e.status for e in posts] == [403, 201]
    assert posts[1].at - posts[0].at >= 1.0


def test_many_comments_are_paged_through(tmp_path, ghfake, gh_env):
    seed(ghfake)
    for n in range(230):
        ghfake.add_comment("acme/stacks#56", f"comment {n}", login="alice")
    ghfake.add_comment("acme/stacks#56", MARKER + "\nold")
    run(minutes_repo(tmp_path), gh_env, FILE)
    ours = [b for b in ghfake.comments_on("acme/stacks#56") if b.startswith(MARKER)]
    assert len(ours) == 1 and "Consolidate folder structure" in ours[0]
    pages = [e for e in ghfake.exchanges if e.method == "GET" and "/stacks/" in e.path]
    assert len(pages) == 3  # 231 comments, 100 a page
