"""Minutes files written for a test: one helper for the archive and team tests."""

from __future__ import annotations

from pathlib import Path


def write(root: Path, source: str, text: str) -> Path:
    """Write ``text`` at ``source`` below the minutes ``root`` (folders made); its path."""
    path = root / source
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
