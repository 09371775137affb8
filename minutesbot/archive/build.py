"""Bringing the index up to date with the minutes on disk.

A refresh compares what is on disk with what the index holds, cheapest test
first: git, or a fingerprint of all stats, says which files may have
changed (see :mod:`minutesbot.archive.fresh`); of those, file by file, a
file whose stat (modification and change time, size) is unchanged is taken
as unchanged (no read at all), and otherwise its content hash decides. Only
files added or changed are parsed, and files removed are deleted from the
index. A change of the configuration that
parsing depends on (see :func:`settings_fingerprint`) has every file parsed
again.

Parsing is :mod:`minutesbot.archive.parsing`'s, and the rows a file is stored
as are :mod:`minutesbot.archive.rows`'. The parent alone writes to SQLite
while the workers go on parsing, committing every few seconds (see
:mod:`minutesbot.archive.batches`), so an interrupted build keeps its work.
Parsing and action tracking (and with them the record types and their
patterns) are imported only when something is to be written: most queries
find nothing changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from minutesbot.archive.batches import Batches, Superseded
from minutesbot.archive.fresh import Freshness, Plan, Stat, is_racy
from minutesbot.archive.rows import delete_file, insert_file
from minutesbot.archive.store import NAMED, rollback
from minutesbot.config import Config
from minutesbot.records.files import team_of


@dataclass
class RefreshResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    # Some file was stored with a racy stat (see _trusted).
    racy: bool = field(default=False, repr=False)
    # Teams whose action states and agenda marks were worked out again: on another day,
    # with no file changed, a meeting whose day came is no agenda any more.
    tracked: int = 0

    @property
    def parsed(self) -> int:
        return self.added + self.changed

    def shown_warnings(self, most: int = 20) -> list[str]:
        """The warnings to print: every one of a few; of many, the first ``most`` and a line
        counting the rest. A first index of a big archive can warn of thousands of files
        (refs with no default owner); a screenful says what they are like."""
        if len(self.warnings) <= most + 1:
            return self.warnings
        more = len(self.warnings) - most
        return [
            *self.warnings[:most],
            f"and {more:,} more warnings (minutesbot lint lists every one)",
        ]


def settings_fingerprint(config: Config) -> str:
    """What a file's rows depend on besides the file: the parser, and parts of the
    configuration.

    Another minutesbot version may parse differently (an upgrade must not
    leave the old reading of every file unchanged since); the owner completes
    ``repo#N``, a team's repo makes a bare ``#N`` a ref, and
    ``max-file-bytes`` decides which files are read at all. When one of them
    changes, every file is parsed again.
    """
    from minutesbot import __version__

    return json.dumps(
        {
            "minutesbot": __version__,
            "owner": config.owner(),
            "max_file_bytes": config.max_file_bytes,
            "team_repos": {name: team.repo for name, team in config.teams.items() if team.repo},
            # Side meetings (whose reviews do not speak for the team) are told by the shape
            # of the team's file names.
            "filenames": {name: team.filename for name, team in config.teams.items()},
        },
        sort_keys=True,
    )


def refresh(
    conn: sqlite3.Connection,
    root: Path,
    config: Config,
    *,
    progress: bool = False,
    jobs: int | None = None,
    fresh: Freshness | None = None,
    today: date | None = None,
) -> RefreshResult:
    """Bring the index in ``conn`` up to date with the minutes below ``root`` as ``config``
    reads them; ``fresh``: the look at the disk begun already (see :class:`Freshness`).

    The action states are those of the meetings held by ``today`` (default: today): a
    file dated later is an agenda until its day comes, so on another day than the last
    refresh the teams of files that stopped (or started) being agendas are tracked again.
    """
    fresh = fresh or Freshness(root)
    try:
        return _refresh(conn, root, config, fresh, progress, jobs, today)
    finally:
        fresh.close()  # a git status an error kept from being read is stopped


def _refresh(
    conn: sqlite3.Connection,
    root: Path,
    config: Config,
    fresh: Freshness,
    progress: bool,
    jobs: int | None,
    today: date | None,
) -> RefreshResult:
    day = (today or date.today()).isoformat()
    settings = settings_fingerprint(config)
    stored = _meta(conn)
    if (
        stored.get("settings") == settings
        and stored.get("day") == day
        and (not stored.get("teams") or stored["teams"] == _teams(root, config)[1])
    ):
        found = fresh.plan(stored)
        files = stored.get("files", "")
        if found.same_state and files.isdigit() and _matches(conn, found):
            return RefreshResult(unchanged=int(files))
    from minutesbot.archive.states import agendas_changed, update_tracking

    conn.execute("BEGIN IMMEDIATE")
    try:
        # Under the write lock, plan again: another process may have done the work meanwhile.
        stored = _meta(conn)
        reparse_all = stored.get("settings") != settings
        found = fresh.plan({} if reparse_all else stored)
        held_by = date.fromisoformat(day)
        known, teams_now = _teams(root, config)
        tracked: list[str | None] = []

        def track(teams: set[str | None]) -> None:
            update_tracking(conn, teams, config, held_by)
            tracked.extend(teams)

        try:
            result, teams = _apply(
                conn,
                root,
                config,
                found,
                progress,
                jobs,
                reparse_all,
                settings,
                track,
                held_by,
                known,
                # "": no file named a team last time (None: an interrupted refresh).
                stored.get("teams") not in ("", teams_now),
            )
        except Superseded:
            rollback(conn)
            return refresh(conn, root, config, progress=progress, jobs=jobs, today=today)
        teams |= agendas_changed(conn, held_by)
        if teams:
            track(teams)
        files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        result.unchanged = files - result.added - result.changed
        result.tracked = len(tracked)
        racy = result.racy and found.state.get("mode") == "walk"
        # The teams the spelling of a team named in front matter went by; none where no
        # file names one (then queries need not look at the root's folders).
        named = conn.execute(f"SELECT 1 FROM files WHERE {NAMED} LIMIT 1").fetchone()
        conn.execute("DELETE FROM meta WHERE key NOT IN ('settings')")
        # A fingerprint with a file that may change unseen must not match next time.
        conn.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [
                *found.state.items(),
                ("settings", settings),
                ("day", day),
                ("files", str(files)),
                ("teams", teams_now if named else ""),
                *([("fingerprint", "")] if racy else []),
            ],
        )
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return result


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))


def _teams(root: Path, config: Config) -> tuple[set[str], str]:
    """The teams a team named in front matter may be spelled as (see
    :func:`~minutesbot.teams.spelled_as_known`): the root's folders and the configured
    teams, and the same as JSON (what the index stores to compare with)."""
    from minutesbot.teams import team_spellings

    known = team_spellings(root, config)
    return known, json.dumps(sorted(known))


def _stored(
    conn: sqlite3.Connection,
    scope: set[str] | None,
) -> dict[str, tuple[int, Stat, str, str | None]]:
    """What the index holds of the files in ``scope`` (None: of all): id, stat, hash, team."""
    query = "SELECT id, source, mtime_ns, size, ctime_ns, sha, team FROM files"
    rows = (
        conn.execute(query)
        if scope is None
        else conn.execute(
            f"{query} WHERE source IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(scope)),),
        )
    )
    return {
        source: (file_id, (mtime_ns, size, ctime_ns), sha, team)
        for file_id, source, mtime_ns, size, ctime_ns, sha, team in rows
    }


def _matches(conn: sqlite3.Connection, found: Plan) -> bool:
    """Whether every file in the plan's scope is what the index holds (the stored state
    being the current one already)."""
    if found.scope is None:
        return True
    stored = _stored(conn, found.scope)
    return stored.keys() == found.disk.files.keys() and all(
        stored[source][1] == st for source, st in found.disk.files.items()
    )


def _apply(
    conn: sqlite3.Connection,
    root: Path,
    config: Config,
    found: Plan,
    progress: bool,
    jobs: int | None,
    reparse_all: bool,
    settings: str,
    track: Callable[[set[str | None]], None],
    held_by: date,
    known: set[str],
    teams_changed: bool,
) -> tuple[RefreshResult, set[str | None]]:
    """Apply the changes on disk; the result, and the teams whose actions still need
    tracking (as of ``held_by``).

    A team whose files are all stored is tracked (``track``) at once, while the
    workers parse the next teams' files: a cold build of many teams does not end
    with all their tracking, one core idle. A team whose changed files changed
    nothing tracking reads is not tracked again (see
    :func:`~minutesbot.archive.states.kept_states`).

    A team named in front matter is filed as ``--team`` takes that name among the
    ``known`` teams (see :func:`~minutesbot.teams.spelled_as_known`); where they
    are not those of the last refresh (``teams_changed``: a folder came or went),
    the files that name one are read again.
    """
    from minutesbot.archive.parsing import parse_all
    from minutesbot.archive.states import kept_states, restore_states
    from minutesbot.teams import filed_under

    stored = _stored(conn, found.scope)
    on_disk = found.disk.files
    result = RefreshResult()
    # Teams whose actions an interrupted refresh stored but did not track yet.
    pending = conn.execute("SELECT value FROM meta WHERE key = 'pending-teams'").fetchone()
    teams: set[str | None] = set(json.loads(pending[0])) if pending else set()
    if reparse_all:
        # Every row goes: what the batches below keep is then all of the new settings.
        for file_id, *_ in stored.values():
            delete_file(conn, file_id)
    for source in stored.keys() - on_disk.keys():
        file_id, _, _, team = stored[source]
        delete_file(conn, file_id)
        teams.add(team)
        result.removed += 1
    to_parse = []
    for source, st in on_disk.items():
        old = stored.get(source)
        if old is None or reparse_all:
            to_parse.append(source)
            continue
        file_id, stat, sha, team = old
        if stat == st:
            continue
        if _hash_file(root / source) == sha:
            # Touched, not changed: remember the new stat so the fast path works next time.
            conn.execute(
                "UPDATE files SET mtime_ns = ?, size = ?, ctime_ns = ? WHERE id = ?",
                (*_trusted(st, found, result), file_id),
            )
        else:
            to_parse.append(source)
    if teams_changed and not reparse_all:
        stats = _named_again(conn, found, stored, to_parse)
        on_disk = {**stats, **on_disk}
    batch = Batches(conn, settings)
    left = Counter(map(team_of, to_parse))
    # Closed (the workers stopped, chunks not begun dropped) the moment anything below
    # raises: Ctrl-C while a team is tracked, or another refresh that superseded this one.
    parsing = parse_all(root, config, to_parse, on_disk, progress, jobs)
    with closing(parsing):
        for parsed in parsing:
            filed = filed_under(parsed.team, known)
            if filed is not None and filed != parsed.team:
                parsed.file_under(filed)
            old = stored.get(parsed.source)
            kept = None
            if old is None:
                result.added += 1
            else:
                if not reparse_all:
                    kept = kept_states(conn, old[0], parsed, held_by)
                    delete_file(conn, old[0])
                if kept is None:
                    teams.add(old[3])
                result.changed += 1
            parsed.stat = _trusted(parsed.stat, found, result)
            if kept is None:
                insert_file(conn, parsed)
                teams.add(parsed.team)
            else:  # its actions' states stand: no tracking (see kept_states)
                insert_file(conn, parsed, old[0])
                restore_states(conn, kept)
            result.warnings.extend(f"{parsed.source}: {w}" for w in parsed.warnings)
            batch.stored(teams)
            team = team_of(parsed.source)
            left[team] -= 1
            if not left[team] and team in teams:
                track({team})
                teams.discard(team)
    return result, teams


def _named_again(
    conn: sqlite3.Connection,
    found: Plan,
    stored: dict[str, tuple[int, Stat, str, str | None]],
    to_parse: list[str],
) -> dict[str, Stat]:
    """Add to ``to_parse`` (and ``stored``) the files whose team their front matter names,
    to be read again; the stats of those the look at the disk did not cover (unchanged
    since the index last saw them: git lists every file that differs)."""
    query = f"SELECT id, source, mtime_ns, size, ctime_ns, sha, team FROM files WHERE {NAMED}"
    chosen, stats = set(to_parse), {}
    for file_id, source, mtime_ns, size, ctime_ns, sha, team in conn.execute(query).fetchall():
        unseen = found.scope is not None and source not in found.scope
        if source in chosen or not (unseen or source in found.disk.files):
            continue  # parsed anyway, or gone
        stored[source] = (file_id, (mtime_ns, size, ctime_ns), sha, team)
        to_parse.append(source)
        if unseen:
            stats[source] = (mtime_ns, size, ctime_ns)
    return stats


def _trusted(st: Stat, found: Plan, result: RefreshResult) -> Stat:
    """The stat to store: a racy one (see :func:`is_racy`) as one no file has, so the
    file is compared by content next time."""
    if not is_racy(st, found.since, found.until):
        return st
    result.racy = True
    return 0, st[1], 0


def _hash_file(path: Path) -> str | None:
    from minutesbot.archive.parsing import content_hash

    try:
        return content_hash(path.read_bytes())
    except OSError:
        return None
