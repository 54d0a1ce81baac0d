"""Find date expressions in an article's text and normalise them (core.dates).

English and Chinese news forms: full and partial dates ("January 9, 2021", "January
9", "December 2016", "last August", "the 1990s", "2021-01-10", "in 2014"), weekdays
and relative words ("Thursday", "yesterday", "last week", "three years ago"), and their
Chinese counterparts (2024年5月20日, 去年八月, 昨天, 上周一). Values are resolved against
the article's date only: an undated article gets a value for absolute expressions and
None, with a note, for relative ones (never today's clock).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from stancemark.core.builtin_kinds import DATE
from stancemark.core.dates import is_future, needs_reference, normalise_date
from stancemark.core.suggest.date_patterns import DATE_RE, LEAD_BACK, LEAD_EN, LEAD_ZH
from stancemark.core.suggest.matcher import AliasMatcher
from stancemark.core.suggest.model import Suggestion

NO_DATE_NOTE = "the article has no date: a relative date has no value"


@functools.cache
def _trigger_finder() -> AliasMatcher:
    """An automaton of the trigger words alone, for `find_dates` called without a
    register's pass."""
    return AliasMatcher(())


def find_spans(text: str, triggers: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of the date expressions in `text`, sorted, never overlapping.
    `triggers`: the start offsets of TRIGGER_WORDS in `text`, when a pass over it
    has found them already."""
    if triggers is None:
        triggers = _trigger_finder().scan(text)[1]
    out: list[tuple[int, int]] = []
    reach = 0
    for p in sorted(set(triggers)):
        if p < reach:
            continue
        for s in _starts(text, p, reach):
            m = DATE_RE.match(text, s)
            if m is not None and m.end() > p:
                out.append(m.span())
                reach = m.end()
                break
    return out


def _starts(text: str, p: int, reach: int) -> list[int]:
    """Where an expression holding the trigger word at p may start: before it (the
    earliest first), then at p."""
    starts = []
    if text[p].isascii():
        lead = LEAD_EN.search(text, max(reach, p - LEAD_BACK), p)
        if lead is not None:
            starts.append(lead.start())
    else:
        s = p
        while s > reach and s > p - 8 and text[s - 1] in LEAD_ZH:
            s -= 1
        if s < p:
            starts.append(s)
    starts.append(p)
    return starts


def find_dates(text: str, article_date: str | None,
               triggers: Iterable[int] | None = None) -> list[Suggestion]:
    """Date suggestions in `text`, sorted by start, never overlapping."""
    out: list[Suggestion] = []
    for start, end in find_spans(text, triggers):
        quote = text[start:end]
        found = _value(quote, article_date, False)
        if found != _value(quote, article_date, True):  # tense matters ("will meet Monday")
            found = _value(quote, article_date, is_future(text, start, end))
        value, granularity, note = found
        out.append(Suggestion(DATE, start, end, quote, date_value=value,
                              date_granularity=granularity, note=note))
    return out


@functools.lru_cache(maxsize=4096)
def _value(quote: str, article_date: str | None, future: bool
           ) -> tuple[str | None, str | None, str]:
    found = normalise_date(quote, article_date or None, future)
    if found is not None:
        return found[0], found[1], ""
    if not article_date and needs_reference(quote):
        return None, None, NO_DATE_NOTE
    return None, None, "no value could be worked out for this date"
