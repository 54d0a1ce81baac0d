"""Krippendorff's unitizing alpha (u-alpha) for spans, with partial credit for overlap.

Krippendorff, "On the reliability of unitizing contiguous data", Sociological
Methodology 25 (1995), and Content Analysis (2nd ed., 2004); the same formulas as
DKPro Agreement's KrippendorffAlphaUnitizingAgreement, which INCEpTION reports.

Each annotator cuts the continuum (the article text, L code points) into segments:
units of category c and the gaps between them. For two annotators' segments g, h
that intersect, the squared distance is
    both units:            (start_g - start_h)^2 + (end_g - end_h)^2
    unit g inside gap h:   length_g^2          (and symmetrically)
    otherwise:             0
    D_o(c) = 2 * sum over annotator pairs and intersecting segments / (R (R-1) L^2)
    D_e(c) = (2/L) * sum over units g of c of
               [ (N_c - 1)(2 l^3 - 3 l^2 + l) / 3  +  l^2 * sum over gaps h with l_h >= l
                 of (l_h - l + 1) ]
             / [ R L (R L - 1) - sum over units g of l_g (l_g - 1) ]
    alpha(c) = 1 - D_o(c) / D_e(c);   over all categories: 1 - sum D_o / sum D_e.
R annotators, N_c units of category c from all annotators, l the length of unit g.

A corpus figure pools its articles: L is the sum of their lengths, and the observed
terms, units and gaps of every article are summed; but each article is a continuum of
its own, so a gap ends at its article's end and never runs across an article boundary.
That is not the texts laid end to end as one continuum, which would merge the gap ending
one article with the gap starting the next (a longer gap, so another expected
disagreement and another value; the observed one is the same). One annotator's overlapping units of one
category are not defined by the measure: the later-starting one is left out (counted
in `dropped`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


class UnitizingTally:
    """Accumulates u-alpha terms article by article, so a corpus costs one pass."""

    def __init__(self, raters: Sequence[str], categories: Iterable[str],
                 lengths: dict[str, int]):
        self.raters = list(raters)
        self.lengths = dict(lengths)
        self.categories = list(categories)
        self.observed: dict[str, float] = {c: 0.0 for c in self.categories}
        self.unit_lengths: dict[str, list[int]] = {c: [] for c in self.categories}
        self.gaps: dict[str, list[int]] = {c: [] for c in self.categories}
        self.seen: dict[str, set[str]] = {c: set() for c in self.categories}
        self.dropped = 0

    def add(self, article: str, category: str, by_rater: dict[str, Sequence[Any]],
            presorted: bool = False) -> None:
        """Add one article's spans of one category; by_rater: rater -> spans (.start/.end),
        each list already ordered by (start, -end) when `presorted`."""
        length = self.lengths.get(article)
        if length is None:
            length = max((s.end for spans in by_rater.values() for s in spans), default=0)
            self.lengths[article] = length
        units = self.unit_lengths[category]
        gaps = self.gaps[category]
        segments = []
        for r in self.raters:
            spans = by_rater.get(r, ())
            if not presorted:
                spans = sorted(spans, key=lambda x: (x.start, -x.end))
            segments.append(self._segments(spans, length, units, gaps))
        total = 0
        for segs1, segs2 in itertools.combinations(segments, 2):
            total += _pair_distance(segs1, segs2)
        self.observed[category] += 2 * total
        self.seen[category].add(article)

    def _segments(self, spans: Iterable[Any], length: int, units: list[int],
                  gaps: list[int]) -> list[tuple[int, int, bool]]:
        """One rater's cut of the continuum; unit and gap lengths go to `units`/`gaps`
        as they are made (one pass, no second walk over the segments)."""
        out: list[tuple[int, int, bool]] = []
        append = out.append
        pos = 0
        for s in spans:
            start, end = s.start, s.end
            if start < 0:
                start = 0
            if end > length:
                end = length
            if start < pos or end <= start:
                self.dropped += 1
                continue
            if start > pos:
                append((pos, start, False))
                gaps.append(start - pos)
            append((start, end, True))
            units.append(end - start)
            pos = end
        if pos < length:
            append((pos, length, False))
            gaps.append(length - pos)
        return out

    @property
    def length(self) -> int:
        return sum(self.lengths.values())

    def units(self, category: str | None) -> int:
        cats = self.categories if category is None else [category]
        return sum(len(self.unit_lengths[c]) for c in cats)

    def disagreements(self, category: str) -> tuple[float, float]:
        """(D_o, D_e) of one category over every article added or known by length."""
        big_l = self.length
        r = len(self.raters)
        if big_l == 0 or r < 2:
            return 0.0, 0.0
        d_o = self.observed[category] / (r * (r - 1) * big_l * big_l)
        # Articles in scope nobody marked with this category: each rater has one gap.
        unseen = [n for art, n in self.lengths.items()
                  if art not in self.seen[category] and n > 0]
        units = np.asarray(self.unit_lengths[category], dtype=np.int64)
        gaps = np.asarray(self.gaps[category] + unseen, dtype=np.int64)
        weights = np.ones(len(gaps), dtype=np.int64)
        weights[len(self.gaps[category]):] = r
        d_e = expected_disagreements(np.zeros(len(units), np.int64), units,
                                     np.zeros(len(gaps), np.int64), gaps, weights,
                                     [big_l], r)[0]
        return d_o, d_e

    def alpha(self, category: str | None) -> float | None:
        """u-alpha of one category, or over all categories (None); None when undefined
        (no unit at all, so no expected disagreement)."""
        cats = self.categories if category is None else [category]
        d_o = d_e = 0.0
        # A report asks for each category and then for all of them: compute each
        # category's terms once per state of the tally (a later add() starts afresh).
        state = (sum(len(v) for v in self.unit_lengths.values()),
                 sum(len(v) for v in self.gaps.values()), len(self.lengths),
                 tuple(self.observed.values()))
        if getattr(self, "_cache_state", None) != state:
            self._cache_state = state
            self._cache: dict[str, tuple[float, float]] = {}
        for c in cats:
            if c not in self._cache:
                self._cache[c] = self.disagreements(c)
            o, e = self._cache[c]
            d_o += o
            d_e += e
        if d_e == 0:
            return None
        return 1 - d_o / d_e


def _pair_distance(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> int:
    """Sum of squared distances of the intersecting segments of two annotators."""
    i = j = 0
    total = 0
    while i < len(a) and j < len(b):
        s1, e1, u1 = a[i]
        s2, e2, u2 = b[j]
        if u1 and u2:
            ds, de = s1 - s2, e1 - e2
            total += ds * ds + de * de
        elif u1 and s2 <= s1 and e1 <= e2:
            total += (e1 - s1) * (e1 - s1)
        elif u2 and s1 <= s2 and e2 <= e1:
            total += (e2 - s2) * (e2 - s2)
        if e1 < e2:
            i += 1
        elif e2 < e1:
            j += 1
        else:
            i += 1
            j += 1
    return total


def unitizing_alpha(spans_by_rater: dict[str, Sequence[Any]], length: int,
                    category: str = "unit") -> float | None:
    """u-alpha for one continuum and one category (spans with .start and .end)."""
    tally = UnitizingTally(list(spans_by_rater), [category], {"_": length})
    tally.add("_", category, spans_by_rater)
    return tally.alpha(category)


def expected_disagreements(unit_key: np.ndarray, unit_len: np.ndarray, gap_key: np.ndarray,
                           gap_len: np.ndarray, gap_weight: np.ndarray, big_l: Sequence[int],
                           r: int) -> list[float]:
    """D_e for several continua at once: unit and gap lengths tagged with the index of
    their continuum (key), a gap counted `weight` times; big_l[key] is its length."""
    n_keys = len(big_l)
    width = int(max(gap_len.max(initial=0), unit_len.max(initial=0))) + 2
    if n_keys * width >= 2 ** 62:
        raise ValueError("continua too long for unitizing alpha")
    # Gaps sorted by (key, length) with running counts and sums: the gaps of one key
    # at least as long as l are then one slice.
    g_comb = np.sort(np.repeat(gap_key * width + gap_len, gap_weight))
    g_len = g_comb % width
    cum_w = np.arange(len(g_comb) + 1)
    cum_l = np.concatenate(([0], np.cumsum(g_len)))
    # Units of equal length in one continuum contribute equal terms: one term each.
    u_comb, count = _runs(np.sort(unit_key * width + unit_len))
    key, lg = u_comb // width, u_comb % width
    lo = np.searchsorted(g_comb, u_comb, "left")
    hi = np.searchsorted(g_comb, (key + 1) * width, "left")
    k = cum_w[hi] - cum_w[lo]  # gaps at least as long as the unit
    longer = cum_l[hi] - cum_l[lo] - k * (lg - 1)  # sum over them of (l_h - l + 1)
    n_units = np.bincount(unit_key, minlength=n_keys)[key]
    # The same terms in floating point say whether 64-bit integers hold them exactly.
    lf = lg.astype(np.float64)
    rough = count * ((n_units - 1) * (2 * lf ** 3 + lf) + lf * lf * longer)
    if rough.sum() < 2.0 ** 61:
        # Exact in 64-bit integers (news-length articles); summed per key in order.
        within = (n_units - 1) * (2 * lg ** 3 - 3 * lg ** 2 + lg) // 3  # always divisible
        terms = count * (within + lg * lg * longer)
        numerator = np.zeros(n_keys, dtype=np.int64)
        np.add.at(numerator, key, terms)
        nums = numerator.tolist()
        sq = np.zeros(n_keys, dtype=np.int64)
        np.add.at(sq, key, count * lg * (lg - 1))
        sq_sum = sq.tolist()
    else:  # Python integers: l^3 times a count would pass 2^63
        nums, sq_sum = [0] * n_keys, [0] * n_keys
        for c, n, length, times, ge in zip(key.tolist(), n_units.tolist(), lg.tolist(),
                                           count.tolist(), longer.tolist(), strict=True):
            within = (n - 1) * (2 * length ** 3 - 3 * length ** 2 + length) // 3
            nums[c] += times * (within + length * length * ge)
            sq_sum[c] += times * length * (length - 1)
    out = []
    for c in range(n_keys):
        length = big_l[c]
        if length == 0 or r < 2:
            out.append(0.0)
            continue
        numerator_f = nums[c] * 2 / length
        denominator = r * length * (r * length - 1) - sq_sum[c]
        out.append(numerator_f / denominator if denominator else 0.0)
    return out


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, how many of each) of a sorted array."""
    if not len(sorted_keys):
        return sorted_keys, np.zeros(0, dtype=np.int64)
    start = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    return sorted_keys[start], np.diff(np.append(start, len(sorted_keys)))
