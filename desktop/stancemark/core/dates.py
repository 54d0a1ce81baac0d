"""Normalise date expressions to ISO 8601 values relative to an article's date.

"January 9" in an article dated 2021-01-10 gives ("2021-01-09", "day");
"last August" gives ("2020-08", "month"); "in 2014" gives ("2014", "year").
Rules cover the common news forms (English and Chinese); dateparser handles the rest.

Relative expressions ("yesterday", "Monday", "last month") resolve against the article's
date only, never the machine's clock: an undated article gets None for them, and
`needs_reference` tells the caller that a date would have resolved it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from stancemark.core.dates_zh import looks_chinese, normalise_chinese
from stancemark.core.text import sentence_end, sentence_start

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_LEAD = r"^(?:on|in|since|by|from|during|until|till|of|the)\s+"

ISO_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")


# Words that put the event after the time of writing: "will meet on Thursday",
# "is due to vote Friday", "said he would travel on Monday"; Chinese 将 / 会 / 计划.
_FUTURE = re.compile(
    r"\b(?:will|shall|won[’']t|going to|due to|scheduled|set to|expected to|plans? to|"
    r"planning to|to be held|would|upcoming|later)\b|[’']ll\b|将|將|会|會|计划|計劃|预计|預計|即将|即將",
    re.IGNORECASE)
_WINDOW_WORDS = 8  # how far from the date a tense marker still governs it
_TWO_WORDS = re.compile(r"\w\W+\w")  # two runs of \w+, as re.findall(r"\w+", ...) counts them
# _FUTURE without IGNORECASE (its words are in lower case), for lower-cased ASCII text:
# there it matches where _FUTURE matches the text, and searches in half the time.
_FUTURE_LOWER = re.compile(_FUTURE.pattern)


def _says_future(words: str) -> bool:
    if words.isascii():
        return _FUTURE_LOWER.search(words.lower()) is not None
    return _FUTURE.search(words) is not None


def is_future(text: str, start: int, end: int) -> bool:
    """Whether the date at text[start:end] is spoken of as ahead of the article ("will
    meet on Thursday"). The words just before it in its sentence decide; a date that opens
    its sentence ("On Thursday, leaders will meet") is decided by the words after it."""
    before = text[sentence_start(text, start):start]
    # the last words alone split off (a long sentence's others are not needed)
    if _says_future(" ".join(before.rsplit(None, _WINDOW_WORDS)[-_WINDOW_WORDS:])):
        return True
    if not _TWO_WORDS.search(before):  # nothing but "On" ahead of the date
        s1 = sentence_end(text, start)  # only here: its search runs to the line's end
        return _says_future(" ".join(text[end:max(s1, end)].split()[:_WINDOW_WORDS]))
    return False


def granularity_of(value: str) -> str:
    if "/" in value:
        return "interval"
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "day")


def is_iso_value(value: str) -> bool:
    """True for YYYY, YYYY-MM, YYYY-MM-DD and intervals of those joined by '/'."""
    if not ISO_RE.match(value or ""):
        return False
    for part in value.split("/"):
        bits = [int(b) for b in part.split("-")]
        try:
            date(bits[0], bits[1] if len(bits) > 1 else 1, bits[2] if len(bits) > 2 else 1)
        except ValueError:
            return False
    return True


def _parse_ref(ref: str | None) -> date | None:
    if not ref:
        return None
    # A partial published date ("2018-01", "2025") resolves against its first day.
    parts = ref[:10].split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                    int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _month_before(ref: date, month: int, allow_same: bool) -> tuple[int, int]:
    """The most recent `month` at or before ref (strictly before unless allow_same)."""
    year = ref.year
    if month > ref.month or (month == ref.month and not allow_same):
        year -= 1
    return year, month


def granularity_problem(value: str, granularity: str | None) -> str | None:
    """Why a date value and its granularity disagree ("2017-12-15" is a day, not a month),
    or None. The granularity follows from the value's shape."""
    if not is_iso_value(value):
        return f"“{value}” is not an ISO 8601 date."
    wanted = granularity_of(value)
    if granularity != wanted:
        return (f"“{value}” is a {wanted}, not a {granularity}: "
                f"change the value or pick {wanted}.")
    return None


def needs_reference(expression: str) -> bool:
    """True when an expression is relative ("yesterday", "Monday", "May 20") and so
    resolves only against an article's date."""
    return normalise_date(expression) is None and normalise_date(expression, "2000-06-15") is not None


# The rules' patterns, compiled once (normalise_date runs for every date suggestion of
# every article in a bulk `suggest`: formatting and looking them up per call was a tenth
# of its time).
_SPACES = re.compile(r"\s+")
_LEAD_RE = re.compile(_LEAD)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")
_DECADE = re.compile(r"(?:the )?(early |mid-?|late )?(\d{4})s")
_YEAR = re.compile(r"(\d{4})")
_MONTH_DAY_YEAR = re.compile(rf"({_MONTH_RE}) (\d{{1,2}}),? (\d{{4}})")
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}}) ({_MONTH_RE}),? (\d{{4}})")
_MONTH_YEAR = re.compile(rf"({_MONTH_RE}),? (\d{{4}})")
_MONTH_DAY = re.compile(rf"({_MONTH_RE}) (\d{{1,2}})")
_DAY_MONTH = re.compile(rf"(\d{{1,2}}) ({_MONTH_RE})")
_WHICH_MONTH = re.compile(rf"(last|this|next)? ?({_MONTH_RE})(?: of (?:last|this) year)?")
_WHICH_PERIOD = re.compile(r"(last|this|next) (year|month|week)")
_WHICH_WEEKDAY = re.compile(r"(last|this|next)? ?(" + "|".join(_WEEKDAYS) + ")")
_AGO = re.compile(r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten) "
                  r"(day|week|month|year)s? ago")


def normalise_date(expression: str, reference: str | None = None,
                   future: bool = False) -> tuple[str, str] | None:
    """Return (ISO value, granularity) for a date expression, or None.

    `reference` is the article's ISO date; relative and year-less expressions are
    resolved against it and give None without it. A bare weekday is the nearest such
    day not after the article (the day itself included), as news uses it for the
    current week; with `future` (see `is_future`) the nearest not before it.
    """
    ref = _parse_ref(reference)
    if looks_chinese(expression):
        return normalise_chinese(expression, ref, future)
    s = _SPACES.sub(" ", expression.strip().lower()).strip(" .,;:")
    s = _LEAD_RE.sub("", s)
    s = _ORDINAL.sub(r"\1", s)
    if not s:
        return None
    if is_iso_value(s):
        return s, granularity_of(s)

    m = _DECADE.fullmatch(s)
    if m:  # the 1990s
        y = int(m.group(2))
        return f"{y}/{y + 9}", "interval"
    m = _YEAR.fullmatch(s)
    if m:
        return m.group(1), "year"
    m = _MONTH_DAY_YEAR.fullmatch(s) or _DAY_MONTH_YEAR.fullmatch(s)
    if m:
        a, b, year_digits = m.groups()
        mon, d = (MONTHS[a], int(b)) if a in MONTHS else (MONTHS[b], int(a))
        return _iso_day(int(year_digits), mon, d)
    m = _MONTH_YEAR.fullmatch(s)
    if m:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1)]:02d}", "month"
    m = _MONTH_DAY.fullmatch(s) or _DAY_MONTH.fullmatch(s)
    if m and not ref:
        return None  # resolves only against a date (see _PROBE below)
    if m and ref:
        a, b = m.groups()
        mon, d = (MONTHS[a], int(b)) if a in MONTHS else (MONTHS[b], int(a))
        # The year that puts the day closest to the article's date: "January 9"
        # in a January 10 article is the day before, "January 20" ten days on.
        best = None
        for year in (ref.year - 1, ref.year, ref.year + 1):
            try:
                gap = abs((date(year, mon, d) - ref).days)
            except ValueError:
                continue
            if best is None or gap < best[0]:
                best = (gap, year)
        return _iso_day(best[1], mon, d) if best else None
    m = _WHICH_MONTH.fullmatch(s)
    if m and not ref:
        return None
    if m and ref:
        which, mon = m.group(1), MONTHS[m.group(2)]
        if which == "next":
            year = ref.year + (1 if mon <= ref.month else 0)
        elif which == "this":
            year = ref.year
        elif which == "last":
            year, _ = _month_before(ref, mon, allow_same=False)
        else:  # a bare month name: the nearest such month to the article's date
            year = min((ref.year - 1, ref.year, ref.year + 1),
                       key=lambda y: abs((y * 12 + mon) - (ref.year * 12 + ref.month)))
        return f"{year:04d}-{mon:02d}", "month"
    if ref:
        rel = _relative(s, ref, future)
        if rel:
            return rel
    elif _relative(s, _PROBE) is not None:
        return None
    return _dateparser(expression, ref, future)


# Without an article date, an expression the rules above read as relative ("today",
# "May 20", "August", "three weeks ago") has no value: dateparser, run against two
# distant bases, would give two different dates for it and so None as well. Answering
# here spares its first use (~0.3 s importing it and building its regexes) when an
# undated article is opened at start-up; tests compare both answers.
_PROBE = date(2000, 6, 15)


def _iso_day(y: int, m: int, d: int) -> tuple[str, str] | None:
    try:
        return date(y, m, d).isoformat(), "day"
    except ValueError:
        return None


def _relative(s: str, ref: date, future: bool = False) -> tuple[str, str] | None:
    simple = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if s in simple:
        return (ref + timedelta(days=simple[s])).isoformat(), "day"
    m = _WHICH_PERIOD.fullmatch(s)
    if m:
        step = {"last": -1, "this": 0, "next": 1}[m.group(1)]
        if m.group(2) == "year":
            return f"{ref.year + step:04d}", "year"
        if m.group(2) == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 + step, 12)
            return f"{y:04d}-{mo + 1:02d}", "month"
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}", "interval"
    m = _WHICH_WEEKDAY.fullmatch(s)
    if m:
        wd = _WEEKDAYS.index(m.group(2))
        if m.group(1) == "next":
            delta = (wd - ref.weekday()) % 7 or 7
            return (ref + timedelta(days=delta)).isoformat(), "day"
        if m.group(1) == "last":
            delta = (ref.weekday() - wd) % 7 or 7
            return (ref - timedelta(days=delta)).isoformat(), "day"
        # "Monday" / "this Monday": the current week's, the article's own day included.
        if future:
            return (ref + timedelta(days=(wd - ref.weekday()) % 7)).isoformat(), "day"
        return (ref - timedelta(days=(ref.weekday() - wd) % 7)).isoformat(), "day"
    m = _AGO.fullmatch(s)
    if m:
        words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
        n = int(m.group(1)) if m.group(1).isdigit() else words[m.group(1)]
        unit = m.group(2)
        if unit == "day":
            return (ref - timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return (ref - timedelta(weeks=n)).isoformat(), "day"
        if unit == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}", "month"
        return f"{ref.year - n:04d}", "year"
    return None


_PERIOD_LENGTH = {"year": 4, "month": 7}  # every other period (week, day, time) is a day


def _dateparser(expression: str, ref: date | None, future: bool = False) -> tuple[str, str] | None:
    """dateparser for the forms the rules miss, its period giving the granularity ("May
    2024" is a month, not the first of May). Without an article date it runs against two
    distant bases and keeps only a result that does not depend on them: an absolute
    date, never one taken from the clock."""
    try:
        from dateparser.date import DateDataParser
    except ImportError:  # pragma: no cover - dateparser is a core dependency
        return None
    bases = [datetime(ref.year, ref.month, ref.day)] if ref else [datetime(2001, 2, 3),
                                                                 datetime(2037, 11, 28)]
    found = set()
    for base in bases:
        parser = DateDataParser(languages=["en"], settings={
            "PREFER_DATES_FROM": "future" if future else "past",
            "RETURN_AS_TIMEZONE_AWARE": False, "RELATIVE_BASE": base})
        data = parser.get_date_data(expression)
        if data.date_obj is None:
            return None
        iso = data.date_obj.date().isoformat()
        length = _PERIOD_LENGTH.get(data.period or "day", 10)
        found.add((iso[:length], granularity_of(iso[:length])))
    return found.pop() if len(found) == 1 else None
