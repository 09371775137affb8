"""Templates: the one sandboxed Jinja2 environment minutesbot writes markdown with.

The default templates (``agenda.md.j2``, ``backlink.md.j2``) are the
project's top-level ``templates/`` folder, installed as the package
``minutesbot.templates``. A minutes repository overrides any of them from
its own template folder (``template-dir`` in the configuration, default
``templates/`` beside it): a file of the same name there wins, and the
shipped one stays reachable as ``minutesbot/NAME`` (so that an override can
``{% extends "minutesbot/agenda.md.j2" %}``).

The environment is sandboxed: a template comes from the minutes repository,
which a pull request may change. A template that cannot be found, compiled
or rendered is a :class:`TemplateError` whose message is one line naming
the template file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from minutesbot.config import Config

if TYPE_CHECKING:
    from jinja2 import Environment, Template

SHIPPED = "minutesbot"  # the prefix naming a shipped template past an override

# Characters that could open markup in running text; escaped so the text reads back as written.
# A ">" opens nothing but a quote at the start of a line: "A -> B" stays as written.
_MARKUP = re.compile(r"([\\`*\[\]<~|])")
_QUOTE = re.compile(r"^([ \t]*)>", re.M)
# An underscore opens emphasis only at a word's edge (snake_case stays as is).
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# An ampersand matters only where it starts a character reference (``&#64;`` reads as ``@``).
_REFERENCE = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")


class TemplateError(Exception):
    """A template that cannot be found, compiled or rendered; names file and line."""


def escape_markdown(text: str) -> str:
    """Plain text as markdown that renders back to the same plain text.

    Every character that could start inline markup (code, emphasis, links
    and images, HTML, character references, table cells, strikethrough) is
    backslash-escaped, so no text can turn into anything but text. Text that
    GitHub itself turns into links or mentions (``@handle``, bare URLs) is
    plain text to markdown; :class:`minutesbot.publish.backlinks.Renderer` deals with it.
    """
    text = _MARKUP.sub(r"\\\1", str(text))
    text = _QUOTE.sub(r"\1\\>", text)
    text = _REFERENCE.sub(r"\\&", text)
    return _EDGE_UNDERSCORE.sub(r"\\_", text)


def template_dir(config: Config) -> Path:
    """The minutes repository's template folder (it need not exist)."""
    return config.base_dir / config.template_dir


def environment(
    config: Config,
    *,
    trim_blocks: bool = False,
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> Environment:
    """The sandboxed environment: the repository's templates before the shipped ones.

    ``trim_blocks`` (with ``lstrip_blocks``) lets a block tag stand on a line
    of its own without leaving that line in the output; the backlink template
    places its whitespace by hand and renders without.
    """
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    shipped = PackageLoader("minutesbot.templates", ".")
    env = SandboxedEnvironment(
        loader=ChoiceLoader(
            [FileSystemLoader(str(template_dir(config))), shipped, PrefixLoader({SHIPPED: shipped})]
        ),
        undefined=StrictUndefined,
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(md=escape_markdown, **(filters or {}))
    return env


def load(env: Environment, name: str, config: Config) -> Template:
    """The template ``name``; a missing or broken one is a :class:`TemplateError`."""
    try:
        return env.get_template(name)
    except Exception as exc:  # anything Jinja2 raises while finding or compiling
        raise TemplateError(describe(exc, name, config)) from None


def render(template: Template, config: Config, **context: Any) -> str:
    """``template`` with ``context``; whatever fails is a :class:`TemplateError`."""
    try:
        return template.render(**context)
    except Exception as exc:  # anything a template can raise while rendering
        raise TemplateError(describe(exc, template.name or "", config)) from None


def describe(exc: Exception, name: str, config: Config) -> str:
    """One line saying which template (file and line) failed and how."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateNotFound):
        return (
            f"template {exc.name!r} not found (looked in {template_dir(config)} "
            "and the templates shipped with minutesbot)"
        )
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        message = exc.message or ""
    else:
        where = _template_frame(exc.__traceback__) or name
        message = f"{type(exc).__name__}: {exc}"
    return f"{where}: {' '.join(message.split())}"


def _template_frame(tb: TracebackType | None) -> str | None:
    """``file:line`` of the innermost template frame (Jinja2 maps frames to template lines)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "<template>" in filename:
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
