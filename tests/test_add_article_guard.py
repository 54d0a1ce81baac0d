"""Repository.add_article inside a caller's transaction (every importer): no savepoint of
its own, yet a refused article leaves neither the article nor its audit entry, exactly
as when it runs in a transaction of its own."""

from __future__ import annotations

import contextlib
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


def _nothing():
    return contextlib.nullcontext()


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


class _InterruptAudit:
    """The connection, but writing the audit entry is interrupted (Ctrl+C at that
    moment, or the disk failing), after the article's INSERT."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO audit_log"):
            raise KeyboardInterrupt
        return self._conn.execute(sql, *args)

    def executemany(self, sql, *args):
        if sql.startswith("INSERT INTO audit_log"):
            raise KeyboardInterrupt
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_an_article_whose_audit_entry_fails_is_taken_back(repo):
    real = repo.conn
    with repo.tx():
        repo.add_article("Kept text.", "Kept", uid="k-1")
        repo.conn = _InterruptAudit(real)
        with pytest.raises(KeyboardInterrupt):
            repo.add_article("Interrupted text.", "Lost", uid="lost")
        repo.conn = real
        again, added = repo.add_article("Later text.", "Later", uid="k-2")
    assert added and [r[3] for r in _audit(repo)] == ["k-1", "k-2"]
    assert [a.uid for a in repo.iter_articles()] == ["k-1", "k-2"]
    ids = [r[0] for r in repo.conn.execute("SELECT id FROM articles ORDER BY id")]
    assert ids == [1, 2]  # the taken-back row's id is used again, as after a rollback
    assert [a.uid for a in repo.list_articles(query="interrupted")] == []
    assert [a.uid for a in repo.list_articles(query="later")] == ["k-2"]
    repo.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


@pytest.mark.parametrize("outer", [True, False])
def test_a_stored_text_comes_back_whatever_else_the_copy_carries(repo, outer):
    """A text already stored is returned as it is, even when the copy's uid is taken
    or its meta could not be stored (the check that used to look it up first)."""
    first, _ = repo.add_article("Stored text.", "First", uid="a-1")
    other, _ = repo.add_article("Other text.", "Other", uid="a-2")
    copies = [dict(title="Copy"), dict(uid="a-2"), dict(meta={"x": float("nan")}),
              dict(uid="a-2", meta={"x": float("inf")})]
    with repo.tx() if outer else _nothing():
        results = [repo.add_article("Stored text.", **c) for c in copies]
    assert [(a.uid, a.title, added) for a, added in results] == [("a-1", "First", False)] * 4
    assert [r[3] for r in _audit(repo)] == ["a-1", "a-2"]


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


@pytest.mark.parametrize("outer", [True, False])
def test_the_audit_entry_is_the_json_audit_writes(repo, outer):
    """add_article writes its audit entry's JSON itself: the same text audit() writes."""
    import json

    titles = ["", "Plain", 'Quo"te \\ back/slash', "tab\tnew line\x01\x7f", "ünï — “x” \u2028",
              "😀 astral", "  padded  "]
    with repo.tx() if outer else _nothing():
        arts = [repo.add_article(f"Text {i}.", t)[0] for i, t in enumerate(titles)]
    got = [r[4] for r in _audit(repo)]
    assert got == [json.dumps({"title": a.title, "sha256": a.sha256}, ensure_ascii=False,
                              sort_keys=True) for a in arts]
    assert [e.after for a in arts for e in repo.history(a.uid)] == [
        {"title": t.strip(), "sha256": a.sha256} for a, t in zip(arts, titles, strict=True)]
