"""Agreement figures on a SpanTable, with array operations instead of a Python step
per span (core.agreement describes the figures; this module computes them).

The rows are sorted once by (article, kind, annotator, start, longer first, input
order): each annotator's spans of one article and kind are then a run in text order,
as the per-span version walked them. Positions are laid end to end per (article,
kind) group ("global" positions: the group's base plus the offset), so one sorted
array and one `searchsorted` serve every group at once, and spans of two groups never
overlap.

- Exact matching pairs the k-th span of A with bounds (s, e) with the k-th span of B
  with the same bounds, as the per-span version's bucket lists did.
- Overlap matching takes the spans left, lists every overlapping pair with its shared
  length, and pairs greedily by longest overlap, then A's text order, then B's. A
  candidate whose spans appear in no other candidate is taken at once; only the
  contested ones go through the greedy loop.
- Units for alpha are the clusters of overlapping spans of all annotators, each
  annotator's first span in a cluster giving its value.
- Unitizing alpha (core.unitizing has the formulas) is tallied per group as its
  sweep over segments did: a unit of A against every unit of B it intersects, or its
  squared length when it lies in B's gap.

Every figure is tallied per scope (the corpus, or each article), so a report by
article costs one pass too. Counts are exact integers and the floating-point
operations are the per-span version's, so the figures are the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from stancemark.core.span_table import SpanTable, codes

_I = np.int64


def order_by(*keys: np.ndarray) -> np.ndarray:
    """Indices that sort by `keys` (most significant first), ties in input order.
    Integer keys are packed into one when their ranges fit 62 bits: a stable sort of
    one key is several times faster than np.lexsort of several."""
    if not len(keys[0]):
        return np.zeros(0, dtype=_I)
    packed = np.zeros(len(keys[0]), dtype=_I)
    span = 1
    for key in reversed(keys):
        low = int(key.min())
        size = int(key.max()) - low + 1
        if span * size >= 2 ** 62:
            return np.lexsort(keys[::-1])
        packed += (key - low) * span
        span *= size
    return np.argsort(packed, kind="stable")


def runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, how many of each) of a sorted array."""
    if not len(sorted_keys):
        return sorted_keys, np.zeros(0, dtype=_I)
    start = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    return sorted_keys[start], np.diff(np.append(start, len(sorted_keys)))


def counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, how many of each), keys sorted."""
    if len(keys) and keys.min() >= 0 and keys.max() < 4 * len(keys) + (1 << 16):
        tally = np.bincount(keys)  # few distinct keys: counted without a sort
        at = np.flatnonzero(tally)
        return at, tally[at]
    return runs(np.sort(keys))


@dataclass
class Prepared:
    """The wanted rows of a SpanTable, sorted, with their groups."""

    raters: int  # R: number of annotators compared
    kinds: list[str]
    article: np.ndarray  # per row: article code (SpanTable.articles)
    rater: np.ndarray  # per row: index in the annotators asked for
    start: np.ndarray
    end: np.ndarray
    group: np.ndarray  # per row: (article, kind) group index
    gs: np.ndarray  # global start / end (group base + offset)
    ge: np.ndarray
    g_article: np.ndarray  # per group: article code
    g_kind: np.ndarray  # per group: index in `kinds`
    g_length: np.ndarray  # per group: article length (the u-alpha continuum)
    g_base: np.ndarray  # per group: base of its global positions
    labels: dict[str, np.ndarray]  # label name -> codes per row


def prepare(table: SpanTable, annotators: Sequence[str], kinds: Sequence[str],
            lengths: dict[str, int], label_names: Iterable[str] = ()) -> Prepared:
    """The rows of `annotators` and `kinds`, sorted; a label no row has is None for all
    (so equal everywhere, as a missing label was)."""
    rater_of = np.full(len(table.annotators) + 1, -1, dtype=_I)
    for i, uid in enumerate(annotators):
        if uid in table.annotators and rater_of[table.annotators.index(uid)] < 0:
            rater_of[table.annotators.index(uid)] = i
    kind_of = np.full(len(table.kinds) + 1, -1, dtype=_I)
    for i, k in enumerate(kinds):
        if k in table.kinds:
            kind_of[table.kinds.index(k)] = i
    rater = rater_of[table.annotator] if len(table) else np.zeros(0, _I)
    kind = kind_of[table.kind] if len(table) else np.zeros(0, _I)
    keep = np.flatnonzero((rater >= 0) & (kind >= 0))
    article, rater, kind = table.article[keep], rater[keep], kind[keep]
    start, end = table.start[keep], table.end[keep]
    order = order_by(article, kind, rater, start, start - end)
    article, rater, kind = article[order], rater[order], kind[order]
    start, end = start[order], end[order]
    rows = keep[order]
    n = len(rows)
    new_group = np.ones(n, dtype=bool)
    if n:
        new_group[1:] = (article[1:] != article[:-1]) | (kind[1:] != kind[:-1])
    firsts = np.flatnonzero(new_group)
    group = np.cumsum(new_group) - 1
    g_article, g_kind = article[firsts], kind[firsts]
    art_length = np.array([lengths.get(uid, 0) for uid in table.articles], dtype=_I)
    g_length = art_length[g_article] if n else np.zeros(0, _I)
    if n:
        low = np.minimum(np.minimum.reduceat(start, firsts), 0)
        high = np.maximum(np.maximum.reduceat(end, firsts), g_length)
    else:
        low = high = np.zeros(0, _I)
    extent = high - low + 1
    g_base = np.concatenate(([0], np.cumsum(extent)[:-1])).astype(_I) - low
    base = g_base[group]
    labels = {name: codes(values)[rows] for name, values in table.labels.items()}
    for name in label_names:
        labels.setdefault(name, np.zeros(n, dtype=_I))
    return Prepared(len(annotators), list(kinds), article, rater, start, end, group,
                    base + start, base + end, g_article, g_kind, g_length, g_base, labels)


# ------------------------------------------------------------------ matching

@dataclass
class Matches:
    """One annotator pair's matched spans, as row indices into Prepared."""

    exact_a: np.ndarray
    exact_b: np.ndarray
    extra_a: np.ndarray
    extra_b: np.ndarray

    @property
    def a(self) -> np.ndarray:
        return np.concatenate((self.exact_a, self.extra_a))

    @property
    def b(self) -> np.ndarray:
        return np.concatenate((self.exact_b, self.extra_b))


def match_pair(p: Prepared, ra: int, rb: int) -> Matches:
    rows_a = np.flatnonzero(p.rater == ra)
    rows_b = np.flatnonzero(p.rater == rb)
    exact_a, exact_b = _exact(p, rows_a, rows_b)
    left_a = _without(rows_a, exact_a)
    left_b = _without(rows_b, exact_b)
    extra_a, extra_b = _overlap(p, left_a, left_b)
    return Matches(exact_a, exact_b, extra_a, extra_b)


def _without(rows: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """`rows` (sorted) less `taken`, in order."""
    mask = np.ones(len(rows), dtype=bool)
    mask[np.searchsorted(rows, taken)] = False
    return rows[mask]


def _rank(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """Per row: how many earlier rows of the same annotator have the same bounds in
    the same group (rows of one annotator, in Prepared order)."""
    gs, ge = p.gs[rows], p.ge[rows]
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (gs[1:] != gs[:-1]) | (ge[1:] != ge[:-1])
    idx = np.arange(len(rows))
    return idx - np.maximum.accumulate(np.where(new, idx, 0))


def _exact(p: Prepared, rows_a: np.ndarray, rows_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not (len(rows_a) and len(rows_b)):
        return np.zeros(0, _I), np.zeros(0, _I)
    rows = np.concatenate((rows_a, rows_b))
    side = np.repeat(np.array([0, 1]), (len(rows_a), len(rows_b)))
    rank = np.concatenate((_rank(p, rows_a), _rank(p, rows_b)))
    gs, ge = p.gs[rows], p.ge[rows]
    o = order_by(gs, ge - gs, rank, side)
    gs, ge, rank, side, rows = gs[o], ge[o], rank[o], side[o], rows[o]
    # Within one side (gs, ge, rank) is unique: equal neighbours are one A and one B.
    same = (gs[1:] == gs[:-1]) & (ge[1:] == ge[:-1]) & (rank[1:] == rank[:-1])
    at = np.flatnonzero(same)
    return rows[at], rows[at + 1]


# Candidate pairs listed per batch of A spans, so that long, nested spans cannot ask
# for one giant array.
_BATCH = 2_000_000


def _overlap(p: Prepared, left_a: np.ndarray, left_b: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    if not (len(left_a) and len(left_b)):
        return np.zeros(0, _I), np.zeros(0, _I)
    a_s, a_e = p.gs[left_a], p.ge[left_a]
    b_s, b_e = p.gs[left_b], p.ge[left_b]  # B's rows are in start order
    hi = np.searchsorted(b_s, a_e, "left")  # B spans starting before A ends
    # B's ends are not sorted (nested spans), their running maximum is: the first B
    # span that can reach past A's start.
    lo = np.searchsorted(np.maximum.accumulate(b_e), a_s, "right")
    count = np.maximum(hi - lo, 0)
    cand_i, cand_j, cand_ov = [], [], []
    cum = np.cumsum(count)
    first = 0
    while first < len(left_a):
        # the next batch: A spans whose candidate ranges add up to about _BATCH
        done = cum[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(cum, done + _BATCH, "right")))
        cnt = count[first:last]
        i = np.repeat(np.arange(first, last), cnt)
        step = np.arange(len(i)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        j = np.repeat(lo[first:last], cnt) + step
        hit = b_e[j] > a_s[i]
        i, j = i[hit], j[hit]
        cand_i.append(i)
        cand_j.append(j)
        cand_ov.append(np.minimum(a_e[i], b_e[j]) - np.maximum(a_s[i], b_s[j]))
        first = last
    i, j, ov = np.concatenate(cand_i), np.concatenate(cand_j), np.concatenate(cand_ov)
    if not len(i):
        return np.zeros(0, _I), np.zeros(0, _I)
    o = order_by(-ov, i, j)  # longest overlap first, then text order of A, of B
    i, j = i[o], j[o]
    free = (np.bincount(i, minlength=len(left_a))[i] == 1) & \
        (np.bincount(j, minlength=len(left_b))[j] == 1)
    take = free.copy()
    used_a = bytearray(len(left_a))
    used_b = bytearray(len(left_b))
    contested = np.flatnonzero(~free)
    for k, x, y in zip(contested.tolist(), i[contested].tolist(), j[contested].tolist(),
                       strict=True):
        if not used_a[x] and not used_b[y]:
            used_a[x] = used_b[y] = 1
            take[k] = True
    return left_a[i[take]], left_b[j[take]]


# ------------------------------------------------------------------ units (alpha)

@dataclass
class Units:
    """Each annotator's first span in each cluster of overlapping spans."""

    rows: np.ndarray  # the first spans, by cluster
    cluster: np.ndarray  # their cluster
    raters: np.ndarray  # per cluster: annotators present (m)
    group: np.ndarray  # per cluster: its (article, kind) group


def units(p: Prepared) -> Units:
    # Text order across annotators; at one start and end, annotators in the order asked.
    o = order_by(p.gs, p.gs - p.ge, p.rater)
    gs, ge = p.gs[o], p.ge[o]
    reach = np.maximum.accumulate(ge)
    new = np.ones(len(o), dtype=bool)
    new[1:] = gs[1:] >= reach[:-1]
    cluster = np.cumsum(new) - 1
    key = cluster * p.raters + p.rater[o]
    # first row of each (cluster, annotator): stable order keeps the text order
    by_key = np.argsort(key, kind="stable")
    first = by_key[np.concatenate(([True], np.diff(key[by_key]) != 0))] if len(o) else o
    first_cluster = cluster[first]
    m = np.bincount(first_cluster, minlength=int(cluster[-1]) + 1 if len(o) else 0)
    return Units(o[first], first_cluster, m, p.group[o[np.flatnonzero(new)]])


def _sum_at(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums of `values` by key (bincount's weights are floats)."""
    out = np.zeros(size, dtype=_I)
    np.add.at(out, keys, values)
    return out


def alpha_terms(p: Prepared, u: Units, name: str, kind: int, scope: np.ndarray, n_scopes: int
                ) -> tuple[list[int], list[float | int], list[int], list[int]]:
    """Per scope, for one label of one kind: (pairable units, observed disagreement,
    values n, sum of squared value totals), as Krippendorff's nominal alpha needs."""
    pairable = (u.raters >= 2) & (p.g_kind[u.group] == kind)
    c_scope = scope[u.group]
    units_n = np.bincount(c_scope[pairable], minlength=n_scopes)
    sel = pairable[u.cluster]
    rows, cl = u.rows[sel], u.cluster[sel]
    if name not in p.labels or not len(rows):
        zero = [0] * n_scopes
        return units_n.tolist(), list(zero), list(zero), list(zero)
    v = p.labels[name][rows]
    n_values = int(v.max()) + 1
    m = u.raters
    # The rows are grouped by unit: where each unit's values begin.
    begin = np.flatnonzero(np.concatenate(([True], cl[1:] != cl[:-1])))
    unit = cl[begin]
    two = m[unit] == 2
    # Units of two values add 2 when they differ: exact integers, as before.
    differ = v[begin[two]] != v[begin[two] + 1]
    observed: list[float | int] = (
        2 * np.bincount(c_scope[unit[two]][differ], minlength=n_scopes)).tolist()
    if not two.all():
        # More values: sum over pairs of different values / (m - 1), from how often
        # each value occurs in the unit.
        more = np.flatnonzero(np.isin(cl, unit[~two]))
        pair_key, pair_count = counts(cl[more] * n_values + v[more])
        sq = _sum_at(pair_key // n_values, pair_count * pair_count, len(m))
        big = unit[~two]
        frac = (m[big] * m[big] - sq[big]) / (m[big] - 1)
        extra = np.bincount(c_scope[big], weights=frac, minlength=n_scopes)
        observed = [o + x if x else o for o, x in zip(observed, extra.tolist(), strict=True)]
    values_n = _sum_at(c_scope[pairable], m[pairable], n_scopes)
    tot_key, tot_count = counts(scope[p.group[rows]] * n_values + v)
    totals_sq = _sum_at(tot_key // n_values, tot_count * tot_count, n_scopes)
    return units_n.tolist(), observed, values_n.tolist(), totals_sq.tolist()


def nominal_alpha_from(observed: float, n: int, totals_sq: int) -> float | None:
    """Nominal alpha from its sums (as core.agreement.nominal_alpha computes it)."""
    if n <= 1:
        return None
    expected = (n * n - totals_sq) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


def kappa_terms(p: Prepared, a: np.ndarray, b: np.ndarray, name: str, scope_of_row: np.ndarray,
                n_scopes: int) -> tuple[list[int], list[int], list[int]]:
    """Per scope, for matched pairs (rows a[i], b[i]) of one kind: (pairs, equal
    values, sum over values of A's count times B's count)."""
    n = np.bincount(scope_of_row, minlength=n_scopes)
    if name not in p.labels or not len(a):
        zero = [0] * n_scopes
        return n.tolist(), list(zero), list(zero)
    x, y = p.labels[name][a], p.labels[name][b]
    agree = np.bincount(scope_of_row[x == y], minlength=n_scopes)
    n_values = int(max(x.max(), y.max())) + 1
    ka, ca = counts(scope_of_row * n_values + x)
    kb, cb = counts(scope_of_row * n_values + y)
    at = np.searchsorted(kb, ka).clip(max=len(kb) - 1)
    both = kb[at] == ka
    chance = _sum_at(ka[both] // n_values, ca[both] * cb[at[both]], n_scopes)
    return n.tolist(), agree.tolist(), chance.tolist()


def kappa_from(n: int, agree: int, chance: int) -> float | None:
    """Cohen's kappa from its counts (as core.agreement.cohen_kappa computes it)."""
    if not n:
        return None
    observed = agree / n
    expected = chance / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def pairs_of(raters: int) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(raters), 2))
