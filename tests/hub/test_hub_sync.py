"""Syncing stores through a real PostgreSQL hub: push, pull, the merge's rules."""

from __future__ import annotations

import pytest

from review_data import ART1, ART2, CHINA, tag, uid_of
from stancemark.store import Repository, open_store
from stancemark.store.hub import sync


def settle(rev, article, *names):
    """The reviewer accepts the first version of every unit of `article` into gold."""
    from stancemark.core.adjudication import adjudicate
    from stancemark.core.agreement import review_units
    from stancemark.store.review import ReviewStore

    review = ReviewStore(rev)
    uids = [rev.annotator_by_name(n).uid for n in names]
    gold = review.gold_annotator()
    for unit in review_units(review.spans(uids, article_uid=article), uids):
        source = rev.get_annotation(unit.spans[0].uid)
        adjudicate(review, unit, "accept", source, gold_annotator_uid=gold.uid,
                   reviewer_uid=rev.annotator.uid, reviewer_name=rev.annotator.name).apply(rev)


def _store(tmp_path, name, seed=True):
    repo = Repository(open_store(tmp_path / f"{name}.sqlite"), name)
    if seed:
        from stancemark.formats.seed import seed as seed_store

        seed_store(repo)
    return repo


def test_two_analysts_exchange_their_tags(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    a1 = tag(ana, ART1, "Beijing", actor_uid=CHINA)
    first = sync(ana, ana_url)
    assert first.pushed["annotation"] == 1 and first.pushed["article"] == 3
    b1 = tag(ben, ART1, "Taipei", actor_uid=CHINA)
    report = sync(ben, ben_url)
    assert report.pulled["annotation"] == 1
    assert ben.get_annotation(a1.uid) is not None
    sync(ana, ana_url)
    assert ana.get_annotation(b1.uid).annotator_uid == ben.annotator.uid
    # Idempotent: nothing new either way.
    again = sync(ana, ana_url)
    assert not again.pushed and not again.pulled
    assert again.came_in() == "nothing new"
    assert ana.stats()["annotations"] == ben.stats()["annotations"] == 2


def test_later_edit_wins_and_my_own_annotations_never_change(tmp_path, hub):
    ana, rev = _store(tmp_path, "ana"), _store(tmp_path, "rev")
    ana_url, rev_url = hub.member("ana"), hub.member("rev", reviewer=True)
    a1 = tag(ana, ART1, "Beijing", actor_uid=CHINA)
    sync(ana, ana_url)
    sync(rev, rev_url)
    ana.update_annotation(a1.uid, note="checked")
    sync(ana, ana_url)
    sync(rev, rev_url)
    assert rev.get_annotation(a1.uid).note == "checked"
    actions = [e.action for e in rev.history(a1.uid)]
    assert "merge-update" in actions
    # Rev edits Ana's annotation locally: the hub refuses it to him (not his) and Ana's
    # store would never take it anyway.
    rev.update_annotation(a1.uid, note="rev's idea")
    report = sync(rev, rev_url)
    assert report.not_mine == 1
    sync(ana, ana_url)
    assert ana.get_annotation(a1.uid).note == "checked"


def test_trash_status_and_register_edits_travel(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    a1 = tag(ana, ART1, "Beijing", actor_uid=CHINA)
    ana.set_status(ART1, "done")
    new_actor = ana.add_actor("Tsai Ing-wen", "person", aliases=["Tsai"])
    sync(ana, ana_url)
    sync(ben, ben_url)
    assert ben.get_status(ART1, ana.annotator.uid) == "done"
    assert any(a.uid == new_actor.uid for a in ben.list_actors())
    ana.delete_annotation(a1.uid)
    ana.set_status(ART1, "in progress")
    ana.update_actor(new_actor.uid, name="Tsai Ing-wen (President)", colour="#CC79A7")
    sync(ana, ana_url)
    sync(ben, ben_url)
    assert ben.get_annotation(a1.uid).deleted_at is not None
    assert ben.get_status(ART1, ana.annotator.uid) == "in progress"
    tsai = next(a for a in ben.list_actors() if a.uid == new_actor.uid)
    assert (tsai.name, tsai.colour) == ("Tsai Ing-wen (President)", "#CC79A7")
    # Restoring is an edit too: it wins over the earlier trash.
    ana.restore_annotation(a1.uid)
    sync(ana, ana_url)
    sync(ben, ben_url)
    assert ben.get_annotation(a1.uid).deleted_at is None


def test_a_purged_annotation_goes_to_the_hubs_trash(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    a1 = tag(ana, ART1, "Beijing", actor_uid=CHINA)
    sync(ana, ana_url)
    sync(ben, ben_url)
    ana.purge_annotation(a1.uid)  # undo of the creation
    report = sync(ana, ana_url)
    assert report.trashed == 1
    sync(ben, ben_url)
    assert ben.get_annotation(a1.uid).deleted_at is not None


def test_same_text_imported_twice_is_one_article(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana", seed=False), _store(tmp_path, "ben", seed=False)
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    art_a, _ = ana.add_article("The same text, twice.", "From Ana")
    art_b, _ = ben.add_article("The same text, twice.", "From Ben")
    assert art_a.uid != art_b.uid
    from stancemark.core.model import Annotation

    ann = ben.add_annotation(Annotation("", art_b.uid, ben.annotator.uid, "date", 9, 13, "text",
                                        date_value="2020", date_granularity="year"))
    sync(ana, ana_url)
    sync(ben, ben_url)
    sync(ana, ana_url)
    assert ana.stats()["articles"] == 1
    assert ana.get_annotation(ann.uid).article_uid == art_a.uid


def test_duplicate_actors_are_proposed_not_merged(tmp_path, hub):
    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    ben.add_actor("Beijing government", "government", aliases=["Beijing"])
    sync(ben, ben_url)
    report = sync(ana, ana_url)
    assert report.merge is not None and report.merge.proposals
    assert "looks like" in report.summary()
    assert uid_of(ana, "China") == CHINA and uid_of(ana, "Beijing government")


def test_the_gold_layer_and_decisions_reach_the_analysts(tmp_path, hub):
    from stancemark.store.review import ReviewStore

    ana, rev = _store(tmp_path, "ana"), _store(tmp_path, "rev")
    ana_url, rev_url = hub.member("ana"), hub.member("rev", reviewer=True)
    tag(ana, ART2, "opposing Taiwan’s independence", "stance", holder_uid=CHINA,
        polarity="oppose", target_topic_uid=uid_of(ana, "Taiwan independence", True))
    sync(ana, ana_url)
    sync(rev, rev_url)
    settle(rev, ART2, "ana")
    report = sync(rev, rev_url)
    assert report.pushed["decision"] == 1 and report.pushed["annotation"] == 1
    sync(ana, ana_url)
    gold = ana.annotator_by_name("gold")
    assert gold is not None and gold.is_gold
    assert [a.quote for a in ana.list_annotations(ART2, [gold.uid])] == \
        ["opposing Taiwan’s independence"]
    assert len(ReviewStore(ana).decisions(ART2)) == 1


def test_wrong_annotator_name_is_refused(tmp_path, hub):
    from stancemark.store.hub import HubError

    ana = _store(tmp_path, "ana")
    url = hub.member("anna")
    with pytest.raises(HubError, match="knows your login as “anna”"):
        sync(ana, url)


def test_suggestion_decisions_travel_and_their_undo_too(tmp_path, hub):
    from helpers import find
    from stancemark.core.model import new_uid
    from stancemark.core.suggestion_decisions import SuggestionDecision

    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    start, end = find(ana.get_article(ART1).text, "Beijing")
    d = ana.record_suggestion_decision(SuggestionDecision(
        new_uid(), ART1, "", "actor", start, end, "reject", CHINA, None, "Beijing"))
    assert sync(ana, ana_url).pushed["suggestion_decision"] == 1
    assert sync(ben, ben_url).pulled["suggestion_decision"] == 1
    assert ben.rejected_suggestion_keys(ART1, ana.annotator.uid) == {d.key}
    assert ben.suggestion_alias_counts() == {"Beijing": (0, 1)}
    ana.undo_suggestion_decision(d.uid)
    sync(ana, ana_url)
    sync(ben, ben_url)
    assert ben.rejected_suggestion_keys(ART1, ana.annotator.uid) == set()


def test_pulled_rows_land_in_the_hubs_order(tmp_path, hub):
    # The hub's sequence numbers cross 99 -> 100 among these annotations: read in the
    # order of the numbers' text ("100" before "99"), the store's row ids would not
    # follow the hub's order.
    import psycopg
    from hub_helpers import tag_words

    ana, ben = _store(tmp_path, "ana"), _store(tmp_path, "ben", seed=False)
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    tag_words(ana, 120, "w")
    sync(ana, ana_url)
    with psycopg.connect(hub.admin_url) as conn:
        seqs = dict(conn.execute("SELECT key, seq FROM stancemark_hub.rows "
                                 "WHERE entity = 'annotation'").fetchall())
    assert min(seqs.values()) < 100 <= max(seqs.values())
    sync(ben, ben_url)
    by_id = [r[0] for r in ben.conn.execute("SELECT uid FROM annotations ORDER BY id")]
    assert len(by_id) == 120
    assert by_id == sorted(by_id, key=seqs.__getitem__)
