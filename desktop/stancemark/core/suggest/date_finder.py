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
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from datetime import date
from itertools import compress, islice, repeat
from operator import is_, itemgetter
from typing import cast

import regex

from stancemark.core.builtin_kinds import DATE
from stancemark.core.dates import is_future
from stancemark.core.suggest.date_patterns import (
    LEAD_BACK,
    LEAD_EN,
    LEAD_ZH,
    NO_LEAD_END,
    WEEKDAYISH,
    date_re_at,
    may_end_lead,
)
from stancemark.core.suggest.date_values import Value, is_relative_day, resolve, value_at
from stancemark.core.suggest.matcher import AliasMatcher
from stancemark.core.suggest.model import Suggestion, suggestions


@functools.cache
def _trigger_finder() -> AliasMatcher:
    """An automaton of the trigger words alone, for `find_dates` called without a
    register's pass."""
    return AliasMatcher(())


def find_spans(text: str, triggers: Iterable[int] | None = None,
               leadless: Collection[int] = ()) -> list[tuple[int, int]]:
    """(start, end) of the date expressions in `text`, sorted, never overlapping.
    `triggers`: the start offsets of TRIGGER_WORDS in `text`, when a pass over it
    has found them already; `leadless`: those of them before which no expression can
    start (hit_arrays._leadless), for which the lead is not looked for."""
    if triggers is None:
        triggers = _trigger_finder().scan(text)[1]
    out: list[tuple[int, int]] = []
    reach = 0
    no_lead_end = NO_LEAD_END
    no_lead = set(leadless)
    starts = sorted(set(triggers))
    # The pattern's match at every trigger, by C-level maps (a few more than the loop
    # uses: those inside an expression found before them; a match changes nothing).
    chars = list(map(text.__getitem__, starts))
    known = list(map(_PATTERN_AT.get, chars))
    patterns = ([p or _pattern_at(c) for p, c in zip(known, chars, strict=True)]
                if None in known else cast("list[regex.Pattern[str]]", known))
    at_trigger = list(map(_MATCH, patterns, repeat(text), starts))
    for p, m in zip(starts, at_trigger, strict=True):
        if p < reach:
            continue
        # an expression may start before the trigger word ("last August"): that start
        # first, then the word's own. Most have no such lead, which is told here without
        # a call (this loop runs for every trigger word of the text): no whitespace
        # before the trigger, or one space after a word that neither may_end_lead
        # passes nor ends in a digit (_lead_en's own test; its last six characters
        # decide, as no word of LEAD_ENDS is longer; its last one alone, most often).
        if p > reach and p not in no_lead:
            lead = None
            before = text[p - 1]
            if text[p].isascii():
                if before == " " and p - 2 >= reach:
                    last = text[p - 2]
                    if last not in no_lead_end and (
                            last.isspace() or last.isdigit()
                            or may_end_lead(text[max(reach, p - 7):p - 1])) and (
                            text[p] in _AFTER_THE or text[p - 4:p - 1] not in _THE):
                        lead = _lead_en(text, p, reach)
                elif before.isspace():
                    lead = _lead_en(text, p, reach)
            elif before in LEAD_ZH:
                lead = _lead_zh(text, p, reach)
            if lead is not None:
                led = _match_at(text, lead)
                if led is not None and led.end() > p:
                    m = led
        if m is not None:
            span = m.span()
            out.append(span)
            reach = span[1]
    return out


# The lead "the " ("the 1990s", "the December"): the one expression that starts with
# it is a decade's, "the " then "early ", "mid", "late " or the decade's 1 or 2 (a
# lower-case e, m or l: those words are not case-folded in the pattern). Before any
# other trigger ("the Today", "the December 2021", most of the leads a long article has)
# no lead can change the match, and neither the lead nor the pattern is searched.
_THE = frozenset(("the", "The", "THE"))
_AFTER_THE = frozenset("12eml")

# date_re_at's pattern per character, one that never matches for None: for map().
_NEVER = regex.compile(r"(?!)")
_PATTERN_AT: dict[str, regex.Pattern[str]] = {}
_MATCH: Callable[[regex.Pattern[str], str, int], regex.Match[str] | None] = regex.Pattern.match


def _pattern_at(ch: str) -> regex.Pattern[str]:
    found = date_re_at(ch) or _NEVER
    if len(_PATTERN_AT) < 4096:
        _PATTERN_AT[ch] = found
    return found


def _match_at(text: str, pos: int) -> regex.Match[str] | None:
    """DATE_RE.match(text, pos), by the part of it that can start with text[pos]."""
    pattern = date_re_at(text[pos])
    return None if pattern is None else pattern.match(text, pos)


def _lead_zh(text: str, p: int, reach: int) -> int | None:
    s = p
    while s > reach and s > p - 8 and text[s - 1] in LEAD_ZH:
        s -= 1
    return s if s < p else None


def _lead_en(text: str, p: int, reach: int) -> int | None:
    """Where LEAD_EN finds a lead before p (not before `reach`), or None. Every lead
    ends in a word may_end_lead passes (or a digit) and whitespace: most triggers stand after
    another word ("in January", "on Thursday"), which this tells without the pattern's
    search (that was half of finding the dates of a long article)."""
    lo = max(reach, p - LEAD_BACK)
    if p <= lo or not text[p - 1].isspace():
        return None
    word = text[lo:p].rstrip()
    if not word or not (word[-1].isdigit() or may_end_lead(word)):
        return None
    lead = LEAD_EN.search(text, lo, p)
    return None if lead is None else lead.start()


def find_dates(text: str, article_date: str | None,
               triggers: Iterable[int] | None = None,
               leadless: Collection[int] = ()) -> list[Suggestion]:
    """Date suggestions in `text`, sorted by start, never overlapping.

    A relative day in a quotation ("Today I announce ...") is the day the words were
    said: the latest day the article named before the quotation, when that is within a
    week of the article's date; one in a paragraph that ends with a full date (an
    embedded post: "... – Secretary Pompeo (@SecPompeo) January 9, 2021") is that date's.
    Both only in an article dated to the day: the article's date bounds the search.
    """
    spans = find_spans(text, triggers, leadless)
    by_day = bool(article_date) and len(article_date or "") >= 10
    quotes = [text[a:b] for a, b in spans]
    # Within this call, per expression: what does not depend on where it stands (a long
    # article names the same few dates hundreds of times).
    facts: dict[str, tuple[Value, bool, bool]] = {}
    for quote in dict.fromkeys(quotes):
        absolute = value_at(quote, None)  # an absolute date needs no reference
        relative = absolute[0] is None
        facts[quote] = (
            absolute,
            relative and by_day and is_relative_day(quote, article_date or ""),
            # tense matters only for weekdays ("will meet on Monday")
            relative and bool(WEEKDAYISH.search(quote)))
    # Each span's (value, granularity, note) by lookup where it does not depend on
    # where the span stands: an absolute expression's, and a relative one's that is
    # neither a day the context may place nor a weekday ("in August", "last week").
    # Only the others need a loop, in order, as they may be placed against the latest
    # day named before them.
    fixed: dict[str, Value] = {}
    for quote, (absolute, relative_day, weekdayish) in facts.items():
        if absolute[0] is not None:
            fixed[quote] = absolute
        elif not relative_day and not weekdayish:
            fixed[quote] = resolve(quote, article_date, False)
    # (C-level maps over the spans: a long article has thousands)
    found_at: list[Value | None] = list(map(fixed.get, quotes))
    placed_at = list(compress(range(len(quotes)), map(is_, found_at, repeat(None))))
    if placed_at:
        posts = {}
        if by_day:
            absolute_of = {quote: found[0] for quote, found in facts.items()}
            posts = _post_dates(text, spans, list(map(absolute_of.__getitem__, quotes)))
        on_a_day = {quote for quote, found in fixed.items()
                    if found[1] == "day" and found[0] is not None}
        days = list(compress(range(len(quotes)), map(on_a_day.__contains__, quotes)))
        _place_relative(text, article_date, spans, quotes, facts, found_at, placed_at, posts,
                        days)
    values = cast("list[Value]", found_at)  # every one placed now
    return suggestions(zip(
        repeat(DATE), map(_FIRST, spans), map(_SECOND, spans), quotes, repeat(None),
        map(_FIRST, values), map(_SECOND, values), map(_THIRD, values), repeat(""),
        strict=False))


_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)


def _place_relative(text: str, article_date: str | None, spans: list[tuple[int, int]],
                    quotes: list[str], facts: dict[str, tuple[Value, bool, bool]],
                    found_at: list[Value | None], placed_at: list[int], posts: dict[int, str],
                    days: list[int]) -> None:
    """The values of the expressions at `placed_at` (None in found_at) into found_at.
    The latest day named before each: the last of the others on a day (`days`, their
    indices: by bisection) or the last of these placed on a day, whichever is later."""
    resolved: dict[tuple[str, str | None, bool], Value] = {}
    weeks: dict[str, bool] = {}  # day -> within the week before the article's date
    last_day, last_value = -1, None  # the last relative expression placed on a day
    for i in placed_at:
        k = bisect_left(days, i) - 1
        if k >= 0 and days[k] > last_day:
            latest = found_at[days[k]][0]  # type: ignore[index]
        else:
            latest = last_value if last_day >= 0 else None
        quote = quotes[i]
        _absolute, relative_day, weekdayish = facts[quote]
        start, end = spans[i]
        reference, why = article_date, ""
        if relative_day:
            if i in posts:
                reference, why = posts[i], "the date of the post it is in"
            elif latest and _within_week(latest, article_date or "", weeks) \
                    and _in_quotation(text, start):
                reference, why = latest, "the day the quoted words were said"
        future = weekdayish and is_future(text, start, end)
        key = (quote, reference, future)
        found = resolved.get(key) or resolved.setdefault(key, resolve(*key))
        value, granularity, note = found
        if why and value:
            note = f"placed against {reference}, {why}"
        found_at[i] = (value, granularity, note)
        if granularity == "day":
            last_day, last_value = i, value


def _post_dates(text: str, spans: list[tuple[int, int]], found_at: list[Value]
                ) -> dict[int, str]:
    """Span index -> the full date closing its paragraph, for the spans before it.
    found_at: each span's value without a reference."""
    out: dict[int, str] = {}
    if not spans:
        return out
    ends = list(map(_SECOND, spans))
    # The line break after each span before the next one's start, -1 where there is
    # none (not the paragraph's last date; a span never starts with "\n"): searched by
    # a C-level map, so that the loop runs per paragraph, not per date.
    breaks = list(map(text.find, repeat("\n"), ends, map(_FIRST, islice(spans, 1, None))))
    tail = text.find("\n", ends[-1])  # the last date closes its paragraph
    breaks.append(len(text) if tail < 0 else tail)
    first = 0  # the paragraph's first span
    for i in compress(range(len(spans)), map((0).__le__, breaks)):
        end, para_end = ends[i], breaks[i]
        value, granularity, _ = found_at[i]
        if granularity == "day" and value and not text[end:para_end].strip(" \t.,;:)]”\"’'"):
            out.update((j, value) for j in range(first, i))
        first = i + 1
    return out


def _within_week(day: str, article_date: str, known: dict[str, bool]) -> bool:
    found = known.get(day)
    if found is None:
        try:
            gap = (date.fromisoformat(article_date[:10]) - date.fromisoformat(day)).days
        except ValueError:
            gap = 0
        found = known[day] = 0 < gap <= 7
    return found


def _in_quotation(text: str, pos: int) -> bool:
    """Whether pos is inside quotation marks of its paragraph (“...” or "...")."""
    para = text.rfind("\n", 0, pos) + 1
    curly = max(text.rfind("“", para, pos), text.rfind("”", para, pos))
    if curly >= 0:
        return text[curly] == "“"
    return text.count('"', para, pos) % 2 == 1
