"""Date normalisation relative to the article's date (core/dates.py)."""

from __future__ import annotations

import pytest

from stancemark.core.dates import granularity_of, is_iso_value, normalise_date

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
