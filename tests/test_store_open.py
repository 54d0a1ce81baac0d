"""Opening, creating, migrating and refusing store files."""

from __future__ import annotations

import hashlib
import sqlite3
import stat

import pytest
from sqlite_utils import Database

from stancemark.core.errors import StoreError
from stancemark.store import Repository, open_store
from stancemark.store.db import _connect
from stancemark.store.schema import APPLICATION_ID, migration_names, migrations


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_has_wal_foreign_keys_and_all_migrations(store_path):
    db = open_store(store_path)
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert [m.name for m in migrations.applied(db)] == migration_names()
    for table in ("articles", "articles_fts", "annotators", "actors", "actor_aliases", "topics",
                  "annotations", "article_status", "audit_log", "store_info"):
        assert db[table].exists(), table
    db.close()


def test_store_file_is_private(store_path):
    open_store(store_path).close()
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600


def test_reopen_is_stable(store_path):
    r = Repository(open_store(store_path), "ana")
    uid = r.store_uid()
    r.close()
    r = Repository(open_store(store_path), "ana")
    assert r.store_uid() == uid
    r.close()
    assert not list(store_path.parent.glob("*.bak"))  # nothing to migrate, no copy


def test_old_store_is_upgraded_after_a_backup(store_path):
    # Build a store as the first released version left it: only the first migration.
    conn = _connect(store_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old = Database(conn)
    migrations.apply(old, stop_before=migration_names()[1])
    r = Repository(old, "ana")
    art, _ = r.add_article("Beijing warned Washington.", "Old")
    r.close()

    db = open_store(store_path)
    assert [m.name for m in migrations.applied(db)] == migration_names()
    assert "annotations_annotator_kind" in {i.name for i in db["annotations"].indexes}
    assert Repository(db, "ana").get_article(art.uid).title == "Old"
    backups = list(store_path.parent.glob("store.sqlite.before-1-to-*.bak"))
    assert len(backups) == 1
    bak = sqlite3.connect(backups[0])
    names = [r[0] for r in bak.execute("SELECT name FROM _sqlite_migrations")]
    assert names == migration_names()[:1]
    assert bak.execute("SELECT title FROM articles").fetchone()[0] == "Old"
    bak.close()
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600


def test_newer_store_is_refused_untouched(store_path):
    db = open_store(store_path)
    db["_sqlite_migrations"].insert({"migration_set": "stancemark", "name": "m999_future",
                                     "applied_at": "2099-01-01"})
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = _digest(store_path)
    with pytest.raises(StoreError, match="newer Stancemark"):
        open_store(store_path)
    assert _digest(store_path) == before


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="not a Stancemark store"):
        open_store(path)
    assert _digest(path) == before


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, not a database\n")
    with pytest.raises(StoreError, match="not a Stancemark store"):
        open_store(path)
    assert path.read_text() == "hello, not a database\n"


def test_missing_store_without_create(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "nope.sqlite", create=False)
