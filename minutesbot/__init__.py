"""minutesbot: the minutes of a team's weekly call as data.

The package follows the flow of a minutes file::

    records/   file -> record: bytes read and decoded, markdown as a document,
               the extractors that make the record, refs, dates, action states
    archive/   records -> an SQLite index that queries answer from
    publish/   record -> backlink comments on the issues it discusses
    agenda/    a team's records -> the next call's agenda (and its pull request)
    track/     open action items -> an issue each, closed when a meeting says so
    digest/    the index -> what the teams' meetings of a period came to
    stats/     the index and git -> attendance, chores, actions, commit delays
    calendar/  a yaml2ics calendar -> each team's meeting series, an iCal feed
    pads/      a team's pad <-> its minutes and its next agenda
    github/    the one way to GitHub: transport, comments, pulls, search, GraphQL
    cli/       the ``minutesbot`` command: options in, library calls, output out

and a few modules every part shares: ``config`` (read once), ``teams`` (which
teams there are), ``links`` (where a line of the minutes is seen),
``templating`` (the sandboxed Jinja2 environment), ``report`` (what a run
wrote to GitHub), ``secrets`` (tokens out of every message) and ``lint``.
"""

__version__ = "0.1.0"
