"""Dates found in text (core/suggest/date_finder.py, date_values.py) and the scores of
suggestions against tags (core/suggest/evaluate.py)."""

from __future__ import annotations

import pytest

from stancemark.core.suggest import find_dates
from stancemark.core.suggest.date_values import resolve
from stancemark.core.suggest.evaluate import score


def values(text: str, article_date: str | None) -> list[tuple[str, str | None]]:
    return [(s.quote, s.date_value) for s in find_dates(text, article_date)]


@pytest.mark.parametrize("text, expected", [
    ("on 9 January 2021 and 2021-01-08", [("9 January 2021", "2021-01-09"),
                                          ("2021-01-08", "2021-01-08")]),
    ("this past Monday, three days ago", [("this past Monday", None), ("three days ago", "2021-01-07")]),
    ("in the early 1990s and December of last year", [("the early 1990s", "1990/1999"),
                                                      ("December of last year", "2020-12")]),
    ("Jan. 5, 2020 and Sept. 2019", [("Jan. 5, 2020", "2020-01-05"), ("Sept. 2019", "2019-09")]),
    ("2,000 troops, $2014, 20145, 2014%, © 2020", []),
    ("in Mayfair, Mondays, todays", []),
])
def test_shapes(text, expected):
    found = values(text, "2021-01-10")
    assert [q for q, _ in found] == [q for q, _ in expected]
    for (q, v), (_, want) in zip(found, expected, strict=True):
        if want is not None:
            assert v == want, q


def test_coarse_article_dates():
    # a month-dated article: month-level values hold, a week or a weekday cannot be placed
    assert values("In January, and last week; December of last year.", "2018-01") == [
        ("January", "2018-01"), ("last week", None), ("December of last year", "2017-12")]
    found = find_dates("last week", "2018-01")[0]
    assert "too coarse" in found.note
    # a year-dated article: a month named bare is that year's
    assert values("In August and on March 3, not last August.", "2025") == [
        ("August", "2025-08"), ("March 3", "2025-03-03"), ("last August", None)]


def test_undated_article():
    found = find_dates("Yesterday, on 2024年5月20日, and 去年八月.", None)
    assert [(s.quote, s.date_value) for s in found] == [
        ("Yesterday", None), ("2024年5月20日", "2024-05-20"), ("去年八月", None)]
    assert all("no date" in s.note for s in found if s.date_value is None)


def test_a_dated_post_and_a_quotation_place_today():
    text = ("He spoke on January 9.\n"
            "Today, I am lifting restrictions. – Secretary (@Sec) January 9, 2021\n"
            "“Today I announce it,” he said. Today the staff left.\n"
            "Tomorrow we go.")
    found = {(s.quote, s.start): s for s in find_dates(text, "2021-01-10")}
    todays = sorted((k[1], s.date_value, s.note) for k, s in found.items() if k[0] == "Today")
    assert [(v, "post" in n, "quoted" in n) for _, v, n in todays] == [
        ("2021-01-09", True, False), ("2021-01-09", False, True), ("2021-01-10", False, False)]
    assert found[("Tomorrow", text.index("Tomorrow"))].date_value == "2021-01-11"


def test_a_quotation_far_from_the_article_keeps_the_article_date():
    text = "In a speech on March 1, 2020 he said: “Today we start.”"
    assert values(text, "2021-01-10")[-1] == ("Today", "2021-01-10")


def test_future_tense_weekday():
    assert values("Leaders will meet on Thursday.", "2021-01-10") == [("Thursday", "2021-01-14")]
    assert values("Leaders met on Thursday.", "2021-01-10") == [("Thursday", "2021-01-07")]


def test_resolve_is_never_the_clock():
    assert resolve("yesterday", None) == (None, None, resolve("yesterday", None)[2])
    assert resolve("in 2014", None)[0] == "2014"


def test_scores_exact_overlap_and_values():
    sugg = [("actor", 0, 5, "a", None), ("actor", 10, 20, "b", None), ("actor", 30, 35, "c", None),
            ("date", 40, 49, None, "2021-01-09"), ("date", 60, 64, None, "2014")]
    tags = [("actor", 0, 5, "a", None), ("actor", 14, 20, "b", None), ("actor", 30, 35, "x", None),
            ("date", 40, 49, None, "2021-01-09"), ("date", 59, 64, None, "2015"),
            ("date", 70, 75, None, None)]
    s = score(sugg, tags, {})
    actors, dates = s["actor"], s["date"]
    assert (actors.suggested, actors.tagged, actors.exact, actors.overlap) == (3, 3, 1, 2)
    assert actors.precision(True) == pytest.approx(1 / 3)
    assert actors.recall(False) == pytest.approx(2 / 3)
    assert (dates.exact, dates.overlap, dates.values_compared, dates.values_agreeing) == (1, 2, 2, 1)
    assert dates.value_agreement == 0.5
    assert [m[1] for m in dates.misses] == [70]
    assert [e[1] for e in actors.extras] == [30]
