"""How well ``minutesbot new`` predicts the next call, measured on real minutes.

For each team, the history is cut before each meeting M (keeping at least
three earlier meetings): the agenda is built from what came before, as
``new`` would have built it the day of the last meeting, and compared with M:

- next date: the predicted date equals M's date (cadence inferred from the
  history, as no configuration is given);
- carried actions: where M reviews action items ("Check AIs from last time",
  "Pending action items", "AIs from last call" headings, or a line like
  "Checking AIs of last week" over a list; :func:`minutesbot.tracking.find_review`),
  the entries listed there, with ``AI`` or without, are what the team itself
  carried. Recall is the share of them the agenda carried; precision the
  share of the agenda's carried actions that the review listed. An entry
  matches when the owners overlap (or both name nobody) and the texts match
  as :mod:`minutesbot.records.tracking` compares them.

- absences: the people the agenda would list as away on M's date (read
  from earlier notes such as "won't be available next week"); the share of
  them that M's participants list leaves out (where M lists participants).

The agenda carries every action still open across the whole history, while
a review usually lists only those of the last few meetings; so recall and
precision are also given for the actions carried from the last 4 meetings and
from the last one only (``carry-meetings`` in the team's configuration).

    python3 benchmarks/agenda_recall.py [MINUTES_DIR]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from minutesbot.agenda.away import away_on_day  # noqa: E402
from minutesbot.agenda.carry import recent_only  # noqa: E402
from minutesbot.agenda.history import load_history  # noqa: E402
from minutesbot.agenda.model import CarriedAction  # noqa: E402
from minutesbot.agenda.prepare import build_agenda  # noqa: E402
from minutesbot.config import Config  # noqa: E402
from minutesbot.records.record import Action  # noqa: E402
from minutesbot.records.tracking import normalise_text, owners_overlap, texts_match  # noqa: E402
from minutesbot.teams import team_names  # noqa: E402

DEFAULT = PROJECT.parent / "shared" / "corpus" / "minutes"
MIN_HISTORY = 3
WINDOWS = (None, 4, 1)  # carried from the whole history, the last 4 meetings, the last one


def same(carried: CarriedAction, listed: Action) -> bool:
    return owners_overlap(carried.owners, listed.owners) and texts_match(
        normalise_text(carried.text), normalise_text(listed.text)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("minutes", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args()
    root: Path = args.minutes
    teams = team_names(root)
    if not teams:
        # An empty table would read as "nothing to predict"; it means nothing was read.
        why = "does not exist" if not root.is_dir() else "holds no team folders with minutes"
        sys.exit(
            f"agenda_recall: {root} {why}: pass MINUTES_DIR (the folder holding the team "
            "folders), or put the shared corpus beside the checkout (../shared/corpus/minutes)"
        )
    config = Config(default_owner="SovereignCloudStack")
    totals = {w: [0, 0, 0, 0] for w in WINDOWS}  # listed, listed found, carried, carried found
    print(
        f"{'team':20} {'cuts':>5} {'date ok':>8} {'reviews':>8} {'listed':>7} "
        + " ".join(f"{'R/P ' + (f'last {w}' if w else 'all'):>12}" for w in WINDOWS)
    )
    all_cuts = all_ok = away = away_right = 0
    for team in teams:
        history = load_history(root, team, config)
        records = history.records
        cuts = ok = reviews = 0
        per_team = {w: [0, 0, 0, 0] for w in WINDOWS}
        for index in range(MIN_HISTORY, len(records)):
            upcoming = records[index]
            before = history.upto(index)
            last = date.fromisoformat(records[index - 1].date or "")
            if last.isoformat() == upcoming.date:
                continue  # two files of one day (a workshop beside the call): no date to predict
            agenda = build_agenda(before, team, config, today=last)
            cuts += 1
            ok += agenda.date.isoformat() == upcoming.date
            if upcoming.participants:
                present = {p.handle for p in upcoming.participants}
                said_away = away_on_day(
                    records[:index], date.fromisoformat(upcoming.date or ""), team
                )
                away += len(said_away)
                away_right += sum(1 for a in said_away if a.who not in present)
            review = history.review(upcoming, config.max_file_bytes)
            if review is None:
                continue
            listed = review.entries
            reviews += 1
            for window in WINDOWS:
                carried = recent_only(agenda.actions, records[:index], window)
                counts = per_team[window]
                counts[0] += len(listed)
                counts[1] += sum(1 for a in listed if any(same(c, a) for c in carried))
                counts[2] += len(carried)
                counts[3] += sum(1 for c in carried if any(same(c, a) for a in listed))
        all_cuts += cuts
        all_ok += ok
        for window in WINDOWS:
            totals[window] = [x + y for x, y in zip(totals[window], per_team[window], strict=True)]
        _row(team, cuts, ok, reviews, per_team)
    _row("all", all_cuts, all_ok, None, totals)
    print(
        f"absences: {away} said away on the next meeting's date, {away_right} of them "
        f"not among its participants ({_ratio(away_right, away)})"
    )


def _ratio(found: int, total: int) -> str:
    return f"{found / total:.2f}" if total else "-"


def _row(name: str, cuts: int, ok: int, reviews: int | None, counts: dict) -> None:
    """One line: date accuracy, then recall/precision of the carried actions per window."""
    print(
        f"{name:20} {cuts:>5} {_ratio(ok, cuts):>8} {'' if reviews is None else reviews:>8} "
        f"{counts[None][0]:>7} "
        + " ".join(
            f"{_ratio(c[1], c[0]) + '/' + _ratio(c[3], c[2]):>12}"
            for c in (counts[w] for w in WINDOWS)
        )
    )


if __name__ == "__main__":
    main()
