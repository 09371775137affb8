"""Bytes on disk to clean text, with every repair reported.

Minutes come out of HedgeDoc/HackMD pads, editors on three operating systems
and the odd copy through a mail client. Before markdown sees a file it is
decoded here: byte-order marks dropped, UTF-16 recognised, CRLF and lone CR
folded to LF, bytes that are not UTF-8 read as Windows-1252 (what such a file
almost always is), and mojibake (UTF-8 read once as Windows-1252, so that
``πmin`` became ``Ï€min``) put back. Each repair becomes a warning with its
line, so nothing changes silently; files that cannot be minutes (binary,
absurdly large, missing) raise :class:`MinutesError` with one line naming the
file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from minutesbot.capped import Unreadable, read_capped
from minutesbot.records.record import Warning_


class MinutesError(Exception):
    """A minutes file that cannot be read; the message names the file."""


# A mojibake run: a UTF-8 lead byte (U+00C2..U+00F4 when read as Latin-1) and
# one or more characters whose Windows-1252 byte is a UTF-8 continuation byte.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]+")


def _repair_mojibake(line: str) -> str:
    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            return run.encode("cp1252").decode("utf-8")
        except UnicodeError:
            return run

    return _MOJIBAKE.sub(fix, line)


def _decode_lines(data: bytes, warnings: list[Warning_]) -> str:
    """UTF-8 line by line; a line that is not UTF-8 is read as Windows-1252."""
    out = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            warnings.append(
                Warning_(
                    number,
                    f"byte 0x{raw[exc.start]:02x} at column "
                    f"{exc.start + 1} is not UTF-8; line read as Windows-1252",
                )
            )
            out.append(raw.decode("cp1252", errors="replace"))
    return "\n".join(out)


def decode_minutes(data: bytes) -> tuple[str, list[Warning_]]:
    """Decode a minutes file's bytes to text with LF line ends, and say what was repaired."""
    warnings: list[Warning_] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MinutesError(f"UTF-16 text is broken at byte {exc.start}") from None
        data = text.encode("utf-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise MinutesError(f"binary file (NUL byte at offset {nul}), not markdown minutes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_lines(data, warnings)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _MOJIBAKE.search(text):
        lines = text.split("\n")
        for index, line in enumerate(lines):
            fixed = _repair_mojibake(line)
            if fixed != line:
                warnings.append(
                    Warning_(
                        index + 1, "repaired mojibake (UTF-8 that had been read as Windows-1252)"
                    )
                )
                lines[index] = fixed
        text = "\n".join(lines)
    return text, warnings


def sizes(size: int, limit: int) -> tuple[str, str]:
    """Two byte counts written in one unit that tells them apart: "10.6 MB" and "10.5 MB",
    "2.3 KB" and "100 bytes" never, but "10,485,761 bytes" and "10,485,760 bytes"."""
    for unit, scale in (("MB", 1e6), ("KB", 1e3)):
        if limit >= scale:
            shown = f"{size / scale:.1f} {unit}", f"{limit / scale:.1f} {unit}"
            if shown[0] != shown[1]:
                return shown
            break
    return f"{size:,} bytes", f"{limit:,} bytes"


def too_big(size: int, max_bytes: int) -> str:
    """What is wrong with a file of ``size`` bytes over ``max-file-bytes``, the same words
    wherever it is read (a command's files, the index)."""
    big, allowed = sizes(size, max_bytes)
    return (
        f"{big} is more than the {allowed} a minutes file may have "
        "(max-file-bytes in the configuration)"
    )


def read_minutes(path: Path, max_bytes: int) -> tuple[str, list[Warning_]]:
    """Read and decode one minutes file; :class:`MinutesError` names the file."""

    try:
        data = read_capped(path, max_bytes)
    except Unreadable as exc:
        why = {
            "missing": "no such file",
            "folder": "is a directory, not a minutes file",
            "special": "not a regular file, not read",  # /dev/zero, a FIFO: never minutes
            "denied": "permission denied",
            "large": too_big(exc.size, max_bytes),
            "grew": f"grew while read: {too_big(exc.size, max_bytes)}",
        }.get(exc.kind, f"cannot be read ({exc.detail})")
        raise MinutesError(f"{path}: {why}") from None
    try:
        return decode_minutes(data)
    except MinutesError as exc:
        raise MinutesError(f"{path}: {exc}") from None
