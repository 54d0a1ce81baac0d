"""The three built-in span kinds and their special behaviour, one place each.

- actor: the mention links to one actor of the register (`actor_uid`).
- date: `date_value` is an ISO 8601 day, month, year or interval, normalised against
  the article's own date (core.dates), with its `date_granularity`.
- stance: `polarity` (support, oppose, neutral), optional holder (an actor), target
  (a topic or an actor, not both) and date.

Their uids are fixed and equal to their original names, so stores and files from
before the codebook read unchanged. Everything else about them (name shown,
description, colour, key, extra attributes such as a stance's intensity) is codebook
data like any custom kind. Custom kinds carry no built-in fields: their content is
their attributes.
"""

from __future__ import annotations

from collections.abc import Callable

from stancemark.core.codebook import SpanKind
from stancemark.core.model import GRANULARITIES, POLARITIES, Annotation

ACTOR = "actor"
DATE = "date"
STANCE = "stance"
BUILTIN_KIND_UIDS: tuple[str, ...] = (ACTOR, DATE, STANCE)

BUILTIN_KINDS: tuple[SpanKind, ...] = (
    SpanKind(ACTOR, "actor", "Who: a mention of an actor of the register.", "#56B4E9", "A", True),
    SpanKind(DATE, "date", "When: a date or period, normalised against the article's date.",
             "#E69F00", "D", True),
    SpanKind(STANCE, "stance", "An actor's position for or against a topic or another actor.",
             "#CC79A7", "S", True),
)

# The annotation fields only built-in kinds use; a custom kind's must stay empty.
BUILTIN_FIELDS: tuple[str, ...] = (
    "actor_uid", "date_value", "date_granularity", "holder_uid", "target_topic_uid",
    "target_actor_uid", "polarity", "stance_date")


def _actor(a: Annotation) -> str | None:
    if not a.actor_uid:
        return "an actor mention needs an actor"
    return None


def _date(a: Annotation) -> str | None:
    from stancemark.core.dates import granularity_problem, is_iso_value

    if not a.date_value or not is_iso_value(a.date_value):
        return f"date value {a.date_value!r} is not an ISO 8601 date"
    if a.date_granularity not in GRANULARITIES:
        return f"unknown date granularity {a.date_granularity!r}"
    return granularity_problem(a.date_value, a.date_granularity)


def _stance(a: Annotation) -> str | None:
    if a.polarity not in POLARITIES:
        return f"unknown polarity {a.polarity!r} (support, oppose, neutral)"
    if a.target_topic_uid and a.target_actor_uid:
        return "a stance targets a topic or an actor, not both"
    return None


RULES: dict[str, Callable[[Annotation], str | None]] = {ACTOR: _actor, DATE: _date, STANCE: _stance}


def builtin_problem(a: Annotation) -> str | None:
    """What is wrong with the built-in fields of `a` for its kind, or None. A built-in
    kind's own rule applies; a custom kind may not carry built-in fields."""
    rule = RULES.get(a.kind)
    if rule is not None:
        return rule(a)
    used = next((f for f in BUILTIN_FIELDS if getattr(a, f) is not None), None)
    if used:
        return f"{used} belongs to the built-in kinds; kind {a.kind!r} carries attributes"
    return None


def is_builtin(kind_uid: str) -> bool:
    return kind_uid in RULES
