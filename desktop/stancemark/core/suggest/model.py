"""A suggestion: a span the register or the calendar proposes, not yet a tag."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from typing import Any, NamedTuple


class Suggestion(NamedTuple):
    """Immutable, compared and hashed by its fields. A named tuple rather than a frozen
    dataclass: a long article makes tens of thousands of them per computation, and a
    tuple is built in C (`Suggestion._make` over zipped columns) where a frozen
    dataclass's __init__ sets each field through object.__setattr__ (most of the cost
    of suggesting a 1 MB article was that)."""

    kind: str  # a built-in kind: "actor" or "date"
    start: int  # code points, half-open, like annotations
    end: int
    quote: str  # text[start:end]
    actor_uid: str | None = None
    date_value: str | None = None  # ISO value; None when it cannot be known
    date_granularity: str | None = None
    note: str = ""  # one line for the popup or status bar
    alias: str = ""  # actor: the register name or alias that matched (for learning)

    @property
    def key(self) -> str:
        """Stable within an article: a rejection is stored under it."""
        return f"{self.kind}|{self.start}|{self.end}|{self.actor_uid or self.date_value or ''}"


def suggestions(rows: Iterable[tuple[Any, ...]]) -> list[Suggestion]:
    """Suggestions of rows of all nine fields in order, made in C (no __new__ call in
    Python per row)."""
    return list(map(tuple.__new__, repeat(Suggestion), rows))
