"""Agreement per attribute at scale: core.attribute_agreement's figures from columns.

A store of 200,000 spans with ten attributes each holds two million values. Reading
them as one tuple per value, grouping them in dicts and summing Krippendorff's
expected disagreement over every pair of categories (quadratic: a number attribute
has thousands of distinct values) took minutes. Here a kind's spans come as arrays
(`KindValues`: annotation id, article, annotator, start, end) with one list of values
per attribute (None where unset), and alpha is computed with array operations:
units are (article, start, end) found with one sort, each annotator's first value in
a unit (lowest annotation id) kept, the coincidences of every unit's ordered pairs
of values counted with `bincount`, and the expected disagreement in closed form:
nominal n^2 - sum n_c^2, interval 2 n sum n_c (c - mean)^2 (exact integers when the
values are), ordinal over the ranked categories (few: a vocabulary).

The figures equal core.attribute_agreement's definitions: the same floats where the
counts and values are whole numbers (two coders, nominal, ordinal and integer
attributes), equal to rounding otherwise (tests/test_attribute_agreement_columns.py
compares them on random data with a per-unit reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stancemark.core.codebook import Attribute, Codebook


@dataclass
class KindValues:
    """The live spans of one kind that carry attribute values, as columns."""

    kind: str
    ids: np.ndarray  # annotation row ids ("first" value of an annotator in a unit: lowest)
    article: np.ndarray
    annotator: np.ndarray
    start: np.ndarray
    end: np.ndarray
    values: dict[str, list[Any]] = field(default_factory=dict)  # attribute uid -> per row


def category(value: Any) -> Any:
    """A value as a category: a multiple choice (stored in vocabulary order) as a tuple."""
    return tuple(value) if isinstance(value, list) else value


_DENSE_CELLS = 1 << 20  # a coincidence matrix of up to 1,024 categories counted densely


def coded_alpha(unit: np.ndarray, code: np.ndarray, cats: Sequence[Any], metric: str,
                order: Sequence[Any] | None = None) -> tuple[float | None, int]:
    """(alpha, units with two or more values) over codings: one per (unit, coder), `unit`
    small non-negative integer ids, `code` an index into the distinct categories `cats`."""
    unit = np.asarray(unit, dtype=np.int64)
    code = np.asarray(code, dtype=np.int64)
    if not len(unit):
        return None, 0
    m = np.bincount(unit)
    keep = m[unit] >= 2
    pairable = int(np.count_nonzero(m >= 2))
    if not pairable:
        return None, 0
    u, c = unit[keep], code[keep]
    if (u[1:] < u[:-1]).any():  # sorted already when they come from attribute_alpha_columns
        at = np.argsort(u, kind="stable")
        u, c = u[at], c[at]
    weight = 1.0 / np.maximum(m - 1, 1).astype(np.float64)
    firsts, seconds, weights = [], [], []
    for d in range(1, int(m.max())):  # every unordered pair of codings of a unit, once
        same = np.flatnonzero(u[:-d] == u[d:])
        if not len(same):
            break
        a, b, w = c[same], c[same + d], weight[u[same]]
        firsts += [a, b]
        seconds += [b, a]
        weights += [w, w]
    k = len(cats)
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    w = np.concatenate(weights)
    # The coincidence matrix, sparse: a number attribute may have thousands of values.
    # Its cells counted in a dense array while that is small (a sort of the pairs cost
    # more); the same sums in the same order either way, every weight being positive.
    if k * k <= _DENSE_CELLS:
        full = np.bincount(first * k + second, weights=w, minlength=k * k)
        cells = np.flatnonzero(full)
        o = full[cells]
    else:
        cells, inverse = np.unique(first * k + second, return_inverse=True)
        o = np.bincount(inverse.reshape(-1), weights=w)
    oc, ok = cells // k, cells % k
    totals = np.bincount(oc, weights=o, minlength=k)
    n = float(totals.sum())
    if n <= 1:
        return None, pairable
    present = np.flatnonzero(totals)
    if metric == "nominal":
        observed = float(o[oc != ok].sum())
        t = totals[present]
        expected = (n * n - float((t * t).sum())) / (n - 1)
    elif metric == "interval":
        x = np.array([np.nan if v is None else float(v) for v in cats], dtype=np.float64)
        observed = float((o * (x[oc] - x[ok]) ** 2).sum())  # only categories coded
        expected = _interval_expected([cats[i] for i in present.tolist()], totals[present]) / (n - 1)
    elif metric == "ordinal":
        observed, expected = _ordinal(cats, totals, present, o, oc, ok, order)
        expected /= n - 1
    else:
        raise ValueError(f"unknown metric {metric!r}")
    if expected == 0:
        return None, pairable
    return 1.0 - observed / expected, pairable


def _interval_expected(values: list[Any], totals: np.ndarray) -> float:
    """sum over categories c, k of n_c n_k (c - k)^2 = 2 (n S2 - S1^2), exactly in
    integers when values and counts are whole; else about the mean (no cancellation)."""
    counts = totals.tolist()
    if all(type(v) is int or type(v) is bool for v in values) and all(
            float(t).is_integer() for t in counts):
        ints = [int(t) for t in counts]
        s0 = sum(ints)
        s1 = sum(t * int(v) for t, v in zip(ints, values, strict=True))
        s2 = sum(t * int(v) * int(v) for t, v in zip(ints, values, strict=True))
        return float(2 * (s0 * s2 - s1 * s1))
    x = np.array([float(v) for v in values], dtype=np.float64)
    n = float(totals.sum())
    mean = float((totals * x).sum()) / n
    return float(2.0 * n * (totals * (x - mean) ** 2).sum())


def _ordinal(cats: Sequence[Any], totals: np.ndarray, present: np.ndarray, o: np.ndarray,
             oc: np.ndarray, ok: np.ndarray, order: Sequence[Any] | None) -> tuple[float, float]:
    have = {cats[i]: i for i in present.tolist()}
    listed = list(order) if order is not None else sorted(have)
    ranked = [have[v] for v in listed if v in have]
    # a value outside the vocabulary (removed from it since) ranks after the listed ones
    ranked += sorted((i for v, i in have.items() if v not in set(listed)),
                     key=lambda i: repr(cats[i]))
    rank = np.full(len(cats), -1, dtype=np.int64)
    rank[ranked] = np.arange(len(ranked))
    t = totals[ranked]
    cumulative = np.concatenate([[0.0], np.cumsum(t)])
    lo = np.minimum.outer(np.arange(len(t)), np.arange(len(t)))
    hi = np.maximum.outer(np.arange(len(t)), np.arange(len(t)))
    delta = (cumulative[hi + 1] - cumulative[lo] - (t[:, None] + t[None, :]) / 2) ** 2
    observed = float((o * delta[rank[oc], rank[ok]]).sum())
    expected = float((t[:, None] * t[None, :] * delta).sum())
    return observed, expected


def dense(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    """Integer codes of hashable values and the distinct values, in first-seen order."""
    index = {v: i for i, v in enumerate(dict.fromkeys(values))}
    return np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values)), list(index)


def units_of(kv: KindValues) -> np.ndarray:
    """A unit id per row (0, 1, ...): equal exactly for equal (article, start, end)."""
    return unit_order(kv)[0]


def unit_order(kv: KindValues) -> tuple[np.ndarray, np.ndarray]:
    """(a unit id per row, increasing with (article, start, end); the rows in (unit,
    annotator, annotation id) order). One sort per kind: each attribute takes its
    rows in this order rather than sorting them again."""
    unit = np.zeros(len(kv.ids), dtype=np.int64)
    at = np.lexsort((kv.ids, kv.annotator, kv.end, kv.start, kv.article))
    if not len(unit):
        return unit, at
    a, s, e = kv.article[at], kv.start[at], kv.end[at]
    new = np.zeros(len(at), dtype=np.int64)
    new[1:] = (a[1:] != a[:-1]) | (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    unit[at] = np.cumsum(new)
    return unit, at


def attribute_alpha_columns(attr: Attribute, kv: KindValues, unit: np.ndarray,
                            order: np.ndarray | None = None) -> tuple[float | None, int]:
    """Alpha of one attribute of the kind's spans (see the module notes); `order`: the
    rows in (unit, annotator, annotation id) order (unit_order), None: sorted here."""
    values = kv.values.get(attr.uid)
    if values is None:
        return None, 0
    if attr.multiple:  # lists (unhashable): a multiple choice is a set of values, as a tuple
        values = [tuple(v) if type(v) is list else v for v in values]  # category(), inline
    try:
        code, cats = dense(values)
    except TypeError:  # a list where one value was expected (an attribute made multiple)
        code, cats = dense([category(v) for v in values])
    unset = cats.index(None) if None in cats else -1
    if order is None:
        order = np.lexsort((kv.ids, kv.annotator, unit))
    at = order[code[order] != unset]  # the rows with a value, in that order
    if not len(at):
        return None, 0
    u, who = unit[at], kv.annotator[at]
    # each annotator's first value in a unit (their lowest annotation id there)
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (who[1:] != who[:-1])
    u, code = u[first], code[at[first]]
    metric = attr.metric or "nominal"
    order_uids = [v.uid for v in attr.values] if metric == "ordinal" else None
    return coded_alpha(u, code, cats, metric, order_uids)


def kind_attribute_figures(book: Codebook, kv: KindValues) -> dict[str, Any]:
    """The figures of one kind's attributes with a metric, by attribute uid: what
    span_attribute_figures_columns gives for them (a reader of the values computes them
    as soon as it has read the kind, in its own thread)."""
    from stancemark.core.attribute_agreement import AttributeFigure

    order: tuple[np.ndarray, np.ndarray] | None = None
    out: dict[str, Any] = {}
    for attr in book.attributes:
        if attr.kind_uid != kv.kind or attr.metric is None:
            continue
        if order is None:
            order = unit_order(kv)
        value, n = attribute_alpha_columns(attr, kv, *order)
        out[attr.uid] = AttributeFigure(attr.kind_uid, attr.uid, attr.name, attr.metric, value, n)
    return out


def span_attribute_figures_columns(book: Codebook, kinds: Sequence[KindValues],
                                   done: dict[str, dict[str, Any]] | None = None) -> list[Any]:
    """core.attribute_agreement.span_attribute_figures, from columns: a figure for every
    span attribute with a metric, in codebook order (n = 0 where nobody set it). `done`:
    kind uid -> kind_attribute_figures already computed for it."""
    from stancemark.core.attribute_agreement import AttributeFigure

    by_kind = {kv.kind: kv for kv in kinds}
    figures = dict(done or {})
    out = []
    for attr in book.attributes:
        if attr.kind_uid is None or attr.metric is None:
            continue
        if attr.kind_uid not in figures:
            kv = by_kind.get(attr.kind_uid)
            figures[attr.kind_uid] = kind_attribute_figures(book, kv) if kv is not None else {}
        figure = figures[attr.kind_uid].get(attr.uid)
        out.append(figure if figure is not None else
                   AttributeFigure(attr.kind_uid, attr.uid, attr.name, attr.metric, None, 0))
    return out
