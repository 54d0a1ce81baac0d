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
from datetime import date

from stancemark.core.builtin_kinds import DATE
from stancemark.core.dates import is_future
from stancemark.core.suggest.date_patterns import (
    DATE_RE,
    LEAD_BACK,
    LEAD_EN,
    LEAD_ZH,
    WEEKDAYISH,
)
from stancemark.core.suggest.date_values import is_relative_day, resolve, value_at
from stancemark.core.suggest.matcher import AliasMatcher
from stancemark.core.suggest.model import Suggestion


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
    """Date suggestions in `text`, sorted by start, never overlapping.

    A relative day in a quotation ("Today I announce ...") is the day the words were
    said: the latest day the article named before the quotation, when that is within a
    week of the article's date; one in a paragraph that ends with a full date (an
    embedded post: "... – Secretary Pompeo (@SecPompeo) January 9, 2021") is that date's.
    Both only in an article dated to the day: the article's date bounds the search.
    """
    spans = find_spans(text, triggers)
    by_day = bool(article_date) and len(article_date or "") >= 10
    posts = _post_dates(text, spans) if by_day else {}
    out: list[Suggestion] = []
    latest: str | None = None  # the latest day named so far
    for i, (start, end) in enumerate(spans):
        quote = text[start:end]
        reference, why = article_date, ""
        found = value_at(quote, None)  # an absolute date needs no reference (cached by quote)
        if found[0] is None:
            if by_day and article_date and is_relative_day(quote, article_date):
                if i in posts:
                    reference, why = posts[i], "the date of the post it is in"
                elif latest and _within_week(latest, article_date) and _in_quotation(text, start):
                    reference, why = latest, "the day the quoted words were said"
            # tense matters only for weekdays ("will meet on Monday")
            future = bool(WEEKDAYISH.search(quote)) and is_future(text, start, end)
            found = resolve(quote, reference, future)
        value, granularity, note = found
        if why and value:
            note = f"placed against {reference}, {why}"
        if granularity == "day":
            latest = value
        out.append(Suggestion(DATE, start, end, quote, date_value=value,
                              date_granularity=granularity, note=note))
    return out


def _post_dates(text: str, spans: list[tuple[int, int]]) -> dict[int, str]:
    """Span index -> the full date closing its paragraph, for the spans before it."""
    out: dict[int, str] = {}
    group: list[int] = []
    for i, (start, end) in enumerate(spans):
        group.append(i)
        para_end = text.find("\n", end)
        para_end = len(text) if para_end < 0 else para_end
        nxt = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        if nxt < para_end:
            continue  # not the paragraph's last date
        value, granularity, _ = value_at(text[start:end], None)
        if granularity == "day" and value and not text[end:para_end].strip(" \t.,;:)]”\"’'"):
            out.update((j, value) for j in group[:-1])
        group = []
    return out


def _within_week(day: str, article_date: str) -> bool:
    try:
        gap = (date.fromisoformat(article_date[:10]) - date.fromisoformat(day)).days
    except ValueError:
        return False
    return 0 < gap <= 7


def _in_quotation(text: str, pos: int) -> bool:
    """Whether pos is inside quotation marks of its paragraph (“...” or "...")."""
    para = text.rfind("\n", 0, pos) + 1
    before = text[para:pos]
    curly = max(before.rfind("“"), before.rfind("”"))
    if curly >= 0:
        return before[curly] == "“"
    return before.count('"') % 2 == 1
