"""Images uploaded to the pad, copied into the repository beside the minutes.

A pad server keeps uploaded images under its own paths (HedgeDoc 1.x
``/uploads/``, HedgeDoc 2 ``/media/``, HackMD ``/_uploads/``), and servers
get cleaned out. So ``pad pull`` saves each image the meeting links to in the
team's folder, under the name the server gave it (a random name such as
``3fa400c9-...-5dfa45da06d4.jpg``, unique on the server), and rewrites the
links to that bare name -- the layout the SCS minutes repository uses.

Only the pad server's own uploads are fetched: any other link stays as it
is, and no request goes to another host. An image already in the folder is
not fetched again (uploads never change under their name), so a re-run
changes nothing and needs no server for the images it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from minutesbot.pads.servers import UPLOAD_PATHS, PadLocation
from minutesbot.pads.transport import PadError, Transport

_NAME = r"(?P<name>[A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:png|jpe?g|gif|svg|webp|avif|heic|heif|bmp))"
_IMAGE_TYPES = ("image/",)


@dataclass(frozen=True)
class Upload:
    """One upload link: as written in the pad, where to fetch it, the file name to keep."""

    written: str
    source: str
    name: str


def _pattern(location: PadLocation) -> re.Pattern[str]:
    """Upload links of the pad's server: absolute (either scheme) or relative to it."""
    netloc = re.escape(urlsplit(location.origin).netloc)
    paths = "|".join(re.escape(p) for p in UPLOAD_PATHS[location.kind])
    return re.compile(
        rf"(?:https?://{netloc}|(?:(?<=[(<\"'])|(?<=\]: )))(?:{paths}){_NAME}"
        r"(?![\w.-])",
        re.I,
    )


def uploads_in(text: str, location: PadLocation) -> list[Upload]:
    """The pad server's upload links in ``text``, each once, in order of appearance."""
    found: dict[str, Upload] = {}
    for match in _pattern(location).finditer(text):
        written = match.group(0)
        if written not in found:
            path = written[written.index("/", 8) :] if "://" in written else written
            found[written] = Upload(written, location.origin + path, match.group("name"))
    return list(found.values())


def rewrite(text: str, location: PadLocation) -> str:
    """``text`` with each of the pad server's upload links replaced by the bare file name."""
    return _pattern(location).sub(lambda m: m.group("name"), text)


def fetch_images(transport: Transport, uploads: list[Upload], folder: Path) -> dict[str, bytes]:
    """The images not yet in ``folder``, fetched: file name -> bytes.

    A link whose image cannot be had is a PadError naming it: minutes that
    point at a file the repository lacks are the problem this solves.
    """
    fetched: dict[str, bytes] = {}
    for upload in uploads:
        if upload.name in fetched or (folder / upload.name).is_file():
            continue
        what = f"image {upload.source}"
        answer = transport.get(
            upload.source, what, auth=False, limit=transport.policy.max_image_bytes
        )
        if answer.status != 200:
            raise PadError(
                f"{what}: the server answered {answer.status}"
                + (": it is gone from the pad server" if answer.status in (404, 410) else ""),
                "not-found" if answer.status in (404, 410) else "failed",
            )
        if not answer.media_type.startswith(_IMAGE_TYPES):
            raise PadError(
                f"{what}: the server answered {answer.media_type or 'no media type'}, not an image",
                "not-markdown",
            )
        fetched[upload.name] = answer.body
    return fetched
