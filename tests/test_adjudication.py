"""Review decisions and the gold layer: accept, edit, reject, undo, progress, export."""

from __future__ import annotations

import importlib.util

import pytest

from review_data import ART1, ART3, CHINA, merged_store
from stancemark.core.adjudication import adjudicate
from stancemark.core.agreement import DISAGREE, review_units
from stancemark.core.model import GOLD_ANNOTATOR
from stancemark.store import Repository, open_store
from stancemark.store.merge import merge_store
from stancemark.store.review import ReviewStore


@pytest.fixture
def rev(tmp_path):
    repo = merged_store(tmp_path)
    yield repo
    repo.close()


def _setup(repo, article=ART1):
    review = ReviewStore(repo)
    names = [repo.annotator_by_name(n).uid for n in ("ana", "ben")]
    units = review_units(review.spans(names, article_uid=article), names)
    gold = review.gold_annotator()
    return review, names, units, gold


def _cmd(repo, review, gold, unit, decision, source, **kw):
    return adjudicate(review, unit, decision, source, gold_annotator_uid=gold.uid,
                      reviewer_uid=repo.annotator.uid, reviewer_name=repo.annotator.name, **kw)


def test_accept_puts_the_chosen_version_in_gold_with_its_provenance(rev):
    review, names, units, gold = _setup(rev)
    taipei = next(u for u in units if u.status == DISAGREE and "actor" in u.reasons)
    bens = next(s for s in taipei.spans if s.annotator == names[1])
    source = rev.get_annotation(bens.uid)
    cmd = _cmd(rev, review, gold, taipei, "accept", source)
    cmd.apply(rev)
    golds = rev.list_annotations(ART1, [gold.uid])
    assert len(golds) == 1 and golds[0].actor_uid == CHINA
    assert golds[0].meta["adjudicated_by"] == "rev"
    assert sorted(golds[0].meta["sources"]) == sorted(s.uid for s in taipei.spans)
    assert golds[0].uid != source.uid and rev.get_annotation(source.uid) == source
    (decision,) = review.decisions(ART1)
    assert (decision.decision, decision.chosen_annotator_uid, decision.gold_uid) == (
        "accept", names[1], golds[0].uid)
    assert rev.annotator_by_name(GOLD_ANNOTATOR).is_gold
    # Undo removes both; redo brings back the same uids.
    cmd.revert(rev)
    assert rev.list_annotations(ART1, [gold.uid]) == [] and review.decisions(ART1) == []
    cmd.apply(rev)
    assert [a.uid for a in rev.list_annotations(ART1, [gold.uid])] == [golds[0].uid]
    assert review.get_decision(decision.uid) == decision


def test_edit_and_reject_and_a_new_verdict_replaces_the_old(rev):
    review, names, units, gold = _setup(rev)
    trump = next(u for u in units if "span" in u.reasons)
    anas = rev.get_annotation(next(s.uid for s in trump.spans if s.annotator == names[0]))
    # Edit: Ana's version, narrowed to Ben's boundaries.
    edit = _cmd(rev, review, gold, trump, "edit", anas,
                changes={"start": anas.start + 7, "quote": "Trump"})
    edit.apply(rev)
    (g,) = rev.list_annotations(ART1, [gold.uid])
    assert (g.quote, g.start, g.end) == ("Trump", anas.start + 7, anas.end)
    # A reject of the same unit replaces the accepted edit; undo brings it back.
    reject = _cmd(rev, review, gold, trump, "reject", None)
    reject.apply(rev)
    assert rev.list_annotations(ART1, [gold.uid]) == []
    assert [d.decision for d in review.decisions(ART1)] == ["reject"]
    reject.revert(rev)
    assert [d.decision for d in review.decisions(ART1)] == ["edit"]
    assert [a.uid for a in rev.list_annotations(ART1, [gold.uid])] == [g.uid]


def test_progress_counts_decided_units_and_open_ones_go_down(rev):
    review, names, units, gold = _setup(rev)
    assert review.progress(ART1, names) == (0, 4, 3)
    to_review = [u for u in units if u.status != "agree"]
    assert len(to_review) == 3
    for done, unit in enumerate(to_review[:2], 1):
        _cmd(rev, review, gold, unit, "reject", None).apply(rev)
        assert review.progress(ART1, names) == (done, 4, 3 - done)  # open: left to settle
    corpus = review.corpus_progress(names)
    assert corpus[ART1] == (2, 4, 1) and corpus[ART3] == (0, 1, 1)
    agreed = next(u for u in units if u.status == "agree")
    _cmd(rev, review, gold, agreed, "accept", rev.get_annotation(agreed.spans[0].uid)).apply(rev)
    assert review.progress(ART1, names) == (3, 4, 1)  # an agreed unit was never open


def test_decisions_travel_with_a_merge(rev, tmp_path):
    review, names, units, gold = _setup(rev)
    _cmd(rev, review, gold, units[0], "accept",
         rev.get_annotation(units[0].spans[0].uid)).apply(rev)
    other = Repository(open_store(tmp_path / "other.sqlite"), "someone")
    report = merge_store(other, tmp_path / "rev.sqlite")
    assert report.decisions_added == 1
    assert len(ReviewStore(other).decisions(ART1)) == 1
    assert len(other.list_annotations(ART1, [other.annotator_by_name("gold").uid])) == 1
    assert merge_store(other, tmp_path / "rev.sqlite").decisions_added == 0
    other.close()


def test_gold_layer_exports_in_every_format(rev, tmp_path):
    from stancemark.formats import FORMATS
    from stancemark.formats.common import Scope

    review, names, _, gold = _setup(rev)
    for article in rev.article_uids():
        for unit in review_units(review.spans(names, article_uid=article), names):
            source = rev.get_annotation(unit.spans[0].uid)
            _cmd(rev, review, gold, unit, "accept", source).apply(rev)
    golds = [a for art in rev.article_uids() for a in rev.list_annotations(art, [gold.uid])]
    n_gold, n_stances = len(golds), sum(1 for a in golds if a.kind == "stance")
    assert (n_gold, n_stances) == (6, 1)  # 4 units in ART1, one stance, one date
    exported = []
    for name, info in FORMATS.items():
        if not info.can_export:
            continue
        if info.extra and importlib.util.find_spec({"spacy": "spacy"}.get(info.extra, info.extra)) is None:
            continue
        out = tmp_path / "gold" / f"gold-{name}{info.suffixes[0] if info.suffixes else ''}"
        report = info.load().export(rev, out, Scope(annotators="gold"), None)
        assert out.exists(), name
        # Gold only (Ana and Ben hold 11); networks count stances only, CoNLL entity
        # tags everything but stances.
        assert report.annotations in (n_gold, n_stances, n_gold - n_stances), name
        exported.append(name)
    assert "jsonl" in exported and len(exported) >= 2
    # The lossless format holds exactly the gold annotations.
    import json

    lines = [json.loads(x) for x in (tmp_path / "gold" / "gold-jsonl.jsonl").read_text().splitlines()]
    anns = [a for r in lines if r["type"] == "article" for a in r["annotations"]]
    assert len(anns) == n_gold and {a["annotator_uid"] for a in anns} == {gold.uid}
