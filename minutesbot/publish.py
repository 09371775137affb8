"""Backlinks: one comment per meeting on every issue its minutes discuss.

:func:`plan` turns a record into :class:`Backlink` s -- for each issue or
pull request the minutes mention, one comment covering every item of that
meeting that mentions it, rendered from ``backlink.md.j2`` (the package's,
or the minutes repository's own in its template directory). :func:`publish`
upserts them through :mod:`minutesbot.github`, which finds an earlier
comment by the hidden marker naming the minutes file; :class:`Report`
counts what happened and renders the summary.

Nothing from the minutes reaches a comment as markup: every character that
could open markdown or HTML is escaped (so no text can close the marker,
open HTML, or make a link or image), and what GitHub itself would turn into
a link or a mention -- bare URLs, e-mail addresses and, unless
``neutralize-mentions = false``, ``@handle`` -- becomes a code span, so a
backlink neither links to whatever the minutes name nor notifies everyone
they mention.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from minutesbot.anchors import line_anchor
from minutesbot.config import Config
from minutesbot.dates import still_to_come
from minutesbot.record import Item, Record
from minutesbot.render import escape_markdown

MAX_BODY = 65_536
MARKER = "<!-- minutesbot:backlink source={source} -->"
TEMPLATE = "backlink.md.j2"
CUT_NOTE = "… (cut to GitHub's comment size; the minutes have the rest)"
# What GitHub makes live in plain text: links (URLs, www., e-mail addresses) and mentions.
# Matched generously -- a code span too many costs nothing -- and never across a
# backtick, so that a code span made of a match cannot be closed early.
_URL_END = r"[^\s`<>]*[^\s`<>.,:;!?'\")\]*_~]"
LINK = re.compile(rf"(?:https?|ftp)://{_URL_END}|www\.{_URL_END}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MENTION = re.compile(r"(?<![A-Za-z0-9])@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[\w.-]+)?")
BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")
OUTCOMES = ("created", "updated", "unchanged", "removed", "skipped", "failed")


@dataclass
class Backlink:
    """One planned comment: the body for ``ref``, or why there will be none.

    ``withdraw`` plans the opposite: the minutes no longer mention ``ref``
    (a correction), so the comment they left there is to go.
    """

    ref: str
    source: str
    marker: str
    body: str = ""
    skip: str | None = None
    withdraw: bool = False


@dataclass
class Result:
    ref: str
    source: str
    outcome: str
    detail: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    waited: float = 0.0

    def add(self, ref: str, source: str, outcome: str, detail: str = "") -> None:
        self.results.append(Result(ref, source, outcome, detail))

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def totals(self) -> str:
        counted = ", ".join(f"{self.count(o)} {o}" for o in OUTCOMES)
        return counted + (f" (waited {self.waited:.1f}s for GitHub)" if self.waited >= 0.05 else "")

    def lines(self) -> list[str]:
        """One line per backlink, then the totals: what the command prints."""
        out = [f"{r.outcome:9} {r.ref} <- {r.source}" + (f": {r.detail}" if r.detail else "")
               for r in self.results]
        return out + [f"backlinks: {self.totals()}"]

    def markdown(self) -> str:
        """The summary for ``$GITHUB_STEP_SUMMARY``."""
        rows = ["## minutesbot publish", "", self.totals(), "",
                "| outcome | issue | minutes | detail |", "|---|---|---|---|"]
        for r in self.results:
            cells = [r.outcome, r.ref, r.source, r.detail]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(rows) + "\n"


# -- rendering ----------------------------------------------------------------
def marker_for(source: str) -> str:
    """The hidden first line that identifies the backlink of one minutes file."""
    return MARKER.format(source=quote(source, safe="/._-+"))


class TemplateProblem(Exception):
    """The backlink template cannot be used; ``str()`` names it, in one line."""


class Renderer:
    """Text from the minutes, made safe, put into the (possibly local) template."""

    def __init__(self, config: Config) -> None:
        from jinja2 import (ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined,
                            TemplateError)
        from jinja2.sandbox import SandboxedEnvironment

        local = Path(config.base_dir) / config.template_dir
        self.live = (re.compile(f"{LINK.pattern}|{MENTION.pattern}") if config.neutralize_mentions
                     else LINK)
        self.env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(str(local)), PackageLoader("minutesbot", "templates")]),
            autoescape=False, keep_trailing_newline=True, undefined=StrictUndefined)
        self._errors = TemplateError
        try:
            self.template = self.env.get_template(TEMPLATE)
        except TemplateError as exc:
            raise TemplateProblem(self._describe(exc)) from None

    def _describe(self, exc: Exception) -> str:
        where = getattr(exc, "filename", None) or getattr(getattr(self, "template", None), "filename", TEMPLATE)
        line = getattr(exc, "lineno", None)
        return f"{where}{f':{line}' if line else ''}: {' '.join(str(exc).split())}"

    def text(self, value: str) -> str:
        """One line of minutes text that renders as itself and nothing more.

        Links (and mentions, when neutralised) become code spans, where
        GitHub makes nothing live; everything between them is escaped with
        :func:`minutesbot.render.escape_markdown`, so no backtick, backslash
        or bracket from the minutes can end such a span early or open a
        link, an image or HTML. Line breaks are flattened: no text can start
        a block of its own.
        """
        flat = " ".join(value.split())
        out, done = [], 0
        for match in self.live.finditer(flat):
            out += [escape_markdown(flat[done:match.start()]), f"`{match[0]}`"]
            done = match.end()
        return "".join(out) + escape_markdown(flat[done:])

    def handle(self, handle: str) -> str:
        return self.text(f"@{handle}")

    def render(self, context: dict[str, Any], marker: str) -> str:
        try:
            body = BLANK_RUNS.sub("\n\n", self.template.render(**context)).strip() + "\n"
        except self._errors as exc:
            raise TemplateProblem(self._describe(exc)) from None
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


@dataclass
class Links:
    """Where permalinks point: ``server/repository/blob/sha/prefix+source#Lx-Ly``."""

    server: str
    repository: str | None
    sha: str
    prefix: str

    @classmethod
    def from_env(cls, minutes_root: Path, env: Mapping[str, str] = os.environ) -> "Links":
        return cls(server=(env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
                   repository=env.get("GITHUB_REPOSITORY") or None,
                   sha=env.get("GITHUB_SHA") or "HEAD",
                   prefix=_repo_prefix(minutes_root))

    def url(self, source: str, first: int | None = None, last: int | None = None) -> str:
        if not self.repository:
            return ""
        url = f"{self.server}/{self.repository}/blob/{self.sha}/{quote(self.prefix + source)}"
        return url + line_anchor(source, first, last) if first else url


def _repo_prefix(minutes_root: Path) -> str:
    """The minutes root relative to the top of its git checkout (``minutes/``)."""
    root = minutes_root.resolve()
    for folder in [root, *root.parents]:
        if (folder / ".git").exists():
            relative = root.relative_to(folder).as_posix()
            return "" if relative == "." else relative + "/"
    return ""


def _team_name(record: Record, config: Config) -> str:
    team = record.team or ""
    configured = config.team(record.team).name
    return configured or (team[:1].upper() + team[1:]) or "?"


def _item_context(item: Item, renderer: Renderer, links: Links, source: str) -> dict[str, Any]:
    return {
        "title": renderer.text(item.title),
        "permalink": links.url(source, item.line, item.end_line),
        "decisions": [renderer.text(d.text) for d in item.decisions],
        "actions": [{"owners": [renderer.handle(o) for o in a.owners],
                     "text": renderer.text(a.text), "status": a.status} for a in item.actions],
    }


def plan(record: Record, config: Config, links: Links, renderer: Renderer,
         earlier: Record | None = None, today: date | None = None) -> list[Backlink]:
    """The backlinks one minutes file asks for, one per issue, in order of first mention.

    With ``earlier`` (the same file before the change being published), the
    refs it mentioned that ``record`` no longer does are planned as withdrawals.
    A file dated after ``today`` (default: today) is an agenda: no issue was
    discussed in it yet, so each ref is skipped, to be published once the
    minutes of that meeting are committed.
    """
    marker = marker_for(record.source)
    if still_to_come(record.date, today):
        return [Backlink(issue.ref, record.source, marker,
                         skip=f"the agenda of a meeting still to come ({record.date})")
                for issue in record.issues]
    now = {issue.ref for issue in record.issues}
    backlinks = [Backlink(issue.ref, record.source, marker, withdraw=True)
                 for issue in (earlier.issues if earlier else [])
                 if issue.ref not in now and issue.kind != "discussion"]
    for issue in record.issues:
        if issue.kind == "discussion":
            backlinks.append(Backlink(issue.ref, record.source, marker,
                                      skip="a discussion: the REST API cannot comment on it"))
            continue
        items = [i for i in record.items if issue.ref in i.issues]
        lines = sorted(issue.lines)
        context = {
            "team": renderer.text(_team_name(record, config)),
            "date": renderer.text(record.date or record.source),
            "title": renderer.text(record.title or ""),
            "source": renderer.text(record.source),
            "ref": issue.ref,
            "items": [_item_context(i, renderer, links, record.source) for i in items],
            "permalink": links.url(record.source, lines[0] if lines else None,
                                   lines[-1] if lines else None),
            "file_url": links.url(record.source),
        }
        backlinks.append(Backlink(issue.ref, record.source, marker, renderer.render(context, marker)))
    return backlinks


# -- publishing ---------------------------------------------------------------
def publish(backlinks: Iterable[Backlink], client: Any, report: Report | None = None,
            home: str | None = None) -> Report:
    """Upsert every backlink through ``client`` (a :class:`minutesbot.github.GitHub`).

    A ref that is out of reach is reported as skipped and the rest go on; a
    failure is reported and the rest go on too. ``home`` is the repository
    the run belongs to (``GITHUB_REPOSITORY``): a ref elsewhere that is
    refused gets the hint about the workflow token.
    """
    from minutesbot.github import GitHubError

    report = report or Report()
    created: list[tuple[Result, str]] = []   # with the marker of the comment created
    for link in backlinks:
        if link.skip:
            report.add(link.ref, link.source, "skipped", link.skip)
            continue
        try:
            if link.withdraw:
                gone = client.remove_comments(link.ref, link.marker)
                report.add(link.ref, link.source, "removed" if gone else "unchanged",
                           "no longer mentioned" + ("" if gone else "; there was no backlink"))
                continue
            done = client.upsert_comment(link.ref, link.marker, link.body)
        except GitHubError as exc:
            outcome = "skipped" if exc.skipped else "failed"
            report.add(link.ref, link.source, outcome, _explain(exc, link.ref, home))
            continue
        detail = done.url + (f" (removed {done.removed} duplicate(s))" if done.removed else "")
        report.add(link.ref, link.source, done.action, detail)
        if done.action == "created":
            created.append((report.results[-1], link.marker))
    if created:
        # Another run may have created the same comments meanwhile: all but the oldest go.
        try:
            removed = client.remove_duplicates([(result.ref, marker) for result, marker in created])
        except GitHubError as exc:
            # The comments are there; only a concurrent run's copies might be too.
            for result, _marker in created:
                result.detail += f" (not checked for a concurrent run's duplicate: {exc})"
            removed = {}
        for result, marker in created:
            if removed.get((result.ref, marker)):
                result.detail += f" (removed {removed[(result.ref, marker)]} duplicate(s) of a concurrent run)"
    report.waited = getattr(client, "waited", 0.0)
    return report


def dry_run_totals(backlinks: Iterable[Backlink]) -> str:
    """The last line of a dry run: what a real run would do, as far as it is known unasked.

    Whether a backlink would be created or updated (or found unchanged)
    depends on the comments already there, which a dry run does not read.
    """
    links = list(backlinks)
    skipped = sum(1 for link in links if link.skip)
    remove = sum(1 for link in links if link.withdraw)
    upsert = len(links) - skipped - remove
    return (f"backlinks (dry run, nothing sent): {upsert} to create or update, {remove} to remove, "
            f"{skipped} skipped")


def _explain(exc: Exception, ref: str, home: str | None) -> str:
    """The error, with the hint a workflow author needs for a 403/404 elsewhere."""
    message = str(exc)
    elsewhere = home is None or not ref.startswith(home.lower() + "#")
    if getattr(exc, "reason", "") in ("forbidden", "not-found") and elsewhere:
        message += (" -- a workflow's GITHUB_TOKEN can only write to its own repository; "
                    "use a GitHub App or fine-grained token for backlinks elsewhere (docs/publish.md)")
    return message


def earlier_record(path: Path, rev: str, record: Record, config: Config) -> Record | None:
    """The minutes file as it was at commit ``rev``, parsed like ``record``; None where
    git has no such version or it does not parse (then nothing is withdrawn)."""
    from minutesbot.parser import parse_text

    try:
        done = subprocess.run(["git", "show", f"{rev}:./{path.name}"], cwd=path.parent,
                              capture_output=True, check=True)
        return parse_text(done.stdout.decode("utf-8", errors="replace"), source=record.source,
                          team=record.team, default_owner=config.owner(),
                          team_repo=config.team(record.team).repo)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return None


def write_step_summary(report: Report, env: Mapping[str, str] = os.environ) -> None:
    """Append the markdown summary to ``$GITHUB_STEP_SUMMARY`` when Actions provides one."""
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(report.markdown())
