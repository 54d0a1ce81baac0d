"""The value of a date expression found in an article (core.dates does the normalising).

Against the article's date; against a coarse one (only a year or a month), the value
that holds wherever in that period the article falls, else none with a note; a month
named without a year in an article dated by its year alone is that year's. An undated
article gives a value to absolute expressions only, never one from today's clock.
"""

from __future__ import annotations

import calendar
import functools

import regex

from stancemark.core.dates import needs_reference, normalise_date

NO_DATE_NOTE = "the article has no date: a relative date has no value"
NO_VALUE_NOTE = "no value could be worked out for this date"
_PAST = regex.compile(r"(?i)\b(?:this )?past (week|month|year)\b")
_RELATIVE_WORD = regex.compile(r"(?i)\b(?:last|next|this|past|ago)\b|[去明上下本今前后後这這昨]")

Value = tuple[str | None, str | None, str]  # (ISO value, granularity, note)


@functools.lru_cache(maxsize=8192)
def value_at(quote: str, reference: str | None, future: bool = False) -> Value:
    """The value of `quote` against one reference date (or none)."""
    expression = _PAST.sub(r"last \1", quote)  # "this past week" is the last one
    found = normalise_date(expression, reference, future)
    if found is not None:
        return found[0], found[1], ""
    if reference is None and needs_reference(expression):
        return None, None, NO_DATE_NOTE
    return None, None, NO_VALUE_NOTE


def _period(article_date: str) -> tuple[str, str] | None:
    """The first and last day of a year or month date."""
    try:
        year = int(article_date[:4])
        if len(article_date) == 4:
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        month = int(article_date[5:7])
        last = calendar.monthrange(year, month)[1]
    except (ValueError, IndexError, calendar.IllegalMonthError):
        return None
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


@functools.lru_cache(maxsize=8192)
def resolve(quote: str, article_date: str | None, future: bool = False) -> Value:
    """The value of `quote` in an article of this date (ISO day, month, year or None)."""
    if not article_date or len(article_date) >= 10:
        return value_at(quote, article_date or None, future)
    period = _period(article_date)
    if period is None:
        return value_at(quote, None, future)
    first, last = (value_at(quote, day, future) for day in period)
    if first == last:
        return first
    if (len(article_date) == 4 and first[0] and last[0] and first[0][4:] == last[0][4:]
            and not _RELATIVE_WORD.search(quote)):
        # "In August" in a 2025 article: news name the months of their own year bare.
        return value_at(quote, f"{article_date}-07-01", future)
    return None, None, f"the article's date ({article_date}) is too coarse to place this date"


def is_relative_day(quote: str, article_date: str) -> bool:
    """A day that only the reference fixes: "today", "Monday", "yesterday"."""
    return value_at(quote, None)[0] is None and value_at(quote, article_date)[1] == "day"
