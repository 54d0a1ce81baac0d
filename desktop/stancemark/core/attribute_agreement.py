"""Agreement per attribute: Krippendorff's alpha with the metric the attribute's type
calls for (Attribute.metric): nominal for unordered choices, yes/no, dates and
references; ordinal for ordered choices (ranked by vocabulary order); interval for
integers and numbers. Free text gets no figure.

Units. A span attribute's unit is a span of its kind that two or more annotators
tagged with the same boundaries (article, start, end): each annotator's value there
is one coding (their first annotation there, if they tagged it twice; unset values
are missing). An article variable's unit is the article. A multiple choice is one
nominal category per set of values chosen.

alpha = 1 - D_o / D_e over the coincidence matrix of pairable values (Krippendorff
2011, "Computing Krippendorff's alpha-reliability"): o_ck = sum over units of
(number of c-k pairs) / (m_u - 1); D_o = sum o_ck d(c,k) / n; D_e = sum n_c n_k
d(c,k) / (n (n - 1)), with d nominal 0/1, interval (c - k)^2, ordinal
(sum of n_g for g from c to k - (n_c + n_k) / 2)^2 over the ranked categories.
None when undefined (fewer than two pairable values, or no variation at all).
The unitizing alpha of custom span kinds comes from core.agreement like that of the
built-in kinds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from stancemark.core.codebook import Attribute, Codebook


def krippendorff_alpha(units: Iterable[Sequence[Any]], metric: str,
                       order: Sequence[Any] | None = None) -> float | None:
    """Alpha over units (each the values its coders gave, missing ones left out).
    metric: "nominal", "ordinal" (ranks from `order`, else sorted values) or "interval"
    (numbers)."""
    coincidence: dict[tuple[Any, Any], float] = defaultdict(float)
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        counts = Counter(unit)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    totals: dict[Any, float] = defaultdict(float)
    for (c, _k), v in coincidence.items():
        totals[c] += v
    n = sum(totals.values())
    if n <= 1:
        return None
    delta = _metric(metric, totals, order)
    observed = sum(v * delta(c, k) for (c, k), v in coincidence.items())
    cats = list(totals)
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in cats for k in cats) / (n - 1)
    if expected == 0:
        return None
    return 1.0 - observed / expected


def _metric(metric: str, totals: dict[Any, float], order: Sequence[Any] | None) -> Any:
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == "interval":
        return lambda c, k: float(c - k) ** 2
    if metric != "ordinal":
        raise ValueError(f"unknown metric {metric!r}")
    ranked = [v for v in (order if order is not None else sorted(totals)) if v in totals]
    rank = {v: i for i, v in enumerate(ranked)}
    cumulative = [0.0]
    for v in ranked:
        cumulative.append(cumulative[-1] + totals[v])

    def ordinal(c: Any, k: Any) -> float:
        lo, hi = sorted((rank[c], rank[k]))
        between = cumulative[hi + 1] - cumulative[lo]
        return (between - (totals[c] + totals[k]) / 2) ** 2

    return ordinal


@dataclass(frozen=True, slots=True)
class AttributeFigure:
    """Alpha of one attribute: `kind` is the span kind's uid, "article" for variables."""

    kind: str
    attribute_uid: str
    attribute: str  # its name
    metric: str
    value: float | None
    n: int  # units with two or more values


def _category(attr: Attribute, value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)  # stored in vocabulary order: equal sets, equal tuples
    return value


def attribute_alpha(attr: Attribute, units: Iterable[Sequence[Any]]) -> AttributeFigure:
    metric = attr.metric or "nominal"
    cooked = [[_category(attr, v) for v in unit] for unit in units]
    order = [v.uid for v in attr.values] if metric == "ordinal" else None
    pairable = [u for u in cooked if len(u) >= 2]
    return AttributeFigure(attr.kind_uid or "article", attr.uid, attr.name, metric,
                           krippendorff_alpha(pairable, metric, order), len(pairable))


def span_attribute_figures(book: Codebook, rows: Iterable[tuple[Any, str, str, int, int, str, Any]],
                           annotators: Sequence[str]) -> list[AttributeFigure]:
    """Figures for every attribute with a metric, from rows (article, annotator uid,
    kind uid, start, end, attribute uid, stored value) of the annotators' live spans."""
    wanted = set(annotators)
    # (attribute, unit) -> annotator -> first value
    cells: dict[str, dict[tuple[Any, int, int], dict[str, Any]]] = defaultdict(dict)
    for article, annotator, kind, start, end, attr_uid, value in rows:
        attr = book.attribute(attr_uid)
        if annotator not in wanted or attr is None or attr.kind_uid != kind or attr.metric is None:
            continue
        cells[attr_uid].setdefault((article, start, end), {}).setdefault(annotator, value)
    return _figures(book, cells, lambda a: a.kind_uid is not None)


def variable_figures(book: Codebook, rows: Iterable[tuple[Any, str, str, Any]],
                     annotators: Sequence[str]) -> list[AttributeFigure]:
    """Figures for article variables, from rows (article, annotator uid, variable uid,
    stored value)."""
    wanted = set(annotators)
    cells: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
    for article, annotator, attr_uid, value in rows:
        attr = book.attribute(attr_uid)
        if annotator in wanted and attr is not None and attr.kind_uid is None and attr.metric:
            cells[attr_uid].setdefault(article, {}).setdefault(annotator, value)
    return _figures(book, cells, lambda a: a.kind_uid is None)


def _figures(book: Codebook, cells: dict[str, dict[Any, dict[str, Any]]], keep: Any
             ) -> list[AttributeFigure]:
    out = []
    for attr in book.attributes:  # codebook order; attributes nobody set show n = 0
        if not keep(attr) or attr.metric is None:
            continue
        units = [list(by.values()) for by in cells.get(attr.uid, {}).values()]
        out.append(attribute_alpha(attr, units))
    return out
