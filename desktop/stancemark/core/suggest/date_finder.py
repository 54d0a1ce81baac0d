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

import regex

from stancemark.core.builtin_kinds import DATE
from stancemark.core.dates import is_future
from stancemark.core.suggest.date_patterns import (
    DATE_RE_AT,
    LEAD_BACK,
    LEAD_EN,
    LEAD_ENDS,
    LEAD_ZH,
    WEEKDAYISH,
    date_re_at,
)
from stancemark.core.suggest.date_values import Value, is_relative_day, resolve, value_at
from stancemark.core.suggest.matcher import AliasMatcher
from stancemark.core.suggest.model import Suggestion, suggestions


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
    ends = LEAD_ENDS
    no_lead_end = _NO_LEAD_END
    known = DATE_RE_AT
    for p in sorted(set(triggers)):
        if p < reach:
            continue
        # an expression may start before the trigger word ("last August"): that start
        # first, then the word's own. Most have no such lead, which is told here without
        # a call (this loop runs for every trigger word of the text): no whitespace
        # before the trigger, or one space after a word that ends in no word of
        # LEAD_ENDS nor a digit (_lead_en's own test; its last six characters decide,
        # as no word of LEAD_ENDS is longer; its last one alone, most often).
        m = lead = None
        if p > reach:
            before = text[p - 1]
            if text[p].isascii():
                if before == " " and p - 2 >= reach:
                    last = text[p - 2]
                    if last not in no_lead_end and (
                            last.isspace() or last.isdigit()
                            or text[max(reach, p - 7):p - 1].casefold().endswith(ends)):
                        lead = _lead_en(text, p, reach)
                elif before.isspace():
                    lead = _lead_en(text, p, reach)
            elif before in LEAD_ZH:
                lead = _lead_zh(text, p, reach)
        if lead is not None:
            m = _match_at(text, lead)
            if m is not None and m.end() <= p:
                m = None
        if m is None:
            ch = text[p]
            pattern = known.get(ch) or date_re_at(ch)  # _match_at, inline
            if pattern is not None:
                m = pattern.match(text, p)
        if m is not None:
            span = m.span()
            out.append(span)
            reach = span[1]
    return out


def _match_at(text: str, pos: int) -> regex.Match[str] | None:
    """DATE_RE.match(text, pos), by the part of it that can start with text[pos]."""
    pattern = date_re_at(text[pos])
    return None if pattern is None else pattern.match(text, pos)


def _may_end_lead(ch: str) -> bool:
    """Whether a word ending in `ch` may pass _lead_en's test (a digit, or a word of
    LEAD_ENDS at the end once case-folded); whitespace too, as _lead_en looks past it."""
    folded = ch.casefold()
    return (ch.isspace() or ch.isdigit()
            or any(end.endswith(folded) or folded.endswith(end) for end in LEAD_ENDS))


# Characters no lead ends with: the last letters of most words before a trigger ("in",
# "of", "on"). Others take the test on the word.
_NO_LEAD_END = frozenset(ch for ch in [*map(chr, range(128)), "’", "”", "“"]
                         if not _may_end_lead(ch))


def _lead_zh(text: str, p: int, reach: int) -> int | None:
    s = p
    while s > reach and s > p - 8 and text[s - 1] in LEAD_ZH:
        s -= 1
    return s if s < p else None


def _lead_en(text: str, p: int, reach: int) -> int | None:
    """Where LEAD_EN finds a lead before p (not before `reach`), or None. Every lead
    ends in a word of LEAD_ENDS (or a digit) and whitespace: most triggers stand after
    another word ("in January", "on Thursday"), which this tells without the pattern's
    search (that was half of finding the dates of a long article)."""
    lo = max(reach, p - LEAD_BACK)
    if p <= lo or not text[p - 1].isspace():
        return None
    word = text[lo:p].rstrip()
    if not word or not (word[-1].isdigit() or word.casefold().endswith(LEAD_ENDS)):
        return None
    lead = LEAD_EN.search(text, lo, p)
    return None if lead is None else lead.start()


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
    rows: list[tuple[str, int, int, str, None, str | None, str | None, str, str]] = []
    latest: str | None = None  # the latest day named so far
    # Within this call, per expression: what does not depend on where it stands (a long
    # article names the same few dates hundreds of times).
    facts: dict[str, tuple[Value, bool, bool]] = {}
    resolved: dict[tuple[str, str | None, bool], Value] = {}
    weeks: dict[str, bool] = {}  # day -> within the week before the article's date
    for i, (start, end) in enumerate(spans):
        quote = text[start:end]
        fact = facts.get(quote)
        if fact is None:
            absolute = value_at(quote, None)  # an absolute date needs no reference
            relative = absolute[0] is None
            fact = facts[quote] = (
                absolute,
                relative and by_day and is_relative_day(quote, article_date or ""),
                # tense matters only for weekdays ("will meet on Monday")
                relative and bool(WEEKDAYISH.search(quote)))
        found, relative_day, weekdayish = fact
        reference, why = article_date, ""
        if found[0] is None:
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
        if granularity == "day":
            latest = value
        rows.append((DATE, start, end, quote, None, value, granularity, note, ""))
    return suggestions(rows)


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
