"""A calendar named by URL: fetched over real HTTP from a loopback server."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from minutesbot.calendar import CalendarError
from minutesbot.calendar.reader import read_calendar
from minutesbot.calendar.source import MAX_BYTES
from minutesbot.calendar.team import team_calendar

MAIN = b"name: Main\ntimezone: Europe/Berlin\ninclude:\n  - teams/alpha.yml\n"
ALPHA = b"""timezone: Europe/Berlin
events:
  - summary: Alpha weekly
    begin: 2026-01-08 10:05:00
    duration: {minutes: 50}
    description: |
      Minutes: https://github.com/org/minutes/tree/main/alpha
      HedgeDoc: https://pad.example.org/alpha
    repeat: {interval: {weeks: 1}, until: 2026-12-31, except_on: [2026-01-15 10:05:00]}
"""


class Site:
    """What the server answers: path -> (status, content type, body); some paths fail
    a number of times first."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.failures: dict[str, int] = {}
        self.requests: list[str] = []


@pytest.fixture()
def site() -> Iterator[tuple[Site, str]]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            state.requests.append(path)
            if state.failures.get(path, 0) > 0:
                state.failures[path] -= 1
                status, kind, body = 503, "text/plain", b"busy"
            else:
                status, kind, body = state.pages.get(path, (404, "text/plain", b"no"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_calendar_and_its_includes_come_over_http(site: tuple[Site, str]) -> None:
    state, base = site
    state.pages["/cal/main.yml"] = (200, "text/yaml", MAIN)
    state.pages["/cal/teams/alpha.yml"] = (200, "text/plain; charset=utf-8", ALPHA)
    state.failures["/cal/teams/alpha.yml"] = 1  # a busy server is asked again
    alpha = team_calendar(read_calendar(f"{base}/cal/main.yml"), "alpha")
    assert alpha.where == f"{base}/cal/main.yml"
    assert alpha.pad_url(alpha.meetings()[0].day) == "https://pad.example.org/alpha"
    assert [o.day.isoformat() for o in alpha.skipped()] == ["2026-01-15"]
    assert state.requests == [
        "/cal/main.yml",
        "/cal/teams/alpha.yml",
        "/cal/teams/alpha.yml",
    ]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            None,
            r"^http://127\.0\.0\.1:\d+/cal/main\.yml: the server answered 404 Not Found$",
        ),
        (
            (200, "text/html; charset=utf-8", b"<html>login</html>"),
            r"answered an HTML page, not YAML",
        ),
        ((200, "text/yaml", b"#" * (MAX_BYTES + 1)), r"larger than 2048 kB"),
        ((200, "text/yaml", b"name: [unclosed\n"), r"main\.yml:2: not valid YAML"),
    ],
)
def test_bad_answers_are_one_line_errors_without_credentials(
    site: tuple[Site, str], page, message: str
) -> None:
    state, base = site
    if page:
        state.pages["/cal/main.yml"] = page
    url = base.replace("http://", "http://reader:s3cret@") + "/cal/main.yml?token=t0ken"
    with pytest.raises(CalendarError) as caught:
        read_calendar(url)
    text = str(caught.value)
    assert "s3cret" not in text and "t0ken" not in text and "\n" not in text
    assert re.search(message, text), text


def test_a_server_that_is_not_there() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        CalendarError,
        match=rf"^http://127\.0\.0\.1:{port}/main\.yml: cannot fetch it \(cannot connect\)$",
    ):
        read_calendar(f"http://127.0.0.1:{port}/main.yml")
