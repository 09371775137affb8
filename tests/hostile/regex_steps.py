"""How much work a regular expression does on an input, counted, not timed.

Python's ``re`` is a backtracking matcher and offers no step counter. This
module replays a pattern's parse tree (``re._parser``) with the same
backtracking order as ``re`` (greedy and lazy repeats, alternatives left to
right, lookarounds, atomic groups) and counts every node it tries. Single
characters and zero-width tests (``\\b``, ``^``) are delegated to ``re``
itself, compiled node by node, so classes, categories and flags mean exactly
what they mean to ``re``. ``re`` prunes some tries (a literal after a repeat,
a minimum width), never adds any: a pattern linear here is linear in ``re``,
and growth seen here is what an attacker can aim for there.

:func:`attack_inputs` builds the inputs a pattern is weakest against: for
each repeat in the pattern, a string that matches the pattern up to it, the
repeat's body pumped ``n`` times, and an ending that makes the match fail,
so that every way of splitting the pumped part is tried.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

# A string without these characters fails most patterns at their end.
ENDINGS = ("", "\x01", "!", " x")
# Characters tried, in order, for a character class in a witness.
_CANDIDATES = "a@ -:(),./#_x0A\t\n!?&[]*>"


class TooMuchWork(Exception):
    """The step cap was reached: the pattern took far more than linear work."""


_LEAVES = {C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}


_NODE_REGEXES: dict[tuple[str, int], re.Pattern[str]] = {}


def _node_regex(node: tuple, flags: int) -> re.Pattern[str]:
    """``re`` compiled for one leaf or anchor node, under the flags in force."""
    key = (repr(node), flags)
    if key not in _NODE_REGEXES:
        state = sre_parse.State()
        state.flags = flags
        _NODE_REGEXES[key] = sre_compile.compile(sre_parse.SubPattern(state, [node]), flags)
    return _NODE_REGEXES[key]


class Matcher:
    """A pattern replayed on one text, counting the nodes tried."""

    def __init__(self, pattern: re.Pattern[str], cap: int) -> None:
        self.tree = sre_parse.parse(pattern.pattern, pattern.flags)
        self.flags = pattern.flags | self.tree.state.flags
        self.cap = cap
        self.steps = 0
        self.text = ""
        self.groups: dict[int, tuple[int, int]] = {}

    def count_finditer(self, text: str) -> int:
        """Steps ``finditer`` (``sub``, ``findall``) takes on ``text``; search's are fewer."""
        self.text, self.steps = text, 0
        pos = 0
        while pos <= len(text):
            self.groups = {}
            end = self._first_end(list(self.tree.data), pos, self.flags)
            pos = pos + 1 if end is None else max(end, pos + 1)
        return self.steps

    def search(self, text: str) -> tuple[int, int] | None:
        """The span ``re.search`` finds, found by the replay."""
        self.text, self.steps = text, 0
        for start in range(len(text) + 1):
            self.groups = {}
            end = self._first_end(list(self.tree.data), start, self.flags)
            if end is not None:
                return start, end
        return None

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.cap:
            raise TooMuchWork

    def _seq(self, seq: list, i: int, pos: int, flags: int, k: Callable[[int], bool]) -> bool:
        if i == len(seq):
            return k(pos)
        self._tick()
        op, av = node = seq[i]
        text = self.text
        if op in _LEAVES:
            if pos < len(text) and _node_regex(node, flags).match(text, pos):
                return self._seq(seq, i + 1, pos + 1, flags, k)
            return False
        if op is C.AT:
            if _node_regex(node, flags).match(text, pos):
                return self._seq(seq, i + 1, pos, flags, k)
            return False

        def rest(p: int) -> bool:
            return self._seq(seq, i + 1, p, flags, k)

        if op is C.BRANCH:
            return any(self._seq(list(alt.data), 0, pos, flags, rest) for alt in av[1])
        if op is C.SUBPATTERN:
            group, add, remove, sub = av
            if group is None:
                return self._seq(list(sub.data), 0, pos, (flags | add) & ~remove, rest)
            return self._seq(
                list(sub.data), 0, pos, (flags | add) & ~remove, self._capture(group, pos, rest)
            )
        if op is C.GROUPREF:
            if av not in self.groups:
                return False
            start, end = self.groups[av]
            captured = text[start:end]
            if flags & re.IGNORECASE:
                same = text[pos : pos + len(captured)].lower() == captured.lower()
            else:
                same = text.startswith(captured, pos)
            return same and rest(pos + len(captured))
        if op is C.ATOMIC_GROUP:
            end = self._first_end(list(av.data), pos, flags)
            return end is not None and rest(end)
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, sub = av
            start = pos if direction == 1 else pos - sub.getwidth()[0]
            found = start >= 0 and self._seq(
                list(sub.data), 0, start, flags, lambda p: direction == 1 or p == pos
            )
            return self._seq(seq, i + 1, pos, flags, k) if found == (op is C.ASSERT) else False
        if op in _REPEATS:
            return self._repeat(op, av, pos, flags, rest)
        raise NotImplementedError(f"regex_steps cannot replay {op}")

    def _capture(
        self, group: int, start: int, rest: Callable[[int], bool]
    ) -> Callable[[int], bool]:
        """``rest`` with ``group`` set to what was matched from ``start``, undone on failure."""

        def captured(end: int) -> bool:
            before = self.groups.get(group)
            self.groups[group] = (start, end)
            if rest(end):
                return True
            if before is None:
                del self.groups[group]
            else:
                self.groups[group] = before
            return False

        return captured

    def _first_end(self, seq: list, pos: int, flags: int) -> int | None:
        box: list[int] = []
        self._seq(seq, 0, pos, flags, lambda p: box.append(p) or True)
        return box[0] if box else None

    def _repeat(
        self, op: object, av: tuple, pos: int, flags: int, rest: Callable[[int], bool]
    ) -> bool:
        low, high, body = av
        body_seq = list(body.data)
        if op is C.POSSESSIVE_REPEAT:
            count = 0
            while count < high:
                end = self._first_end(body_seq, pos, flags)
                if end is None or end == pos:
                    break
                pos, count = end, count + 1
            return count >= low and rest(pos)

        def again(count: int, at: int) -> bool:
            # A repeat that matched nothing stops repeating, as in re.
            def body_then(p: int) -> bool:
                return p != at and again(count + 1, p)

            if op is C.MIN_REPEAT:
                if count >= low and rest(at):
                    return True
                return count < high and self._seq(body_seq, 0, at, flags, body_then)
            if count < high and self._seq(body_seq, 0, at, flags, body_then):
                return True
            return count >= low and rest(at)

        return again(0, pos)


def steps(pattern: re.Pattern[str], text: str, cap: int = 100_000) -> int:
    """Nodes tried by ``finditer`` over ``text``; :class:`TooMuchWork` past ``cap``."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 40_000))
    try:
        return Matcher(pattern, cap).count_finditer(text)
    finally:
        sys.setrecursionlimit(limit)


# -- attack inputs --------------------------------------------------------------
def _leaf_char(node: tuple, flags: int) -> str:
    op, av = node
    if op is C.LITERAL:
        return chr(av)
    rx = _node_regex(node, flags)
    literals = [chr(v) for o, v in (av if op is C.IN else []) if o is C.LITERAL]
    return next((c for c in [*literals, *_CANDIDATES] if rx.match(c)), "")


# How a witness takes the repeats it does not pump: as few times as allowed, at least
# once, or at least once except for optional (``?``) parts. Different splits of the
# pumped part between neighbouring repeats are what blows a backtracking matcher up.
MODES = ("fewest", "once", "stars")


def _times(low: int, high: int, mode: str) -> int:
    if mode == "fewest" or (mode == "stars" and high == 1):
        return low
    return max(low, 1)


def _witness(seq: list, flags: int, target: object, pump: str, mode: str) -> str:
    """A short string matching ``seq``, with the repeat node ``target`` replaced by ``pump``."""
    out = []
    for node in seq:
        op, av = node
        if node is target:
            out.append(pump)
        elif op in _LEAVES:
            out.append(_leaf_char(node, flags))
        elif op is C.BRANCH:
            alts = [list(a.data) for a in av[1]]
            chosen = next((a for a in alts if _contains(a, target)), alts[0])
            out.append(_witness(chosen, flags, target, pump, mode))
        elif op is C.SUBPATTERN:
            out.append(_witness(list(av[3].data), (flags | av[1]) & ~av[2], target, pump, mode))
        elif op is C.ATOMIC_GROUP:
            out.append(_witness(list(av.data), flags, target, pump, mode))
        elif op in _REPEATS:
            low, high, body = av
            times = max(low, 1) if _contains(list(body.data), target) else _times(low, high, mode)
            out.append(_witness(list(body.data), flags, target, pump, mode) * times)
    return "".join(out)


def _contains(seq: list, target: object) -> bool:
    return any(node is target or _contains(list(_children(node)), target) for node in seq)


def _children(node: tuple) -> Iterator[tuple]:
    op, av = node
    if op is C.BRANCH:
        for alt in av[1]:
            yield from alt.data
    elif op is C.SUBPATTERN:
        yield from av[3].data
    elif op is C.ATOMIC_GROUP:
        yield from av.data
    elif op in (C.ASSERT, C.ASSERT_NOT):
        yield from av[1].data
    elif op in _REPEATS:
        yield from av[2].data


def _repeats(seq: list) -> Iterator[tuple]:
    for node in seq:
        if node[0] in _REPEATS:
            yield node
        yield from _repeats(list(_children(node)))


def attack_inputs(pattern: re.Pattern[str], n: int) -> list[str]:
    """Inputs that pump each repeat of ``pattern`` ``n`` times, with endings that fail the match."""
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    flags = pattern.flags | tree.state.flags
    seq = list(tree.data)
    found: dict[str, None] = {}
    for node in _repeats(seq):
        body = list(node[1][2].data)
        for mode in MODES:
            unit = _witness(body, flags, None, "", mode)
            if not unit:
                continue
            for ending in ENDINGS:
                found.setdefault(_witness(seq, flags, node, unit * n, mode) + ending, None)
                found.setdefault(unit * n + ending, None)
    return list(found)
