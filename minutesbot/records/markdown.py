"""The one markdown-it-py configuration minutes are read with.

CommonMark with tables, strikethrough and front matter, and one rule of our
own: lists and quotes nested too deep to be read as such are read as
paragraphs, so that no text is lost (see :func:`_too_deep`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

# markdown-it skips everything after a block nested past ``maxNesting`` -- the rest of
# the file, when the block is a list. Lists and quotes stop opening at FLAT_FROM
# (16 list levels; the SCS minutes nest 5 at most): a deeper item is read as a
# paragraph of the item around it, its text kept, its line kept.
MAX_NESTING = 40
FLAT_FROM = 32
_CONTAINER_MARKS = re.compile(r"^(?:>|(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$))[ \t]*+")


def _too_deep(state: StateBlock, start: int, _end: int, silent: bool) -> bool:
    """A list item or block quote opening at FLAT_FROM or deeper, read as a paragraph
    (however far it is indented: each level deeper is indented more, and would
    otherwise soon be read as code)."""
    if state.level < FLAT_FROM:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    marks = _CONTAINER_MARKS.match(line)
    if not marks:
        return False
    if silent:
        return True
    state.env.setdefault("too_deep", start + 1)
    content = line[marks.end() :]
    while (more := _CONTAINER_MARKS.match(content)) and more.end():
        content = content[more.end() :]
    if content.strip():
        state.push("paragraph_open", "p", 1).map = [start, start + 1]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = content.strip(), [start, start + 1], []
        state.push("paragraph_close", "p", -1)
    state.line = start + 1
    return True


def _configured(md: MarkdownIt) -> MarkdownIt:
    """Tables, strikethrough, front matter at the top of the file, and no nesting that
    loses text (_too_deep)."""
    from mdit_py_plugins.front_matter import front_matter_plugin

    md.options["maxNesting"] = MAX_NESTING
    md.block.ruler.before("table", "too_deep", _too_deep)
    md.enable(["table", "strikethrough"]).use(front_matter_plugin)
    registered = md.block.ruler.__rules__[md.block.ruler.__find__("front_matter")]
    plugin_rule = registered.fn

    def front_matter(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        """The plugin's rule, where a block opens at the file's first character only.

        The plugin looks at the file's first character, then counts the dashes
        from the block's second one: in a list item opening the file (``- x--
        y``) it took the item's text, and the lines after it up to the next
        unindented one, for front matter, actions and all.
        """
        return state.bMarks[start] + state.tShift[start] == 0 and plugin_rule(
            state, start, end, silent
        )

    md.block.ruler.at("front_matter", front_matter, {"alt": registered.alt})
    return md


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one markdown-it-py configuration minutesbot reads minutes with."""
    return _configured(MarkdownIt("commonmark"))


def block_markdown() -> MarkdownIt:
    """:func:`markdown` without its inline pass over every paragraph.

    Four in five lines of minutes hold no inline markup at all; tokenizing
    them only to read their text back costs a third of the parse.
    :func:`minutesbot.records.document.read_document` runs the same inline rules
    where markup may be.
    """
    return _block_markdown_without(frozenset())


def block_markdown_for(text: str) -> MarkdownIt:
    """:func:`block_markdown` without the block rules that cannot match anywhere in
    ``text``: it tokenizes ``text`` exactly as :func:`block_markdown` does.

    markdown-it tries its block rules one after the other at the start of every
    block, and again, in the lookahead of the ones that scan ahead, on every line
    of a paragraph: two thirds of the tries are of rules whose one required
    character (a table's ``|``, a quote's ``>``...) is nowhere in the file. Left
    out, the block pass over the SCS minutes takes 30% less time.
    """
    return _block_markdown_without(idle_block_rules(text))


@lru_cache(maxsize=64)
def _block_markdown_without(rules: frozenset[str]) -> MarkdownIt:
    md = _configured(MarkdownIt("commonmark"))
    # Link targets are only searched for issue URLs, as written: percent-encoding
    # them for HTML output (a URL parse each) would be work thrown away.
    md.normalizeLink = str  # type: ignore[method-assign]
    return md.disable(["inline", "text_join", *sorted(rules)])


# Block rules, and text of which each needs one in the file to match anywhere:
# a fence its three backticks or tildes, a reference definition its label's end
# followed by the colon, an HTML block its "<", and so on. Container prefixes
# (quote and list marks) come before them on a line, and do not part them.
_NEEDED_TEXT = (
    ("table", ("|",)),
    ("fence", ("```", "~~~")),
    ("blockquote", (">",)),
    ("reference", ("]:",)),
    ("html_block", ("<",)),
)
# A line that may be a thematic break (three or more of "*", "-" or "_") or a setext
# heading's underline ("=" or "-" alone), in any container: container marks, blanks,
# and one of those characters last. The line's own characters, whatever their order:
# a superset of both rules' lines.
_BREAK_OR_UNDERLINE = re.compile(r"\n[ \t>*+.)0-9_=-]*([*_=-])[ \t]*(?=\n|\Z)")
_RULES_BY_LAST_CHAR = {"-": ("hr", "lheading"), "=": ("lheading",), "*": ("hr",), "_": ("hr",)}


def idle_block_rules(text: str) -> frozenset[str]:
    """The block rules that cannot match anywhere in ``text`` (LF line ends, as
    :func:`minutesbot.records.document.read_document` passes it)."""
    idle = {rule for rule, needs in _NEEDED_TEXT if not any(n in text for n in needs)}
    if not text.startswith("---"):  # front matter opens on the file's first line
        idle.add("front_matter")
    lines = {"hr", "lheading"}
    for found in _BREAK_OR_UNDERLINE.finditer("\n" + text):
        lines.difference_update(_RULES_BY_LAST_CHAR[found[1]])
        if not lines:
            break
    return frozenset(idle | lines)


# What may start inline markup in CommonMark with strikethrough: escapes, code,
# emphasis, links and images, autolinks and HTML, entities. An underscore
# between two letters or digits (``snake_case``) can neither open nor close
# emphasis, and it is most underscores in minutes. The single characters are
# looked for first: one character class scans several times faster than the
# alternation, which is only needed where the text has an underscore.
_MARKUP_CHAR = re.compile(r"[\\`*~\[<&]")
_MARKUP = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Of those, the ones that always may, and an entity's form (a superset of markdown-it's):
# the others open markup only with a partner (see plain_text).
_ALWAYS_MARKUP = re.compile(r"[\\`*]")
_ENTITY = re.compile(r"&#?[a-z0-9]+;", re.I)


def plain_text(content: str, env: dict) -> bool:
    """Whether markdown-it reads ``content`` as text and line breaks only: no character
    that opens markup, or none with the partner it needs (a link or an image its "](",
    unless the file defines references; an entity its ";"; an autolink or a tag its ">";
    strikethrough a second "~"). A lone "[" or "&" is common in minutes."""
    if "_" in content and _MARKUP.search(content):
        return False
    if not _MARKUP_CHAR.search(content):
        return True
    return not (
        _ALWAYS_MARKUP.search(content)
        or ("[" in content and ("](" in content or "references" in env))
        or ("&" in content and _ENTITY.search(content))
        or ("<" in content and content.find(">", content.index("<")) >= 0)
        or "~~" in content
    )
