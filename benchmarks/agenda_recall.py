"""How well ``minutesbot new`` predicts the next call, measured on real minutes.

For each team, the history is cut before each meeting M (keeping at least
three earlier meetings): the agenda is built from what came before, as
``new`` would have built it the day of the last meeting, and compared with M:

- next date: the predicted date equals M's date (cadence inferred from the
  history, as no configuration is given);
- carried actions: where M reviews action items (its record's ``review``:
  "Check AIs from last time", "Pending action items", "AIs from last call",
  or a line like "Checking AIs of last week" over a list), the entries listed
  there that are tasks (:func:`minutesbot.records.actionable.why_not_an_action`),
  with ``AI`` or without, are what the team itself carried. Recall is the
  share of them the agenda listed; precision the share of the listed actions
  that the review listed. An entry matches a listed action as the action
  states match them: :func:`minutesbot.records.matching.same_action` says the
  review wrote it, or the entry matches no open action by wording and
  :func:`minutesbot.records.matching.pair_rewordings` pairs it with a listed
  action the review leaves out (a re-wording);
- carried lines: how many actions each agenda lists one by one (median, max);
- absences: the people the agenda would list as away on M's date (read
  from earlier notes such as "won't be available next week"); the share of
  them that M's participants list leaves out (where M lists participants).

Actions are listed while written or last listed in the last N meetings
(``carry-meetings``); the table gives recall, precision and carried lines
for several N, per team and over all cuts, so the default can be chosen from
it. ``--n 1,2,3`` picks the N to show.

    python3 benchmarks/agenda_recall.py [MINUTES_DIR] [--n 1,2,4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from minutesbot.agenda.away import away_on_day  # noqa: E402
from minutesbot.agenda.carry import carried_actions  # noqa: E402
from minutesbot.agenda.history import load_history  # noqa: E402
from minutesbot.agenda.prepare import build_agenda  # noqa: E402
from minutesbot.config import CARRY_MEETINGS, Config  # noqa: E402
from minutesbot.records.actionable import why_not_an_action  # noqa: E402
from minutesbot.records.matching import Wording, pair_rewordings, same_action  # noqa: E402
from minutesbot.records.meetings import side_meetings, usual_name  # noqa: E402
from minutesbot.records.record import Action  # noqa: E402
from minutesbot.surroundings import Surroundings  # noqa: E402
from minutesbot.teams import TeamSetting, team_names  # noqa: E402

DEFAULT = PROJECT.parent / "shared" / "corpus" / "minutes"
MIN_HISTORY = 3
ALL = 10_000  # "the whole history"


class Counts:
    """Listed review entries found, and carried actions confirmed, over some cuts."""

    def __init__(self) -> None:
        self.listed = self.found = self.carried = self.confirmed = 0
        self.lines: list[int] = []

    def add(self, other: Counts) -> None:
        self.listed += other.listed
        self.found += other.found
        self.carried += other.carried
        self.confirmed += other.confirmed
        self.lines += other.lines

    def cell(self) -> str:
        r = _ratio(self.found, self.listed)
        p = _ratio(self.confirmed, self.carried)
        lines = f"{statistics.median(self.lines):g}/{max(self.lines)}" if self.lines else "-"
        return f"{r}/{p} {lines}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("minutes", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--n", default=f"1,{CARRY_MEETINGS},3,4,6,{ALL}")
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
    windows = sorted({int(n) for n in args.n.split(",")})
    config = Config(default_owner="SovereignCloudStack")
    print("R/P: recall/precision of the listed actions; then carried lines per agenda (median/max)")
    print(
        f"{'team':20} {'cuts':>5} {'date ok':>8} {'reviews':>8} {'listed':>7} "
        + " ".join(f"{'N=' + ('all' if n == ALL else str(n)):>20}" for n in windows)
    )
    totals = {n: Counts() for n in windows}
    all_cuts = all_ok = away = away_right = 0
    for team in teams:
        history = load_history(TeamSetting(root, team, config))
        records = history.records
        cuts = ok = reviews = listed_total = 0
        per_team = {n: Counts() for n in windows}
        for index in range(MIN_HISTORY, len(records)):
            upcoming = records[index]
            before = history.upto(index)
            last = date.fromisoformat(records[index - 1].date or "")
            if last.isoformat() == upcoming.date:
                continue  # two files of one day (a workshop beside the call): no date to predict
            agenda = build_agenda(before, Surroundings(last))
            cuts += 1
            ok += agenda.date.isoformat() == upcoming.date
            if upcoming.participants:
                present = {p.handle for p in upcoming.participants}
                said_away = away_on_day(
                    records[:index], date.fromisoformat(upcoming.date or ""), team
                )
                away += len(said_away)
                away_right += sum(1 for a in said_away if a.who not in present)
            earlier = records[:index]
            debts = before.open_debts(earlier, side_meetings(earlier, usual_name(config, team)))
            review = upcoming.review
            listed = (
                [Wording(e) for e in review.entries if why_not_an_action(e.text) is None]
                if review
                else None
            )
            reviews += listed is not None
            listed_total += len(listed or ())
            owed = [
                Wording(Action(d["owners"], d["text"], "open", d["item"], d["line"])) for d in debts
            ]
            for n in windows:
                carried = carried_actions(debts, earlier, team, n).listed
                counts = per_team[n]
                counts.lines.append(len(carried))
                if listed is None:
                    continue
                wordings = [
                    Wording(Action(c.owners, c.text, "open", c.item, c.origin.line))
                    for c in carried
                ]
                found, confirmed = _matched(listed, wordings, owed)
                counts.listed += len(listed)
                counts.found += found
                counts.carried += len(carried)
                counts.confirmed += confirmed
        all_cuts += cuts
        all_ok += ok
        for n in windows:
            totals[n].add(per_team[n])
        _row(team, cuts, _ratio(ok, cuts), str(reviews), str(listed_total), per_team, windows)
    _row(
        "all",
        all_cuts,
        _ratio(all_ok, all_cuts),
        "",
        str(sum(c.listed for c in [totals[windows[0]]])),
        totals,
        windows,
    )
    print(
        f"absences: {away} said away on the next meeting's date, {away_right} of them "
        f"not among its participants ({_ratio(away_right, away)})"
    )


def _matched(
    listed: list[Wording], carried: list[Wording], debts: list[Wording]
) -> tuple[int, int]:
    """How many review entries a carried action matches, and how many carried actions an
    entry matches: by wording, then as the action states pair a re-worded entry (one that
    matches no open action) with an action the review leaves out."""
    found = [i for i, e in enumerate(listed) if any(same_action(c, e) for c in carried)]
    confirmed = [j for j, c in enumerate(carried) if any(same_action(c, e) for e in listed)]
    rest_listed = [e for e in listed if not any(same_action(d, e) for d in debts)]
    rest_carried = [c for j, c in enumerate(carried) if j not in confirmed]
    paired = len(pair_rewordings(rest_listed, rest_carried))
    return len(found) + paired, len(confirmed) + paired


def _ratio(found: int, total: int) -> str:
    return f"{found / total:.2f}" if total else "-"


def _row(
    name: str, cuts: int, ok: str, reviews: str, listed: str, counts: dict, windows: list[int]
) -> None:
    print(
        f"{name:20} {cuts:>5} {ok:>8} {reviews:>8} {listed:>7} "
        + " ".join(f"{counts[n].cell():>20}" for n in windows)
    )


if __name__ == "__main__":
    main()
