"""Whether an action item's text is a task at all, and if not, why.

Minutes mark lines ``AI`` that no one can do: a question (``AI: Who?``), a
label over the list below it (``AI: from couple weeks ago:``), a bare link
or list of names, a noun phrase with no verb (``AI: Some janitorial work
ahead``, ``AI: Doc completion``: a short noun phrase). They stay in the record, as the contract
reads markers, but they are no debt: :mod:`minutesbot.records.tracking`
leaves them out of the action states (so neither ``actions --open`` nor
``new`` lists them), and ``lint`` says why with this same rule.
"""

from __future__ import annotations

import re

from minutesbot.records.vocabulary import (
    EMOJI,
    HANDLE,
    NOTHING_TO_REVIEW,
    NOUN_ENDINGS,
    NOUN_PHRASE_START,
    TASK_HINTS,
    TASK_SHORT_WORDS,
    TASK_VERB_PLACES,
    TASK_VERBS,
)

_LINK = re.compile(r"<?https?://\S+>?|\[[^\]]*\]\([^)]*\)")
_REF = re.compile(r"#\d")  # a word holding one is a ref (repo#12, owner/repo#3, #5)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ENDINGS = ("ing", "ed", "es", "s", "d")


def why_not_an_action(text: str) -> str | None:
    """The reason ``text`` (an action's text, without marker and owners) is no task, or None."""
    plain = EMOJI.sub(" ", text).strip(" *_~")
    if plain.endswith("?"):
        return "a question, not a task"
    if NOTHING_TO_REVIEW.match(plain):
        return "says there is nothing to do ('no AIs from last week')"
    if plain.endswith(":") and not says_what_to_do(plain):  # "Survey CSPs:" is a task
        return "a label ending in ':', not a task (the entries below it may be)"
    prose = HANDLE.sub(" ", _LINK.sub(" ", plain)).split()
    words = [w.lower() for w in _WORD.findall(" ".join(w for w in prose if not _REF.search(w)))]
    if not words:
        return "no text after the marker but links, refs or names"
    if len(words) <= TASK_SHORT_WORDS and not _has_verb(words) and _noun_phrase(words):
        return "no verb: say what is to be done ('AI @handle: write the docs')"
    return None


def says_what_to_do(text: str) -> bool:
    """Whether a short text has a verb of a task (``Survey CSPs``), unlike a label
    (``for this week``, ``Table with active releases``)."""
    return _has_verb([w.lower() for w in _WORD.findall(text)])


def _noun_phrase(words: list[str]) -> bool:
    """``Some janitorial work``, ``Doc completion``; a word before an article is a verb
    the list lacks (``scribble a first version``)."""
    if words[0] in NOUN_PHRASE_START:
        return True
    if len(words) > 1 and words[1] in _ARTICLES:
        return False
    return words[-1].endswith(NOUN_ENDINGS)


_ARTICLES = frozenset({"a", "an", "the"})


def _has_verb(words: list[str]) -> bool:
    """A hint word anywhere, or a verb among the first words: short tasks are imperatives
    ("review", "set up") or name their doer first ("Team start revising docs"); a verb
    further in is a noun ("Some janitorial work ahead")."""
    return any(w in TASK_HINTS for w in words) or any(_is_verb(w) for w in words[:TASK_VERB_PLACES])


def _is_verb(word: str) -> bool:
    if word in TASK_VERBS:
        return True
    return any(
        word.endswith(end) and word[: -len(end)] in TASK_VERBS | {v[:-1] for v in TASK_VERBS}
        for end in _ENDINGS
    )
