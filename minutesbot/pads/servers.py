"""The three pad servers minutesbot speaks to, each reduced to read, write and create.

- **HedgeDoc 1.x** (``input.scs.community``): ``GET /<note>/download`` gives
  the markdown; ``POST /new`` with a markdown body makes a note and
  redirects to it. There is no endpoint that changes a note, and no token:
  a note the server does not show to anonymous visitors answers with its
  login page (a redirect to an HTML page), which is told apart from
  markdown by its media type.
- **HedgeDoc 2**: ``GET /api/v2/notes/<note>/content`` and
  ``PUT /api/v2/notes/<note>`` (markdown body), with an API token.
- **HackMD**: ``GET /v1/notes/<id>`` (JSON with ``content``) and
  ``PATCH /v1/notes/<id>`` (JSON ``{"content": ...}``) on its API host
  (``https://api.hackmd.io`` for hackmd.io), with an API token.

A pad is named by the URL people open in the browser; :func:`locate` turns
it and the configured kind into a :class:`PadLocation`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, unquote, urljoin, urlsplit

from minutesbot.config import PAD_KINDS
from minutesbot.pads.transport import Answer, PadError, Transport, check_url

# Where each kind keeps uploaded images (paths below the server's origin).
UPLOAD_PATHS = {
    "hedgedoc1": ("/uploads/",),
    "hedgedoc2": ("/media/", "/uploads/"),
    "hackmd": ("/_uploads/",),
}
_MARKDOWN_TYPES = {"text/markdown", "text/x-markdown", "text/plain"}
HACKMD_API = "https://api.hackmd.io"


@dataclass(frozen=True)
class PadLocation:
    """Where a pad is: its kind, the page people open, the server's origin, the note's id."""

    kind: str
    url: str
    origin: str
    note: str
    api: str  # the API's base URL (the origin, but for HackMD's API host)

    @property
    def upload_prefixes(self) -> tuple[str, ...]:
        return tuple(self.origin + path for path in UPLOAD_PATHS[self.kind])


def locate(url: str, kind: str | None = None, api: str | None = None) -> PadLocation:
    """The pad behind ``url``; ``kind`` defaults to HackMD on hackmd.io, else HedgeDoc 1.x."""
    check_url(url)
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if kind is None:
        kind = "hackmd" if (parts.hostname or "").endswith("hackmd.io") else "hedgedoc1"
    if kind not in PAD_KINDS:
        raise PadError(f"pad kind {kind!r} is none of {', '.join(PAD_KINDS)}", "invalid")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if kind == "hackmd" and segments and segments[0].startswith("@"):
        segments = segments[1:]  # hackmd.io/@team/<id>: the id is the last part
    if len(segments) != 1:
        raise PadError(f"pad URL {url!r} does not name one note (https://SERVER/NOTE)", "invalid")
    if api is not None:
        check_url(api, "pad API")
    base = (
        api or (HACKMD_API if kind == "hackmd" and parts.hostname == "hackmd.io" else origin)
    ).rstrip("/")
    return PadLocation(kind, url, origin, segments[-1], base)


class PadServer(Protocol):
    location: PadLocation
    transport: Transport  # also what the pad's images are fetched over

    def read(self) -> str:
        """The pad's whole markdown."""

    def write(self, text: str) -> str:
        """Replace the pad's markdown with ``text``; the URL people open to see it."""


def _failed(location: PadLocation, answer: Answer, doing: str) -> PadError:
    """The error for an answer that is no success, by status."""
    where = f"{location.url}: {doing}"
    if answer.status in (401, 403):
        return PadError(
            f"{where}: {answer.status}: the server refused the token or the pad is private",
            "private",
        )
    if answer.status in (404, 410):
        return PadError(f"{where}: {answer.status}: there is no such note", "not-found")
    return PadError(
        f"{where}: the server answered {answer.status}",
        "unreachable" if answer.status >= 500 or answer.status == 429 else "failed",
    )


def _markdown(location: PadLocation, answer: Answer) -> str:
    """The body of a successful read, if it is markdown: a web page means a login."""
    if answer.status != 200:
        raise _failed(location, answer, "reading the pad")
    if answer.media_type not in _MARKDOWN_TYPES:
        if answer.media_type in ("text/html", "application/xhtml+xml"):
            raise PadError(
                f"{location.url}: the server answered a web page, not markdown: the "
                "pad is private or needs a login",
                "private",
            )
        raise PadError(
            f"{location.url}: the server answered {answer.media_type or 'no media type'}"
            ", not markdown",
            "not-markdown",
        )
    return answer.text()


class HedgeDoc1:
    """HedgeDoc 1.x: read by download, write only as a new note."""

    def __init__(self, location: PadLocation, transport: Transport) -> None:
        self.location = location
        self.transport = transport

    def read(self) -> str:
        url = f"{self.location.origin}/{quote(self.location.note)}/download"
        answer = self.transport.get(
            url, f"{self.location.url}: reading the pad", accept="text/markdown"
        )
        return _markdown(self.location, answer)

    def write(self, text: str) -> str:
        """HedgeDoc 1.x changes notes only in the browser: a new note, its URL."""
        doing = "creating a note"
        answer = self.transport.send(
            "POST",
            f"{self.location.origin}/new",
            f"{self.location.origin}/new: {doing}",
            body=text.encode("utf-8"),
            content_type="text/markdown",
            follow=False,
        )
        target = answer.headers.get("location")
        if answer.status not in (301, 302, 303, 307, 308) or not target:
            raise _failed(self.location, answer, doing)
        made = urljoin(f"{self.location.origin}/", target)
        if urlsplit(made).path.strip("/") in ("", "login"):
            raise PadError(
                f"{self.location.origin}: the server sent a login page instead of a "
                "new note: it does not let anonymous visitors create notes",
                "private",
            )
        return made


class _TokenAPI:
    """A server with an API for reading and changing notes (HedgeDoc 2, HackMD)."""

    method = "PUT"
    content_type = "text/markdown"

    def __init__(self, location: PadLocation, transport: Transport, note_api: str) -> None:
        self.location = location
        self.transport = transport
        self._note_api = note_api

    def _body(self, text: str) -> bytes:
        return text.encode("utf-8")

    def write(self, text: str) -> str:
        doing = "writing the pad"
        answer = self.transport.send(
            self.method,
            self._note_api,
            f"{self.location.url}: {doing}",
            body=self._body(text),
            content_type=self.content_type,
        )
        if answer.status not in (200, 201, 202, 204):
            raise _failed(self.location, answer, doing)
        return self.location.url


class HedgeDoc2(_TokenAPI):
    """HedgeDoc 2's public API: the note's markdown in and out as it is."""

    def __init__(self, location: PadLocation, transport: Transport) -> None:
        super().__init__(location, transport, f"{location.api}/api/v2/notes/{quote(location.note)}")

    def read(self) -> str:
        answer = self.transport.get(
            f"{self._note_api}/content",
            f"{self.location.url}: reading the pad",
            accept="text/markdown",
        )
        return _markdown(self.location, answer)


class HackMD(_TokenAPI):
    """HackMD's API v1: the note as JSON, its markdown in ``content``."""

    method = "PATCH"
    content_type = "application/json"

    def __init__(self, location: PadLocation, transport: Transport) -> None:
        super().__init__(location, transport, f"{location.api}/v1/notes/{quote(location.note)}")

    def _body(self, text: str) -> bytes:
        return json.dumps({"content": text}).encode("utf-8")

    def read(self) -> str:
        answer = self.transport.get(
            self._note_api, f"{self.location.url}: reading the pad", accept="application/json"
        )
        if answer.status != 200:
            raise _failed(self.location, answer, "reading the pad")
        try:
            content = json.loads(answer.body)["content"]
        except (ValueError, TypeError, KeyError):
            content = None
        if not isinstance(content, str):
            page = answer.media_type == "text/html"
            raise PadError(
                f"{self.location.url}: the API answered {'a web page' if page else 'no note'}, "
                "not a note with content",
                "private" if page else "not-markdown",
            )
        return content


def open_pad(location: PadLocation, transport: Transport) -> PadServer:
    """The client for the pad's kind of server."""
    if location.kind != "hedgedoc1" and not transport.token:
        raise PadError(
            f"{location.url}: a {location.kind} pad needs an API token "
            "(MINUTESBOT_PAD_TOKEN, or the variable the team's pad-token-env names)",
            "invalid",
        )
    kinds = {"hedgedoc1": HedgeDoc1, "hedgedoc2": HedgeDoc2, "hackmd": HackMD}
    return kinds[location.kind](location, transport)
