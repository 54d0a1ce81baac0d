"""Spans as columns: what agreement reads and computes on at scale.

A report over 200,000 annotations spent most of its time building one `Span` object
(with a label dict) per annotation and walking them one by one. A `SpanTable` holds
the same information as a handful of NumPy arrays (article, annotator and kind as
small integer codes, start and end) plus one column of values per label name, so the
figures are computed with array operations (core.agreement_columns). Built either by
the store in one query (store.review.ReviewStore.span_table) or from `Span` records
(`SpanTable.from_spans`, for callers holding a few spans, and the tests).

Label values are compared for equality only (uids, row ids, ISO dates, attribute
values); `codes()` turns a column into integers with equal codes exactly for equal,
hashable values (None included: "no value" agrees with "no value").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from stancemark.core.agreement import Span


@dataclass
class SpanTable:
    """One row per span. `article`, `annotator` and `kind` are indices into the
    `articles`, `annotators` and `kinds` lists; `labels` maps a label name to one value
    per row (None where the row has none)."""

    articles: list[str]
    annotators: list[str]
    kinds: list[str]
    article: np.ndarray
    annotator: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    end: np.ndarray
    labels: Mapping[str, Sequence[Any] | np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.start)

    def article_uids(self) -> set[str]:
        """Uids of the articles that hold at least one row."""
        return {self.articles[i] for i in np.unique(self.article).tolist()}

    @classmethod
    def empty(cls, kinds: Sequence[str] = ()) -> SpanTable:
        none = np.zeros(0, dtype=np.int64)
        return cls([], [], list(kinds), none, none, none, none, none)

    @classmethod
    def from_spans(cls, spans: Iterable[Span]) -> SpanTable:
        rows = list(spans)
        articles: dict[str, int] = {}
        annotators: dict[str, int] = {}
        kinds: dict[str, int] = {}
        art = [articles.setdefault(s.article, len(articles)) for s in rows]
        ann = [annotators.setdefault(s.annotator, len(annotators)) for s in rows]
        kind = [kinds.setdefault(s.kind, len(kinds)) for s in rows]
        names = dict.fromkeys(n for s in rows for n in s.labels)
        labels = {n: [s.labels.get(n) for s in rows] for n in names}
        return cls(list(articles), list(annotators), list(kinds), _ints(art), _ints(ann),
                   _ints(kind), _ints([s.start for s in rows]), _ints([s.end for s in rows]),
                   labels)


def _ints(values: Sequence[int]) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def codes(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Integer codes of a label column: equal codes exactly where values are equal."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        values = values.astype(np.int64)
        if not len(values):
            return values
        low = int(values.min())
        size = int(values.max()) - low + 1
        if size <= 4 * len(values) + 1024:  # row ids: a lookup table beats a sort
            present = np.zeros(size, dtype=bool)
            present[values - low] = True
            return (np.cumsum(present) - 1)[values - low]
        return np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(-1)
    try:
        return _dense(list(values) if isinstance(values, np.ndarray) else values)
    except TypeError:  # an unhashable value (a list of choices): compare a hashable form
        return _dense([_hashable(v) for v in values])


def _dense(values: Sequence[Any]) -> np.ndarray:
    # Distinct values once (dict.fromkeys keeps first-seen order), then one C-level
    # lookup per value through map(): no Python frame per row.
    index = {v: i for i, v in enumerate(dict.fromkeys(values))}
    keys = list(map(index.__getitem__, values))
    return np.asarray(keys, dtype=np.int64).reshape(-1)


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ("__seq__", *(_hashable(v) for v in value))
    if isinstance(value, dict):
        return ("__map__", *sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return ("__set__", *sorted(map(repr, value)))
    return value
