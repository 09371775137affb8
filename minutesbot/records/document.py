"""The shape of a minutes file, read from markdown-it-py's token stream.

The extractors in :mod:`minutesbot.records.parser` do not look at markdown syntax:
they look at headings and at *entries* (a list item's first paragraph, or a
paragraph of its own), each made of source lines rendered to plain text. This
module makes that view in one pass over the tokens, keeping for every line
what a reader sees (emphasis, links and HTML removed) apart from what may be
searched for issue references (prose outside link texts and code, plus link
targets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from minutesbot.records.markdown import block_markdown, block_markdown_for, plain_text

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
# An HTML heading block (HedgeDoc slides write them): its level and its inner HTML.
_HTML_HEADING = re.compile(r"^\s*+<h([1-6])\b[^>]*+>(.*)</h([1-6])>\s*+$", re.I | re.S)
_TAGS = re.compile(r"<[^>]*+>")
# A line break written as HTML: it parts the words on either side.
BREAK_TAG = re.compile(r"<br\b", re.I)
# What stands for a code span in Line.prose.
CODE = "`…`"


@dataclass(slots=True)
class Line:
    """One source line of an entry or heading."""

    number: int
    text: str
    scan: str
    struck: bool = False
    # The text with each code span replaced by CODE, where the line has one: a
    # marker inside code (`AI @x: ...` quoted) is no marker. None: as ``text``.
    prose: str | None = None

    @property
    def words(self) -> str:
        """What may carry a marker: the text outside code spans."""
        return self.text if self.prose is None else self.prose


@dataclass(slots=True)
class Entry:
    """A list item's first paragraph, or a paragraph outside lists."""

    lines: list[Line]
    line: int
    end: int
    depth: int
    is_item: bool
    parent: Entry | None = None
    children: list[Entry] = field(default_factory=list)
    heading: int = -1
    list_id: int = 0
    # In a table: the column (0 first) and whether the cell is a header cell; else -1.
    cell: int = -1
    header: bool = False

    @property
    def text(self) -> str:
        if len(self.lines) == 1:  # most entries: the join of one line is the line
            return self.lines[0].text.strip()
        return " ".join(ln.text for ln in self.lines).strip()


@dataclass(slots=True)
class Heading:
    level: int
    line: int
    text: str
    scan: str
    end: int = 0
    has_body: bool = False
    parent: int = -1


@dataclass(slots=True)
class Document:
    headings: list[Heading]
    entries: list[Entry]
    scan_only: list[Line]
    front_matter: str | None
    line_count: int
    text: str
    # The first line of a list or quote nested too deep to be read as one (see
    # minutesbot.records.markdown).
    too_deep: int | None = None


def _render_inline(token: Token, first_line: int, env: dict) -> list[Line]:
    """Plain text and searchable text of an inline token, line by line."""
    content = token.content
    if plain_text(content, env):
        # No character that starts inline markup: the children would be text
        # and line breaks only, so the source lines are the text.
        if "\n" not in content:  # most entries: a list item of one line
            return [Line(first_line, " ".join(content.split()), content)]
        return [
            Line(first_line + n, " ".join(raw.split()), raw)
            for n, raw in enumerate(content.split("\n"))
        ]
    md = block_markdown()
    children: list[Token] = []
    state = _Breaks(content, md, env, children)
    md.inline.tokenize(state)
    for rule in md.inline.ruler2.getRules(""):
        rule(state)
    lines: list[Line] = []
    text: list[str] = []
    scan: list[str] = []
    prose: list[str] | None = None
    struck_chars = plain_chars = 0
    in_link = 0
    struck = 0
    number = first_line

    def close(next_number: int) -> None:
        nonlocal text, scan, prose, struck_chars, plain_chars, number
        joined = "".join(text)
        whole_struck = plain_chars > 0 and struck_chars >= plain_chars
        outside = " ".join("".join(prose).split()) if prose is not None else None
        lines.append(Line(number, " ".join(joined.split()), " ".join(scan), whole_struck, outside))
        text, scan, prose = [], [], None
        struck_chars = plain_chars = 0
        number = next_number

    for child in children:
        kind = child.type
        if kind == "text" or kind == "text_special":
            piece = child.content
            text.append(piece)
            if prose is not None:
                prose.append(piece)
            if not in_link:
                scan.append(piece)
            visible = len(piece.strip())
            plain_chars += visible
            if struck:
                struck_chars += visible
        elif kind == "softbreak" or kind == "hardbreak":
            # The line after the break: newlines inside a code span, a tag, a link
            # title or an image's text come before it too.
            close(first_line + content.count("\n", 0, child.meta["at"]) + 1)
        elif kind == "code_inline":
            if prose is None:
                prose = text[:]
            prose.append(CODE)
            text.append(child.content)
            plain_chars += len(child.content)
            if struck:
                struck_chars += len(child.content)
        elif kind == "link_open":
            in_link += 1
            href = child.attrs.get("href")
            if isinstance(href, str):
                scan.append(" " + href + " ")
        elif kind == "link_close":
            in_link = max(0, in_link - 1)
        elif kind == "s_open":
            struck += 1
        elif kind == "s_close":
            struck = max(0, struck - 1)
        elif kind == "image":
            text.append(child.content)
            if prose is not None:
                prose.append(child.content)
        elif kind == "html_inline":
            if BREAK_TAG.match(child.content):  # "Team IaaS<br>@x": two words
                text.append(" ")
                if prose is not None:
                    prose.append(" ")
            for href in _HREF.findall(child.content):
                scan.append(" " + href + " ")
    close(number)
    return lines


class _Breaks(StateInline):
    """Inline parsing that notes where in the source each line break stands (``meta["at"]``),
    so that lines are numbered from the source, not by counting breaks."""

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        token = super().push(ttype, tag, nesting)
        if ttype == "softbreak" or ttype == "hardbreak":
            token.meta["at"] = self.pos
        return token


def _html_lines(token: Token) -> list[Line]:
    """Link targets in an HTML block (comments left out: nobody sees them)."""
    content = _HTML_COMMENT.sub("", token.content)
    start = token.map[0] + 1 if token.map else 0
    out = []
    for offset, raw in enumerate(content.split("\n")):
        hrefs = _HREF.findall(raw)
        if hrefs:
            out.append(Line(start + offset, "", " ".join(hrefs)))
    return out


def read_document(text: str) -> Document:
    """One pass over the token stream into headings and entries.

    Line ends are folded to LF first (as markdown-it does, and as files are
    read): a lone CR ends a line, so line numbers and ``text`` agree.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    env: dict = {}
    tokens = _tokens(text, env)
    headings: list[Heading] = []
    entries: list[Entry] = []
    scan_only: list[Line] = []
    front_matter = None
    open_items: list[Entry | None] = []  # one slot per open list item: its entry once known
    list_counter = 0
    list_ids: list[int] = []
    pending_heading: tuple[int, int] | None = None
    paragraph_line = 0
    column = -1  # the table cell the next inline token is in
    header_cell = False

    for token in tokens:
        kind = token.type
        if kind == "inline":
            if pending_heading is not None:
                level, line = pending_heading
                rendered = _render_inline(token, line, env)
                heading_text = " ".join(ln.text for ln in rendered).strip()
                headings.append(
                    Heading(level, line, heading_text, " ".join(ln.scan for ln in rendered))
                )
                pending_heading = None
                continue
            lines = _render_inline(token, paragraph_line, env)
            if not lines:
                continue
            slot_free = bool(open_items) and open_items[-1] is None
            parent = None  # the innermost list item open around it
            for item in reversed(open_items):
                if item is not None:
                    parent = item
                    break
            entry = Entry(
                lines,
                lines[0].number,
                lines[-1].number,
                len(open_items),
                slot_free,
                parent,
                [],
                len(headings) - 1,
                list_ids[-1] if list_ids else 0,
                column,
                header_cell,
            )  # positional: a keyword call costs more, and this runs for every entry
            if parent is not None:
                parent.children.append(entry)
            entries.append(entry)
            if slot_free:
                open_items[-1] = entry
            if headings:
                headings[-1].has_body = True
        # The branches go by how often the kind comes (paragraphs and list items first).
        elif kind == "paragraph_open":
            if token.map:
                paragraph_line = token.map[0] + 1
        elif kind == "paragraph_close":
            continue
        elif kind == "list_item_open":
            open_items.append(None)
            if headings:
                headings[-1].has_body = True
            if token.map:
                paragraph_line = token.map[0] + 1
        elif kind == "list_item_close":
            open_items.pop()
        elif kind == "bullet_list_open" or kind == "ordered_list_open":
            list_counter += 1
            list_ids.append(list_counter)
        elif kind == "bullet_list_close" or kind == "ordered_list_close":
            list_ids.pop()
        elif kind == "heading_open":
            pending_heading = (int(token.tag[1]), token.map[0] + 1 if token.map else 0)
        elif kind == "th_open" or kind == "td_open":
            column += 1
            header_cell = kind == "th_open"
        elif kind == "tr_open":
            column = -1
            if token.map:
                paragraph_line = token.map[0] + 1
        elif kind == "table_close":
            column = -1
        elif kind == "front_matter":
            front_matter = token.content
        elif (
            kind == "html_block"
            and (html := _HTML_HEADING.match(token.content))
            and html.group(1) == html.group(3)
        ):
            line = token.map[0] + 1 if token.map else 0
            inner = html.group(2)
            headings.append(
                Heading(
                    int(html.group(1)),
                    line,
                    " ".join(_TAGS.sub(" ", inner).split()),
                    " ".join(_HREF.findall(inner)),
                )
            )
        elif kind == "html_block":
            lines = _html_lines(token)
            scan_only.extend(lines)
            if headings and _HTML_COMMENT.sub("", token.content).strip():
                headings[-1].has_body = True
        # A thematic break is content (the spec): a slide separator between headings.
        elif kind in ("fence", "code_block", "table_open", "blockquote_open", "hr"):
            if headings:
                headings[-1].has_body = True

    line_count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    _close_headings(headings, entries, line_count)
    return Document(
        headings, entries, scan_only, front_matter, line_count, text, env.get("too_deep")
    )


# Blank lines before front matter (a pad's notes pasted with a blank first line): the
# YAML block is still the front matter, not a paragraph over a "---" heading underline.
BLANK_BEFORE_FRONT_MATTER = re.compile(r"\A(?:[ \t]*+\n)++(?=---[ \t]*+\n)")


def _tokens(text: str, env: dict) -> list[Token]:
    """The block tokens of ``text``; front matter after blank lines is read as front
    matter, the lines numbered as in the file."""
    blank = BLANK_BEFORE_FRONT_MATTER.match(text) if text[:1] in ("\n", " ", "\t") else None
    if blank is None:
        return block_markdown_for(text).parse(text, env)
    rest = text[blank.end() :]
    tokens = block_markdown_for(rest).parse(rest, env)
    skipped = text.count("\n", 0, blank.end())
    for token in tokens:
        if token.map:
            token.map = [token.map[0] + skipped, token.map[1] + skipped]
    return tokens


def _close_headings(headings: list[Heading], entries: list[Entry], line_count: int) -> None:
    """Set each heading's last body line and its parent heading."""
    last_line_before: list[int] = []
    for index, heading in enumerate(headings):
        next_line = headings[index + 1].line if index + 1 < len(headings) else line_count + 1
        heading.end = max(heading.line, next_line - 1)
        last_line_before.append(heading.line)
    # Trim trailing blank lines: the last entry line in the section, if any.
    last_entry_line: dict[int, int] = {}
    for entry in entries:
        if entry.heading >= 0:
            last_entry_line[entry.heading] = max(last_entry_line.get(entry.heading, 0), entry.end)
    for index, heading in enumerate(headings):
        if index in last_entry_line:
            heading.end = min(heading.end, max(heading.line, last_entry_line[index]))
    stack: list[int] = []
    for index, heading in enumerate(headings):
        while stack and headings[stack[-1]].level >= heading.level:
            stack.pop()
        heading.parent = stack[-1] if stack else -1
        stack.append(index)
