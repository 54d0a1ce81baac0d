"""Overlapping annotation spans resolved into disjoint layered segments, per text block.

A view draws each segment with every layer that covers it (a background for one
kind, an underline for another), so overlapping annotations all stay visible.
The index is per block (line of text), built lazily: a view asks only for the
blocks it paints, and an edit invalidates only the blocks its span touches.
Offsets in are code points; segments out are UTF-16 positions within their
block, ready for Qt, converted here through core.text.OffsetMap.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from stancemark.core.text import OffsetMap

# A layer: what a view draws a span with (the window uses (kind, colour) pairs).
L = TypeVar("L", bound=Hashable)

# (start, end, layers): a code-point range and the layer keys covering all of it.
Segment = tuple[int, int, tuple[L, ...]]


def layer_segments(spans: Iterable[tuple[int, int, L]]) -> list[Segment[L]]:
    """Split overlapping (start, end, layer) spans into disjoint segments.

    Each segment carries the layers of every span covering it, in the order the
    spans were given (so a caller decides which layer draws on top). Ranges
    covered by nothing are left out; empty spans are ignored.
    """
    events: list[tuple[int, int, int]] = []  # (position, +1 open / -1 close, span order)
    items: list[L] = []
    for start, end, layer in spans:
        if end <= start:
            continue
        items.append(layer)
        k = len(items) - 1
        events.append((start, 1, k))
        events.append((end, -1, k))
    if not events:
        return []
    events.sort(key=lambda e: (e[0], e[1]))
    out: list[Segment[L]] = []
    active: dict[int, None] = {}
    prev = events[0][0]
    i = 0
    n = len(events)
    while i < n:
        pos = events[i][0]
        if active and pos > prev:
            out.append((prev, pos, tuple(items[k] for k in sorted(active))))
        while i < n and events[i][0] == pos:
            _, step, k = events[i]
            if step > 0:
                active[k] = None
            else:
                active.pop(k, None)
            i += 1
        prev = pos
    return out


class BlockIndex(Generic[L]):
    """Spans of one text, indexed by block (newline-separated line) for a highlighter.

    `set_span(key, start, end, layer)` / `remove(key)` return the block numbers
    that must be redrawn; `segments(block)` gives that block's disjoint segments
    as (utf16_start_in_block, utf16_length, layers), computed on first request.
    """

    def __init__(self, text: str):
        self.text = text
        self.offsets = OffsetMap(text)
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._block_starts = starts
        self._spans: dict[Hashable, tuple[int, int, L]] = {}
        self._by_block: dict[int, dict[Hashable, None]] = {}
        self._cache: dict[int, list[Segment[L]]] = {}

    @property
    def block_count(self) -> int:
        return len(self._block_starts)

    def block_of(self, pos: int) -> int:
        """Block number holding code point `pos`."""
        return bisect.bisect_right(self._block_starts, pos) - 1

    def blocks_of(self, start: int, end: int) -> range:
        first = self.block_of(start)
        last = self.block_of(max(start, end - 1))
        return range(first, last + 1)

    def set_span(self, key: Hashable, start: int, end: int, layer: L) -> set[int]:
        touched = self.remove(key)
        self._spans[key] = (start, end, layer)
        for b in self.blocks_of(start, end):
            self._by_block.setdefault(b, {})[key] = None
            self._cache.pop(b, None)
            touched.add(b)
        return touched

    def set_spans(self, spans: Iterable[tuple[Hashable, int, int, L]]) -> None:
        """Bulk load (replaces nothing already there with the same key)."""
        starts = self._block_starts
        by_block = self._by_block
        all_spans = self._spans
        find = bisect.bisect_right
        for key, start, end, layer in spans:  # hot loop: 20,000 spans on a big article
            all_spans[key] = (start, end, layer)
            first = find(starts, start) - 1
            last = find(starts, end - 1) - 1 if end > start + 1 else first
            if first == last:
                d = by_block.get(first)
                if d is None:
                    d = by_block[first] = {}
                d[key] = None
                continue
            for b in range(first, last + 1):
                by_block.setdefault(b, {})[key] = None
        self._cache.clear()

    def replace_spans(self, spans: Iterable[tuple[Hashable, int, int, L]]) -> None:
        """Drop every span and load these (the rest of a long article, read later)."""
        self._spans.clear()
        self._by_block.clear()
        self._cache.clear()
        self.set_spans(spans)

    def blocks_with_spans(self) -> set[int]:
        return {b for b, keys in self._by_block.items() if keys}

    def remove(self, key: Hashable) -> set[int]:
        old = self._spans.pop(key, None)
        if old is None:
            return set()
        touched = set(self.blocks_of(old[0], old[1]))
        for b in touched:
            self._by_block.get(b, {}).pop(key, None)
            self._cache.pop(b, None)
        return touched

    def keys_at(self, pos: int) -> list[Hashable]:
        """Keys of the spans covering code point `pos`, innermost (shortest) first."""
        b = self.block_of(pos)
        hits = [(self._spans[k][1] - self._spans[k][0], k) for k in self._by_block.get(b, ())
                if self._spans[k][0] <= pos < self._spans[k][1]]
        return [k for _, k in sorted(hits, key=lambda h: h[0])]

    def span(self, key: Hashable) -> tuple[int, int, L] | None:
        return self._spans.get(key)

    def segments(self, block: int) -> list[Segment[L]]:
        cached = self._cache.get(block)
        if cached is not None:
            return cached
        keys = self._by_block.get(block)
        if not keys:
            return []
        b0 = self._block_starts[block]
        b1 = self._block_starts[block + 1] - 1 if block + 1 < len(self._block_starts) else len(self.text)
        spans = sorted((self._spans[k] for k in keys), key=lambda s: (s[0], -s[1]))
        clipped = ((max(s, b0), min(e, b1), layer) for s, e, layer in spans)
        to16 = self.offsets.to_utf16
        base = to16(b0)
        out: list[Segment[L]] = []
        for s, e, layers in layer_segments(clipped):
            u = to16(s)
            out.append((u - base, to16(e) - u, layers))
        self._cache[block] = out
        return out
