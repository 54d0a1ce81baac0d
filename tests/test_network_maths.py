"""Discourse network maths (core.network) against a worked example and a brute-force
reference of DNA's formulas.

The example: actors A, B, C; topics X, Y; S = support, O = oppose, N = neutral.

    A: X S (article 1), X S (article 1 again), Y O (article 2)
    B: X S (2), Y O (3), Y S (3)
    C: X O (3), Y O (4), Y N (4)
    A -> B O (5), a stance aimed at an actor: in no actor x topic network

Cells (duplicates "all"): A {XS: 2, YO: 1}, B {XS: 1, YO: 1, YS: 1}, C {XO: 1, YO: 1}
(C's neutral stance is no agreement and stays out of one-mode networks).
n (support + oppose stances): A 3, B 3, C 2; sums of squared cells: A 5, B 3, C 2.

congruence = sum over topic and polarity of products:
    A-B: XS 2*1 + YO 1*1 = 3      A-C: YO 1*1 = 1      B-C: YO 1*1 = 1
conflict = products across polarities on a topic:
    A-B: Y (A O 1 x B S 1) = 1     A-C: X (A S 2 x C O 1) = 2
    B-C: X (B S 1 x C O 1) + Y (B S 1 x C O 1) = 2
subtract: A-B 2, A-C -1, B-C -1
average activity, congruence: A-B 3 / ((3+3)/2) = 1, A-C 1 / 2.5 = 0.4, B-C 0.4
cosine, congruence: A-B 3 / (sqrt 5 * sqrt 3), A-C 1 / (sqrt 5 * sqrt 2), B-C 1 / (sqrt 3 * sqrt 2)
Jaccard: A-B m10 0 (A has nothing B lacks) + m01 1 (B's YS) + m11 3 = 4:
    congruence 3/4, conflict 1/4; A-C: m10 2 (A's XS) + m01 1 (C's XO) + m11 1 = 4:
    congruence 1/4, conflict 2/4; B-C: m10 2 (XS, YS) + m01 1 (XO) + m11 1 = 4.
Duplicates once per article: A's two XS in article 1 count once, so A-B congruence is
1*1 + 1*1 = 2 and A-C conflict 1*1 = 1.
"""

from __future__ import annotations

import random
from collections import Counter
from math import isclose, sqrt

import pytest

from stancemark.core.errors import StancemarkError
from stancemark.core.network import (
    OPEN_END,
    NetworkOptions,
    Statements,
    build_network,
    count_cells,
    strongest,
)
from stancemark.core.network_one_mode import one_mode
from stancemark.core.periods import day_of, day_range, windows

A, B, C = 1, 2, 3
X, Y = 10, 20
S, O, N = 0, 1, 2  # noqa: E741 - the polarities, as in the docstring

ROWS = [  # id, holder, topic, target actor, polarity, day, article
    (1, A, X, 0, S, day_of("2021-01-04"), 1),
    (2, A, X, 0, S, day_of("2021-01-04"), 1),
    (3, A, Y, 0, O, day_of("2021-01-11"), 2),
    (4, B, X, 0, S, day_of("2021-01-11"), 2),
    (5, B, Y, 0, O, day_of("2021-02-01"), 3),
    (6, B, Y, 0, S, day_of("2021-02-01"), 3),
    (7, C, X, 0, O, day_of("2021-02-01"), 3),
    (8, C, Y, 0, O, day_of("2022-03-01"), 4),
    (9, C, Y, 0, N, day_of("2022-03-01"), 4),
    (10, A, 0, B, O, day_of("2022-03-02"), 5),
]


def weights(net) -> dict:
    return {(e.source[1], e.target[1]): e.weight for e in net.edges}


def net(kind="congruence", norm="none", dup="all", rows=ROWS, **kw):
    return build_network(Statements(rows), NetworkOptions(kind, norm, dup), **kw)


def test_one_mode_raw_weights():
    assert weights(net("congruence")) == {(A, B): 3, (A, C): 1, (B, C): 1}
    assert weights(net("conflict")) == {(A, B): 1, (A, C): 2, (B, C): 2}
    assert weights(net("subtract")) == {(A, B): 2, (A, C): -1, (B, C): -1}
    sub = net("subtract")
    assert {(e.source[1], e.target[1]): e.polarity for e in sub.edges} == {
        (A, B): "congruence", (A, C): "conflict", (B, C): "conflict"}
    assert sub.nodes == {("actor", A): 3, ("actor", B): 3, ("actor", C): 2}
    assert sub.left_out == 2  # the stance aimed at B and C's neutral one


def test_one_mode_normalisations():
    avg = weights(net("congruence", "average"))
    assert avg == {(A, B): 1.0, (A, C): pytest.approx(0.4), (B, C): pytest.approx(0.4)}
    cos = weights(net("congruence", "cosine"))
    assert cos[(A, B)] == pytest.approx(3 / (sqrt(5) * sqrt(3)))
    assert cos[(A, C)] == pytest.approx(1 / (sqrt(5) * sqrt(2)))
    assert cos[(B, C)] == pytest.approx(1 / (sqrt(3) * sqrt(2)))
    assert weights(net("congruence", "jaccard")) == {(A, B): 0.75, (A, C): 0.25, (B, C): 0.25}
    assert weights(net("conflict", "jaccard")) == {(A, B): 0.25, (A, C): 0.5, (B, C): 0.5}
    assert weights(net("subtract", "jaccard")) == {(A, B): 0.5, (A, C): -0.25, (B, C): -0.25}


def test_duplicates_once_per_article_week_month_year():
    assert weights(net("congruence", dup="article"))[(A, B)] == 2
    assert weights(net("conflict", dup="article"))[(A, C)] == 1
    # A's two XS are in one week, month and year too
    for unit in ("week", "month", "year"):
        assert weights(net("congruence", dup=unit))[(A, B)] == 2
    # B's XS (Jan 11) and another B XS a week later: two weeks, one month
    rows = [*ROWS, (11, B, X, 0, S, day_of("2021-01-18"), 6)]
    assert weights(net("congruence", dup="week", rows=rows))[(A, B)] == 1 * 2 + 1
    assert weights(net("congruence", dup="month", rows=rows))[(A, B)] == 1 * 1 + 1
    assert weights(net("congruence", dup="all", rows=rows))[(A, B)] == 2 * 2 + 1


def test_two_mode_counts_polarity_and_normalisations():
    two = net("two-mode")
    edges = {(e.source[1], e.target[1]): e for e in two.edges}
    assert {k: (e.weight, e.polarity) for k, e in edges.items()} == {
        (A, X): (2, "support"), (A, Y): (1, "oppose"), (B, X): (1, "support"),
        (B, Y): (2, "mixed"), (C, X): (1, "oppose"), (C, Y): (2, "oppose")}
    assert (edges[(C, Y)].oppose, edges[(C, Y)].neutral) == (1, 1)
    assert two.left_out == 1 and two.statements == 9
    assert two.nodes[("topic", X)] == 4 and two.nodes[("actor", A)] == 3
    act = weights(net("two-mode", "activity"))
    assert act[(A, X)] == pytest.approx(2 / 3) and act[(C, Y)] == pytest.approx(2 / 3)
    prom = weights(net("two-mode", "prominence"))
    assert prom[(A, X)] == 0.5 and prom[(B, Y)] == pytest.approx(2 / 5)  # Y: A 1, B 2, C 2


def test_date_range_and_windows():
    lo, hi = day_range("2021-01", "2021-01")
    jan = net("congruence", first_day=lo, last_day=hi)
    assert weights(jan) == {(A, B): 2}  # A XS x2 with B XS; B's Y stances are in February
    assert set(jan.nodes) == {("actor", A), ("actor", B)}
    st = Statements(ROWS)
    first, last = st.first_last()
    wins = windows(first, last, "month", 2)
    assert [(w[0], w[1]) for w in wins[:2]] == [day_range("2021-01", "2021-02"),
                                               day_range("2021-02", "2021-03")]
    assert wins[-1][1] >= last
    # undated stances are in the network only when no range is set
    undated = [*ROWS, (12, B, X, 0, S, 0, 7)]
    assert weights(net(rows=undated))[(A, B)] == 2 * 2 + 1
    assert weights(net(rows=undated, first_day=1))[(A, B)] == 3


def test_edges_tell_their_topics():
    assert net("congruence").topics_between(("actor", A), ("actor", C)) == [Y]
    assert net("conflict").topics_between(("actor", B), ("actor", C)) == [X, Y]
    assert net("two-mode").topics_between(("actor", A), ("topic", X)) == [X]


def test_statements_patch():
    st = Statements(ROWS)
    assert st.remove([5, 99]) == 1
    st.add([(5, B, Y, 0, S, day_of("2020-06-01"), 3)])
    assert len(st) == len(ROWS) and st.ids[-1] == 5
    assert st.first_last() == (day_of("2020-06-01"), day_of("2022-03-02"))
    # B now supports Y twice (ids 5 and 6): conflict with C = X 1*1 + Y 2*1
    assert weights(build_network(st, NetworkOptions("conflict")))[(B, C)] == 3


def test_bad_options_are_refused():
    for opts in (NetworkOptions("triangle"), NetworkOptions("two-mode", "jaccard"),
                 NetworkOptions("congruence", "activity"), NetworkOptions(duplicates="day")):
        with pytest.raises(StancemarkError):
            opts.check()
    with pytest.raises(StancemarkError):
        day_range("2021-13", "")


def test_strongest_keeps_the_heaviest_edges():
    conflict = net("conflict")
    kept, passed = strongest(conflict, 2)
    assert passed == 3
    assert {(conflict.edges[i].source[1], conflict.edges[i].target[1]) for i in kept} == {
        (A, C), (B, C)}
    edges, passed = strongest(net("conflict"), 10, min_weight=2)
    assert passed == 2


def _reference(cells: Counter, kind: str, norm: str) -> dict:
    """DNA's one-mode formulas, literally: every actor pair, every (topic, polarity) cell."""
    actors = sorted({h for (h, _, p) in cells if p != N})
    cube = {(h, t, p): n for (h, t, p), n in cells.items() if p != N}
    topics = sorted({t for (_, t, _) in cube})
    out = {}
    for i, a in enumerate(actors):
        for b in actors[i + 1:]:
            def get(x, t, q):
                return cube.get((x, t, q), 0)
            cong = sum(get(a, t, q) * get(b, t, q) for t in topics for q in (S, O))
            conf = sum(get(a, t, S) * get(b, t, O) + get(a, t, O) * get(b, t, S) for t in topics)
            raw = {"congruence": cong, "conflict": conf, "subtract": cong - conf}[kind]
            na = sum(get(a, t, q) for t in topics for q in (S, O))
            nb = sum(get(b, t, q) for t in topics for q in (S, O))
            if norm == "average":
                d = (na + nb) / 2
            elif norm == "cosine":
                d = sqrt(sum(get(a, t, q) ** 2 for t in topics for q in (S, O))) * sqrt(
                    sum(get(b, t, q) ** 2 for t in topics for q in (S, O)))
            elif norm == "jaccard":
                cells_ = [(t, q) for t in topics for q in (S, O)]
                m10 = sum(get(a, t, q) for t, q in cells_ if get(b, t, q) == 0)
                m01 = sum(get(b, t, q) for t, q in cells_ if get(a, t, q) == 0)
                m11 = sum(get(a, t, q) * get(b, t, q) for t, q in cells_
                          if get(a, t, q) and get(b, t, q))
                d = m10 + m01 + m11
            else:
                d = 1
            if raw:
                out[(a, b)] = raw / d if d else 0
    return out


@pytest.mark.parametrize("seed", range(6))
def test_fast_pair_counting_matches_the_formulas(seed):
    rng = random.Random(seed)
    rows = [(i, rng.randint(1, 12), rng.randint(1, 5), 0, rng.choice((S, S, O, N)),
             rng.randint(1, 40), rng.randint(1, 30)) for i in range(300)]
    st = Statements(rows)
    cells, _ = count_cells(st, 0, OPEN_END, "all")
    for kind in ("congruence", "conflict", "subtract"):
        for norm in ("none", "average", "cosine", "jaccard"):
            got = {(e.source[1], e.target[1]): e.weight for e in one_mode(cells, kind, norm).edges}
            want = _reference(cells, kind, norm)
            assert got.keys() == want.keys(), (kind, norm)
            assert all(isclose(got[k], want[k], rel_tol=1e-9) for k in want), (kind, norm)
