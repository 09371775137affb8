"""The GitHub layer on its own: GraphQL issue states, retries, token hygiene, lazy import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ghfake.fixtures import TOKEN, ghfake  # noqa: F401

from minutesbot.github.client import GitHub
from minutesbot.github.policy import GitHubError, Policy

FAST = Policy(timeout=1, backoff=0.01, max_wait=2, request_interval=0, write_interval=0)


def client(fake, **policy) -> GitHub:
    return GitHub(TOKEN, fake.base_url, Policy(**{**FAST.__dict__, **policy}))


def test_issue_states_one_aliased_request_per_hundred_with_errors_per_alias(ghfake):
    refs = [f"acme/big#{n}" for n in range(1, 231)]
    for n, ref in enumerate(refs, 1):
        if n % 10:  # every tenth number does not exist
            ghfake.add_issue(
                ref, state="closed" if n % 3 == 0 else "open", kind="pull" if n == 5 else "issue"
            )
    ghfake.add_repo("acme/secret", access="none")
    extra = ["acme/secret#1", "nobody/nowhere#2", "orgs/acme#3", "not a ref"]
    states = client(ghfake).issue_states(refs + extra)
    assert ghfake.counts["GRAPHQL"] == 3 and ghfake.requests == 3
    assert states["acme/big#1"] == "open" and states["acme/big#3"] == "closed"
    assert states["acme/big#5"] == "open"  # a pull request
    assert states["acme/big#10"] is None and states["acme/big#230"] is None
    assert all(states[r] is None for r in extra)
    assert len(states) == len(refs) + len(extra)


def test_issue_states_retried_after_a_server_error(ghfake):
    ghfake.add_issue("acme/x#1")
    ghfake.inject("status", path="graphql", status=502)
    assert client(ghfake).issue_states(["acme/x#1"]) == {"acme/x#1": "open"}
    assert ghfake.counts["GRAPHQL"] == 2


def test_reads_give_up_after_the_attempts_with_one_scrubbed_line(ghfake):
    ghfake.add_issue("acme/x#1")
    ghfake.inject("echo-token", method="GET", times=None)
    with pytest.raises(GitHubError) as caught:
        client(ghfake, attempts=3).comments("acme/x#1")
    text = str(caught.value)
    assert ghfake.counts["GET"] == 3
    assert "\n" not in text and "gave up after 3 tries" in text
    assert TOKEN not in text and "***" in text
    assert TOKEN not in repr(caught.value.args)


def test_a_failed_post_is_not_resent_by_the_client_itself(ghfake):
    """PyGithub's GithubRetry would resend this POST; the layer's write is one try."""
    ghfake.add_issue("acme/x#1")
    ghfake.inject("status", method="POST", status=502, times=None)
    with pytest.raises(GitHubError):
        client(ghfake, attempts=2).upsert_comment("acme/x#1", "<!-- m -->", "<!-- m -->\nhi")
    # two rounds, each: list, then one POST
    assert ghfake.counts["POST"] == 2 and ghfake.counts["GET"] == 2


def test_not_found_and_forbidden_are_skip_reasons(ghfake):
    ghfake.add_repo("acme/other", access="read")
    ghfake.add_issue("acme/other#1")
    gh = client(ghfake)
    with pytest.raises(GitHubError) as missing:
        gh.comments("acme/nothing#1")
    assert missing.value.reason == "not-found" and missing.value.skipped
    with pytest.raises(GitHubError) as forbidden:
        gh.upsert_comment("acme/other#1", "<!-- m -->", "<!-- m -->\nhi")
    assert forbidden.value.reason == "forbidden" and forbidden.value.status == 403


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("BACKOFF", "soon", "MINUTESBOT_GITHUB_BACKOFF='soon' is not a number"),
        ("ATTEMPTS", "0", "MINUTESBOT_GITHUB_ATTEMPTS=0 must be a whole number, at least 1"),
        ("ATTEMPTS", "2.5", "MINUTESBOT_GITHUB_ATTEMPTS='2.5' is not a whole number"),
        ("TIMEOUT", "0", "MINUTESBOT_GITHUB_TIMEOUT=0.0 must be a number of seconds above 0"),
        ("TIMEOUT", "inf", "MINUTESBOT_GITHUB_TIMEOUT=inf must be a number of seconds above 0"),
        (
            "MAX_WAIT",
            "nan",
            "MINUTESBOT_GITHUB_MAX_WAIT=nan must be a number of seconds, at least 0",
        ),
        (
            "WRITE_INTERVAL",
            "-1",
            "MINUTESBOT_GITHUB_WRITE_INTERVAL=-1.0 must be a number of seconds, at least 0",
        ),
    ],
)
def test_bad_policy_value_is_one_line(name, value, message):
    with pytest.raises(GitHubError) as caught:
        Policy.from_env({f"MINUTESBOT_GITHUB_{name}": value})
    assert str(caught.value) == message and caught.value.reason == "invalid"


def test_a_timeout_below_a_second_is_kept_as_given(ghfake):
    """PyGithub's Github() takes whole seconds only; 0.5 must not become 1."""
    ghfake.add_issue("acme/x#1")
    ghfake.inject("slow", method="GET", delay=0.9, times=1)
    gh = client(ghfake, timeout=Policy.from_env({"MINUTESBOT_GITHUB_TIMEOUT": "0.5"}).timeout)
    assert gh.comments("acme/x#1") == []
    assert ghfake.counts["GET"] == 2 and 0.45 <= gh.waited < 0.85


@pytest.mark.parametrize("token", ["ghp_sec\nret", "ghp_sec ret", "ghp_sec\x00ret", "ghp_séc", ""])
def test_a_token_that_cannot_be_one_is_refused_without_printing_it(ghfake, token):
    with pytest.raises(GitHubError) as caught:
        GitHub(token, ghfake.base_url, FAST)
    text = str(caught.value)
    assert text.startswith("GITHUB_TOKEN is no token") and "\n" not in text and "ghp" not in text
    assert ghfake.requests == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example",
        "http://127.0.0.1:notaport",
        "http://[::1",
        "http://",
        "https://:443/api",
        "http://127.0.0.1:0",
    ],
)
def test_an_api_url_that_cannot_be_one_is_a_one_line_error(url):
    with pytest.raises(GitHubError) as caught:
        GitHub(TOKEN, url, FAST)
    assert str(caught.value) == f"GITHUB_API_URL={url!r} is not an http(s) URL"


def test_from_env_without_token_is_none():
    assert GitHub.from_env({"GITHUB_API_URL": "http://127.0.0.1:1"}) is None


def test_pygithub_is_imported_only_by_the_github_layer_when_used():
    code = (
        "import sys, minutesbot.cli, minutesbot.publish.backlinks, minutesbot.github.client; "
        "print('github' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("ghfake", [{"prefix": "/api/v3"}], indirect=True)
def test_enterprise_graphql_endpoint_is_derived_from_the_api_url(ghfake):
    ghfake.add_issue("acme/x#1", state="closed")
    assert client(ghfake).issue_states(["acme/x#1"]) == {"acme/x#1": "closed"}
    assert [e.path for e in ghfake.exchanges] == ["/api/graphql"]


def test_two_runs_at_once_then_a_third_leave_one_comment(ghfake):
    """Racing runs may both create; the next run keeps the oldest and removes the rest."""
    import threading

    for n in range(1, 6):
        ghfake.add_issue(f"acme/x#{n}")
    refs = [f"acme/x#{n}" for n in range(1, 6)]
    ghfake.inject("slow", method="GET", delay=0.2, times=10)  # both list before either writes

    def one_run():
        gh = client(ghfake)
        for ref in refs:
            gh.upsert_comment(ref, "<!-- m -->", "<!-- m -->\nbody")

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    ghfake.clear_faults()
    gh = client(ghfake)
    for ref in refs:
        gh.upsert_comment(ref, "<!-- m -->", "<!-- m -->\nbody")
        assert ghfake.comments_on(ref) == ["<!-- m -->\nbody"]


def test_scrubbing_blanks_whole_tokens_only():
    from minutesbot.github.transport import scrub_token

    assert (
        scrub_token("token x refused; Max retries exceeded", "x")
        == "token *** refused; Max retries exceeded"
    )
    assert scrub_token(f"Authorization: Bearer {TOKEN}.", TOKEN) == "Authorization: Bearer ***."
    # Quoted escaped, as repr() and JSON quote a token holding a backslash or a newline:
    assert (
        scrub_token("InvalidHeader: 'token ghp_sec\\nret'", "ghp_sec\nret")
        == "InvalidHeader: 'token ***'"
    )
    assert scrub_token('{"token": "ab\\\\cd"} ab\\cd', "ab\\cd") == '{"token": "***"} ***'


def test_network_failures_read_as_one_short_line(ghfake):
    ghfake.add_issue("acme/x#1")
    ghfake.inject("status", status=502, times=None)
    with pytest.raises(
        GitHubError,
        match=r"^acme/x#1: listing comments: 502 Bad Gateway "
        r"\(gave up after 2 tries\)$",
    ):
        client(ghfake, attempts=2).comments("acme/x#1")
    ghfake.clear_faults()
    ghfake.inject("drop", times=None)
    with pytest.raises(
        GitHubError,
        match=r"^acme/x#1: listing comments: the connection was closed "
        r"without an answer; GitHub did not answer 2 requests in a "
        r"row: no more requests this run$",
    ):
        client(ghfake, attempts=2).comments("acme/x#1")


def test_after_attempts_unanswered_requests_in_a_row_the_rest_fail_unasked(ghfake):
    for n in (1, 2, 3):
        ghfake.add_issue(f"acme/x#{n}")
    ghfake.inject("drop", times=None, skip=1)  # the first request is answered, then none
    gh = client(ghfake, attempts=3)
    assert gh.comments("acme/x#1") == []
    with pytest.raises(GitHubError, match="no more requests this run"):
        gh.comments("acme/x#2")
    asked = ghfake.requests
    with pytest.raises(
        GitHubError,
        match=r"^acme/x#3: listing comments: not tried: GitHub did not "
        r"answer 3 requests in a row$",
    ) as caught:
        gh.comments("acme/x#3")
    assert caught.value.reason == "unavailable" and not caught.value.skipped
    assert ghfake.requests == asked == 4


def test_time_spent_on_failed_tries_counts_against_the_budget(ghfake):
    import time

    for n in range(1, 11):
        ghfake.add_issue(f"acme/x#{n}")
    ghfake.inject("slow", delay=1.5, times=None)  # every answer later than the timeout
    gh = client(ghfake, timeout=1, max_wait=2)
    started = time.monotonic()
    errors = []
    for n in range(1, 11):
        with pytest.raises(GitHubError) as caught:
            gh.comments(f"acme/x#{n}")
        errors.append(str(caught.value))
    assert time.monotonic() - started < 3.5  # not 10 refs x 5 tries x 1 s
    assert errors[0].endswith(
        "no answer within 1s; the 2s wait budget is spent: no more requests this run"
    )
    assert errors[1:] == [
        f"acme/x#{n}: listing comments: not tried: the 2s wait budget is spent"
        for n in range(2, 11)
    ]
    assert ghfake.requests == 2 and gh.waited > 2


def test_spent_primary_limit_is_waited_out_before_the_next_request(ghfake):
    import time

    for n in (1, 2):
        ghfake.add_issue(f"acme/x#{n}")
    reset = int(time.time()) + 2
    ghfake.rate_limit, ghfake.rate_reset = 1, reset
    gh = client(ghfake, max_wait=5)
    gh.comments("acme/x#1")  # answered with x-ratelimit-remaining: 0
    gh.comments("acme/x#2")  # so this one waits for the reset instead of being refused
    assert [e.status for e in ghfake.exchanges] == [200, 200]
    assert ghfake.exchanges[1].at >= reset and gh.waited > 0


def test_spent_primary_limit_beyond_the_budget_fails_without_asking(ghfake):
    import time

    ghfake.add_issue("acme/x#1")
    ghfake.rate_limit, ghfake.rate_reset = 0, int(time.time()) + 3600
    gh = client(ghfake)
    with pytest.raises(GitHubError, match="wait budget") as caught:
        gh.comments("acme/x#1")
    assert caught.value.reason == "rate-limited"
    assert [e.status for e in ghfake.exchanges] == [403]  # one refusal, then no more asking


def test_removing_a_backlink_survives_a_delete_that_failed_after_it_worked(ghfake):
    ghfake.add_issue("acme/x#1")
    ghfake.add_comment("acme/x#1", "<!-- m -->\nold")
    ghfake.add_comment("acme/x#1", "someone else's")
    ghfake.inject("store-then-status", method="DELETE", status=502)
    assert client(ghfake).remove_comments("acme/x#1", "<!-- m -->") == 1
    assert ghfake.comments_on("acme/x#1") == ["someone else's"]
    assert ghfake.counts["DELETE"] == 1 and ghfake.counts["GET"] == 2


def test_open_labelled_issues_of_an_owner_in_one_search(ghfake):
    for n in range(1, 36):
        ghfake.add_issue(f"acme/stacks#{n}", title=f"Topic {n}", labels=("container-agenda",))
    ghfake.add_issue(
        "acme/docs#7", title="A pull request", kind="pull", labels=("Container-Agenda", "doc")
    )
    ghfake.add_issue("acme/docs#8", title="Closed", state="closed", labels=("container-agenda",))
    ghfake.add_issue("acme/docs#9", title="Other label", labels=("iaas-agenda",))
    ghfake.add_issue("other/stacks#1", title="Other owner", labels=("container-agenda",))
    found = client(ghfake).open_labelled("container-agenda", "acme")
    refs = {issue.ref for issue in found}
    assert len(found) == 36 and ghfake.requests == 1
    assert "acme/docs#7" in refs and not refs & {"acme/docs#8", "acme/docs#9", "other/stacks#1"}
    [pull] = [issue for issue in found if issue.ref == "acme/docs#7"]
    assert pull.kind == "pull" and pull.title == "A pull request"
    assert pull.url == f"{ghfake.origin}/acme/docs/pull/7"
    assert len(client(ghfake).open_labelled("container-agenda", "acme", limit=5)) == 5
