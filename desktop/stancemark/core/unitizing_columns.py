"""Unitizing alpha (core.unitizing) tallied on Prepared rows for many continua at once.

Per (article, kind) group and annotator, the units are the spans clipped to the text,
in text order, a span starting inside the previous unit left out (as
UnitizingTally._segments does); the gaps are what lies between them. Observed
disagreement per pair of annotators: for each unit of A, the squared distances to the
units of B it intersects, or its squared length when it intersects none (it lies in
one of B's gaps); and the same for B's units lying in A's gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stancemark.core.agreement_columns import Prepared, pairs_of
from stancemark.core.unitizing import expected_disagreements

_I = np.int64


@dataclass
class Segments:
    rows: np.ndarray  # the rows kept as units, in Prepared order
    start: np.ndarray  # their clipped bounds
    end: np.ndarray
    gap_group: np.ndarray  # every gap: its group and length
    gap_len: np.ndarray


def segments(p: Prepared) -> Segments:
    r = p.raters
    length = p.g_length[p.group]
    cs = np.maximum(p.start, 0)
    ce = np.minimum(p.end, length)
    valid = np.flatnonzero(ce > cs)
    # Each (group, annotator) run laid end to end, so one running maximum serves all.
    seg = p.group * r + p.rater
    seg_base = np.concatenate(([0], np.cumsum(np.repeat(p.g_length + 1, r))))
    us = seg_base[seg[valid]] + cs[valid]
    ue = seg_base[seg[valid]] + ce[valid]
    reach = np.concatenate(([-1], np.maximum.accumulate(ue)[:-1])) if len(ue) else ue
    keep = us >= reach
    # A left-out span reaching past the last unit would make "after the running
    # maximum" differ from "after the last unit": walk those runs one span at a time.
    odd = np.unique(seg[valid][~keep & (ue > reach)])
    if len(odd):
        in_odd = np.isin(seg[valid], odd)
        pos = -1
        run = -1
        for k in np.flatnonzero(in_odd).tolist():
            this = int(seg[valid[k]])
            if this != run:
                run, pos = this, int(seg_base[this])
            keep[k] = us[k] >= pos
            if keep[k]:
                pos = int(ue[k])
    kept = valid[keep]
    k_start, k_end = cs[kept], ce[kept]
    k_seg = seg[kept]
    # Gap before each unit (from the previous unit of its run, or from 0) and after
    # the last one; a run without units is one gap, the whole text.
    first = np.ones(len(kept), dtype=bool)
    first[1:] = k_seg[1:] != k_seg[:-1]
    prev_end = np.where(first, 0, np.concatenate(([0], k_end[:-1])))
    last = np.ones(len(kept), dtype=bool)
    last[:-1] = k_seg[:-1] != k_seg[1:]
    k_group = p.group[kept]
    n_groups = len(p.g_length)
    has_units = np.zeros(n_groups * r, dtype=bool)
    has_units[k_seg] = True
    empty = np.flatnonzero(~has_units) // r
    gap_group = np.concatenate((k_group, k_group[last], empty))
    gap_len = np.concatenate((k_start - prev_end, p.g_length[k_group[last]] - k_end[last],
                              p.g_length[empty]))
    has = gap_len > 0
    return Segments(kept, k_start, k_end, gap_group[has], gap_len[has])


def observed(p: Prepared, s: Segments) -> np.ndarray:
    """Per group: the sum over annotator pairs of squared distances (without the
    factor 2 of D_o)."""
    out = np.zeros(len(p.g_length), dtype=_I)
    rater = p.rater[s.rows]
    base = p.g_base[p.group[s.rows]]
    for ra, rb in pairs_of(p.raters):
        a, b = np.flatnonzero(rater == ra), np.flatnonzero(rater == rb)
        a_s, a_e = base[a] + s.start[a], base[a] + s.end[a]
        b_s, b_e = base[b] + s.start[b], base[b] + s.end[b]
        # Units of one annotator are disjoint and sorted: starts and ends both rise.
        lo = np.searchsorted(b_e, a_s, "right")
        hi = np.searchsorted(b_s, a_e, "left")
        count = hi - lo
        i = np.repeat(np.arange(len(a)), count)
        j = np.repeat(lo, count) + np.arange(len(i)) - np.repeat(np.cumsum(count) - count,
                                                                   count)
        ds, de = a_s[i] - b_s[j], a_e[i] - b_e[j]
        groups = p.group[s.rows[a]]
        np.add.at(out, groups[i], ds * ds + de * de)
        alone = count == 0
        np.add.at(out, groups[alone], (a_e - a_s)[alone] ** 2)
        b_alone = np.searchsorted(a_s, b_e, "left") == np.searchsorted(a_e, b_s, "right")
        np.add.at(out, p.group[s.rows[b]][b_alone], (b_e - b_s)[b_alone] ** 2)
    return out


def tally(p: Prepared, scope: np.ndarray, n_scopes: int, continua: list[dict[int, int]]
          ) -> tuple[list[list[float]], list[list[float]], list[list[int]]]:
    """(D_o, D_e, units) per scope and kind. `scope` maps each group to its scope;
    continua[scope] maps the article codes of that scope's continuum to their lengths
    (articles without spans of a kind count as one gap per annotator)."""
    kinds = len(p.kinds)
    r = p.raters
    s = segments(p)
    group_key = scope * kinds + p.g_kind
    n_keys = n_scopes * kinds
    obs = np.zeros(n_keys, dtype=_I)
    np.add.at(obs, group_key, observed(p, s))
    unit_key = group_key[p.group[s.rows]]
    units = np.bincount(unit_key, minlength=n_keys)
    # Articles of a scope's continuum without a group of that kind: one gap each per
    # annotator (weight r).
    c_scope = np.repeat(np.arange(n_scopes), [len(c) for c in continua]).astype(_I)
    c_art = np.fromiter((a for c in continua for a in c), dtype=_I, count=len(c_scope))
    c_len = np.fromiter((n for c in continua for n in c.values()), dtype=_I,
                        count=len(c_scope))
    width = int(max(c_art.max(initial=0), p.g_article.max(initial=0))) + 1
    seen = (scope * width + p.g_article) * kinds + p.g_kind
    keys, lens = [], []
    for k in range(kinds):
        unseen = ~np.isin((c_scope * width + c_art) * kinds + k, seen) & (c_len > 0)
        keys.append(c_scope[unseen] * kinds + k)
        lens.append(c_len[unseen])
    extra_key = np.concatenate(keys)
    extra_len = np.concatenate(lens)
    gap_key = np.concatenate((group_key[s.gap_group], extra_key))
    gap_len = np.concatenate((s.gap_len, extra_len))
    weight = np.concatenate((np.ones(len(s.gap_len), _I), np.full(len(extra_len), r, _I)))
    big_l = [sum(c.values()) for c in continua]
    key_l = [big_l[k // kinds] for k in range(n_keys)]
    d_e = expected_disagreements(unit_key, s.end - s.start, gap_key, gap_len, weight, key_l, r)
    d_o = [2 * o / (r * (r - 1) * key_l[k] * key_l[k]) if key_l[k] and r >= 2 else 0.0
           for k, o in enumerate(obs.tolist())]
    shape = range(n_scopes)
    return ([d_o[sc * kinds:(sc + 1) * kinds] for sc in shape],
            [d_e[sc * kinds:(sc + 1) * kinds] for sc in shape],
            [units[sc * kinds:(sc + 1) * kinds].tolist() for sc in shape])
