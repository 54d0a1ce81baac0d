"""Date normalisation relative to the article's date (core/dates.py)."""

from __future__ import annotations

import pytest

from stancemark.core.dates import (
    granularity_of,
    granularity_problem,
    is_future,
    is_iso_value,
    needs_reference,
    normalise_date,
)

REF = "2021-01-10"


@pytest.mark.parametrize("expr, expected", [
    ("January 9", ("2021-01-09", "day")),
    ("on January 9", ("2021-01-09", "day")),
    ("last August", ("2020-08", "month")),
    ("in 2014", ("2014", "year")),
    ("December of last year", ("2020-12", "month")),
    ("January 9, 2021", ("2021-01-09", "day")),
    ("9 January 2021", ("2021-01-09", "day")),
    ("on January 20", ("2021-01-20", "day")),  # ten days after the article: the nearer year
    ("yesterday", ("2021-01-09", "day")),
    ("last year", ("2020", "year")),
    ("next month", ("2021-02", "month")),
    ("two years ago", ("2019", "year")),
    ("the 1990s", ("1990/1999", "interval")),
    ("2021-01-05", ("2021-01-05", "day")),
])
def test_relative_to_article(expr, expected):
    assert normalise_date(expr, REF) == expected


def test_partial_reference_and_no_reference():
    assert normalise_date("last August", "2018-01") == ("2017-08", "month")
    assert normalise_date("in 2014") == ("2014", "year")
    assert normalise_date("blue sky", REF) is None


def test_iso_values():
    assert is_iso_value("2021") and is_iso_value("2021-02") and is_iso_value("2020-01-01/2020-02-01")
    assert not is_iso_value("2021-13") and not is_iso_value("2021-02-30") and not is_iso_value("x")
    assert granularity_of("2021-02") == "month" and granularity_of("2020/2021") == "interval"


# An article dated Monday 2024-05-20.
MONDAY = "2024-05-20"


@pytest.mark.parametrize("expr, past, future", [
    ("on Monday", "2024-05-20", "2024-05-20"),  # the article's own weekday: that day
    ("Tuesday", "2024-05-14", "2024-05-21"),
    ("Sunday", "2024-05-19", "2024-05-26"),
    ("this Thursday", "2024-05-16", "2024-05-23"),
    ("last Monday", "2024-05-13", "2024-05-13"),
    ("next Monday", "2024-05-27", "2024-05-27"),
])
def test_weekday_is_the_current_weeks(expr, past, future):
    assert normalise_date(expr, MONDAY) == (past, "day")
    assert normalise_date(expr, MONDAY, future=True) == (future, "day")


def test_future_tense_is_read_from_the_sentence():
    text = ("Leaders pledged on Monday to act. The two will meet on Thursday in Paris. "
            "He said on Tuesday that talks would resume. On Friday, talks will resume. "
            "外长将于周四访问北京。")

    def future(word: str, nth: int = 0) -> bool:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return is_future(text, start, start + len(word))

    assert not future("Monday") and future("Thursday") and not future("Tuesday")
    assert future("Friday") and future("周四")


@pytest.mark.parametrize("expr", ["yesterday", "Monday", "last month", "May 20", "three weeks ago",
                                  "August", "昨天", "八月", "上周一", "this week"])
def test_undated_article_never_uses_the_clock(expr):
    assert normalise_date(expr) is None and normalise_date(expr, None, future=True) is None
    assert needs_reference(expr)


@pytest.mark.parametrize("expr, expected", [
    ("May 20, 2024", ("2024-05-20", "day")),
    ("May 2024", ("2024-05", "month")),  # dateparser's period, not the first of May
    ("the 5th of May, 2024", ("2024-05-05", "day")),
    ("2024年5月20日", ("2024-05-20", "day")),
    ("in 2014", ("2014", "year")),
])
def test_undated_article_still_resolves_absolute_dates(expr, expected):
    assert normalise_date(expr) == expected and not needs_reference(expr)


@pytest.mark.parametrize("expr, expected", [
    ("2024年5月20日", ("2024-05-20", "day")),
    ("２０２４年５月２０日", ("2024-05-20", "day")),
    ("二〇二四年五月二十日", ("2024-05-20", "day")),
    ("2024年5月20号", ("2024-05-20", "day")),
    ("于2024年5月", ("2024-05", "month")),
    ("2024年", ("2024", "year")),
    ("八月", ("2024-08", "month")),
    ("十二月", ("2023-12", "month")),
    ("去年八月", ("2023-08", "month")),
    ("5月20日", ("2024-05-20", "day")),
    ("昨天", ("2024-05-19", "day")),
    ("上个月", ("2024-04", "month")),
    ("上周一", ("2024-05-13", "day")),
    ("周四", ("2024-05-16", "day")),
    ("本周", ("2024-05-20/2024-05-26", "interval")),
    ("三天前", ("2024-05-17", "day")),
    ("去年", ("2023", "year")),
])
def test_chinese_dates(expr, expected):
    assert normalise_date(expr, MONDAY) == expected


def test_chinese_nonsense_is_refused():
    assert normalise_date("2024年13月", MONDAY) is None
    assert normalise_date("2月30日", MONDAY) is None
    assert normalise_date("北京", MONDAY) is None


def test_granularity_follows_the_value():
    assert granularity_problem("2017-12-15", "day") is None
    assert granularity_problem("2017-12", "month") is None
    assert granularity_problem("2017-12-15", "month") == (
        "“2017-12-15” is a day, not a month: change the value or pick day.")
    assert "not an ISO 8601 date" in granularity_problem("2017-13", "month")


@pytest.mark.parametrize("expr, expected", [
    # The article (2021-01-10) is from January itself: "last January" is a year back,
    # "next January" a year ahead, "this January" the article's own month.
    ("last January", ("2020-01", "month")),
    ("next January", ("2022-01", "month")),
    ("this January", ("2021-01", "month")),
    # Months either side of the article's own
    ("last February", ("2020-02", "month")),
    ("next December", ("2021-12", "month")),
])
def test_last_and_next_month_in_the_articles_own_month(expr, expected):
    assert normalise_date(expr, REF) == expected


@pytest.mark.parametrize("expr", [
    "Today", "yesterday", "tomorrow", "last year", "this month", "next week", "Monday",
    "last Friday", "next Tuesday", "three weeks ago", "2 days ago", "a year ago", "May 20",
    "20 May", "February 29", "31 February", "August", "December", "last August",
    "next March", "this June", "December of last year", "May"])
def test_undated_relative_dates_answered_by_the_rules_as_dateparser_would(expr):
    """Without a date, what the rules read as relative is None at once (no dateparser
    run); the dateparser fallback gives the same answer for it."""
    from stancemark.core import dates

    for future in (False, True):
        assert normalise_date(expr, None, future) is None
        assert dates._dateparser(expr, None, future) is None


def test_undated_relative_date_does_not_run_dateparser(monkeypatch):
    from stancemark.core import dates

    def refuse(*_args):
        raise AssertionError("dateparser was run")

    monkeypatch.setattr(dates, "_dateparser", refuse)
    for expr in ("Today", "August", "May 20", "last week", "Monday", "two years ago"):
        assert normalise_date(expr) is None
    assert needs_reference("Today")
