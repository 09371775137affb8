"""The pad clients over real HTTP against the imitations: reads, writes, refusals and faults."""

from __future__ import annotations

import socket
import time

import pytest
from padfake.server import FakePad

from minutesbot.pads.servers import locate, open_pad
from minutesbot.pads.transport import PadError, PadPolicy, Transport

TOKEN = "hmd_Secret-Token.42"
FAST = PadPolicy(connect_timeout=1, read_timeout=0.5, deadline=10, attempts=3, backoff=0.01)


def client(fake: FakePad, note: str, token: str | None = TOKEN, policy: PadPolicy = FAST):
    transport = Transport(policy, token if fake.kind != "hedgedoc1" else None)
    return open_pad(locate(f"{fake.origin}/{note}", fake.kind), transport)


@pytest.mark.parametrize("kind", ["hedgedoc1", "hedgedoc2", "hackmd"])
def test_read_gives_the_pads_markdown(kind):
    with FakePad(kind) as fake:
        fake.add_note("team-2024", "# 2024-05-16\r\n\r\n- Grüße\n", token=TOKEN)
        assert client(fake, "team-2024").read() == "# 2024-05-16\r\n\r\n- Grüße\n"


@pytest.mark.parametrize("kind", ["hedgedoc2", "hackmd"])
def test_write_replaces_the_notes_markdown(kind):
    with FakePad(kind) as fake:
        url = fake.add_note("team-2024", "old", token=TOKEN)
        assert client(fake, "team-2024").write("# 2024-05-23\n") == url
        assert fake.text("team-2024") == "# 2024-05-23\n"


def test_hedgedoc1_writes_a_new_note_and_says_where():
    with FakePad() as fake:
        fake.add_note("team-2024", "old")
        url = client(fake, "team-2024").write("# 2024-05-23\n")
        assert url == f"{fake.origin}/created-1"
        assert fake.text("created-1") == "# 2024-05-23\n" and fake.text("team-2024") == "old"


def test_hedgedoc1_without_anonymous_notes_is_a_login_error():
    with FakePad(anonymous_create=False) as fake:
        with pytest.raises(PadError, match="does not let anonymous visitors create notes"):
            client(fake, "x").write("# 2024-05-23\n")


@pytest.mark.parametrize(
    "kind, note, token, reason, message",
    [
        ("hedgedoc1", "missing", None, "not-found", "404: there is no such note"),
        ("hedgedoc1", "private", None, "private", "answered a web page, not markdown"),
        ("hedgedoc2", "missing", TOKEN, "not-found", "404: there is no such note"),
        ("hedgedoc2", "team", "other-token", "private", "401: the server refused the token"),
        ("hackmd", "team", "other-token", "private", "401: the server refused the token"),
        (
            "hackmd",
            "locked",
            TOKEN,
            "private",
            "403: the server refused the token or the pad is private",
        ),
    ],
)
def test_refusals_are_one_line_errors(kind, note, token, reason, message):
    with FakePad(kind) as fake:
        fake.add_note("team", "x", token=TOKEN)
        fake.add_note("private", "x", private=True)
        fake.add_note("locked", "x", token="someone-else")
        with pytest.raises(PadError) as raised:
            client(fake, note, token).read()
        assert raised.value.reason == reason and message in str(raised.value)
        assert "\n" not in str(raised.value) and TOKEN not in str(raised.value)


def test_a_token_is_needed_for_hedgedoc2_and_hackmd():
    with pytest.raises(PadError, match="needs an API token"):
        open_pad(locate("https://pad.example/x", "hackmd"), Transport(FAST))


def test_a_web_page_instead_of_markdown_is_refused():
    with FakePad() as fake:
        fake.add_note("team", "x")
        fake.inject("html")
        with pytest.raises(PadError, match="web page, not markdown") as raised:
            client(fake, "team").read()
        assert raised.value.reason == "private"


def test_reads_are_retried_after_5xx_and_dropped_connections():
    with FakePad("hackmd") as fake:
        fake.add_note("team", "# 2024-05-16\n", token=TOKEN)
        fake.inject("status", status=503)
        fake.inject("drop")
        assert client(fake, "team").read() == "# 2024-05-16\n"
        assert fake.counts["GET"] == 3


def test_reads_give_up_after_the_attempts():
    with FakePad() as fake:
        fake.add_note("team", "x")
        fake.inject("status", status=502, times=None)
        with pytest.raises(PadError, match="answered 502"):
            client(fake, "team").read()
        assert fake.counts["GET"] == FAST.attempts


@pytest.mark.parametrize("kind", ["hedgedoc2", "hackmd"])
def test_a_write_is_sent_once_even_when_it_fails(kind):
    with FakePad(kind) as fake:
        fake.add_note("team", "old", token=TOKEN)
        fake.inject("drop", method="PUT" if kind == "hedgedoc2" else "PATCH")
        with pytest.raises(
            PadError, match="may or may not have stored it, so it was not sent again"
        ):
            client(fake, "team").write("new")
        assert fake.counts["PUT"] + fake.counts["PATCH"] == 1


def test_an_answer_slower_than_the_read_timeout_is_retried_then_an_error():
    with FakePad() as fake:
        fake.add_note("team", "x")
        fake.inject("slow", delay=1.5, times=None)
        with pytest.raises(
            PadError, match=r"no answer within 0.5s \(gave up after 3 tries\)"
        ) as raised:
            client(fake, "team").read()
        assert raised.value.reason == "timeout"


def test_a_trickling_answer_stops_at_the_runs_deadline():
    policy = PadPolicy(connect_timeout=1, read_timeout=1, deadline=1.5, attempts=1, backoff=0.01)
    with FakePad() as fake:
        fake.add_note("team", "# 2024-05-16\n" * 50)
        fake.inject("trickle", delay=0.05)
        started = time.monotonic()
        with pytest.raises(PadError, match="deadline") as raised:
            client(fake, "team", policy=policy).read()
        assert raised.value.reason == "timeout"
        assert time.monotonic() - started < 5


def test_an_endless_answer_is_cut_at_the_size_cap():
    policy = PadPolicy(
        connect_timeout=1, read_timeout=2, deadline=10, attempts=1, max_bytes=200_000
    )
    with FakePad() as fake:
        fake.add_note("team", "x")
        fake.inject("endless")
        with pytest.raises(PadError, match="more than the 200000 bytes allowed") as raised:
            client(fake, "team", policy=policy).read()
        assert raised.value.reason == "too-large"


def test_an_unreachable_server_is_one_line():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = Transport(FAST)
    with pytest.raises(PadError) as raised:
        open_pad(locate(f"http://127.0.0.1:{port}/team"), transport).read()
    assert raised.value.reason == "unreachable"
    assert str(raised.value).endswith(
        "connection failed: Connection refused (gave up after 3 tries)"
    )


@pytest.mark.parametrize(
    "url", ["http://pad.example/x", "ftp://127.0.0.1/x", "https:///x", "https://pad.example/a/b"]
)
def test_a_pad_url_must_be_https_and_name_one_note(url):
    with pytest.raises(PadError) as raised:
        locate(url)
    assert raised.value.reason == "invalid"


def test_hackmd_notes_are_read_from_the_api_host():
    found = locate("https://hackmd.io/@scs/AbCdEf")
    assert (found.kind, found.note, found.api) == ("hackmd", "AbCdEf", "https://api.hackmd.io")


@pytest.mark.parametrize(
    "variable, value",
    [
        ("MINUTESBOT_PAD_ATTEMPTS", "0"),
        ("MINUTESBOT_PAD_DEADLINE", "soon"),
        ("MINUTESBOT_PAD_READ_TIMEOUT", "nan"),
    ],
)
def test_bad_policy_overrides_are_one_line_errors(variable, value):
    with pytest.raises(PadError, match=variable):
        PadPolicy.from_env({variable: value})


def test_a_token_never_shows_in_an_error():
    """Even a server that echoes the request (here: the note id is the token) gets it blanked."""
    with FakePad("hedgedoc2") as fake:
        with pytest.raises(PadError) as raised:
            open_pad(locate(f"{fake.origin}/{TOKEN}", "hedgedoc2"), Transport(FAST, TOKEN)).read()
        assert TOKEN not in str(raised.value) and "***" in str(raised.value)
