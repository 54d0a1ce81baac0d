"""Repository: annotations, registers, status, integrity and the audit log."""

from __future__ import annotations

import sqlite3

import pytest

from helpers import find
from stancemark.core.commands import AddAnnotation, DeleteAnnotation, UpdateAnnotation
from stancemark.core.errors import IntegrityError
from stancemark.core.model import Annotation


def _pompeo(seeded):
    art = next(a for a in seeded.iter_articles() if a.published == "2021-01-10")
    return art, seeded.actors_by_alias("Pompeo")[0]


def _mention(art, actor, needle="Mike Pompeo", nth=0):
    s, e = find(art.text, needle, nth)
    return Annotation("", art.uid, "", "actor", s, e, needle, actor_uid=actor.uid)


def test_add_list_update_delete_restore(seeded):
    art, pompeo = _pompeo(seeded)
    a = seeded.add_annotation(_mention(art, pompeo))
    assert a.annotator_uid == seeded.annotator.uid and a.created_at
    assert [x.uid for x in seeded.list_annotations(art.uid)] == [a.uid]
    s, e = find(art.text, "January 9")
    d = seeded.add_annotation(Annotation("", art.uid, "", "date", s, e, "January 9",
                                         date_value="2021-01-09", date_granularity="day"))
    d2 = seeded.update_annotation(d.uid, date_value="2021-01", date_granularity="month")
    assert d2.date_value == "2021-01" and d2.updated_at >= d.updated_at
    seeded.delete_annotation(a.uid)
    assert [x.uid for x in seeded.list_annotations(art.uid)] == [d.uid]
    assert [x.uid for x in seeded.trash(art.uid)] == [a.uid]
    seeded.restore_annotation(a.uid)
    assert len(seeded.list_annotations(art.uid)) == 2
    assert seeded.list_articles()[2].annotation_count == 2
    assert [h.action for h in seeded.history(d.uid)] == ["create", "update"]
    assert seeded.history(d.uid)[1].before["date_value"] == "2021-01-09"


def test_date_granularity_contradicting_its_value_is_refused(seeded):
    art, _ = _pompeo(seeded)
    s, e = find(art.text, "January 9")
    with pytest.raises(IntegrityError, match="is a day, not a month"):
        seeded.add_annotation(Annotation("", art.uid, "", "date", s, e, "January 9",
                                         date_value="2021-01-09", date_granularity="month"))
    d = seeded.add_annotation(Annotation("", art.uid, "", "date", s, e, "January 9",
                                         date_value="2021-01-09", date_granularity="day"))
    with pytest.raises(IntegrityError, match="is a month, not a day"):
        seeded.update_annotation(d.uid, date_value="2021-01")
    assert seeded.get_annotation(d.uid).date_value == "2021-01-09"


def test_stance_with_holder_topic_and_date(seeded):
    art, pompeo = _pompeo(seeded)
    topic = seeded.topic_by_name("Official US–Taiwan contacts")
    s, e = find(art.text, "lift restrictions on contacts")
    st = seeded.add_annotation(Annotation("", art.uid, "", "stance", s, e, art.text[s:e],
                                          holder_uid=pompeo.uid, target_topic_uid=topic.uid,
                                          polarity="support", stance_date="2021-01-09",
                                          note="announcement"))
    assert st.polarity == "support" and st.target_topic_uid == topic.uid


@pytest.mark.parametrize("change, message", [
    ({"start": -1}, "negative"),
    ({"end": 10**6}, "past the end"),
    ({"quote": "Mike Pompeu"}, "does not match"),
    ({"kind": "feeling"}, "unknown annotation kind"),
    ({"actor_uid": None}, "needs an actor"),
    ({"actor_uid": "no-such-uid"}, "unknown actor"),
    ({"article_uid": "no-such-article"}, "unknown article"),
])
def test_integrity_is_checked(seeded, change, message):
    art, pompeo = _pompeo(seeded)
    bad = _mention(art, pompeo).with_changes(**change)
    with pytest.raises(IntegrityError, match=message):
        seeded.add_annotation(bad)
    assert seeded.stats()["annotations"] == 0


def test_constraints_hold_even_without_the_repository(seeded):
    art, pompeo = _pompeo(seeded)
    a = seeded.add_annotation(_mention(art, pompeo))
    with pytest.raises(sqlite3.IntegrityError, match="quote does not match"):
        seeded.conn.execute("UPDATE annotations SET quote = 'x' WHERE uid = ?", [a.uid])
    with pytest.raises(sqlite3.IntegrityError, match="cannot change once annotated"):
        seeded.conn.execute("UPDATE articles SET text = 'new' WHERE uid = ?", [art.uid])
    with pytest.raises(sqlite3.IntegrityError):
        seeded.conn.execute("UPDATE annotations SET polarity = 'maybe' WHERE uid = ?", [a.uid])


def test_commands_undo_and_redo_keep_the_uid(seeded):
    art, pompeo = _pompeo(seeded)
    add = AddAnnotation(_mention(art, pompeo))
    change = add.apply(seeded)
    uid = add.annotation.uid
    assert change.uids == (uid,) and change.article_uids == (art.uid,)
    add.revert(seeded)
    assert seeded.get_annotation(uid) is None
    add.apply(seeded)
    assert seeded.get_annotation(uid) is not None
    edit = UpdateAnnotation(uid, {"note": "checked"})
    edit.apply(seeded)
    assert seeded.get_annotation(uid).note == "checked"
    edit.revert(seeded)
    assert seeded.get_annotation(uid).note == ""
    delete = DeleteAnnotation(uid)
    delete.apply(seeded)
    assert seeded.get_annotation(uid).deleted_at
    delete.revert(seeded)
    assert seeded.get_annotation(uid).deleted_at is None


def test_actor_register_aliases_and_merge(seeded):
    art, pompeo = _pompeo(seeded)
    assert [a.name for a in seeded.actors_by_alias("beijing")] == ["China"]
    dup = seeded.add_actor("Secretary Mike Pompeo", "person", aliases=["the Secretary"])
    mention = seeded.add_annotation(_mention(art, dup))
    merged = seeded.merge_actors(pompeo.uid, dup.uid)
    assert "Secretary Mike Pompeo" in merged.aliases and "the Secretary" in merged.aliases
    assert seeded.get_annotation(mention.uid).actor_uid == pompeo.uid
    assert seeded.get_actor(dup.uid).deleted_at is not None
    seeded.add_alias(pompeo.uid, "Mr Pompeo")
    assert seeded.actors_by_alias("mr pompeo")[0].uid == pompeo.uid
    with pytest.raises(IntegrityError, match="unknown actor kind"):
        seeded.add_actor("X", "alien")


def test_status_search_and_counts(seeded):
    rows = seeded.list_articles()
    assert [r.status for r in rows] == ["new"] * 3
    seeded.set_status(rows[0].uid, "done")
    assert seeded.get_status(rows[0].uid) == "done"
    assert [r.uid for r in seeded.list_articles(status="done")] == [rows[0].uid]
    assert seeded.count_articles(status="new") == 2
    assert [r.title for r in seeded.list_articles(query="Pompeo")] == [rows[2].title]
    assert seeded.count_articles(query='Taiwan "') == 3  # stray quotes are not an error
    other = seeded.set_annotator("bob")
    assert seeded.get_status(rows[0].uid) == "new"  # status is per annotator
    assert other.name == "bob"


def test_article_duplicates_and_trash(seeded):
    art = next(seeded.iter_articles())
    again, added = seeded.add_article(art.text.replace("\n", "\r\n"), "copy")
    assert not added and again.uid == art.uid
    seeded.delete_article(art.uid)
    assert seeded.count_articles() == 2
    seeded.restore_article(art.uid)
    assert seeded.count_articles() == 3


def test_spans_are_checked_against_their_own_article_when_switching(repo):
    # The repository keeps the last article's text for span checks; switching articles
    # must check each span against its own text, in both directions.
    a, _ = repo.add_article("Alpha text about Beijing and its neighbours.", "A")
    b, _ = repo.add_article("Beta text about Washington.", "B")
    actor = repo.add_actor("Someone")
    for art, word in ((a, "Beijing"), (b, "Washington"), (a, "Alpha"), (b, "Beta")):
        start, end = find(art.text, word)
        repo.add_annotation(Annotation("", art.uid, "", "actor", start, end, word,
                                       actor_uid=actor.uid))
    start, end = find(b.text, "Washington")
    with pytest.raises(IntegrityError, match="does not match"):  # B's span on A's text
        repo.add_annotation(Annotation("", a.uid, "", "actor", start, end, "Washington",
                                       actor_uid=actor.uid))
    first = repo.list_annotations(a.uid)[0]
    repo.list_annotations(b.uid)
    with pytest.raises(IntegrityError, match="does not match"):
        repo.update_annotation(first.uid, quote="Washi")
    assert len(repo.list_annotations(a.uid)) == 2 and len(repo.list_annotations(b.uid)) == 2


def test_audit_entries_are_written_only_with_their_change(seeded):
    from stancemark.core.errors import StoreError

    with pytest.raises(StoreError, match="outside a transaction"):
        seeded.audit("note", "article", "x")
    with seeded.tx():
        seeded.audit("note", "article", "x", None, {"why": "test"})
    assert [(e.action, e.after) for e in seeded.history("x")] == [("note", {"why": "test"})]


def test_register_counts_mentions_stances_and_topics(seeded):
    art, pompeo = _pompeo(seeded)
    m = seeded.add_annotation(_mention(art, pompeo))
    topic = seeded.list_topics()[0]
    s, e = find(art.text, "Mike Pompeo")
    seeded.add_annotation(Annotation("", art.uid, "", "stance", s, e, "Mike Pompeo",
                                     holder_uid=pompeo.uid, target_topic_uid=topic.uid,
                                     polarity="support"))
    actors, topics = seeded.register_counts()
    assert actors[pompeo.uid] == (1, 1) and topics[topic.uid] == 1
    seeded.delete_annotation(m.uid)  # the trash does not count
    assert seeded.register_counts()[0][pompeo.uid] == (0, 1)


def test_counting_articles_reads_the_live_index_not_the_texts(seeded):
    # With statistics (ANALYZE), SQLite's planner would scan the table, reading every
    # article's text, for the unfiltered count a window start makes twice.
    for i in range(50):
        seeded.add_article(f"Article number {i} about Quelpartia. " * 40, f"A{i}")
    seeded.conn.execute("ANALYZE")
    statements = []
    seeded.conn.set_trace_callback(statements.append)
    total = seeded.count_articles()
    seeded.conn.set_trace_callback(None)
    assert total == len(seeded.article_uids())
    count = next(s for s in statements if "count(*)" in s)
    plan = " ".join(str(r[-1]) for r in seeded.conn.execute("EXPLAIN QUERY PLAN " + count))
    assert "articles_live" in plan, plan
    assert seeded.count_articles("Quelpartia") == 50  # a search still goes through the index
