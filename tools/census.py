"""A census of what the parser makes of every heading, chore line and marker line.

The parser's rules were written on a few files; minutes of other teams and
years write the same things in other ways. Scoring a labelled sample shows
that something is wrong; this census shows *where*, over a whole corpus:

- ``headings``: every distinct heading text (plain, lower-cased) with the
  kind the parser's outline gave it each time: ``title`` (the first
  heading), ``item``, ``review`` (an item that looks back at earlier action
  items), ``deferred`` (an item put off: postponed, moved to the next
  meeting), ``meta`` (housekeeping: participants, chores, organisation),
  ``path`` (no body of its own, items below it) or ``empty`` (no body, no
  item below);
- ``chores``: every line with a chore word (report, minutes, transfer,
  moderation, facilitation, protocol, note taking, chores, roles, ...), with
  the section it sits in, grouped per file under the roles the file got;
- ``markers``: every line that looks like an action or a decision (``AI``,
  ``Action``, ``TODO``, task boxes, ``Decision``, ``Agreed``, arrows ...) with
  what it gave (``A[owners] status: text``, ``D: text``) or ``-`` for
  nothing; actions and decisions given on lines that look like neither (the
  entries under a bare ``AI:``/``Decision:``) are listed too;
- ``decisions``: every line that writes something down as decided, agreed or
  concluded in any words (``Decision:``, ``consensus:``, ``Outcome:``, ``we
  agreed``, ``we will``, a ``Decisions`` heading, German ``beschlossen``
  ...), grouped by its form (the words it opens with, or the word inside
  the sentence), each form with how many lines gave a decision (``D``), an
  action only (``A``) or nothing (``-``). Compare each form with the spec's
  decisions paragraph: its markers and labels are decisions, other forms
  are not.

Read each list end to end: every wrong row is a rule to fix (and a test to
write from the real line). Counts come first, so runs can be compared.

    python3 tools/census.py [MINUTES_ROOT] [--only headings|chores|markers|decisions]
                            [--kind meta]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from minutesbot.config import Config  # noqa: E402
from minutesbot.records.document import Document, read_document  # noqa: E402
from minutesbot.records.files import find_minutes_files  # noqa: E402
from minutesbot.records.outline import CONTAINER, ITEM, Outline  # noqa: E402
from minutesbot.records.parser import parse_decoded  # noqa: E402
from minutesbot.records.reading import decode_minutes  # noqa: E402
from minutesbot.records.record import Record  # noqa: E402

DEFAULT = HERE.parent.parent / "shared" / "corpus" / "minutes"

CHORE_WORDS = re.compile(
    r"\b(?:report\w*|minutes?|transfer\w*|moderat\w*|facilitat\w*|protocol\w*|note[- ]?tak\w*"
    r"|scribe|chores?|roles?|community call|etherpad|who (?:is )?present\w*|summary (?:in|for)"
    r"|note[- ]?keep\w*|notes (?:taken |written )?by)\b",
    re.I,
)
MARKER_WORDS = re.compile(
    r"(?-i:(?<![A-Za-z0-9])AIs?(?![A-Za-z0-9]))|\bA\.I\.|\bto[- ]?do\b|\baction(?:s| items?)?\b"
    r"|\b(?:decisions?|decided|decide|agreed|agreements?|resolution|resolved|consensus)\b"
    r"|^\W*\[[ xX]\]|^\s*(?:[-*+]\s*)?(?:-+>|=+>|→|⇒)",
    re.I,
)
_LIST_LEAD = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*")
DECISION_WORDS = re.compile(
    r"\b(?:decid\w*|decision\w*|agree\w*|resol\w*|consensus|conclu\w*|outcomes?|verdict"
    r"|settled|we(?: will|'ll| shall)|let'?s|beschl\w*|entschie\w*|einig\w*|vereinbar\w*)",
    re.I,
)
# What may stand before a form's first word: list marks, quotes, boxes, emphasis, arrows,
# emoji (shortcodes or symbols), tags.
_FORM_LEAD = re.compile(
    r"^(?:\s|[-*+>#_~`]|\d+[.)]|\[[ xX]\]|=+>|-+>|[→⇒]|:[a-z0-9_+-]+:|</?\w[^>]*>"
    r"|[^\w\s(\"'])*"
)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


@dataclass
class Parsed:
    source: str
    lines: list[str]
    doc: Document
    record: Record
    kinds: list[str] = field(default_factory=list)


def parse_corpus(root: Path) -> Iterator[Parsed]:
    """Every minutes file below ``root``, read as ``minutesbot parse`` reads it."""
    config = Config()
    for path in find_minutes_files([root]):
        text = decode_minutes(path.read_bytes())[0]
        source = path.relative_to(root).as_posix()
        record = parse_decoded(text, source, config=config, default_owner="sovereigncloudstack")
        parsed = Parsed(source, text.split("\n"), read_document(text), record)
        parsed.kinds = heading_kinds(parsed)
        yield parsed


def plain(text: str) -> str:
    return " ".join(re.sub(r":[a-z0-9_+-]+:|</?[A-Za-z][^>]*>", "", text).split()).lower()


def heading_kinds(parsed: Parsed) -> list[str]:
    """The kind the parser's outline gives each heading; a container is ``path`` when an
    item below it carries its title, else ``empty``."""
    outline = Outline.of(parsed.doc)
    headings = parsed.doc.headings
    on_path: set[int] = set()
    for index, heading in enumerate(headings):
        if outline.kinds[index] == ITEM:
            parent = heading.parent
            while parent >= 0:
                on_path.add(parent)
                parent = headings[parent].parent
    deferred = {item.line for item in parsed.record.items if item.deferred}
    kinds = []
    for index, kind in enumerate(outline.kinds):
        if kind == ITEM and index in outline.reviews:
            kind = "review"
        elif kind == ITEM and headings[index].line in deferred:
            kind = "deferred"
        elif kind == CONTAINER:
            kind = "path" if index in on_path else "empty"
        kinds.append(kind)
    return kinds


def section_of(parsed: Parsed, number: int) -> str:
    """``kind:heading`` of the section a line sits in (``-`` before any heading)."""
    found = "-"
    for index, heading in enumerate(parsed.doc.headings):
        if heading.line > number:
            break
        found = f"{parsed.kinds[index]}:{plain(heading.text)[:40]}"
    return found


def headings_census(corpus: list[Parsed]) -> list[str]:
    kinds_of: dict[str, Counter[str]] = defaultdict(Counter)
    example: dict[str, str] = {}
    totals: Counter[str] = Counter()
    for parsed in corpus:
        for heading, kind in zip(parsed.doc.headings, parsed.kinds, strict=True):
            text = plain(heading.text)
            kinds_of[text][kind] += 1
            totals[kind] += 1
            example.setdefault(text, f"{parsed.source}:{heading.line}")
    out = [
        f"# headings: {sum(totals.values())} ({len(kinds_of)} distinct); by kind: "
        + ", ".join(f"{k} {n}" for k, n in totals.most_common())
    ]
    for text in sorted(kinds_of, key=lambda t: (sorted(kinds_of[t])[0], t)):
        kinds = " ".join(f"{k}x{n}" for k, n in sorted(kinds_of[text].items()))
        out.append(f"{kinds:18} {text[:90]:90} {example[text]}")
    return out


def chores_census(corpus: list[Parsed]) -> list[str]:
    out: list[str] = []
    count = files = 0
    by_section: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for parsed in corpus:
        rows = []
        for n, line in enumerate(parsed.lines, start=1):
            if CHORE_WORDS.search(line):
                section = section_of(parsed, n)
                by_section[section.split(":")[0]] += 1
                rows.append(f"    {n:4} {section[:34]:34} | {line.strip()[:110]}")
        roles.update(list(parsed.record.roles) or ["(none)"])
        if rows or not parsed.record.roles:
            files += 1
            count += len(rows)
            out.append(f"{parsed.source}  roles={parsed.record.roles}")
            out += rows
    sections = ", ".join(f"{k} {n}" for k, n in by_section.most_common())
    given = ", ".join(f"{k} {n}" for k, n in roles.most_common())
    return [
        f"# chore lines: {count} in {files} files; by section: {sections}",
        f"# files with each role: {given}",
    ] + out


def markers_census(corpus: list[Parsed]) -> list[str]:
    out: list[str] = []
    looks = gave = nothing = derived = 0
    for parsed in corpus:
        actions = defaultdict(list)
        for action in parsed.record.actions:
            actions[action.line].append(f"A{action.owners} {action.status}: {action.text[:70]}")
        decisions = defaultdict(list)
        for decision in parsed.record.decisions:
            decisions[decision.line].append(f"D: {decision.text[:70]}")
        for n, line in enumerate(parsed.lines, start=1):
            given = actions.get(n, []) + decisions.get(n, [])
            marked = bool(MARKER_WORDS.search(line))
            if not marked and not given:
                continue
            looks += marked
            gave += marked and bool(given)
            nothing += marked and not given
            derived += not marked
            flag = "=" if marked and given else "-" if marked else "+"
            out.append(f"{flag} {parsed.source}:{n} | {_LIST_LEAD.sub('', line)[:110]}")
            out += [f"      -> {g}" for g in given]
    head = (
        f"# marker lines: {looks} look like one; {gave} gave an action/decision (=), "
        f"{nothing} gave nothing (-); {derived} other lines gave one (+)"
    )
    return [head] + out


def decision_form(line: str) -> str | None:
    """The form a line writes a decision in: the words it opens with up to a colon (a
    parenthesis as ``(…)``), or ``… word …`` for a decision word inside the sentence;
    None for a line with no such word."""
    found = DECISION_WORDS.search(line)
    if not found:
        return None
    heading = "heading " if line.lstrip().startswith("#") else ""
    rest = _FORM_LEAD.sub("", line).lower()
    start = DECISION_WORDS.match(rest)
    if not start:
        return f"{heading}… {_lemma(found[0])} …"
    opening = _PARENTHESIS.sub(" (…)", rest.replace("*", "").replace("_", ""))
    label = re.match(r"([^:?.!,;]{0,30}?)\s*([:?])", opening)
    if label:
        return f"{heading}{label[1]}{label[2]}".strip()
    words = opening.split()[:2]
    return f"{heading}{' '.join(words)} …" if len(words) > 1 else f"{heading}{words[0]} (alone)"


def _lemma(word: str) -> str:
    word = word.lower()
    for stem in ("decid", "decision", "agree", "resol", "conclu", "outcome", "beschl", "einig"):
        if word.startswith(stem):
            return stem + "*"
    return word


def decisions_census(corpus: list[Parsed]) -> list[str]:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    example: dict[str, str] = {}
    for parsed in corpus:
        decided = {d.line for d in parsed.record.decisions}
        acted = {a.line for a in parsed.record.actions}
        for n, line in enumerate(parsed.lines, start=1):
            form = decision_form(line)
            if form is None:
                continue
            gave = "D" if n in decided else "A" if n in acted else "-"
            forms[form][gave] += 1
            example.setdefault(form, f"{parsed.source}:{n} | {_LIST_LEAD.sub('', line)[:70]}")
    lines = sum(sum(c.values()) for c in forms.values())
    worded = sum(c["D"] for c in forms.values())
    total = sum(len(parsed.record.decisions) for parsed in corpus)
    out = [
        f"# decision forms: {len(forms)} forms on {lines} lines; {worded} gave a decision (D), "
        f"others an action only (A) or nothing (-); {total} decisions in all, "
        f"{total - worded} of them entries below a label (Decision:, a Decisions heading)"
    ]
    for form in sorted(forms, key=lambda f: (-sum(forms[f].values()), f)):
        counts = " ".join(f"{k}{forms[form][k]}" for k in "DA-" if forms[form][k])
        out.append(f"{sum(forms[form].values()):4} {counts:14} {form[:36]:36} {example[form]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("root", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--only", choices=("headings", "chores", "markers", "decisions"))
    ap.add_argument("--kind", help="headings: only rows with this kind (meta, item, ...)")
    args = ap.parse_args()
    if not args.root.is_dir():
        sys.exit(f"{args.root}: no such directory (pass a minutes root)")
    corpus = list(parse_corpus(args.root))
    print(f"# {len(corpus)} files below {args.root}")
    for name, census in (
        ("headings", headings_census),
        ("chores", chores_census),
        ("markers", markers_census),
        ("decisions", decisions_census),
    ):
        if args.only in (None, name):
            rows = census(corpus)
            if name == "headings" and args.kind:
                rows = rows[:1] + [r for r in rows[1:] if f"{args.kind}x" in r.split("  ")[0]]
            print("\n".join(rows))


if __name__ == "__main__":
    main()
