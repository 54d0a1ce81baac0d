"""A suggestion: a span the register or the calendar proposes, not yet a tag."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suggestion:
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
