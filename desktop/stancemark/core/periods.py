"""Days and calendar periods for the discourse views (network windows, timeline).

A stance's date is an ISO value of any precision ("2021", "2021-03", "2021-03-15") or an
interval "A/B"; the views count in days since 0001-01-01 (`date.toordinal`), a stance
falling on the first day of its value ("2021-03" -> 2021-03-01, "A/B" -> A). 0 means
no date. A range bound compares by prefix, as the exports do: `to="2021"` keeps all of
2021, so an upper bound is the last day of its value.

Periods: weeks run Monday to Sunday (ISO 8601, as DNA's "calendar week" in the UK
locale), months and years are calendar months and years. A period is named by its
first day.
"""

from __future__ import annotations

import calendar
from datetime import date

from stancemark.core.errors import StancemarkError

UNITS: tuple[str, ...] = ("week", "month", "year")


def day_of(value: str | None) -> int:
    """The day (ordinal) a date value starts on; 0 for none or a value that is no date."""
    if not value:
        return 0
    first = value.split("/", 1)[0]
    try:
        if len(first) == 10:
            return date(int(first[:4]), int(first[5:7]), int(first[8:10])).toordinal()
        if len(first) == 7:
            return date(int(first[:4]), int(first[5:7]), 1).toordinal()
        if len(first) == 4:
            return date(int(first), 1, 1).toordinal()
    except ValueError:
        return 0
    return 0


def last_day_of(value: str) -> int:
    """The last day a date value (a range's upper bound) covers: "2021" -> 2021-12-31."""
    first = value.split("/")[-1]
    try:
        y = int(first[:4])
        if len(first) == 4:
            return date(y, 12, 31).toordinal()
        m = int(first[5:7])
        if len(first) == 7:
            return date(y, m, calendar.monthrange(y, m)[1]).toordinal()
        return date(y, m, int(first[8:10])).toordinal()
    except (ValueError, IndexError):
        raise StancemarkError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)") \
            from None


def check_bound(value: str) -> str:
    """A range bound as typed, checked: "" or an ISO date of any precision."""
    value = (value or "").strip()
    if value and (day_of(value) == 0 or "/" in value or len(value) not in (4, 7, 10)):
        raise StancemarkError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def day_range(date_from: str, date_to: str) -> tuple[int, int]:
    """(first, last) day of a range; unset ends are open (0 and a day past any date)."""
    lo = day_of(check_bound(date_from)) if date_from else 0
    hi = last_day_of(check_bound(date_to)) if date_to else date.max.toordinal()
    return lo, hi


def iso(day: int) -> str:
    return date.fromordinal(day).isoformat() if day > 0 else ""


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise StancemarkError(f"unknown period {unit!r} (use one of {', '.join(UNITS)})")
    return unit


def period_start(day: int, unit: str) -> int:
    """The first day of the period holding `day`."""
    if day <= 0:
        return 0
    if unit == "week":
        return day - (day - 1) % 7  # ordinal 1 (0001-01-01) was a Monday
    d = date.fromordinal(day)
    if unit == "month":
        return date(d.year, d.month, 1).toordinal()
    return date(d.year, 1, 1).toordinal()


def next_period(start: int, unit: str, count: int = 1) -> int:
    """The first day of the period `count` periods after the one starting on `start`."""
    if unit == "week":
        return start + 7 * count
    d = date.fromordinal(start)
    if unit == "month":
        months = d.year * 12 + d.month - 1 + count
        return date(months // 12, months % 12 + 1, 1).toordinal()
    return date(d.year + count, 1, 1).toordinal()


def bucket_key(day: int, unit: str) -> int:
    """A number naming the period of `day`, cheap to compute for many days (duplicates
    per week, month, year): weeks since 0001-01-01, or year*12+month, or the year."""
    if day <= 0:
        return 0
    if unit == "week":
        return (day - 1) // 7 + 1
    d = date.fromordinal(day)
    return d.year * 12 + d.month if unit == "month" else d.year


def period_label(start: int, unit: str) -> str:
    if start <= 0:
        return "no date"
    d = date.fromordinal(start)
    if unit == "year":
        return f"{d.year}"
    if unit == "month":
        return f"{d.year}-{d.month:02d}"
    iso_year, week, _ = d.isocalendar()
    return f"{iso_year}-W{week:02d}"


def period_bounds(start: int, unit: str, count: int = 1) -> tuple[str, str]:
    """The ISO (from, to) of `count` periods from `start`, as a filter's date range."""
    end = next_period(start, unit, count) - 1
    return iso(start), (date.fromordinal(end)).isoformat()


def periods_between(first_day: int, last_day: int, unit: str) -> list[int]:
    """Every period start from the one holding first_day to the one holding last_day."""
    if first_day <= 0 or last_day < first_day:
        return []
    out, start = [], period_start(first_day, unit)
    while start <= last_day:
        out.append(start)
        start = next_period(start, unit)
    return out


def windows(first_day: int, last_day: int, unit: str, size: int) -> list[tuple[int, int]]:
    """Moving windows over [first_day, last_day]: each `size` periods long, one period
    apart (DNA's time window, stepped one unit at a time); (first, last) days."""
    if size < 1:
        raise StancemarkError("a window is at least one period long")
    starts = periods_between(first_day, last_day, unit)
    if not starts:
        return []
    out = []
    for i, start in enumerate(starts):
        end = next_period(start, unit, size) - 1
        out.append((start, end))
        if end >= last_day or i + size >= len(starts):
            break
    return out
