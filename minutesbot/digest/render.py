"""A :class:`~minutesbot.digest.Digest` into markdown: a page, or HedgeDoc slides.

The templates ship with minutesbot (``digest.md.j2``, ``digest-slides.md.j2``
in the top-level ``templates/``); a minutes repository overrides either with
a file of the same name in its template folder (see :mod:`minutesbot.templating`).
A broken template is a :class:`~minutesbot.templating.TemplateError` naming
the template file and line.
"""

from __future__ import annotations

import re

from minutesbot.config import Config
from minutesbot.digest import Digest
from minutesbot.templating import environment, load, render

PAGE = "digest.md.j2"
SLIDES = "digest-slides.md.j2"
_BLANK_RUNS = re.compile(r"\n{3,}")


def render_digest(digest: Digest, config: Config, *, slides: bool = False) -> str:
    """The digest as markdown (``slides``: a slide per team, ``---`` between slides)."""
    env = environment(
        config, trim_blocks=True, filters={"handles": lambda o: ", ".join(f"@{h}" for h in o)}
    )
    text = render(load(env, SLIDES if slides else PAGE, config), config, digest=digest)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"
