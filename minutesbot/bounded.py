"""HTTP answers with bounds, for every client minutesbot has (GitHub, pads).

A server, or anything between it and us, may answer slowly on purpose: a
byte every half second keeps each socket read inside any read timeout, and
an answer of hundreds of MB fills the memory. So:

- :class:`BoundedAdapter` (a ``requests`` transport adapter) opens
  connections whose every socket read -- status line, headers and body --
  waits at most until ``ends()``, the moment by which the caller wants the
  request over; past it a read fails as a read timeout does;
- :func:`read_capped` reads a streamed body piece by piece and stops past a
  size cap, before the rest is read (a declared ``Content-Length`` over the
  cap is refused unread).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

Ends = Callable[[], float]  # a time.monotonic() value


class TooLarge(Exception):
    """An answer past the size cap; ``declared`` is its Content-Length when it said one."""

    def __init__(self, cap: int, declared: int | None = None) -> None:
        self.cap, self.declared = cap, declared
        size = f"is {declared} bytes" if declared is not None else "is longer"
        super().__init__(f"the answer {size}, more than the {cap} bytes allowed")


def read_capped(response: Any, cap: int) -> bytes:
    """The body of a streamed ``requests`` response, at most ``cap`` bytes, else TooLarge.

    Each piece is taken as soon as the socket has some (``read1``), so a
    body that trickles in is read as it comes, each read bounded by the
    connection's deadline.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise TooLarge(cap, int(declared))
    data = bytearray()
    for piece in _pieces(response):
        data.extend(piece)
        if len(data) > cap:
            raise TooLarge(cap)
    return bytes(data)


def _pieces(response: Any) -> Iterator[bytes]:
    """The body as it comes; a failure in it raised as ``requests`` raises it while
    streaming (a read past the deadline is a ReadTimeout)."""
    from requests.exceptions import ChunkedEncodingError, ConnectionError, ReadTimeout
    from urllib3.exceptions import ProtocolError, ReadTimeoutError

    raw = response.raw
    while True:
        try:
            piece = raw.read1(64 * 1024, decode_content=True)
        except ReadTimeoutError as exc:
            raise ReadTimeout(exc) from None
        except ProtocolError as exc:
            raise ChunkedEncodingError(exc) from None
        except OSError as exc:
            raise ConnectionError(exc) from None
        if not piece:
            return
        yield piece


class _Reader(io.RawIOBase):
    """The read side of a socket file, each read waiting at most until ``ends()``."""

    def __init__(self, raw: io.RawIOBase, sock: Any, ends: Ends) -> None:
        super().__init__()
        self._raw, self._sock, self._ends = raw, sock, ends

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._ends() - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out: the request's time is up")
        before = self._sock.gettimeout()
        self._sock.settimeout(left if before is None else min(before, left))
        try:
            return self._raw.readinto(buffer)
        finally:
            self._sock.settimeout(before)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Socket:
    """A connected socket (plain or TLS) whose files for reading stop at ``ends()``.

    Everything else is the socket's own; its file is the socket's, wrapped,
    so that closing the socket while an answer is still read works as it
    does for a plain socket.
    """

    def __init__(self, sock: Any, ends: Ends) -> None:
        self._sock, self._ends = sock, ends

    def makefile(self, mode: str = "r", buffering: int | None = None, **options: Any) -> Any:
        if mode != "rb":
            return self._sock.makefile(mode, buffering, **options)
        reader = _Reader(self._sock.makefile("rb", buffering=0), self._sock, self._ends)
        return reader if buffering == 0 else io.BufferedReader(reader)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _pool_classes(ends: Ends) -> dict[str, type]:
    """Connection pools whose connections read no longer than ``ends()`` allows."""

    class Plain(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            self.sock = _Socket(self.sock, ends)  # type: ignore[assignment]

    class Secure(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            self.sock = _Socket(self.sock, ends)  # type: ignore[assignment]

    class PlainPool(HTTPConnectionPool):
        ConnectionCls = Plain

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = Secure

    return {"http": PlainPool, "https": SecurePool}


class BoundedAdapter(HTTPAdapter):
    """A ``requests`` adapter (no retries of its own) whose requests end by ``ends()``."""

    def __init__(self, ends: Ends) -> None:
        self._ends = ends
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self._ends)
