"""Agreement per attribute from columns (core.attribute_agreement_columns, read by
store.review.ReviewStore.attribute_columns) against a per-unit reference: the
straightforward coincidence-matrix computation the figures were first made with, on
random data. Whole-number data (two coders; nominal, ordinal, integer values) gives the
same floats; fractional values are equal to rounding."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from stancemark.core.attribute_agreement import AttributeFigure, krippendorff_alpha
from stancemark.core.attribute_agreement_columns import span_attribute_figures_columns
from stancemark.core.codebook_commands import new_attribute, new_kind
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store
from stancemark.store.review import ReviewStore


def reference_alpha(units, metric, order=None):
    """Krippendorff's alpha, one unit and one pair of categories at a time."""
    coincidence = defaultdict(float)
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        counts = Counter(unit)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    totals = defaultdict(float)
    for (c, _k), v in coincidence.items():
        totals[c] += v
    n = sum(totals.values())
    if n <= 1:
        return None
    if metric == "nominal":
        def delta(c, k):
            return 0.0 if c == k else 1.0
    elif metric == "interval":
        def delta(c, k):
            return float(c - k) ** 2
    else:
        ranked = [v for v in (order if order is not None else sorted(totals)) if v in totals]
        rank = {v: i for i, v in enumerate(ranked)}
        cumulative = [0.0]
        for v in ranked:
            cumulative.append(cumulative[-1] + totals[v])

        def delta(c, k):
            lo, hi = sorted((rank[c], rank[k]))
            return (cumulative[hi + 1] - cumulative[lo] - (totals[c] + totals[k]) / 2) ** 2
    observed = sum(v * delta(c, k) for (c, k), v in coincidence.items())
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in totals for k in totals) / (n - 1)
    if expected == 0:
        return None
    return 1.0 - observed / expected


def _random_units(rng, coders, size, values):
    units = []
    for _ in range(size):
        m = rng.choice(range(1, coders + 1))
        units.append([rng.choice(values) for _ in range(m)])
    return units


@pytest.mark.parametrize("seed", range(12))
def test_two_coders_whole_numbers_give_the_same_floats(seed):
    rng = random.Random(seed)
    nominal = _random_units(rng, 2, rng.choice([3, 40, 400]), ["a", "b", "c", "d"][: rng.randint(1, 4)])
    assert krippendorff_alpha(nominal, "nominal") == reference_alpha(nominal, "nominal")
    order = ["low", "mid", "high", "top"]
    ordinal = _random_units(rng, 2, 300, order[: rng.randint(2, 4)])
    assert (krippendorff_alpha(ordinal, "ordinal", order)
            == reference_alpha(ordinal, "ordinal", order))
    ints = _random_units(rng, 2, 500, list(range(rng.randint(1, 200))))
    assert krippendorff_alpha(ints, "interval") == reference_alpha(ints, "interval")


@pytest.mark.parametrize("seed", range(8))
def test_more_coders_and_fractions_equal_to_rounding(seed):
    rng = random.Random(100 + seed)
    floats = _random_units(rng, 2, 400, [round(rng.uniform(-5, 1e4), 3) for _ in range(300)])
    nominal = _random_units(rng, 5, 300, list("abcde"))
    ordinal = _random_units(rng, 4, 300, ["low", "mid", "high"])
    ints = _random_units(rng, 4, 300, list(range(50)))
    for units, metric, order in ((floats, "interval", None), (nominal, "nominal", None),
                                 (ordinal, "ordinal", ["low", "mid", "high"]),
                                 (ints, "interval", None), (ints, "ordinal", None)):
        got, want = krippendorff_alpha(units, metric, order), reference_alpha(units, metric, order)
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_undefined_cases_match():
    for units in ([], [[1]], [[2, 2], [2, 2]], [[1], [2]], [[3, 3, 3]]):
        for metric in ("nominal", "interval", "ordinal"):
            assert krippendorff_alpha(units, metric) is None
            assert reference_alpha(units, metric) is None


def _reference_figures(book, repo, uids):
    """Figures as first computed: one value row at a time (attribute_value_rows), grouped
    in dicts, each annotator's first value in a unit, then reference_alpha."""
    cells = defaultdict(dict)
    rows = repo.attribute_value_rows(uids)  # in annotation order within each annotator
    for article, annotator, kind, start, end, attr_uid, value in rows:
        attr = book.attribute(attr_uid)
        if attr is None or attr.kind_uid != kind or attr.metric is None:
            continue
        cells[attr_uid].setdefault((article, start, end), {}).setdefault(annotator, value)
    out = []
    for attr in book.attributes:
        if attr.kind_uid is None or attr.metric is None:
            continue
        units = [[tuple(v) if isinstance(v, list) else v for v in by.values()]
                 for by in cells.get(attr.uid, {}).values()]
        pairable = [u for u in units if len(u) >= 2]
        order = [v.uid for v in attr.values] if attr.metric == "ordinal" else None
        out.append(AttributeFigure(attr.kind_uid, attr.uid, attr.name, attr.metric,
                                   reference_alpha(pairable, attr.metric, order), len(pairable)))
    return out


@pytest.mark.parametrize("seed", range(3))
def test_store_columns_match_the_row_by_row_reference(tmp_path, seed):
    rng = random.Random(seed)
    repo = Repository(open_store(tmp_path / "s.sqlite"), "ana")
    frame = repo.add_kind(new_kind("frame"))
    claim = repo.add_kind(new_kind("claim"))
    attrs = [
        repo.add_attribute(new_attribute("type", "choice", frame.uid, values=("a", "b", "c"))),
        repo.add_attribute(new_attribute("level", "choice", frame.uid, ordered=True,
                                         values=("low", "mid", "high"))),
        repo.add_attribute(new_attribute("tags", "choice", frame.uid, multiple=True,
                                         values=("x", "y", "z"))),
        repo.add_attribute(new_attribute("count", "integer", frame.uid, minimum=0, maximum=9)),
        repo.add_attribute(new_attribute("sure", "boolean", claim.uid)),
        repo.add_attribute(new_attribute("note", "text", claim.uid)),
    ]
    book = repo.codebook()
    vocab = {a.uid: [v.uid for v in a.values] for a in attrs}
    text = " ".join(f"Sentence {i} says something." for i in range(60))
    arts = [repo.add_article(text + f" ({n})", f"t{n}")[0] for n in range(3)]
    spans = [(i * 27, i * 27 + 8) for i in range(40)]

    def value(attr):
        if attr.type == "choice" and attr.multiple:
            return sorted(rng.sample(vocab[attr.uid], rng.randint(1, 2)),
                          key=vocab[attr.uid].index)
        if attr.type == "choice":
            return rng.choice(vocab[attr.uid])
        if attr.type == "integer":
            return rng.randint(0, 9)
        if attr.type == "boolean":
            return rng.random() < 0.5
        return "n"

    for who in ("ana", "ben", "cy"):
        repo.set_annotator(who)
        for art in arts:
            for start, end in rng.sample(spans, 25):
                for _ in range(rng.choice([1, 1, 1, 2])):  # sometimes the same span twice
                    kind = rng.choice([frame, claim])
                    mine = [a for a in attrs if a.kind_uid == kind.uid and rng.random() < 0.8]
                    repo.add_annotation(Annotation(
                        "", art.uid, "", kind.uid, start, end, art.text[start:end],
                        attributes={a.uid: value(a) for a in mine}))
    review = ReviewStore(repo)
    uids = [a.uid for a in review.annotators_with_annotations()]
    for pick in (uids, uids[:2]):
        got = span_attribute_figures_columns(book, review.attribute_columns(pick, book))
        want = _reference_figures(book, repo, pick)
        assert [(f.attribute, f.n) for f in got] == [(f.attribute, f.n) for f in want]
        for g, w in zip(got, want, strict=True):
            assert (g.value is None) == (w.value is None)
            if w.value is not None:
                assert g.value == pytest.approx(w.value, rel=1e-12)
        if pick == uids[:2]:
            assert [f.value for f in got] == [f.value for f in want]  # two coders: exact
        # the reader that computes each kind's figures as it reads it: the same figures
        for early in (True, False):
            reader = review.attribute_reader(pick, book, figures=early)
            assert reader.figures() == got
    # Spans of an article in the trash, and trashed spans, drop out of both.
    before = span_attribute_figures_columns(book, review.attribute_columns(uids, book))
    repo.delete_article(arts[0].uid)
    repo.delete_annotation(repo.list_annotations(arts[1].uid)[0].uid)
    got = span_attribute_figures_columns(book, review.attribute_columns(uids, book))
    want = _reference_figures(book, repo, uids)
    assert [(f.attribute, f.n) for f in got] == [(f.attribute, f.n) for f in want]
    assert [f.n for f in got] != [f.n for f in before]
    for g, w in zip(got, want, strict=True):
        assert g.value == pytest.approx(w.value, rel=1e-12)
    repo.close()


@pytest.mark.parametrize("seed", range(4))
def test_dense_and_sparse_coincidence_counts_and_presorted_units_agree(seed, monkeypatch):
    import numpy as np

    from stancemark.core import attribute_agreement_columns as cols

    rng = np.random.default_rng(seed)
    unit = rng.integers(0, 300, 1000)
    cats = sorted({round(float(x), 2) for x in rng.uniform(0, 50, 400)})
    code = rng.integers(0, len(cats), 1000)
    for metric in ("nominal", "interval", "ordinal"):
        dense_counts = cols.coded_alpha(unit, code, cats, metric)
        at = np.argsort(unit, kind="stable")
        presorted = cols.coded_alpha(unit[at], code[at], cats, metric)
        monkeypatch.setattr(cols, "_DENSE_CELLS", 0)
        sparse_counts = cols.coded_alpha(unit, code, cats, metric)
        monkeypatch.undo()
        assert dense_counts == sparse_counts == presorted and dense_counts[1] > 0


def test_attribute_reader_begun_early_gives_the_columns(tmp_path):
    # The CLI begins the reading before the span figures: the thread takes kinds from
    # the queue while this connection is busy, result() takes the rest; the same columns.
    repo = Repository(open_store(tmp_path / "s.sqlite"), "ana")
    kinds = [repo.add_kind(new_kind(f"k{i}")) for i in range(4)]
    attrs = [repo.add_attribute(new_attribute(f"n{i}", "integer", k.uid, minimum=0, maximum=9))
             for i, k in enumerate(kinds)]
    art, _ = repo.add_article("Sentence one. Sentence two. Sentence three.", "t")
    for who in ("ana", "ben"):
        repo.set_annotator(who)
        for i, (kind, attr) in enumerate(zip(kinds, attrs, strict=True)):
            repo.add_annotation(Annotation("", art.uid, "", kind.uid, 0, 8, art.text[:8],
                                           attributes={attr.uid: (i + len(who)) % 10}))
    review = ReviewStore(repo)
    book = repo.codebook()
    uids = [a.uid for a in review.annotators_with_annotations()]
    want = review.attribute_columns(uids, book)
    reader = review.attribute_reader(uids, book)
    review.span_table(uids, book.kind_uids())  # this connection busy meanwhile
    got = reader.result()
    assert [kv.kind for kv in got] == [k.uid for k in kinds] == [kv.kind for kv in want]
    for g, w in zip(got, want, strict=True):
        assert g.values == w.values and (g.ids == w.ids).all()
    review.attribute_reader(uids, book).close()  # given up: the thread is waited for
    # each kind's figures computed by whichever thread read it, handed back in codebook
    # order: those computed from all the columns at the end
    reader = review.attribute_reader(uids, book, figures=True)
    review.span_table(uids, book.kind_uids())
    figures = reader.figures()
    assert figures == span_attribute_figures_columns(book, want)
    assert [f.attribute for f in figures] == [a.name for a in attrs] and all(
        f.n == 1 for f in figures)
    repo.close()
