"""The imitation itself: its answers match GitHub's description and the answers recorded from
GitHub, its Link headers are exact."""

from __future__ import annotations

import base64
import http.client
import json
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ghfake.openapi_check import problems
from ghfake.server import Exchange, FakeGitHub


def call(fake: FakeGitHub, method: str, path: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        fake.base_url + path, data=data, method=method, headers={"Authorization": "token t"}
    )
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
            ("GET", "/rate_limit", None),
            ("GET", "/repos/acme/x", None),
            ("GET", "/repos/acme/x/issues/1", None),
            ("GET", "/repos/acme/x/issues/2", None),
            ("GET", "/repos/acme/x/issues/1/comments?per_page=1", None),
            ("GET", f"/repos/acme/x/issues/comments/{cid}", None),
            ("PATCH", f"/repos/acme/x/issues/comments/{cid}", {"body": "edited"}),
            ("POST", "/repos/acme/x/issues/2/comments", {"body": "locked"}),
            ("POST", "/repos/acme/x/issues/1/comments", {"body": ""}),
            ("GET", "/repos/acme/missing/issues/1/comments", None),
            ("DELETE", f"/repos/acme/x/issues/comments/{cid}", None),
            (
                "POST",
                "/graphql",
                {
                    "query": 'query { i0: repository(owner: "acme", name: "x") '
                    "{ issueOrPullRequest(number: 9) { __typename } } }"
                },
            ),
        ]:
            call(fake, method, path, body)
        fake.inject("secondary", method="GET")
        fake.inject("status", method="GET", status=502)
        call(fake, "GET", "/repos/acme/x")
        call(fake, "GET", "/repos/acme/x")
        statuses = [e.status for e in fake.exchanges]
        assert statuses == [
            201,
            200,
            200,
            200,
            200,
            200,
            200,
            200,
            403,
            422,
            404,
            204,
            200,
            403,
            502,
        ]
        assert problems(spec, fake.exchanges) == []


def test_the_check_catches_a_wrong_shape(spec):
    """A negative control: the validator is not vacuous."""
    wrong = {"id": "not-a-number", "body": "x"}
    found = problems(
        spec,
        [
            Exchange(
                "GET",
                "/x",
                "/repos/{owner}/{repo}/issues/comments/{comment_id}",
                200,
                wrong,
                {},
                0.0,
            )
        ],
    )
    assert any("is not of type 'integer'" in p for p in found)
    assert any("required property" in p for p in found)
    assert any("header x-ratelimit-limit" in p for p in found)


def test_link_headers_are_exact():
    with FakeGitHub() as fake:
        fake.add_issue("acme/x#1")
        for n in range(5):
            fake.add_comment("acme/x#1", f"c{n}")
        base = f"{fake.base_url}/repos/acme/x/issues/1/comments?per_page=2"
        links = [
            call(fake, "GET", f"/repos/acme/x/issues/1/comments?per_page=2&page={p}")[1].get("Link")
            for p in (1, 2, 3)
        ]
        assert links[0] == f'<{base}&page=2>; rel="next", <{base}&page=3>; rel="last"'
        assert links[1] == (
            f'<{base}&page=1>; rel="prev", <{base}&page=3>; rel="next", '
            f'<{base}&page=3>; rel="last", <{base}&page=1>; rel="first"'
        )
        assert links[2] == f'<{base}&page=2>; rel="prev", <{base}&page=1>; rel="first"'
        _, headers, page = call(fake, "GET", "/repos/acme/x/issues/1/comments")
        assert "Link" not in headers and len(page) == 5
        assert (
            headers["x-ratelimit-resource"] == "core"
            and int(headers["x-ratelimit-remaining"]) < 5000
        )


def test_counts_and_outage_after_writes():
    with FakeGitHub() as fake:
        fake.add_issue("acme/x#1")
        fake.inject("drop", after_writes=1, times=None)
        assert call(fake, "POST", "/repos/acme/x/issues/1/comments", {"body": "a"})[0] == 201
        with pytest.raises((OSError, http.client.HTTPException)):  # the connection dropped
            call(fake, "GET", "/repos/acme/x")
        assert fake.counts == {"POST": 1, "GET": 1} and fake.writes == 1


def test_refs_contents_and_pulls_for_the_action(spec):
    """The endpoints a workflow opening a minutes pull request needs, driven by PyGithub."""
    import github

    with FakeGitHub() as fake:
        fake.add_repo("acme/minutes")
        sha = fake.add_branch("acme/minutes", "main", {"minutes/a.md": "hello"})
        gh = github.Github(
            auth=github.Auth.Token("t"),
            base_url=fake.base_url,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
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
        repo.delete_file(
            "minutes/a.md", "remove", repo.get_contents("minutes/a.md").sha, branch="main"
        )
        assert fake.file_on("acme/minutes", "main", "minutes/a.md") is None
        assert problems(spec, fake.exchanges) == []


# Kinds of object, told apart by keys every object of the kind has (so that one the fake
# answers with too few keys is still told), in recorded answers and the fake's alike.
KINDS: dict[str, Callable[[dict], bool]] = {
    # (a collaborator, a user with a role in the repository, is a kind of its own)
    "simple user": lambda d: (
        {"login", "avatar_url", "site_admin"} <= d.keys() and "role_name" not in d
    ),
    "reactions": lambda d: {"total_count", "+1", "rocket"} <= d.keys(),
    "repository": lambda d: {"full_name", "owner", "private", "forks_url"} <= d.keys(),
    "issue": lambda d: {"number", "repository_url", "labels_url", "comments_url"} <= d.keys(),
    "git ref": lambda d: {"ref", "object"} <= d.keys(),
    "file": lambda d: {"sha", "path", "download_url", "_links"} <= d.keys(),
    "file commit": lambda d: d.keys() == {"content", "commit"},
    "git commit": lambda d: {"sha", "tree", "parents", "message"} <= d.keys(),
    "validation error": lambda d: d.get("message") == "Validation Failed",
    "error": lambda d: {"message", "documentation_url"} <= d.keys() and "errors" not in d,
}
# Headers GitHub's web front adds to every answer (security, CORS, transport), and the
# scopes of the classic token the recordings were made with (an app's token gets none):
# nothing a client of the API acts on.
FRONT_HEADERS = {
    "access-control-allow-origin",
    "access-control-expose-headers",
    "connection",
    "content-security-policy",
    "date",
    "referrer-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "x-xss-protection",
    "x-oauth-scopes",
    "x-accepted-oauth-scopes",
}


def _objects(value: Any) -> Iterator[dict]:
    """Every JSON object in ``value``, at any depth."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _objects(inner)


def _missing(recorded: Any, fake: Any, where: str) -> Iterator[str]:
    """The keys of ``recorded`` that ``fake`` lacks, at any depth (lists: their first items)."""
    if isinstance(recorded, dict) and isinstance(fake, dict):
        for key, value in recorded.items():
            if key not in fake:
                yield f"{where}.{key}"
            else:
                yield from _missing(value, fake[key], f"{where}.{key}")
    elif isinstance(recorded, list) and isinstance(fake, list) and recorded and fake:
        yield from _missing(recorded[0], fake[0], f"{where}[0]")


def _by_kind(bodies: list[Any]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for body in bodies:
        for obj in _objects(body):
            for kind, test in KINDS.items():
                if test(obj):
                    found[kind].append(obj)
    return found


def _every_answer_of_the_fake() -> list[tuple[str, int, dict[str, str], Any]]:
    """Method, status, headers (lower-case) and body of one request to each endpoint."""
    with FakeGitHub() as fake:
        fake.add_issue("acme/x#1")
        fake.add_issue("acme/x#2", kind="pull", state="closed", locked=True)
        sha = fake.add_branch("acme/x", "main", {"a.md": "hello"})
        content = base64.b64encode(b"new").decode()
        blob = call(fake, "GET", "/repos/acme/x/contents/a.md?ref=main")[2]["sha"]
        steps = [
            ("POST", "/repos/acme/x/issues/1/comments", {"body": "hi"}),
            ("GET", "/repos/acme/x/issues/1/comments", None),
            ("GET", "/repos/acme/x", None),
            ("GET", "/repos/acme/x/issues/1", None),
            ("GET", "/repos/acme/x/issues/2", None),
            ("GET", "/repos/acme/x/git/ref/heads/main", None),
            ("POST", "/repos/acme/x/git/refs", {"ref": "refs/heads/next", "sha": sha}),
            ("PATCH", "/repos/acme/x/git/refs/heads/next", {"sha": sha}),
            (
                "PUT",
                "/repos/acme/x/contents/b.md",
                {"message": "add", "content": content, "branch": "next"},
            ),
            (
                "PUT",
                "/repos/acme/x/contents/a.md",
                {"message": "change", "content": content, "sha": blob, "branch": "next"},
            ),
            ("POST", "/repos/acme/x/pulls", {"base": "main", "head": "next", "title": "t"}),
            ("GET", "/repos/acme/x/pulls?state=all", None),
            ("POST", "/repos/acme/x/issues/1/comments", {"body": ""}),
            ("POST", "/repos/acme/x/pulls", {"base": "main", "head": "nowhere", "title": "t"}),
            ("GET", "/repos/acme/missing", None),
        ]
        answers = [(method, *call(fake, method, path, body)) for method, path, body in steps]
    return [
        (m, status, {k.lower(): v for k, v in headers.items()}, body)
        for m, status, headers, body in answers
    ]


def test_answers_have_every_key_and_header_githubs_recorded_answers_have(shared_dir):
    """The recordings hold no comments or pull requests; their users, reactions and
    repositories are held against the recorded ones of the same kind all the same."""
    recorded = [
        exchange
        for path in sorted((shared_dir / "github" / "recorded").glob("*.json"))
        for exchange in json.loads(path.read_text(encoding="utf-8"))
        if exchange["scope"] == "https://api.github.com:443"
        and isinstance(exchange["response"], (dict, list))
        and not 300 <= exchange["status"] < 400  # redirects: the fake moves nothing
        and not exchange["path"].startswith("/search/")
    ]  # search results: a kind of their own
    fake = _every_answer_of_the_fake()
    theirs, ours = (
        _by_kind([e["response"] for e in recorded]),
        _by_kind([body for *_, body in fake]),
    )
    compared = sorted(set(theirs) & set(ours))
    assert compared == sorted(KINDS)  # each kind is in both: none is compared vacuously
    gaps = {
        f"{kind}: {gap}"
        for kind in compared
        for one in theirs[kind]
        for answer in ours[kind]
        for gap in _missing(one, answer, kind)
    }
    headers: dict[tuple[str, int], list[set[str]]] = defaultdict(list)
    for exchange in recorded:
        headers[(exchange["method"].upper(), exchange["status"])].append(set(exchange["headers"]))
    groups = 0
    for method, status, sent, _body in fake:
        if (method, status) in headers:
            groups += 1
            for name in set.intersection(*headers[(method, status)]) - FRONT_HEADERS - set(sent):
                gaps.add(f"{method} {status}: header {name}")
    assert groups >= 6
    assert not gaps, "\n".join(sorted(gaps))
