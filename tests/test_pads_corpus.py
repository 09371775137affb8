"""Pads made of real minutes give back each meeting exactly, and nothing of its neighbours.

For every team of the corpus with at least 10 meetings, each meeting is put
into a pad between the meetings before and after it (newest first, then
newest last), with what pads add: a title, a template comment under each
date heading, separator lines or trailing spaces. ``pad pull`` of its date,
over HTTP from the HedgeDoc 1.x imitation, must write exactly that
meeting's file as normalised (minutesbot.pads.normalise). A file whose own
headings name no meeting at all cannot be found in a pad by any date (and
would run into the meeting above it); it is left out and listed.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from padfake.server import FakePad

from minutesbot.config import Config
from minutesbot.pads.normalise import normalise
from minutesbot.pads.pull import pull_meeting
from minutesbot.pads.sections import meetings
from minutesbot.pads.servers import locate, open_pad
from minutesbot.pads.transport import PadError, Transport
from minutesbot.teams import TeamSetting

COMMENT = "<!-- one meeting per date heading, newest {order} -->"


def _day(path: Path) -> date:
    return date(int(path.stem[:4]), int(path.stem[4:6]), int(path.stem[6:8]))


def teams(corpus: Path) -> dict[str, list[Path]]:
    """Teams with at least 10 meetings: their files named for a date, oldest first."""
    found = {}
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.glob("*.md") if re.fullmatch(r"\d{8}", p.stem))
        if len(files) >= 10:
            found[folder.name] = files
    return found


def as_in_a_pad(text: str, order: str) -> str:
    """The meeting as a pad holds it: a template comment under its date heading, and (newest
    last) a trailing space on each line that ends without one."""
    lines = text.rstrip("\n").split("\n")
    first = meetings(text)[0].start
    if lines[first].startswith("#"):
        lines.insert(first + 1, COMMENT.format(order=order))
    if order == "last":
        lines = [line + " " if line and not line[-1].isspace() else line for line in lines]
    return "\n".join(lines) + "\n"


def pad_of(texts: list[str], order: str, title: str) -> str:
    """The meetings (oldest first) as one pad; newest first ones are split by rules."""
    if order == "first":
        return f"# {title}\n\n" + "\n---\n\n".join(as_in_a_pad(t, order) for t in reversed(texts))
    return f"# {title}\n\nLinks: https://example.org/{title}\n\n" + "\n".join(
        as_in_a_pad(t, order) for t in texts
    )


def pull(url: str, team: str, day: date, root: Path) -> str | PadError:
    """What ``pad pull`` writes for ``day`` (a run of its own, with its own deadline)."""
    try:
        with Transport() as transport:
            server = open_pad(locate(url), transport)
            done = pull_meeting(server, TeamSetting(root, team, Config()), day)
    except PadError as exc:
        return exc
    return done.target.read_text(encoding="utf-8")


def test_every_meeting_comes_back_exactly_from_a_pad_of_its_neighbours(corpus_minutes, tmp_path):
    figures: Counter[str] = Counter()
    left_out, failures = [], []
    with FakePad() as fake:
        for team, files in teams(corpus_minutes).items():
            texts = {f: f.read_text(encoding="utf-8") for f in files}
            findable = [f for f in files if meetings(texts[f])]
            left_out += [f"{team}/{f.name}" for f in files if f not in findable]
            for index, path in enumerate(findable):
                window = [texts[f] for f in findable[max(0, index - 1) : index + 2]]
                headed = any(m.day == _day(path) for m in meetings(texts[path]))
                for order in ("first", "last"):
                    figures["tried"] += 1
                    url = fake.add_note(f"{team}-{path.stem}-{order}", pad_of(window, order, team))
                    got = pull(url, team, _day(path), tmp_path)
                    if got == normalise(texts[path]):
                        figures["exact"] += 1
                    elif not headed and isinstance(got, PadError) and got.reason == "no-meeting":
                        figures["not found: its heading names another date"] += 1
                    else:
                        failures.append(f"{team}/{path.name} newest {order}: {got!s:.200}")
    print(f"\npads from the corpus: {dict(figures)}; left out (no dated heading): {left_out}")
    assert not failures, "\n".join(failures)
    assert figures["exact"] >= 600
