"""What a pad adds to minutes that the repository does not want, taken out.

``pad pull`` writes the meeting as the team wrote it, line for line, except:

1. Line ends are LF and the text is UTF-8 (the pad's bytes are decoded as
   minutes files are, :func:`minutesbot.reading.decode_minutes`).
2. An HTML comment that stands on lines of its own (a markdown HTML block
   made of comments only, such as a template's ``<!-- add your handle -->``)
   is removed with its lines; when blank lines stood on both sides of it, one
   of them goes too, so that no double gap is left. Comments inside a line
   of text, and anything inside code blocks, stay.
3. Spaces and tabs at the end of a line are removed -- except two or more
   spaces that make a hard line break (a line inside a paragraph that
   continues on the next line), which stay as written.
4. Blank lines at the start and the end go; the text ends with one newline.

Nothing else changes: headings, lists, indentation, blank lines between
blocks, emphasis and links stay as the team wrote them. ``normalise`` is
idempotent, so a pad pulled twice gives the same file twice.
"""

from __future__ import annotations

from minutesbot.records.markdown import markdown


# A comment ends at its first "-->" (as in HTML): a lazy ".*?" could also run on over it
# into the next comment, and a line of many empty comments took exponential time.
def _comments_only(text: str) -> bool:
    """Whether the text is one or more HTML comments and white space, nothing else.

    A scan, not a regex: the possessive pattern this replaces matched
    differently on Python 3.11.2 (Debian 12's), whose atomic groups had bugs.
    """
    rest = text.strip()
    if not rest:
        return False
    while rest:
        if not rest.startswith("<!--"):
            return False
        end = rest.find("-->", 4)
        if end < 0:
            return False
        rest = rest[end + 3 :].lstrip()
    return True


def _drop_comment_blocks(lines: list[str]) -> list[str]:
    """Rule 2: the lines of HTML blocks that hold nothing but comments, removed."""
    drop: set[int] = set()
    for token in markdown().parse("\n".join(lines)):
        if token.type == "html_block" and token.map and _comments_only(token.content):
            first, last = token.map[0], token.map[1]
            # markdown-it counts a following blank line into the block; it is no comment.
            while last > first and not lines[last - 1].strip():
                last -= 1
            drop.update(range(first, last))
            blank_before = first == 0 or not lines[first - 1].strip()
            if blank_before and last < len(lines) and not lines[last].strip():
                drop.add(last)
    return [line for number, line in enumerate(lines) if number not in drop]


def _hard_break_lines(text: str) -> set[int]:
    """0-based numbers of the lines whose trailing spaces make a hard line break."""
    found: set[int] = set()
    for token in markdown().parse(text):
        if token.type != "inline" or not token.map or not token.children:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type == "softbreak":
                line += 1
            elif child.type == "hardbreak":
                found.add(line)
                line += 1
    return found


def normalise(text: str) -> str:
    """``text`` (LF line ends) with rules 2 to 4 applied."""
    lines = text.split("\n")
    if "<!--" in text:
        lines = _drop_comment_blocks(lines)
    joined = "\n".join(lines)
    keep = _hard_break_lines(joined) if "  \n" in joined else set()
    lines = [
        line if number in keep and line.endswith("  ") else line.rstrip(" \t")
        for number, line in enumerate(lines)
    ]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""
