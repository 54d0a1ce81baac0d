"""What existing tags settle, and the final order, as whole arrays (NumPy): for a long
article with its 20,000 tags, the same answers as the bisection per suggestion and the
sort in core/suggest/__init__.py, which short texts still take; tests check that both
agree."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter

import numpy as np

from stancemark.core.builtin_kinds import ACTOR, DATE
from stancemark.core.suggest.model import Suggestion

_KIND, _START, _END = itemgetter(0), itemgetter(1), itemgetter(2)
_Arrays = tuple[np.ndarray, np.ndarray]
# The kinds suggestions are settled by, as small integers (any other kind: 0).
_KIND_CODES = {ACTOR: 1, DATE: 2}


class Covered:
    """The spans of existing tags per kind: sorted starts and the running maximum of
    their ends, so that whether a span overlaps any of them is one binary search."""

    def __init__(self, tags: Sequence[tuple[str, int, int, str | None]]):
        n = len(tags)
        self._tags = tags
        # Each tag's kind as a code, read in one pass: a kind's tags are then found by
        # comparing bytes, not the 20,000 strings once per kind (each its own object
        # from the store, read from memory the article's pass has long left).
        self.codes = np.fromiter(map(_KIND_CODES.get, map(_KIND, tags), repeat(0)),
                                 dtype=np.int8, count=n)
        self.starts = np.fromiter(map(_START, tags), dtype=np.int64, count=n)
        self.ends = np.fromiter(map(_END, tags), dtype=np.int64, count=n)
        self._by_kind: dict[str, _Arrays] = {}

    def _of(self, kind: str) -> _Arrays:
        found = self._by_kind.get(kind)
        if found is None:
            code = _KIND_CODES.get(kind)
            if code is None:
                mine = np.fromiter(map(_KIND, self._tags), dtype=object,
                                   count=len(self._tags)) == kind
            else:
                mine = self.codes == code
            starts, ends = self.starts[mine], self.ends[mine]
            order = np.argsort(starts, kind="stable")
            found = self._by_kind[kind] = (starts[order], np.maximum.accumulate(ends[order]))
        return found

    def mask(self, kind: str, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Per span [s, e): whether a tag of `kind` overlaps it."""
        starts, reach = self._of(kind)
        if not starts.size:
            return np.zeros(s.size, dtype=bool)
        i = np.searchsorted(starts, e, side="left")  # the tags starting before it ends ...
        return (i > 0) & (reach[np.maximum(i - 1, 0)] > s)  # ... one ending after it starts

    def drop(self, kind: str, found: list[Suggestion]) -> list[Suggestion]:
        """`found` less those a tag of `kind` overlaps."""
        if not found:
            return found
        n = len(found)
        s = np.fromiter(map(_START, found), dtype=np.int64, count=n)
        e = np.fromiter(map(_END, found), dtype=np.int64, count=n)
        return list(compress(found, (~self.mask(kind, s, e)).tolist()))


def span_keys(s: np.ndarray, e: np.ndarray, rank: int) -> np.ndarray:
    """(start, end, kind) as one sortable integer: start and end below 2**31; rank 0
    for actors, 1 for dates (the order of their kinds' names)."""
    return (s << 32) | (e << 1) | rank


def _keys(found: list[Suggestion], rank: int) -> np.ndarray:
    n = len(found)
    s = np.fromiter(map(_START, found), dtype=np.int64, count=n)
    e = np.fromiter(map(_END, found), dtype=np.int64, count=n)
    return span_keys(s, e, rank)


def merge(actors: list[Suggestion], dates: list[Suggestion],
          actor_keys: np.ndarray | None = None) -> list[Suggestion]:
    """Actors and dates (each sorted by start, never overlapping its own kind) as one
    list in (start, end, kind) order: the dates inserted where they belong, in runs of
    actors copied whole, not a sort of all with a key per item. `actor_keys`: the
    actors' span_keys, when the scan made them."""
    if actor_keys is None:
        actor_keys = _keys(actors, 0)
    at = np.searchsorted(actor_keys, _keys(dates, 1)).tolist()
    out: list[Suggestion] = []
    prev = 0
    for date, i in zip(dates, at, strict=True):
        if i > prev:
            out += actors[prev:i]
            prev = i
        out.append(date)
    out += actors[prev:]
    return out
