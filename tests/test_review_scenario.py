"""The review scenario end to end: Ana's and Ben's stores on the seed articles merge into
a reviewer's store, merging again adds nothing, and the agreement figures equal the
worked examples below (the spans are listed in review_data.py)."""

from __future__ import annotations

import pytest

from review_data import build_store
from stancemark.cli import main
from stancemark.core.agreement import compute_agreement
from stancemark.store import Repository, open_store
from stancemark.store.merge import merge_store
from stancemark.store.review import ReviewStore


@pytest.fixture
def reviewed(tmp_path):
    for who in ("ana", "ben"):
        build_store(tmp_path / f"{who}.sqlite", who).close()
    rev = Repository(open_store(tmp_path / "rev.sqlite"), "rev")
    reports = [merge_store(rev, tmp_path / f"{who}.sqlite") for who in ("ana", "ben")]
    yield rev, reports
    rev.close()


def _figures(rev):
    review = ReviewStore(rev)
    uids = [rev.annotator_by_name(n).uid for n in ("ana", "ben")]
    spans = review.spans(uids)
    return compute_agreement(spans, uids, review.lengths({s.article for s in spans}))


def test_merge_into_a_third_store_then_again_adds_nothing(tmp_path, reviewed):
    rev, (ana, ben) = reviewed
    assert (ana.articles_added, ana.annotations_added) == (3, 6)
    assert (ben.articles_matched, ben.annotations_added) == (3, 5)
    for who in ("ana", "ben"):
        assert not merge_store(rev, tmp_path / f"{who}.sqlite").added_anything
    assert rev.stats()["annotations"] == 11


def test_agreement_figures_match_the_worked_example(reviewed):
    rev, _ = reviewed
    rep = _figures(rev)
    pair = f"{rev.annotator_by_name('ana').uid}|{rev.annotator_by_name('ben').uid}"
    # Actor mentions: Ana 4, Ben 3.
    #   exact: Beijing, Taipei -> 2 matched: P = 2/3, R = 2/4, F1 = 2*2/(4+3) = 4/7
    #   overlap: + "Donald Trump"~"Trump" -> 3: P = 3/3, R = 3/4, F1 = 6/7
    assert rep.get("precision_exact", "actor", pair).value == pytest.approx(2 / 3)
    assert rep.get("recall_exact", "actor", pair).value == pytest.approx(2 / 4)
    assert rep.get("f1_exact", "actor", pair).value == pytest.approx(4 / 7)
    assert rep.get("f1_overlap", "actor", pair).value == pytest.approx(6 / 7)
    # Kappa on the actor of the 3 overlap-matched pairs:
    #   (China, China), (Trump, Trump), (Taiwan, China) -> p_o = 2/3
    #   Ana: China 1, Trump 1, Taiwan 1; Ben: China 2, Trump 1
    #   p_e = (1*2 + 1*1 + 1*0) / 9 = 1/3 -> kappa = (2/3 - 1/3) / (2/3) = 0.5
    assert rep.get("kappa_actor", "actor", pair).value == pytest.approx(0.5)
    # Alpha on the same units (Ana's lone "China" is not pairable):
    #   o_CC = 2, o_TT = 2, o_TwC = o_CTw = 1; n_C = 3, n_T = 2, n_Tw = 1, n = 6
    #   alpha = 1 - 5 * 2 / (36 - 9 - 4 - 1) = 1 - 10/22 = 0.5454...
    assert rep.get("alpha_actor", "actor").value == pytest.approx(1 - 10 / 22)
    # Dates: one pair, same span, 2021-01-09 vs 2020-01-09: p_o = 0, p_e = 0 -> kappa 0.
    assert rep.get("kappa_date", "date", pair).value == pytest.approx(0.0)
    assert rep.get("f1_exact", "date", pair).value == pytest.approx(1.0)
    # Identical date and stance boundaries: no unitizing disagreement -> u-alpha = 1.
    assert rep.get("u_alpha", "date").value == pytest.approx(1.0)
    assert rep.get("u_alpha", "stance").value == pytest.approx(1.0)
    # Actor u-alpha: observed disagreement only from "Donald Trump" vs "Trump"
    # ((35-42)^2 = 49) and Ana's lone "China" inside Ben's gap (5^2 = 25): below 1.
    assert 0 < rep.get("u_alpha", "actor").value < 1
    # Over every kind: 11 spans, exact matches 2 + 1 + 1 = 4 -> F1 = 2*4/11
    assert rep.get("f1_exact", "all", pair).value == pytest.approx(8 / 11)


def test_cli_merge_and_agreement_output(tmp_path, capsys):
    for who in ("ana", "ben"):
        build_store(tmp_path / f"{who}.sqlite", who).close()
    store = ["--store", str(tmp_path / "cli.sqlite"), "--annotator", "rev"]
    assert main([*store, "merge", str(tmp_path / "ana.sqlite")]) == 0
    assert main([*store, "merge", str(tmp_path / "ben.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "5 annotation(s) added" in out and "Beijing government" in out
    assert main([*store, "merge", str(tmp_path / "ben.sqlite")]) == 0
    assert "0 annotation(s) added" in capsys.readouterr().out
    assert main([*store, "agreement", "--kind", "actor", "--format", "json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    f1 = next(r for r in rows if r["measure"] == "f1_exact" and r["annotators"] == "ana | ben")
    assert f1["value"] == round(4 / 7, 4)
    out_csv = tmp_path / "agreement.csv"
    assert main([*store, "agreement", "--by", "article", "--format", "csv",
                 "--out", str(out_csv)]) == 0
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "scope,kind,annotators,measure,value,n"
    assert any(line.startswith("dca24397") for line in lines)
    assert main([*store, "agreement", "--kind", "actor"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[2] == "corpus · actor"
    pair_line = next(line for line in table if line.strip().startswith("ana | ben"))
    assert pair_line.split()[3:6] == ["0.667", "0.500", "0.571"]  # P=, R=, F1= (4/7)
    assert main([*store, "agreement", "--annotators", "ana,nobody"]) == 1
    assert "no annotator called 'nobody'" in capsys.readouterr().err


def test_cli_review_progress(tmp_path, reviewed, capsys):
    rev, _ = reviewed
    rev.close()
    store = ["--store", str(tmp_path / "rev.sqlite"), "--annotator", "rev"]
    assert main([*store, "review-progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["decided", "units", "open", "title"]
    # ART1: 4 units (Beijing agrees; Trump, Taipei differ; China only Ana), none decided.
    row = next(line for line in lines if "Republicans in Congress" in line)
    assert row.split()[:3] == ["0", "4", "3"]
