"""The codebook-heavy benchmark stores: 10 custom span kinds of 10 attributes each
(every attribute type), annotations of those kinds with every attribute set.

Deterministic like the rest of the corpus: the codebook's uids come from the seed, and
an annotation's kind and values from (seed, article number, annotation number), so a
second coder's values can differ from the first's in a known share.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stancemark.bench.corpus import _uid
from stancemark.core.builtin_kinds import BUILTIN_KINDS
from stancemark.core.codebook import Attribute, Codebook, SpanKind, Value
from stancemark.core.model import Annotation

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

KINDS = 10
ATTRIBUTES = 10  # per kind, one of each shape below
_SHAPES: tuple[dict[str, Any], ...] = (
    {"type": "choice", "values": 5},
    {"type": "choice", "values": 5, "ordered": True},
    {"type": "choice", "values": 8, "multiple": True},
    {"type": "integer", "minimum": 1, "maximum": 5},
    {"type": "number", "minimum": 0, "maximum": 1},
    {"type": "boolean"},
    {"type": "text"},
    {"type": "date"},
    {"type": "choice", "values": 3},
    {"type": "integer", "minimum": 0, "maximum": 100},
)


def heavy_codebook(seed: int) -> Codebook:
    rng = random.Random(f"{seed}:codebook")
    kinds, attrs = [], []
    for k in range(KINDS):
        kind = SpanKind(_uid(rng), f"kind{k}", f"Synthetic kind {k}", "", "")
        kinds.append(kind)
        for i, shape in enumerate(_SHAPES[:ATTRIBUTES]):
            fields = {f: v for f, v in shape.items() if f not in ("type", "values")}
            values = tuple(Value(_uid(rng), f"v{j}") for j in range(shape.get("values", 0)))
            attrs.append(Attribute(_uid(rng), f"k{k}a{i}", shape["type"], kind.uid,
                                   values=values, **fields))
    return Codebook.of((*BUILTIN_KINDS, *kinds), attrs)


def _value(rng: random.Random, a: Attribute) -> Any:
    if a.type == "choice":
        if a.multiple:
            chosen = {v.uid for v in rng.sample(a.values, rng.randint(1, 3))}
            return [v.uid for v in a.values if v.uid in chosen]
        return rng.choice(a.values).uid
    if a.type == "integer":
        return rng.randint(int(a.minimum or 0), int(a.maximum or 10))
    if a.type == "number":
        return round(rng.random(), 3)
    if a.type == "boolean":
        return rng.random() < 0.5
    if a.type == "date":
        return f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return "note " + str(rng.randint(0, 999))


def with_attributes(book: Codebook, seed: int, n: int, anns: list[Annotation],
                    coder: str = "ana") -> list[Annotation]:
    """The annotations turned into custom-kind spans carrying every attribute of their
    kind. Kind and base values depend on (seed, article n, index); another coder keeps
    the kind and changes each value with probability 0.15."""
    kinds = book.custom_kinds()
    out = []
    for i, a in enumerate(anns):
        rng = random.Random(f"{seed}:attrs:{n}:{i}")
        kind = kinds[rng.randrange(len(kinds))]
        values = {attr.uid: _value(rng, attr) for attr in book.attributes_of(kind.uid)}
        if coder != "ana":
            other = random.Random(f"{seed}:attrs:{coder}:{n}:{i}")
            for attr in book.attributes_of(kind.uid):
                if other.random() < 0.15:
                    values[attr.uid] = _value(other, attr)
        out.append(replace(a, kind=kind.uid, actor_uid=None, date_value=None,
                           date_granularity=None, holder_uid=None, target_topic_uid=None,
                           target_actor_uid=None, polarity=None, stance_date=None,
                           attributes=values))
    return out


def install(repo: Repository, book: Codebook) -> None:
    """Write the codebook's custom kinds and attributes into a fresh store."""
    with repo.tx():
        for k in book.custom_kinds():
            repo.add_kind(k)
        for a in book.attributes:
            repo.add_attribute(a)
