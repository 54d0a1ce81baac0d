"""Decisions on suggestions in the store: recorded, undone and redone with one uid, read
back as rejected keys and per-alias counts, carried by a merge (bad rows refused, my
store unchanged), purged with the article or actor they name, and the m008 migration
on a store of the schema before it."""

from __future__ import annotations

import sqlite3

import pytest

from helpers import find
from review_data import ART1, CHINA, build_store
from stancemark.core.errors import InputError, IntegrityError
from stancemark.core.model import Annotation
from stancemark.core.suggestion_decisions import (
    AcceptSuggestions,
    RejectSuggestion,
    SuggestionDecision,
    suggestion_key,
)
from stancemark.store import Repository, open_store
from stancemark.store.merge import merge_store


def _decision(repo, needle, decision, nth=0, actor=CHINA, alias=None, kind="actor",
              date_value=None):
    text = repo.get_article(ART1).text
    start, end = find(text, needle, nth)
    return SuggestionDecision("", ART1, "", kind, start, end, decision,
                              actor if kind == "actor" else None, date_value,
                              alias if alias is not None else needle)


def _record(repo, *args, **kw):
    from stancemark.core.model import new_uid

    return repo.record_suggestion_decision(_decision(repo, *args, **kw).with_changes(uid=new_uid()))


@pytest.fixture
def stores(tmp_path):
    ana = build_store(tmp_path / "ana.sqlite", "ana")
    ben = build_store(tmp_path / "ben.sqlite", "ben")
    yield ana, ben
    ana.close()
    ben.close()


def test_record_undo_redo_keys_and_counts(stores):
    ana, _ = stores
    rejected = _record(ana, "Beijing", "reject")
    _record(ana, "Beijing", "accept", nth=1)
    _record(ana, "Taipei", "reject", alias="Taipei")
    assert rejected.annotator_uid == ana.annotator.uid and rejected.created_at
    start, end = rejected.start, rejected.end
    assert ana.rejected_suggestion_keys(ART1) == {
        f"actor|{start}|{end}|{CHINA}", _decision(ana, "Taipei", "reject").key}
    assert rejected.key == suggestion_key("actor", start, end, CHINA, None)
    assert ana.suggestion_alias_counts() == {"Beijing": (1, 1), "Taipei": (0, 1)}
    # another annotator's rejections are theirs
    assert ana.rejected_suggestion_keys(ART1, "someone-else") == set()
    assert ana.suggestion_alias_counts("someone-else") == {}
    # undo: into the trash, out of the keys and counts; redo: the same row again
    gone = ana.undo_suggestion_decision(rejected.uid)
    assert gone.deleted_at is not None
    assert rejected.key not in ana.rejected_suggestion_keys(ART1)
    assert ana.suggestion_alias_counts()["Beijing"] == (1, 0)
    back = ana.record_suggestion_decision(rejected)
    assert back.uid == rejected.uid and back.deleted_at is None
    assert rejected.key in ana.rejected_suggestion_keys(ART1)
    actions = [e.action for e in ana.history(rejected.uid)]
    assert actions == ["create", "delete", "restore"]


def test_bad_decisions_are_refused_and_change_nothing(stores):
    ana, _ = stores
    with pytest.raises(IntegrityError, match="unknown suggestion decision 'maybe'"):
        _record(ana, "Beijing", "maybe")
    with pytest.raises(IntegrityError, match="unknown actor"):
        _record(ana, "Beijing", "reject", actor="no-such-actor")
    with pytest.raises(IntegrityError, match="suggestion decision .*FOREIGN KEY"):
        _record(ana, "Beijing", "reject", kind="no-such-kind")
    assert ana.conn.execute("SELECT count(*) FROM suggestion_decisions").fetchone()[0] == 0


def test_a_date_suggestion_without_a_value_can_be_rejected(stores):
    ana, _ = stores
    d = _record(ana, "Beijing", "reject", kind="date", alias="")
    assert d.key == f"date|{d.start}|{d.end}|" and d.key in ana.rejected_suggestion_keys(ART1)


def test_accept_is_one_step_with_its_annotation_and_undo_removes_both(stores):
    ana, _ = stores
    d = _decision(ana, "Beijing", "accept", nth=1)
    a = Annotation("", ART1, ana.annotator.uid, "actor", d.start, d.end, "Beijing",
                   actor_uid=CHINA)
    from stancemark.core.model import new_uid

    a, d = a.with_changes(uid=new_uid()), d.with_changes(uid=new_uid())
    before = len(ana.list_annotations(ART1))
    cmd = AcceptSuggestions([a], [d])
    change = cmd.apply(ana)
    assert change.annotations[0].uid == a.uid
    stored = ana.get_suggestion_decision(d.uid)
    assert stored.annotation_uid == a.uid and stored.decision == "accept"
    assert len(ana.list_annotations(ART1)) == before + 1
    cmd.revert(ana)
    assert ana.get_annotation(a.uid) is None
    assert ana.get_suggestion_decision(d.uid).deleted_at is not None
    assert ana.suggestion_alias_counts() == {}
    cmd.apply(ana)  # redo: the same uids
    assert ana.get_annotation(a.uid) is not None
    assert ana.get_suggestion_decision(d.uid).deleted_at is None


def test_a_failed_accept_leaves_nothing(stores):
    ana, _ = stores
    d = _decision(ana, "Beijing", "accept")
    bad = Annotation("", ART1, ana.annotator.uid, "actor", d.start, d.end, "not the quote",
                     actor_uid=CHINA)
    with pytest.raises(IntegrityError):
        AcceptSuggestions([bad], [d]).apply(ana)
    assert ana.suggestion_decisions(ART1, include_deleted=True) == []


def test_reject_command_round_trip(stores):
    ana, _ = stores
    from stancemark.core.model import new_uid

    cmd = RejectSuggestion(_decision(ana, "Taipei", "reject").with_changes(uid=new_uid()))
    change = cmd.apply(ana)
    assert change.entity == "suggestion" and change.article_uids == (ART1,)
    assert cmd.decision.key in ana.rejected_suggestion_keys(ART1)
    cmd.revert(ana)
    assert ana.rejected_suggestion_keys(ART1) == set()


def test_merge_carries_decisions_later_change_wins_mine_never_change(tmp_path, stores):
    ana, ben = stores
    mine = _record(ana, "Beijing", "reject")
    theirs = _record(ben, "Taipei", "reject")
    ben_only = _record(ben, "China", "accept", alias="China")
    # ben's copy of one of ana's decisions, changed later there (undone)
    report = merge_store(ben, tmp_path / "ana.sqlite")
    assert report.suggestion_decisions_added == 1
    assert "suggestion decision(s) added" in report.summary()
    assert ben.get_suggestion_decision(mine.uid).annotator_uid == ana.annotator.uid
    ben.undo_suggestion_decision(mine.uid)  # ben's store changes ana's decision later ...
    report = merge_store(ana, tmp_path / "ben.sqlite")
    assert report.suggestion_decisions_added == 2 and report.suggestion_decisions_updated == 0
    assert ana.get_suggestion_decision(mine.uid).deleted_at is None  # ... ana's own stays
    assert ana.rejected_suggestion_keys(ART1, ben.annotator.uid) == {theirs.key}
    assert ana.suggestion_alias_counts() == {"Beijing": (0, 1), "Taipei": (0, 1),
                                             "China": (1, 0)}
    # ben undoes his own: a later change that reaches ana's store
    ben.undo_suggestion_decision(theirs.uid)
    report = merge_store(ana, tmp_path / "ben.sqlite")
    assert report.suggestion_decisions_added == 0 and report.suggestion_decisions_updated == 1
    assert ana.rejected_suggestion_keys(ART1, ben.annotator.uid) == set()
    assert [e.action for e in ana.history(theirs.uid)][-1] == "merge-update"
    # and again: nothing new
    again = merge_store(ana, tmp_path / "ben.sqlite")
    assert (again.suggestion_decisions_added, again.suggestion_decisions_updated) == (0, 0)
    assert ana.get_suggestion_decision(ben_only.uid).decision == "accept"


def test_merge_brings_an_annotator_who_only_decided(tmp_path, stores):
    ana, _ = stores
    carl = Repository(open_store(tmp_path / "carl.sqlite"), "carl")
    from stancemark.formats.seed import seed

    seed(carl)
    d = _record(carl, "Beijing", "reject")
    carl.close()
    merge_store(ana, tmp_path / "carl.sqlite")
    assert ana.annotator_by_name("carl") is not None
    assert ana.get_suggestion_decision(d.uid).annotator_uid == d.annotator_uid


def _checkpointed(repo, path):
    repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


@pytest.mark.parametrize(("sql", "problem"), [
    ("UPDATE suggestion_decisions SET decision = 'maybe'",
     r"decision 'maybe' is not one of accept, reject"),
    ("UPDATE suggestion_decisions SET actor_id = 999999",
     r"actor_id 999999 names no actor of that store"),
    ("UPDATE suggestion_decisions SET article_id = 999999",
     r"article_id 999999 names no article of that store"),
    ("UPDATE suggestion_decisions SET \"end\" = start",
     r"end \d+ is not after start \d+"),
    ("UPDATE suggestion_decisions SET kind = 'date', date_value = 'last week', actor_id = NULL",
     r"date value 'last week' is not an ISO 8601 date"),
    ("UPDATE suggestion_decisions SET kind = 'rumour'", r"kind 'rumour' is not one of"),
])
def test_a_bad_decision_row_refuses_the_merge_in_one_line(tmp_path, stores, sql, problem):
    ana, ben = stores
    _record(ben, "Beijing", "reject")
    ben.close()
    conn = sqlite3.connect(tmp_path / "ben.sqlite")  # another program, no constraints
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(sql)
    conn.commit()
    conn.close()
    before = _checkpointed(ana, tmp_path / "ana.sqlite")
    with pytest.raises(InputError) as caught:
        merge_store(ana, tmp_path / "ben.sqlite")
    message = str(caught.value)
    assert "\n" not in message and "ben.sqlite" in message
    import re

    assert re.search(r"suggestion_decisions row \d+ \(uid [-0-9a-f]+\): " + problem, message)
    assert _checkpointed(ana, tmp_path / "ana.sqlite") == before


def test_purging_the_article_or_actor_takes_its_decisions(stores):
    from stancemark.store import register_edits, trash

    ana, _ = stores
    new = ana.add_actor("Zhongnanhai", "government", aliases=["Beijing leadership"])
    d = _record(ana, "Beijing", "reject", actor=new.uid)
    register_edits.purge_actor(ana, new.uid)  # the undo of adding that actor
    assert ana.get_suggestion_decision(d.uid) is None
    d = _record(ana, "Beijing", "reject")
    ana.delete_article(ART1)
    trash.empty(ana)
    assert ana.get_suggestion_decision(d.uid) is None


def test_m008_upgrades_a_store_of_the_schema_before(tmp_path):
    """A store written with every step up to m007 (the schema before suggestions), with
    data, opens: backed up first, every row kept, the new table empty and usable."""
    from sqlite_utils import Database

    from stancemark.formats.seed import seed
    from stancemark.store.schema import APPLICATION_ID, migration_names, migrations

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db = Database(conn)
    migrations.apply(db, stop_before="m008_suggestion_decisions")
    db.table("store_info").insert_all([{"key": "store_uid", "value": "old-store"},
                                       {"key": "created_at", "value": "2026-01-01"}])
    conn.close()
    # The old schema, as that version's repository would fill it: seed data and a tag.
    import stancemark.store.db as store_db

    applied = store_db._inspect(path)
    assert applied == migration_names()[:migration_names().index("m008_suggestion_decisions")]
    assert applied[-1] == "m007_codebook"
    old = sqlite3.connect(path)
    assert "suggestion_decisions" not in {r[0] for r in old.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    old.close()
    # Fill it through a repository on a connection that does not migrate.
    conn = store_db._connect(path)
    # This version's repository writes an actor's colour (m009): the column is there while
    # it fills the old store and gone again before the upgrade.
    conn.execute("ALTER TABLE actors ADD COLUMN colour TEXT NOT NULL DEFAULT ''")
    repo = Repository(Database(conn), "ana")
    seed(repo)
    text = repo.get_article(ART1).text
    start, end = find(text, "Beijing")
    tagged = repo.add_annotation(Annotation("", ART1, repo.annotator.uid, "actor", start, end,
                                            "Beijing", actor_uid=CHINA))
    conn.execute("ALTER TABLE actors DROP COLUMN colour")
    tables = ("articles", "annotations", "actors", "actor_aliases", "annotators",
              "article_status", "codebook_kinds", "audit_log")
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()  # noqa: S608
              for t in tables}
    conn.close()

    repo = Repository(open_store(path), "ana")
    assert [p.name for p in tmp_path.glob("old.sqlite.before-*.bak")]  # backed up first
    for t in tables:
        after = repo.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()  # noqa: S608
        if t == "actors":  # m009 added the automatic colour
            assert {r[-1] for r in after} == {""}
            after = [r[:-1] for r in after]
        assert after == before[t], t
    assert store_db._inspect(path) == migration_names()
    assert repo.rejected_suggestion_keys(ART1) == set()
    d = _record(repo, "Beijing", "reject", nth=1)
    assert repo.rejected_suggestion_keys(ART1) == {d.key}
    assert repo.get_annotation(tagged.uid) is not None
