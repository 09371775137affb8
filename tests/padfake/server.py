"""Stateful imitations of pad servers over real HTTP on 127.0.0.1: HedgeDoc 1.x, HedgeDoc 2, HackMD.

One :class:`FakePad` serves one kind of server. It holds notes (their
markdown, whether they are private) and uploads (image bytes), answers in
the shapes the real servers answer in (``kinds.py``), records every
exchange (for the HedgeDoc 1.x check against HedgeDoc's own API
description, ``openapi_check.py``) and counts requests per method.

Faults are injected on demand (:meth:`FakePad.inject`): an error status, an
answer slower than the client waits, a dropped connection, a web page
instead of markdown (a captive portal), an endless body, a body that
trickles in byte by byte. Nothing here imports pytest.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from loopback import Exchange, Loopback

LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>HedgeDoc - Collaborative markdown notes</title>"
    b'</head><body><form action="/login" method="post"><input name="email">'
    b'<input name="password" type="password"><button>Sign in</button></form>'
    b"</body></html>"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0\xa0"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any) -> Reply:
        return cls(
            status, json.dumps(data).encode(), {"Content-Type": "application/json; charset=utf-8"}
        )

    @classmethod
    def html(cls, status: int, body: bytes = LOGIN_PAGE) -> Reply:
        return cls(status, body, {"Content-Type": "text/html; charset=utf-8"})

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(
            status,
            f"Found. Redirecting to {location}".encode(),
            {"Location": location, "Content-Type": "text/plain; charset=utf-8"},
        )


@dataclass
class Note:
    text: str
    private: bool = False
    readers: frozenset[str] = frozenset()  # tokens that may read (HedgeDoc 2, HackMD)
    writers: frozenset[str] = frozenset()  # tokens that may write


@dataclass
class Fault:
    """``kind``: ``status`` (answer ``status``), ``slow`` (answer after ``delay`` s), ``drop``
    (close unanswered), ``html`` (a 200 web page), ``endless`` (a body that never ends),
    ``trickle`` (the answer, a byte every ``delay`` s)."""

    kind: str
    method: str | None = None
    path: str | None = None
    times: int | None = 1
    status: int = 502
    delay: float = 1.0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and (self.path is None or self.path in path)


class FakePad(Loopback):
    """The imitation of one pad server of ``kind``: state, faults, counters, HTTP around them."""

    def __init__(self, kind: str = "hedgedoc1", *, anonymous_create: bool = True) -> None:
        from padfake.kinds import APPS

        self.kind = kind
        self.app = APPS[kind](self)
        self.anonymous_create = anonymous_create
        self.notes: dict[str, Note] = {}
        self.uploads: dict[str, tuple[bytes, str]] = {}
        self.faults: list[Fault] = []
        self.exchanges: list[Exchange] = []
        self.counts: Counter[str] = Counter()
        self.lock = threading.RLock()
        self._created = 0
        self.origin = ""

    # -- life cycle -------------------------------------------------------
    def start(self) -> str:
        """Serve on a free port of 127.0.0.1; returns the origin."""
        self.origin = self.listen(type("Handler", (_Handler,), {"fake": self}))
        return self.origin

    # -- state ------------------------------------------------------------
    def add_note(
        self,
        note: str,
        text: str,
        *,
        private: bool = False,
        token: str | None = None,
        read_only: bool = False,
    ) -> str:
        """A note; ``token`` may read it (and write it unless ``read_only``). Returns its URL."""
        tokens = frozenset({token} if token else ())
        with self.lock:
            self.notes[note] = Note(text, private, tokens, frozenset() if read_only else tokens)
        return f"{self.origin}/{note}"

    def add_upload(self, path: str, data: bytes = PNG, media_type: str = "image/png") -> str:
        """An uploaded file at ``path`` (e.g. ``/uploads/x.png``); returns its URL."""
        self.uploads[path] = (data, media_type)
        return self.origin + path

    def text(self, note: str) -> str:
        return self.notes[note].text

    def new_id(self) -> str:
        with self.lock:
            self._created += 1
            return f"created-{self._created}"

    def inject(self, kind: str, **rule: Any) -> Fault:
        fault = Fault(kind, **rule)
        self.faults.append(fault)
        return fault

    def _fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path) and (
                    fault.times is None or fault.fired < fault.times
                ):
                    fault.fired += 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    fake: FakePad
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: Any) -> None:
        pass

    def _serve(self) -> None:
        fake = self.fake
        method, path = self.command, urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with fake.lock:
            fake.counts[method] += 1
        fault = fake._fault(method, path)
        if fault and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault and fault.kind == "status":
            reply, template = Reply.json(fault.status, {"message": "injected"}), None
        elif fault and fault.kind == "html":
            reply, template = Reply.html(200), None
        else:
            reply, template = fake.app.answer(method, path, dict(self.headers), body)
        if fault and fault.kind in ("endless", "trickle"):
            self._stream(reply, fault)
            return
        # Recorded before it is sent: a client that has its answer finds it recorded.
        with fake.lock:
            fake.exchanges.append(
                Exchange(
                    method,
                    path,
                    template,
                    reply.status,
                    reply.body,
                    dict(reply.headers),
                    time.time(),
                )
            )
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except OSError:  # the client gave up (a test of its timeouts)
            self.close_connection = True

    def _stream(self, reply: Reply, fault: Fault) -> None:
        """A body without a length: endless zeros, or the reply a byte at a time."""
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            if fault.kind == "endless":
                while True:
                    self.wfile.write(b"#" * 65536)
            for byte in reply.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(fault.delay)
        except OSError:
            return

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve
