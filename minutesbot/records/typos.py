"""Headings that misspell a meta word by one letter (``Particpants``, ``Houskeeping``), read
as that word: the words are :data:`~minutesbot.records.vocabulary.TYPO_WORDS`, this module
is the one-edit comparison that finds them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from minutesbot.records.vocabulary import TYPO_WORDS


def mend_typos(text: str) -> str:
    """The text with each word one letter off a meta word of six letters or more
    (``Particpants``, ``Houskeeping``) written as that word."""

    def mend(m: re.Match[str]) -> str:
        word = m.group(0)
        known = _mended(word.lower())
        return word if known == word.lower() else known

    return _LONG_WORD.sub(mend, text)


_LONG_WORD = re.compile(r"[A-Za-z]{6,}")


@lru_cache(maxsize=4096)
def _mended(word: str) -> str:
    if word in TYPO_WORDS:
        return word
    for known in TYPO_WORDS:
        if abs(len(known) - len(word)) <= 1 and _one_edit(word, known):
            return known
    return word


def _one_edit(a: str, b: str) -> bool:
    """Whether one letter missing, extra or wrong, or two swapped, turn ``a`` into ``b``."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if i == len(a):
        return False
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
