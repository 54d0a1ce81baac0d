"""What the stance and mention tables show: the filter every discourse view shares.

One filter value drives the stance table, the network, the timeline, the command line
(`stancemark stances`, `stancemark mentions`, the network export) and the window's
export of the filtered rows, so they always agree on which stances are meant. The
store turns it into SQL (store/stance_query.py).

Text fields match case-insensitively and by substring: `holder="beij"` finds the
stances of every actor whose name or one of whose aliases contains "beij". `search`
and `title` are full-text queries (words as prefixes, all required). Dates are ISO of
any precision and compare by prefix (`date_to="2021"` keeps all of 2021); a stance's
date is its own stance date, else its article's date.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from stancemark.core.errors import StancemarkError
from stancemark.core.model import POLARITIES
from stancemark.core.periods import check_bound

# Columns the tables sort by (the store maps each to an SQL expression).
STANCE_SORTS: tuple[str, ...] = ("holder", "target", "polarity", "date", "title", "published",
                                 "quote", "annotator", "created")
MENTION_SORTS: tuple[str, ...] = ("actor", "quote", "title", "published", "annotator", "created")


@dataclass(frozen=True)
class StanceFilter:
    holder: str = ""  # name or alias contains (stances); the actor (mentions)
    target: str = ""  # topic, or actor by name or alias
    polarity: tuple[str, ...] = ()  # any of these
    date_from: str = ""  # the stance's date (its own, else its article's)
    date_to: str = ""
    published_from: str = ""  # the article's date
    published_to: str = ""
    annotators: tuple[str, ...] = ()  # annotator names; empty: everyone
    search: str = ""  # full text of the article (title and text)
    title: str = ""  # words of the article's title
    quote: str = ""  # the tagged text contains
    note: str = ""  # the stance's note contains
    # (codebook attribute name, value as typed) pairs, all required; the value is read
    # by the attribute's type (a vocabulary name, "yes", "3", an ISO date ...)
    attributes: tuple[tuple[str, str], ...] = ()
    holder_uids: tuple[str, ...] | None = None  # exactly these holders (a network click)
    topic_uids: tuple[str, ...] | None = None  # exactly these target topics
    article_uids: tuple[str, ...] | None = None  # only these articles (an export's scope)

    def check(self) -> StanceFilter:
        bad = set(self.polarity) - set(POLARITIES)
        if bad:
            raise StancemarkError(f"unknown polarity {sorted(bad)[0]!r} "
                                  f"(use {', '.join(POLARITIES)})")
        for name in ("date_from", "date_to", "published_from", "published_to"):
            check_bound(getattr(self, name))
        return self

    def with_(self, **changes: Any) -> StanceFilter:
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return self == StanceFilter()

    def describe(self) -> str:
        """A short human summary ("holder: Beijing; polarity: oppose"), for titles."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value in ("", (), None):
                continue
            if isinstance(value, tuple):
                value = ", ".join("=".join(v) if isinstance(v, tuple) else str(v)
                                  for v in value[:3]) + ("…" if len(value) > 3 else "")
            parts.append(f"{f.name.replace('_', ' ')}: {value}")
        return "; ".join(parts) or "all"


@dataclass(frozen=True, slots=True)
class StanceRow:
    """One line of the stance table."""

    id: int  # the store's row id: the table model's key, never shown or exported
    uid: str
    article_uid: str
    title: str
    published: str
    start: int
    end: int
    quote: str
    holder: str
    holder_uid: str
    target: str
    target_uid: str
    target_kind: str  # "topic", "actor" or "" (not set yet)
    polarity: str
    stance_date: str  # its own date, "" when it takes its article's
    date: str  # the date it counts under: its own, else its article's
    annotator: str
    note: str
    meta: dict[str, Any]
    attributes: dict[str, Any]  # {codebook attribute uid: stored value}


@dataclass(frozen=True, slots=True)
class MentionRow:
    """One line of the actor mention table: which text was linked to which actor."""

    id: int
    uid: str
    article_uid: str
    title: str
    published: str
    start: int
    end: int
    quote: str
    actor: str
    actor_uid: str
    actor_kind: str
    annotator: str
