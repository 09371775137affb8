"""What a run of a command finds around it: the day, the environment, where warnings go."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date


def _silent(_message: str) -> None:
    """Hears a warning and says nothing (a library call nobody listens to)."""


@dataclass(frozen=True)
class Surroundings:
    """The day a run takes for today, the environment it reads (tokens, GitHub's
    variables) and where it says what is worth saying without stopping.

    The commands take the real ones; tests fix the day and the environment and
    collect the warnings. Passed as one value, so that the functions a command
    calls down to stop threading the same three arguments through.
    """

    today: date = field(default_factory=date.today)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    warn: Callable[[str], None] = _silent
