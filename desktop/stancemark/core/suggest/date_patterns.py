"""The shapes of date expressions in news text (English and Chinese), and the words
that every one of them contains: an automaton pass finds those words, and the full
pattern is tried only near them (core/suggest/date_finder.py)."""

from __future__ import annotations

import string
from typing import Any

import regex

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|"
          r"Nov\.|Dec\.)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NUMBER_WORD = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_B = r"(?<![\p{L}\p{N}])"  # not inside a word
_E = r"(?![\p{L}\p{N}])"

# What may follow a month name in the expressions that start with one (in the order of
# _ENGLISH below; the bare month is the last).
_MONTH_TAILS = (rf" {_DAY},? {_YEAR}", rf",? {_YEAR}", r" of (?i:last|this|next) year",
                rf" {_DAY}")
_ENGLISH = [
    rf"{_YEAR}-[01]\d-[0-3]\d",
    rf"{_MONTH}{_MONTH_TAILS[0]}",
    rf"{_DAY} {_MONTH},? {_YEAR}",
    rf"{_MONTH}{_MONTH_TAILS[1]}",
    rf"(?i:last|this|next) {_MONTH}",
    rf"{_MONTH}{_MONTH_TAILS[2]}",
    rf"{_MONTH}{_MONTH_TAILS[3]}",
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
# Longer forms first: at one position the first alternative that matches wins. The word
# edges are tested once around the English group (where one alternative fails at the
# end edge the next is tried, as if each had its own): a fifth less per match.
DATE_RE = regex.compile(
    f"{_B}(?:" + "|".join(f"(?:{p})" for p in _ENGLISH) + f"){_E}|" + "|".join(_CHINESE))

# What each alternative's match can start with, as a pattern of the same dialect (so
# that its case-insensitive letters fold as the alternative's do); tests check each
# against every character of the Basic Multilingual Plane.
_MONTH_HEAD = "[JFMASOND]"
_ENGLISH_HEADS = ("[12]", _MONTH_HEAD, "[0-9]", _MONTH_HEAD, "(?i:[ltn])", _MONTH_HEAD,
                  _MONTH_HEAD, "[0-9]", "M", _MONTH_HEAD, "(?i:[ltnp])", "[MTWFS]", "(?i:[ty])",
                  "(?i:[ltnp])", r"\d|(?i:[aotfsen])", "(?i:t)|[eml12]", "[12]")
_CHINESE_HEADS = (_CN_NUM, "[去前今本明后後]|" + _CN_NUM, "[去前今明后後]", "[今昨前明后後]",
                  "[上本这這下]", "[上本这這下]", "[周週星礼禮]", _CN_NUM)
_MONTH_STARTS = (1, 3, 5, 6, 9)  # the alternatives that start with a month name ...
_MONTH_NAMES = _MONTH[3:-1].split("|")  # ... one of these, of which one at most matches
_HEADS = [regex.compile(h) for h in _ENGLISH_HEADS + _CHINESE_HEADS]
DATE_RE_AT: dict[str, regex.Pattern[str] | None] = {}  # date_re_at's answers so far
_UNSEEN: Any = object()
_SUBSETS: dict[tuple[tuple[int, ...], tuple[str, ...]], regex.Pattern[str] | None] = {}


def date_re_at(ch: str) -> regex.Pattern[str] | None:
    """DATE_RE for a position where `ch` stands: only its alternatives that can start
    with `ch` (None if none can). It matches there what DATE_RE matches: DATE_RE tries
    its alternatives in order and the first that matches wins, and the ones left out
    fail at once. Where the alternatives that start with a month name follow one
    another, they share that name, as its one possible spelling at the position is the
    same for each. A match of DATE_RE tries every alternative; one of these, a few
    (the 1 MB article's trigger words: 2.6 -> 1.2 µs each, a month name 2.0 -> 0.7)."""
    found = DATE_RE_AT.get(ch, _UNSEEN)
    if found is _UNSEEN:
        kept = tuple(i for i, head in enumerate(_HEADS) if head.match(ch))
        months = tuple(m for m in _MONTH_NAMES if m.startswith(ch))
        found = _SUBSETS.get((kept, months), _UNSEEN)
        if found is _UNSEEN:
            found = _SUBSETS[kept, months] = _compile_subset(kept, months)
        if len(DATE_RE_AT) < 4096:
            DATE_RE_AT[ch] = found
    return found


def _compile_subset(kept: tuple[int, ...], months: tuple[str, ...]
                    ) -> regex.Pattern[str] | None:
    english = [i for i in kept if i < len(_ENGLISH)]
    parts = [f"(?:{_ENGLISH[i]})" for i in english]
    first = next((j for j, i in enumerate(english) if i in _MONTH_STARTS), None)
    if (first is not None and tuple(english[first:first + 5]) == _MONTH_STARTS
            and months and "May" not in months):
        # one month name, then the tails in order; (?!May) cannot fail here
        tails = "|".join(f"(?:{t})" for t in _MONTH_TAILS)
        parts[first:first + 5] = [f"(?:{'|'.join(months)})(?:{tails}|)"]
    chinese = [_CHINESE[i - len(_ENGLISH)] for i in kept if i >= len(_ENGLISH)]
    branches = ([f"{_B}(?:" + "|".join(parts) + f"){_E}"] if parts else []) + chinese
    return regex.compile("|".join(branches)) if branches else None


# Words every date expression contains (folded: lower case), found by one automaton pass
# (the register's, when there is one); the full pattern is then tried only near them.
_UNITS = ("week", "month", "year")
TRIGGER_WORDS: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.",
    "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tomorrow", "ago",
    *(f"{w} {u}" for w in ("last", "this", "next", "past") for u in _UNITS),
    *(str(y) for y in range(1600, 2100)),
    "年", "月", "日", "号", "號", "周", "週", "星期", "礼拜", "禮拜", "天",
)
# What may stand before a trigger word in the same expression ("this past Monday", "the
# early 1990s", "9 January", "three years ago"), matched backwards from the trigger.
# (The lookahead names what every alternative starts with: the search tries each position
# of its window, most of which it rules out with that at once.)
LEAD_EN = regex.compile(
    r"(?<![\p{L}\p{N}])(?=(?i:[tlnpemaofs])|\d)"
    r"(?:(?i:this past|last|this|next|past|(?:the )?(?:early|late|mid-?)|the)"
    r"\s+|(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+|"
    r"(?i:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?i:day|week|month|year)s?\s+)$")
LEAD_BACK = 24
# How every LEAD_EN match's last word ends (before its whitespace), case-folded; a day
# number's digit aside (date_finder._lead tests this before searching) ...
LEAD_WORD_ENDS = ("past", "last", "this", "next", "early", "late", "mid", "-", "the", "day",
                  "days", "week", "weeks", "month", "months", "year", "years")
# ... or a day number's ordinal suffix, which the pattern takes in lower case right after
# a digit ("21st "): "and", "with" or "first" end with one but after a letter, and were
# a quarter of the lead searches of a long article, all in vain.
ORDINALS = ("st", "nd", "rd", "th")
LEAD_ENDS = LEAD_WORD_ENDS + ORDINALS
_ASCII_LETTERS = frozenset(string.ascii_letters)


def may_end_lead(word: str) -> bool:
    """Whether a LEAD_EN match may end with `word` (before its whitespace), a digit aside:
    it ends in a word of LEAD_WORD_ENDS once case-folded, or in an ordinal suffix not
    after an ASCII letter (no digit is one). A test that passes more than the pattern
    would, never less: where it fails, the search is not needed."""
    return (word.casefold().endswith(LEAD_WORD_ENDS)
            or (word.endswith(ORDINALS) and word[-3:-2] not in _ASCII_LETTERS))
# ... and in Chinese: numerals and the relative words' first characters (二〇二四年, 去年,
# 上个星期, 三天前).
LEAD_ZH = frozenset("0123456789０１２３４５６７８９〇零○一二两三四五六七八九十去前今本明后後上这這下个個昨")


def _may_end_lead(ch: str) -> bool:
    """Whether a word ending in `ch` may pass date_finder._lead_en's test (a digit, or a word of
    LEAD_ENDS at the end once case-folded); whitespace too, as date_finder._lead_en looks past it."""
    folded = ch.casefold()
    return (ch.isspace() or ch.isdigit()
            or any(end.endswith(folded) or folded.endswith(end) for end in LEAD_ENDS))


# Characters no lead ends with: the last letters of most words before a trigger ("in",
# "of", "on"). Others take the test on the word.
NO_LEAD_END = frozenset(ch for ch in [*map(chr, range(128)), "’", "”", "“"]
                         if not _may_end_lead(ch))


# The expressions whose value depends on tense ("will meet on Monday"): weekdays.
WEEKDAYISH = regex.compile(r"(?i)monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                           r"周|週|星期|礼拜|禮拜")
