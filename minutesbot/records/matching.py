"""When two action entries of a team are the same action, written twice.

A later meeting rarely copies an action word for word. A review shortens
it ("move this forward" / "move issues/#332 forward"), adds what the item's
heading said ("will create draft" under "SCS-0007 Integrator exceptions" /
"creates draft for SCS-0007 Incubator status"), or marks it done. Two
entries are the same action when their owners overlap (or both name nobody)
and their texts match:

- after normalisation (emphasis, links, case, punctuation and status words
  removed): equal, or one's words all contained in the other's (from three
  words on: "fix it" is too generic), or a word-level ``difflib`` ratio of at
  least 0.8;
- or in context: every content word of the earlier text (word stems, no
  stop words) is in the later one, and at least half of the words the later
  text adds (two or more) come from the title of the item the earlier one was
  written under: "move this forward" under "Template for Standard User Story"
  is not "move PR standards/#356 forward".

A review re-words more freely ("survey CSPs" comes back as "survey CSPs
regarding the addition of Flatcar", "adjust PR#938 accordingly" as "add
missing flavors ... to PR#938"). As a review lists what the team owed, an
entry that matches none of the owner's earlier actions is paired with one of
those it leaves out (:func:`pair_rewordings`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from minutesbot.records.record import Action
from minutesbot.records.vocabulary import STATUS_WORDS

SIMILARITY = 0.8
# Fewer words than this are too generic ("fix it") for containment to mean identity.
MIN_CONTAINED_WORDS = 3
# In context: this share of the words a later text adds must come from the item's title.
CONTEXT_SHARE = 0.5
STEM = 6  # letters that stand for a word ("creates", "create"; "communication", "-ating")
_STOP = frozenset(
    "a an the to of for and or in on at by with from via will shall should would please this "
    "that these those it its be is are was were as about regarding re into up out also then "
    "our we they all".split()
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<?https?://\S+>?")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def normalise_text(text: str) -> str:
    """The words of an action's text, for comparison: no markup, case or status words."""
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text).lower()
    words = [w for w in _NON_WORD.split(text) if w and w not in STATUS_WORDS]
    return " ".join(words)


def texts_match(a: str, b: str) -> bool:
    """Whether two normalised action texts describe the same action."""
    return _words_match(Words(a), Words(b))


class Words:
    """A normalised text's words, as a list and a set: made once for the many comparisons
    a text takes part in (an open action is compared with each later one of its owners)."""

    __slots__ = ("list", "repeats", "set")

    def __init__(self, norm: str) -> None:
        self.list = norm.split()
        self.set = frozenset(self.list)
        self.repeats = len(self.set) != len(self.list)


def _words_match(a: Words, b: Words) -> bool:
    """:func:`texts_match` of the two texts' words."""
    if a.list == b.list:
        return bool(a.list)
    shorter, longer = (a.set, b.set) if len(a.set) <= len(b.set) else (b.set, a.set)
    if len(shorter) >= MIN_CONTAINED_WORDS and shorter <= longer:
        return True
    # Compared word by word: one changed word in four ("write" / "review the
    # upgrade docs") is another action, a character ratio would call it alike.
    # The words both share bound the ratio from above; most pairs fail that
    # cheap test, and building a SequenceMatcher costs more than the rest.
    both = a.set & b.set
    if a.repeats or b.repeats:
        shared = sum(min(a.list.count(w), b.list.count(w)) for w in both)
    else:
        shared = len(both)
    if 2 * shared < SIMILARITY * (len(a.list) + len(b.list)):
        return False
    return SequenceMatcher(None, a.list, b.list, autojunk=False).ratio() >= SIMILARITY


def owners_overlap(a: Wording, b: Wording) -> bool:
    """The same people, or at least one in common (both naming nobody counts as the same)."""
    return a.owners == b.owners or bool(a.owners & b.owners)


def stems(text: str) -> frozenset[str]:
    """The content words of a text, cut to their stems: no stop words, years or day numbers."""
    return _stems(normalise_text(text).split())


def _stems(words: list[str]) -> frozenset[str]:
    return frozenset(
        w[:STEM]
        for w in words
        if w not in _STOP and not (w.isdigit() and (len(w) <= 2 or _YEAR.match(w)))
    )


@dataclass
class Wording:
    """An action entry's text and owners, prepared once for the comparisons it takes part
    in (an action is compared with every open action of its owners)."""

    action: Action
    norm: str = field(init=False)
    tokens: Words = field(init=False)  # the words of ``norm``
    words: frozenset[str] = field(init=False)
    context: frozenset[str] = field(init=False)
    # The owners in lower case; as keys, sorted, and [""] for nobody.
    owners: frozenset[str] = field(init=False)
    owner_keys: list[str] = field(init=False)
    folded: list[str] = field(init=False)  # the text's words, case folded

    def __post_init__(self) -> None:
        self.norm = normalise_text(self.action.text)
        self.tokens = Words(self.norm)
        self.words = _stems(self.tokens.list)
        self.context = self.words | stems(self.action.item or "")
        self.owners = frozenset(o.lower() for o in self.action.owners)
        self.owner_keys = sorted(self.owners) or [""]
        self.folded = self.action.text.casefold().split()


def same_action(earlier: Wording, later: Wording) -> bool:
    """Whether ``later`` writes the action ``earlier`` wrote (see the module docstring)."""
    if not owners_overlap(earlier, later):
        return False
    if earlier.tokens.set.isdisjoint(later.tokens.set) and earlier.words.isdisjoint(later.words):
        return False  # no word and no stem in common: neither test below can hold
    if _words_match(earlier.tokens, later.tokens):
        return True
    if not earlier.words or not earlier.words <= later.words:
        return False
    # What the later text adds must come from the item: at least half of it, two words or more.
    added = later.words - earlier.words
    from_item = added & earlier.context
    return len(from_item) >= CONTEXT_SHARE * len(added) and len(from_item) >= min(2, len(added))


def pair_rewordings(
    entries: Sequence[Wording], earlier: Sequence[Wording]
) -> list[tuple[int, int]]:
    """Review entries that match no earlier action, each paired with one earlier action
    that no entry of the review matched: ``(entry index, earlier index)`` pairs.

    Both sides are what matching left over: the entries of one review that
    ``same_action`` found no earlier action for, and the open actions it found no
    entry for, oldest first. A pair shares owners (an entry naming nobody is not
    paired: too little to go by) and at least one content word; the pairs naming
    the same owners, then those sharing the most words, are taken first, each side
    once; on a tie, the later action (a review looks back at the last meetings).
    """
    scored = [
        (entry.owners != action.owners, -shared, -j, i, j)
        for i, entry in enumerate(entries)
        if entry.action.owners
        for j, action in enumerate(earlier)
        if action.action.owners
        and owners_overlap(entry, action)
        and (shared := len(entry.words & action.context))
    ]
    pairs: list[tuple[int, int]] = []
    used_entries: set[int] = set()
    used_earlier: set[int] = set()
    for *_score, i, j in sorted(scored):
        if i not in used_entries and j not in used_earlier:
            pairs.append((i, j))
            used_entries.add(i)
            used_earlier.add(j)
    return pairs
