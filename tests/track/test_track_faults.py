"""minutesbot track under faults: exactly one issue per action, the same end state as a run
without faults, nothing written twice, and two runs at once leave one issue each."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ghfake.fixtures import (  # noqa: F401
    CHAOS_ENV,
    FAULTS,
    gh_env,
    ghfake,
    inject_chaos,
    minutesbot_process,
)
from ghfake.server import FakeGitHub
from track_fixtures import REPO, SETTINGS, closing_comments, seed, track, tracked, tracking_repo

PROJECT = Path(__file__).resolve().parents[2]
OWNERS = ["alice", "bob", "carol", "zed"]  # zed cannot be assigned
WORDS = (
    "harbor keycloak grafana loki tempo mimir cilium calico rook ceph velero kyverno falco "
    "trivy dex zuul gitea matrix jitsi nextcloud openstack nova neutron cinder glance swift "
    "octavia designate barbican magnum heat ironic manila placement horizon skyline kolla "
    "yaook gardener cluster stacks capi capo helm flux argo tekton spire vault consul nomad "
    "etcd coredns metallb traefik envoy istio linkerd prometheus alertmanager thanos jaeger"
).split()
TEXTS = {n: " ".join(WORDS[3 * n : 3 * n + 3]) for n in range(1, 21)}
FIRST = "container/20240418.md"
SECOND = "container/20240425.md"
MEETING = "# 2024-04-18\n\n## Agenda\n\n" + "".join(
    f"### Topic {n}\n- AI @{OWNERS[n % 4]}: review {TEXTS[n]}\n\n" for n in range(1, 21)
)
# The review two weeks later: ten actions done, three dropped, the rest still open.
REVIEW = (
    "# 2024-04-25\n\n## Agenda\n\n### Check AIs from last time\n"
    + "".join(f"- AI @{OWNERS[n % 4]}: review {TEXTS[n]} - done\n" for n in range(1, 11))
    + "".join(f"- AI @{OWNERS[n % 4]}: review {TEXTS[n]} (dropped)\n" for n in range(11, 14))
)


def end_state(fake: FakeGitHub) -> list[tuple]:
    """What a person sees: per tracked issue (by its marker) its title, state and reason,
    labels, assignees, body, and the closing comments on it."""
    return sorted(
        (
            (i.body or "").split("\n", 1)[0],
            i.title,
            i.state,
            i.state_reason,
            i.labels,
            i.assignees,
            i.body,
            len(closing_comments(fake, f"{REPO}#{i.number}")),
        )
        for i in tracked(fake)
    )


def both_meetings(repo: Path, env: dict[str, str]) -> list:
    first = track(repo, env, f"minutes/{FIRST}")
    (repo / "minutes" / SECOND).write_text(REVIEW, encoding="utf-8")
    second = track(repo, env, f"minutes/{SECOND}")
    return [first, second]


@pytest.fixture
def reference(tmp_path_factory, gh_env) -> list[tuple]:
    """The end state of both meetings tracked without a fault."""
    with FakeGitHub() as fake:
        seed(fake, ("alice", "bob", "carol"))
        repo = tracking_repo(tmp_path_factory.mktemp("reference"), {FIRST: MEETING})
        runs = both_meetings(repo, {**gh_env, "GITHUB_API_URL": fake.base_url})
        assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
        state = end_state(fake)
    assert len(state) == 20
    assert sum(s[2] == "closed" for s in state) == 13
    return state


@pytest.mark.parametrize(
    "fault",
    [
        *FAULTS,
        pytest.param(
            dict(kind="store-then-status", method="PATCH", status=502, times=2),
            id="502-after-storing-patch",
        ),
    ],
)
def test_a_fault_leaves_the_end_state_of_a_run_without(tmp_path, ghfake, gh_env, fault, reference):
    seed(ghfake, ("alice", "bob", "carol"))
    rule = ghfake.inject(**fault)
    repo = tracking_repo(tmp_path, {FIRST: MEETING})
    runs = both_meetings(repo, gh_env)
    assert rule.fired >= 1
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
    assert end_state(ghfake) == reference
    ghfake.clear_faults()
    ghfake.reset_counts()
    again = track(repo, gh_env, f"minutes/{FIRST}", f"minutes/{SECOND}")
    assert again.exit_code == 0 and ghfake.writes == 0, again.output


def test_fifteen_percent_faults_same_end_state(tmp_path, ghfake, gh_env, reference):
    seed(ghfake, ("alice", "bob", "carol"))
    chaos = inject_chaos(ghfake, 0.15, 11)
    env = {**gh_env, **CHAOS_ENV}
    repo = tracking_repo(tmp_path, {FIRST: MEETING})
    runs = both_meetings(repo, env)
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
    assert chaos.fired >= 5
    assert end_state(ghfake) == reference
    writes = ghfake.writes
    again = track(repo, env, f"minutes/{FIRST}", f"minutes/{SECOND}")  # still under faults
    assert again.exit_code == 0, again.output
    assert ghfake.writes == writes and end_state(ghfake) == reference


def test_post_stored_then_502_is_found_by_its_marker_not_resent(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.inject("store-then-status", method="POST", status=502)
    repo = tracking_repo(tmp_path)
    result = track(repo, gh_env, "minutes/container/20240418.md")
    assert result.exit_code == 0, result.output
    assert ghfake.counts["POST"] == 3  # the first one's listing found it: not sent again
    assert len(tracked(ghfake)) == 3


def test_run_killed_half_way_then_rerun_ends_in_the_same_state(tmp_path, ghfake, gh_env, reference):
    seed(ghfake, ("alice", "bob", "carol"))
    repo = tracking_repo(tmp_path, {FIRST: MEETING})
    ghfake.inject("drop", after_writes=7, times=None)  # the network dies after seven issues
    killed = track(repo, gh_env, f"minutes/{FIRST}")
    assert killed.exit_code == 1
    assert len(tracked(ghfake)) == 7
    ghfake.clear_faults()
    runs = both_meetings(repo, gh_env)
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
    assert "13 created, 0 updated, 7 unchanged" in runs[0].output
    assert end_state(ghfake) == reference


def track_process(repo: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return minutesbot_process(repo, env, "track", f"minutes/{FIRST}")


def test_two_runs_at_once_leave_one_issue_per_action(tmp_path, ghfake, gh_env, reference):
    seed(ghfake, ("alice", "bob", "carol"))
    repo = tracking_repo(tmp_path, {FIRST: MEETING})
    track(repo, {}, "--dry-run", f"minutes/{FIRST}")  # the index is built before the race
    # Each run's first listing waits for the other's: both find no issue and both open one.
    ghfake.inject("barrier", method="GET", path="/issues$", times=2)
    first, second = track_process(repo, gh_env), track_process(repo, gh_env)
    outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert ghfake.counts["POST"] > 20  # they did race
    open_ones = [i for i in tracked(ghfake) if "action-item" in i.labels]
    assert len(open_ones) == 20 and len({i.body for i in open_ones}) == 20, outputs
    twins = [i for i in tracked(ghfake) if "action-item" not in i.labels]
    assert twins and all(i.state_reason == "duplicate" for i in twins)
    assert "a concurrent run's twin" in "".join(outputs) or "opened first" in "".join(outputs)
    (repo / "minutes" / SECOND).write_text(REVIEW, encoding="utf-8")
    assert track(repo, gh_env, f"minutes/{SECOND}").exit_code == 0
    labelled = [s for s in end_state(ghfake) if "action-item" in s[4]]
    assert [s[:4] + s[5:] for s in labelled] == [s[:4] + s[5:] for s in reference]


__all__ = ["SETTINGS"]
