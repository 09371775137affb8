"""``minutesbot track``: an issue per open action item, closed when a meeting reports it done.

:mod:`~minutesbot.track.plan` reads the index for the actions the changed
minutes bear on and says what each one's issue should be;
:mod:`~minutesbot.track.sync` makes GitHub so, through the GitHub layer,
as idempotently as backlinks are published.
"""
