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

from stancemark.core.suggest.date_patterns import LEAD_WORD_ENDS, NO_LEAD_END, ORDINALS
from stancemark.core.suggest.matcher import _word_char

# Per code point, bits of what the rules ask of a hit's neighbours: whether it is a word
# character (matcher._word_char; filled as code points are met, 0 = not known yet), an
# apostrophe (' or ’), an "s" or "S". A property of Unicode, not of any text: it never
# goes stale. One table, so each neighbour costs one lookup for every question.
_KNOWN, _WORD, _APOSTROPHE, _S = 1, 2, 4, 8
_CLASS = np.zeros(0x110000, dtype=np.uint8)
_SPACE = 0x20
# The neighbours looked up per hit, as offsets from its start (the first two) and from
# its end (the last three): s - 1, s - 2, e, e + 1, e + 2.
_NEAR_START, _NEAR_END = (-1, -2), (0, 1, 2)


def code_points(text: str) -> np.ndarray:
    """The text's code points, in the narrowest array that holds them: a text without
    characters beyond U+FFFF (nearly all) as UTF-16, half the bytes of UTF-32. Not
    only half the copying: the largest block a computation allocates and frees is
    the one the C library maps afresh (and faults in page by page) every time, and
    the automaton's own copy of the folded text is larger than this one."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) == 2 * len(text):  # no surrogate pairs: one unit per code point
        return np.frombuffer(units, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


# Per code point below U+2020: whether no lead of a date expression ends with it
# (date_patterns.NO_LEAD_END; the others are tested in date_finder).
_NO_LEAD_END = np.zeros(0x2020, dtype=bool)
_NO_LEAD_END[[ord(ch) for ch in NO_LEAD_END]] = True
# The words that end a lead (all ASCII; none longer than _WORD_TAIL), per length, as
# their characters' codes, 7 bits each from the last; the ordinal suffixes (two
# characters) so too; and which ASCII characters are whitespace or digits (str.isspace,
# str.isdigit), which letters (no ordinal suffix after one ends a lead).
_WORD_TAIL = 6


def _tail_key(word: str) -> int:
    return sum(ord(c) << (7 * i) for i, c in enumerate(reversed(word)))


_LEAD_END_KEYS = {n: np.array([_tail_key(w) for w in LEAD_WORD_ENDS if len(w) == n],
                              dtype=np.int64)
                  for n in {len(w) for w in LEAD_WORD_ENDS}}
_ORDINAL_KEYS = np.array([_tail_key(w) for w in ORDINALS], dtype=np.int64)
_SPACE_OR_DIGIT = np.array([chr(c).isspace() or chr(c).isdigit() for c in range(128)])
_ASCII_LETTER = np.array([chr(c).isascii() and chr(c).isalpha() for c in range(128)])


def _leadless(cps: np.ndarray, starts: np.ndarray) -> list[int]:
    """The trigger starts p before which find_spans needs no lead test: an ASCII
    trigger after one space after a character no lead ends with, or after a word whose
    last six characters are ASCII and end in no word of LEAD_WORD_ENDS nor a digit or
    whitespace, nor in an ordinal suffix after a non-letter (date_patterns.may_end_lead;
    find_spans' own inline tests, for all triggers at once)."""
    p = starts[starts >= 2]
    p = p[(cps[p] < 128) & (cps[p - 1] == _SPACE)]
    last = cps[p - 2].astype(np.int64)  # a uint8 array is not compared with 0x2020
    by_last = (last < _NO_LEAD_END.size) & _NO_LEAD_END[np.minimum(last, _NO_LEAD_END.size - 1)]
    q = p[~by_last & (p >= 2 + _WORD_TAIL)]
    tail = cps[q[:, None] + np.arange(-1 - _WORD_TAIL, -1)].astype(np.int64)  # last: -1
    maybe = ~(tail < 128).all(axis=1) | _SPACE_OR_DIGIT[np.minimum(tail[:, -1], 127)]
    lower = np.where((tail >= 0x41) & (tail <= 0x5A), tail + 0x20, tail)
    key = np.zeros(q.size, dtype=np.int64)  # the last `length` characters, 7 bits each
    for length in range(1, _WORD_TAIL + 1):
        key |= lower[:, -length] << (7 * (length - 1))
        ends = _LEAD_END_KEYS.get(length)
        if ends is not None:
            maybe |= (key[:, None] == ends).any(axis=1)
        if length == 2:  # a non-ASCII tail is `maybe` already: its clamped code aside
            maybe |= ((key[:, None] == _ORDINAL_KEYS).any(axis=1)
                      & ~_ASCII_LETTER[np.minimum(tail[:, -3], 127)])
    return sorted(p[by_last].tolist() + q[~maybe].tolist())


def _classes(codes: np.ndarray) -> np.ndarray:
    """The class bits of each code point."""
    found = _CLASS[codes]
    unknown = found == 0
    if unknown.any():
        for c in np.unique(codes[unknown]).tolist():
            ch = chr(c)
            _CLASS[c] = (_KNOWN | (_WORD if _word_char(ch) else 0)
                         | (_APOSTROPHE if ch in "'’" else 0) | (_S if ch in "sS" else 0))
        found = _CLASS[codes]
    return found


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
        # Entries with one acronym spelling: its code points (a row of `spelling`,
        # padded), to compare with the text as arrays; -1 for the others.
        single = [i for i, e in enumerate(entries) if len(e.acronym_ids) == 1]
        width = max((entries[i].length for i in single), default=0)
        self.spelling = np.zeros((len(single), width), dtype=np.uint32)
        self.spelling_len = np.zeros(len(single), dtype=np.int64)
        self.spelling_owner = np.zeros(len(single), dtype=np.int64)
        self.spelling_of = np.full(n, -1, dtype=np.int64)
        for row, i in enumerate(single):
            ((spelling, owner_id),) = entries[i].acronym_ids
            self.spelling[row, :len(spelling)] = [ord(c) for c in spelling]
            self.spelling_len[row] = len(spelling)
            self.spelling_owner[row] = owner_id
            self.spelling_of[i] = row
        self.entries = entries
        self.owners = owners
        # The owners' fields as columns: a suggestion's are then gathered per field in C
        # (owner_field[ids].tolist()), not looked up in Python per suggestion and field.
        self.uid, self.name, self.note = (np.array([o[f] for o in owners] or [""], dtype=object)
                                          for f in range(3))


def _first_of(acronyms: tuple[tuple[str, str, str, str], ...]) -> int:
    if not acronyms:
        return -2
    firsts = {a[0][:1] for a in acronyms}
    if len(firsts) != 1:
        return -1
    (first,) = firsts
    return -1 if not first or first == "'" else ord(first)


_NONE = np.zeros(0, dtype=np.int64)


def scan_arrays(automaton: Any, folded: str, text: str, cols: EntryArrays,
                plain: str | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int], list[int]]:
    """(starts, ends, owner ids) of the actor hits the rules keep, sorted and disjoint,
    the start offsets of the date trigger words (in order of their ends) and those of
    them before which no date expression can start (_leadless). `plain`: `text` with
    its ’ as ' and nothing else changed (matcher.fold_and_plain), whose code points
    (one byte each, half the array) the rules may read instead of `text`'s: they
    answer alike for ’ and ' (both apostrophes, neither a word character, a space, a
    digit nor a character a date's lead ends with; an acronym's spelling reads ’ as
    '), but that a word with ’ before a trigger is ASCII then, so the trigger can be
    told leadless here rather than by find_spans' own test."""
    flat = np.fromiter(chain.from_iterable(automaton.iter(folded)), dtype=np.int64)
    if not flat.size:
        return _NONE, _NONE, _NONE, [], []
    idx = flat[1::2]
    e = flat[0::2] + 1
    s = e - cols.length[idx]
    cps = code_points(text if plain is None else plain)
    trigger_starts = s[cols.trigger[idx]]
    triggers = trigger_starts.tolist()
    leadless = _leadless(cps, trigger_starts)
    folded_owner = cols.folded[idx]
    first = cols.acronym_first[idx]
    named = (folded_owner >= 0) | (first != -2)
    idx, s, e, folded_owner, first = idx[named], s[named], e[named], folded_owner[named], first[named]

    # The neighbours of every hit in one gather; a position before or after the text
    # counts as a space, no word character, apostrophe or s (the plain loop's bounds
    # checks: s > 0, e < n ...).
    k = s.size
    near = np.empty(6 * k, dtype=np.int64)
    near[:k] = s
    for j, d in enumerate(_NEAR_START, 1):
        np.add(s, d, out=near[j * k:(j + 1) * k])
    for j, d in enumerate(_NEAR_END, 3):
        np.add(e, d, out=near[j * k:(j + 1) * k])
    if k and s.min() >= 2 and e.max() <= len(text) - 3:  # every neighbour in the text
        codes = cps[near]
    else:
        # clipped by the gather itself (no clipped copy of the indices); only the two
        # neighbours before a start can fall before the text, the three after an end
        # after it
        codes = cps.take(near, mode="clip")
        codes[np.flatnonzero(near[k:3 * k] < 0) + k] = _SPACE
        codes[np.flatnonzero(near[3 * k:] >= len(text)) + 3 * k] = _SPACE
    classes = _classes(codes[k:]).reshape(5, k)
    word = (classes & _WORD) != 0
    apostrophe = (classes & _APOSTROPHE) != 0
    prev_word, prev2_word, nxt_word, nxt1_word, nxt2_word = word
    left_joined = prev_word | (apostrophe[0] & prev2_word)
    possessive = ((classes[3] & _S) != 0) & ~nxt2_word
    right_joined = nxt_word | (apostrophe[2] & nxt1_word & ~possessive)
    ok = ~((cols.left[idx] & left_joined) | (cols.right[idx] & right_joined))
    idx, s, e, owner, first = idx[ok], s[ok], e[ok], folded_owner[ok], first[ok]
    at_start = codes[:k][ok]

    # Acronyms: spelled in capitals or not at all; the first character sorts out most.
    check = np.flatnonzero((first == -1) | ((first >= 0) & (at_start == first)))
    if check.size:
        owner = owner.copy()
        # one spelling (nearly all): compared as arrays, ’ read as '
        row = cols.spelling_of[idx[check]]
        one = row >= 0
        if one.any():
            at, row = check[one], row[one]
            width = cols.spelling.shape[1]
            spelled = cps[np.minimum(s[at][:, None] + np.arange(width), len(text) - 1)]
            spelled = np.where(spelled == 0x2019, 0x27, spelled)
            same = ((spelled == cols.spelling[row])
                    | (np.arange(width) >= cols.spelling_len[row][:, None])).all(axis=1)
            owner[at[same]] = cols.spelling_owner[row[same]]
            check = check[~one]
        entries = cols.entries
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
        return _NONE, _NONE, _NONE, triggers, leadless

    order = np.argsort(s, kind="stable")  # the automaton reports by end
    s, e, owner = s[order], e[order], owner[order]
    reach = np.maximum.accumulate(e)
    alone = np.ones(s.size, dtype=bool)
    joins = np.flatnonzero(s[1:] < reach[:-1]) + 1  # overlaps an earlier hit
    if joins.size:
        alone[joins] = alone[joins - 1] = False
        alone = _resolve_runs(s, e, alone, joins)
    return s[alone], e[alone], owner[alone], triggers, leadless


def _resolve_runs(s: np.ndarray, e: np.ndarray, alone: np.ndarray, joins: np.ndarray
                  ) -> np.ndarray:
    """Keep-mask over hits sorted by start: the hits of each run of overlapping ones that
    win (the longest, then the first), as matcher._resolve decides them. A run is a hit
    that joins none before it and the hits that each join one before them (`joins`):
    only those are read into Python."""
    keep = alone.copy()
    joined = np.zeros(s.size, dtype=bool)
    joined[joins] = True
    loose = np.flatnonzero(~alone)
    firsts = np.flatnonzero(~joined[loose])  # positions in `loose` where a run starts
    bounds = [*firsts.tolist(), loose.size]
    for a, b in zip(bounds, bounds[1:], strict=False):
        run = loose[a:b]
        starts, ends = s[run].tolist(), e[run].tolist()
        kept: list[int] = []
        for h in sorted(range(len(run)), key=lambda h: (starts[h] - ends[h], starts[h])):
            if all(ends[h] <= starts[o] or ends[o] <= starts[h] for o in kept):
                kept.append(h)
        keep[run[kept]] = True
    return keep
