"""minutesbot: the minutes of a team's weekly call as data.

Parse minutes files into records (``minutesbot.parser``), index an archive of
them, publish backlinks on GitHub and prepare the next call's agenda.
"""
__version__ = "0.1.0"
