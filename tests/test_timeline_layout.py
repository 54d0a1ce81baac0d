"""The timeline's counts (core/timeline.py), calendar periods (core/periods.py) and the
network layout (core/network_layout.py): pure Python, no window."""

from __future__ import annotations

import math
from datetime import date

from stancemark.core.network import Statements
from stancemark.core.network_layout import layout, place_new
from stancemark.core.periods import (
    day_of,
    day_range,
    period_bounds,
    period_label,
    period_start,
    windows,
)
from stancemark.core.timeline import timeline

S, O, N = 0, 1, 2  # noqa: E741 - polarities


def test_periods():
    d = day_of("2021-03-17")  # a Wednesday
    assert date.fromordinal(period_start(d, "week")) == date(2021, 3, 15)  # Monday
    assert period_label(period_start(d, "week"), "week") == "2021-W11"
    assert period_label(period_start(d, "month"), "month") == "2021-03"
    assert period_bounds(period_start(d, "month"), "month") == ("2021-03-01", "2021-03-31")
    assert day_of("2021") == day_of("2021-01-01") and day_of("2021-02/2021-05") == day_of(
        "2021-02")
    assert day_range("2020-02", "2020-02") == (day_of("2020-02-01"), day_of("2020-02-29"))
    assert day_of("not a date") == 0
    spans = windows(day_of("2021-01-10"), day_of("2021-06-02"), "month", 2)
    assert [(date.fromordinal(a).isoformat(), date.fromordinal(b).isoformat())
            for a, b in spans] == [("2021-01-01", "2021-02-28"), ("2021-02-01", "2021-03-31"),
                                   ("2021-03-01", "2021-04-30"), ("2021-04-01", "2021-05-31"),
                                   ("2021-05-01", "2021-06-30")]


def test_timeline_counts_every_period_and_the_undated():
    rows = [(1, 1, 10, 0, S, day_of("2021-01-05"), 1), (2, 1, 10, 0, O, day_of("2021-01-20"), 1),
            (3, 2, 10, 0, N, day_of("2021-03-01"), 2), (4, 2, 20, 0, S, 0, 3)]
    st = Statements(rows)
    t = timeline(st, "month")
    assert [period_label(p, "month") for p in t.periods] == ["2021-01", "2021-02", "2021-03"]
    assert t.counts == [(1, 1, 0), (0, 0, 0), (0, 0, 1)] and t.undated == 1
    assert timeline(st, "month", holders={2}).counts == [(0, 0, 1)]
    assert timeline(st, "year", topics={10}).counts == [(1, 1, 1)]
    assert t.bounds(1) == (day_of("2021-02-01"), day_of("2021-02-28"))


def test_layout_is_stable_bounded_and_keeps_nodes_apart():
    weights = {(a, t): 1 + (a * t) % 3 for a in range(1, 30) for t in range(1, 6)
               if (a + t) % 3 == 0}
    first = layout(weights, [99], gap=0.1)
    assert first == layout(weights, [99], gap=0.1)  # the same picture every time
    assert all(-1.0001 <= x <= 1.0001 and -1.0001 <= y <= 1.0001 for x, y in first.values())
    assert ("actor", 99) in first and ("topic", 3) in first
    near = min(math.dist(first[a], first[b]) for a in first for b in first if a < b)
    assert near >= 0.1 - 1e-6
    # topics sit on a circle around the actors
    radius = [math.hypot(*first[("topic", t)]) for t in range(1, 6)]
    assert max(radius) - min(radius) < 0.35
    x, y = place_new(first, ("actor", 500), [("topic", 3)])
    assert math.dist((x, y), first[("topic", 3)]) < 0.6
