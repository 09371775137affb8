"""The HTTP connection under PyGithub, bounded in time and size.

PyGithub sends each request through a connection object of its own
(``github.Requester``), which reads the whole answer with no limit and
waits as long as each socket read keeps within the timeout -- a byte every
half second keeps it waiting for ever. Its requester makes the connection
from a class the transport sets (as it sets the timeout); this one sends
the request through a :class:`~minutesbot.bounded.BoundedAdapter`, so that
every socket read ends by the moment ``ends()`` gives, and reads the body
with :func:`~minutesbot.bounded.read_capped`. It follows no redirect: a
301 is PyGithub's to follow on the same host; any other is an error (a 307 to
another host must not take the token with it, nor be taken for an answer).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from minutesbot.bounded import BoundedAdapter, Ends, read_capped

# What PyGithub handles itself: a 301 on the same host (followed), a 304 (not modified).
_HANDLED = frozenset({301, 304})


class Redirected(Exception):
    """An answer sending the request elsewhere; it is not followed."""


class Answer:
    """What PyGithub reads of an answer (the face of its ``RequestsResponse``)."""

    def __init__(self, status: int, headers: Any, body: bytes, encoding: str | None) -> None:
        self.status, self.headers, self._body = status, headers, body
        self._encoding = encoding or "utf-8"

    def getheaders(self) -> Any:
        return self.headers.items()

    def read(self) -> str:
        try:
            return self._body.decode(self._encoding, errors="replace")
        except LookupError:  # a charset Python does not know
            return self._body.decode("utf-8", errors="replace")


def bounded_connection(https: bool, ends: Ends, cap: int) -> Callable[..., Any]:
    """A connection class for PyGithub's requester: requests end by ``ends()``, answers
    past ``cap`` bytes are refused (:class:`~minutesbot.bounded.TooLarge`)."""
    from github.Requester import HTTPRequestsConnectionClass, HTTPSRequestsConnectionClass

    base: Any = HTTPSRequestsConnectionClass if https else HTTPRequestsConnectionClass

    class Bounded(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.session.mount(f"{self.protocol}://", BoundedAdapter(ends))

        def getresponse(self) -> Answer:
            left = max(ends() - time.monotonic(), 0.001)
            response = self.session.request(
                self.verb,
                f"{self.protocol}://{self.host}:{self.port}{self.url}",
                headers=self.headers,
                data=self.input,
                timeout=min(self.timeout or left, left),
                verify=self.verify,
                allow_redirects=False,
                stream=True,
            )
            with response:
                status = response.status_code
                if 300 <= status < 400 and status not in _HANDLED:
                    where = urlsplit(response.headers.get("location", "")).netloc or "nowhere"
                    raise Redirected(f"answered {status}, a redirect to {where}: not followed")
                body = read_capped(response, cap)
            return Answer(status, response.headers, body, response.encoding)

    return Bounded
