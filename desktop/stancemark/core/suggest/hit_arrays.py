"""The matcher's rules on the automaton's hits as whole arrays (NumPy), for long texts.

A 1 MB article gives the automaton ~26,000 hits; deciding the word edges, possessives,
acronyms and overlaps hit by hit in Python cost three times the pass itself. Here the
hits come out of the automaton as one integer array (end, entry index, end, ...: the
automaton stores ints, flattened in C), the rules are array comparisons over the text's
code points, and only what arrays cannot say cheaply goes through Python: the exact
spelling of an acronym whose first character fits, and the rare runs of overlapping
names. The rules are those of core/suggest/matcher.py's plain loop, which short texts
still take (NumPy's fixed cost per call is more than a news article's whole scan);
tests check that both give the same suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from stancemark.core.suggest.matcher import _word_char

_UNKNOWN, _NO, _YES = 0, 1, 2
# Per code point: whether it is a word character (matcher._word_char), filled as code
# points are met. A property of Unicode, not of any text: it never goes stale.
_WORD_TABLE = np.zeros(0x110000, dtype=np.uint8)
_SPACE = 0x20
_APOSTROPHES = (0x27, 0x2019)
_S = (0x73, 0x53)
_PAD_LEFT = 2  # sentinels (spaces) around the text: s - 2 and e + 2 stay inside


def _words(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is a word character."""
    found = _WORD_TABLE[codes]
    unknown = found == _UNKNOWN
    if unknown.any():
        for c in np.unique(codes[unknown]).tolist():
            _WORD_TABLE[c] = _YES if _word_char(chr(c)) else _NO
        found = _WORD_TABLE[codes]
    return found == _YES


class EntryArrays:
    """The automaton's entries as columns, indexed by the int each key stores."""

    def __init__(self, entries: Sequence[Any], owners: list[tuple[str, str, str]]):
        # entries: matcher._Entry per index; owners: (uid, name, note) per owner id
        n = len(entries)
        self.length = np.fromiter((e.length for e in entries), dtype=np.int64, count=n)
        self.trigger = np.fromiter((e.trigger for e in entries), dtype=bool, count=n)
        self.left = np.fromiter((e.left for e in entries), dtype=bool, count=n)
        self.right = np.fromiter((e.right for e in entries), dtype=bool, count=n)
        self.folded = np.fromiter((-1 if e.folded is None else e.folded_id for e in entries),
                                  dtype=np.int64, count=n)
        # The one first character every acronym spelling of an entry starts with (most
        # have one spelling); -2 without acronyms, -1 when it takes the exact test always.
        self.acronym_first = np.fromiter((_first_of(e.acronyms) for e in entries),
                                         dtype=np.int64, count=n)
        self.entries = entries
        self.owners = owners


def _first_of(acronyms: tuple[tuple[str, str, str, str], ...]) -> int:
    if not acronyms:
        return -2
    firsts = {a[0][:1] for a in acronyms}
    if len(firsts) != 1:
        return -1
    (first,) = firsts
    return -1 if not first or first == "'" else ord(first)


_NONE = np.zeros(0, dtype=np.int64)


def scan_arrays(automaton: Any, folded: str, text: str, cols: EntryArrays
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """(starts, ends, owner ids) of the actor hits the rules keep, sorted and disjoint,
    and the start offsets of the date trigger words (in order of their ends)."""
    flat = np.fromiter(chain.from_iterable(automaton.iter(folded)), dtype=np.int64)
    if not flat.size:
        return _NONE, _NONE, _NONE, []
    idx = flat[1::2]
    e = flat[0::2] + 1
    s = e - cols.length[idx]
    triggers = s[cols.trigger[idx]].tolist()
    folded_owner = cols.folded[idx]
    first = cols.acronym_first[idx]
    named = (folded_owner >= 0) | (first != -2)
    idx, s, e, folded_owner, first = idx[named], s[named], e[named], folded_owner[named], first[named]

    n = len(text)
    cps = np.frombuffer(("  " + text + "   ").encode("utf-32-le", "surrogatepass"),
                        dtype=np.uint32)
    def at(pos: np.ndarray) -> np.ndarray:
        return cps[pos + _PAD_LEFT]

    prev = at(s - 1)
    left_joined = (prev != _SPACE) & (
        _words(prev)
        | (np.isin(prev, _APOSTROPHES) & (s >= 2) & _words(at(s - 2))))
    nxt, nxt1 = at(e), at(e + 1)
    possessive = np.isin(nxt1, _S) & ((e + 2 >= n) | ~_words(at(e + 2)))
    right_joined = (nxt != _SPACE) & (
        _words(nxt)
        | (np.isin(nxt, _APOSTROPHES) & (e + 1 < n) & _words(nxt1) & ~possessive))
    ok = ~((cols.left[idx] & (s > 0) & left_joined) | (cols.right[idx] & (e < n) & right_joined))
    idx, s, e, owner, first = idx[ok], s[ok], e[ok], folded_owner[ok], first[ok]

    # Acronyms: spelled in capitals or not at all; the first character sorts out most.
    check = np.flatnonzero((first == -1) | ((first >= 0) & (at(s) == first)))
    if check.size:
        entries = cols.entries
        owner = owner.copy()
        for j, i, a, b in zip(check.tolist(), idx[check].tolist(), s[check].tolist(),
                              e[check].tolist(), strict=True):
            spelled = text[a:b].replace("’", "'")
            for spelling, owner_id in entries[i].acronym_ids:
                if spelling == spelled:
                    owner[j] = owner_id
                    break
    kept = owner >= 0
    s, e, owner = s[kept], e[kept], owner[kept]
    if not s.size:
        return _NONE, _NONE, _NONE, triggers

    order = np.argsort(s, kind="stable")  # the automaton reports by end
    s, e, owner = s[order], e[order], owner[order]
    reach = np.maximum.accumulate(e)
    alone = np.ones(s.size, dtype=bool)
    joins = np.flatnonzero(s[1:] < reach[:-1]) + 1  # overlaps an earlier hit
    if joins.size:
        alone[joins] = alone[joins - 1] = False
        alone = _resolve_runs(s, e, alone)
    return s[alone], e[alone], owner[alone], triggers


def _resolve_runs(s: np.ndarray, e: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """Keep-mask over hits sorted by start: the hits of each run of overlapping ones that
    win (the longest, then the first), as matcher._resolve decides them."""
    keep = alone.copy()
    starts, ends = s.tolist(), e.tolist()
    n = len(starts)
    loose = np.flatnonzero(~alone).tolist()
    k = 0
    while k < len(loose):
        i = loose[k]
        reach = ends[i]
        j = i + 1
        while j < n and starts[j] < reach:
            reach = max(reach, ends[j])
            j += 1
        kept: list[int] = []
        for h in sorted(range(i, j), key=lambda h: (starts[h] - ends[h], starts[h])):
            if all(ends[h] <= starts[o] or ends[o] <= starts[h] for o in kept):
                kept.append(h)
        for h in kept:
            keep[h] = True
        while k < len(loose) and loose[k] < j:
            k += 1
    return keep
