"""A threaded HTTP server on a free port of 127.0.0.1: what every imitation in tests/ runs on."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Exchange:
    """One answered request, as the checks against API descriptions need it."""

    method: str
    path: str
    template: str | None  # the route's path template; None for no route
    status: int
    body: Any
    headers: dict[str, str]
    at: float

    @property
    def media_type(self) -> str:
        value = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        return value.split(";")[0].strip().lower()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer is what fault tests do: no traceback."""


class Loopback:
    """Serves ``handler`` (a request handler class) from ``listen`` until ``stop``;
    a context manager that starts on entry."""

    _httpd: _Server | None = None

    def listen(self, handler: type[BaseHTTPRequestHandler]) -> str:
        """Start serving; returns the origin, ``http://127.0.0.1:PORT``."""
        self._httpd = _Server(("127.0.0.1", 0), handler)
        host, port = self._httpd.server_address[:2]
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://{host}:{port}"

    def start(self) -> str:
        raise NotImplementedError

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
