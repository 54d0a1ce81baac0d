"""The store's own span guard (triggers on annotations): a span past the end of the
article or a quote that does not match is refused by SQLite itself, in a new store and
in a store upgraded from before m005 (which counted the whole text with length())."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from stancemark.store import Repository, open_store
from stancemark.store.db import _connect
from stancemark.store.schema import APPLICATION_ID, migration_names, migrations

TEXT = "a😀b 北京 שלום end"  # emoji, CJK and Hebrew: SQLite counts code points too


def _insert(conn: sqlite3.Connection, article_id: int, annotator_id: int, start: int,
            end: int, quote: str, uid: str) -> None:
    conn.execute(
        'INSERT INTO annotations (uid, article_id, annotator_id, kind, start, "end", quote, '
        "date_value, date_granularity, created_at, updated_at) "
        "VALUES (?, ?, ?, 'date', ?, ?, ?, '2021', 'year', 'now', 'now')",
        [uid, article_id, annotator_id, start, end, quote, ])


def _check_guard(repo: Repository) -> None:
    art, _ = repo.add_article(TEXT, "T")
    conn = repo.conn
    article_id = conn.execute("SELECT id FROM articles WHERE uid = ?", [art.uid]).fetchone()[0]
    annotator_id = conn.execute("SELECT id FROM annotators WHERE uid = ?",
                                [repo.annotator.uid]).fetchone()[0]
    n = len(TEXT)
    for start, end in ((0, 2), (4, 6), (7, 11), (n - 3, n)):  # exact spans, the last at the end
        _insert(conn, article_id, annotator_id, start, end, TEXT[start:end], f"ok{start}")
    bad = [((n - 3, n + 1), TEXT[n - 3:], "past the end"),
           ((n, n + 2), "", "past the end"),
           ((n + 5, n + 7), "zz", "past the end"),
           ((1, 3), "xx", "quote does not match"),
           ((4, 6), "北", "quote does not match")]
    for (start, end), quote, message in bad:
        with pytest.raises(sqlite3.IntegrityError, match=message):
            _insert(conn, article_id, annotator_id, start, end, quote, f"bad{start}")
    with pytest.raises(sqlite3.IntegrityError, match="past the end"):
        conn.execute('UPDATE annotations SET "end" = ? WHERE uid = ?', [n + 1, f"ok{n - 3}"])
    with pytest.raises(sqlite3.IntegrityError, match="quote does not match"):
        conn.execute("UPDATE annotations SET quote = 'x' WHERE uid = 'ok0'")
    rows = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    assert rows == 4


def test_new_store_refuses_bad_spans(repo):
    _check_guard(repo)


def test_store_upgraded_to_m005_refuses_bad_spans(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = _connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old = Database(conn)
    migrations.apply(old, stop_before="m005_span_trigger_without_length")
    assert "length(text)" in old.triggers_dict["annotations_span_insert"]
    conn.close()
    db = open_store(path)
    assert [m.name for m in migrations.applied(db)] == migration_names()
    for name in ("annotations_span_insert", "annotations_span_update"):
        assert "length(text)" not in db.triggers_dict[name]
    repo = Repository(db, "ana")
    try:
        _check_guard(repo)
    finally:
        repo.close()
