"""Which pad a team writes its minutes in, and which of its meetings is due.

The pad URL comes from, in this order: the command's ``--pad``; the team's
calendar (the pad its series of that day names, ``HedgeDoc: https://...``:
SCS names a new pad each year); the team's ``pad`` in the configuration. A
calendar and a configured ``pad`` that disagree are a warning, and the
calendar wins, as it does for the meeting's date and time.

The token for HedgeDoc 2 and HackMD is read from the environment variable
the team's ``pad-token-env`` names (``MINUTESBOT_PAD_TOKEN`` by default),
never from the configuration; HedgeDoc 1.x takes none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from minutesbot.config import Config
from minutesbot.pads.servers import PadLocation, locate
from minutesbot.pads.transport import PadError
from minutesbot.surroundings import Surroundings
from minutesbot.teams import TeamSetting

if TYPE_CHECKING:
    from minutesbot.calendar.team import TeamCalendar


@dataclass(frozen=True)
class TeamPad:
    """A team's pad: where it is, the token for it (None for HedgeDoc 1.x)."""

    team: str
    location: PadLocation
    token: str | None


def calendar_of(config: Config, team: str) -> TeamCalendar | None:
    """The team's calendar as configured (read once per command); None without one."""
    from minutesbot.calendar import CalendarError
    from minutesbot.calendar.team import for_team

    try:
        return for_team(config, team)
    except CalendarError as exc:
        raise PadError(str(exc), "invalid") from None


def last_held(calendar: TeamCalendar | None, now: datetime | None = None) -> date | None:
    """The day of the latest calendar meeting that has ended; None without a calendar."""
    if calendar is None:
        return None
    now = now or datetime.now(UTC)
    return max((o.day for o in calendar.meetings() if o.end <= now), default=None)


def team_pad(
    setting: TeamSetting,
    day: date | None,
    around: Surroundings,
    *,
    calendar: TeamCalendar | None = None,
    url: str | None = None,
    kind: str | None = None,
) -> TeamPad:
    """The pad of the team for the meeting of ``day`` (None: of today; ``calendar``: the
    team's, if it has one); PadError when none is named."""
    team, settings = setting.name, setting.settings
    if url is None:
        from_calendar = calendar.pad_url(day or around.today) if calendar else None
        if from_calendar and settings.pad and from_calendar != settings.pad:
            around.warn(
                f"team {team}: the calendar names the pad {from_calendar}, the configuration "
                f"{settings.pad}; the calendar's is used"
            )
        url = from_calendar or settings.pad
    if not url:
        raise PadError(
            f"team {team} has no pad: pass --pad URL, set pad in [tool.minutesbot.teams.{team}], "
            "or name it in the team's calendar ('HedgeDoc: URL' in the description)",
            "invalid",
        )
    location = locate(url, kind or settings.pad_kind)
    token = around.env.get(settings.pad_token_env, "").strip() or None
    return TeamPad(team, location, None if location.kind == "hedgedoc1" else token)
