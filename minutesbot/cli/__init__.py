"""The ``minutesbot`` command: options in, library calls, output out.

Each command group lives in its own module here and only parses options and
prints; the work is done by the library modules, imported inside the
commands so that start-up stays cheap (``minutesbot history`` never imports
PyGithub). Only the module of the command run is imported (see
:data:`minutesbot.cli.group.COMMANDS`); ``minutesbot --help`` imports them all.
The archive's questions with plain options do not import click either (see
:mod:`minutesbot.cli.shortcut`). :func:`run` is the command;
``minutesbot.cli.main`` is its click group, for tests and other programs.

A command that reads the index begins ``git status`` before anything else is
imported (see :mod:`minutesbot.gitstatus`): on a big archive that is most of
its time, and it runs meanwhile.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import Any

from minutesbot.gitstatus import prefetch

# At exit, Python looks once more at every object the collector tracks (15,000 after a
# query's imports) before it ends: 6-9 ms of a 100 ms query. Frozen, they are left to the
# end of the process, which frees them all at once.
atexit.register(gc.freeze)
# The cyclic collector runs whenever 700 more objects are alive than at its last run: 20
# times during a query's imports alone (2-3 ms), and every few files of a parse (the
# records and tokens a file makes live until it is done). At 50,000 it runs 70 times less
# often, and the cycles it has yet to find stay a few MB (a 900-file parse in one process:
# 4-7 MB more at its peak, 6% sooner; a chart of stats: about 9,000 objects). Set here, as
# the command is imported: the imports are most of what it saves.
gc.set_threshold(50_000, *gc.get_threshold()[1:])

# The modules whose commands read the index first (names as in group.COMMANDS).
_READ_THE_INDEX = {
    "actions",
    "decisions",
    "digest",
    "history",
    "index",
    "search",
    "stats",
    "track",
}

if len(sys.argv) > 1 and sys.argv[1] in _READ_THE_INDEX:
    prefetch(os.getcwd())


def run() -> None:
    """``minutesbot`` with the words it was given: a question whose options are plain,
    without click; anything else, with it."""
    try:
        if len(sys.argv) > 1 and sys.argv[1] in _READ_THE_INDEX:
            from minutesbot.cli.shortcut import run as answer_plainly

            code = answer_plainly(sys.argv[1:])
            if code is not None:
                _end_now(code)
        from minutesbot.cli.group import main
    except KeyboardInterrupt:  # Ctrl-C while the command's modules are imported
        from minutesbot.cli.invocation import interrupted

        interrupted()
    main()


def _end_now(code: int) -> None:
    """End the process with ``code`` once the answer is out, without Python's teardown.

    The teardown frees every object of every module one by one: 2-3 ms at the
    end of a question, when there is nothing else left to do, and the system
    frees the memory at once anyway. The archive is closed by then and the
    streams are flushed here. Where anything else is to run at exit (a profiler,
    a tracer such as coverage, a function registered with ``atexit`` besides the
    ``gc.freeze`` above), the process ends as usual.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = code or 1
    others_at_exit = getattr(atexit, "_ncallbacks", lambda: None)() != 1
    if others_at_exit or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    os._exit(code)


def __getattr__(name: str) -> Any:
    """``main``, the click group, imported when asked for (:func:`run` may not need it)."""
    if name == "main":
        from minutesbot.cli.group import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["main", "run"]
