"""An :class:`~minutesbot.agenda.Agenda` into markdown through a Jinja2 template.

The default template ships in the package (``minutesbot/agenda.md.j2``); a
minutes repository may put its own in its template folder (``templates/``,
``template-dir`` in the configuration): the team's ``template`` key names
it, else ``TEAM.md.j2`` or ``agenda.md.j2`` there is used when present. A
broken template is reported as :class:`TemplateError` naming the template
file and line, never as a traceback.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from minutesbot.config import Config

if TYPE_CHECKING:
    from jinja2 import Environment

    from minutesbot.agenda import Agenda

DEFAULT_TEMPLATE = "minutesbot/agenda.md.j2"

# Characters that could open markup in running text; escaped so the text reads back as written.
_MARKUP = re.compile(r"([\\`*\[\]<>~|])")
# An underscore opens emphasis only at a word's edge (snake_case stays as is).
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# An ampersand matters only where it starts a character reference (``&#64;`` reads as ``@``).
_REFERENCE = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_BLANK_RUNS = re.compile(r"\n{3,}")


class TemplateError(Exception):
    """A template that cannot be found, compiled or rendered; names file and line."""


def escape_markdown(text: str) -> str:
    """Plain text as markdown that renders back to the same plain text.

    Every character that could start inline markup (code, emphasis, links
    and images, HTML, character references, table cells, strikethrough) is
    backslash-escaped, so no text can turn into anything but text. Text that
    GitHub itself turns into links or mentions (``@handle``, bare URLs) is
    plain text to markdown; :class:`minutesbot.publish.Renderer` deals with it.
    """
    text = _MARKUP.sub(r"\\\1", str(text))
    text = _REFERENCE.sub(r"\\&", text)
    return _EDGE_UNDERSCORE.sub(r"\\_", text)


def _handles(owners: list[str]) -> str:
    return ", ".join(f"@{o}" for o in owners)


def template_dir(config: Config) -> Path:
    return config.base_dir / config.template_dir


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


def environment(config: Config, team: str) -> "Environment":
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    date_format = config.team(team).date_format

    def day(value: date | str) -> str:
        """A date (or ISO string) in the team's format."""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return value.strftime(date_format)

    # Sandboxed: a template comes from the minutes repository, which a pull request may change.
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(template_dir(config))),
                             PrefixLoader({"minutesbot": PackageLoader("minutesbot", "templates")})]),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False)
    env.filters.update(md=escape_markdown, handles=_handles, day=day)
    return env


def render_agenda(agenda: "Agenda", config: Config) -> str:
    """The agenda as markdown, through the team's template."""
    import jinja2

    name = choose_template(config, agenda.team)
    env = environment(config, agenda.team)
    try:
        template = env.get_template(name)
        text = template.render(agenda=agenda)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise TemplateError(f"{where}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found (looked in {template_dir(config)} "
                            "and the templates shipped with minutesbot)") from None
    except Exception as exc:  # anything a template can raise while rendering
        where = _template_frame(exc.__traceback__) or name
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None
    text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
    return text + "\n"


def _template_frame(tb: TracebackType | None) -> str | None:
    """``file:line`` of the innermost template frame (Jinja2 maps frames to template lines)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "<template>" in filename:
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
