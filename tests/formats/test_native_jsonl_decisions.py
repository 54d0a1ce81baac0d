"""Decisions on suggestions travel in native JSONL: an export holds every accept and
reject (undone ones with the trash), an import into another store keeps them (so a
rejected suggestion stays rejected there, and a colleague's JSONL merged brings theirs),
and a bad decision record is refused in one line, the store unchanged."""

from __future__ import annotations

import json

import pytest

from helpers import store_suggestions
from stancemark.core.errors import InputError
from stancemark.core.model import Annotation
from stancemark.core.suggestion_decisions import ACCEPT, REJECT, SuggestionDecision
from stancemark.formats import native_jsonl
from stancemark.formats.merge_input import merge_path
from stancemark.store import Repository, open_store


def _decide(repo):
    """On the Pompeo article: an accept (with its annotation), two rejects, one of them
    undone; returns the article."""
    art = next(a for a in repo.iter_articles() if a.title.startswith("Pompeo"))
    found = store_suggestions(repo, art)
    me = repo.annotator.uid
    actor = next(s for s in found if s.kind == "actor")
    ann = repo.add_annotation(Annotation("", art.uid, me, "actor", actor.start, actor.end,
                                         actor.quote, actor_uid=actor.actor_uid))
    repo.record_suggestion_decision(SuggestionDecision.of(actor, art.uid, me, ACCEPT, ann.uid))
    date = next(s for s in found if s.kind == "date")
    repo.record_suggestion_decision(SuggestionDecision.of(date, art.uid, me, REJECT))
    other = [s for s in found if s.kind == "actor" and s.start != actor.start][2]
    undone = repo.record_suggestion_decision(SuggestionDecision.of(other, art.uid, me, REJECT))
    repo.undo_suggestion_decision(undone.uid)
    return art


def _fresh(tmp_path, name="b.sqlite", who="bea"):
    return Repository(open_store(tmp_path / name), who)


def test_decisions_round_trip_byte_for_byte(seeded, tmp_path):
    art = _decide(seeded)
    first = tmp_path / "a.jsonl"
    report = native_jsonl.export(seeded, first)
    records = [json.loads(line) for line in first.read_text("utf-8").splitlines()]
    decisions = [r for r in records if r["type"] == "suggestion_decision"]
    assert len(decisions) == 3 and records[-3:] == decisions  # after the articles
    assert sum(1 for d in decisions if d["deleted_at"]) == 1
    other = _fresh(tmp_path)
    got = native_jsonl.import_paths(other, [first])
    assert got.decisions_added == 3 and "3 decision(s) on suggestions or review added" in got.summary()
    mine = seeded.suggestion_decisions(art.uid, include_deleted=True)
    theirs = other.suggestion_decisions(art.uid, include_deleted=True)
    assert theirs == mine
    assert other.rejected_suggestion_keys(art.uid, seeded.annotator.uid) == \
        seeded.rejected_suggestion_keys(art.uid)
    second = tmp_path / "b.jsonl"
    native_jsonl.export(other, second)
    assert second.read_bytes() == first.read_bytes()
    assert report.articles >= 1
    again = native_jsonl.import_paths(other, [first])
    assert again.decisions_added == 0  # already there, by uid


def test_a_decision_follows_its_article_matched_by_text(seeded, tmp_path):
    art = _decide(seeded)
    out = tmp_path / "a.jsonl"
    native_jsonl.export(seeded, out)
    other = _fresh(tmp_path)
    mine, _ = other.add_article(art.text, "the same text, another uid")
    assert mine.uid != art.uid
    native_jsonl.import_paths(other, [out])
    moved = other.suggestion_decisions(mine.uid, include_deleted=True)
    assert len(moved) == 3 and {d.article_uid for d in moved} == {mine.uid}


def test_a_colleagues_jsonl_merged_brings_their_rejections(seeded, tmp_path):
    art = _decide(seeded)
    out = tmp_path / "theirs.jsonl"
    native_jsonl.export(seeded, out)
    other = _fresh(tmp_path)
    report = merge_path(other, out, backup=False)
    assert report.suggestion_decisions_added == 3
    assert other.rejected_suggestion_keys(art.uid, seeded.annotator.uid) == \
        seeded.rejected_suggestion_keys(art.uid)


def test_an_export_of_one_annotator_or_without_the_trash(seeded, tmp_path):
    _decide(seeded)
    seeded.ensure_annotator("cem")
    out = tmp_path / "a.jsonl"
    native_jsonl.export(seeded, out, native_jsonl.Scope(annotators=("cem",)))
    assert '"suggestion_decision"' not in out.read_text("utf-8")
    native_jsonl.export(seeded, out, native_jsonl.Scope(include_trash=False))
    kept = [json.loads(x) for x in out.read_text("utf-8").splitlines() if "suggestion_decision" in x]
    assert len(kept) == 2 and not any(d["deleted_at"] for d in kept)


def _decision_lines(seeded, tmp_path):
    _decide(seeded)
    out = tmp_path / "a.jsonl"
    native_jsonl.export(seeded, out)
    return out.read_text("utf-8").splitlines()


@pytest.mark.parametrize(("changes", "message"), [
    ({"start": "3"}, "'start' has the wrong type"),
    ({"end": None}, "missing field 'end'"),
    ({"start": 9, "end": 9}, "9-9 is not a span"),
    ({"decision": "maybe"}, "decision must be accept or reject"),
    ({"alias": ["x"]}, "'alias' has the wrong type"),
    ({"deleted_at": 5}, "'deleted_at' has the wrong type"),
    ({"uid": {"a": 1}}, "'uid' has the wrong type"),
    ({"colour": "red"}, "unknown field(s) colour"),
    ({"article_uid": "nowhere"}, "names an article not in the file"),
    ({"annotator_uid": "nobody"}, "names an annotator not in the file"),
    ({"actor_uid": "no-such-actor"}, "unknown actor no-such-actor"),
    ({"kind": "frame"}, "frame"),
])
def test_a_bad_decision_names_its_line_and_imports_nothing(seeded, tmp_path, changes, message):
    other = _refused_when_changed(tmp_path, _decision_lines(seeded, tmp_path),
                                  '"suggestion_decision"', changes, message)
    assert other.conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert other.conn.execute("SELECT count(*) FROM suggestion_decisions").fetchone() == (0,)


def _refused_when_changed(tmp_path, lines, record_type, changes, message):
    """The first line of `record_type` changed by `changes` is refused in one line naming
    the file, the line and `message`; the fresh store it went to is returned."""
    at = next(i for i, x in enumerate(lines) if record_type in x)
    rec = json.loads(lines[at])
    rec.update(changes)
    lines[at] = json.dumps(rec)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    other = _fresh(tmp_path)
    with pytest.raises(InputError) as err:
        native_jsonl.import_paths(other, [bad])
    assert message in str(err.value) and f"{bad}:{at + 1}" in str(err.value)
    assert "\n" not in str(err.value)
    return other


def _review(repo):
    """Two annotators tag the same name differently; the reviewer decides the unit (a
    review decision, its gold copy in the gold layer)."""
    from stancemark.core.adjudication import Decision
    from stancemark.store.review import ReviewStore

    art = next(a for a in repo.iter_articles() if a.title.startswith("Pompeo"))
    china = repo.actors_by_alias("China")[0]
    other = repo.ensure_annotator("cem")
    s = art.text.index("China")
    mine = repo.add_annotation(Annotation("", art.uid, repo.annotator.uid, "actor", s, s + 5,
                                          "China", actor_uid=china.uid))
    theirs = repo.add_annotation(Annotation("", art.uid, other.uid, "actor", s, s + 5,
                                            "China", actor_uid=china.uid, note="theirs"))
    reviews = ReviewStore(repo)
    gold = repo.add_annotation(Annotation("", art.uid, reviews.gold_annotator().uid, "actor",
                                          s, s + 5, "China", actor_uid=china.uid))
    decision = reviews.add_decision(Decision(
        "rev-1", art.uid, "actor", s, s + 5, "accept", (mine.uid, theirs.uid), other.uid,
        gold.uid, repo.annotator.uid, "2026-11-30T10:00:00+00:00", "the colleague's"))
    return art, decision


def test_review_decisions_round_trip_byte_for_byte(seeded, tmp_path):
    from stancemark.store.review import ReviewStore

    art, decision = _review(seeded)
    first = tmp_path / "a.jsonl"
    native_jsonl.export(seeded, first)
    records = [json.loads(x) for x in first.read_text("utf-8").splitlines()]
    assert records[-1]["type"] == "review_decision" and records[-1]["uid"] == "rev-1"
    other = _fresh(tmp_path)
    assert native_jsonl.import_paths(other, [first]).decisions_added == 1
    assert ReviewStore(other).decisions(art.uid) == [decision]
    second = tmp_path / "b.jsonl"
    native_jsonl.export(other, second)
    assert second.read_bytes() == first.read_bytes()
    annotators = [a.uid for a in seeded.list_annotators() if a.name in ("ana", "cem")]
    assert ReviewStore(other).progress(art.uid, annotators) == \
        ReviewStore(seeded).progress(art.uid, annotators)
    # one annotator's export holds no review decision (its units are several annotators')
    native_jsonl.export(seeded, second, native_jsonl.Scope(annotators=("cem",)))
    assert '"review_decision"' not in second.read_text("utf-8")


def test_a_review_decision_follows_its_article_matched_by_text(seeded, tmp_path):
    from stancemark.store.review import ReviewStore

    art, _ = _review(seeded)
    out = tmp_path / "a.jsonl"
    native_jsonl.export(seeded, out)
    other = _fresh(tmp_path)
    mine, _ = other.add_article(art.text, "the same text, another uid")
    native_jsonl.import_paths(other, [out])
    assert [d.article_uid for d in ReviewStore(other).decisions()] == [mine.uid]


@pytest.mark.parametrize(("changes", "message"), [
    ({"start": 2.5}, "'start' has the wrong type"),
    ({"end": 0, "start": 4}, "4-0 is not a span"),
    ({"decision": "maybe"}, "decision must be accept, edit, reject"),
    ({"source_uids": "abc"}, "'source_uids' has the wrong type"),
    ({"source_uids": [1]}, "source_uids must be annotation uids"),
    ({"reviewer_uid": None}, "missing field 'reviewer_uid'"),
    ({"note": 3}, "'note' has the wrong type"),
    ({"extra": 1}, "unknown field(s) extra"),
    ({"article_uid": "nowhere"}, "names an article not in the file"),
])
def test_a_bad_review_decision_names_its_line_and_imports_nothing(seeded, tmp_path, changes,
                                                                  message):
    _review(seeded)
    out = tmp_path / "a.jsonl"
    native_jsonl.export(seeded, out)
    other = _refused_when_changed(tmp_path, out.read_text("utf-8").splitlines(),
                                  '"review_decision"', changes, message)
    assert other.conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert other.conn.execute("SELECT count(*) FROM review_decisions").fetchone() == (0,)
