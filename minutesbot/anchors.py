"""Links to lines of a minutes file as GitHub shows it."""
from __future__ import annotations


def line_anchor(path: str, first: int, last: int | None = None) -> str:
    """What follows a file's URL so that GitHub opens it at lines ``first``..``last``.

    GitHub shows a markdown file rendered, where ``#L12`` selects nothing;
    ``?plain=1`` asks for the source view, whose lines the fragment highlights.
    """
    plain = "?plain=1" if path.lower().endswith((".md", ".markdown")) else ""
    return f"{plain}#L{first}" + (f"-L{last}" if last and last > first else "")
