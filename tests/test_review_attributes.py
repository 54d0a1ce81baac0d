"""Review of attributes: a unit can differ on any codebook attribute (built-in kinds' and
custom kinds', a multiple choice in any order), the reason names the attribute, and
adjudication keeps the attributes of the version chosen."""

from __future__ import annotations

import pytest

from review_data import attribute_store
from stancemark.cli import main
from stancemark.core.adjudication import adjudicate
from stancemark.core.agreement import AGREE, DISAGREE, readable_reasons, review_units
from stancemark.store.review import ReviewStore


@pytest.fixture
def coded(tmp_path):
    repo, art, intensity, frame = attribute_store(tmp_path / "s.sqlite")
    yield repo, art, intensity, frame
    repo.close()


def _units(repo, art):
    review = ReviewStore(repo)
    who = [a.uid for a in review.annotators_by_names(["ana", "ben"])]
    return review, who, review_units(review.spans(who, article_uid=art.uid), who)


def test_a_unit_differs_on_an_attribute_and_says_which(coded):
    repo, art, intensity, frame = coded
    _review, _who, (stance, framed) = _units(repo, art)
    assert stance.status == DISAGREE and stance.reasons == ("@" + intensity.uid,)
    assert readable_reasons(stance.reasons, repo.codebook()) == ["intensity"]
    assert framed.kind == frame.uid and framed.status == AGREE  # tones: same set


def test_an_attribute_set_by_one_only_is_a_difference(coded):
    repo, art, intensity, _frame = coded
    ben = next(a for a in repo.list_annotations(art.uid) if a.kind == "stance"
               and a.annotator_uid == repo.annotator_by_name("ben").uid)
    repo.update_annotation(ben.uid, attributes={})
    _review, _who, (stance, _framed) = _units(repo, art)
    assert stance.reasons == ("@" + intensity.uid,)


def test_adjudication_keeps_the_chosen_versions_attributes(coded):
    repo, art, intensity, _frame = coded
    review, who, (stance, _framed) = _units(repo, art)
    ben = repo.annotator_by_name("ben")
    source = repo.get_annotation(next(s.uid for s in stance.spans if s.annotator == ben.uid))
    gold = review.gold_annotator()
    cmd = adjudicate(review, stance, "accept", source, gold_annotator_uid=gold.uid,
                     reviewer_uid=repo.annotator.uid, reviewer_name="rev")
    cmd.apply(repo)
    assert repo.get_annotation(cmd.gold.uid).attributes == {intensity.uid: 2}
    cmd.revert(repo)
    edit = adjudicate(review, stance, "edit", source, gold_annotator_uid=gold.uid,
                      reviewer_uid=repo.annotator.uid, reviewer_name="rev",
                      changes={"attributes": {intensity.uid: 3}})
    edit.apply(repo)
    assert repo.get_annotation(edit.gold.uid).attributes == {intensity.uid: 3}


def test_settle_lists_the_attribute_by_name(coded, tmp_path, capsys):
    repo, _art, _intensity, _frame = coded
    assert main(["--store", str(tmp_path / "s.sqlite"), "settle", "list",
                 "--annotators", "ana,ben"]) == 0
    out = capsys.readouterr().out
    assert "differ: intensity" in out and "@" not in out


def test_settle_takes_a_custom_kind_by_name(coded, tmp_path, capsys):
    store = str(tmp_path / "s.sqlite")
    assert main(["--store", store, "settle", "list", "--all", "--kind", "frame",
                 "--annotators", "ana,ben"]) == 0
    [line] = capsys.readouterr().out.strip().splitlines()
    assert "economic cost" in line and "agree" in line
    assert main(["--store", store, "settle", "list", "--kind", "poem",
                 "--annotators", "ana,ben"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no span kind called 'poem'" in err
