"""The HedgeDoc 1.x imitation answers as HedgeDoc's own API description says (and the check
of that is not vacuous)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from loopback import Exchange
from padfake.openapi_check import outside, problems
from padfake.server import FakePad

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def spec(shared_dir):
    return shared_dir / "pads" / "hedgedoc-1.12" / "openapi.yml"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(
    fake: FakePad,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        fake.origin + path,
        data=body,
        method=method,
        headers={"Content-Type": content_type} if content_type else {},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_endpoints_minutesbot_uses_answer_as_described(spec):
    with FakePad() as fake:
        fake.add_note("team-2024", "# 2024-05-16\n")
        status, headers, body = call(fake, "POST", "/new", b"# Some header", "text/markdown")
        assert status == 302 and headers["Location"] == "/created-1"
        assert call(fake, "GET", "/created-1/download")[2] == b"# Some header"
        assert call(fake, "GET", "/new")[0] == 302
        status, headers, body = call(fake, "GET", "/team-2024/download")
        assert (status, headers["Content-Type"], body) == (
            200,
            "text/markdown; charset=UTF-8",
            b"# 2024-05-16\n",
        )
        assert call(fake, "GET", "/missing/download")[0] == 404
        assert problems(spec, fake.exchanges) == []
        assert {e.template for e in fake.exchanges} == {"/new", "/{note}/download"}


def test_a_private_note_redirects_an_anonymous_visitor_to_the_login_page(spec):
    """Not in the API description: HedgeDoc sends a visitor without the right to the start
    page, which asks for a login; the answer a client ends up with is HTML."""
    with FakePad() as fake:
        fake.add_note("secret", "# 2024-05-16\n", private=True)
        status, headers, _ = call(fake, "GET", "/secret/download")
        assert status == 302 and headers["Location"] == "/?next=%2Fsecret%2Fdownload"
        status, headers, body = call(fake, "GET", "/?next=%2Fsecret%2Fdownload")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert b'type="password"' in body
        assert outside(spec, fake.exchanges) == {"/"}


def test_without_anonymous_notes_new_redirects_to_the_login_page():
    with FakePad(anonymous_create=False) as fake:
        status, headers, _ = call(fake, "POST", "/new", b"# x", "text/markdown")
        assert status == 302 and headers["Location"].startswith("/?next=")
        assert fake.notes == {}


def test_the_check_catches_wrong_answers(spec):
    """A negative control: a download as HTML, a 500, a /new that does not redirect."""
    wrong = [
        Exchange("GET", "/x/download", "/{note}/download", 200, b"<html>", HTML, 0.0),
        Exchange("GET", "/x/download", "/{note}/download", 500, b"", {}, 0.0),
        Exchange("POST", "/new", "/new", 200, b"", HTML, 0.0),
        Exchange("DELETE", "/new", "/new", 200, b"", {}, 0.0),
    ]
    found = problems(spec, wrong)
    assert len(found) == 4
    assert "media type 'text/html', documented: text/markdown" in found[0]
    assert "status not documented" in found[1]
    assert "no 3xx with Location" in found[2]
    assert "not in the description" in found[3]
