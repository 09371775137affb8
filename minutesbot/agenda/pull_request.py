"""Next week's agenda as a pull request: one per team and meeting date.

The Action's last step. For each team whose minutes a push touched (the
team is the first folder below the minutes root) :func:`plan_team` makes
exactly the file ``minutesbot new`` would write
(:func:`minutesbot.agenda.prepare_agenda`), and :func:`settle` puts
it on the branch ``minutesbot/agenda/<team>/<YYYYMMDD>`` and opens a pull
request from it -- or, when the Action runs again (a corrected minutes
file), updates that same branch, file and pull request.

People edit the agenda in its pull request before the call: the rules that
keep their edits are those of every proposal
(:mod:`minutesbot.github.proposal`). An agenda already on the default
branch (merged, or written by hand) is not proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from minutesbot.agenda.model import AgendaProblem
from minutesbot.agenda.prepare import prepare_agenda
from minutesbot.config import Config
from minutesbot.github.proposal import Proposal, propose
from minutesbot.links import Links
from minutesbot.records.dates import NAME_SLACK_DAYS, date_in_filename, still_to_come
from minutesbot.records.files import unreached
from minutesbot.records.parser import below_root, may_name_its_team, read_file
from minutesbot.records.reading import MinutesError
from minutesbot.report import Outcome, Report
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting, spelled_as_known, team_spellings

BRANCH = "minutesbot/agenda/{team}/{date:%Y%m%d}"


def teams_touched(
    paths: Iterable[Path], root: Path, config: Config, around: Surroundings
) -> list[str]:
    """The teams whose minutes ``paths`` (files below ``root``) are, sorted, once each: as
    the index files them, the folder, or the team the front matter names as ``--team``
    takes that name (see :func:`~minutesbot.teams.spelled_as_known`). A name that is
    no team ``new`` knows is warned about: no agenda for it.

    A file that is still an agenda (merging the agenda pull request adds one)
    asks for no agenda after it: the rule of :meth:`Record.still_an_agenda`,
    as ``new`` and the index read it. Only the files that may name their team in
    front matter (see :func:`may_name_its_team`), or be still an agenda (named
    for the last two weeks or later, or for no day), are read: an import of a
    whole archive reads few. A file that cannot be read as minutes goes by its
    folder and its name's date.
    """
    known = team_spellings(root, config)
    since = around.today - timedelta(days=NAME_SLACK_DAYS + 1)
    teams = set()
    for path in paths:
        parts = PurePosixPath(below_root(path, root) or "").parts
        folder = parts[0] if len(parts) > 1 else None
        named = date_in_filename(path.name)
        record = None
        if named is None or named >= since or may_name_its_team(path, config.max_file_bytes):
            try:
                record = read_file(path, root=root, config=config).record
            except MinutesError:
                pass
        if record is None:
            if folder is not None and not still_to_come(named, around.today):
                teams.add(folder)
        elif record.team is not None and not record.still_an_agenda(around.today):
            team = spelled_as_known(record.team, known)
            if team is None:
                around.warn(
                    f"{record.source}: its front matter names team {record.team}, which is "
                    "no one folder of the minutes root or configured team (in any case): no "
                    "agenda for it"
                )
            else:
                teams.add(team)
    return sorted(teams)


@dataclass
class AgendaPlan:
    """One team's agenda pull request as it should be."""

    team: str
    day: date
    branch: str
    path: str  # in the repository, e.g. minutes/container/20240425.md
    local: Path  # the same file in the checkout
    text: str
    title: str
    summary: str
    previous_url: str = ""
    github_note: str | None = None

    def proposal(self) -> Proposal:
        """The pull request this agenda makes."""
        since = (
            f" from the minutes up to [the last meeting]({self.previous_url})"
            if self.previous_url
            else ""
        )
        lines = [
            f"Next meeting's agenda for team **{self.team}** on {self.day.isoformat()}, "
            f"prepared by minutesbot{since}: {self.summary}.",
            "",
            f"Edit `{self.path}` in this pull request before the call. When the minutes change, "
            "minutesbot updates the file here -- unless someone has edited it in the meantime.",
        ]
        if self.github_note:
            lines += ["", self.github_note]
        return Proposal(
            subject=self.team,
            branch=self.branch,
            path=self.path,
            text=self.text,
            title=self.title,
            description="\n".join(lines),
            marker=f"minutesbot:agenda team={self.team} date={self.day.isoformat()}",
            message=f"Agenda of {self.team} for {self.day.isoformat()}",
            summary=self.summary,
        )


def agenda_pr_report() -> Report:
    """An empty report of agenda pull requests, one outcome per team."""
    return Report(
        "minutesbot agenda-pr",
        (("team", "subject"), ("outcome", "outcome"), ("pull request or reason", "url_or_detail")),
    )


def plan_team(setting: TeamSetting, links: Links, around: Surroundings) -> AgendaPlan:
    """The agenda ``minutesbot new`` would write for the team, and where it goes.

    Raises :class:`minutesbot.agenda.AgendaProblem` when no agenda can be made, or
    where its file would be reached through a symbolic link that a walk of the root
    does not follow (as ``new`` refuses to write through one).
    """
    prepared = prepare_agenda(setting, around)
    local = setting.folder / prepared.name
    why = unreached(local, setting.root)
    if why:
        raise AgendaProblem(f"{why}: no agenda is proposed there")
    team, agenda = setting.name, prepared.agenda
    carried = agenda.carried + (f", {len(agenda.away)} away" if agenda.away else "")
    return AgendaPlan(
        team=team,
        day=agenda.date,
        branch=BRANCH.format(team=team, date=agenda.date),
        path=f"{links.prefix}{team}/{prepared.name}",
        local=local,
        text=prepared.text,
        title=f"{team}: agenda for {agenda.date_text}",
        summary=carried,
        previous_url=links.url(agenda.previous.source) if agenda.previous else "",
        github_note=agenda.github_note,
    )


def settle(plan: AgendaPlan, client: Any | None, repository: str, identity: str) -> Outcome:
    """Skip an agenda the checkout has already; without a client, say what would be done."""
    if plan.local.exists():
        return Outcome(plan.team, "skipped", f"{plan.path} exists in the checkout already")
    if client is None:
        return Outcome(
            plan.team,
            "planned",
            f"would open or update a pull request from {plan.branch} with {plan.path} "
            f"({plan.summary})",
        )
    return propose(plan.proposal(), client, repository, identity)
