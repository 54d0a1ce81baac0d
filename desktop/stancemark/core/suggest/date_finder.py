"""Find date expressions in an article's text and normalise them (core.dates).

English and Chinese news forms: full and partial dates ("January 9, 2021", "January
9", "December 2016", "last August", "the 1990s", "2021-01-10", "in 2014"), weekdays
and relative words ("Thursday", "yesterday", "last week", "three years ago"), and their
Chinese counterparts (2024年5月20日, 去年八月, 昨天, 上周一). Values are resolved against
the article's date only: an undated article gets a value for absolute expressions and
None, with a note, for relative ones (never today's clock).
"""

from __future__ import annotations

import regex

from stancemark.core.builtin_kinds import DATE
from stancemark.core.dates import is_future, needs_reference, normalise_date
from stancemark.core.suggest.model import Suggestion

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|"
          r"Nov\.|Dec\.)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NUMBER_WORD = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_B = r"(?<![\p{L}\p{N}])"  # not inside a word
_E = r"(?![\p{L}\p{N}])"

_ENGLISH = [
    rf"{_YEAR}-[01]\d-[0-3]\d",
    rf"{_MONTH} {_DAY},? {_YEAR}",
    rf"{_DAY} {_MONTH},? {_YEAR}",
    rf"{_MONTH},? {_YEAR}",
    rf"(?i:last|this|next) {_MONTH}",
    rf"{_MONTH} of (?i:last|this|next) year",
    rf"{_MONTH} {_DAY}",
    rf"{_DAY} {_MONTH}",
    # A bare month; "May" only where it cannot be the verb or a name.
    r"(?<=(?i:in|since|by|until|during|from|of|early|late|mid-?|since|last|this|next) )May",
    r"(?!May)" + _MONTH,
    rf"(?i:last|this|next|this past|past) {_WEEKDAY}",
    _WEEKDAY,
    r"(?i:today|yesterday|tomorrow)",
    r"(?i:last|this|next|this past|past) (?i:week|month|year)",
    rf"(?i:{_NUMBER_WORD}) (?i:day|week|month|year)s? (?i:ago)",
    r"(?i:the )?(?:early |mid-?|late )?(?:1[6-9]\d|20\d)0s",
    # A bare year: not part of a number, an amount or a copyright line.
    rf"(?<![©$€£¥#@.,\d-] ?){_YEAR}(?![\d%,.]\d|\d| ?(?:%|percent))",
]
_CN_NUM = "[0-9０-９〇零○一二两三四五六七八九十]"
_CHINESE = [
    rf"{_CN_NUM}{{2,4}}年(?:{_CN_NUM}{{1,3}}月(?:{_CN_NUM}{{1,3}}[日号號])?)?",
    rf"(?:去年|前年|今年|本年|明年|后年|後年)?{_CN_NUM}{{1,3}}月份?(?:{_CN_NUM}{{1,3}}[日号號])?",
    r"(?:去年|前年|今年|明年|后年|後年)",
    r"(?:今天|今日|昨天|昨日|前天|明天|明日|后天|後天)",
    r"(?:上个月|上個月|上月|本月|这个月|這個月|下个月|下個月|下月)",
    r"(?:上|本|这|這|下)(?:个|個)?(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]?",
    r"(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]",
    rf"{_CN_NUM}{{1,3}}(?:天|日|周|週|个星期|個星期|个月|個月|年)(?:前|以前|之前)",
]
# Longer forms first: at one position the first alternative that matches wins.
DATE_RE = regex.compile(
    "|".join(f"{_B}(?:{p}){_E}" for p in _ENGLISH) + "|" + "|".join(_CHINESE))

NO_DATE_NOTE = "the article has no date: a relative date has no value"


def find_dates(text: str, article_date: str | None) -> list[Suggestion]:
    """Date suggestions in `text`, sorted by start, never overlapping."""
    out: list[Suggestion] = []
    for m in DATE_RE.finditer(text):
        start, end = m.span()
        quote = m.group()
        future = is_future(text, start, end)
        found = normalise_date(quote, article_date, future) if article_date else \
            normalise_date(quote, None, future)
        note = ""
        if found is None:
            if not article_date and needs_reference(quote):
                note = NO_DATE_NOTE
            else:
                note = "no value could be worked out for this date"
        value, granularity = found if found else (None, None)
        out.append(Suggestion(DATE, start, end, quote, date_value=value,
                              date_granularity=granularity, note=note))
    return out
