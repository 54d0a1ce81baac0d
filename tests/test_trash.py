"""The trash: every deletion (annotation, article, actor, topic) is restorable until
the trash is emptied on purpose."""

from __future__ import annotations

import pytest

from helpers import find
from stancemark.cli import main
from stancemark.core.errors import IntegrityError
from stancemark.core.model import Annotation
from stancemark.store import trash


def _mention(repo, actor_uid: str) -> Annotation:
    art = next(repo.iter_articles())
    start, end = find(art.text, art.text.split()[0])
    return repo.add_annotation(Annotation("", art.uid, "", "actor", start, end,
                                          art.text[start:end], actor_uid=actor_uid))


def test_every_kind_of_deletion_is_listed_and_restorable(seeded):
    art = next(seeded.iter_articles())
    actor = seeded.list_actors()[0]
    topic = seeded.list_topics()[0]
    ann = _mention(seeded, actor.uid)
    seeded.delete_annotation(ann.uid)
    seeded.delete_article(art.uid)
    seeded.delete_actor(actor.uid)
    seeded.delete_topic(topic.uid)
    items = {t.uid: t for t in trash.list_trash(seeded)}
    assert {items[u].entity for u in (ann.uid, art.uid, actor.uid, topic.uid)} == {
        "annotation", "article", "actor", "topic"}
    assert items[art.uid].label == art.title and items[ann.uid].article_uid == art.uid
    for uid in (ann.uid, art.uid, actor.uid, topic.uid):
        trash.restore(seeded, uid)
    assert trash.list_trash(seeded) == []
    assert seeded.get_annotation(ann.uid).deleted_at is None
    assert seeded.get_actor(actor.uid).deleted_at is None
    assert seeded.get_topic(topic.uid).deleted_at is None
    assert any(a.uid == art.uid for a in seeded.iter_articles())


def test_restore_of_something_not_in_the_trash(seeded):
    with pytest.raises(IntegrityError, match="not in the trash"):
        trash.restore(seeded, seeded.list_actors()[0].uid)


def test_empty_purges_but_keeps_what_live_annotations_need(seeded):
    used, unused = seeded.list_actors()[:2]
    ann = _mention(seeded, used.uid)
    art = list(seeded.iter_articles())[1]
    seeded.delete_actor(used.uid)
    seeded.delete_actor(unused.uid)
    seeded.delete_article(art.uid)
    report = trash.empty(seeded)
    assert report.purged["actor"] == 1 and report.kept_in_use == 1
    assert report.purged["article"] == 1
    assert seeded.get_actor(unused.uid) is None
    assert seeded.get_actor(used.uid) is not None  # still in the trash, still restorable
    assert seeded.get_annotation(ann.uid) is not None
    assert seeded.get_article(art.uid) is None
    assert seeded.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert [e.action for e in seeded.history(unused.uid)][-1] == "purge"


def test_empty_purges_review_decisions_of_purged_articles(seeded):
    art = next(seeded.iter_articles())
    seeded.conn.execute(
        "INSERT INTO review_decisions (uid, article_uid, kind, start, \"end\", decision, "
        "reviewer_uid, decided_at) VALUES ('d1', ?, 'actor', 0, 3, 'reject', 'r', 'now')",
        [art.uid])
    seeded.delete_article(art.uid)
    trash.empty(seeded)
    assert seeded.conn.execute("SELECT count(*) FROM review_decisions").fetchone()[0] == 0


def test_cli_trash_list_restore_empty(seeded, store_path, capsys):
    topic = seeded.list_topics()[0]
    art = next(seeded.iter_articles())
    seeded.delete_topic(topic.uid)
    seeded.delete_article(art.uid)
    seeded.close()
    cli = ["--store", str(store_path), "--annotator", "ana", "trash"]
    assert main([*cli, "list"]) == 0
    out = capsys.readouterr().out
    assert topic.uid in out and art.uid in out
    assert main([*cli, "restore", topic.uid]) == 0
    assert f"restored topic {topic.uid}" in capsys.readouterr().out
    assert main([*cli, "empty"]) == 1  # not without --yes
    assert "--yes" in capsys.readouterr().err
    assert main([*cli, "list", "--json"]) == 0
    assert art.uid in capsys.readouterr().out  # still there
    assert main([*cli, "empty", "--yes"]) == 0
    assert "1 article(s)" in capsys.readouterr().out
    assert main([*cli, "list"]) == 0
    assert "the trash is empty" in capsys.readouterr().out


def test_cli_trash_restore_is_all_or_nothing(seeded, store_path, capsys):
    topic = seeded.list_topics()[0]
    seeded.delete_topic(topic.uid)
    seeded.close()
    cli = ["--store", str(store_path), "--annotator", "ana", "trash"]
    assert main([*cli, "restore", topic.uid, "no-such-uid"]) == 1
    assert main([*cli, "list"]) == 0
    assert topic.uid in capsys.readouterr().out
