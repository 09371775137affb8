"""minutesbot: the minutes of a team's weekly call as data.

The package follows the flow of a minutes file::

    records/   file -> record: bytes read and decoded, markdown as a document,
               the extractors that make the record, refs, dates, action states
    archive/   records -> an SQLite index that queries answer from
    publish/   record -> backlink comments on the issues it discusses
    agenda/    a team's records -> the next call's agenda (and its pull request)
    github/    the one way to GitHub: transport, comments, pulls, search, GraphQL
    cli/       the ``minutesbot`` command: options in, library calls, output out

and a few modules every part shares: ``config`` (read once), ``links`` (where
a line of the minutes is seen), ``templating`` (the sandboxed Jinja2
environment), ``report`` (what a run wrote to GitHub) and ``lint``.
"""

__version__ = "0.1.0"
