"""What one run of a command needs besides its options, none of it through click: its
configuration, its minutes root and archive, its output, errors and exit statuses.

The archive's questions (``history``, ``actions`` ...) run through here
with click never imported when their options are plain (see
:mod:`minutesbot.cli.shortcut`): importing click is 7-8 ms of CPU, a tenth
of such a question on a 50,000-file archive. Every other command, and
every question whose options are not plain, runs through click
(:mod:`minutesbot.cli.group`), which calls the same functions.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from minutesbot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from minutesbot.archive import Archive, RefreshResult

# What each kind of failure exits with, in every command (docs/commands.md).
EXIT_FAILED = 1  # the job ran and something in it failed (a file unreadable, a lint error)
EXIT_USAGE = 2  # nothing was done: bad options, configuration or input, a refusal
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)

# A run without click (see :func:`without_click`): its configuration, once read.
_plain_run: dict[str, Config | None] = {}


def echo(text: str, *, err: bool = False) -> None:
    """``text`` and a newline on stdout (or stderr), flushed, written as ``click.echo``
    writes it: nothing where there is no such stream (closed when the process began),
    escape sequences left out where it is no terminal, UTF-8 where its encoding is ASCII
    (``PYTHONIOENCODING=ascii``), and UTF-8 too, rather than an error, where its encoding
    cannot hold the text.

    A stream that cannot be written ends the run with 1: without a word where the reader
    went away (``minutesbot actions | head``), else with a line on stderr (a full disk).
    """
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    line = text + "\n"
    if not _terminal(stream):
        line = _ESCAPE.sub("", line)
    try:
        _write(stream, line)
        stream.flush()
    except OSError as exc:
        _write_failed(stream, exc)


def _write(stream: TextIO, line: str) -> None:
    """``line`` in the stream's encoding where it is no ASCII and can hold it (nothing is
    written when it cannot: a text is encoded first), else in UTF-8 to the bytes beneath."""
    binary = getattr(stream, "buffer", None)
    if binary is None or not _ascii(stream):
        try:
            stream.write(line)
            return
        except UnicodeEncodeError:
            if binary is None:
                raise
    stream.flush()
    binary.write(line.encode("utf-8", "replace"))


# An escape sequence of a terminal (colours, cursor moves), as click leaves it out.
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def _terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def _ascii(stream: TextIO) -> bool:
    try:
        return codecs.lookup(stream.encoding).name == "ascii"
    except (LookupError, TypeError):
        return False


def _write_failed(stream: TextIO, exc: OSError) -> NoReturn:
    """Exit 1 for a stream that cannot be written, which leads nowhere from here, so that
    Python does not complain when it flushes what is left at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # no descriptor to point elsewhere (a captured stream)
        pass
    if exc.errno != errno.EPIPE and stream is not sys.stderr:
        fail(f"the output could not be written: {exc.strerror or exc}")
    raise SystemExit(EXIT_FAILED)


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    """Print one line to stderr and exit; never a traceback."""
    echo(f"minutesbot: error: {message}", err=True)
    raise SystemExit(code)


def warn(message: str) -> None:
    echo(f"minutesbot: warning: {message}", err=True)


def interrupted(*, line_ended: bool = False) -> NoReturn:
    """Ctrl-C: one line and exit status 130, instead of click's "Aborted!" and 1 (which
    reads as a failed job). The line the ^C was typed on is ended first, as click ends
    it before it aborts (``line_ended``: click has done so)."""
    if not line_ended:
        echo("", err=True)
    echo("minutesbot: interrupted", err=True)
    raise SystemExit(EXIT_INTERRUPTED)


@contextmanager
def without_click() -> Iterator[None]:
    """A run that does not go through click: :func:`get_config` keeps the configuration
    here, for the run, instead of in click's context."""
    _plain_run["config"] = None
    try:
        yield
    finally:
        _plain_run.clear()


def get_config() -> Config:
    """The configuration for the working directory, read once per run, when first asked
    for: kept in click's context (a test runs many commands in one process), or for a run
    :func:`without_click`."""
    if "config" in _plain_run:
        found = _plain_run["config"]
        if found is None:
            found = _plain_run["config"] = read_config()
        return found
    import click

    root = click.get_current_context().find_root()
    if root.obj is None:
        root.obj = read_config()
    return root.obj


def read_config() -> Config:
    """The configuration for the working directory; one that does not read exits 2."""
    try:
        return load_config(Path.cwd())
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)


def root_folder(root: Path | None, *, required: bool = True, creates: bool = False) -> Path:
    """The minutes root of a command: ``--root``, else the configuration's.

    An explicit ``--root`` that is no folder is an error (a typo) unless the
    command fills a new root (``creates``: pulling the first minutes from a
    pad); the configured one only where the command reads the whole root
    (``required``), not where it is handed files or creates a team's folder.
    Both exit 2 with a line saying how to set it, the same in every command.
    """
    config = get_config()
    path = config.root(root)
    if path.is_dir():
        return path
    if root is not None and not creates:
        fail(f"--root {root}: no such folder", EXIT_USAGE)
    if required:
        no_minutes_folder(path, config)
    return path


def no_minutes_folder(path: Path, config: Config) -> NoReturn:
    """The configured minutes root is not there: exit 2 with how to set it."""
    from minutesbot.links import shown_path

    where = f"minutes-root in {shown_path(config.path)}" if config.path else "the default"
    fail(
        f"no minutes folder {shown_path(path)}/ ({where}): run minutesbot in your minutes "
        "repository, pass --root DIR (the folder holding the team folders), or set "
        "minutes-root under [tool.minutesbot] in its pyproject.toml",
        EXIT_USAGE,
    )


@contextmanager
def open_archive(
    root: Path | None, *, answer_first: bool = False
) -> Iterator[tuple[Archive, RefreshResult | None]]:
    """The archive of the minutes root, refreshed, for the ``with`` block; failures there
    (opening, refreshing, a query, an unknown ``--team``) end the command with one line.

    A first query on a big archive builds the index, so it shows the progress
    bar too (on a terminal only). ``answer_first``: the refresh comes with the
    first question, which is answered meanwhile (see
    :meth:`Archive.refresh_when_asked`); no result of the refresh then.
    """
    from minutesbot.archive import Archive, ArchiveError, UnknownTeam

    config = get_config()
    folder = root_folder(root)
    try:
        with Archive.open(folder, config, warn) as archive:
            if answer_first:
                archive.refresh_when_asked(progress=True)
                try:
                    yield archive, None
                except KeyboardInterrupt:
                    _interrupted_indexing()
                return
            try:
                result = archive.refresh(progress=True)
            except KeyboardInterrupt:
                _interrupted_indexing()
            for message in result.shown_warnings():
                warn(message)
            yield archive, result
    except UnknownTeam as exc:
        fail(str(exc), EXIT_USAGE)
    except ArchiveError as exc:
        fail(str(exc))


def _interrupted_indexing() -> NoReturn:
    fail("interrupted: the files indexed so far are kept; run it again to go on", EXIT_INTERRUPTED)


def period(since: date | None, until: date | None) -> dict[str, str | None]:
    """``since`` and ``until`` as ISO days; a period that ends before it starts exits 2."""
    first = since.isoformat() if since else None
    last = until.isoformat() if until else None
    if first and last and first > last:
        fail(f"--since {first} is after --until {last}: no day is in that period", EXIT_USAGE)
    return {"since": first, "until": last}
