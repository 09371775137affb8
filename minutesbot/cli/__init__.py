"""The ``minutesbot`` command: options in, library calls, output out.

Each command group lives in its own module here and only parses options and
prints; the work is done by the library modules, imported inside the
commands so that start-up stays cheap (``minutesbot history`` never imports
PyGithub). Only the module of the command run is imported (see
:data:`minutesbot.cli.group.COMMANDS`); ``minutesbot --help`` imports them all.

A command that reads the index begins ``git status`` before anything else is
imported (see :mod:`minutesbot.gitstatus`): on a big archive that is most of
its time, and it runs meanwhile.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

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

from minutesbot.cli.group import main  # noqa: E402

__all__ = ["main"]
