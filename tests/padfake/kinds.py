"""What each imitated pad server answers: routes, shapes and permissions.

- HedgeDoc 1.x as its API description (``shared/pads/hedgedoc-1.12/``)
  says: ``/new`` creates and redirects (GET: an empty note, POST: the
  markdown body), ``/{note}/download`` is ``text/markdown``, a missing note
  is 404. A private note is not shown to an anonymous visitor: HedgeDoc
  redirects to its start page, which is the login page (HTML). Without
  anonymous creation (``CMD_ALLOW_ANONYMOUS=false``) ``/new`` redirects
  there too. Uploads are served below ``/uploads/``.
- HedgeDoc 2: ``GET /api/v2/notes/{note}/content`` (``text/markdown``) and
  ``PUT /api/v2/notes/{note}`` (markdown body, answers the note as JSON), a
  bearer token on each; 401 without a known token, 403 without the
  permission, 404 for a missing note. Media below ``/media/``.
- HackMD API v1: ``GET /v1/notes/{id}`` (JSON with ``content``) and
  ``PATCH /v1/notes/{id}`` (JSON ``{"content": ...}``, answered 202 with no
  body), bearer token as above. Uploads below ``/_uploads/``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from padfake.server import Reply

if TYPE_CHECKING:
    from padfake.server import FakePad, Note

MARKDOWN = {"Content-Type": "text/markdown; charset=UTF-8"}


class _App:
    routes: list[tuple[str, str, str]] = []  # (method, template, handler name)
    uploads = "/uploads/"

    def __init__(self, fake: FakePad) -> None:
        self.fake = fake
        self._compiled = [
            (
                m,
                t,
                re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(t)) + "$"),
                h,
            )
            for m, t, h in self.routes
        ]

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[Reply, str | None]:
        if method == "GET" and path.startswith(self.uploads):
            found = self.fake.uploads.get(path)
            if found is None:
                return self.missing(), None
            return Reply(200, found[0], {"Content-Type": found[1]}), None
        for wanted, template, pattern, handler in self._compiled:
            match = pattern.match(path)
            if match and wanted == method:
                params = {k: unquote(v) for k, v in match.groupdict().items()}
                return getattr(self, handler)(headers=headers, body=body, **params), template
        return self.missing(), None

    def missing(self) -> Reply:
        return Reply.html(404, b"<html><body><h1>404 Not Found</h1></body></html>")

    # -- tokens (HedgeDoc 2, HackMD) ----------------------------------------
    def note_for(self, note: str, headers: dict[str, str], write: bool) -> Note | Reply:
        """The note the bearer token may read (or write), or the error reply."""
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        known = {t for n in self.fake.notes.values() for t in n.readers}
        if token not in known:
            return self.error(401, "Unauthorized")
        found = self.fake.notes.get(note)
        if found is None:
            return self.error(404, f"Note '{note}' not found")
        if token not in (found.writers if write else found.readers):
            return self.error(403, "Forbidden")
        return found

    def error(self, status: int, message: str) -> Reply:
        return Reply.json(status, {"message": message, "statusCode": status})


class HedgeDoc1(_App):
    routes = [
        ("GET", "/new", "new_empty"),
        ("POST", "/new", "new_note"),
        ("GET", "/{note}/download", "download"),
        ("GET", "/", "start_page"),
    ]

    def _login(self, next_path: str) -> Reply:
        return Reply.redirect("/?next=" + quote(next_path, safe=""))

    def start_page(self, **_: Any) -> Reply:
        return Reply.html(200)

    def new_empty(self, **_: Any) -> Reply:
        return self.new_note(body=b"")

    def new_note(self, body: bytes, **_: Any) -> Reply:
        if not self.fake.anonymous_create:
            return self._login("/new")
        note = self.fake.new_id()
        self.fake.add_note(note, body.decode("utf-8"))
        return Reply.redirect("/" + note)

    def download(self, note: str, **_: Any) -> Reply:
        found = self.fake.notes.get(note)
        if found is None:
            return self.missing()
        if found.private:
            return self._login(f"/{note}/download")
        return Reply(200, found.text.encode("utf-8"), dict(MARKDOWN))


class HedgeDoc2(_App):
    routes = [
        ("GET", "/api/v2/notes/{note}/content", "content"),
        ("PUT", "/api/v2/notes/{note}", "update"),
    ]
    uploads = "/media/"

    def content(self, note: str, headers: dict[str, str], **_: Any) -> Reply:
        found = self.note_for(note, headers, write=False)
        if isinstance(found, Reply):
            return found
        return Reply(200, found.text.encode("utf-8"), dict(MARKDOWN))

    def update(self, note: str, headers: dict[str, str], body: bytes, **_: Any) -> Reply:
        found = self.note_for(note, headers, write=True)
        if isinstance(found, Reply):
            return found
        found.text = body.decode("utf-8")
        now = datetime.now(UTC).isoformat()
        return Reply.json(
            200,
            {
                "content": found.text,
                "metadata": {
                    "id": note,
                    "aliases": [],
                    "primaryAddress": note,
                    "title": "",
                    "description": "",
                    "tags": [],
                    "updatedAt": now,
                    "createdAt": now,
                    "version": 2,
                },
                "editedByAtPosition": [],
            },
        )


class HackMD(_App):
    routes = [("GET", "/v1/notes/{note}", "get_note"), ("PATCH", "/v1/notes/{note}", "patch_note")]
    uploads = "/_uploads/"

    def get_note(self, note: str, headers: dict[str, str], **_: Any) -> Reply:
        found = self.note_for(note, headers, write=False)
        if isinstance(found, Reply):
            return found
        now = datetime.now(UTC).isoformat()
        return Reply.json(
            200,
            {
                "id": note,
                "title": "",
                "tags": [],
                "createdAt": now,
                "lastChangedAt": now,
                "lastChangeUser": None,
                "publishType": "edit",
                "publishedAt": None,
                "userPath": None,
                "teamPath": "team",
                "permalink": None,
                "shortId": note[:8],
                "publishLink": "",
                "readPermission": "signed_in",
                "writePermission": "signed_in",
                "content": found.text,
            },
        )

    def patch_note(self, note: str, headers: dict[str, str], body: bytes, **_: Any) -> Reply:
        found = self.note_for(note, headers, write=True)
        if isinstance(found, Reply):
            return found
        try:
            content = json.loads(body)["content"]
        except (ValueError, KeyError, TypeError):
            return self.error(400, "content is required")
        found.text = content
        return Reply(202)


APPS = {"hedgedoc1": HedgeDoc1, "hedgedoc2": HedgeDoc2, "hackmd": HackMD}
