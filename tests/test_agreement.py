"""Agreement figures against worked examples computed by hand (arithmetic in comments)."""

from __future__ import annotations

import random

import pytest

from stancemark.core.agreement import (
    AGREE,
    DISAGREE,
    SINGLE,
    Span,
    cohen_kappa,
    compute_agreement,
    match_spans,
    nominal_alpha,
    review_units,
)
from stancemark.core.unitizing import UnitizingTally, unitizing_alpha


def sp(ann: str, start: int, end: int, kind: str = "actor", art: str = "doc", **labels):
    if not labels and kind == "actor":
        labels = {"actor": "x"}
    return Span(art, ann, kind, start, end, labels)


# A: [0,5) [10,15) [20,25)   B: [0,5) [11,15) [30,35)
A = [sp("A", 0, 5), sp("A", 10, 15), sp("A", 20, 25)]
B = [sp("B", 0, 5), sp("B", 11, 15), sp("B", 30, 35)]


def test_exact_matching_counts_same_boundaries_only():
    pairs = match_spans(A, B, "exact")
    assert [(a.start, b.start) for a, b in pairs] == [(0, 0)]


def test_overlap_matching_is_one_to_one_and_prefers_longest_overlap():
    pairs = match_spans(A, B, "overlap")
    assert sorted((a.start, b.start) for a, b in pairs) == [(0, 0), (10, 11)]
    # One B span overlapping two A spans pairs with the one it shares more with:
    # [0,10) shares 4 with [6,12) and 2 with [8,20) -> ([6,12),[0,10)); then [8,20)
    # still overlaps [6,12)? it is taken, so [8,20) stays unmatched.
    pairs = match_spans([sp("A", 6, 12), sp("A", 13, 14)], [sp("B", 0, 10), sp("B", 8, 20)],
                        "overlap")
    got = sorted(((a.start, a.end), (b.start, b.end)) for a, b in pairs)
    assert got == [((6, 12), (0, 10)), ((13, 14), (8, 20))]


def test_precision_recall_f1_worked_example():
    rep = compute_agreement(A + B, ["A", "B"], {"doc": 40}, kinds=("actor",))
    # exact: 1 matched of |A| = 3, |B| = 3 -> P = 1/3, R = 1/3, F1 = 2*1/(3+3) = 1/3
    assert rep.get("precision_exact", "actor").value == pytest.approx(1 / 3)
    assert rep.get("recall_exact", "actor").value == pytest.approx(1 / 3)
    assert rep.get("f1_exact", "actor").value == pytest.approx(1 / 3)
    # overlap: [0,5)~[0,5) and [10,15)~[11,15) -> 2 matched; F1 = 2*2/6 = 2/3
    assert rep.get("f1_overlap", "actor").value == pytest.approx(2 / 3)
    assert rep.get("f1_overlap", "actor", pair="A|B").value == pytest.approx(2 / 3)
    assert rep.get("f1_overlap", "all").n == 6


def test_cohen_kappa_worked_example():
    a = "s s s s s o o o n n".split()
    b = "s s s s o o o n n n".split()
    # agreements at positions 1-4 (s), 6-7 (o), 9-10 (n): p_o = 8/10 = 0.8
    # marginals A: s 5, o 3, n 2; B: s 4, o 3, n 3
    # p_e = (5*4 + 3*3 + 2*3) / 10^2 = 35/100 = 0.35
    # kappa = (0.8 - 0.35) / (1 - 0.35) = 0.45 / 0.65 = 0.6923...
    assert cohen_kappa(list(zip(a, b, strict=True))) == pytest.approx(0.45 / 0.65)


def test_kappa_undefined_when_one_value_only():
    assert cohen_kappa([("s", "s"), ("s", "s")]) is None
    assert cohen_kappa([]) is None


def test_nominal_alpha_worked_example():
    # Units (a,a), (a,b), (b,b). Coincidences (each pair weighted 1/(m_u - 1) = 1):
    # o_aa = 2, o_ab = o_ba = 1, o_bb = 2; n_a = 3, n_b = 3, n = 6.
    # alpha = 1 - (n - 1) * (o_ab + o_ba) / (n^2 - n_a^2 - n_b^2)
    #       = 1 - 5 * 2 / (36 - 9 - 9) = 1 - 10/18 = 0.4444...
    assert nominal_alpha([["a", "a"], ["a", "b"], ["b", "b"]]) == pytest.approx(1 - 10 / 18)


def test_nominal_alpha_three_annotators_with_missing_values():
    # Units: (a,a,a), (a,b,-), (b,b,b), (c,-,-) -- the last is not pairable.
    # u1: m=3, o_aa += 3*2/2 = 3;  u2: m=2, o_ab += 1, o_ba += 1;  u3: o_bb += 3
    # n_a = 4, n_b = 4, n = 8
    # alpha = 1 - 7 * 2 / (64 - 16 - 16) = 1 - 14/32 = 0.5625
    got = nominal_alpha([["a", "a", "a"], ["a", "b"], ["b", "b", "b"], ["c"]])
    assert got == pytest.approx(1 - 14 / 32)


def test_nominal_alpha_matches_krippendorff_package():
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np

    rng = random.Random(7)
    for _ in range(20):
        coders, n_units = rng.randint(2, 4), rng.randint(5, 40)
        table = [[rng.choice([0, 1, 2, None, 0]) for _ in range(n_units)] for _ in range(coders)]
        units = [[row[u] for row in table if row[u] is not None] for u in range(n_units)]
        ours = nominal_alpha(units)
        data = np.array([[np.nan if v is None else v for v in row] for row in table], dtype=float)
        if ours is None:
            continue
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_unitizing_alpha_worked_example():
    # L = 10, two annotators, one category. A marks [2,5) (l=3), B marks [3,5) (l=2).
    # Segments A: gap[0,2) unit[2,5) gap[5,10);  B: gap[0,3) unit[3,5) gap[5,10)
    # Intersecting pairs with a distance: unit[2,5) ~ unit[3,5): (2-3)^2 + (5-5)^2 = 1
    # (gap[0,3) does not contain unit[2,5), so 0.)
    # D_o = 2 * 1 / (R L^2) = 2 / (2 * 1 * 100) = 0.01
    # Expected: N_c = 2, gaps 2, 5 (A) and 3, 5 (B).
    #   l=3: (2-1)(2*27 - 3*9 + 3)/3 = 30/3 = 10; gaps >= 3: 3,5,5 -> 1+3+3 = 7, * 9 = 63 -> 73
    #   l=2: (2-1)(2*8 - 3*4 + 2)/3 = 6/3 = 2;   gaps >= 2: 2,3,5,5 -> 1+2+4+4 = 11, * 4 = 44 -> 46
    #   numerator = (73 + 46) * 2 / L = 119 * 0.2 = 23.8
    #   denominator = R L (R L - 1) - sum l(l-1) = 20 * 19 - (6 + 2) = 372
    # D_e = 23.8 / 372 = 0.063978...;  u-alpha = 1 - 0.01 / 0.063978 = 0.843697...
    tally = UnitizingTally(["A", "B"], ["c"], {"doc": 10})
    tally.add("doc", "c", {"A": [sp("A", 2, 5)], "B": [sp("B", 3, 5)]})
    d_o, d_e = tally.disagreements("c")
    assert d_o == pytest.approx(0.01)
    assert d_e == pytest.approx(23.8 / 372)
    assert tally.alpha("c") == pytest.approx(1 - 0.01 / (23.8 / 372))


def test_unitizing_alpha_unit_inside_other_annotators_gap():
    # L = 10; A marks [2,4) (l=2); B marks nothing (one gap [0,10)).
    # D_o: unit[2,4) lies inside B's gap -> l^2 = 4; D_o = 2*4/(2*100) = 0.04
    # Expected: N_c = 1 so the first term is 0; gaps 2, 6 (A) and 10 (B), all >= 2:
    #   (2-2+1) + (6-2+1) + (10-2+1) = 1 + 5 + 9 = 15, * l^2 = 60; * 2/L = 12
    #   denominator = 20*19 - 2*1 = 378;  D_e = 12/378
    # u-alpha = 1 - 0.04 / (12/378) = 1 - 1.26 = -0.26
    got = unitizing_alpha({"A": [sp("A", 2, 4)], "B": []}, 10)
    assert got == pytest.approx(1 - 0.04 / (12 / 378))


def test_unitizing_alpha_is_one_for_identical_spans_and_none_without_units():
    assert unitizing_alpha({"A": [sp("A", 1, 4)], "B": [sp("B", 1, 4)]}, 10) == pytest.approx(1)
    assert unitizing_alpha({"A": [], "B": []}, 10) is None


def test_corpus_figures_add_up_articles():
    # Two articles, same spans each: corpus F1 equals each article's F1, and the
    # per-article rows exist next to the corpus ones.
    spans = [s for art in ("d1", "d2") for s in
             [sp("A", 0, 5, art=art), sp("B", 0, 5, art=art), sp("A", 10, 12, art=art)]]
    rep = compute_agreement(spans, ["A", "B"], {"d1": 20, "d2": 20}, by="article",
                            kinds=("actor",))
    # each article: 1 matched, |A| = 2, |B| = 1 -> F1 = 2/3; corpus: 2*2/(4+2) = 2/3
    assert rep.get("f1_exact", "actor", scope="d1").value == pytest.approx(2 / 3)
    assert rep.get("f1_exact", "actor").value == pytest.approx(2 / 3)
    # A is the reference: recall = matched / |A| = 2/4, precision = matched / |B| = 2/2
    assert rep.get("recall_exact", "actor").value == pytest.approx(2 / 4)
    assert rep.get("precision_exact", "actor").value == pytest.approx(1.0)


def test_kappa_and_alpha_on_matched_stance_labels():
    spans = [sp("A", 0, 5, "stance", polarity="support", target="t1"),
             sp("B", 0, 5, "stance", polarity="support", target="t1"),
             sp("A", 10, 15, "stance", polarity="oppose", target="t1"),
             sp("B", 10, 14, "stance", polarity="support", target="t1"),
             sp("A", 20, 25, "stance", polarity="oppose", target="t2")]
    rep = compute_agreement(spans, ["A", "B"], {"doc": 30}, kinds=("stance",))
    # matched by overlap: (support, support), (oppose, support); A's third is unmatched
    # p_o = 1/2; A: s 1, o 1; B: s 2 -> p_e = (1*2)/4 = 0.5 -> kappa = 0 / 0.5 = 0
    assert rep.get("kappa_polarity", "stance", pair="A|B").value == pytest.approx(0.0)
    assert rep.get("kappa_polarity", "stance", pair="A|B").n == 2
    # target always t1 on matched pairs -> kappa undefined
    assert rep.get("kappa_target", "stance", pair="A|B").value is None
    # alpha on the same two pairable units (s,s), (o,s): o_ss = 2, o_os = o_so = 1;
    # n_s = 3, n_o = 1, n = 4 -> 1 - 3 * 2 / (16 - 9 - 1) = 1 - 6/6 = 0
    assert rep.get("alpha_polarity", "stance").value == pytest.approx(0.0)


def test_review_units_classify_agree_disagree_single():
    spans = [sp("A", 0, 5, actor="x"), sp("B", 0, 5, actor="x"),      # agree
             sp("A", 10, 15, actor="x"), sp("B", 10, 15, actor="y"),  # different actor
             sp("A", 20, 25, actor="x"), sp("B", 21, 25, actor="x"),  # different span
             sp("A", 30, 35, actor="x")]                              # only A
    units = review_units(spans, ["A", "B"])
    assert [u.status for u in units] == [AGREE, DISAGREE, DISAGREE, SINGLE]
    assert units[1].reasons == ("actor",)
    assert units[2].reasons == ("span",)


@pytest.mark.slow  # 200,000 spans: a performance run; the figures are checked by the others
def test_agreement_scales_to_many_spans():
    # 200,000 spans must go through in one pass without quadratic blow-up; this
    # asserts the result, not the time (timing is measured by the benchmark).
    rng = random.Random(1)
    spans = []
    lengths = {}
    for art in range(1000):
        lengths[f"a{art}"] = 20_000
        for i in range(100):
            start = i * 150 + rng.randint(0, 5)
            for ann in ("A", "B"):
                shift = rng.choice([0, 0, 0, 1])
                spans.append(Span(f"a{art}", ann, "actor", start + shift, start + 20,
                                  {"actor": rng.choice("xy")}))
    rep = compute_agreement(spans, ["A", "B"], lengths, kinds=("actor",))
    assert rep.get("f1_overlap", "actor").value == pytest.approx(1.0)
    assert 0 < rep.get("f1_exact", "actor").value < 1


def test_three_annotators_pairs_alpha_and_review_units():
    # Units: [0,5) all three say x; [10,15) A x, B x, C y; [20,25) A and B only, both x.
    spans = [sp("A", 0, 5), sp("B", 0, 5), sp("C", 0, 5),
             sp("A", 10, 15), sp("B", 10, 15), sp("C", 10, 15, actor="y"),
             sp("A", 20, 25), sp("B", 20, 25)]
    rep = compute_agreement(spans, ["A", "B", "C"], {"doc": 30}, kinds=("actor",))
    # Pairs: A|B 3 of 3+3 exact -> F1 1; A|C 2 matched of 3+2 -> 4/5; overall 2*7/16
    assert rep.get("f1_exact", "actor", "A|B").value == pytest.approx(1.0)
    assert rep.get("f1_exact", "actor", "A|C").value == pytest.approx(4 / 5)
    assert rep.get("f1_exact", "actor").value == pytest.approx(14 / 16)
    # Alpha: (x,x,x): o_xx += 3*2/2 = 3; (x,x,y): o_xx += 2*1/2 = 1, o_xy = o_yx = 2*1/2 = 1;
    # (x,x): o_xx += 2. n_x = 3+1+1+2 = 7, n_y = 1, n = 8
    # alpha = 1 - (n-1) * (o_xy + o_yx) / (n^2 - n_x^2 - n_y^2) = 1 - 7*2/(64-49-1) = 0
    assert rep.get("alpha_actor", "actor").value == pytest.approx(0.0)
    units = review_units(spans, ["A", "B", "C"])
    assert [(u.status, u.reasons) for u in units] == [
        (AGREE, ()), (DISAGREE, ("actor",)), (DISAGREE, ("missing",))]


def test_unitizing_alpha_properties_on_random_continua():
    # Swapping annotators changes nothing; identical markings give 1; alpha never exceeds 1.
    rng = random.Random(11)
    for _ in range(50):
        length = rng.randint(20, 200)

        def marks(who, length=length):
            out, pos = [], rng.randint(0, 5)
            while pos < length - 2:
                end = min(length, pos + rng.randint(1, 12))
                out.append(sp(who, pos, end))
                pos = end + rng.randint(1, 15)
            return out

        a, b = marks("A"), marks("B")
        if not a and not b:
            continue
        ab = unitizing_alpha({"A": a, "B": b}, length)
        ba = unitizing_alpha({"B": b, "A": a}, length)
        assert ab == pytest.approx(ba) and ab <= 1 + 1e-9
        same = unitizing_alpha({"A": a, "B": [sp("B", s.start, s.end) for s in a]}, length)
        assert same is None or same == pytest.approx(1.0)


def test_corpus_u_alpha_keeps_each_articles_gaps_apart():
    """The corpus figure sums every article's terms over L = the sum of their lengths,
    but a gap never runs across an article boundary: it is not the u-alpha of the texts
    laid end to end as one continuum, where the gap ending one article and the gap
    starting the next would be one longer gap."""
    a = {"A": [sp("A", 2, 5, art="a")], "B": [sp("B", 3, 5, art="a")]}
    b = {"A": [sp("A", 4, 8, art="b")], "B": [sp("B", 4, 7, art="b")]}
    tally = UnitizingTally(["A", "B"], ["c"], {"a": 10, "b": 10})
    tally.add("a", "c", a)
    tally.add("b", "c", b)
    # End to end: article b shifted by 10; A's gaps 2, 5+4 (merged across the boundary),
    # 2 instead of 2, 5, 4, 2.
    joined = {r: a[r] + [sp(r, s.start + 10, s.end + 10) for s in b[r]] for r in ("A", "B")}
    end_to_end = unitizing_alpha(joined, 20, "c")
    assert tally.alpha("c") != pytest.approx(end_to_end)
    # Same observed disagreement either way; only the expected one (the gaps) differs.
    whole = UnitizingTally(["A", "B"], ["c"], {"_": 20})
    whole.add("_", "c", joined)
    assert tally.disagreements("c")[0] == pytest.approx(whole.disagreements("c")[0])
    # By hand, article by article: gaps A 2, 5, 4, 2 and B 3, 5, 4, 3; units A 3, 4, B 2, 3.
    # D_o = 2 * (1 + 1) / (2 * 1 * 400) = 0.005
    units, gaps = [3, 4, 2, 3], [2, 5, 4, 2, 3, 5, 4, 3]
    num = sum((len(units) - 1) * (2 * lg ** 3 - 3 * lg ** 2 + lg) / 3
              + lg * lg * sum(g - lg + 1 for g in gaps if g >= lg) for lg in units)
    d_e = num * 2 / 20 / (2 * 20 * (2 * 20 - 1) - sum(lg * (lg - 1) for lg in units))
    assert tally.alpha("c") == pytest.approx(1 - 0.005 / d_e)
    # The figure `stancemark agreement` reports (computed on columns) is this one.
    rep = compute_agreement([*a["A"], *a["B"], *b["A"], *b["B"]], ["A", "B"],
                            {"a": 10, "b": 10}, kinds=("actor",))
    assert rep.get("u_alpha", "actor").value == pytest.approx(1 - 0.005 / d_e)
    # Where no gap meets a boundary (every annotator's unit ends article a), the two agree.
    a2 = {"A": [sp("A", 6, 10, art="a")], "B": [sp("B", 7, 10, art="a")]}
    t2 = UnitizingTally(["A", "B"], ["c"], {"a": 10, "b": 10})
    t2.add("a", "c", a2)
    t2.add("b", "c", b)
    joined2 = {r: a2[r] + [sp(r, s.start + 10, s.end + 10) for s in b[r]] for r in ("A", "B")}
    assert t2.alpha("c") == pytest.approx(unitizing_alpha(joined2, 20, "c"))


def test_alpha_takes_an_annotators_first_span_in_text_order_within_a_unit():
    """One annotator with two overlapping spans in one unit: nominal alpha takes the
    label of the first in text order (start, then the longer one) for that annotator."""
    spans = [sp("A", 0, 10, actor="china"), sp("A", 5, 12, actor="taiwan"),
             sp("B", 0, 10, actor="china"),
             sp("A", 20, 25, actor="us"), sp("B", 20, 25, actor="us"),
             sp("A", 30, 35, actor="us"), sp("B", 30, 35, actor="china")]
    rep = compute_agreement(spans, ["A", "B"], {"doc": 40}, kinds=("actor",))
    # Units: (china, china) -- A's "taiwan" at 5 comes second -- (us, us), (us, china).
    want = nominal_alpha([["china", "china"], ["us", "us"], ["us", "china"]])
    assert rep.get("alpha_actor", "actor").value == pytest.approx(want)
    # Swapping which of A's two spans starts first changes the label that counts.
    spans[0], spans[1] = sp("A", 0, 10, actor="taiwan"), sp("A", 5, 12, actor="china")
    rep = compute_agreement(spans, ["A", "B"], {"doc": 40}, kinds=("actor",))
    want = nominal_alpha([["taiwan", "china"], ["us", "us"], ["us", "china"]])
    assert rep.get("alpha_actor", "actor").value == pytest.approx(want)
