"""The imitation itself: its answers match GitHub's description, its Link headers are exact."""
from __future__ import annotations

import json
import urllib.request

import pytest

from ghfake.openapi_check import problems
from ghfake.server import Exchange, FakeGitHub


def call(fake: FakeGitHub, method: str, path: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(fake.base_url + path, data=data, method=method,
                                     headers={"Authorization": "token t"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            raw = answer.read()
            return answer.status, dict(answer.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


@pytest.fixture
def spec(shared_dir):
    return shared_dir / "github" / "openapi-subset.json"


def test_every_endpoint_answers_as_described(spec):
    with FakeGitHub() as fake:
        fake.add_issue("acme/x#1", kind="pull")
        fake.add_issue("acme/x#2", locked=True, state="closed")
        status, _, made = call(fake, "POST", "/repos/acme/x/issues/1/comments", {"body": "hi"})
        assert status == 201
        cid = made["id"]
        for method, path, body in [
            ("GET", "/rate_limit", None), ("GET", "/repos/acme/x", None),
            ("GET", "/repos/acme/x/issues/1", None), ("GET", "/repos/acme/x/issues/2", None),
            ("GET", "/repos/acme/x/issues/1/comments?per_page=1", None),
            ("GET", f"/repos/acme/x/issues/comments/{cid}", None),
            ("PATCH", f"/repos/acme/x/issues/comments/{cid}", {"body": "edited"}),
            ("POST", "/repos/acme/x/issues/2/comments", {"body": "locked"}),
            ("POST", "/repos/acme/x/issues/1/comments", {"body": ""}),
            ("GET", "/repos/acme/missing/issues/1/comments", None),
            ("DELETE", f"/repos/acme/x/issues/comments/{cid}", None),
            ("POST", "/graphql", {"query": 'query { i0: repository(owner: "acme", name: "x") '
                                           '{ issueOrPullRequest(number: 9) { __typename } } }'}),
        ]:
            call(fake, method, path, body)
        fake.inject("secondary", method="GET")
        fake.inject("status", method="GET", status=502)
        call(fake, "GET", "/repos/acme/x")
        call(fake, "GET", "/repos/acme/x")
        statuses = [e.status for e in fake.exchanges]
        assert statuses == [201, 200, 200, 200, 200, 200, 200, 200, 403, 422, 404, 204, 200, 403, 502]
        assert problems(spec, fake.exchanges) == []


def test_the_check_catches_a_wrong_shape(spec):
    """A negative control: the validator is not vacuous."""
    wrong = {"id": "not-a-number", "body": "x"}
    found = problems(spec, [Exchange("GET", "/x", "/repos/{owner}/{repo}/issues/comments/{comment_id}",
                                     200, wrong, {}, 0.0)])
    assert any("is not of type 'integer'" in p for p in found)
    assert any("required property" in p for p in found)
    assert any("header x-ratelimit-limit" in p for p in found)


def test_link_headers_are_exact():
    with FakeGitHub() as fake:
        fake.add_issue("acme/x#1")
        for n in range(5):
            fake.add_comment("acme/x#1", f"c{n}")
        base = f"{fake.base_url}/repos/acme/x/issues/1/comments?per_page=2"
        links = [call(fake, "GET", f"/repos/acme/x/issues/1/comments?per_page=2&page={p}")[1].get("Link")
                 for p in (1, 2, 3)]
        assert links[0] == f'<{base}&page=2>; rel="next", <{base}&page=3>; rel="last"'
        assert links[1] == (f'<{base}&page=1>; rel="prev", <{base}&page=3>; rel="next", '
                            f'<{base}&page=3>; rel="last", <{base}&page=1>; rel="first"')
        assert links[2] == f'<{base}&page=2>; rel="prev", <{base}&page=1>; rel="first"'
        _, headers, page = call(fake, "GET", "/repos/acme/x/issues/1/comments")
        assert "Link" not in headers and len(page) == 5
        assert headers["x-ratelimit-resource"] == "core" and int(headers["x-ratelimit-remaining"]) < 5000


def test_counts_and_outage_after_writes():
    with FakeGitHub() as fake:
        fake.add_issue("acme/x#1")
        fake.inject("drop", after_writes=1, times=None)
        assert call(fake, "POST", "/repos/acme/x/issues/1/comments", {"body": "a"})[0] == 201
        with pytest.raises(Exception):
            call(fake, "GET", "/repos/acme/x")
        assert fake.counts == {"POST": 1, "GET": 1} and fake.writes == 1


def test_refs_contents_and_pulls_for_the_action(spec):
    """The endpoints a workflow opening a minutes pull request needs, driven by PyGithub."""
    import github

    with FakeGitHub() as fake:
        fake.add_repo("acme/minutes")
        sha = fake.add_branch("acme/minutes", "main", {"minutes/a.md": "hello"})
        gh = github.Github(auth=github.Auth.Token("t"), base_url=fake.base_url, retry=None,
                           seconds_between_requests=None, seconds_between_writes=None)
        repo = gh.get_repo("acme/minutes")
        assert repo.get_git_ref("heads/main").object.sha == sha
        repo.create_git_ref("refs/heads/next", sha)
        old = repo.get_contents("minutes/a.md", ref="next")
        assert old.decoded_content == b"hello"
        repo.create_file("minutes/b.md", "add b", "new file", branch="next")
        repo.update_file("minutes/a.md", "change a", "changed", old.sha, branch="next")
        with pytest.raises(github.GithubException) as stale:
            repo.update_file("minutes/a.md", "again", "x", old.sha, branch="next")
        assert stale.value.status == 409
        assert fake.file_on("acme/minutes", "next", "minutes/a.md") == "changed"
        assert fake.file_on("acme/minutes", "main", "minutes/a.md") == "hello"
        pull = repo.create_pull(base="main", head="next", title="Minutes", body="draft")
        assert [p.number for p in repo.get_pulls(state="open", head="acme:next")] == [pull.number]
        pull.edit(title="Minutes of 2024-04-18")
        assert repo.get_pull(pull.number).title == "Minutes of 2024-04-18"
        ref = repo.get_git_ref("heads/next")
        ref.edit(sha, force=True)
        ref.delete()
        repo.delete_file("minutes/a.md", "remove", repo.get_contents("minutes/a.md").sha, branch="main")
        assert fake.file_on("acme/minutes", "main", "minutes/a.md") is None
        assert problems(spec, fake.exchanges) == []
