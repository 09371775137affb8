"""Reading a file someone named (minutes, a calendar): with a size cap, and every way it can
fail told apart, so that each caller says it in one line of its own words.

A directory, a device or a FIFO (``/dev/zero`` is endless, a FIFO blocks) is
refused before it is opened; a file is read at most one byte past the cap,
so that one which grows while read stays bounded too.
"""

from __future__ import annotations

import stat
from pathlib import Path


class Unreadable(Exception):
    """Why a file was not read: ``kind`` is one of ``missing``, ``folder``, ``special`` (no
    regular file), ``denied``, ``failed`` (``detail``: the system's reason), ``large``
    (larger than the cap before it was read) or ``grew`` (while it was read); ``size``:
    the bytes found, for the last two."""

    def __init__(self, kind: str, detail: str = "", size: int = 0) -> None:
        super().__init__(kind)
        self.kind, self.detail, self.size = kind, detail, size


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``cap``; :class:`Unreadable` else."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise Unreadable("folder")
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable("special")
        if status.st_size > cap:
            raise Unreadable("large", size=status.st_size)
        with path.open("rb") as handle:
            data = handle.read(cap + 1)
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except IsADirectoryError:
        raise Unreadable("folder") from None
    except PermissionError as exc:
        raise Unreadable("denied", exc.strerror or str(exc)) from None
    except OSError as exc:
        raise Unreadable("failed", exc.strerror or str(exc)) from None
    if len(data) > cap:
        raise Unreadable("grew", size=len(data))
    return data
