"""Merging a colleague's store or JSONL export into mine."""

from __future__ import annotations

import sqlite3

import pytest

from review_data import ART1, CHINA, build_store
from stancemark.core.errors import InputError, StancemarkError, StoreError
from stancemark.formats.merge_input import merge_path
from stancemark.store import Repository, open_store
from stancemark.store.db import backup_to
from stancemark.store.merge import merge_store


@pytest.fixture
def stores(tmp_path):
    ana = build_store(tmp_path / "ana.sqlite", "ana")
    ben = build_store(tmp_path / "ben.sqlite", "ben")
    yield ana, ben
    ana.close()
    ben.close()


def _mine(tmp_path, name="rev"):
    return Repository(open_store(tmp_path / f"{name}.sqlite"), name)


def test_two_stores_merge_into_a_third_and_again_adds_nothing(tmp_path, stores):
    rev = _mine(tmp_path)
    first = merge_store(rev, tmp_path / "ana.sqlite")
    assert (first.articles_added, first.annotations_added, first.annotators_added) == (3, 6, 1)
    assert first.actors_added == 20 and first.topics_added == 8  # the seed register
    second = merge_store(rev, tmp_path / "ben.sqlite")
    # Same seed texts and register uids: nothing new but Ben, his tags and his actor.
    assert (second.articles_added, second.articles_matched) == (0, 3)
    assert (second.annotations_added, second.annotators_added, second.actors_added) == (5, 1, 1)
    assert rev.stats()["annotations"] == 11
    # Ben's "Beijing government" shares the alias "Beijing" with China: proposed, not merged.
    assert [(p.mine_uid, p.theirs_name, p.shared) for p in second.proposals] == [
        (CHINA, "Beijing government", "beijing")]
    assert len([a for a in rev.list_actors() if "Beijing" in (a.name, *a.aliases)]) == 2
    for path in ("ana.sqlite", "ben.sqlite"):
        again = merge_store(rev, tmp_path / path)
        assert not again.added_anything, again.summary()
        assert again.annotations_added == 0
    assert rev.stats()["annotations"] == 11
    rev.close()


def test_merge_never_touches_my_annotations_and_takes_a_backup(tmp_path, stores):
    ana, _ = stores
    before = {a.uid: a for a in ana.list_annotations(ART1)}
    report = merge_store(ana, tmp_path / "ben.sqlite")
    assert report.annotations_added == 5
    assert report.backup and (tmp_path / "ana.sqlite.backups").is_dir()
    after = {a.uid: a for a in ana.list_annotations(ART1, [ana.annotator.uid])}
    assert after == before


def test_later_edit_wins_and_both_versions_are_audited(tmp_path, stores):
    ana, ben = stores
    rev = _mine(tmp_path)
    merge_store(rev, tmp_path / "ben.sqlite")
    taipei = next(a for a in ben.list_annotations(ART1) if a.quote == "Taipei")
    taiwan = next(a.uid for a in ben.list_actors() if a.name == "Taiwan")
    ben.update_annotation(taipei.uid, actor_uid=taiwan)  # Ben corrects himself later
    report = merge_store(rev, tmp_path / "ben.sqlite")
    assert report.annotations_updated == 1 and report.annotations_added == 0
    assert rev.get_annotation(taipei.uid).actor_uid == taiwan
    merged = [h for h in rev.history(taipei.uid) if h.action == "merge-update"]
    assert merged[0].before["actor_uid"] == CHINA and merged[0].after["actor_uid"] == taiwan
    # An older copy elsewhere does not undo the newer edit here.
    rev.update_annotation(taipei.uid, note="checked")
    report = merge_store(rev, tmp_path / "ben.sqlite")
    assert report.annotations_kept == 1 and rev.get_annotation(taipei.uid).note == "checked"
    assert rev.history(taipei.uid)[-1].action == "merge-kept"
    rev.close()


def test_my_own_annotation_stays_even_when_theirs_is_later(tmp_path, stores):
    ana, ben = stores
    merge_store(ben, tmp_path / "ana.sqlite")
    mine = next(a for a in ana.list_annotations(ART1) if a.quote == "Taipei")
    ben.update_annotation(mine.uid, note="ben was here")
    report = merge_store(ana, tmp_path / "ben.sqlite")
    assert report.annotations_kept == 1
    assert ana.get_annotation(mine.uid).note == ""


def test_same_text_other_metadata_keeps_mine_and_notes_theirs(tmp_path):
    a = _mine(tmp_path, "a")
    b = _mine(tmp_path, "b")
    a.add_article("Same words here.", "Mine")
    b.add_article("Same words here.", "Theirs", source="Wire")
    b.close()
    for _ in range(2):
        report = merge_store(a, tmp_path / "b.sqlite")
    assert report.metadata_noted == 0 and report.articles_added == 0
    art = next(a.iter_articles())
    assert art.title == "Mine"
    assert [(n["title"], n["source"]) for n in art.meta["merged_metadata"]] == [("Theirs", "Wire")]


def test_metadata_of_a_jsonl_export_is_noted_once_however_often_it_is_merged(tmp_path):
    """A JSONL export goes through a scratch store whose uid is new at every merge: the
    note of their metadata must still be recognised as the same, and not added again."""
    from stancemark.formats import native_jsonl

    a = _mine(tmp_path, "a")
    b = _mine(tmp_path, "b")
    a.add_article("Same words here.", "Mine")
    b.add_article("Same words here.", "Theirs", source="Wire")
    native_jsonl.export(b, tmp_path / "b.jsonl")
    b.close()
    first = merge_path(a, tmp_path / "b.jsonl", backup=False)
    again = merge_path(a, tmp_path / "b.jsonl", backup=False)
    assert (first.metadata_noted, again.metadata_noted) == (1, 0)
    notes = next(a.iter_articles()).meta["merged_metadata"]
    assert [(n["title"], n["source"]) for n in notes] == [("Theirs", "Wire")]


def test_jsonl_export_merges_like_the_store(tmp_path, stores):
    from stancemark.formats import native_jsonl

    _, ben = stores
    native_jsonl.export(ben, tmp_path / "ben.jsonl")
    rev = _mine(tmp_path)
    report = merge_path(rev, tmp_path / "ben.jsonl")
    assert (report.articles_added, report.annotations_added, report.annotators_added) == (3, 5, 1)
    assert not merge_path(rev, tmp_path / "ben.jsonl").added_anything
    assert rev.annotator_by_name("ben") is not None
    rev.close()


def test_refuses_foreign_newer_and_self(tmp_path, stores):
    rev = _mine(tmp_path)
    foreign = tmp_path / "other.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a Stancemark store"):
        merge_store(rev, foreign)
    newer = backup_to(stores[1].db, tmp_path / "newer.sqlite")
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('stancemark', 'm999_future', '2030')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer Stancemark"):
        merge_store(rev, newer)
    with pytest.raises(StancemarkError, match="into itself"):
        merge_store(rev, tmp_path / "rev.sqlite")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(StancemarkError, match="neither"):
        merge_path(rev, text)
    assert rev.stats()["annotations"] == 0
    rev.close()


def test_failed_merge_leaves_my_store_unchanged(tmp_path, stores, monkeypatch):
    import stancemark.store.merge as merge_mod

    rev = _mine(tmp_path)
    merge_store(rev, tmp_path / "ana.sqlite")
    before = rev.stats()

    def boom(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(merge_mod, "_actor_proposals", boom)
    with pytest.raises(StoreError):
        merge_store(rev, tmp_path / "ben.sqlite")
    assert rev.stats() == before
    assert rev.annotator_by_name("ben") is None
    rev.close()


def test_cancelled_merge_changes_nothing(tmp_path, stores):
    from stancemark.core.errors import Cancelled

    rev = _mine(tmp_path)
    steps = []

    def progress(done, total, message):
        steps.append(message)
        return message != "status"  # cancel late, after the annotations went in

    with pytest.raises(Cancelled):
        merge_store(rev, tmp_path / "ana.sqlite", progress=progress)
    assert "annotations" in steps
    assert rev.stats()["annotations"] == 0 and rev.stats()["articles"] == 0
    assert merge_store(rev, tmp_path / "ana.sqlite").annotations_added == 6
    rev.close()


def test_new_aliases_of_my_actors_are_added_and_counted(tmp_path, stores):
    ana, ben = stores
    ben.add_alias(CHINA, "Zhongguo")
    report = merge_store(ana, tmp_path / "ben.sqlite")
    assert report.aliases_added == 1  # Ben's new actor brings its alias uncounted
    assert "Zhongguo" in ana.get_actor(CHINA).aliases
    assert merge_store(ana, tmp_path / "ben.sqlite").aliases_added == 0


def test_their_article_under_a_uid_of_mine_with_other_text_gets_a_new_uid(tmp_path):
    from stancemark.core.model import Annotation

    a = _mine(tmp_path, "a")
    b = _mine(tmp_path, "b")
    a.add_article("Mine says one thing.", uid="same-uid")
    art, _ = b.add_article("Theirs says Beijing.", uid="same-uid")
    b.add_actor("China", uid="china")
    b.add_annotation(Annotation("", art.uid, b.annotator.uid, "actor", 12, 19, "Beijing",
                                actor_uid="china"))
    b.close()
    report = merge_store(a, tmp_path / "b.sqlite")
    assert (report.articles_added, report.annotations_added) == (1, 1)
    theirs = next(x for x in a.iter_articles() if x.text.startswith("Theirs"))
    assert theirs.uid != "same-uid"
    assert [x.quote for x in a.list_annotations(theirs.uid)] == ["Beijing"]
    assert a.get_article("same-uid").text.startswith("Mine")
    assert not merge_store(a, tmp_path / "b.sqlite").added_anything
    a.close()


def _checkpointed_bytes(repo, path) -> bytes:
    repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def test_their_store_with_a_dangling_reference_is_refused(tmp_path, stores):
    ana, ben = stores
    ben.close()
    # Ben's file edited by another program without foreign keys: a tag of a missing actor.
    conn = sqlite3.connect(tmp_path / "ben.sqlite")
    conn.execute("UPDATE annotations SET actor_id = 999999 WHERE id = "
                 "(SELECT min(id) FROM annotations WHERE actor_id IS NOT NULL)")
    conn.commit()
    conn.close()
    before = _checkpointed_bytes(ana, tmp_path / "ana.sqlite")
    with pytest.raises(InputError, match=r"ben\.sqlite: annotations row \d+ \(uid [-0-9a-f]+\): "
                                         r"actor_id 999999 names no actor of that store"):
        merge_store(ana, tmp_path / "ben.sqlite")
    assert _checkpointed_bytes(ana, tmp_path / "ana.sqlite") == before
    assert ana.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # back on


def test_a_merge_leaving_a_dangling_reference_rolls_back(tmp_path, stores, monkeypatch):
    import stancemark.store.merge as merge_mod

    ana, _ = stores
    real_proposals = merge_mod._actor_proposals

    def dangling_then_proposals(conn):
        # a bug in a merge step, with the foreign keys off: a status of a missing article
        conn.execute("INSERT INTO article_status (article_id, annotator_id, status, updated_at) "
                     "VALUES (999999, 1, 'done', '2024-01-01')")
        return real_proposals(conn)

    monkeypatch.setattr(merge_mod, "_actor_proposals", dangling_then_proposals)
    before = _checkpointed_bytes(ana, tmp_path / "ana.sqlite")
    with pytest.raises(StoreError, match="refused, nothing changed.*article_status row"):
        merge_store(ana, tmp_path / "ben.sqlite")
    assert _checkpointed_bytes(ana, tmp_path / "ana.sqlite") == before
    assert ana.annotator_by_name("ben") is None


def test_backup_written_beside_the_merge_holds_the_store_before_it(tmp_path, stores):
    # The copy runs in a thread while the merge writes: it must hold my store as it was.
    ana, _ = stores
    before = ana.stats()["annotations"]
    report = merge_store(ana, tmp_path / "ben.sqlite")
    assert ana.stats()["annotations"] == before + report.annotations_added > before
    copy = sqlite3.connect(report.backup)
    assert copy.execute("SELECT count(*) FROM annotations").fetchone()[0] == before
    copy.close()


def test_a_failed_backup_rolls_the_merge_back(tmp_path, stores, monkeypatch):
    from stancemark.store import merge as merge_module

    def no_room(store, reason):
        raise StoreError(f"{store}: cannot write a backup (No space left on device)")

    monkeypatch.setattr(merge_module, "backup_before_file", no_room)
    ana, _ = stores
    before = ana.stats()
    with pytest.raises(StoreError, match="No space left"):
        merge_store(ana, tmp_path / "ben.sqlite")
    assert ana.stats() == before
    assert not ana.conn.in_transaction


def test_a_bad_span_in_an_annotation_i_have_already_refuses_the_merge(tmp_path, stores):
    # Their spans are checked beside the merge, every one of them, not only those added.
    ana, ben = stores
    merge_store(ana, tmp_path / "ben.sqlite")
    ben.close()
    conn = sqlite3.connect(tmp_path / "ben.sqlite")
    conn.execute("DROP TRIGGER annotations_span_update")
    conn.execute("UPDATE annotations SET quote = 'evil' WHERE id = (SELECT min(id) FROM annotations)")
    conn.commit()
    conn.close()
    before = ana.stats()
    with pytest.raises(InputError, match="do not match the article text"):
        merge_store(ana, tmp_path / "ben.sqlite")
    assert ana.stats() == before
