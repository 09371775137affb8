"""Fetching a calendar's YAML: a file in or beside the minutes repository, or a URL.

A URL is read with ``requests`` (a timeout, two retries on a dropped
connection or a 502/503/504, and a size cap, so a wrong link to a large
file or a hanging server cannot stall a run). Files the calendar includes
are found relative to the file or URL that includes them, as yaml2ics does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from minutesbot.calendar import CalendarError
from minutesbot.capped import Unreadable, read_capped

MAX_BYTES = 2 * 1024 * 1024  # the whole SCS calendar with its archive is 60 kB
TIMEOUT = 10  # seconds, to connect and between bytes
RETRIES = 2
_TOO_LARGE = f"larger than {MAX_BYTES // 1024} kB; not a meeting calendar"


@dataclass(frozen=True)
class Text:
    """One calendar file's text and where it came from."""

    ref: str  # the path or URL, to resolve what it includes
    where: str  # how messages name it (a URL without credentials or query)
    text: str


def is_url(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


def shown(url: str) -> str:
    """The URL as messages may show it: user, password and query left out (they may
    carry a token)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def resolve(ref: str, base: Path) -> str:
    """A configured calendar: a URL as it is, a path relative to ``base`` (the folder
    of the configuration, so ``../calendar/main.yml`` is a checkout beside it)."""
    if is_url(ref):
        return ref
    return os.path.normpath(base / Path(ref).expanduser())


def included(ref: str, parent: Text) -> str:
    """The file an ``include:`` entry of ``parent`` names."""
    if is_url(ref):
        return ref
    if is_url(parent.ref):
        return urljoin(parent.ref, ref)
    return os.path.normpath(Path(parent.ref).parent / ref)


def read_text(ref: str) -> Text:
    """The text of a calendar file or URL; any failure is a CalendarError naming it."""
    if is_url(ref):
        where = shown(ref)
        data = _fetch(ref, where)
    else:
        where = _display(Path(ref))
        data = _read_file(Path(ref))
    try:
        return Text(ref, where, data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CalendarError(f"{where}: not UTF-8 text (byte {exc.start})") from None


def _display(path: Path) -> str:
    """A path as messages show it: relative to the working directory when it is below it
    or beside it (``../calendar/main.yml``), else absolute."""
    full = os.path.abspath(path)
    relative = os.path.relpath(full)
    return full if relative.startswith(os.pardir + os.sep + os.pardir) else relative


def _read_file(path: Path) -> bytes:
    try:
        return read_capped(path, MAX_BYTES)
    except Unreadable as exc:
        why = {
            "missing": "no such calendar file",
            "folder": "is a folder, not a calendar file",
            "special": "not a regular file, not a calendar file",
            "large": _TOO_LARGE,
            "grew": _TOO_LARGE,
        }.get(exc.kind, f"cannot read it ({exc.detail})")
        raise CalendarError(f"{_display(path)}: {why}") from None


def _fetch(url: str, where: str) -> bytes:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(
        total=RETRIES,
        connect=RETRIES,
        read=RETRIES,
        status=RETRIES,
        backoff_factor=0.3,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=retry))
        session.mount("https://", HTTPAdapter(max_retries=retry))
        try:
            with session.get(
                url,
                timeout=TIMEOUT,
                stream=True,
                headers={"Accept": "application/yaml, text/yaml, text/plain;q=0.9"},
            ) as answer:
                if answer.status_code != 200:
                    raise CalendarError(
                        f"{where}: the server answered {answer.status_code} "
                        f"{answer.reason or ''}".rstrip()
                    )
                if "html" in answer.headers.get("Content-Type", "").lower():
                    raise CalendarError(
                        f"{where}: the server answered an HTML page, not YAML (link the raw file)"
                    )
                return _capped(answer.iter_content(64 * 1024), where)
        except requests.RequestException as exc:
            raise CalendarError(f"{where}: cannot fetch it ({_reason(exc)})") from None


def _capped(chunks, where: str) -> bytes:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > MAX_BYTES:
            raise CalendarError(f"{where}: {_TOO_LARGE}")
    return bytes(data)


def _reason(exc: Exception) -> str:
    """What went wrong, without the URL (which may carry a token) that requests repeats."""
    import requests

    for kind, text in (
        (requests.Timeout, f"no answer within {TIMEOUT} s"),
        (requests.ConnectionError, "cannot connect"),
        (requests.TooManyRedirects, "too many redirects"),
    ):
        if isinstance(exc, kind):
            return text
    return type(exc).__name__
