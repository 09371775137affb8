"""What the next call's agenda carries forward from a team's history.

:func:`build_agenda` reads the team's records (oldest first) and gathers what
must not fall through the cracks: action items still open (via
:mod:`minutesbot.records.tracking`, so an item reported done in a later review is not
carried), topics put off and not discussed since, people known to be away on
the new date, and whose turn the chores are. Each carried thing keeps where
it came from: the meeting's date, the file and line, and a link relative to
the new file. The result is plain data for a Jinja2 template
(:mod:`minutesbot.agenda.render`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minutesbot.agenda.away import away_on_day
from minutesbot.agenda.cadence import CadenceError
from minutesbot.agenda.carry import (
    carried_actions,
    deferred_items,
    recurring_topics,
)
from minutesbot.agenda.history import History, agenda_filename, history_from_index
from minutesbot.agenda.issues import add_github
from minutesbot.agenda.model import Agenda, AgendaProblem, origin_of
from minutesbot.agenda.render import render_agenda
from minutesbot.agenda.roles import suggest_roles
from minutesbot.agenda.schedule import plan
from minutesbot.agenda.skeleton import default_skeleton, skeleton_of
from minutesbot.records.dates import still_to_come
from minutesbot.records.meetings import held as held_meetings
from minutesbot.records.meetings import side_meetings, usual_name
from minutesbot.records.record import Record
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting
from minutesbot.templating import TemplateError


def issue_urls(records: list[Record]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for record in records:
        for ref in record.issues:
            urls.setdefault(ref.ref, ref.url)
    return urls


def build_agenda(history: History, around: Surroundings, day: date | None = None) -> Agenda:
    """The agenda of the next call (or of ``day``) of the team ``history`` was read for,
    offline: no GitHub yet.

    Files of meetings still to come are agendas (one ``new`` wrote before,
    say), not history: the next date is the one they are for, so ``new``
    run twice finds its own file instead of planning the meeting after.
    """
    team, config = history.team.name, history.team.config
    team_config = history.team.settings
    held = held_meetings(history.records, around.today)
    side = side_meetings(held, usual_name(config, team))
    regular = [r for r in held if r.source not in side] or held
    held_on = [date.fromisoformat(r.date or "") for r in regular]
    slot = plan(held_on, history.team, around, day)
    when = slot.day
    # Only what was known before the new date counts (a --date in the past rewrites history).
    earlier = [r for r in held if (r.date or "") < when.isoformat()]
    model = next(
        (r for r in reversed(earlier) if r.source not in side), earlier[-1] if earlier else None
    )
    skeleton = (
        skeleton_of(
            history.document(model),
            [n.line for n in (*model.actions, *model.decisions)],
        )
        if model
        else default_skeleton()
    )
    away = away_on_day(earlier, when, team)
    previous = origin_of(model, 1, team) if model else None
    debts = history.open_debts(earlier, side)
    open_actions = carried_actions(debts, earlier, team, team_config.carry_meetings)
    # Topics put off limit themselves: each following call lists them again, or they go.
    deferred = deferred_items(history, earlier, side)
    return Agenda(
        team=team,
        date=when,
        date_text=when.strftime(team_config.date_format),
        start=slot.start,
        skeleton=skeleton,
        previous=previous,
        open_actions=open_actions,
        deferred=deferred,
        recurring=recurring_topics(earlier, deferred),
        away=away,
        roles=suggest_roles(earlier, {a.who for a in away}),
        issue_urls=issue_urls(earlier),
    )


@dataclass
class PreparedAgenda:
    """An agenda ready to be written: the data, its markdown, its file name in the team's folder."""

    agenda: Agenda
    text: str
    name: str


def prepare_agenda(
    team: TeamSetting, around: Surroundings, day: date | None = None
) -> PreparedAgenda:
    """Everything ``minutesbot new`` writes for ``team``, shared with the Action's agenda
    pull request so that both produce the same file. ``around.warn`` hears what is worth
    saying but does not stop the agenda (unreadable minutes, issue states not checked)."""

    today, warn, config = around.today, around.warn, team.config
    history = history_from_index(team, around)
    for message in history.warnings:
        warn(message)
    for record in history.records:
        if record.nobody_present_yet(today) and not still_to_come(record.date, today):
            warn(
                f"{record.source}: dated {record.date} and lists nobody present: "
                "read as the agenda of a meeting still to come, not as minutes"
            )
    from minutesbot.calendar import CalendarError

    try:
        agenda = build_agenda(history, around, day)
    except CadenceError as exc:
        raise AgendaProblem(f"team {team.name}: {exc}") from None
    except CalendarError as exc:
        raise AgendaProblem(str(exc)) from None
    for message in add_github(agenda, config, around.env):
        warn(message)
    try:
        text = render_agenda(agenda, config)
    except TemplateError as exc:
        raise AgendaProblem(str(exc)) from None
    return PreparedAgenda(agenda, text, agenda_filename(config, team.name, agenda.date))
