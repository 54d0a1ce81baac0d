"""Chinese date expressions: 2024年5月20日, 五月二十日, 八月, 去年八月, 昨天, 上周一.

Written Chinese news dates are regular enough for rules: a year of digits (Arabic,
full-width or 〇一二…九 read digit by digit), a month and a day in Arabic digits or
Chinese numerals up to 31, and a small set of relative words. Each function returns
(ISO value, granularity) or None, as `dates.normalise_date` does; relative forms need
the article's date and give None without it (never the machine's clock).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

import regex

_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = "[0-9〇零○一二两三四五六七八九十]"
_HAN = regex.compile(r"\p{Han}")
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def looks_chinese(s: str) -> bool:
    return bool(_HAN.search(s))


def _small(n: str) -> int | None:
    """0-99 in Arabic digits or Chinese numerals (十, 二十, 二十一, 三十一)."""
    if n.isdigit():
        return int(n)
    if "十" in n:
        tens, _, units = n.partition("十")
        t = _DIGITS.get(tens, -1) if tens else 1
        u = _DIGITS.get(units, -1) if units else 0
        return None if t < 0 or u < 0 else t * 10 + u
    if len(n) == 1 and n in _DIGITS:
        return _DIGITS[n]
    return None


def _year(n: str) -> int | None:
    """A year written digit by digit: 2024, 二〇二四, 二零二四."""
    if n.isdigit():
        return int(n)
    if all(c in _DIGITS for c in n):
        return int("".join(str(_DIGITS[c]) for c in n))
    return None


def _day(y: int, m: int, d: int) -> tuple[str, str] | None:
    try:
        return date(y, m, d).isoformat(), "day"
    except ValueError:
        return None


def _month(y: int, m: int) -> tuple[str, str] | None:
    return (f"{y:04d}-{m:02d}", "month") if 1 <= m <= 12 and 1 <= y <= 9999 else None


def _clean(expression: str) -> str:
    # NFKC turns full-width digits (２０２４) into ASCII ones; spaces carry no meaning.
    s = unicodedata.normalize("NFKC", expression)
    s = re.sub(r"\s+", "", s).strip("，。、；：,.;:（）()")
    return re.sub(r"^(?:在|于|於|从|自|到|至|截至)", "", s)


def normalise_chinese(expression: str, ref: date | None, future: bool = False) -> tuple[str, str] | None:
    s = _clean(expression)
    m = re.fullmatch(rf"({_NUM}{{2,4}})年(?:({_NUM}{{1,3}})月(?:({_NUM}{{1,3}})[日号號])?)?", s)
    if m:
        y = _year(m.group(1))
        if y is None:
            return None
        if m.group(2) is None:
            return (f"{y:04d}", "year") if y >= 1 else None
        mon = _small(m.group(2))
        if mon is None:
            return None
        if m.group(3) is None:
            return _month(y, mon)
        d = _small(m.group(3))
        return _day(y, mon, d) if d is not None else None
    if ref is None:
        return None
    return _relative(s, ref, future)


def _gap(y: int, mon: int, d: int, ref: date) -> int:
    try:
        return abs((date(y, mon, d) - ref).days)
    except ValueError:  # 2月30日 exists in no year: any choice fails later
        return 10**6


def _relative(s: str, ref: date, future: bool) -> tuple[str, str] | None:
    year_words = {"去年": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1, "后年": 2, "後年": 2}
    m = re.fullmatch(rf"(去年|前年|今年|本年|明年|后年|後年)?({_NUM}{{1,3}})月(?:份)?"
                     rf"(?:({_NUM}{{1,3}})[日号號])?", s)
    if m:
        mon, d = _small(m.group(2)), _small(m.group(3)) if m.group(3) else None
        if mon is None or not 1 <= mon <= 12 or (m.group(3) and d is None):
            return None
        if m.group(1):
            year = ref.year + year_words[m.group(1)]
        elif d is None:  # the nearest such month to the article's date, as in English
            year = min((ref.year - 1, ref.year, ref.year + 1),
                       key=lambda y: abs((y * 12 + mon) - (ref.year * 12 + ref.month)))
        else:
            day_of_month = d  # a name the lambda sees as an int (d is rebound below)
            year = min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: _gap(y, mon, day_of_month, ref))
        return _day(year, mon, d) if d is not None else _month(year, mon)
    m = re.fullmatch(rf"({_NUM}{{1,3}})[日号號]", s)
    if m:  # a day of the article's month
        d = _small(m.group(1))
        return _day(ref.year, ref.month, d) if d else None
    if s in year_words:
        return f"{ref.year + year_words[s]:04d}", "year"
    days = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1,
            "后天": 2, "後天": 2}
    if s in days:
        return (ref + timedelta(days=days[s])).isoformat(), "day"
    months = {"上个月": -1, "上個月": -1, "上月": -1, "本月": 0, "这个月": 0, "這個月": 0,
              "下个月": 1, "下個月": 1, "下月": 1}
    if s in months:
        y, mo = divmod(ref.year * 12 + ref.month - 1 + months[s], 12)
        return f"{y:04d}-{mo + 1:02d}", "month"
    m = re.fullmatch(r"(上|本|这|這|下)?(?:个|個)?(?:周|週|星期|礼拜|禮拜)([一二三四五六日天])?", s)
    if m and (m.group(1) or m.group(2)):
        step = {"上": -1, "下": 1}.get(m.group(1) or "", 0)
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        if m.group(2) is None:
            return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}", "interval"
        day = monday + timedelta(days=_WEEKDAY[m.group(2)])
        if m.group(1) is None and not future and day > ref:
            # A bare 周四 is the nearest one not after the article (as in English) ...
            day -= timedelta(weeks=1)
        elif m.group(1) is None and future and day < ref:
            day += timedelta(weeks=1)  # ... or, spoken of as ahead, not before it
        return day.isoformat(), "day"
    m = re.fullmatch(rf"({_NUM}{{1,3}})(天|日|周|週|个星期|個星期|个月|個月|年)(?:前|以前|之前)", s)
    if m:
        n = _small(m.group(1))
        if n is None:
            return None
        unit = m.group(2)
        if unit in ("天", "日"):
            return (ref - timedelta(days=n)).isoformat(), "day"
        if unit in ("周", "週", "个星期", "個星期"):
            return (ref - timedelta(weeks=n)).isoformat(), "day"
        if unit in ("个月", "個月"):
            y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}", "month"
        return f"{ref.year - n:04d}", "year"
    return None
