"""Backlinks planned: one comment per meeting on every issue its minutes discuss.

:func:`plan` turns a record into :class:`Backlink` s -- for each issue or
pull request the minutes mention, one comment covering every item of that
meeting that mentions it, rendered from ``backlink.md.j2`` (the shipped one,
or the minutes repository's own in its template directory);
:mod:`minutesbot.publish.upsert` sends them.

Nothing from the minutes reaches a comment as markup: every character that
could open markdown or HTML is escaped (so no text can close the marker,
open HTML, or make a link or image), and what GitHub itself would turn into
a link or a mention -- bare URLs, e-mail addresses, references to issues,
pull requests and commits (``#123``, ``acme/repo#5``, ``GH-77``, a commit
hash) and, unless ``neutralize-mentions = false``, ``@handle`` -- becomes a
code span, so a backlink neither links to whatever the minutes name (nor
leaves a trace on the issues they name) nor notifies everyone they mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from minutesbot.config import Config
from minutesbot.links import Links
from minutesbot.records.record import Item, Record
from minutesbot.templating import environment, escape_markdown, load, render

MAX_BODY = 65_536
MARKER = "<!-- minutesbot:backlink source={source} -->"
TEMPLATE = "backlink.md.j2"
CUT_NOTE = "… (cut to GitHub's comment size; the minutes have the rest)"
# What GitHub makes live in plain text: links (URLs, www., e-mail addresses) and mentions.
# Matched generously -- a code span too many costs nothing -- and never across a
# backtick, so that a code span made of a match cannot be closed early.
_URL_END = r"[^\s`<>]*[^\s`<>.,:;!?'\")\]*_~]"
# An address starts where its word starts: tried inside a long word, it would scan the word
# again from every letter.
LINK = re.compile(
    rf"(?:https?|ftp)://{_URL_END}|www\.{_URL_END}|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
MENTION = re.compile(r"(?<![A-Za-z0-9])@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[\w.-]+)?")
# What GitHub makes a link to an issue, a pull request or a commit: #123, acme/repo#5,
# GH-77, a commit hash (7 to 40 hex digits, with a letter and a digit: not a date, not
# a word) also after user@ or repo@. Each starts at a word start or at '#'.
REFERENCE = re.compile(
    r"(?<![\w./-])[\w.-]++/[\w.-]++#[0-9]++|#[0-9]++|(?<![\w-])[Gg][Hh]-[0-9]++"
    r"|(?<![\w-])(?=[a-f]{0,39}[0-9])(?=[0-9]{0,39}[a-f])[0-9a-f]{7,40}(?![\w-])"
)
BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")


@dataclass
class Backlink:
    """One planned comment: the body for ``ref``, or why there will be none.

    ``withdraw`` plans the opposite: the minutes no longer mention ``ref``
    (a correction), so the comment they left there is to go.

    ``label``: the team's agenda label, which the meeting spent (the team set
    ``spend-agenda-label``): taken off the issue if it carries it, and then
    ``spent_body`` is the comment, which says so.
    """

    ref: str
    source: str
    marker: str
    body: str = ""
    skip: str | None = None
    withdraw: bool = False
    # Markers an older minutesbot gave the same file's backlink, taken over when found.
    legacy: tuple[str, ...] = ()
    label: str | None = None
    spent_body: str = ""


# -- rendering ----------------------------------------------------------------
def marker_for(source: str) -> str:
    """The hidden first line that identifies the backlink of one minutes file."""
    return MARKER.format(source=quote(source, safe="/._-+"))


class Renderer:
    """Text from the minutes, made safe, put into the (possibly local) template
    (``template``: the backlink's, or another comment or issue body rendered alike)."""

    def __init__(self, config: Config, template: str = TEMPLATE) -> None:
        self.config = config
        live = [LINK, REFERENCE] + ([MENTION] if config.neutralize_mentions else [])
        self.live = re.compile("|".join(p.pattern for p in live))
        self.template = load(environment(config), template, config)

    def text(self, value: str) -> str:
        """One line of minutes text that renders as itself and nothing more.

        Links (and mentions, when neutralised) become code spans, where
        GitHub makes nothing live; everything between them is escaped with
        :func:`minutesbot.templating.escape_markdown`, so no backtick, backslash
        or bracket from the minutes can end such a span early or open a
        link, an image or HTML. Line breaks are flattened: no text can start
        a block of its own.
        """
        flat = " ".join(value.split())
        out, done = [], 0
        for match in self.live.finditer(flat):
            out += [escape_markdown(flat[done : match.start()]), f"`{match[0]}`"]
            done = match.end()
        return "".join(out) + escape_markdown(flat[done:])

    def handle(self, handle: str) -> str:
        return self.text(f"@{handle}")

    def render(self, context: dict[str, Any], marker: str) -> str:
        body = BLANK_RUNS.sub("\n\n", render(self.template, self.config, **context)).strip() + "\n"
        return f"{marker}\n{_fit(body, MAX_BODY - len(marker) - 1)}"


def _fit(body: str, room: int) -> str:
    """``body`` in at most ``room`` characters: whole lines, the last one kept.

    Lines that do not fit are left out whole, from the first one that does
    not fit on, so a cut never falls inside an escape, a code span or bold
    text. The note stands where they were, and the body's last line (the
    template's footer, saying what the comment is) stays below it.
    """
    if len(body) <= room:
        return body
    *lines, last = body.rstrip("\n").split("\n")
    tail = f"{CUT_NOTE}\n\n{last}\n" if len(CUT_NOTE) + len(last) + 3 <= room else f"{CUT_NOTE}\n"
    kept: list[str] = []
    used = len(tail) + 1
    for line in lines:
        if used + len(line) + 1 > room:
            break
        kept.append(line)
        used += len(line) + 1
    head = "\n".join(kept).rstrip()
    return f"{head}\n\n{tail}" if head else tail


def _item_context(item: Item, renderer: Renderer, links: Links, source: str) -> dict[str, Any]:
    return {
        "title": renderer.text(item.title),
        "permalink": links.url(source, item.line, item.end_line),
        "decisions": [renderer.text(d.text) for d in item.decisions],
        "actions": [
            {
                "owners": [renderer.handle(o) for o in a.owners],
                "text": renderer.text(a.text),
                "status": a.status,
            }
            for a in item.actions
        ],
    }


def plan(
    record: Record,
    links: Links,
    renderer: Renderer,
    earlier: Record | None = None,
    today: date | None = None,
    team_name: str | None = None,
    where: str | None = None,
) -> list[Backlink]:
    """The backlinks one minutes file asks for, one per issue, in order of first mention,
    written by ``renderer`` (and by the configuration it was made for).

    ``team_name`` is what the comment calls the team (see
    :func:`minutesbot.teams.team_title`); default: its configured name, else
    the folder as written. ``where`` is what the marker names the file by
    (see :func:`minutesbot.records.parser.path_from_root`), default its
    source: a file outside the minutes root has its name alone for source,
    which two such files may share. Their backlinks' older marker naming
    the source is taken over where found.

    With ``earlier`` (the same file before the change being published), the
    refs it mentioned that ``record`` no longer does are planned as withdrawals.
    A file that is still an agenda (:meth:`Record.still_an_agenda`: dated
    after ``today``, or dated today or later and naming nobody present) has
    had no issue discussed in it yet, so each ref is skipped, to be published
    once the minutes of that meeting are committed.
    """
    marker = marker_for(where or record.source)
    legacy = (marker_for(record.source),) if where and where != record.source else ()
    if record.still_an_agenda(today):
        return [
            Backlink(
                issue.ref,
                record.source,
                marker,
                skip=f"the agenda of a meeting still to come ({record.held_on})",
            )
            for issue in record.issues
        ]
    now = {issue.ref for issue in record.issues}
    settings = renderer.config.team(record.team)
    backlinks = [
        Backlink(issue.ref, record.source, marker, withdraw=True)
        for issue in (earlier.issues if earlier else [])
        if issue.ref not in now and issue.kind != "discussion"
    ]
    for issue in record.issues:
        if issue.kind == "discussion":
            backlinks.append(
                Backlink(
                    issue.ref,
                    record.source,
                    marker,
                    skip="a discussion: the REST API cannot comment on it",
                )
            )
            continue
        items = [i for i in record.items if issue.ref in i.issues]
        lines = sorted(issue.lines)
        context = {
            "team": renderer.text(team_name or settings.name or record.team or "?"),
            "date": renderer.text(record.held_on or record.source),
            "title": renderer.text(record.title or ""),
            "source": renderer.text(record.source),
            "ref": issue.ref,
            "items": [_item_context(i, renderer, links, record.source) for i in items],
            "permalink": links.url(
                record.source, lines[0] if lines else None, lines[-1] if lines else None
            ),
            "file_url": links.url(record.source),
        }
        label = settings.agenda_label if settings.spend_agenda_label else None
        backlinks.append(
            Backlink(
                issue.ref,
                record.source,
                marker,
                renderer.render({**context, "spent_label": ""}, marker),
                label=label,
                spent_body=renderer.render({**context, "spent_label": renderer.text(label)}, marker)
                if label
                else "",
                legacy=legacy,
            )
        )
    return backlinks
