"""Stances per period (week, month, year), split by polarity: the timeline's numbers.

Pure Python over the network's columns (core.network.Statements), so the timeline
costs one pass over the stances already loaded. Every period from the first dated
stance to the last is listed, empty ones too, so gaps show as gaps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from itertools import compress

from stancemark.core.network import OPEN_END, Statements
from stancemark.core.periods import next_period, period_start, periods_between


@dataclass(frozen=True)
class Timeline:
    unit: str
    periods: list[int]  # first day of each period
    counts: list[tuple[int, int, int]]  # (support, oppose, neutral) per period
    undated: int  # stances without any date (not in a period)

    def total(self) -> int:
        return sum(map(sum, self.counts))

    def bounds(self, i: int) -> tuple[int, int]:
        """(first, last) day of period i."""
        return self.periods[i], next_period(self.periods[i], self.unit) - 1


def timeline(st: Statements, unit: str, holders: Collection[int] | None = None,
             topics: Collection[int] | None = None, first_day: int = 0,
             last_day: int = OPEN_END) -> Timeline:
    """Counts of the stances (of these holders, on these topics, in these days)."""
    keep = None
    if holders is not None:
        wanted = set(holders)
        keep = [h in wanted for h in st.holder]
    if topics is not None:
        wanted_t = set(topics)
        by_topic = [t in wanted_t for t in st.topic]
        keep = by_topic if keep is None else [a and b for a, b in zip(keep, by_topic,
                                                                      strict=True)]
    days_mask = st.mask(first_day, last_day)
    if days_mask is not None:
        keep = days_mask if keep is None else [a and b for a, b in zip(keep, days_mask,
                                                                       strict=True)]
    day = st.day if keep is None else list(compress(st.day, keep))
    pol = st.polarity if keep is None else list(compress(st.polarity, keep))
    starts = {d: period_start(d, unit) for d in set(day)}
    tally = Counter(zip(map(starts.__getitem__, day), pol, strict=True))
    undated = sum(n for (p, _), n in tally.items() if p == 0)
    dated = [p for p, _ in tally if p]
    periods = periods_between(min(dated), max(dated), unit) if dated else []
    counts = [(tally.get((p, 0), 0), tally.get((p, 1), 0), tally.get((p, 2), 0))
              for p in periods]
    return Timeline(unit, periods, counts, undated)
