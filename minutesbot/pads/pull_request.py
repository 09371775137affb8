"""The minutes pulled from the pad as a pull request: "Minutes of TEAM for DATE".

The Action's scheduled step. After each meeting the minutes (and the
images they link that the repository lacks) go onto the branch
``minutesbot/minutes/TEAM/YYYYMMDD`` with a pull request for review; the
lint results stand in its description, since a pull request opened with a
workflow's token starts no workflow of its own. When the pad changes, the
next run updates the file and the description -- unless someone edited the
file in the pull request (:mod:`minutesbot.github.proposal`). Minutes that
are on the default branch already, as pulled, are not proposed again;
minutes that differ there (the merged agenda of that date, a hand copy) are.
"""

from __future__ import annotations

import re

from minutesbot.github.proposal import Proposal
from minutesbot.links import Links
from minutesbot.lint import ERROR
from minutesbot.pads.pull import Pulled
from minutesbot.report import Report

BRANCH = "minutesbot/minutes/{team}/{date:%Y%m%d}"


def _code(text: str) -> str:
    """``text`` as an inline code span: no mention, link or markup in it comes alive."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def minutes_pr_report() -> Report:
    """An empty report of minutes pull requests, one outcome per team."""
    return Report(
        "minutesbot pad pr",
        (("team", "subject"), ("outcome", "outcome"), ("pull request or reason", "url_or_detail")),
    )


def minutes_proposal(pulled: Pulled, team: str, pad_url: str, links: Links) -> Proposal:
    """The pull request that proposes ``pulled`` (and its new images) for ``team``."""
    day = pulled.day.isoformat()
    folder = f"{links.prefix}{team}/"
    path = folder + pulled.target.name
    errors = sum(p.severity == ERROR for p in pulled.problems)
    warnings = len(pulled.problems) - errors
    lines = [
        f"Minutes of team **{team}** for {day}, pulled from [the meeting pad]({pad_url}) "
        "by minutesbot.",
        "",
        f"Review `{path}` here; merging puts it into the repository. When the pad changes, "
        "minutesbot updates this pull request -- unless someone has edited the file here "
        "in the meantime.",
    ]
    if pulled.images:
        names = ", ".join(f"`{name}`" for name in sorted(pulled.images))
        lines += ["", f"Images copied from the pad into `{folder}`: {names}."]
    lines += ["", "### Lint", ""]
    if pulled.problems:
        lines += [
            f"- line {p.line or '-'}, {p.severity}: {_code(p.message)}" for p in pulled.problems
        ]
    else:
        lines.append("No problems found.")
    return Proposal(
        subject=team,
        branch=BRANCH.format(team=team, date=pulled.day),
        path=path,
        text=pulled.text,
        title=f"Minutes of {team} for {day}",
        description="\n".join(lines),
        marker=f"minutesbot:minutes team={team} date={day}",
        message=f"Minutes of {team} for {day}",
        summary=f"{len(pulled.images)} image(s), {errors} lint error(s), {warnings} warning(s)",
        attachments={folder + name: data for name, data in pulled.images.items()},
        again_when_on_base=True,
    )
