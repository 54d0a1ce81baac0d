"""Repository.add_article inside a caller's transaction (every importer): no savepoint of
its own, yet a refused article leaves neither the article nor its audit entry, exactly
as when it runs in a transaction of its own."""

from __future__ import annotations

import sqlite3

import pytest

from stancemark.core.errors import IntegrityError


def _audit(repo):
    return repo.conn.execute(
        "SELECT id, action, entity, uid, after FROM audit_log WHERE entity = 'article' "
        "ORDER BY id").fetchall()


def _refused(repo, taken_uid):
    """The refusals an import meets: a uid of another text, a meta SQLite rejects."""
    with pytest.raises(IntegrityError, match="UNIQUE"):
        repo.add_article("Another text.", "Clash", uid=taken_uid)
    with pytest.raises(IntegrityError, match="json_valid"):
        repo.add_article("Not a number in meta.", meta={"x": float("nan")})


def _state(repo):
    arts = [(a.uid, a.title, a.text) for a in repo.iter_articles()]
    audit = [(r[0], r[1], r[3], r[4]) for r in _audit(repo)]
    return arts, audit, [a.uid for a in repo.list_articles(query="kept")]


@pytest.mark.parametrize("outer", [True, False])
def test_a_refused_article_leaves_nothing_inside_or_outside_a_transaction(repo, outer):
    first, _ = repo.add_article("First text, kept.", "First", uid="a-1")
    if outer:
        with repo.tx():
            _refused(repo, first.uid)
            repo.add_article("Second text, kept.", "Second", uid="a-2")
    else:
        _refused(repo, first.uid)
        repo.add_article("Second text, kept.", "Second", uid="a-2")
    arts, audit, found = _state(repo)
    assert arts == [("a-1", "First", "First text, kept."), ("a-2", "Second", "Second text, kept.")]
    # one entry per stored article, none for the refused ones, no gap left behind
    assert [(a[1], a[2]) for a in audit] == [("create", "a-1"), ("create", "a-2")]
    assert audit[1][0] == audit[0][0] + 1
    sha = repo.get_article("a-2").sha256
    assert audit[1][3] == f'{{"sha256": "{sha}", "title": "Second"}}'
    assert sorted(found) == ["a-1", "a-2"]  # full-text indexed


class _InterruptArticleInsert:
    """The connection, but the article INSERT is interrupted (Ctrl+C at that moment)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO articles"):
            raise KeyboardInterrupt
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_an_interrupted_insert_takes_its_audit_entry_back(repo):
    real = repo.conn
    with repo.tx():
        repo.add_article("Kept text.", "Kept", uid="k-1")
        repo.conn = _InterruptArticleInsert(real)
        with pytest.raises(KeyboardInterrupt):
            repo.add_article("Interrupted text.", "Lost", uid="lost")
        repo.conn = real
    assert [r[3] for r in _audit(repo)] == ["k-1"]
    assert [a.uid for a in repo.iter_articles()] == ["k-1"]


def test_inside_a_transaction_no_savepoint_per_article(repo):
    """The fast path is taken: a savepoint per article made SQLite copy each page the
    insert touched to a statement journal (a fifth of an import's time)."""
    seen: list[str] = []
    with repo.tx():
        repo.conn.set_trace_callback(seen.append)
        try:
            for i in range(3):
                repo.add_article(f"Text number {i}.")
            repo.add_article("Text number 1.")  # a duplicate comes back, as before
        finally:
            repo.conn.set_trace_callback(None)
    assert not [s for s in seen if "SAVEPOINT" in s.upper()]
    assert repo.count_articles() == 3
    assert len(_audit(repo)) == 3
