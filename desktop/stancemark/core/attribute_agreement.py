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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stancemark.core.codebook import Attribute, Codebook


def krippendorff_alpha(units: Iterable[Sequence[Any]], metric: str,
                       order: Sequence[Any] | None = None) -> float | None:
    """Alpha over units (each the values its coders gave, missing ones left out).
    metric: "nominal", "ordinal" (ranks from `order`, else sorted values) or "interval"
    (numbers). Computed on arrays (core.attribute_agreement_columns.coded_alpha)."""
    from stancemark.core.attribute_agreement_columns import coded_alpha, dense

    unit_ids: list[int] = []
    values: list[Any] = []
    for i, unit in enumerate(units):
        unit_ids += [i] * len(unit)
        values += unit
    code, cats = dense(values)
    return coded_alpha(np.asarray(unit_ids, dtype=np.int64), code, cats, metric, order)[0]


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
