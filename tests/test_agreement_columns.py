"""The array computation of agreement (core.agreement_columns) gives the figures of the
per-span definitions (tests/agreement_reference.py), and the store's column reader
(ReviewStore.span_table) reads what its per-span reader reads."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from agreement_reference import reference_figures
from stancemark.core.agreement import Span, compute_agreement
from stancemark.core.span_table import SpanTable, codes

KINDS = ("actor", "date", "stance")


def _random_spans(rng: random.Random, annotators: list[str]) -> tuple[list[Span], dict]:
    spans, lengths = [], {}
    for a in range(rng.randint(1, 6)):
        art, length = f"art{a}", rng.randint(0, 300)
        if rng.random() < 0.9:  # sometimes no known length: u-alpha then sees nothing
            lengths[art] = length
        for _ in range(rng.randint(0, 30)):
            kind = rng.choice([*KINDS, "other"])
            start = rng.randint(0, length + 5)
            end = start + rng.choice([1, 2, 3, 5, 8, 20, 60, 200])  # some past the end
            labels = {"actor": rng.choice("xyz"), "date": rng.choice(["d1", "d2", None]),
                      "polarity": rng.choice("son"), "target": rng.choice(["t1", "a2", None]),
                      "holder": rng.choice([1, 2, 3])}
            if rng.random() < 0.1:
                del labels[rng.choice(list(labels))]
            spans.append(Span(art, rng.choice([*annotators, "someone else"]), kind, start,
                              end, labels))
            if rng.random() < 0.5:  # another annotator's nearby take on it
                s2 = max(0, start + rng.choice([0, 0, 0, 1, -1]))
                e2 = max(s2 + 1, end + rng.choice([0, 0, 1, -1]))
                spans.append(Span(art, rng.choice(annotators), kind, s2, e2, dict(labels)))
    rng.shuffle(spans)
    return spans, lengths


def _same(got, want) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert (g.scope, g.kind, g.pair, g.measure, g.n) == (w.scope, w.kind, w.pair,
                                                              w.measure, w.n), (g, w)
        assert type(g.n) is int
        if w.value is None or g.value is None:
            assert g.value is w.value, (g, w)
        else:
            assert math.isclose(g.value, w.value, rel_tol=1e-12, abs_tol=1e-12), (g, w)


@pytest.mark.parametrize("seed", range(60))
def test_columns_give_the_per_span_figures(seed):
    rng = random.Random(seed)
    annotators = [f"c{i}" for i in range(rng.choice([2, 2, 3, 4]))]
    spans, lengths = _random_spans(rng, annotators)
    by = rng.choice(["corpus", "article"])
    kinds = rng.choice([KINDS, ("stance",), ("date", "actor")])
    got = compute_agreement(spans, annotators, lengths, by=by, kinds=kinds).figures
    _same(got, reference_figures(spans, annotators, lengths, by, kinds))
    if len(annotators) == 2:  # integer counts throughout: the very same floats
        want = reference_figures(spans, annotators, lengths, by, kinds)
        assert [f.value for f in got] == [f.value for f in want]


def test_nested_and_self_overlapping_spans():
    # One annotator's spans overlap each other (u-alpha leaves the later one out, even
    # when it reaches further than the unit before it); the other nests spans.
    spans = [Span("d", "A", "actor", 0, 10, {"actor": 1}),
             Span("d", "A", "actor", 5, 30, {"actor": 1}),
             Span("d", "A", "actor", 12, 14, {"actor": 2}),
             Span("d", "A", "actor", 20, 25, {"actor": 2}),
             Span("d", "B", "actor", 0, 40, {"actor": 1}),
             Span("d", "B", "actor", 2, 8, {"actor": 1}),
             Span("d", "B", "actor", 2, 8, {"actor": 2}),
             Span("d", "B", "actor", 21, 24, {"actor": 2})]
    got = compute_agreement(spans, ["A", "B"], {"d": 50}, kinds=("actor",)).figures
    _same(got, reference_figures(spans, ["A", "B"], {"d": 50}, "corpus", ("actor",)))


def test_overlap_ties_go_to_the_earlier_span():
    # B's span shares 2 characters with each of A's: it pairs with A's earlier one, so
    # the matched labels are (x, x) and kappa is undefined (one value only); pairing with
    # the later one would give (y, x) and kappa 0.
    for a, b in (([(0, 4, "x"), (4, 8, "y")], [(2, 6, "x")]),
                 ([(2, 6, "x")], [(0, 4, "x"), (4, 8, "y")])):
        spans = [Span("d", "A", "actor", s, e, {"actor": v}) for s, e, v in a] + \
                [Span("d", "B", "actor", s, e, {"actor": v}) for s, e, v in b]
        rep = compute_agreement(spans, ["A", "B"], {"d": 10}, kinds=("actor",))
        assert rep.get("kappa_actor", "actor", pair="A|B").n == 1
        assert rep.get("kappa_actor", "actor", pair="A|B").value is None


def test_overlap_found_behind_a_span_longer_than_the_old_lookback():
    # B's long span starts far before A's span, with a short B span in between: the
    # per-span matcher stopped looking back 100,000 characters before A's start and
    # missed the overlap; the array matcher finds every overlapping pair.
    spans = [Span("d", "A", "actor", 120_000, 120_010, {"actor": 1}),
             Span("d", "B", "actor", 0, 150_000, {"actor": 1}),
             Span("d", "B", "actor", 10, 20, {"actor": 1})]
    rep = compute_agreement(spans, ["A", "B"], {"d": 200_000}, kinds=("actor",))
    assert rep.get("f1_overlap", "actor").value == pytest.approx(2 * 1 / 3)


def test_no_spans_and_no_wanted_spans():
    for spans in ([], [Span("d", "X", "actor", 0, 3, {"actor": 1})]):
        rep = compute_agreement(spans, ["A", "B"], {"d": 10})
        assert rep.get("f1_exact", "all").value is None
        assert rep.get("u_alpha", "all").value is None
        assert rep.get("alpha_actor", "actor").n == 0
    with pytest.raises(ValueError, match="two or more"):
        compute_agreement([], ["A"], {})


def test_codes_equal_exactly_for_equal_values():
    assert codes(["a", None, "b", "a", None]).tolist() == [0, 1, 2, 0, 1]
    # unhashable values (a multiple choice) compare by content
    got = codes([["x", "y"], ["x"], ["x", "y"], None])
    assert got[0] == got[2] and len(set(got.tolist())) == 3
    def classes(c):  # which positions share a code, whatever the codes are
        c = c.tolist()
        return [c.index(x) for x in c]

    far = [7, -1, 7, 10**12, -1]  # row ids far apart: the sorting path
    assert classes(codes(np.array(far))) == classes(codes(far)) == [0, 1, 0, 3, 1]
    assert classes(codes(np.array([5, 3, 5, 4]))) == [0, 1, 0, 3]


def test_table_from_spans_round_trip():
    spans = [Span("d1", "A", "date", 3, 5, {"date": "2020"}),
             Span("d2", "B", "actor", 0, 2, {"actor": 9})]
    t = SpanTable.from_spans(spans)
    assert t.articles == ["d1", "d2"] and t.annotators == ["A", "B"] and len(t) == 2
    assert t.labels["date"] == ["2020", None] and t.article_uids() == {"d1", "d2"}


# ------------------------------------------------------------------ the store reader

@pytest.fixture
def coded_store(tmp_path):
    """Two coders' annotations of 12 synthetic articles, plus what span_table must
    treat like spans(): a trashed article, a trashed annotation, a stance on an actor."""
    from stancemark.bench.stores import StoreSpec, build_store
    from stancemark.core.model import Annotation
    from stancemark.store import Repository, open_store

    path = tmp_path / "coded.sqlite"
    build_store(StoreSpec("t", 12, 8, ("ana", "bo")), path)
    repo = Repository(open_store(path), "ana")
    arts = repo.article_uids()
    repo.delete_article(arts[0])
    anns = repo.list_annotations(arts[1])
    repo.delete_annotation(anns[0].uid)
    text = repo.get_article(arts[2]).text
    actor = repo.list_actors()[0].uid
    holder = repo.list_actors()[1].uid
    for who in ("ana", "bo"):
        uid = repo.annotator_by_name(who).uid
        repo.add_annotation(Annotation("", arts[2], uid, "stance", 0, 4, text[:4],
                                       holder_uid=holder, target_actor_uid=actor,
                                       polarity="support"))
    yield repo
    repo.close()


@pytest.mark.parametrize("by", ["corpus", "article"])
def test_span_table_reads_what_spans_reads(coded_store, by):
    from stancemark.store.review import ReviewStore

    review = ReviewStore(coded_store)
    uids = [a.uid for a in review.annotators_with_annotations()]
    spans = review.spans(uids, KINDS)
    table = review.span_table(uids, KINDS)
    assert len(table) == len(spans) and table.article_uids() == {s.article for s in spans}
    lengths = review.lengths(table.article_uids())
    want = compute_agreement(spans, uids, lengths, by=by).figures
    assert compute_agreement(table, uids, lengths, by=by).figures == want
    # one kind only, and annotators the store does not know
    one = review.span_table(uids, ("date",))
    assert len(one) == sum(1 for s in spans if s.kind == "date")
    assert len(review.span_table(["nobody", "neither"], KINDS)) == 0
    assert len(review.span_table(uids, ())) == 0
