"""The archive: an incremental SQLite index of every minutes file below a root.

``Archive.open(root, config)`` finds (or creates) the index, and every
query refreshes it first, re-parsing only files added or changed since the
last run. Importing this package is cheap: the parser is imported only when
a file needs parsing.

    archive = Archive.open(Path("minutes"), config)
    archive.refresh()
    for meeting in archive.history("sovereigncloudstack/cluster-stacks#56"):
        ...
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from minutesbot.archive import mentions, period, query
from minutesbot.archive.build import RefreshResult
from minutesbot.archive.checked import CheckedAnswers
from minutesbot.archive.index import ArchiveError
from minutesbot.archive.period import EVERY, Scope
from minutesbot.archive.query import Page

if TYPE_CHECKING:
    from minutesbot.links import Links

T = TypeVar("T")


class UnknownTeam(ArchiveError):
    """A team asked for that neither the minutes nor the configuration know (a user's typo)."""


class Archive(CheckedAnswers):
    """The index of one minutes root, open for refreshing and queries (see
    :class:`~minutesbot.archive.index.Index` for the refreshing, and how a damaged index is
    rebuilt, and :class:`~minutesbot.archive.checked.CheckedAnswers` for the digests)."""

    _links: Links | None = None  # found when a first answer needs a link

    @property
    def links(self) -> Links:
        """Where the answers' lines are seen (see :meth:`minutesbot.links.Links.discover`)."""
        if self._links is None:
            from minutesbot.links import Links

            self._links = Links.discover(self.root)
        return self._links

    def history(self, ref: str, limit: int | None = None) -> Page:
        """Meetings that mention ``ref`` (normalised ``owner/repo#N``), oldest first, linked;
        the latest ``limit`` meetings of them."""
        results = self._ask(
            lambda: mentions.history(self.conn, ref, limit),
            parts=("refs", "items", "decisions", "actions"),
            read=lambda found: found.read,
        )
        for result in results:
            result["link"] = self.links.link(result["source"], result["line"])
        return results

    def actions(
        self,
        *,
        owner: str | None = None,
        status: str | None = None,
        team: str | None = None,
        limit: int | None = None,
    ) -> Page:
        """Action items, each debt once (see :func:`query.actions`); ``team`` as in
        :meth:`team_names`."""
        teams = self.team_names(team)
        return self._ask(
            lambda: query.actions(self.conn, owner=owner, status=status, teams=teams, limit=limit),
            parts=("actions",),
        )

    def touching(self, sources: list[str]) -> dict[str, Any]:
        """What ``track`` reads of the meetings ``sources``: ``files`` (team, date, title,
        error of each one indexed), ``actions`` (those they bear on, see
        :func:`query.actions_touching`) and ``entries`` (see :func:`query.action_entries_of`)."""
        return self._ask(
            lambda: {
                "files": query.files_of(self.conn, sources),
                "actions": query.actions_touching(self.conn, sources),
                "entries": query.action_entries_of(self.conn, sources),
            },
            parts=("actions",),
        )

    def decisions(self, scope: Scope = EVERY, limit: int | None = None) -> Page:
        """The decisions of the meetings of ``scope``; the latest ``limit`` of them."""
        teams = self.team_names(scope.team)
        return self._ask(
            lambda: query.decisions(
                self.conn, teams=teams, since=scope.since, until=scope.until, limit=limit
            ),
            parts=("decisions",),
        )

    def meetings(self, scope: Scope = EVERY) -> list[dict[str, Any]]:
        """Dated meetings of ``scope`` (see :func:`period.meetings`)."""
        return self._in_period(period.meetings, scope, ())

    def action_entries(self, scope: Scope = EVERY) -> list[dict[str, Any]]:
        """Action entries of the meetings of ``scope``, opened, relisted or closed (see
        :func:`period.action_entries`)."""
        return self._in_period(period.action_entries, scope, ("actions",))

    def refs_in(self, scope: Scope = EVERY) -> list[dict[str, Any]]:
        """Refs the meetings of ``scope`` mention, once per meeting (see
        :func:`period.refs_in`)."""
        return self._in_period(period.refs_in, scope, ("refs",))

    def records(self, scope: Scope = EVERY) -> list[dict[str, Any]]:
        """The records of the dated meetings of ``scope``, as stored (no file is read)."""
        return self._in_period(
            lambda conn, found: list(period.records(conn, found)), scope, ("record",)
        )

    def last_meetings(self, before: str) -> dict[str, str]:
        """Each team's latest meeting before the ISO date ``before``."""
        return self._ask(lambda: period.last_meetings(self.conn, before))

    def _in_period(
        self,
        question: Callable[[sqlite3.Connection, period.Period], T],
        scope: Scope,
        parts: tuple[str, ...],
    ) -> T:
        """``question(conn, period)`` for the meetings of ``scope``, its team resolved (see
        :meth:`team_names`); ``parts`` as for :meth:`_ask`."""
        found = period.Period(self.team_names(scope.team), scope.since, scope.until, scope.agendas)
        return self._ask(lambda: question(self.conn, found), parts=parts)

    def teams(self) -> list[str]:
        """Every team: the folders holding minutes, and the teams configured."""
        found = self._ask(lambda: query.indexed_teams(self.conn))
        return sorted({*found, *self.config.teams})

    def team_names(self, team: str | None) -> list[str] | None:
        """The teams ``team`` names, in any case (None: no filter).

        Folder names differ from what people type only in case ("IaaS"), and
        a name no team has is a typo to report, not an empty answer.
        """
        if team is None:
            return None
        known = self.teams()
        names = [name for name in known if name.casefold() == team.casefold()]
        if not names:
            from minutesbot.teams import unknown_team

            raise UnknownTeam(str(unknown_team(team, known, self.root)))
        return names

    def search(self, text: str, limit: int | None = None) -> Page:
        """Items holding every word of ``text``, the best ``limit`` first (see
        :func:`search.search`)."""
        from minutesbot.archive import search

        # A hit is a chunk (its text, item title and line) and its file's own columns.
        return self._ask(
            lambda: search.search(self.conn, text, limit),
            f"{self.path}: search {text!r}",
            parts=(),
            chunks=lambda hits: hits.chunks,
        )


__all__ = ["EVERY", "Archive", "ArchiveError", "Page", "RefreshResult", "Scope", "UnknownTeam"]
