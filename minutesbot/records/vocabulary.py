"""The words minutes are read by: one place for every phrase minutesbot looks for.

Section names (participants, housekeeping, decisions, reviews of earlier
actions, the parts of an agenda's layout), markers (``AI``, ``TODO``,
``Decision:``, ``[x]``, ``done``, ``dropped``), chores (who reports, who
takes the minutes), how a topic is put off, how someone says they are away,
and the stop words that are no names of repositories or actions. The parser,
the tracking of actions, the agenda's layout and ``lint`` all read them from
here, so one change of wording reaches all of them.
"""

from __future__ import annotations

import re

# -- people and markup ---------------------------------------------------------
HANDLE = re.compile(r"(?<![\w.@`-])@([A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)(?![\w@])")
EMOJI = re.compile(r":[a-z0-9_+-]*[a-z][a-z0-9_+-]*:")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
# What stands before the text of a line: list marks, quotes, arrows, emphasis.
LEAD = re.compile(r"^[\s>*_~\-–—=→⇒]*(?:-+>|=+>|→|⇒)?\s*")
_LEAD_CHARS = frozenset(">*_~-–—=→⇒")  # what LEAD's class holds besides white space
# A name as written in a list of people: capitalised words (``Kurt``, ``Anna Lena
# Meyer``), particles such as ``van`` or ``de`` between them.
NAME = re.compile(
    r"^[^\W\d_a-z][\w.'’-]*(?:\s+(?:[^\W\d_a-z][\w.'’-]*|v[ao]n|de[rn]?|d[aiu]|l[ae]|zu))"
    r"{0,3}$"
)
PEOPLE_SEPARATOR = re.compile(r"[,;]|(?<!\s)\s+&\s+")
# A line of a template that is waiting for a name.
PLACEHOLDER = re.compile(r"^\W*+(?:(?:add yourself|your name|name|tbd)\W*+)?$", re.I)
# Nobody has the chore (yet): "404 - No volunteer found", "open", "no one", only marks (a
# bare "@"). "=> no community call this week" is no chore rather than one nobody took.
NOBODY = re.compile(
    r"^\W*+(?:404\b.*|no\b(?!.*\bcall\b).*|nobody.*|no ?one.*|none|open|tbd|tba|n/?a)\W*+$"
    r"|^\W++$",
    re.I,
)
# Emoji and symbols before a marker ("✅ Decision: ...", ":pushpin: Agreed: ...").
SYMBOLS_LEAD = re.compile(r"^(?::[a-z0-9_+-]++:\s*+|[^\w\s(\[`@#'\"]\s*+)++")

# -- sections ------------------------------------------------------------------
PARTICIPANTS_HEADING = re.compile(
    r"\b(participants?|attendees|attendance)\b|^\W*+(present|attending)\b", re.I
)
PARTICIPANTS_LINE = re.compile(
    r"^\s*(participants|participation|attendees|present)\s*:\s*(.*)$", re.I
)
# Housekeeping: who is here, who does which chore; never a discussion item.
META_HEADING = re.compile(
    r"\b(participants?|attendees|attendance|housekeeping|recurring items?|organi[sz]ational"
    r"|designate people|who (?:presents|is presenting|reports|is reporting))\b"
    r"|^(?:roles|chores)\b"
    r"|\bminutes?\b.*\b(?:transfer|taking|taker|writing)\b|\b(?:transfer|taking|taker)\b.*\bminutes?\b"
    r"|\b(?:community|team)(?: team)? call\b.*\b(?:report\w*|minutes|present\w*|transfer)\b"
    r"|\b(?:report\w*|present\w*|summary)\b.*\b(?:community|team)(?: team)? call\b",
    re.I,
)
DECISIONS_HEADING = re.compile(
    r"^\s*+(?:decisions?|decisions (?:taken|made)|agreements?|resolutions?)\s*+(?::\s*+)?$", re.I
)
# Headings made of these words alone are housekeeping whatever their body holds
# ("Housekeeping & Organizational Items", "Participants", "Meta", "Orga"); one of
# them in parentheses labels a section so ("Next meetings (housekeeping)").
SECTION_WORDS = frozenset(
    "participants participant attendees attendee attendance present housekeeping organizational"
    " organisational organization organisation orga meta admin administrative administrivia"
    " attending logistics recurring".split()
)
# Headings made of chore words ("Minutes", "Roles", "Moderation & Minutes") are
# housekeeping when their body names people; with a body of discussion they are
# topics ("Roles and rights in Keystone").
CHORE_WORDS = frozenset(
    "minutes minute protocol roles role chores chore moderation moderator moderating facilitation"
    " facilitator facilitating reporting report reporter reports scribe notetaker presenting"
    " presenter".split()
)
# Chore words that name no chore of their own ("Roles", "Designate people for chores").
GENERIC_CHORE_WORDS = frozenset("roles role chores chore".split())
# Words that join those in a housekeeping heading ("Designate people for chores").
FILLER_WORDS = frozenset(
    "and or for in of the to a at on by with who is are will be taking taker takers writing"
    " transfer transferring keeping people designate community team call weekly items item"
    " today this week's todays today's new".split()
)
WORD = re.compile(r"[a-z]++(?:'[a-z]++)?")
# Words of six letters or more that a heading may misspell by one letter ("Particpants"; see
# minutesbot.records.typos).
TYPO_WORDS = tuple(
    sorted(
        "participants participant attendees attendance housekeeping organizational organisational"
        " organization organisation recurring minutes protocol moderation moderator facilitation"
        " facilitator reporting transfer community decisions decision agreements"
        " resolutions".split()
    )
)
# A look back at earlier actions: "Check AIs from last time", "Checking AIs of last week",
# "Pending action items", "AIs from last call". "AI" in capitals only: "AI workloads" is a topic.
_ACTION_WORDS = r"(?:AIs?|(?i:action items?|actions|to-?dos))"
REVIEW = re.compile(
    rf"^\W*(?:(?i:check(?:ing)?|review(?:ing)?|pending|open|outstanding)\b.*\b{_ACTION_WORDS}"
    rf"|{_ACTION_WORDS}\b.*\b(?i:(?:from|of) (?:the )?(?:last|previous|past))\b)"
)
REVIEW_WORDS = 8  # a label, not a sentence ("check AI from last time: set up a meeting ...")


def is_review_label(text: str) -> bool:
    """Whether a heading or a line announces a review of earlier actions."""
    # The anchored pattern first (it fails at once on most lines), then a split no
    # further than one word past the limit: entries run to hundreds of words.
    return bool(REVIEW.search(text)) and len(text.split(None, REVIEW_WORDS)) <= REVIEW_WORDS


# The parts of a team's layout an agenda repeats (see minutesbot.agenda.skeleton).
LAYOUT_PARTICIPANTS = re.compile(r"\b(participants?|attendees|attendance|present)\b", re.I)
LAYOUT_ACTIONS = re.compile(
    r"\b(?:[Aa]ction [Ii]tems?|AIs?|TODOs?|[Tt]o-?[Dd]os)\b|^\W*(?:[Pp]ending|[Oo]pen) [Aa]ctions\b"
)
LAYOUT_AGENDA = re.compile(r"^\W*(?::[a-z0-9_+-]+:\W*)*(?:agenda|topics|discussion)\b", re.I)
LAYOUT_META = re.compile(
    r"housekeeping|recurring|organi[sz]ational|\broles?\b|\bchores?\b|minutes?|\breport|transfer"
    r"|community call|moderat|facilitat|protocol|note[ -]?tak",
    re.I,
)

# -- chores ---------------------------------------------------------------------
# The team or community call: someone reports there.
_CALL = r"\b(?:community|team)(?: team)?[ -]call\b"
# "Report of the Zuul keeper - @x" is a report on something, not the chore of reporting.
REPORT = re.compile(
    rf"{_CALL}|\breport(?:s|ing|er)?\b(?!\s+(?:of|from|about)\b)|\bpresent(?:s|ing|er)?\b", re.I
)
# Writing the minutes is also taking or keeping notes ("Notes taken by @x", "Note keeper").
_NOTES = r"\bnote[ -]?(?:tak|keep)|\bnotes (?:(?:taken|written|kept) )?by\b"
_TAKING_MINUTES = rf"\bminute|\bproto[ck]ol|{_NOTES}|\bscribe\b"
# "Notes: @x" labels the minutes taker; "Notes: see the pad" names nobody and is no chore.
NOTES_LABEL = re.compile(r"^\W*notes[\s*_]*:[\s*_]*@", re.I)
MINUTES = re.compile(rf"{_TAKING_MINUTES}|\btransfer\b", re.I)
# A line about a chore at all: the call, the minutes, or a label of either.
CHORE = re.compile(
    rf"{_CALL}|{_TAKING_MINUTES}|{NOTES_LABEL.pattern}|^\W*report(?:ing|er)?\b", re.I
)
CHORE_HINTS = ("call", "nute", "proto", "note", "cr", "report")  # in each CHORE match, lowered
# "a few minutes", "last minute", "5 minutes": a duration, no chore.
DURATION = re.compile(
    r"\b(?:\d++|a|one|two|few|couple of|several|some|last|first|extra|more)\s++minutes?\b", re.I
)
OTHER_CHORES = {
    "facilitation": re.compile(r"^\W*facilitat\w*\s*:", re.I),
    "moderation": re.compile(r"^\W*moderat\w*\s*:", re.I),
}
# The chores a heading or a label of a layout names.
ROLE_WORDS = {
    "minutes": re.compile(rf"minute|protocol|transfer|{_NOTES}", re.I),
    "reporter": re.compile(r"\breport|community call|\bpresent(?:s|ing|er)\b", re.I),
    "facilitation": re.compile(r"facilitat", re.I),
    "moderation": re.compile(r"moderat", re.I),
}
# The next meeting, as minutes name it.
NEXT_MEETING = r"\bnext (?:week|meeting|time|call)\b"
# A chore for a later meeting ("who reports next week?") is no chore of this one; the community
# call next week is where this one is reported ("Reporting in next week's community call: @x").
_CALL_OF_NEXT_WEEK = r"(?!['’]?s?\s+(?:\w+[ -])?(?:community|team|ops)[ -]call)"
FOR_LATER = re.compile(
    rf"(?<!call )(?<!call on ){NEXT_MEETING}{_CALL_OF_NEXT_WEEK}"
    r"|\bfor the \d+|\bon \d{4}-\d{2}-\d{2}\b",
    re.I,
)
# How the tools ask for a minutes taker (lint's hint, the agenda's chore line).
MINUTES_TAKER_LINE = "Responsible for the minutes: @handle"

# -- actions and decisions -----------------------------------------------------
# Handles joined as the spec joins owners (",", "/", "&", "and", "or"; "+" and a bare
# space as people write them too).
_OWNER_LIST = r"@[\w-]++(?:\s*+(?:(?:,|&|\+|/|\band\b|\bor\b)\s*+)?@[\w-]++)*+"
ACTION = re.compile(
    r"^(?:(?P<ai>AI)(?!['’\w])|(?P<todo>TODO|To-?Do)(?![\w'])"
    r"|(?P<action>Action(?: items?)?)\s*+(?=(?:\([^)]*\))?\s*:|" + _OWNER_LIST + r"\s*+:))"
    r"(?:\s*+\((?P<paren>[^)]*)\))?\s*+(?::\s*+)?",
    re.I,
)
ACTION_EXAMPLE = "AI @handle: ..."
# What follows a marker when there is nothing to do: "Action items: none", "AI: -".
NO_ACTION = re.compile(
    r"^\W*+(?:none|n/?a|nothing|tbd|no (?:new |open )?(?:action items?|ais?|to-?dos?))\W*+$", re.I
)
# First characters of a line that may hold a marker: skip the rest unread.
ACTION_FIRST = frozenset("AaTt[")
DECISION_FIRST = frozenset("DdAaRr")
BOX = re.compile(r"^\[(?P<mark>[ xX])\]\s+")
# A list mark in the source, with a task box right after it.
LIST_MARK = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+(?P<box>\[[ xX]\]\s+)?)")
# Possessive repeats (*+, ++) and one \s* per gap: a run of spaces or handles can be
# split only one way, so no line makes these backtrack (issue 16: 26 handles took 30 s).
TRAILING_AI = re.compile(
    r"\(\s*+(?:AI|action item|todo)\s*+(?::\s*+)?(?P<who>@[^()]*)\)\s*+[.!]?\s*$", re.I
)
# An arrow or dash between a marker and its owners: "AI -> @x: ...", "TODO - @x ...".
OWNER_ARROW = re.compile(r"^(?:-++>|=++>|→|[-–])\s*+(?=@)")
# The owners right after a marker, "for" between them allowed ("AI for @x, @y: review").
OWNERS = re.compile(r"^(?:(?:for|to)\s++(?=@))?" + _OWNER_LIST + r"\s*+", re.I)
# "AI @x (@y) to ...": handles in a parenthesis right after the owners are owners too.
PAREN_OWNERS = re.compile(r"^\(\s*+" + _OWNER_LIST + r"\s*+\)\s*+")
# "AI @x and others: ..." -- the owners' tail before the colon is not the task.
OWNER_TAIL = re.compile(r"^(?:and|&|\+)\s++\w++(?:\s++\w++)?\s*+:\s*+", re.I)
# In "(AI @x: ...)" what follows the owners is the task only after one of these; "(AI @x
# via @y)", "(AI @x, w/ @y)" name who alone.
TASK_AFTER_OWNERS = re.compile(
    r"^\s*+(?::|-|–|\bto\b|,(?!\s*+(?:w/|with\b|via\b|and\b|&|\+|cc\b|@)))", re.I
)
JOIN = re.compile(r"^(?:-++>\s*|=++>\s*|→\s*|[:,\-–]\s*|to\s+(?=\w))", re.I)
# A marker's text of this many words or fewer ending in a colon, over sub-entries, labels
# them ("AI for this week:", "TODO: Fixup:").
LABEL_WORDS = 4
DONE_LINE = re.compile(
    r"\bDONE\b|\berledigt\b|\(\s*done\s*\)|✅|✔|☑|:white_check_mark:|:heavy_check_mark:"
    r"|:ballot_box_with_check:|(?:[-–:>|,(]|^)\s*done\s*+[.!)]*+\s*+$",
)
DONE_START = re.compile(r"^\W*(?:done|erledigt|completed|finished)\b|^\W*(?:✅|✔|☑)", re.I)
DROPPED = re.compile(r"won[’']?t do|\bobsolete\b|\bdropped\b|\bcancell?ed\b|\bsuperseded\b", re.I)
# What a line says an action was dropped by: the words (_DROPPED_WORDS) in parentheses,
# at its end after a mark, or in capitals anywhere.
_DROPPED_WORDS = r"(?:won[’']?t do|obsolete|dropped|cancell?ed)"
DROPPED_LINE = re.compile(
    rf"\(\s*{_DROPPED_WORDS}\s*\)|(?-i:\b(?:WON'T DO|OBSOLETE|DROPPED|CANCELL?ED)\b)"
    rf"|(?:[-–:>|,]|^)\s*{_DROPPED_WORDS}\s*+[.!]*+\s*+$",
    re.I,
)
# Words of an action's text that say its status, not what it is about.
STATUS_WORDS = frozenset(
    {"done", "dropped", "obsolete", "cancelled", "canceled", "erledigt", "wont", "won", "t"}
)
# What an action's text needs to be a task someone can do (see minutesbot.records.actionable):
# words (not only links, refs or handles), no question, no label ending in a colon, and,
# when short, a verb. Longer texts are sentences and have one; for short ones the verbs
# minutes use for tasks, each also counted with -s, -es, -ed, -ing and -d endings.
TASK_VERBS = frozenset(
    """
    add adjust align allow amend analyse analyze announce answer apply approve archive arrange
    ask assess assign attend bring brief build call cancel change check clarify clean close
    collect come compare complete configure confirm connect consider contact continue convert
    coordinate copy create debug decide define delete deploy describe design discuss do document
    draft drop edit enable enhance ensure estimate evaluate explain extend figure file find
    finalize finalise finish fix follow forward gather get give go handle help implement improve
    include inform inject install integrate investigate invite involve join keep let link list
    look mail make mark meet mention merge migrate move need notify onboard open organize
    organise pick ping plan post prepare present prioritize proofread propose provide publish
    pull push put raise reach read rebase record refine reject release remind remove rename
    reply report request research resolve restart review revise rework run schedule see send set
    setup share sort speak split start stop submit summarize support survey sync take talk tell
    test think track transfer translate try turn update upgrade upload use validate verify vote
    wait work write order buy book hire fill collect call contact verify align escalate
    present demo showcase summarise outline sketch prototype benchmark measure monitor watch
    reproduce triage label tag comment reply approve sign renew rotate backup restore port
    package ship land revert patch refactor rewrite redo retry rerun recheck reach cleanup own
    """.split()
)
# What a short text without a verb of the list must look like to be no task: a noun
# phrase, opening with a determiner ("Some janitorial work ahead", "other questions") or
# ending in a noun made of a verb ("Doc completion", "kubeAPI throttling"). Anything else
# may be a verb the list lacks ("recount the votes") and is taken as a task.
NOUN_PHRASE_START = frozenset("some other any more further the a an".split())
NOUN_ENDINGS = ("tion", "tions", "sion", "ment", "ments", "ness", "ity", "ance", "ence", "ing")
# Words that make a short text a task without a verb of the list: "will", "to", "needs".
# A review entry saying there was nothing to look back at: "no AIs from last week",
# "technically none, but ...".
NOTHING_TO_REVIEW = re.compile(
    r"^(?:no\s++(?:open\s++|new\s++)?(?:ais?|action\s++items?|actions?|todos?)\b"
    r"|(?:\w++\s++)?(?:none|nothing)\s*+(?:[,.;:!)–-]|$))",
    re.I,
)
TASK_HINTS = frozenset("will shall should must needs need please to tbd".split())
TASK_SHORT_WORDS = 4  # a text of more words is a sentence; it is not checked for a verb
TASK_VERB_PLACES = 2  # where a short task has its verb: first, or after its doer

# A parenthesis may stand before the colon: "Decision (for now): ...".
DECISION = re.compile(
    r"^(?:decisions?|decided|agreed|agreements?|resolutions?)(?:\s*+\([^()]*\))?\s*+:\s*+"
    r"|^(?:decisions?|agreements?|resolutions?)\s*+$",  # a label alone: "**Decisions**"
    re.I,
)

# A marker after an arrow inside a line, found from the arrow's head: "Bundle or split? ->
# Decision: we split" (the spec's "after an arrow"; the question is what was decided on).
ARROW_DECISION = re.compile(
    r">[\s*_]*+(?=(?:decisions?|decided|agreed|agreements?|resolutions?)\b)", re.I
)
ARROW_START = re.compile(r"^\s*+(?:-++>|=++>|→|⇒)")

# -- absences -------------------------------------------------------------------
ABSENCE = re.compile(
    r"\b(?:won[’']?t|will not|can[’']?t|cannot|not|unable to) (?:be )?"
    r"(?:available|attend\w*|join\w*|make it|be there|present)\b"
    r"|\bon (?:vacation|holidays?|leave|pto|parental leave|sick leave)\b|\babsent\b"
    r"|\bout of (?:the )?office\b|\bOOO\b|\b(?:is|am|are|will be) away\b|\bexcused\b"
    r"|\bon sick\b|\bis sick\b|\bapologi[sz]es\b",
    re.I,
)
# Words every absence line contains one of, in lower case: str.find looks for each
# over the whole text several times faster than a regex alternation of them.
ABSENCE_HINTS = (
    *"avail attend join present vacation holiday leave pto absent office ooo away excused sick"
    " apologi".split(),
    "make it",
    "be there",
)
NAMED_ABSENT = re.compile(
    r"^([A-Z][\w-]+(?: [A-Z][\w-]+)?)\s+(?:is |was |will be |has been )?"
    r"(?:on (?:vacation|holiday|leave|pto)"
    r"|absent|away|excused|sick|out of office|not available|won[’']?t be|will not be|can[’']?t)"
)

# -- items ----------------------------------------------------------------------
OWNER_LINE = re.compile(r"^\W*(?:sponsor|owner|presenter|lead|by)\s*:", re.I)
# The units of a timebox: "min", "mins", "minute(s)", "Minuten"; a prime ("10'").
_MINUTES = r"min(?:ute[ns]?|s)?"
_PRIME = r"[’']"
# The number (group 1) where "~ 10 min", "10'" or "10 Minuten" is written; no run of spaces is tried
# from each of its spaces.
TIMEBOX = re.compile(rf"(?<![\w.])(\d++)\s*+(?:{_MINUTES}\b|{_PRIME}(?!\w))", re.I)
PARENTHESIS = re.compile(r"(?<!\s)\s*[(\[]([^()\[\]]*)[)\]]")
TIMEBOX_WORD = re.compile(r"\d\s*min\b|\bmin\b|π", re.I)
# What stands between a title and its timebox ("Topic - 10 min", "Topic, ~5'").
_TAIL_GAP = r"\s,;\-–"
# Where a timebox ending a title starts: after a run of _TAIL_GAP, or at a '~' or a number
# right after the title; tried from where the run starts, not inside one.
_TAIL_START = rf"(?:(?<![{_TAIL_GAP}])[{_TAIL_GAP}]++|(?<![{_TAIL_GAP}\d])|(?<![{_TAIL_GAP}])(?=~))"
TIMEBOX_TAIL = re.compile(rf"{_TAIL_START}~?\s*+\d++\s*+(?:{_MINUTES}|{_PRIME})\s*+$", re.I)

# How minutes say a topic was put off: "postponed", "skipped", "moved to the next meeting".
_PUT_OFF = (
    r"(?:postponed?|deferred|not discussed|skipped|carried over|to be continued"
    r"|(?:moved|pushed|shifted) to (?:the |a )?(?:next|later|another|following|\d[\d./-]*))"
)
_NEXT_TIME = rf"{NEXT_MEETING}(?!\s*:)"  # "Next week: holiday" is news
_NOT_AGAIN = r"(?!\s+(?:from|since)\b)"  # "(postponed from last week)": back now
# A heading marked as put off: "(postponed)", "- skipped", ": not discussed", "-> next meeting".
PUT_OFF_MARK = re.compile(
    rf"(?:[(\[,:]|\s[-–—]|->|→|=>)\s*{_PUT_OFF}\b{_NOT_AGAIN}|(?:->|→|=>)\s*{_NEXT_TIME}",
    re.I,
)
# A note that says no more than that: "not discussed yet", "skipped, @x not present", "=> next
# time"; one that goes on after "next week" is news ("Next week PTG").
_NEXT_TIME_ALONE = rf"{_NEXT_TIME}(?=[\W_]*$|\s+(?:again|instead|then|after)\b)"
PUT_OFF_NOTE = re.compile(rf"^\W*({_PUT_OFF}|{_NEXT_TIME_ALONE}){_NOT_AGAIN}\b(.*)$", re.I)
PUT_OFF_NOTE_WORDS = 12
# A heading over a list of topics put off ("Postponed items"): each entry is a topic.
PUT_OFF_GROUP = re.compile(r"^\W*(?:postponed|deferred|not discussed|skipped|carried over)\b", re.I)
# What a title says after the topic when it was put off: "Topic -> moved to the next meeting".
PUT_OFF_TAIL = re.compile(
    # Starts where a run of spaces starts, and one \s* per gap: linear on any title.
    r"(?<!\s)\s*(?:(?:->|→|=>|[-–—:(\[])\s*)?"
    r"(?:postponed?|deferred|next week|next time|next meeting|not discussed|skipped"
    r"|to be continued|moved to|carried over)\b.*$",
    re.I,
)
# What a note holds besides words: links, refs, handles, timeboxes ("see PR #12", "10 min").
NOISE_WORD = re.compile(
    r"://|^\W*@|#\d|^\W*(?:see|issues?|prs?|pull|request|links?|min(?:ute)?s?|h|hours?)"
    r"\W*$|^[^a-z]*$",
    re.I,
)
NOTE_LABEL = re.compile(r"^\W*(?:sponsor|owner|presenter|lead|by|timebox|duration)\s*:", re.I)
CARRY_NOTE = re.compile(r"^\W*carried since\b", re.I)  # the default agenda template's note

# -- refs -----------------------------------------------------------------------
# Words people write before "#N" that are not repositories ("PR#232").
# The spec's list as written: "issues" is a repository (SovereignCloudStack/issues).
EVERYDAY_WORDS = frozenset(
    "issue pr pull mr hack hackathon sprint item ticket story step "
    "version release week meeting call".split()
)


# -- reading with them ------------------------------------------------------------
def handles(text: str) -> list[str]:
    """``@handles`` in text, lower-cased, once each, in order."""
    if "@" not in text:
        return []
    seen: dict[str, None] = {}
    for m in HANDLE.finditer(text):
        seen.setdefault(m.group(1).lower(), None)
    return list(seen)


def strip_lead(text: str) -> str:
    """A line without what stands before its text (list marks, quotes, arrows)."""
    # Most lines start with a letter: LEAD can only match nothing there (its
    # arrows start with characters of its class), so the regex is skipped.
    if not text or (text[0] not in _LEAD_CHARS and not text[0].isspace()):
        return text
    return LEAD.sub("", text, count=1)


def clean_title(text: str) -> str:
    """A heading's text without HTML tags, emoji codes and runs of spaces."""
    text = TAG.sub("", text)
    text = EMOJI.sub("", text)
    return " ".join(text.split())
