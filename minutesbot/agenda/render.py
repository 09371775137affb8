"""An :class:`~minutesbot.agenda.model.Agenda` into markdown through a Jinja2 template.

The default template ships with minutesbot (``minutesbot/agenda.md.j2``); a
minutes repository may put its own in its template folder (``templates/``,
``template-dir`` in the configuration): the team's ``template`` key names
it, else ``TEAM.md.j2`` or ``agenda.md.j2`` there is used when present (see
:mod:`minutesbot.templating`). A broken template is reported as
:class:`~minutesbot.templating.TemplateError` naming the template file and
line, never as a traceback.
"""

from __future__ import annotations

import re
from datetime import date

from minutesbot.agenda.model import Agenda
from minutesbot.config import Config
from minutesbot.templating import SHIPPED, TemplateError, environment, load, render, template_dir

DEFAULT_TEMPLATE = f"{SHIPPED}/agenda.md.j2"
_BLANK_RUNS = re.compile(r"\n{3,}")


def _handles(owners: list[str]) -> str:
    return ", ".join(f"@{o}" for o in owners)


def choose_template(config: Config, team: str) -> str:
    """The template name to render for ``team`` (see the module docstring)."""
    folder = template_dir(config)
    named = config.team(team).template
    if named:
        if not (folder / named).is_file():
            raise TemplateError(f"{folder / named}: template of team {team!r} not found")
        return named
    for candidate in (f"{team}.md.j2", "agenda.md.j2"):
        if (folder / candidate).is_file():
            return candidate
    return DEFAULT_TEMPLATE


def render_agenda(agenda: Agenda, config: Config) -> str:
    """The agenda as markdown, through the team's template."""
    date_format = config.team(agenda.team).date_format

    def day(value: date | str) -> str:
        """A date (or ISO string) in the team's format."""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return value.strftime(date_format)

    env = environment(config, trim_blocks=True, filters={"handles": _handles, "day": day})
    text = render(load(env, choose_template(config, agenda.team), config), config, agenda=agenda)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"
