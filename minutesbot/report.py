"""What a run did on GitHub: one outcome per thing written, for the terminal and
the job summary (``$GITHUB_STEP_SUMMARY``) of ``publish`` and ``agenda-pr``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

# The outcomes a run counts, in the order its totals name them.
OUTCOMES = ("created", "updated", "unchanged", "removed", "skipped", "failed")


@dataclass
class Outcome:
    """What one write came to: ``created``, ``updated``, ``unchanged``, ``removed``,
    ``skipped``, ``failed``, or ``planned`` (a dry run).

    ``subject`` is what was written to (the issue of a backlink, the team of
    an agenda pull request); ``source`` the minutes file it came from.
    """

    subject: str
    outcome: str
    detail: str = ""
    source: str = ""
    url: str = ""

    @property
    def url_or_detail(self) -> str:
        return self.url or self.detail


@dataclass
class Report:
    """The outcomes of one command; ``columns`` pairs a table heading with an
    :class:`Outcome` attribute, ``counted`` names the outcomes the totals count."""

    title: str
    columns: tuple[tuple[str, str], ...]
    counted: tuple[str, ...] = ()
    outcomes: list[Outcome] = field(default_factory=list)
    waited: float = 0.0

    def add(self, outcome: Outcome) -> Outcome:
        self.outcomes.append(outcome)
        return outcome

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def totals(self) -> str:
        """``2 created, 0 updated, ...`` (and the time spent waiting for GitHub)."""
        counted = ", ".join(f"{self.count(o)} {o}" for o in self.counted)
        return counted + (f" (waited {self.waited:.1f}s for GitHub)" if self.waited >= 0.05 else "")

    def markdown(self) -> str:
        """The report as a section of the job summary: heading, totals, a table."""
        rows = [f"## {self.title}", ""] + ([self.totals(), ""] if self.counted else [])
        rows += [
            "| " + " | ".join(heading for heading, _ in self.columns) + " |",
            "|" + "---|" * len(self.columns),
        ]
        for outcome in self.outcomes:
            cells = [str(getattr(outcome, name)).replace("|", "\\|") for _, name in self.columns]
            rows.append("| " + " | ".join(cells) + " |")
        return "\n".join(rows) + "\n"


def write_step_summary(report: Report, env: Mapping[str, str] = os.environ) -> None:
    """Append the report to ``$GITHUB_STEP_SUMMARY`` when Actions provides one
    (after a blank line when an earlier step wrote there)."""
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(("\n" if handle.tell() else "") + report.markdown())
